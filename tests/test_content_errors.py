"""One small fixture per error case: each edits the mini dossier in one place and checks the
exact message an editor sees (path:line:col: error: …), and that nothing else is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsdossier import core

FIXTURE = Path(__file__).parent / "fixtures" / "mini"


def project(tmp_path: Path) -> Path:
    proj = tmp_path / "p"
    shutil.copytree(FIXTURE, proj)
    return proj


def edit(proj: Path, rel: str, old: str, new: str) -> None:
    path = proj / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# (case id, file, old text, new text, expected first line of the only error, expected hint part)
CASES = [
    ("malformed-yaml", "content/topics/ernte.yaml", "order: 1\n", "order: [1\n",
     "content/topics/ernte.yaml:3:5: error: malformed YAML", ""),
    ("missing-field", "content/topics/ernte.yaml", "lead: Wie groß war die Ernte in Testdorf?\n", "",
     "content/topics/ernte.yaml:1:1: error: topic is missing the required field 'lead'", "add 'lead: …'"),
    ("unknown-field", "content/topics/ernte.yaml", "order: 1\n", "ordr: 1\n",
     "content/topics/ernte.yaml:2:1: error: unknown field 'ordr' in topic", "did you mean 'order'?"),
    ("unknown-source", "content/topics/ernte.yaml", "- source: rekordernte\n            quote: \"Die Gemeinde",
     "- source: rekordernet\n            quote: \"Die Gemeinde",
     "content/topics/ernte.yaml:18:21: error: unknown source 'rekordernet'", "did you mean 'rekordernte'?"),
    ("unknown-actor", "content/topics/ernte.yaml", "by: [beispiel]", "by: [beispeil]",
     "content/topics/ernte.yaml:15:14: error: unknown actor 'beispeil'", "did you mean 'beispiel'?"),
    ("unknown-topic", "content/events/chronik.yaml", "topics: [ernte]\n  places", "topics: [ernten]\n  places",
     "content/events/chronik.yaml:4:12: error: unknown topic 'ernten'", "did you mean 'ernte'?"),
    ("unknown-claim", "content/dossier.yaml", "claims: [ernte-verband]", "claims: [ernte-verbnd]",
     "content/dossier.yaml:10:14: error: unknown claim 'ernte-verbnd'", "did you mean 'ernte-verband'?"),
    ("duplicate-id", "content/events/chronik.yaml", "- id: rekordmeldung", "- id: erntebeginn",
     "content/events/chronik.yaml:9:7: error: duplicate event id 'erntebeginn' (first defined at content/events/chronik.yaml:1:7)",
     "rename"),
    ("duplicate-claim-id", "content/topics/ernte.yaml", "      - id: ernte-verband\n",
     "      - id: ernte-gemeinde\n        text: Doppelt.\n        status: berichtet\n"
     "        cite: [{source: rekordernte, quote: \"Ein Foto zeigt volle Kisten.\"}]\n      - id: ernte-verband\n",
     "content/topics/ernte.yaml:20:13: error: duplicate claim id 'ernte-gemeinde' (first defined at content/topics/ernte.yaml:13:13)",
     "rename"),
    ("impossible-date", "content/events/chronik.yaml", '"2024-09?"', '"2024-02-30"',
     "content/events/chronik.yaml:10:9: error: impossible date '2024-02-30': Februar 2024 has 29 days", "drop the day"),
    ("quote-not-found", "content/topics/ernte.yaml", "1200 Tonnen Äpfel geerntet.\"", "1300 Tonnen Äpfel geerntet.\"",
     "content/topics/ernte.yaml:19:20: error: quote for source 'rekordernte' not found in seeds/artikel.txt",
     "copy the passage exactly"),
    ("quote-ambiguous", "content/figures/ernte.yaml", 'quote: "auf nur 900 Tonnen"', 'quote: "Tonnen"',
     "content/figures/ernte.yaml:18:16: error: quote for source 'rekordernte' occurs 2 times (¶1, ¶2)",
     "quote more words"),
    ("quote-in-furniture", "content/figures/ernte.yaml", 'quote: "auf nur 900 Tonnen"', 'quote: "© Testagentur"',
     "content/figures/ernte.yaml:18:16: error: quote for source 'rekordernte' stands in page furniture (image, line 17)", ""),
    ("unsafe-id", "content/events/chronik.yaml", "- id: erntebeginn", "- id: ../etc",
     "content/events/chronik.yaml:1:7: error: id '../etc' is not a safe slug (it becomes part of a URL)", "lower-case"),
    ("upper-case-id", "content/events/chronik.yaml", "- id: erntebeginn", "- id: ErnteBeginn",
     "content/events/chronik.yaml:1:7: error: id 'ErnteBeginn' is not a safe slug", "e.g. 'erntebeginn'"),
    ("html-in-text", "content/topics/ernte.yaml", "title: Die Ernte", "title: Die <script>alert(1)</script> Ernte",
     "content/topics/ernte.yaml:1:8: error: HTML is not allowed in text fields", ""),
    ("html-in-markdown", "content/dossier.yaml", "Ein Dossier über eine *Rekordernte*.", "Ein <img src=x onerror=alert(1)> Dossier.",
     "content/dossier.yaml:4:7: error: raw HTML is not allowed in Markdown fields", ""),
    ("javascript-link", "content/dossier.yaml", "Ein Dossier über eine *Rekordernte*.", "Ein [Dossier](javascript:alert(1)).",
     "content/dossier.yaml:4:17: error: link target 'javascript:alert(1)' is not allowed", "https://"),
    ("unsafe-seed-path", "content/sources/rekordernte.yaml", "file: artikel.txt", "file: ../../etc/passwd",
     "content/sources/rekordernte.yaml:1:7: error: '../../etc/passwd' is not a plain file name in seeds/", ""),
    ("wrong-type", "content/figures/ernte.yaml", "value: 1200", "value: 1.200 Tonnen",
     "content/figures/ernte.yaml:6:12: error: expected a number, found text", "12000"),
    ("german-thousands-separator", "content/figures/ernte.yaml", "value: 1200", "value: 1.200",
     "content/figures/ernte.yaml:6:12: error: expected a number, found text", "12000 (not 12.000)"),
    ("bad-enum", "content/topics/ernte.yaml", "status: umstritten", "status: umstriten",
     "content/topics/ernte.yaml:23:17: error: 'umstriten' is not one of:", "did you mean 'umstritten'?"),
    ("furniture-missing", "content/sources/rekordernte.yaml", '{line: "Auch interessant", kind: related}',
     '{line: "Auch uninteressant", kind: related}',
     "content/sources/rekordernte.yaml:14:12: error: furniture line not found as a whole line in the article",
     "„Auch interessant“"),
    ("inferred-but-unknown", "content/sources/rekordernte.yaml", "published: \"2024-09\"\n",
     "published: \"2024-09\"\ninferred: [publisher]\n",
     "content/sources/rekordernte.yaml:5:11: error: 'publisher' is listed as inferred but is unknown (null)", "remove"),
    ("inferred-without-evidence", "content/sources/rekordernte.yaml", "published: \"2024-09\"\n",
     "published: \"2024-09\"\nauthor: Kürzel „ab“\ninferred: [author]\n",
     "content/sources/rekordernte.yaml:6:11: error: inferred 'author' has no evidence saying how it was inferred",
     "about: author"),
    ("unsupported-statement", "content/topics/ernte.yaml", "  - text: Die Gemeinde meldet einen Rekord.\n    claims: [ernte-gemeinde]\n",
     "  - text: Die Gemeinde meldet einen Rekord.\n",
     "content/topics/ernte.yaml:5:5: error: this statement rests on nothing", "claims"),
]


@pytest.mark.parametrize("case, rel, old, new, expected, hint", [c for c in CASES if c[4]], ids=[c[0] for c in CASES if c[4]])
def test_each_error_names_file_line_column_and_a_fix(tmp_path, case, rel, old, new, expected, hint):
    proj = project(tmp_path)
    edit(proj, rel, old, new)
    result = core.check(proj)
    errors = result.errors
    assert len(errors) == 1, "\n".join(p.format() for p in errors)
    text = errors[0].format()
    assert text.startswith(expected), text
    assert hint in errors[0].hint or hint in text
    assert errors[0].hint, "every error carries a hint"


def test_quote_not_found_shows_the_closest_passage(tmp_path):
    proj = project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "1200 Tonnen Äpfel geerntet.\"", "1300 Tonnen Äpfel geerntet.\"")
    [err] = core.check(proj).errors
    assert "closest passage (¶1, line 8" in err.format()
    assert "„Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet." in err.format()


def test_every_error_is_reported_in_one_run(tmp_path):
    proj = project(tmp_path)
    edit(proj, "content/topics/ernte.yaml", "by: [beispiel]", "by: [beispeil]")
    edit(proj, "content/events/chronik.yaml", '"2024-09?"', '"2024-02-30"')
    edit(proj, "content/figures/ernte.yaml", "value: 1200", "value: zwölfhundert")
    edit(proj, "content/sources/rekordernte.yaml", "file: artikel.txt", "file: fehlt.txt")
    edit(proj, "content/glossary/glossar.yaml", "- id: tonne", "- id: tonne\n  term: x\n- id: tonne")
    (proj / "content" / "glossary" / "kaputt.yaml").write_text("- id: x\n  term: [unclosed\n", encoding="utf-8")
    errors = core.check(proj).errors
    paths = sorted({e.pos.path for e in errors})
    assert paths == ["content/events/chronik.yaml", "content/figures/ernte.yaml", "content/glossary/glossar.yaml",
                     "content/glossary/kaputt.yaml", "content/sources/rekordernte.yaml", "content/topics/ernte.yaml"]
    assert len(errors) >= 6


def test_a_broken_file_does_not_cascade_into_unknown_id_errors(tmp_path):
    proj = project(tmp_path)
    (proj / "content" / "actors" / "akteure.yaml").write_text("- id: x\n  name: [unclosed\n", encoding="utf-8")
    result = core.check(proj)
    assert [e.pos.path for e in result.errors] == ["content/actors/akteure.yaml"]
    [w] = result.warnings
    assert "references to actor ids not checked" in w.message and w.pos.path == "content/actors/akteure.yaml"


def test_broken_seed_encoding_names_the_byte(tmp_path):
    proj = project(tmp_path)
    (proj / "seeds" / "artikel.txt").write_bytes((proj / "seeds" / "artikel.txt").read_bytes().replace("Äpfel".encode(), b"\xc4pfel"))
    errors = core.check(proj).errors
    assert errors[0].format().startswith("seeds/artikel.txt:8:")
    assert "not valid UTF-8: byte 0xc4" in errors[0].message


def test_unannotated_seed_is_a_warning_with_the_command_to_fix_it(tmp_path):
    proj = project(tmp_path)
    (proj / "seeds" / "neu.txt").write_text("Neuer Artikel\n\nText.\n", encoding="utf-8")
    result = core.check(proj)
    assert result.ok
    [w] = result.warnings
    assert w.format().startswith("seeds/neu.txt: warning: article has no source file")
    assert "dossier new-source seeds/neu.txt" in w.hint


def test_stray_files_in_content_are_reported(tmp_path):
    proj = project(tmp_path)
    (proj / "content" / "topic").mkdir()
    (proj / "content" / "topic" / "x.yaml").write_text("title: x\n", encoding="utf-8")
    (proj / "content" / "events" / "mehr.yml").write_text("[]\n", encoding="utf-8")
    msgs = [e.format() for e in core.check(proj).errors]
    assert any(m.startswith("content/topic/x.yaml: error: this file is in no content folder") and "did you mean 'topics'?" in m for m in msgs)
    assert any(m.startswith("content/events/mehr.yml: error: content files end in .yaml") for m in msgs)
