"""Editorial completeness of the real dossier (issue: annotate all five articles).

* every number in an article body is covered by a citation of a claim, event or figure;
* every person, organisation, state and medium the articles name has an actor entry, and a
  claim that names one can be traced to it.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from newsdossier import core
from newsdossier.coverage import NUMBER, coverage, uncovered_numbers


@pytest.fixture(scope="module")
def dossier():
    result = core.check(ROOT)
    assert result.ok, "\n".join(p.format() for p in result.errors)
    return result.dossier


def test_every_number_in_an_article_body_is_cited(dossier):
    missing = [u.format() for u in uncovered_numbers(dossier)]
    assert missing == [], "\n".join(missing)


def test_number_check_notices_an_uncited_number(tmp_path):
    """The check itself can fail: the mini fixture's photo sentence gets a number nobody cites."""
    import shutil

    proj = tmp_path / "p"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", proj)
    seed = proj / "seeds" / "artikel.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Ein Foto zeigt volle Kisten.", "Ein Foto zeigt 40 volle Kisten."), encoding="utf-8")
    [u] = uncovered_numbers(core.check(proj).dossier)
    assert u.number == "40" and u.path == "seeds/artikel.txt" and u.line == 14
    assert u.format().startswith("seeds/artikel.txt:14: number 40 in ¶3 is cited by no claim")


def test_number_pattern_reads_german_figures():
    assert NUMBER.findall("1,2 Millionen, 10.000 Mann, 152-mm und 1. November") == ["1,2", "10.000", "152", "1"]


def test_every_paragraph_is_cited_at_least_once(dossier):
    rows = coverage(dossier)
    assert len(rows) == 5
    assert {r.source: r.uncited for r in rows if r.uncited} == {}


# Names as the five articles spell them (read from seeds/; variants are other spellings of the
# same actor). The first test keeps this list honest: each spelling must stand in a seed.
NAMED_IN_ARTICLES = {
    "Putin": ["Wladimir Putin", "Putin"],
    "Kim Jong-un": ["Kim Jong-un", "Kim Jong Un"],
    "Kim Yo Jong": ["Kim Yo Jong"],
    "Selenskyj": ["Wolodymyr Selenskyj", "Selenskyj"],
    "Cancian": ["Mark F. Cancian", "Cancian"],
    "Cha": ["Victor Cha"],
    "Remmel": ["Hendrik Remmel"],
    "Budanow": ["Kyrylo Budanow"],
    "Yoon": ["Yoon Suk Yeol"],
    "Kovalenko": ["Andrii Kovalenko"],
    "Gladkow": ["Wjatscheslaw Gladkow"],
    "Lammy": ["David Lammy"],
    "Madden": ["Michael Madden"],
    "Kuzan": ["Serhij Kuzan"],
    "Austin": ["Lloyd Austin"],
    "Tikhonov": ["Vladimir Tikhonov"],
    "Pak Jong Chon": ["Pak Jong Chon"],
    "Ryder": ["Pat Ryder"],
    "Lopez": ["George Lopez"],
    "Weißes Haus": ["Weiße Haus"],
    "Pentagon": ["Pentagon"],
    "CSIS": ["CSIS"],
    "GIDS": ["GIDS"],
    "Stimson Center": ["Stimson Center"],
    "NK News": ["NK News"],
    "BBC": ["BBC"],
    "Bloomberg": ["Bloomberg"],
    "AFP": ["AFP"],
    "Kyiv Post": ["Kyiv Post"],
    "Express": ["„Express“"],
    "Tagesspiegel": ["Tagesspiegel"],
    "Prjamoi": ["Prjamoi"],
    "Nato": ["Nato"],
    "südkoreanischer Geheimdienst": ["südkoreanischen Geheimdienst"],
    "ukrainischer Militärgeheimdienst": ["ukrainischen Militärgeheimdienstes"],
    "11. Korps": ["11. Korps"],
}


@pytest.fixture(scope="module")
def seeds_text():
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


def _actor_words(dossier):
    words = {}
    for a in dossier.actors.values():
        for n in [a.name, *a.aliases]:
            words[n.lower()] = a.id
    return words


def _has_actor(dossier, spellings):
    names = _actor_words(dossier)
    for s in spellings:
        s = s.strip("„“").lower()
        if s in names or any(s in n or n in s for n in names if len(n) >= 3):
            return True
    return False


def test_the_name_list_matches_the_articles(seeds_text):
    missing = [s for spellings in NAMED_IN_ARTICLES.values() for s in spellings if s not in seeds_text]
    assert missing == []


def test_everyone_the_articles_name_has_an_actor_entry(dossier):
    # the key is the base form (German inflects: "das Weiße Haus" / actor "Weißes Haus")
    missing = [key for key, spellings in NAMED_IN_ARTICLES.items() if not _has_actor(dossier, [key, *spellings])]
    assert missing == []


def test_every_actor_named_in_a_claim_has_an_entry(dossier):
    problems = []
    for c in dossier.claims.values():
        for key, spellings in NAMED_IN_ARTICLES.items():
            surname = spellings[0].strip("„“").split()[-1]
            if re.search(rf"(?<!\w){re.escape(surname)}", c.text) and not _has_actor(dossier, [key, *spellings]):
                problems.append(f"{c.pos}: claim '{c.id}' names {key}, who has no actor entry")
    assert problems == []


def test_transliteration_variants_are_one_actor(dossier):
    names = _actor_words(dossier)
    assert names.get("kim jong-un") == names.get("kim jong un") is not None
