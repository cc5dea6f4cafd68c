"""Property-based tests (Hypothesis): whatever an editor or a hostile pull request puts into
content/ or seeds/, the result is a model or content errors with positions — never an
uncaught exception — and what passes validation never renders as markup.

Example counts are bounded so the whole file runs in a few seconds in CI."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from newsdossier import core
from newsdossier.article import Article, closest_passage, decode_seed, locate, normalize, split_blocks
from newsdossier.errors import Problems
from newsdossier.render import render_markdown
from newsdossier.schema import Ctx, Invalid, Markdown
from newsdossier.yamlio import load_yaml

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: characters that matter to YAML, Markdown, HTML and our normalisation
SPECIAL = list(":-[]{}&*!|>'\"%@`#,?<=/\\\t\n\r ") + ["\u00a0", "\u2028", "\ufeff", "\x00", "ä", "„", "“", "é"]
yaml_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6),
                               st.sampled_from(["- ", ": ", "&a ", "*a", "!!python/object ", "---\n", "id: ",
                                                "cite:\n  - source: ", "quote: ", "  ", "\n  - "])),
                     max_size=40).map("".join)


def _located(problems: Problems, path: str) -> None:
    for p in problems.all():
        assert p.pos.path == path and p.message


@FAST
@given(yaml_text)
@example("\x00")  # found by this test: PyYAML's reader raised instead of reporting
@example("a: b\nc: d\x01e")
def test_any_text_gives_data_or_located_yaml_errors(text):
    problems = Problems()
    load_yaml(text, "content/x.yaml", problems)
    _located(problems, "content/x.yaml")
    for p in problems.all():
        assert p.pos.line >= 0 and p.hint


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_as_a_seed_give_text_or_a_located_encoding_error(data):
    problems = Problems()
    text = decode_seed(data, "seeds/x.txt", problems)
    if text is None:
        [p] = problems.all()
        assert p.pos.path == "seeds/x.txt"
    else:
        assert not problems and "\r" not in text and not text.startswith("\ufeff")


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["ernte", "beispiel", "rekordernte", "2024-10", "../x",
                                                           "<script>", "[x](javascript:1)", "Tonnen", "berichtet"]))
keys = st.sampled_from(["id", "title", "lead", "text", "cite", "source", "quote", "claims", "sections", "date", "by",
                        "status", "value", "figures", "sides", "term", "definition", "name", "kind", "x", "Id"])
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=5)), max_leaves=25)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    proj = tmp_path_factory.mktemp("fuzz") / "p"
    shutil.copytree(FIXTURES / "mini", proj)
    return proj


PLACES = ["topics/fuzz.yaml", "figures/fuzz.yaml", "sources/fuzz.yaml", "events/fuzz.yaml", "actors/fuzz.yaml",
          "contradictions/fuzz.yaml", "glossary/fuzz.yaml", "dossier.yaml"]


@SLOW
@given(place=st.sampled_from(PLACES), doc=documents)
@example(place="topics/fuzz.yaml", doc={"sections": True})  # found by this test: salvage iterated a bool
@example(place="dossier.yaml", doc={"id": ""})  # found by this test: salvage of the dossier file
def test_any_yaml_document_anywhere_gives_a_model_or_located_content_errors(fuzz_project, place, doc):
    target = fuzz_project / "content" / place
    original = target.read_bytes() if target.exists() else None
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        result = core.check(fuzz_project)
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)
    for p in result.problems:
        assert p.pos.path.startswith(("content/", "seeds/")), p.format()
        if p.severity == "error":
            assert p.hint, p.format()
    if result.ok:
        assert result.dossier.meta is not None


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
article_text = st.lists(st.one_of(words, st.sampled_from(["\n", "\n\n", " ", "\u00a0", "\r\n", "Kommentare"])),
                        max_size=40).map("".join)


@FAST
@given(article_text, words)
def test_the_quote_matcher_never_fails_on_any_article_and_quote(raw, quote):
    art = Article("seeds/x.txt", raw, split_blocks(raw, {"Kommentare": "comments"}))
    matches = locate(art, quote)
    for m in matches:
        assert m.block.text[m.start:m.end] == normalize(quote)
    block, passage, score = closest_passage(art, quote)
    assert 0 <= score <= 100
    assert block is None or passage in block.text


@FAST
@given(article_text, st.data())
def test_every_passage_of_the_body_is_found_verbatim(raw, data):
    art = Article("seeds/x.txt", raw, split_blocks(raw, {}))
    body = [b for b in art.body if b.text]
    if not body:
        return
    block = data.draw(st.sampled_from(body))
    start = data.draw(st.integers(0, len(block.text) - 1))
    end = data.draw(st.integers(start + 1, len(block.text)))
    quote = block.text[start:end]
    if not normalize(quote):
        return
    matches = locate(art, quote)
    assert matches and all(m.block.text[m.start:m.end] == normalize(quote) for m in matches)


markdown_text = st.lists(st.one_of(
    st.sampled_from(["<", ">", "[", "]", "(", ")", "!", ":", "&", "#", ";", "*", "_", "`", '"', "'", "=", "\n", " ",
                     "javascript:", "JaVaScRiPt:", "data:", "vbscript:", "script", "img", "onerror=", "onclick=",
                     "https://x.de", "mailto:a@b.de", "&#106;", "&lt;", "\\", "    ", "[1]: ", "<!--", "-->", "%0a"]),
    st.text(max_size=4)), max_size=30).map("".join)
_EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
_ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "pre", "blockquote", "hr", "br", "img",
                 "h1", "h2", "h3", "h4", "h5", "h6"}


@FAST
@given(markdown_text)
def test_markdown_that_passes_validation_renders_without_scripts_handlers_or_script_links(text):
    problems = Problems()
    try:
        value = Markdown(3000).convert(text, _pos(), Ctx(problems))
    except Invalid:
        assert problems.all() and all(p.pos.path == "content/dossier.yaml" for p in problems.all())
        return
    html = str(render_markdown(value))
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)}
    assert tags <= _ALLOWED_TAGS, (text, html)
    assert not _EVENT_HANDLER.search(html), (text, html)
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        decoded = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), url).replace("&amp;", "&")
        assert re.match(r"^(https?://|mailto:|#|/|\./|\.\./|[^:]*$)", decoded.strip(), re.I), (text, html)


def _pos():
    from newsdossier.errors import Pos

    return Pos("content/dossier.yaml", 3, 7)


# --- issue 11: Markdown targets and YAML tags/escapes -----------------------------------------

markdown_links = st.lists(st.one_of(
    st.sampled_from(["[x](", "](", ")", "[a]", "[a]:", "\n", "\n\n", "    ", "> ", "- ", "1. ", "![x](", "<", ">",
                     "//", "/\\", "\\", "/", "evil.example", "https:", "http:", "mailto:", "javascript:", "data:",
                     "&#47;", "&#92;", "&#106;", "&colon;", "\t", " ", "#", "./", "../", "x", "\"t\"", "'t'"]),
    st.text(alphabet="ab:/\\.#", max_size=3)), max_size=25).map("".join)


def _as_browser_reads(url: str) -> str:
    """A link target as a browser resolves it: entities decoded, tabs and line breaks removed,
    leading controls and spaces stripped, backslashes as slashes."""
    import html as html_lib

    url = re.sub(r"[\t\n\r]", "", html_lib.unescape(url)).lstrip("".join(map(chr, range(33))))
    return url.replace("\\", "/")


@FAST
@given(markdown_links)
@example("Ein [Link][a].\n\n[a]:\n    javascript:alert(1)")
@example("- [x][a]\n- [a]: //evil.example")
@example("> [a]: /\\evil.example\n\n[x][a]")
def test_markdown_that_passes_never_links_off_site_by_accident_nor_loads_anything(text):
    problems = Problems()
    try:
        value = Markdown(3000).convert(text, _pos(), Ctx(problems))
    except Invalid:
        assert problems.all() and all(p.pos.path == "content/dossier.yaml" and p.hint for p in problems.all())
        return
    html = str(render_markdown(value))
    assert "<img" not in html, (text, html)  # nothing is loaded from anywhere
    for raw in re.findall(r'(?:href|src)="([^"]*)"', html):
        url = _as_browser_reads(raw)
        scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
        assert (scheme.group(1).lower() in ("http", "https", "mailto")) if scheme else not url.startswith("//"), (text, html)


yaml_values = st.one_of(
    st.sampled_from(['"\\x80"', '"\\x9f"', '"\\x85"', '"\\ud800"', '"a\\udfffb"', '"\\u202e"', '"\\u2066x"', '"\\uffff"',
                     '"\\ufffe"', '"\\x00"', '"\\e"', '"\\N"', '"\\_"', '"\\L"', '"\\P"', '"\\t"', '"ok"', "'ok'",
                     "abc", "maybe", '""', "1" * 4400, "1.7e+308", "1e400", "0x1F", "0o17", "-.inf", ".nan", "10.000",
                     "2024-10-18", "yes", "[1, 2]", "{a: b}", "\u202etext", "te\u2069xt", "a\x85b"]),
    st.text(max_size=6).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'))
yaml_tags = st.sampled_from(["", "", "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!binary ", "!!timestamp ",
                             "!!map ", "!!seq ", "!!set ", "!!omap ", "!!python/name:os.system ", "!custom ", "!!merge "])


@FAST
@given(st.lists(st.tuples(st.sampled_from(["term", "id", '"k\\x80"', "name", "value"]), yaml_tags, yaml_values),
                min_size=1, max_size=6))
@example([("value", "!!int ", '"abc"')])
@example([("term", "", '"CSIS \\ud800"')])
def test_any_tags_and_escapes_give_clean_data_or_located_errors(entries):
    from newsdossier.safety import BAD_IN_YAML

    text = "".join(f"{key}{i}: {tag}{value}\n" for i, (key, tag, value) in enumerate(entries))
    problems = Problems()
    data = load_yaml(text, "content/x.yaml", problems)
    for p in problems.all():
        assert p.pos.path == "content/x.yaml" and p.pos.line >= 1 and p.hint, p.format()
        p.format().encode("utf-8")  # printable as it is

    def walk(v):
        if isinstance(v, str):
            assert not BAD_IN_YAML.search(v), (text, v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(data)


@SLOW
@given(tag=yaml_tags, value=yaml_values, field=st.sampled_from(["term", "definition", "id"]))
def test_any_tag_or_escape_in_a_content_file_gives_a_model_or_located_content_errors(fuzz_project, tag, value, field):
    target = fuzz_project / "content/glossary/fuzz.yaml"
    fields = {"id": "fuzz", "term": "Fuzz", "definition": "Ein Wort."}
    fields[field] = f"{tag}{value}"
    target.write_text("- " + "\n  ".join(f"{k}: {v}" for k, v in fields.items()) + "\n", encoding="utf-8")
    try:
        result = core.check(fuzz_project)
    finally:
        target.unlink()
    for p in result.problems:
        assert p.pos.path.startswith("content/"), p.format()
        if p.severity == "error":
            assert p.hint and p.pos.line, p.format()
    if result.ok:
        from newsdossier.safety import BAD_IN_YAML

        term = next(t for t in result.dossier.terms.values() if t.id != "tonne")
        assert not BAD_IN_YAML.search(term.term + term.definition), term
