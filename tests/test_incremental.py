"""Incremental preview (issue 10, deliverable 4): under 'mkdocs serve' a rebuild after a save
reuses the unchanged pages of the previous build, and the site is byte for byte the site a
fresh build of the same files gives.

Each test runs the rebuilds 'mkdocs serve' runs (mkdocs/commands/serve.py: the configuration
loaded again, the plugin instance kept, build(dirty=False) into the same site folder) through
a sequence of edits, keeps a copy of the site and of the inputs after every step, and then
builds each copy of the inputs afresh and compares the two sites file by file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import make_project

SERVE_URL = "http://127.0.0.1:8000/"


def _config(proj: Path, site: Path):
    from mkdocs.config import load_config

    cfg = load_config(str(proj / "mkdocs.yml"), site_dir=str(site))
    cfg.site_url = SERVE_URL
    return cfg


def _serve_build(cfg) -> None:
    from mkdocs.commands.build import build

    build(cfg, serve_url=SERVE_URL, dirty=False)


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not {".dossier-previous", ".dossier-good"} & set(p.parts)}


def _run(tmp_path: Path, proj: Path, edits, omitted: list | None = None, before_fresh=None) -> list[int]:
    """Serve-style rebuilds after each edit; every state compared with a fresh build. Returns
    how many pages each rebuild reused; ``omitted`` gets how many of them it left out of
    MkDocs' files; ``before_fresh()`` runs once before the fresh builds."""
    site = tmp_path / "served"
    cfg = _config(proj, site)
    cfg.plugins.on_startup(command="serve", dirty=False)
    plugin = cfg.plugins["dossier"]
    states = []
    reused = []
    try:
        _serve_build(cfg)
        for i, edit in enumerate(edits):
            edit(proj)
            _serve_build(_config(proj, site))
            reused.append(plugin.cache.last_reused)
            if omitted is not None:
                omitted.append(plugin.cache.last_omitted)
            snap = tmp_path / f"state-{i}"
            shutil.copytree(proj, snap / "proj", ignore=shutil.ignore_patterns("site"))
            shutil.copytree(site, snap / "site")
            states.append(snap)
    finally:
        cfg.plugins.on_shutdown()
    if before_fresh is not None:
        before_fresh()
    for snap in states:
        fresh = snap / "fresh"
        cfg = _config(snap / "proj", fresh)
        cfg.plugins.on_startup(command="serve", dirty=False)
        try:
            _serve_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        served, full = _tree(snap / "site"), _tree(fresh)
        assert sorted(served) == sorted(full), f"{snap.name}: different files"
        different = [name for name in full if served[name] != full[name]]
        assert not different, f"{snap.name}: files differ from a fresh build: {different[:10]}"
        assert not (snap / "site" / ".dossier-previous").exists()
    return reused


def _replace(rel: str, old: str, new: str):
    def edit(proj: Path) -> None:
        path = proj / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


NEW_ACTOR = "- id: genossenschaft\n  name: Obstgenossenschaft Testdorf\n  kind: organisation\n"


def test_mini_fixture_edits_match_a_fresh_build(tmp_path, monkeypatch):
    """Reused pages outside the navigation are left out of MkDocs' files; the site, with its
    search index and sitemap, is still a fresh build's (the served pages indexed through
    searchjobs.parse_sections, the fresh builds through Material's own html.parser)."""
    from newsdossier import searchjobs

    parsed = []
    original = searchjobs.parse_sections
    monkeypatch.setattr(searchjobs, "parse_sections", lambda html: parsed.append(1) or original(html))

    from newsdossier.incremental import PageCache

    spliced = []  # whether each served build wrote search_index.json from the kept JSON
    search_json = PageCache._search_json

    def spy(self, *args):
        out = search_json(self, *args)
        spliced.append(self.last_spliced)
        return out

    monkeypatch.setattr(PageCache, "_search_json", spy)

    def materials_own() -> None:  # the fresh builds: Material's own parsing and JSON
        monkeypatch.setattr(searchjobs, "parse_sections", original)
        monkeypatch.setattr(searchjobs, "is_materials", lambda method: False)

    proj = make_project(tmp_path)
    omitted: list[int] = []
    reused = _run(tmp_path, proj, [
        # an actor's role: their page and the pages that show them change, the rest is reused
        _replace("content/actors/akteure.yaml", "Bürgermeisterin von Testdorf", "Bürgermeisterin der Gemeinde Testdorf"),
        _replace("content/glossary/glossar.yaml", "1000 Kilogramm.", "Tausend Kilogramm."),
        lambda proj: None,  # a save without a change: everything reused
        # a title in the navigation: every page changes
        _replace("content/topics/ernte.yaml", "title: Die Ernte", "title: Die Apfelernte"),
        # a content error: the problem pages; then fixed again
        _replace("content/topics/ernte.yaml", "order: 1", "order: 1\ntitel: x"),
        _replace("content/topics/ernte.yaml", "order: 1\ntitel: x", "order: 1"),
        _replace("content/actors/akteure.yaml", "Bürgermeisterin der Gemeinde Testdorf", "Bürgermeisterin von Testdorf"),
        # a page added (an actor's, not in the navigation), edited, removed again
        _append("content/actors/akteure.yaml", NEW_ACTOR),
        _replace("content/glossary/glossar.yaml", "Tausend Kilogramm.", "1000 Kilogramm."),
        _replace("content/actors/akteure.yaml", "Obstgenossenschaft Testdorf", "Obstgenossenschaft"),
        _replace("content/actors/akteure.yaml", NEW_ACTOR.replace(" Testdorf", ""), ""),
        lambda proj: None,
    ], omitted, before_fresh=materials_own)
    assert reused[0] > 0 and reused[1] > 0, reused  # the incremental path ran
    assert 0 < omitted[0] < reused[0] and 0 < omitted[2] < reused[2], (omitted, reused)  # nav pages reach MkDocs
    assert reused[3] == 0, reused  # navigation title changed: full rebuild
    assert reused[5] > 0 and omitted[5] > 0, reused  # the fix starts from the last good build
    assert reused[7] == 0 and reused[10] == 0, reused  # a page added, removed: full rebuilds
    assert omitted[8] > 0 and omitted[9] > 0 and omitted[11] > 0, omitted  # ... and the saves after them reuse
    assert parsed, "the served builds index through parse_sections"
    assert len(spliced) == 13 and all(spliced), spliced


def test_synthetic_corpus_edits_match_a_fresh_build(tmp_path):
    proj = make_project(tmp_path, "corpus")
    topic = sorted((proj / "content" / "topics").glob("*.yaml"))[0]
    rel = topic.relative_to(proj).as_posix()
    text = topic.read_text(encoding="utf-8")
    lead = next(line for line in text.split("\n") if line.startswith("lead:"))
    source = sorted((proj / "content" / "sources").glob("*.yaml"))[-1]
    srel = source.relative_to(proj).as_posix()
    stitle = next(line for line in source.read_text(encoding="utf-8").split("\n") if line.startswith("title:"))
    omitted: list[int] = []
    reused = _run(tmp_path, proj, [
        _replace(rel, lead, lead[:-1] + ' (geändert)"' if lead.endswith('"') else lead + " (geändert)"),
        _replace(srel, stitle, stitle[:-1] + ' – neu"' if stitle.endswith('"') else stitle + " – neu"),
    ], omitted)
    assert all(n > 0 for n in reused) and all(n > 0 for n in omitted), (reused, omitted)


def test_read_cache_gives_what_a_fresh_load_gives(tmp_path):
    """core.build with the read cache of the previous builds (as under mkdocs serve) gives the
    same problems and pages as without, through edits of content files and of an article."""
    from newsdossier import core
    from newsdossier.incremental import ReadCache
    from newsdossier.render import Options

    proj = make_project(tmp_path)
    article = proj / "seeds" / "artikel.txt"
    original = article.read_text(encoding="utf-8")
    quote = "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."
    assert quote in original
    cache = ReadCache()
    edits = [
        lambda p: None,
        _replace("content/actors/akteure.yaml", "Bürgermeisterin von Testdorf", "Bürgermeisterin im Ort"),
        lambda p: article.write_text(original.replace(quote, quote.replace("1200", "1300")), encoding="utf-8"),
        lambda p: article.write_text(original, encoding="utf-8"),
        lambda p: article.rename(article.with_suffix(".bak")),
        lambda p: article.with_suffix(".bak").rename(article),
        _replace("content/topics/ernte.yaml", "order: 1", "order: 1\ntitel: x"),
        _replace("content/topics/ernte.yaml", "order: 1\ntitel: x", "order: 1"),
        # the article becomes a link to the same bytes (refused), then a file again
        lambda p: (shutil.copy2(article, p / "elsewhere.txt"), article.unlink(),
                   article.symlink_to(p / "elsewhere.txt")),
        lambda p: (article.unlink(), shutil.copy2(p / "elsewhere.txt", article)),
        # touched without a change; a content file deleted and added again
        lambda p: os.utime(article),
        lambda p: (p / "content/glossary/glossar.yaml").rename(p / "glossar.bak"),
        lambda p: (p / "glossar.bak").rename(p / "content/glossary/glossar.yaml"),
    ]
    reads = []
    for edit in edits:
        edit(proj)
        options = Options(preview=True)
        cached = core.build(proj, options=options, cache=cache)
        reads.append(cache.last_read)
        fresh = core.build(proj, options=Options(preview=True))
        assert [p.format() for p in cached.problems] == [p.format() for p in fresh.problems]
        assert cached.pages == fresh.pages
        assert cached.assets == fresh.assets
    assert reads[0] > 2 and reads[1] == 1 and reads[2] == 1, reads  # only the saved file is read again
    assert reads[8] == 1 and reads[9] == 1 and reads[10] == 0, reads  # a link is another file; a touch no read


def _append(rel: str, text: str):
    def edit(proj: Path) -> None:
        path = proj / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return edit


def _before_paragraph(text: str, quote: str, new: str) -> str:
    paragraphs = text.split("\n\n")
    i = next(i for i, p in enumerate(paragraphs) if quote in p)
    return "\n\n".join(paragraphs[:i] + [new] + paragraphs[i:])


def _preview_options(proj: Path):
    from newsdossier.render import Options

    return Options(preview=True)


def _core_run(proj: Path, edits, options=_preview_options) -> list[int]:
    """core.build with the read and render caches of the previous builds (as under mkdocs
    serve) after each edit, against a fresh build of the same files: the same problems, pages
    and assets. Returns how many pages each build rendered (None: it rendered nothing).
    ``options(proj)``: the build's options, made anew for every build (as the plugin does)."""
    from newsdossier import core
    from newsdossier.deps import RenderCache
    from newsdossier.incremental import ReadCache

    cache, render_cache = ReadCache(), RenderCache()
    rendered = []
    core.build(proj, options=options(proj), cache=cache, render_cache=render_cache)
    for i, edit in enumerate(edits):
        edit(proj)
        render_cache.last_rendered = None
        cached = core.build(proj, options=options(proj), cache=cache, render_cache=render_cache)
        rendered.append(render_cache.last_rendered)
        fresh = core.build(proj, options=options(proj))
        assert [p.format() for p in cached.problems] == [p.format() for p in fresh.problems], i
        assert cached.pages.keys() == fresh.pages.keys(), i
        different = [p for p in fresh.pages if cached.pages[p] != fresh.pages[p]]
        assert not different, (i, different)
        assert cached.assets == fresh.assets, i
    return rendered


_CITE_1200 = ('\n          - source: rekordernte\n            quote: "Die Gemeinde Testdorf hat nach eigenen Angaben '
              '1200 Tonnen Äpfel geerntet."')


def test_render_cache_renders_only_what_an_edit_reaches(tmp_path):
    """Edits of every kind of object, ids added, removed and renamed, an error and its fix:
    each incremental render equals a fresh one, and most edits render few pages."""
    proj = make_project(tmp_path)
    article = proj / "seeds" / "artikel.txt"
    original = article.read_text(encoding="utf-8")
    quote = "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."
    edits = [
        lambda p: None,  # 0 nothing changed: nothing rendered
        _replace("content/glossary/glossar.yaml", "1000 Kilogramm.", "Tausend Kilogramm."),  # 1 term
        _replace("content/actors/akteure.yaml", "Bürgermeisterin von Testdorf", "Bürgermeisterin im Ort"),  # 2 actor
        _replace("content/topics/ernte.yaml", "lead: Wie groß war die Ernte in Testdorf?", "lead: Wie groß war sie?"),
        _replace("content/topics/ernte.yaml", "status: umstritten", "status: berichtet"),  # 4 claim
        _replace("content/events/chronik.yaml", "title: Die Ernte beginnt", "title: Die Ernte fängt an"),  # 5 event
        _replace("content/events/chronik.yaml", "id: erntebeginn", "id: ernte-start"),  # 6 renamed id
        _replace("content/figures/ernte.yaml", "value: 900", "value: 950"),  # 7 figure
        _replace("content/figures/ernte.yaml", "unit: Tonnen", "unit: t"),  # 8 series
        _replace("content/contradictions/streit.yaml", "Der Verband schätzt 900 Tonnen.", "Der Verband schätzt nur 900 Tonnen."),
        _replace("content/sources/rekordernte.yaml", "title: Testdorf meldet Rekordernte", "title: Rekordernte"),
        _replace("content/sources/rekordernte.yaml", 'published: "2024-09"', 'published: "2024-09-02"'),  # 11
        # 12 the article's text: a new paragraph before the quote's (its number changes everywhere)
        lambda p: article.write_text(_before_paragraph(original, quote, "Ein neuer Absatz steht hier."),
                                     encoding="utf-8"),
        _append("content/glossary/glossar.yaml", "- id: ar\n  term: Ar\n  definition: 100 Quadratmeter.\n"),  # 13 added
        _replace("content/glossary/glossar.yaml", "- id: ar\n  term: Ar\n  definition: 100 Quadratmeter.\n", ""),
        _replace("content/topics/ernte.yaml", "order: 1", "order: 1\ntitel: x"),  # 15 an error
        _replace("content/topics/ernte.yaml", "order: 1\ntitel: x", "order: 1"),  # 16 its fix
        _replace("content/dossier.yaml", "Jede Aussage ist belegt.", "Jede Aussage hat einen Beleg."),  # 17 overview
        _replace("content/dossier.yaml", "title: Testdossier", "title: Ein Testdossier"),
        lambda p: article.write_text(original, encoding="utf-8"),
        # who says what: the index's tables change (an actor's page lists a claim it did not read)
        _replace("content/topics/ernte.yaml", "by: [bauernverband]", "by: [bauernverband, beispiel]"),
        _replace("content/events/chronik.yaml", "actors: [beispiel]", "actors: [beispiel, bauernverband]"),
        # an event after every article reporting it: a forecast, no longer among the home
        # page's latest events (which reads only the events it walks back over); and back
        _replace("content/events/chronik.yaml", 'date: "2024-09?"', 'date: "2025-03"'),
        _replace("content/events/chronik.yaml", 'date: "2025-03"', 'date: "2024-09?"'),
        # the source's date moves past the event: a forecast no more
        _replace("content/events/chronik.yaml", 'date: "2024-09?"', 'date: "2025-03"'),
        _replace("content/sources/rekordernte.yaml", 'published: "2024-09-02"', 'published: "2025-04-01"'),
        # the article loses a line its source file names as furniture (an error there), and back
        lambda p: article.write_text(original.replace("2. Lokales", "2. Lokal"), encoding="utf-8"),
        lambda p: article.write_text(original, encoding="utf-8"),
        # a claim cites one passage twice (an error); another file's save: still reported; fixed
        _replace("content/topics/ernte.yaml", _CITE_1200, _CITE_1200 + _CITE_1200),
        _replace("content/glossary/glossar.yaml", "Tausend Kilogramm.", "1000 Kilogramm."),
        _replace("content/topics/ernte.yaml", _CITE_1200 + _CITE_1200, _CITE_1200),
    ]
    rendered = _core_run(proj, edits)
    assert rendered[0] == 0, rendered
    assert rendered[15] is None and rendered[26] is rendered[28] is rendered[29] is None, rendered  # errors: nothing rendered
    # a term is on the glossary only
    assert rendered[1] == 1 and rendered[13] == 1 and rendered[14] == 1, rendered



def test_render_cache_random_edits_of_a_corpus(tmp_path):
    """Random edits of the texts, titles, names, numbers and sources' dates of a small
    synthetic corpus: every incremental render equals a fresh one."""
    import random
    import re

    proj = make_project(tmp_path, "corpus")
    rng = random.Random(7)
    files = sorted((proj / "content").rglob("*.yaml"))
    field = re.compile(r"^(\s*(?:- )?(?:title|lead|text|name|role|definition|summary|term|note|label|intro|unit|"
                       r"description|refers_to|value|order): )(.*)$", re.M)

    sources = sorted((proj / "content" / "sources").glob("*.yaml"))
    published = re.compile(r'^published: "[0-9-]+"$', re.M)

    def edit_once(proj: Path) -> None:
        if rng.random() < 0.4:  # a source's date: the order of sources everywhere they are listed
            path = rng.choice(sources)
            day = f'published: "20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"'
            path.write_text(published.sub(day, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
        for _ in range(rng.choice([1, 1, 2])):
            path = rng.choice(files)
            text = path.read_text(encoding="utf-8")
            found = list(field.finditer(text))
            if not found:
                continue
            m = rng.choice(found)
            head, value = m.group(1), m.group(2)
            if head.rstrip().endswith(("value:", "order:")):
                new = str(rng.randint(1, 999))
            elif value.startswith('"') and value.endswith('"'):
                new = value[:-1] + f' x{rng.randint(0, 99)}"'
            elif value and value not in ("|", ">") and not value.startswith(("[", "{", "'")):
                new = value + f" x{rng.randint(0, 99)}"
            else:
                continue
            path.write_text(text[:m.start()] + head + new + text[m.end():], encoding="utf-8")

    rendered = _core_run(proj, [edit_once for _ in range(12)])
    assert any(n for n in rendered), rendered


def _history_edits(proj: Path) -> list:
    """Saves on a dossier with a git history (test_history's scripted commits): working-tree
    edits that move items between pages (so that pages' dates and corrections move), a commit,
    more edits after it, a claim removed without a commit."""
    from test_history import TOPIC, commit

    return [
        lambda p: None,  # 0 nothing changed: nothing rendered
        _replace("content/actors/akteure.yaml", "Bürgermeisterin von Testdorf", "Bürgermeisterin im Ort"),  # 1
        # 2 the corrected claim gets a second author: that actor's page now shows its date and
        # its correction (history.View derives both from every item's pages)
        _replace(TOPIC, "by: [bauernverband]", "by: [bauernverband, beispiel]"),
        lambda p: commit(p, "Zweiter Autor\n\nDossier-Notiz: Auch die Gemeinde nennt die Zahl.",
                         "2026-03-25T10:00:00+01:00"),  # 3 a commit: the history changes
        _replace(TOPIC, "Die Gemeinde nennt 1200 Tonnen einen Rekord.", "Die Gemeinde nennt 1200 Tonnen viel."),  # 4
        _replace(TOPIC, "by: [bauernverband, beispiel]", "by: [bauernverband]"),  # 5 back, not committed
        # 6 a claim removed (not committed): its history stays, its pages change
        _replace(TOPIC, NEW_CLAIM_AFTER, ""),
        lambda p: commit(p, "Aussage entfernt", "2026-03-26T10:00:00+01:00"),  # 7
        _replace("content/glossary/glossar.yaml", "1000 Kilogramm.", "Tausend Kilogramm."),  # 8 a term
    ]


#: the claim test_history's scripted commits add (as it stands after edit 4)
NEW_CLAIM_AFTER = """      - id: ernte-neu
        text: Die Gemeinde nennt 1200 Tonnen viel.
        by: [beispiel]
        status: berichtet
        cite:
          - source: rekordernte
            quote: "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."
"""


def _history_options(proj: Path):
    import logging

    from newsdossier import history
    from newsdossier.render import Options

    inp = history.for_build(proj, "content", "required", "Testdossier", None, logging.getLogger("test"))
    assert inp is not None and inp.history is not None
    override = proj / "site_theme" / "dossier"
    return Options(preview=True, history=inp, template_dirs=[override] if override.is_dir() else [])


def test_render_cache_with_a_git_history(tmp_path):
    """A dossier with a history (every real one lives in git): saves without a commit render
    only what they reach, a commit renders everything; each render equals a fresh one."""
    from test_history import scripted

    proj = make_project(tmp_path)
    # an actor's page that lists nothing of the actor's claims: it reads none of them, yet
    # the date and corrections the history gives it follow from its claims (edit 2)
    override = proj / "site_theme" / "dossier"
    override.mkdir(parents=True)
    (override / "actor.html.j2").write_text('{% extends "_page.html.j2" %}\n{% set title = actor.name %}\n'
                                            '{% block content %}<p>{{ actor.role }}</p>{% endblock %}\n', encoding="utf-8")
    scripted(proj)
    rendered = _core_run(proj, _history_edits(proj), _history_options)
    total = rendered[3]
    assert rendered[0] == 0, rendered
    assert 0 < rendered[1] < total and 0 < rendered[8] < total, rendered  # the history no longer renders all
    assert rendered[7] == total, rendered  # a commit: everything


def test_served_site_with_a_git_history_matches_a_fresh_build(tmp_path):
    """The same saves under 'mkdocs serve' (plugin option history: auto): the site after each
    is byte for byte a fresh build's, and saves without a commit reuse pages."""
    from test_history import scripted

    proj = make_project(tmp_path)
    scripted(proj)
    reused = _run(tmp_path, proj, _history_edits(proj))
    assert reused[1] > 0 and reused[8] > 0, reused


def test_export_and_figure_csv_files_under_the_render_cache(tmp_path):
    """The data export (kept per collection and per item) and the figures' CSV files (rendered
    like pages, what they read recorded) under the render cache: after each edit the same
    bytes and problems as a fresh build; kept where nothing they show changed, made again
    where something did, also when the edit is in another file than the item's."""
    from newsdossier import core
    from newsdossier.deps import RenderCache
    from newsdossier.incremental import ReadCache
    from newsdossier.render import EXPORT_PATH

    proj = make_project(tmp_path)
    article = proj / "seeds" / "artikel.txt"
    original = article.read_text(encoding="utf-8")
    quote = "Die Gemeinde Testdorf hat nach eigenen Angaben 1200 Tonnen Äpfel geerntet."
    csv = "daten/zahlen-ernte.csv"
    actors = "content/actors/akteure.yaml"
    edits = [
        _replace("content/glossary/glossar.yaml", "1000 Kilogramm.", "Tausend Kilogramm."),  # 0 a term
        _replace("content/figures/ernte.yaml", "value: 900", "value: 950"),  # 1 a figure
        _replace(actors, "name: Anna Beispiel", "name: Anna B. Beispiel"),  # 2 a name the CSV shows
        # 3 a paragraph before a cited one: the export's paragraph numbers, no content file changed
        lambda p: article.write_text(_before_paragraph(original, quote, "Ein neuer Absatz steht hier."),
                                     encoding="utf-8"),
        _replace(actors, "- id: beispiel\n", "- id: beispielin\n"),  # 4 references elsewhere broken
        _replace(actors, "- id: beispielin\n", "- id: beispiel\n"),  # 5 fixed
        lambda p: article.write_text(original, encoding="utf-8"),  # 6
    ]
    cache, render_cache = ReadCache(), RenderCache()
    before = core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
    results = []
    for i, edit in enumerate(edits):
        edit(proj)
        cached = core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
        fresh = core.build(proj, options=_preview_options(proj))
        assert [p.format() for p in cached.problems] == [p.format() for p in fresh.problems], i
        assert cached.pages == fresh.pages, i
        assert cached.assets == fresh.assets, i
        results.append(cached)
    term, figure, name, paragraph, broken, fixed, _ = results
    assert term.assets[csv] is before.assets[csv]  # the CSV file was not rendered again
    assert term.assets[EXPORT_PATH] != before.assets[EXPORT_PATH]
    assert figure.assets[csv] != term.assets[csv] and name.assets[csv] != figure.assets[csv]
    assert name.assets[EXPORT_PATH] != figure.assets[EXPORT_PATH]
    assert paragraph.assets[EXPORT_PATH] != name.assets[EXPORT_PATH]
    # the actor's file changed; the topic citing the old id did not, and is reported
    unknown = [p.format() for p in broken.errors if "unknown actor 'beispiel'" in p.format()]
    assert any(p.startswith("content/topics/ernte.yaml:") for p in unknown), unknown
    assert any(p.startswith("content/figures/ernte.yaml:") for p in unknown), unknown
    assert not broken.pages and fixed.ok and fixed.assets[csv] == name.assets[csv]


def test_export_collections_kept_as_a_whole(tmp_path):
    """A collection of the data export whose items are all the same objects as in the last
    render, citing no changed source, is kept as one text; the others are made again."""
    from newsdossier import core
    from newsdossier.deps import RenderCache
    from newsdossier.incremental import ReadCache

    proj = make_project(tmp_path)
    cache, render_cache = ReadCache(), RenderCache()
    core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
    first = dict(render_cache.exported)
    _replace("content/glossary/glossar.yaml", "1000 Kilogramm.", "Tausend Kilogramm.")(proj)
    core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
    second = dict(render_cache.exported)
    assert second["sources"] is first["sources"] and second["claims"] is first["claims"]
    assert second["glossary"] is not first["glossary"]
    _replace("content/sources/rekordernte.yaml", "title: Testdorf meldet Rekordernte", "title: Rekordernte")(proj)
    core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
    third = dict(render_cache.exported)
    # the source changed: it and everything citing it is exported again
    assert third["sources"] is not second["sources"] and third["claims"] is not second["claims"]


def test_theme_listing_is_kept_while_the_theme_folders_stay_the_same(tmp_path):
    """servehacks (mkdocs serve only): the theme's files MkDocs adds every build are the ones it
    finds itself, listed again only when a theme folder changed."""
    import os
    import time

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files
    from newsdossier import servehacks
    from newsdossier.incremental import TemplateCodeCache

    proj = make_project(tmp_path)
    theme = proj / "site_theme"
    (theme / "assets").mkdir()
    (theme / "assets" / "extra.css").write_text("a{}", encoding="utf-8")
    for folder in (theme / "assets", theme):
        os.utime(folder, (time.time() - 60, time.time() - 60))  # not just changed (SETTLE_SECONDS)
    listing, code = servehacks.ThemeListing(), TemplateCodeCache()

    def theme_files() -> set[str]:
        cfg = load_config(str(proj / "mkdocs.yml"))
        plain = Files([])
        plain.add_files_from_theme(cfg.theme.get_env(), cfg)
        assert servehacks.install(cfg.theme, listing, code)
        kept = Files([])
        kept.add_files_from_theme(cfg.theme.get_env(), cfg)
        assert [f.src_uri for f in kept] == [f.src_uri for f in plain]
        assert cfg.theme.get_env().bytecode_cache is code
        return {f.src_uri for f in kept}

    assert "assets/extra.css" in theme_files() and listing.walks == 1
    assert "assets/extra.css" in theme_files() and listing.walks == 1  # kept
    (theme / "assets" / "more.css").write_text("b{}", encoding="utf-8")
    assert "assets/more.css" in theme_files() and listing.walks == 2
    (theme / "assets" / "more.css").unlink()
    assert "assets/more.css" not in theme_files()


def test_mkdocs_build_leaves_the_theme_alone(tmp_path):
    from mkdocs.config import load_config

    cfg = load_config(str(make_project(tmp_path) / "mkdocs.yml"))
    cfg.plugins.on_startup(command="build", dirty=False)
    cfg = cfg.plugins.on_config(cfg)
    assert "get_env" not in vars(cfg.theme)
    serve = load_config(str(tmp_path / "proj" / "mkdocs.yml"))
    serve.plugins.on_startup(command="serve", dirty=False)
    serve = serve.plugins.on_config(serve)
    assert "get_env" in vars(serve.theme)


def test_pages_are_left_out_only_when_nothing_else_looks_at_them(tmp_path):
    """PageCache.leave_out: reused pages outside the navigation, with no links MkDocs checks,
    only with the dossier's and Material's search plugin, only when the sitemap can be put back."""
    from newsdossier.incremental import SITEMAP, PageCache, Saved

    source = tmp_path / "previous"
    source.mkdir()
    cache = PageCache()
    cache.source = source
    cache.reused = {uri: Saved(b"", uri.replace(".md", "/index.html"), {}, None, None, set(), links)
                    for uri, links in [("index.md", None), ("quellen/a.md", None), ("quellen/b.md", {"index.md": {"x": "#x"}})]}
    quiet = ["dossier", "material/search"]
    assert cache.leave_out({"index.md"}, quiet) == set()  # no previous sitemap to put back
    for name in SITEMAP:
        (source / name).write_bytes(b"")
    assert cache.leave_out({"index.md"}, quiet) == {"quellen/a.md"}
    assert cache.leave_out(None, quiet) == set()  # MkDocs' own navigation: every page is in it
    assert cache.leave_out({"index.md"}, quiet + ["material/tags"]) == set()


def test_unchanged_claims_of_an_edited_topic_are_not_checked_again(tmp_path, monkeypatch):
    """A topic's lead edited: its claims are new objects (the file is read again) that read as
    the old ones did; no token of theirs is computed, the topic page renders again, and the
    result is a fresh build's. A claim's own text edited: its tokens are computed."""
    from newsdossier import core, deps
    from newsdossier.deps import RenderCache
    from newsdossier.incremental import ReadCache

    computed: list = []
    compute = deps.Tokens._compute
    monkeypatch.setattr(deps.Tokens, "_compute", lambda self, dep: computed.append(dep) or compute(self, dep))
    proj = make_project(tmp_path)
    cache, render_cache = ReadCache(), RenderCache()
    core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
    for old, new, claims_checked in [("lead: Wie groß war die Ernte in Testdorf?", "lead: Wie groß war sie?", False),
                                     ("status: umstritten", "status: berichtet", True)]:
        _replace("content/topics/ernte.yaml", old, new)(proj)
        computed.clear()
        cached = core.build(proj, options=_preview_options(proj), cache=cache, render_cache=render_cache)
        assert any(dep[0] == "topics" for dep in computed), computed
        claims = [dep for dep in computed if dep[0] == "claims" and dep[1] != deps.ALL]  # (not the list of ids)
        assert bool(claims) == claims_checked, claims
        fresh = core.build(proj, options=_preview_options(proj))
        assert cached.pages == fresh.pages and cached.assets == fresh.assets
        assert render_cache.last_rendered > 0


def test_move_back_moves_exactly_the_wanted_files(tmp_path):
    """_move_back: wanted files reach the site, whole folders in one rename where they hold
    only wanted files and the site has no such folder; nothing else moves."""
    from newsdossier.incremental import _move_back

    source, site = tmp_path / "stash", tmp_path / "site"
    files = ["a/index.html", "b/index.html", "b/stale.html", "c/d/index.html", "c/e/index.html", "c/e/f/x.html",
             "g/index.html", "top.html", "other.html", "h/deep/one.html"]
    for rel in files:
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(rel)
    (site / "g").mkdir(parents=True)
    (site / "g" / "new.html").write_text("new")  # written by this build
    (source / "h" / "empty").mkdir()
    wanted = {"a/index.html", "b/index.html", "c/d/index.html", "c/e/index.html", "c/e/f/x.html", "g/index.html",
              "top.html", "h/deep/one.html"}
    a_inode = (source / "a").stat().st_ino
    _move_back(source, site, wanted)
    got = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*") if p.is_file()}
    assert got == {**{rel: rel for rel in wanted}, "g/new.html": "new"}
    assert (site / "a").stat().st_ino == a_inode  # moved as a whole
    assert (source / "b" / "stale.html").is_file() and (source / "other.html").is_file()
    assert not (site / "h" / "empty").exists()  # a folder with something unwanted is merged file by file
