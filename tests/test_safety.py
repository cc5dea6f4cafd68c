"""Safe by construction: hostile content and seeds are refused with a position, or escaped
so that no script, event handler or javascript: URL reaches the built HTML."""

from __future__ import annotations

import json

from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_project, make_project
from newsdossier import core
from newsdossier.errors import Problems
from newsdossier.article import MAX_SEED_BYTES
from newsdossier.load import MAX_CONTENT_BYTES
from newsdossier.yamlio import load_yaml

import re


def edit(proj: Path, rel: str, old: str, new: str) -> None:
    path = proj / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def only_error(proj: Path) -> str:
    errors = core.check(proj).errors
    assert len(errors) == 1, "\n".join(e.format() for e in errors)
    return errors[0].format()


# --- YAML ---------------------------------------------------------------------------------

@pytest.mark.parametrize("doc, expected", [
    ("a: !!python/object/apply:os.system ['touch /tmp/pwned']\n", "x.yaml:1:4: error: unsupported YAML tag"),
    ("a: !!python/name:os.system\n", "x.yaml:1:4: error: unsupported YAML tag"),
    ("a: !custom x\n", "x.yaml:1:4: error: unsupported YAML tag '!custom'"),
    ("a: &a [*a]\n", "x.yaml:1:4: error: recursive YAML alias"),
    ("a: " + "[" * 80 + "]" * 80 + "\n", "error: YAML is nested more than 64 levels deep"),
])
def test_yaml_is_loaded_safely(doc, expected, tmp_path):
    problems = Problems()
    data = load_yaml(doc, "x.yaml", problems)
    assert data is None  # nothing is constructed from a tag, and the file is not read further
    [p] = problems.all()
    assert expected in p.format()
    assert not Path("/tmp/pwned").exists()


def test_billion_laughs_is_refused_without_expanding_it(tmp_path):
    lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    proj = make_project(tmp_path)
    (proj / "content/glossary/lol.yaml").write_text(lol, encoding="utf-8")
    msg = only_error(proj)  # 9**9 values if expanded; the bound is counted on the node graph
    assert msg.startswith("content/glossary/lol.yaml:1:1: error: anchors and aliases expand this file to more than")
    assert "billion laughs" in msg


def test_oversized_content_and_seed_files_are_refused_before_reading(tmp_path):
    proj = make_project(tmp_path)
    big = proj / "content/glossary/riesig.yaml"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("# " + "x" * (MAX_CONTENT_BYTES + 10) + "\n")
    assert only_error(proj) == (f"content/glossary/riesig.yaml: error: content file is {big.stat().st_size:,} bytes, "
                                f"more than the limit of {MAX_CONTENT_BYTES:,}\n    hint: split it into several files")
    big.unlink()
    seed = proj / "seeds/artikel.txt"
    seed.write_bytes(seed.read_bytes() + b"\n" + b"Mehr Text. " * (MAX_SEED_BYTES // 10))
    msg = only_error(proj)
    assert msg.startswith(f"seeds/artikel.txt: error: article file is {seed.stat().st_size:,} bytes, "
                          f"more than the limit of {MAX_SEED_BYTES:,}")


# --- ids ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, shown", [
    ("../x", "'../x'"), ("a/b", "'a/b'"), ("'zwei worte'", "'zwei worte'"), ("Gross", "'Gross'"),
    ("''", "''"), ("straße", "'straße'"), ("-x", "'-x'"), ("x" * 81, "'" + "x" * 81 + "'"), ("42", "42 (a number)"),
])
def test_ids_must_be_lower_case_slugs(tmp_path, bad, shown):
    proj = make_project(tmp_path)
    edit(proj, "content/glossary/glossar.yaml", "- id: tonne", f"- id: {bad}")
    assert only_error(proj).startswith(f"content/glossary/glossar.yaml:1:7: error: id {shown} is not a safe slug")


@pytest.mark.parametrize("rel, old, new, expected", [
    ("content/topics/ernte.yaml", "- id: ernte-verband", "- id: ../verband",
     "content/topics/ernte.yaml:20:13: error: id '../verband' is not a safe slug"),
    ("content/topics/ernte.yaml", "by: [beispiel]", "by: [../beispiel]",
     "content/topics/ernte.yaml:15:14: error: actor id '../beispiel' is not a safe slug"),
    ("content/events/chronik.yaml", "topics: [ernte]\n  places", "topics: [Ernte]\n  places",
     "content/events/chronik.yaml:4:12: error: topic id 'Ernte' is not a safe slug"),
    ("content/figures/ernte.yaml", "by: bauernverband", "by: a/b",
     "content/figures/ernte.yaml:15:9: error: actor id 'a/b' is not a safe slug"),
])
def test_references_must_be_slugs_too(tmp_path, rel, old, new, expected):
    proj = make_project(tmp_path)
    edit(proj, rel, old, new)
    errors = [e.format() for e in core.check(proj).errors]
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize("name", ["Ernte Neu.yaml", "../ernte2.yaml", "ERNTE.yaml", ".yaml"])
def test_file_names_that_become_urls_must_be_slugs(tmp_path, name):
    proj = make_project(tmp_path)
    target = (proj / "content/topics" / name)
    (proj / "content/topics/ernte.yaml").rename(target)
    errors = [e.format() for e in core.check(proj).errors]
    rel = target.resolve().relative_to(proj.resolve()).as_posix()
    if rel.startswith("content/topics/"):
        assert any(e.startswith(f"{rel}: error: file name") and "is not a safe slug" in e for e in errors), errors
    else:  # moved out of topics/: reported as a stray file, never read as a topic
        assert any(e.startswith(f"{rel}: error: this file is in no content folder") for e in errors), errors


# --- text fields --------------------------------------------------------------------------

TEXT_FIELDS = [  # one of every plain-text field kind: single line, multi-line, list item, nested
    ("content/topics/ernte.yaml", "title: Die Ernte", "title: Die <script>alert(1)</script> Ernte", "1:8"),
    ("content/topics/ernte.yaml", "lead: Wie groß", "lead: <script>alert(1)</script> Wie groß", "3:7"),
    ("content/topics/ernte.yaml", "text: Laut Gemeinde", "text: <img src=x onerror=alert(1)> Laut Gemeinde", "14:15"),
    ("content/events/chronik.yaml", "places: [Testdorf]", "places: ['<svg onload=alert(1)>']", "5:12"),
    ("content/actors/akteure.yaml", "name: Anna Beispiel", "name: Anna <b>Beispiel</b>", "2:9"),
    ("content/glossary/glossar.yaml", "definition: 1000 Kilogramm.", "definition: 1000 <script>x</script>", "3:15"),
    ("content/sources/rekordernte.yaml", "title: Testdorf meldet Rekordernte", "title: </title><script>x</script>", "2:8"),
    ("content/sources/rekordernte.yaml", "note: Der Text nennt", "note: <iframe src=javascript:alert(1)> Der Text", "8:11"),
]


@pytest.mark.parametrize("rel, old, new, pos", TEXT_FIELDS, ids=[f"{c[0].split('/')[1]}-{c[1].split(':')[0]}" for c in TEXT_FIELDS])
def test_markup_in_plain_text_fields_is_refused_with_its_position(tmp_path, rel, old, new, pos):
    proj = make_project(tmp_path)
    edit(proj, rel, old, new)
    assert only_error(proj).startswith(f"{rel}:{pos}: error: HTML is not allowed in text fields")


MARKDOWN = [
    ("raw HTML is not allowed", 'Ein <img src=x onerror="alert(1)"> Bild.', "6:7"),
    ("raw HTML is not allowed", "Ein <script>alert(1)</script>.", "6:7"),
    ("raw HTML is not allowed", "Kommentar <!-- <script> -->.", "6:13"),
    ("raw HTML is not allowed", "Ein <a href=\"https://x.de\" onclick=\"alert(1)\">Link</a>.", "6:7"),
    ("link target 'javascript:alert(1)' is not allowed", "Ein [Link](javascript:alert(1)).", "6:14"),
    ("link target 'JavaScript:alert(1)' is not allowed", "Ein [Link]( JavaScript:alert(1) ).", "6:15"),
    ("link target 'data:text/html;base64,PHNjcmlwdD4=' is not allowed", "![x](data:text/html;base64,PHNjcmlwdD4=)", "6:8"),
    ("link target 'javascript:alert(1)' is not allowed", "Ein [Link][1].\n\n  [1]: javascript:alert(1)", "8:10"),
    ("link target 'vbscript:x' is not allowed", "Ein [Link](vbscript:x).", "6:14"),
]


@pytest.mark.parametrize("message, payload, pos", MARKDOWN)
def test_markdown_fields_refuse_raw_html_and_script_links_at_the_offending_line(tmp_path, message, payload, pos):
    """The method text is a block ('method: |'): the position is inside the block, not at '|'."""
    proj = make_project(tmp_path)
    edit(proj, "content/dossier.yaml", "method: |\n  Jede Aussage ist belegt.\n",
         "method: |\n  Jede Aussage ist belegt.\n\n  " + payload.replace("\n", "\n  ") + "\n")
    msg = only_error(proj)
    shifted = {"6:": "14:", "8:": "16:"}[pos.split(":")[0] + ":"] + pos.split(":")[1]
    assert msg.startswith(f"content/dossier.yaml:{shifted}: error: {message}"), msg


def test_invisible_control_characters_are_refused_with_their_code(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "title: Die Ernte", 'title: "Die \\u202eErnte"')
    assert only_error(proj).startswith("content/topics/ernte.yaml:1:8: error: invisible control character U+202E")


# --- the built HTML -----------------------------------------------------------------------

PAYLOAD_LINES = [
    '<script>alert("seed")</script> Die Gemeinde war begeistert.',
    'Ein Besucher schrieb <img src=x onerror=alert("img")> ins Gästebuch.',
    'Er sagte: " onmouseover="alert(\'attr\')" und ging.',
    "Der Link <a href=\"javascript:alert('a')\">hier</a> war kaputt.",
]


_URL_ATTRS = {"href", "src", "action", "formaction", "srcdoc", "poster", "xlink:href", "data", "background"}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []
        self._script = False
        self._json_ld = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            if name in _URL_ATTRS and value and "javascript:" in value.replace(" ", "").lower():
                self.bad.append(f"<{tag} {name}={value!r}>")
        self._script = tag == "script"
        self._json_ld = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._script = self._json_ld = False

    def handle_data(self, data):
        if self._json_ld:
            # Structured data is never executed; it must stay one JSON value that cannot close
            # its <script> element early (tojson escapes '<', '>' and '&').
            if "<" in data or ">" in data:
                self.bad.append(f"<script ld+json> with raw angle brackets: {data[:60]}")
            json.loads(data)
        elif self._script and "alert(" in data:
            self.bad.append(f"<script>{data[:60]}")
        self.text.append(data)


def _hostile_project(tmp_path: Path) -> Path:
    proj = make_project(tmp_path)
    seed = proj / "seeds/artikel.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Auch interessant", "\n\n".join(PAYLOAD_LINES) + "\n\nAuch interessant"),
                    encoding="utf-8")
    cites = "".join(f"\n          - source: rekordernte\n            quote: {_yaml_str(line)}" for line in PAYLOAD_LINES)
    edit(proj, "content/topics/ernte.yaml", "        cite:\n          - source: rekordernte\n            quote: \"Die Gemeinde",
         "        cite:" + cites + "\n          - source: rekordernte\n            quote: \"Die Gemeinde")
    # quotes in attribute position and a note / evidence / furniture with markup characters
    edit(proj, "content/topics/ernte.yaml", "text: Laut Gemeinde wurden 1200 Tonnen Äpfel geerntet.",
         "text: 'Laut \" onmouseover=\"alert(1)\" Gemeinde'")
    edit(proj, "content/glossary/glossar.yaml", "term: Tonne", "term: 'Tonne\" onmouseover=\"alert(2)'")
    edit(proj, "content/actors/akteure.yaml", "name: Anna Beispiel", "name: \"Anna ' onfocus='alert(3)\"")
    edit(proj, "content/sources/rekordernte.yaml", "publisher: null\n", "publisher: null\nurl: https://example.org/a?b=1&c=2\n")
    edit(proj, "content/sources/rekordernte.yaml", "notes:\n",
         "notes:\n  - quote: " + _yaml_str("<img src=x onerror=alert(\"img\")>") + "\n    kind: remark\n    text: Markup im Original.\n")
    edit(proj, "content/dossier.yaml", "  Jede Aussage ist belegt.\n",
         "  Jede Aussage ist belegt, siehe [Pressekodex](https://www.presserat.de/pressekodex.html) "
         "und <https://example.org/a> nicht.\n".replace(" und <https://example.org/a> nicht", ""))
    return proj


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


@pytest.mark.parametrize("command", ["build", "serve"], ids=["public", "preview"])
def test_hostile_text_never_reaches_the_html_as_markup(tmp_path, command):
    proj = _hostile_project(tmp_path)
    assert core.check(proj).ok, [e.format() for e in core.check(proj).errors]
    site = build_project(proj, command=command)
    pages = sorted(site.rglob("*.html"))
    seen_text = ""
    for page in pages:
        html = page.read_text(encoding="utf-8")
        scan = _Scan()
        scan.feed(html)
        assert scan.bad == [], (page.relative_to(site).as_posix(), scan.bad)
        seen_text += "".join(scan.text)
        for a in [x for x in html.split("<a ")[1:] if x.startswith('href="http')]:
            tag = a.split(">", 1)[0]
            if "md-source" not in tag:
                assert 'rel="noopener noreferrer"' in tag, tag
    # the payloads are shown to readers as text, escaped, not dropped
    for line in PAYLOAD_LINES:
        assert line in seen_text, line
    assert "Tonne\" onmouseover=\"alert(2)" in seen_text
    source_page = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer"' in source_page
    method = (site / "methode/index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.presserat.de/pressekodex.html" rel="noopener noreferrer"' in method
    json_text = (site / "daten/dossier.json").read_text(encoding="utf-8")
    assert '<script>alert(\\"seed\\")</script>' in json_text  # JSON carries data, not markup; served as application/json


# --- seeds --------------------------------------------------------------------------------

def test_seed_with_invalid_utf8_is_refused_with_the_byte_offset(tmp_path):
    proj = make_project(tmp_path)
    seed = proj / "seeds/artikel.txt"
    data = seed.read_bytes()
    offset = data.index("Bauernverband".encode())
    seed.write_bytes(data[:offset] + b"\xff" + data[offset + 1:])
    msg = core.check(proj).errors[0].format()
    line = data.count(b"\n", 0, offset) + 1
    col = offset - data.rfind(b"\n", 0, offset)
    assert msg.startswith(f"seeds/artikel.txt:{line}:{col}: error: not valid UTF-8: byte 0xff at byte offset {offset}")


def test_seed_with_bom_and_windows_line_endings_is_accepted(tmp_path):
    proj = make_project(tmp_path)
    seed = proj / "seeds/artikel.txt"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes().replace(b"\n", b"\r\n"))
    result = core.check(proj)
    assert result.ok and not result.warnings, [p.format() for p in result.problems]
    site = build_project(proj)
    html = (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in html and "\r" not in html
    assert "Die Gemeinde Testdorf hat nach eigenen Angaben" in html


def test_seed_path_cannot_leave_the_seeds_folder(tmp_path):
    proj = make_project(tmp_path)
    for bad in ("../mkdocs.yml", "/etc/passwd", "sub/artikel.txt", ".hidden.txt", "..\\\\x.txt"):
        edit(proj, "content/sources/rekordernte.yaml", "file: artikel.txt", f"file: '{bad}'")
        msg = only_error(proj)
        assert msg.startswith("content/sources/rekordernte.yaml:1:7: error: ") and "is not a plain file name in seeds/" in msg, msg
        edit(proj, "content/sources/rekordernte.yaml", f"file: '{bad}'", "file: artikel.txt")


def test_a_symlinked_seed_pointing_outside_is_not_read(tmp_path):
    proj = make_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM\n", encoding="utf-8")
    (proj / "seeds/artikel.txt").rename(proj / "seeds/echt.txt")
    (proj / "seeds/artikel.txt").symlink_to(secret)
    errors = [e.format() for e in core.check(proj).errors]
    assert any("seeds/artikel.txt" in e and "symbolic link" in e for e in errors), errors


def test_folders_where_files_belong_are_reported_not_crashed_on(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content/topics/ordner.yaml").mkdir()
    (proj / "seeds/ordner.txt").mkdir()
    edit(proj, "content/sources/rekordernte.yaml", "file: artikel.txt", "file: ordner.txt")
    errors = [e.format() for e in core.check(proj).errors]
    assert "content/topics/ordner.yaml: error: expected a content file here, found a folder or special file" in "\n".join(errors)
    assert any(e.startswith("content/sources/rekordernte.yaml:1:7: error: article file seeds/ordner.txt does not exist")
               for e in errors), errors


@pytest.mark.parametrize("block, pos", [
    ("text: >-\n          Laut Gemeinde wurden\n          1200 Tonnen <b>Äpfel</b> geerntet.", "16:23"),
    ("text: |\n          Laut Gemeinde wurden\n\n            1200 Tonnen <b>Äpfel</b> geerntet.", "17:25"),
    ("text: Laut Gemeinde wurden\n          1200 Tonnen <b>Äpfel</b> geerntet.", "15:23"),
])
def test_a_problem_inside_a_long_text_points_at_its_own_line_and_column(tmp_path, block, pos):
    proj = make_project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "text: Laut Gemeinde wurden 1200 Tonnen Äpfel geerntet.", block)
    assert only_error(proj).startswith(f"content/topics/ernte.yaml:{pos}: error: HTML is not allowed in text fields")


def test_a_tag_in_a_content_file_gives_one_message_and_no_follow_up_errors(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content/glossary/evil.yaml").write_text(
        "- id: x\n  term: !!python/object/apply:os.system ['id']\n  definition: x\n", encoding="utf-8")
    assert only_error(proj).startswith("content/glossary/evil.yaml:2:9: error: unsupported YAML tag "
                                       "'tag:yaml.org,2002:python/object/apply:os.system'")


@pytest.mark.parametrize("doc", ["[" * 30000 + "]" * 30000, "- " * 200000 + "x", "a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 400))])
def test_extreme_nesting_is_a_content_error_not_a_crash(tmp_path, doc):
    """libyaml recurses in C and kills the process (SIGSEGV) on such files; they must take
    the pure-Python path and come back as one positioned error. Run as a subprocess so a
    regression fails this test instead of killing the test run."""
    import subprocess
    import sys

    proj = make_project(tmp_path)
    (proj / "content/glossary/glossar.yaml").write_text(doc, encoding="utf-8")
    dossier = str(Path(sys.executable).parent / "dossier")
    r = subprocess.run([dossier, "--root", str(proj), "check"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    assert r.stderr.startswith("content/glossary/glossar.yaml"), r.stderr[:300]
    assert "nested" in r.stderr and "Traceback" not in r.stderr


# === issue 11: every class of hostile input found by the review ============================

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def errors_of(proj: Path) -> list[str]:
    return [e.format() for e in core.check(proj).errors]


def run_cli(*args, cwd=None, timeout=120):
    import subprocess
    import sys

    dossier = str(Path(sys.executable).parent / "dossier")
    return subprocess.run([dossier, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


# --- published without a check --------------------------------------------------------------

@pytest.mark.parametrize("rel", ["evil.md", "glossary/evil.html", "assets/evil.js", "topics/notiz.txt"])
def test_a_stray_file_in_content_is_an_error(tmp_path, rel):
    proj = make_project(tmp_path)
    target = proj / "content" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((HOSTILE / "evil.md").read_bytes())
    assert only_error(proj).startswith(f"content/{rel}: error: stray file in the content folder: the dossier does "
                                       "not use it, and it is not published\n    hint: move it out of content/")


def test_a_symbolic_link_in_content_is_an_error_and_never_followed(tmp_path):
    proj = make_project(tmp_path)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (proj / "content/passwd.txt").symlink_to(secret)
    (proj / "content/linked").symlink_to(tmp_path, target_is_directory=True)
    errors = errors_of(proj)
    assert errors == [
        "content/linked: error: symbolic link in the content folder: it is neither read nor published\n"
        "    hint: replace the link by the file itself, or remove it",
        "content/passwd.txt: error: symbolic link in the content folder: it is neither read nor published\n"
        "    hint: replace the link by the file itself, or remove it"], errors


def test_nothing_from_content_reaches_the_site_even_files_the_check_allows(tmp_path):
    """README.md and hidden files are allowed in content/ (documentation, editor files), but
    like everything in the docs folder they are never published: only generated pages and the
    theme's assets are."""
    proj = make_project(tmp_path)
    evil = (HOSTILE / "evil.md").read_text(encoding="utf-8")
    (proj / "content/glossary/README.md").write_text(evil, encoding="utf-8")
    (proj / "content/.versteckt.html").write_text(evil, encoding="utf-8")
    (proj / "content/.notizen").mkdir()
    (proj / "content/.notizen/evil.md").write_text(evil, encoding="utf-8")
    assert core.check(proj).ok
    site = build_project(proj)
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert not [p for p in published if "evil" in p or "versteckt" in p or "glossary" in p or "README" in p]
    assert all("alert(document.cookie)" not in p.read_text(encoding="utf-8", errors="replace")
               for p in site.rglob("*.html"))


@pytest.mark.parametrize("where", ["content/stuck.md", "content/topics/stuck.yaml"])
def test_a_fifo_in_content_is_refused_without_opening_it(tmp_path, where):
    """Opening a FIFO for reading waits for a writer forever: it is refused by its kind."""
    import os

    proj = make_project(tmp_path)
    os.mkfifo(proj / where)
    r = run_cli("--root", proj, "check", timeout=60)  # a hang fails by the timeout
    assert r.returncode == 1, r.stderr
    assert f"{where}: error: " in r.stderr and "FIFO" in r.stderr and "Traceback" not in r.stderr


def test_a_fifo_as_an_article_is_refused_without_opening_it(tmp_path):
    import os

    from newsdossier.article import read_text_file

    proj = make_project(tmp_path)
    os.mkfifo(proj / "seeds/stuck.txt")
    problems = Problems()
    assert read_text_file(proj / "seeds/stuck.txt", "seeds/stuck.txt", problems, limit=100, what="article file",
                          fix_link="", fix_size="") is None
    assert problems.all()[0].format().startswith(
        "seeds/stuck.txt: error: expected a article file here, found a folder or special file (a FIFO (named pipe))")


@pytest.mark.parametrize("escape, shown", [
    ("\\x80", "U+0080"), ("\\x9f", "U+009F"), ("\\x85", "U+0085"), ("\\ufffe", "U+FFFE"), ("\\uffff", "U+FFFF"),
    ("\\ud800", "U+D800 (a lone surrogate"), ("\\udfff", "U+DFFF (a lone surrogate"),
    ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"), ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
    ("\\x1b", "U+001B"),
])
@pytest.mark.parametrize("rel, old, new, pos", [
    ("content/actors/akteure.yaml", "name: Anna Beispiel", 'name: "Anna {} Beispiel"', "2:9"),
    ("content/sources/rekordernte.yaml", "publisher: null", 'publisher: "Verlag{}"', "3:12"),
    ("content/glossary/glossar.yaml", "term: Tonne", 'term: "CSIS {}"', "2:9"),
    ("content/topics/ernte.yaml", 'quote: "Die Gemeinde Testdorf', 'quote: "{}Die Gemeinde Testdorf', "19:20"),
    ("content/topics/ernte.yaml", "status: berichtet", '"status{}": berichtet', "16:9"),
], ids=["name", "publisher", "term", "quote", "key"])
def test_control_surrogate_and_bidi_escapes_are_refused_where_they_stand(tmp_path, rel, old, new, pos, escape, shown):
    proj = make_project(tmp_path)
    edit(proj, rel, old, new.format(escape))
    errors = errors_of(proj)
    [mine] = [e for e in errors if e.startswith(f"{rel}:{pos}: error: invisible control character {shown}")] or [errors]
    assert "hint: remove it" in mine
    for e in errors:  # printable as it is: no raw control character or surrogate in a message
        e.encode("utf-8")
        assert e.isprintable() or set(e) - set(e.replace("\n", "")) == {"\n"}


@pytest.mark.parametrize("raw", ["\u202e", "\u2067", "\x85", "\u200f"])
def test_raw_bidi_and_control_characters_in_yaml_are_refused_at_their_column(tmp_path, raw):
    proj = make_project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", 'quote: "Die Gemeinde Testdorf', f'quote: "Die{raw} Gemeinde Testdorf')
    errors = errors_of(proj)
    assert errors[0].startswith(f"content/topics/ernte.yaml:19:24: error: invisible control character U+{ord(raw):04X}"), errors
    assert len(errors) == 1, errors


def test_markdown_looking_text_in_a_plain_field_stays_text(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/sources/rekordernte.yaml", "publisher: null", 'publisher: "[mehr](javascript:alert(document.cookie))"')
    assert core.check(proj).ok
    site = build_project(proj)
    for page in site.rglob("*.html"):
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        assert scan.bad == [], (page, scan.bad)
    assert "[mehr](javascript:alert(document.cookie))" in (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")


MARKDOWN_LINKS = [  # (payload, line offset in the block, column, message)
    ("Ein [Link][a].\n\n[a]:\n    javascript:alert(1)", 3, 5, "link target 'javascript:alert(1)' is not allowed"),
    ("Ein [Link][a].\n\n> [a]: javascript:alert(1)", 2, 8, "link target 'javascript:alert(1)' is not allowed"),
    ("- Ein [Link][a].\n- [a]: javascript:alert(1)", 1, 8, "link target 'javascript:alert(1)' is not allowed"),
    ("Ein [Link](//evil.example/x).", 0, 12, "link target '//evil.example/x' is not allowed"),
    ("Ein [Link](/\\evil.example/x).", 0, 12, "link target '/\\evil.example/x' is not allowed"),
    ("Ein [Link][a].\n\n[a]: //evil.example", 2, 6, "link target '//evil.example' is not allowed"),
    ("Ein ![Bild](https://tracker.example/p.gif) hier.", 0, 13, "image 'https://tracker.example/p.gif' is not allowed"),
    ("Ein ![Bild][b].\n\n[b]: https://tracker.example/p.gif", 2, 6, "image 'https://tracker.example/p.gif' is not allowed"),
]


@pytest.mark.parametrize("field", ["lead", "method", "contact"])
@pytest.mark.parametrize("payload, dline, col, message", MARKDOWN_LINKS)
def test_markdown_fields_refuse_every_spelling_of_script_and_third_party_targets(tmp_path, field, payload, dline, col, message):
    proj = make_project(tmp_path)
    start = {"lead": "lead: |\n  Ein Dossier über eine *Rekordernte*.\n", "method": "method: |\n  Jede Aussage ist belegt.\n",
             "contact": "contact: |\n  Fehler bitte an die Redaktion melden.\n"}[field]
    first = (proj / "content/dossier.yaml").read_text(encoding="utf-8").split("\n").index(start.split("\n")[1]) + 1
    edit(proj, "content/dossier.yaml", start, start + "\n  " + payload.replace("\n", "\n  ") + "\n")
    msg = only_error(proj)
    assert msg.startswith(f"content/dossier.yaml:{first + 2 + dline}:{col + 2}: error: {message}"), msg


def test_safe_markdown_links_still_pass(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/dossier.yaml", "  Jede Aussage ist belegt.\n",
         "  Jede Aussage ist belegt: [Kodex](https://www.presserat.de/), [oben](#status), [Daten](/daten/), "
         "[hier](./themen/), [Mail](mailto:redaktion@example.org).\n\n  [a]: https://example.org/a\n")
    assert core.check(proj).ok, errors_of(proj)


# --- tracebacks and unpositioned errors -------------------------------------------------------

@pytest.mark.parametrize("value, message", [
    ('!!int "abc"', "'abc' is not a valid !!int value"),
    ('!!int ""', "'' is not a valid !!int value"),
    ('!!float "abc"', "'abc' is not a valid !!float value"),
    ('!!bool "maybe"', "'maybe' is not a valid !!bool value"),
    ("1" * 4400, "number with 4,400 digits: more than this tool reads (4,300)"),
])
def test_tagged_values_that_do_not_fit_their_tag_are_positioned_errors(tmp_path, value, message):
    proj = make_project(tmp_path)
    edit(proj, "content/figures/ernte.yaml", "value: 1200", f"value: {value}")
    r = run_cli("--root", proj, "check")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-800:]
    assert r.stderr.startswith(f"content/figures/ernte.yaml:6:12: error: {message}"), r.stderr[:300]


@pytest.mark.parametrize("value", ["1.7e+308", "-1.0e+16", "!!float 1e400"])
def test_figure_values_too_large_for_a_chart_are_refused(tmp_path, value):
    proj = make_project(tmp_path)
    edit(proj, "content/figures/ernte.yaml", "value: 1200", f"value: {value}")
    msg = only_error(proj)
    assert msg.startswith("content/figures/ernte.yaml:6:12: error: "), msg
    assert "larger than the largest number" in msg or "not a finite number" in msg


def test_order_must_be_a_small_whole_number(tmp_path):
    proj = make_project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "order: 1", "order: " + "9" * 400)
    assert only_error(proj).startswith("content/topics/ernte.yaml:2:8: error: a number with 400 digits is too large here")


def test_a_lone_surrogate_never_reaches_the_build(tmp_path):
    """Found by the review: check passed, the build died with UnicodeEncodeError."""
    proj = make_project(tmp_path)
    edit(proj, "content/glossary/glossar.yaml", "term: Tonne", 'term: "CSIS \\ud800"')
    r = run_cli("build", "--site-dir", proj / "site", cwd=proj)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("content/glossary/glossar.yaml:2:9: error: invisible control character U+D800")
    assert "Traceback" not in r.stderr and not (proj / "site").exists()


def test_nul_bytes_are_reported_with_line_and_column(tmp_path):
    proj = make_project(tmp_path)
    seed = proj / "seeds/artikel.txt"
    seed.write_bytes(seed.read_bytes().replace("Bauernverband".encode(), b"Bauern\x00verband", 1))
    text = seed.read_bytes()
    line = text[:text.index(b"\x00")].count(b"\n") + 1
    col = len(text[:text.index(b"\x00")].split(b"\n")[-1].decode()) + 1
    assert only_error(proj).startswith(f"seeds/artikel.txt:{line}:{col}: error: article file contains NUL characters")


def test_too_deep_nesting_past_the_composer_is_reported_with_a_line(tmp_path):
    problems = Problems()
    assert load_yaml("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 2000)), "x.yaml", problems) is None
    [p] = problems.all()
    assert p.format().startswith("x.yaml:") and p.pos.line > 1 and "nested more than 64 levels" in p.message


def test_schema_errors_in_a_topic_do_not_hide_its_wrong_quote(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content/topics/ernte.yaml").write_bytes((HOSTILE / "schema-errors-and-wrong-quote-topic.yaml").read_bytes())
    errors = errors_of(proj)
    assert [e.split(": error: ")[0] for e in errors if e.startswith("content/topics/")] == [
        "content/topics/ernte.yaml:4:1", "content/topics/ernte.yaml:11:17", "content/topics/ernte.yaml:14:20"], errors
    assert any("quote for source 'rekordernte' not found in seeds/artikel.txt" in e and "closest passage" in e
               for e in errors), errors


def test_export_into_an_existing_file_is_a_usage_error(tmp_path):
    proj = make_project(tmp_path)
    (proj / "out.md").write_text("x", encoding="utf-8")
    r = run_cli("--root", proj, "export", proj / "out.md")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "out.md: exists and is not a folder" in r.stderr


@pytest.mark.parametrize("how", ["parent-is-a-file", "not-writable"])
def test_a_site_folder_that_cannot_be_written_is_a_clear_build_error(tmp_path, monkeypatch, capsys, how):
    """(Root may write anywhere, so 'not writable' is made by the folder refusing to be made.)"""
    from newsdossier import cli, sitedir

    proj = make_project(tmp_path)
    site = proj / "site"
    if how == "parent-is-a-file":
        (proj / "datei").write_text("x", encoding="utf-8")
        site = proj / "datei" / "site"
    else:
        def refuse(target):
            raise PermissionError(13, "Permission denied", str(target.parent))

        monkeypatch.setattr(sitedir, "new_build_dir", refuse)
    assert cli.main(["--root", str(proj), "build", "--site-dir", str(site)]) == 3
    err = capsys.readouterr().err
    assert "build failed: cannot write in" in err and "hint:" in err and "Traceback" not in err


# --- resources --------------------------------------------------------------------------------

def test_aliases_cannot_multiply_citations(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content/topics/ernte.yaml").write_bytes((HOSTILE / "alias-bomb-topic.yaml").read_bytes())
    errors = errors_of(proj)
    assert len(errors) == 2, errors  # one message per repeated list, however long
    assert "content/topics/ernte.yaml:5:19: error: the same statement is listed twice (first at line 5) " \
           "(9 repetitions in this list)" in "\n".join(errors), errors
    assert "content/topics/ernte.yaml:12:48: error: this passage of source 'rekordernte' is already cited by the same " \
           "statement (9 repetitions in this list)" in "\n".join(errors), errors


def test_the_citation_budgets(tmp_path, monkeypatch):
    from newsdossier import safety

    proj = make_project(tmp_path)
    monkeypatch.setattr(safety, "MAX_CITATIONS_PER_STATEMENT", 1)
    errors = errors_of(proj)
    assert any(e.startswith("content/topics/ernte.yaml:8:5: error: this statement shows 2 citations (its own and its "
                            "claims'), more than 1") for e in errors), errors
    monkeypatch.setattr(safety, "MAX_CITATIONS_PER_STATEMENT", 200)
    monkeypatch.setattr(safety, "MAX_CITATIONS_SHOWN", 5)
    assert only_error(proj).startswith("content: error: the pages would show ")


def test_the_page_size_budget(tmp_path, monkeypatch):
    from newsdossier import safety

    proj = make_project(tmp_path)
    monkeypatch.setattr(safety, "MAX_PAGE_CHARS", 1_000)
    result = core.build(proj)
    assert not result.ok and not result.pages
    assert any(e.format().startswith("content: error: the generated page ") for e in result.errors)


def _long_article(proj: Path, paragraph: str) -> None:
    seed = proj / "seeds/artikel.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n\n" + paragraph + "\n", encoding="utf-8")


def test_a_wrong_quote_against_a_huge_paragraph_is_searched_within_the_budget(tmp_path, monkeypatch):
    """The closest passage is still found (around exact pieces of the quote), but never by
    comparing the quote with more than MAX_MATCH_CHARS characters."""
    import random

    from newsdossier import load, safety

    rnd = random.Random(1)
    words = ["Apfel", "Ernte", "Gemeinde", "Tonnen", "Verband", "Kisten", "Bauer", "Rekord"]
    para = " ".join(rnd.choice(words) + str(rnd.randint(0, 99)) for _ in range(MAX_SEED_BYTES // 12))
    proj = make_project(tmp_path)
    _long_article(proj, para)
    wrong = para[50_000:51_000] + " FALSCH"
    edit(proj, "content/topics/ernte.yaml", "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet.", wrong)
    compared = []
    real = load.closest_passage
    monkeypatch.setattr(load, "closest_passage",
                        lambda art, q, blocks: compared.append(sum(len(b.text) for b in blocks)) or real(art, q, blocks))
    msg = only_error(proj)
    assert "closest passage (¶4, line " in msg and para[50_000:50_100] in msg, msg[:300]
    assert compared and max(compared) <= safety.MAX_MATCH_CHARS


def test_a_quote_found_a_million_times_gives_a_short_message(tmp_path):
    proj = make_project(tmp_path)
    _long_article(proj, ("e " * (MAX_SEED_BYTES // 2 - 1000)).strip())
    edit(proj, "content/topics/ernte.yaml", "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet.", "e")
    msg = only_error(proj)
    assert "error: quote for source 'rekordernte' occurs more than 10 times (¶1, ¶1, ¶1" in msg and len(msg) < 400, msg


def test_match_budget_for_the_whole_run_ends_the_closest_passage_search(tmp_path, monkeypatch):
    from newsdossier import safety

    proj = make_project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "Die Gemeinde Testdorf hat nach eigenen Angaben", "Die Gemeinde Testdorf hat")
    monkeypatch.setattr(safety, "MAX_MATCH_CHARS_TOTAL", 10)
    msg = only_error(proj)
    assert "closest passage not searched: this run has spent its budget" in msg


# --- faults: ids --------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, old, new, expected", [
    ("content/topics/ernte.yaml", None, "content/topics/index.yaml", "content/topics/index.yaml:1:1: error: topic id 'index' is reserved"),
    ("content/sources/rekordernte.yaml", None, "content/sources/index.yaml", "content/sources/index.yaml:1:1: error: source id 'index' is reserved"),
    ("content/actors/akteure.yaml", "id: beispiel", "id: index", "content/actors/akteure.yaml:1:7: error: actor id 'index' is reserved"),
    ("content/actors/akteure.yaml", "id: beispiel", "id: person", "content/actors/akteure.yaml:1:7: error: actor id 'person' is reserved"),
    ("content/glossary/glossar.yaml", "id: tonne", "id: beleg-1", "content/glossary/glossar.yaml:1:7: error: term id 'beleg-1' is reserved"),
    ("content/events/chronik.yaml", "id: erntebeginn", "id: jahr-2024", "content/events/chronik.yaml:1:7: error: event id 'jahr-2024' is reserved"),
    ("content/figures/ernte.yaml", "id: ernte-1200", "id: reihe-truppenzahl", "content/figures/ernte.yaml:5:9: error: figure id 'reihe-truppenzahl' is reserved"),
    ("content/topics/ernte.yaml", "id: ernte-verband", "id: belege-h", "content/topics/ernte.yaml:20:13: error: claim id 'belege-h' is reserved"),
    ("content/topics/ernte.yaml", "id: ernte-verband", "id: ereignis-erntebeginn", "content/topics/ernte.yaml:20:13: error: claim id 'ereignis-erntebeginn' is reserved"),
    ("content/topics/ernte.yaml", "id: ernte-verband", "id: die-ernte", "content/topics/ernte.yaml:20:13: error: claim id 'die-ernte' is the anchor of its topic page's title „Die Ernte“"),
    ("content/contradictions/streit.yaml", "id: erntemenge", "id: widerspruche", "content/contradictions/streit.yaml:1:7: error: contradiction id 'widerspruche' is reserved"),
    ("content/topics/ernte.yaml", "id: ernte-gemeinde", "id: anna-beispiel", "content/topics/ernte.yaml:13:13: error: claim id 'anna-beispiel' is the anchor of the title „Anna Beispiel“ of the page of actor 'beispiel'"),
    ("content/sources/rekordernte.yaml", "title: Testdorf meldet Rekordernte", "title: P1", "content/sources/rekordernte.yaml:2:8: error: the title's anchor 'p1' is one the source page uses"),
])
def test_reserved_ids_and_generated_anchors_cannot_collide(tmp_path, rel, old, new, expected):
    proj = make_project(tmp_path)
    if old is None:
        (proj / rel).rename(proj / new)
        if "sources" in new:  # the references to the source follow it
            for path in (proj / "content").rglob("*.yaml"):
                path.write_text(path.read_text(encoding="utf-8").replace("source: rekordernte", "source: index"), encoding="utf-8")
        if "topics" in new:
            for path in (proj / "content").rglob("*.yaml"):
                path.write_text(path.read_text(encoding="utf-8").replace("topics: [ernte]", "topics: [index]"), encoding="utf-8")
    else:
        edit(proj, rel, old, new)
        for path in (proj / "content").rglob("*.yaml"):  # references follow the renamed id
            ident = old.split(": ")[1]
            text = path.read_text(encoding="utf-8")
            text = re.sub(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", new.split(": ")[1], text) if path != proj / rel else text
            path.write_text(text, encoding="utf-8")
    errors = errors_of(proj)
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize("fixture", ["mini", "mini-en"])  # the ids do not depend on the language
def test_every_id_the_pages_make_themselves_is_reserved(tmp_path, fixture):
    """Drift guard: build the fixture; every HTML id that no content gave (and that MkDocs or
    the theme did not make) must be refused as a content id - else a content id could repeat it."""
    from newsdossier.safety import generated_anchor, heading_anchor

    proj = make_project(tmp_path, fixture)
    d = core.check(proj).dossier
    content_ids = {*d.claims, *d.events, *d.figures, *d.actors, *d.terms, *d.contradictions}
    content_ids |= {f"ereignis-{e}" for e in d.events}
    content_ids |= {f"{p}-{s}" for s in d.series for p in ("reihe", "tabelle", "diagramm")}
    content_ids |= {f"diagramm-{s}-{x}" for s in d.series for x in ("title", "desc")}
    titles = {heading_anchor(t) for t in [d.meta.title, *(t.title for t in d.topics.values()),
                                          *(a.name for a in d.actors.values()), *(s.title for s in d.sources.values())]}
    site = build_project(proj)
    made = set()
    for page in site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
        made |= {i for i in ids if not i.startswith("__") and re.fullmatch(r"[a-z][a-z0-9-]*", i)}
    unreserved = sorted(i for i in made - content_ids - titles if not generated_anchor(i))
    assert unreserved == [], f"add these to safety.RESERVED_IDS or a pattern: {unreserved}"


# --- faults: the site folder ------------------------------------------------------------------

def test_the_swap_is_one_exchange_and_leftovers_are_cleaned(tmp_path, monkeypatch):
    from newsdossier import cli, sitedir

    proj = make_project(tmp_path)
    assert cli.main(["--root", str(proj), "build"]) == 0
    first = (proj / "site").stat().st_ino
    (proj / ".site-new-abc").mkdir()
    (proj / ".site-old-def").mkdir()
    (proj / ".site-old-def/site").mkdir()
    calls = []
    real = sitedir._exchange
    monkeypatch.setattr(sitedir, "_exchange", lambda a, b: calls.append((a, b)) or real(a, b))
    assert cli.main(["--root", str(proj), "build"]) == 0
    assert len(calls) == 1 and calls[0][1] == proj / "site"
    assert (proj / "site").stat().st_ino != first and (proj / "site/index.html").is_file()
    assert sorted(p.name for p in proj.iterdir() if p.name.startswith(".site")) == []


def test_where_the_kernel_cannot_exchange_an_interrupted_swap_is_repaired_by_the_next_build(tmp_path, monkeypatch):
    from newsdossier import cli, sitedir

    proj = make_project(tmp_path)
    monkeypatch.setattr(sitedir, "_exchange", lambda a, b: False)
    assert cli.main(["--root", str(proj), "build"]) == 0
    assert cli.main(["--root", str(proj), "build"]) == 0  # the fallback: two renames
    good = (proj / "site/index.html").read_bytes()
    # killed between the two renames: site/ is in .site-old-*/site
    (proj / ".site-old-x").mkdir()
    (proj / "site").rename(proj / ".site-old-x/site")
    (proj / ".site-new-y").mkdir()
    assert sitedir.recover_and_clean(proj / "site")
    assert (proj / "site/index.html").read_bytes() == good
    assert sorted(p.name for p in proj.iterdir() if p.name.startswith(".site")) == []


def test_a_second_build_into_the_same_site_is_refused_while_the_first_runs(tmp_path, capsys):
    from newsdossier import cli, sitedir

    proj = make_project(tmp_path)
    with sitedir.BuildLock(proj / "site"):
        assert cli.main(["--root", str(proj), "build"]) == 3
        err = capsys.readouterr().err
        assert f"build refused: another build into {proj / 'site'} is running (process " in err
        assert "wait for it to finish, then build again" in err
    assert cli.main(["--root", str(proj), "build"]) == 0  # released: the next build runs
    assert not (proj / ".site-build.lock").exists()


# --- faults: the preview and articles -------------------------------------------------------------

def test_direction_overrides_in_an_article_are_neutralised_and_refused_in_quotes(tmp_path):
    proj = make_project(tmp_path)
    seed = proj / "seeds/artikel.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Foto zeigt", "Foto \u202ezeigt\u202c"), encoding="utf-8")
    assert core.check(proj).ok
    site = build_project(proj, command="serve")  # the preview shows the whole article
    for page in site.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json"):
            text = page.read_text(encoding="utf-8")
            assert "\u202e" not in text and "\\u202e" not in text, page
    assert "Foto \ufffdzeigt\ufffd" in (site / "quellen/rekordernte/index.html").read_text(encoding="utf-8")
    edit(proj, "content/topics/ernte.yaml", 'quote: "Die Gemeinde Testdorf', 'quote: "Die Gemeinde \\u202eTestdorf')
    assert errors_of(proj)[0].startswith("content/topics/ernte.yaml:19:20: error: invisible control character U+202E")
