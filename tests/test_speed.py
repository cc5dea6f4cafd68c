"""The speed machinery (newsdossier.speed) leaves nothing behind: after a build, a failed build
and a content error, the heap is not frozen, Material's search index has its own method again
and no second process is left."""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path

import pytest
from conftest import make_project, set_plugin_options
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from newsdossier import searchjobs, speed


def _large(proj: Path) -> Path:
    """The project's dossier counts as large: second processes from its first page on."""
    return set_plugin_options(proj, parallel_min_pages=1)


def _build(proj: Path, monkeypatch):
    """Build proj like 'mkdocs build'; (config, what the search jobs did)."""
    started = []
    real_init = searchjobs.ParallelSearch.__init__

    def init(self, index, pages):
        real_init(self, index, pages)
        started.append(self)

    monkeypatch.setattr(searchjobs.ParallelSearch, "__init__", init)
    monkeypatch.setattr(speed, "can_fork", lambda: True)
    cfg = load_config(str(proj / "mkdocs.yml"), site_dir=str(proj / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return cfg, started


def _left_behind(cfg, started) -> list[str]:
    index = cfg.plugins["material/search"].search_index
    found = []
    if gc.get_freeze_count():
        found.append(f"{gc.get_freeze_count()} frozen objects")
    if "add_entry_from_context" in vars(index):
        found.append("the search index's add_entry_from_context is replaced")
    if any(job.proc.is_alive() for job in started) or multiprocessing.active_children():
        found.append("a second process is alive")
    return found


def test_a_large_build_leaves_nothing_behind(tmp_path, monkeypatch):
    cfg, started = _build(_large(make_project(tmp_path)), monkeypatch)
    assert len(started) == 1 and started[0].used > 5  # the machinery did run
    assert _left_behind(cfg, started) == []


@pytest.mark.expect_warnings
def test_a_build_failing_after_the_search_jobs_started_leaves_nothing_behind(tmp_path, monkeypatch):
    proj = _large(make_project(tmp_path))
    # fails while MkDocs writes the pages: after the freeze and the start of the search jobs
    (proj / "site_theme" / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ no_such.thing }}{% endblock %}', encoding="utf-8")
    with pytest.raises(Exception, match="no_such"):
        _build(proj, monkeypatch)
    assert gc.get_freeze_count() == 0 and multiprocessing.active_children() == []


@pytest.mark.expect_warnings
def test_a_content_error_leaves_nothing_behind(tmp_path, monkeypatch, no_unexpected_warnings):
    proj = _large(make_project(tmp_path))
    (proj / "content" / "topics" / "ernte.yaml").write_text("title: [kaputt\n", encoding="utf-8")
    with pytest.raises(Abort):
        _build(proj, monkeypatch)
    assert any("content/topics/ernte.yaml:2:1: error: malformed YAML" in r.getMessage() for r in no_unexpected_warnings.records)
    assert gc.get_freeze_count() == 0 and multiprocessing.active_children() == []


def test_the_search_index_method_is_the_class_method_after_the_build(tmp_path, monkeypatch):
    """The replacement lives on the index object only while the build runs."""
    from material.plugins.search.plugin import SearchIndex

    cfg, started = _build(_large(make_project(tmp_path)), monkeypatch)
    index = cfg.plugins["material/search"].search_index
    assert started and index.add_entry_from_context.__func__ is SearchIndex.add_entry_from_context


def test_the_search_threshold_is_a_plugin_option(tmp_path):
    import json

    from conftest import build_project

    def locations(proj: Path) -> set[str]:
        index = json.loads((build_project(proj) / "search" / "search_index.json").read_text(encoding="utf-8"))
        return {doc["location"].split("#")[0] for doc in index["docs"]}

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    every = locations(make_project(tmp_path / "a"))
    fewer = locations(set_plugin_options(make_project(tmp_path / "b"), search_all_max_sources=0))
    assert {"quellen/rekordernte/", "chronologie/", "themen/ernte/"} <= every
    assert every - fewer >= {"quellen/rekordernte/", "chronologie/"} and "themen/ernte/" in fewer
