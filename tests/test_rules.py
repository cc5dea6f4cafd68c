"""Editorial rules a dossier switches on in dossier.yaml ('checks:'), see newsdossier/rules.py.

One fixture per rule in tests/fixtures/rules/<rule>/: the files it holds replace the mini
dossier's (a 'checks:' mapping that switches on that one rule, and the one defect the rule
must find). Each test checks the exact message an editor sees and that nothing else is
reported; switched off, the same fixture checks clean.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES
from newsdossier import core, schemas
from newsdossier.coverage import NUMBER
from newsdossier.rules import RULES
from test_content_errors import edit


def project(tmp_path: Path, rule: str | None = None) -> Path:
    proj = tmp_path / "p"
    shutil.copytree(FIXTURES / "mini", proj)
    if rule:
        shutil.copytree(FIXTURES / "rules" / rule, proj, dirs_exist_ok=True)
    return proj


def problems(proj: Path) -> list[str]:
    return [p.format() for p in core.check(proj).problems]


# (rule, the only problem's first line, part of its hint)
CASES = [
    ("paragraphs-cited",
     "seeds/artikel.txt:12:1: error: ¶3 of source 'rekordernte' is cited by no claim, event or figure (rule 'paragraphs-cited')",
     "belongs in 'furniture:'"),
    ("numbers-cited",
     "seeds/artikel.txt:14:56: error: number 40 in ¶3 of source 'rekordernte' is cited by no claim, event or figure "
     "(rule 'numbers-cited')",
     "this very occurrence"),
    ("event-after-report",
     "content/events/chronik.yaml:19:9: error: event 'verkauf' is dated November 2024, after the newest article that "
     "reports it ('rekordernte', September 2024): the chronology shows it as having happened (rule 'event-after-report')",
     "date it when it was made"),
    ("confirmed-needs-sources",
     "content/topics/ernte.yaml:16:17: error: claim 'ernte-gemeinde' is 'bestaetigt' but rests on 1 article (rekordernte); "
     "this dossier asks for at least 2 (rule 'confirmed-needs-sources')",
     "one outlet's word is 'berichtet'"),
    ("confirmed-not-one-party",
     "content/topics/ernte.yaml:16:17: error: claim 'ernte-gemeinde' is 'bestaetigt' but is the word of one party "
     "('beispiel') (rule 'confirmed-not-one-party')",
     "however many articles repeat it"),
    ("confirmed-not-contradicted",
     "content/contradictions/streit.yaml:7:15: error: claim 'ernte-gemeinde' is 'bestaetigt' but stands on a side of "
     "contradiction 'erntemenge' (rule 'confirmed-not-contradicted')",
     "take it off this side"),
    ("avoid-words",
     "content/topics/ernte.yaml:21:15: warning: 'behauptet' in claim 'ernte-verband': this dossier avoids the word in its "
     "own sentences (rule 'avoid-words')",
     "quote the source's own word"),
    ("names-have-actors",
     "content/dossier.yaml:16:3: error: the articles name Testagentur, who has no actor entry (rule 'names-have-actors')",
     "add an actor with name: Testagentur"),
]


def test_every_rule_has_a_fixture_and_a_case():
    assert sorted(p.name for p in (FIXTURES / "rules").iterdir()) == sorted(RULES) == sorted(c[0] for c in CASES)


def test_the_mini_dossier_passes_every_rule(tmp_path):
    proj = project(tmp_path)
    with open(proj / "content/dossier.yaml", "a", encoding="utf-8") as f:
        f.write("checks:\n" + "".join(f"  {name}: true\n" for name in RULES))
    assert problems(proj) == []


@pytest.mark.parametrize("rule, first, hint", CASES, ids=[c[0] for c in CASES])
def test_a_rule_reports_its_defect_where_it_is(tmp_path, rule, first, hint):
    found = problems(project(tmp_path, rule))
    assert len(found) == 1, found
    assert found[0].split("\n")[0] == first
    assert "hint: " in found[0] and hint in found[0]


@pytest.mark.parametrize("rule", [c[0] for c in CASES])
def test_a_rule_switched_off_reports_nothing(tmp_path, rule):
    proj = project(tmp_path, rule)
    text = (proj / "content/dossier.yaml").read_text(encoding="utf-8")
    (proj / "content/dossier.yaml").write_text(text.split("checks:")[0] + f"checks:\n  {rule}: off\n", encoding="utf-8")
    assert problems(proj) == []


def test_rules_stay_silent_while_the_content_has_errors(tmp_path):
    """An unresolved quote would leave its paragraph 'uncited': report the quote only."""
    proj = project(tmp_path, "paragraphs-cited")
    edit(proj, "content/topics/ernte.yaml", "1200 Tonnen Äpfel geerntet.\"", "1300 Tonnen Äpfel geerntet.\"")
    found = problems(proj)
    assert len(found) == 1 and "quote for source 'rekordernte' not found" in found[0]


def test_numbers_cited_finds_each_occurrence_and_its_column(tmp_path):
    """A number cited once is uncited where it stands again; the column is the seed's."""
    proj = project(tmp_path, "numbers-cited")
    edit(proj, "seeds/artikel.txt", "Ein Foto zeigt 40 volle Kisten.", "Ein Foto zeigt volle Kisten, 1200 Tonnen.")
    [found] = problems(proj)
    line = (proj / "seeds/artikel.txt").read_text(encoding="utf-8").split("\n")[13]
    assert found.startswith(f"seeds/artikel.txt:14:{line.index('1200') + 1}: error: number 1200 in ¶3")


def test_number_pattern_reads_german_figures():
    assert NUMBER.findall("1,2 Millionen, 10.000 Mann, 152-mm und 1. November") == ["1,2", "10.000", "152", "1"]


def test_event_after_report_also_checks_when_a_claim_was_stated(tmp_path):
    proj = project(tmp_path)
    with open(proj / "content/dossier.yaml", "a", encoding="utf-8") as f:
        f.write("checks:\n  event-after-report: true\n")
    edit(proj, "content/topics/ernte.yaml", "        by: [beispiel]\n", "        by: [beispiel]\n        stated: \"2024-10-02\"\n")
    [found] = problems(proj)
    assert found.startswith("content/topics/ernte.yaml:16:17: error: claim 'ernte-gemeinde' is said to be stated "
                            "2. Oktober 2024, after the newest article that reports it ('rekordernte', September 2024)")


def test_event_after_report_cannot_judge_an_article_without_a_latest_day(tmp_path):
    """'frühestens …' has no newest day: nothing can be said to come after it."""
    proj = project(tmp_path, "event-after-report")
    edit(proj, "content/sources/rekordernte.yaml", 'published: "2024-09"', 'published: "2024-09/.."')
    assert problems(proj) == []


def test_confirmed_needs_sources_takes_its_threshold(tmp_path):
    proj = project(tmp_path, "confirmed-needs-sources")
    edit(proj, "content/dossier.yaml", "confirmed-needs-sources: 2", "confirmed-needs-sources: {level: warning, min_sources: 1}")
    assert problems(proj) == []


def test_avoid_words_ignores_quoted_words_and_an_empty_list(tmp_path):
    proj = project(tmp_path, "avoid-words")
    assert len(problems(proj)) == 1  # „behauptet“ in quotes is the source's word
    edit(proj, "content/dossier.yaml", "words: [behauptet]", "words: []")
    assert problems(proj) == []


@pytest.mark.parametrize("old, new, message", [
    ("Testagentur: [Testagentur]", "Verband: [Bauernverband, Bauernhof]",
     "'Bauernhof' (listed for Verband) stands in no article"),
    ("Testagentur: [Testagentur]", "Bürgermeisterin: [Anna Beispiel, Bauernverband]",
     "the spellings of Bürgermeisterin belong to different actors ('anna beispiel' → beispiel, 'bauernverband' → bauernverband)"),
], ids=["spelling-not-in-article", "two-actors"])
def test_names_have_actors_checks_the_list_itself(tmp_path, old, new, message):
    proj = project(tmp_path, "names-have-actors")
    edit(proj, "content/dossier.yaml", old, new)
    found = problems(proj)
    assert len(found) == 1 and message in found[0], found


@pytest.mark.parametrize("setting, first, hint", [
    ("paragraph-cited: true", "content/dossier.yaml:16:3: error: unknown rule 'paragraph-cited' in checks",
     "did you mean 'paragraphs-cited'?"),
    ("paragraphs-cited: maybe", "content/dossier.yaml:16:21: error: rule 'paragraphs-cited': expected true, false, error, "
     "warning or off, found text", "paragraphs-cited: true"),
    ("confirmed-needs-sources: 0", "content/dossier.yaml:16:28: error: rule 'confirmed-needs-sources': 'min_sources' must "
     "be a whole number of at least 1, found 0", "different articles"),
    ("confirmed-needs-sources: {min_source: 2}", "content/dossier.yaml:16:28: error: rule 'confirmed-needs-sources' has no "
     "setting 'min_source'", "did you mean 'min_sources'?"),
    ("numbers-cited: {level: loud}", "content/dossier.yaml:16:18: error: level 'loud' of rule 'numbers-cited' is not one "
     "of: error, warning, off", "error, warning or off"),
    ("avoid-words: {words: behauptet}", "content/dossier.yaml:16:16: error: rule 'avoid-words': 'words' must be a list of "
     "words", "words: ["),
], ids=["unknown-rule", "bad-value", "bad-threshold", "unknown-setting", "bad-level", "words-not-a-list"])
def test_a_bad_setting_is_a_content_error_with_a_hint(tmp_path, setting, first, hint):
    proj = project(tmp_path)
    with open(proj / "content/dossier.yaml", "a", encoding="utf-8") as f:
        f.write(f"checks:\n  {setting}\n")
    found = problems(proj)
    assert len(found) == 1, found
    assert found[0].split("\n")[0] == first
    assert hint in found[0]


def test_the_editor_schema_knows_every_rule_and_its_forms():
    validator = jsonschema.Draft202012Validator(json.loads(schemas.render_all()["dossier.schema.json"]))
    ok = {"title": "t", "lead": "l", "checks": {"paragraphs-cited": True, "numbers-cited": "warning",
                                                "confirmed-needs-sources": 2, "avoid-words": {"level": "off", "words": ["x"]},
                                                "names-have-actors": {"names": {"A": ["A"]}}}}
    assert not list(validator.iter_errors(ok))
    for bad in [{"paragraph-cited": True}, {"numbers-cited": "loud"}, {"confirmed-needs-sources": 0}]:
        assert list(validator.iter_errors({"title": "t", "lead": "l", "checks": bad})), bad


def test_every_rule_is_documented_for_editors():
    from conftest import ROOT

    doc = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    assert [name for name in RULES if f"| `{name}` |" not in doc] == []
