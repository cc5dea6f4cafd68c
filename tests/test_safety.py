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
