"""The dossier's history: update dates, "Was ist neu", claim histories, corrections, the Atom
feed - built from a scripted git history in tmp_path (commits with fixed dates)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from newsdossier import history
from conftest import build_project, make_project

GIT_ENV = {"GIT_AUTHOR_NAME": "Redaktion", "GIT_AUTHOR_EMAIL": "red@example.org", "GIT_COMMITTER_NAME": "Redaktion",
           "GIT_COMMITTER_EMAIL": "red@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
TOPIC = "content/topics/ernte.yaml"


def git(proj: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    return subprocess.run(["git", *args], cwd=proj, env=env, check=True, capture_output=True, text=True).stdout


def commit(proj: Path, message: str, date: str) -> str:
    git(proj, "add", "-A", "content", "seeds")
    git(proj, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(proj, "rev-parse", "HEAD").strip()


def edit(proj: Path, path: str, old: str, new: str) -> None:
    p = proj / path
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW_CLAIM = """      - id: ernte-neu
        text: Die Gemeinde nennt 1200 Tonnen einen Rekord.
        by: [beispiel]
        status: berichtet
        cite:
          - source: rekordernte
            quote: "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."
"""


def scripted(proj: Path) -> dict[str, str]:
    """Six commits: the dossier, a status change with a note, a new claim, a wording fix, a
    correction, a reformatting. Returns their hashes by name."""
    git(proj, "init", "-q", "-b", "main")
    shas = {"start": commit(proj, "Dossier angelegt", "2026-03-01T10:00:00+01:00")}
    edit(proj, TOPIC, "status: berichtet", "status: bestaetigt")
    shas["status"] = commit(proj, "Gemeinde-Zahl bestätigt\n\nDossier-Notiz: Der Verband hat die Zahl inzwischen bestätigt.",
                            "2026-03-05T09:30:00+01:00")
    edit(proj, TOPIC, "      - id: ernte-verband\n", NEW_CLAIM + "      - id: ernte-verband\n")
    shas["claim"] = commit(proj, "Neue Aussage", "2026-03-10T12:00:00+01:00")
    edit(proj, TOPIC, "Laut Gemeinde wurden 1200", "Laut der Gemeinde wurden 1200")
    shas["wording"] = commit(proj, "Formulierung", "2026-03-11T12:00:00+01:00")
    edit(proj, TOPIC, "schätzt die Ernte auf 900 Tonnen.", "schätzt die Ernte auf nur 900 Tonnen.")
    shas["correction"] = commit(proj, "Korrektur Verband\n\nDossier-Korrektur: Der Verband nannte die 900 Tonnen als "
                                "Untergrenze, nicht als Schätzung.\nDossier-Betrifft: ernte-verband",
                                "2026-03-15T08:00:00+01:00")
    edit(proj, TOPIC, "title: Die Ernte\n", "# Kommentar\ntitle:   Die Ernte\n")
    shas["format"] = commit(proj, "Nur Formatierung", "2026-03-20T08:00:00+01:00")
    return shas


@pytest.fixture
def scripted_proj(tmp_path) -> tuple[Path, dict[str, str]]:
    p = make_project(tmp_path, "mini")
    return p, scripted(p)


@pytest.fixture
def proj(scripted_proj) -> Path:
    return scripted_proj[0]


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def claim_li(html_text: str, cid: str) -> str:
    m = re.search(rf'<li class="dossier-claim" id="{cid}">.*?</li>', html_text, re.S)
    assert m, cid
    return m.group(0)


def date_modified(html_text: str) -> str:
    """The page's JSON-LD dateModified."""
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html_text, re.S)
    assert m, "no JSON-LD"
    return json.loads(m.group(1))["dateModified"]


def updated(html_text: str) -> str:
    m = re.search(r'class="dossier-updated">Zuletzt aktualisiert: <time datetime="([0-9-]+)">', html_text)
    assert m, "no 'Zuletzt aktualisiert' line"
    return m.group(1)


def test_pages_changes_claims_corrections_and_feed(scripted_proj):
    proj, shas = scripted_proj
    site = build_project(proj)
    topic = page(site, "themen/ernte")
    # the topic changed last with the correction; the glossary never changed after the start
    assert updated(topic) == "2026-03-15"
    assert updated(page(site, "glossar")) == "2026-03-01"
    # the linked data says the page's own date, not the dossier's newest source (2024-09)
    assert date_modified(topic) == "2026-03-15" and date_modified(page(site, "glossar")) == "2026-03-01"
    assert date_modified((site / "index.html").read_text(encoding="utf-8")) == updated((site / "index.html").read_text(encoding="utf-8"))
    assert updated(page(site, "chronologie")) == "2026-03-01"
    # the claim's history: since the start, the status sequence with dates
    li = claim_li(topic, "ernte-gemeinde")
    text = re.sub(r"<[^>]+>", "", li)
    assert "Im Dossier seit 1. März 2026" in text
    assert "Einstufung: Berichtet (1. März 2026) → Bestätigt (5. März 2026)" in text
    assert "Im Dossier seit 10. März 2026" in re.sub(r"<[^>]+>", "", claim_li(topic, "ernte-neu"))
    # the correction on the page concerned, with before and after and a link to the list
    box = re.search(r'<section class="dossier-corrections".*?</section>', topic, re.S).group(0)
    assert "Korrigiert am <time datetime=\"2026-03-15\">15. März 2026</time>" in box
    assert "Untergrenze, nicht als Schätzung" in box
    assert "Vorher: „Der Bauernverband schätzt die Ernte auf 900 Tonnen.“" in box
    assert "Jetzt: „Der Bauernverband schätzt die Ernte auf nur 900 Tonnen.“" in box
    assert f'href="../../korrekturen/#aenderung-{shas["correction"][:12]}"' in box
    assert "korrigiert am 15. März 2026" in claim_li(topic, "ernte-verband")
    assert "dossier-corrections" not in page(site, "glossar")
    # "Was ist neu": newest first, each change linked; wording and formatting left out
    news = page(site, "was-ist-neu")
    ids = re.findall(r'class="dossier-change[^"]*" id="aenderung-([0-9a-f]{12})"', news)
    assert ids == [shas[k][:12] for k in ("correction", "claim", "status", "start")]
    status = re.search(rf'id="aenderung-{shas["status"][:12]}".*?</div>', news, re.S).group(0)
    assert "Einstufung geändert: Berichtet → Bestätigt" in status
    assert 'href="../themen/ernte/#ernte-gemeinde"' in status
    assert "Der Verband hat die Zahl inzwischen bestätigt." in status
    assert 'Neue Aussage</span>: <a href="../themen/ernte/#ernte-neu">' in news
    assert "Laut der Gemeinde" not in news  # the wording fix is not in the log
    assert updated(news) == "2026-03-15"
    corrections = page(site, "korrekturen")
    assert f'id="aenderung-{shas["correction"][:12]}"' in corrections and "Untergrenze" in corrections
    assert "Einstufung geändert" not in corrections
    # the feed: valid Atom, linked from every page's head, one entry per logged commit
    feed = feedparser.parse((site / "was-ist-neu.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [e.id for e in feed.entries] == [history.feed_uuid("newsdossier:change:" + shas[k])
                                            for k in ("correction", "claim", "status", "start")]
    assert feed.entries[0].updated == "2026-03-15T08:00:00+01:00"
    assert feed.entries[0].link == f"was-ist-neu/#aenderung-{shas['correction'][:12]}"
    assert feed.entries[0].tags[0].term == "korrektur"
    assert "Einstufung geändert: Berichtet → Bestätigt" in feed.entries[2].title
    assert 'href="themen/ernte/#ernte-gemeinde"' in feed.entries[2].content[0].value
    for html_file in site.rglob("*.html"):
        if html_file.name != "404.html":
            assert 'type="application/atom+xml"' in html_file.read_text(encoding="utf-8"), html_file
    # the log repeats every version of the items' texts: the search leaves it out, not the corrections
    searched = {d["location"].split("#")[0] for d in json.loads((site / "search" / "search_index.json").read_text())["docs"]}
    assert "korrekturen/" in searched and "themen/ernte/" in searched
    assert "was-ist-neu/" not in searched


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_byte_identical_with_and_without_cache(proj):
    first = _tree(build_project(proj))
    assert list((proj / ".cache" / "dossier-history").glob("*.json"))
    assert _tree(build_project(proj)) == first  # from the cache
    shutil.rmtree(proj / ".cache")
    assert _tree(build_project(proj)) == first  # read afresh


def test_incremental_read_equals_full_read(proj, tmp_path):
    cached = history.read(proj, "content")  # cache at the sixth commit
    edit(proj, TOPIC, "status: umstritten", "status: berichtet")
    sha = commit(proj, "Verband berichtet", "2026-04-01T10:00:00+02:00")
    more = history.read(proj, "content")  # only the new commit is read
    fresh = history.read(proj, "content", cache=False)
    assert more == fresh
    assert more.commits[:-1] == cached.commits
    assert more.commits[-1].sha == sha
    assert [(c.what, c.old, c.new) for c in more.commits[-1].changes] == [("status", "umstritten", "berichtet")]


def test_trailer_mistakes_are_notices(proj):
    edit(proj, TOPIC, "lead: Wie groß war die Ernte in Testdorf?", "lead: Wie viel wurde in Testdorf geerntet?")
    commit(proj, "Titel\n\nDossier-Korektur: Tippfehler im Schlüssel\nDossier-Log: vielleicht", "2026-04-02T10:00:00+02:00")
    h = history.read(proj, "content", cache=False)
    assert any("unknown trailer 'Dossier-Korektur'" in n and "did you mean 'Dossier-Korrektur'" in n for n in h.notices)
    assert any("'Dossier-Log: vielleicht' ignored" in n for n in h.notices)
    assert not h.commits[-1].correction


def test_log_off_keeps_a_commit_out_but_dates_it(proj):
    edit(proj, TOPIC, "status: umstritten", "status: berichtet")
    sha = commit(proj, "still\n\nDossier-Log: aus", "2026-04-03T10:00:00+02:00")
    site = build_project(proj)
    assert f"aenderung-{sha[:12]}" not in page(site, "was-ist-neu")
    assert updated(page(site, "themen/ernte")) == "2026-04-03"


def test_removed_claim_is_withdrawn_and_linked_to_its_topic(proj):
    text = (proj / TOPIC).read_text(encoding="utf-8")
    (proj / TOPIC).write_text(text.replace(NEW_CLAIM, ""), encoding="utf-8")
    commit(proj, "zurückgezogen", "2026-04-04T10:00:00+02:00")
    news = page(build_project(proj), "was-ist-neu")
    assert 'Aussage zurückgezogen</span>: <a href="../themen/ernte/">Die Gemeinde nennt 1200 Tonnen einen Rekord.</a>' in news


def test_older_entries_go_to_one_archive_page_per_year(proj, monkeypatch):
    """'Was ist neu' shows the newest CHANGES_MAX entries; each older one is on its year's
    archive page, and every link to an entry (claim lines, feed) goes to the page it is on."""
    monkeypatch.setattr(history, "CHANGES_MAX", 2)
    edit(proj, TOPIC, "status: umstritten", "status: berichtet")
    late = commit(proj, "Einstufung", "2027-01-05T10:00:00+01:00")
    shas = {c.sha[:12]: c for c in history.read(proj, "content").entries()}
    site = build_project(proj)
    ids = lambda html_text: re.findall(r'class="dossier-change[^"]*" id="aenderung-([0-9a-f]{12})"', html_text)
    news, y2026 = page(site, "was-ist-neu"), page(site, "was-ist-neu/2026")
    newest = list(shas)
    assert ids(news) == newest[:2] and late.startswith(newest[0])
    assert ids(y2026) == newest[2:] and not (site / "was-ist-neu" / "2027").exists()
    assert 'Ältere Änderungen: <a href="2026/">2026</a>' in news
    assert "<h1" in y2026 and "Was ist neu: 2026" in y2026 and 'href="../">Was ist neu</a>' in y2026
    assert updated(y2026) == shas[newest[2]].iso[:10]
    # ernte-gemeinde last changed with the status commit (archived): its line links there
    li = claim_li(page(site, "themen/ernte"), "ernte-gemeinde")
    status = [k for k, c in shas.items() if "bestätigt" in (c.note or "")][0]
    assert f'href="../../was-ist-neu/2026/#aenderung-{status}"' in li
    feed = feedparser.parse((site / "was-ist-neu.xml").read_bytes())
    assert [e.link.split("#")[0] for e in feed.entries] == ["was-ist-neu/"] * 2 + ["was-ist-neu/2026/"] * 3
    # neither page is in the search index
    searched = {d["location"].split("#")[0] for d in json.loads((site / "search" / "search_index.json").read_text())["docs"]}
    assert not {"was-ist-neu/", "was-ist-neu/2026/"} & searched


def test_section_titles_date_the_topic_but_stay_out_of_the_log(proj):
    edit(proj, TOPIC, "  - title: Zahlen\n", "  - title: Die Zahlen\n")
    sha = commit(proj, "Abschnitt umbenannt", "2026-04-02T10:00:00+02:00")
    site = build_project(proj)
    topic = page(site, "themen/ernte")
    assert updated(topic) == "2026-04-02" == date_modified(topic)
    assert updated(page(site, "glossar")) == "2026-03-01"
    assert f"aenderung-{sha[:12]}" not in page(site, "was-ist-neu")
    changes = [c for c in history.read(proj, "content", cache=False).commits if c.sha == sha][0].changes
    assert [(c.key, c.field, c.wording) for c in changes] == [("topic:ernte", "sections", True)]


def test_a_cache_of_another_version_is_not_used(proj):
    first = history.read(proj, "content")
    cached = sorted((proj / history.CACHE_DIR).glob("*.json"))
    assert cached
    for path in cached:  # as an older generator wrote them (what it found is of no use now)
        data = json.loads(path.read_text(encoding="utf-8"))
        data["version"] = history.CACHE_VERSION - 1
        if "commits" in data:
            data["commits"] = []
        path.write_text(json.dumps(data), encoding="utf-8")
    edit(proj, TOPIC, "  - title: Zahlen\n", "  - title: Die Zahlen\n")
    commit(proj, "Abschnitt umbenannt", "2026-04-02T10:00:00+02:00")
    again = history.read(proj, "content")
    assert again.commits[:-1] == first.commits
    assert [c.field for c in again.commits[-1].changes] == ["sections"]
    assert json.loads(cached[0].read_text(encoding="utf-8"))["version"] == history.CACHE_VERSION


def test_shallow_clone_builds_without_history(proj, tmp_path, caplog):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{proj}", str(clone))
    shutil.copy(proj / "mkdocs.yml", clone / "mkdocs.yml")
    shutil.copytree(proj / "site_theme", clone / "site_theme")
    with caplog.at_level(logging.INFO):
        site = build_project(clone)  # strict: an info line, no warning
    assert any("flacher Klon" in r.getMessage() and "history: required" in r.getMessage() for r in caplog.records)
    assert not (site / "was-ist-neu").exists() and not (site / "was-ist-neu.xml").exists()
    assert "application/atom+xml" not in page(site, "themen/ernte")
    assert date_modified(page(site, "themen/ernte")) == "2024-09-01"  # without a history: the newest source (2024-09)
    assert "dossier-claim__history" not in page(site, "themen/ernte")
    # the fallback date: SOURCE_DATE_EPOCH when set, else the newest content file
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", updated(page(site, "themen/ernte")))


@pytest.mark.expect_warnings
def test_history_required_makes_a_missing_history_a_warning(tmp_path, no_unexpected_warnings, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729251300")
    proj = make_project(tmp_path, "mini")  # no git repository at all
    cfg = proj / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - dossier\n", "  - dossier:\n      history: required\n"),
                   encoding="utf-8")
    site = build_project(proj, strict=False)
    messages = [r.getMessage() for r in no_unexpected_warnings.records]
    assert any("Keine Versionsgeschichte" in m and "kein git-Checkout" in m for m in messages)
    assert updated(page(site, "themen/ernte")) == "2024-10-18"  # SOURCE_DATE_EPOCH's day


def test_missing_git_builds_without_history(tmp_path, monkeypatch, caplog):
    proj = make_project(tmp_path, "mini")
    git(proj, "init", "-q")
    commit(proj, "x", "2026-03-01T10:00:00+01:00")
    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(history.Unavailable, match="git ist nicht installiert"):
        history.read(proj, "content")
    with caplog.at_level(logging.INFO):
        site = build_project(proj)
    assert any("git ist nicht installiert" in r.getMessage() for r in caplog.records)
    assert not (site / "was-ist-neu.xml").exists()


def test_history_off_adds_nothing(proj):
    cfg = proj / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - dossier\n", "  - dossier:\n      history: off\n"),
                   encoding="utf-8")
    site = build_project(proj)
    assert "dossier-updated" not in page(site, "themen/ernte")
    assert not (site / "was-ist-neu").exists()


@pytest.mark.parametrize(("old", "new", "wording"), [
    ("Laut Gemeinde wurden 1200 Tonnen geerntet.", "Laut der Gemeinde wurden 1200 Tonnen geerntet.", True),
    ("Die Ernte war groß.", "die Ernte war groß", True),
    ("Laut Gemeinde wurden 1200 Tonnen geerntet.", "Laut Gemeinde wurden 1300 Tonnen geerntet.", False),
    ("Die Gemeinde hat die Zahl bestätigt.", "Die Gemeinde hat die Zahl nicht bestätigt.", False),
    ("Die Gemeinde meldet einen Rekord.", "Der Verband bezweifelt den angeblichen Rekord.", False),
])
def test_wording_rule(old, new, wording):
    assert history.is_wording(old, new) is wording


def test_semantic_diff_ignores_formatting():
    a = history.facts_of("topic", "t", {"title": "T", "sections": [{"title": "S", "claims": [
        {"id": "c", "text": "Ein  Satz.", "status": "berichtet", "cite": [{"source": "s", "quote": "q"}]}]}]})
    b = history.facts_of("topic", "t", {"title": "T", "sections": [{"title": "S", "claims": [
        {"id": "c", "text": "Ein Satz.\n", "status": "berichtet", "cite": [{"source": "s", "quote": "q"}]}]}]})
    assert a == b
    changes = history.diff_item("claim:c", a["claim:c"], {**a["claim:c"], "status": "bestaetigt", "cite": ["s", "u"]})
    assert [(c.what, c.old, c.new) for c in changes] == [("cite", None, "u"), ("status", "berichtet", "bestaetigt")]
    # anything a broken old commit may hold is reduced without an exception
    assert history.facts_of("topic", "t", ["not", "a", "mapping"]) == {}
    assert history.facts_of("event", "e", [{"id": ["x"]}, None, {"id": "ok", "date": {"a": 1}}]) == {
        "event:ok": {"date": "", "title": "", "text": "", "cite": []}}


def test_merged_branch_counts_as_its_merge_and_cache_stays_right(proj):
    git(proj, "checkout", "-q", "-b", "recherche")
    edit(proj, TOPIC, "status: umstritten", "status: berichtet")
    commit(proj, "Zweig\n\nDossier-Notiz: auf dem Zweig", "2026-04-05T10:00:00+02:00")
    on_branch = history.read(proj, "content")  # the cache now stands at the branch's head
    assert on_branch.commits[-1].note == "auf dem Zweig"
    git(proj, "checkout", "-q", "main")
    edit(proj, "content/events/chronik.yaml", "title: ", "title: Neu: ", )
    commit(proj, "Hauptlinie", "2026-04-06T10:00:00+02:00")
    git(proj, "merge", "-q", "--no-ff", "-m", "Zweig übernommen\n\nDossier-Notiz: übernommen", "recherche",
        date="2026-04-07T10:00:00+02:00")
    merged = history.read(proj, "content")
    assert merged == history.read(proj, "content", cache=False)
    last = merged.commits[-1]
    assert last.note == "übernommen"
    assert [(c.what, c.old, c.new) for c in last.changes] == [("status", "umstritten", "berichtet")]
    assert "auf dem Zweig" not in [c.note for c in merged.commits]


def test_control_characters_in_history_do_not_break_the_feed(proj):
    edit(proj, TOPIC, "status: umstritten", "status: berichtet")
    commit(proj, "x\n\nDossier-Notiz: mit \x01Steuer\x1bzeichen", "2026-04-08T10:00:00+02:00")
    site = build_project(proj)
    feed = feedparser.parse((site / "was-ist-neu.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert "mit Steuerzeichen" in feed.entries[0].content[0].value


def test_item_by_item_parsing_gives_the_facts_of_a_whole_parse(tmp_path):
    """_chunked_facts (each '- id:' item parsed once per distinct text) equals facts_of() of the
    whole file, on the fixtures and a synthetic dossier; odd shapes fall back (None)."""
    import sys

    from newsdossier.errors import Problems
    from newsdossier.yamlio import load_yaml

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import write_corpus

    write_corpus(tmp_path / "syn", 12, seed=3)
    chunked = 0
    for root in (Path(__file__).parent / "fixtures" / "mini" / "content", tmp_path / "syn" / "content"):
        for p in sorted(root.rglob("*.yaml")):
            rel = p.relative_to(root).as_posix()
            kind = history.kind_of(rel)
            if kind is None:
                continue
            text = p.read_text(encoding="utf-8")
            facts = history._chunked_facts(kind, p.stem, text, rel, {})
            if facts is not None:
                chunked += 1
                assert facts == history.facts_of(kind, p.stem, load_yaml(text, rel, Problems())), rel
    assert chunked >= 10
    # items not directly under 'claims:', anchors, a '- id:' inside a text: the whole file is parsed
    odd = "title: T\nlead: |\n  - id: nicht-echt\nsections:\n  - title: S\n    claims:\n      - id: a\n        text: x\n"
    assert history._chunked_facts("topic", "t", odd, "t.yaml", {}) is None
    assert history._chunked_facts("event", "e", "- id: a\n  title: &x T\n- id: b\n  title: *x\n", "e.yaml", {}) is None
    memo: dict = {}
    two = "- id: a\n  title: A\n- id: b\n  title: B\n"
    assert history._chunked_facts("event", "e", two, "e.yaml", memo) == history.facts_of("event", "e", [
        {"id": "a", "title": "A"}, {"id": "b", "title": "B"}])
    # the next version parses only what changed; the facts of an unchanged item are the same object
    seen = len(memo)
    three = two + "- id: c\n  title: C\n"
    facts = history._chunked_facts("event", "e", three, "e.yaml", memo)
    assert facts == history.facts_of("event", "e", [{"id": x, "title": x.upper()} for x in "abc"])
    assert len(memo) == seen + 1
    assert facts["event:a"] is history._chunked_facts("event", "e", two, "e.yaml", memo)["event:a"]


def test_fallback_date_is_the_newest_content_yaml(tmp_path, monkeypatch):
    """Without a history every page shows the newest modification date of a *.yaml below the
    content folder (subfolders too; not through a link to a folder elsewhere, not other files)."""
    import datetime as dt

    from newsdossier.history import fallback_date

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = tmp_path / "content"
    elsewhere = tmp_path / "elsewhere"
    for rel, day in [("content/dossier.yaml", 3), ("content/topics/a.yaml", 5), ("content/notes.txt", 9),
                     ("elsewhere/b.yaml", 9)]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
        stamp = dt.datetime(2024, 1, day, 12, tzinfo=dt.timezone.utc).timestamp()
        os.utime(path, (stamp, stamp))
    (content / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert fallback_date(tmp_path, "content") == dt.date(2024, 1, 5)
    assert fallback_date(tmp_path, "missing") is None
