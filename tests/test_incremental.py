"""Incremental preview (issue 10, deliverable 4): under 'mkdocs serve' a rebuild after a save
reuses the unchanged pages of the previous build, and the site is byte for byte the site a
fresh build of the same files gives.

Each test runs the rebuilds 'mkdocs serve' runs (mkdocs/commands/serve.py: the configuration
loaded again, the plugin instance kept, build(dirty=False) into the same site folder) through
a sequence of edits, keeps a copy of the site and of the inputs after every step, and then
builds each copy of the inputs afresh and compares the two sites file by file.
"""

from __future__ import annotations

import filecmp
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


def _run(tmp_path: Path, proj: Path, edits) -> list[int]:
    """Serve-style rebuilds after each edit; every state compared with a fresh build. Returns
    how many pages each rebuild reused."""
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
            snap = tmp_path / f"state-{i}"
            shutil.copytree(proj, snap / "proj", ignore=shutil.ignore_patterns("site"))
            shutil.copytree(site, snap / "site")
            states.append(snap)
    finally:
        cfg.plugins.on_shutdown()
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


def test_mini_fixture_edits_match_a_fresh_build(tmp_path):
    proj = make_project(tmp_path)
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
    ])
    assert reused[0] > 0 and reused[1] > 0, reused  # the incremental path ran
    assert reused[3] == 0, reused  # navigation title changed: full rebuild
    assert reused[5] > 0, reused  # the fix starts from the last good build, not from the problem pages


def test_synthetic_corpus_edits_match_a_fresh_build(tmp_path):
    proj = make_project(tmp_path, "corpus")
    topic = sorted((proj / "content" / "topics").glob("*.yaml"))[0]
    rel = topic.relative_to(proj).as_posix()
    text = topic.read_text(encoding="utf-8")
    lead = next(line for line in text.split("\n") if line.startswith("lead:"))
    source = sorted((proj / "content" / "sources").glob("*.yaml"))[-1]
    srel = source.relative_to(proj).as_posix()
    stitle = next(line for line in source.read_text(encoding="utf-8").split("\n") if line.startswith("title:"))
    reused = _run(tmp_path, proj, [
        _replace(rel, lead, lead[:-1] + ' (geändert)"' if lead.endswith('"') else lead + " (geändert)"),
        _replace(srel, stitle, stitle[:-1] + ' – neu"' if stitle.endswith('"') else stitle + " – neu"),
    ])
    assert all(n > 0 for n in reused), reused


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
