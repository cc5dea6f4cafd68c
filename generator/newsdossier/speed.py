"""The speed machinery of large builds, behind one small interface.

Everything here only makes a build faster or its site smaller for large dossiers; the pages
are the same either way (tests/test_speed_paths.py compares both paths). Three things change
state beyond a single function call, and all three are undone by ``BuildSpeed.end()``, which
the plugin calls when a build ends in any way (on_post_build, on_build_error, on_shutdown), so
nothing outlives a build or carries over between 'mkdocs serve' rebuilds:

* the heap is frozen (``gc.freeze``) once the core's model and MkDocs' pages exist: they live
  until the build ends, and every full collection scanned all of them again (0.9 s of a
  1,000-article build);
* from ``parallel_min_pages`` pages on, under 'mkdocs build' only, Material's search parsing
  runs in a forked child, and its index's ``add_entry_from_context`` is replaced on the index
  object (see searchjobs);
* under 'mkdocs build' with large content, the core runs in a forked child that sends the
  pages back (``detach_core``, see detached), so this process never holds the model;
* the core forks a child to render pages (``parallel_min_pages``) and to read content
  (``parallel_min_bytes``); the child never outlives the call (see forked).

``Thresholds`` holds the sizes; the plugin exposes them as options (README, "Plugin options").
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from .forked import can_fork
from .paths import PAGES, item_kind


@dataclass(frozen=True)
class Thresholds:
    #: From this many pages on, the pages are rendered in two processes and (under
    #: 'mkdocs build') Material's search parses them in a second process. Below it the fork
    #: costs more than it saves; the real dossier (under 100 pages) stays in one process.
    parallel_min_pages: int = 400
    #: From this many bytes of content YAML on, a forked child reads part of the files
    #: (see load._read_files). The real dossier (about 0.3 MB) is read in one process.
    parallel_min_bytes: int = 2_000_000
    #: Up to this many sources every page is searchable. Beyond it, the pages that repeat
    #: what the topic pages say (one per source, one per actor, the chronology) stay out of
    #: the search index: at 1,000 articles they made the index 23 MB (too big for a reader's
    #: browser) and indexing them was 40% of the build. Sources and actors stay findable by
    #: title and name on their overview pages; their claims and events on the topic pages.
    search_all_max_sources: int = 50


def search_excluded(pages, n_sources: int, thresholds: Thresholds) -> set[str]:
    """The page paths (of ``pages``) left out of the search index for a dossier of that size."""
    if n_sources <= thresholds.search_all_max_sources:
        return set()
    return {uri for uri in pages if item_kind(uri) in ("source", "actor") or uri == PAGES["chronology"]}


class BuildSpeed:
    """The speed machinery of one MkDocs build (the plugin makes one per build)."""

    def __init__(self, thresholds: Thresholds, command: str) -> None:
        self.thresholds = thresholds
        self.command = command
        self.search = None  # searchjobs.ParallelSearch while one runs

    def keep(self) -> None:
        """Exempt everything alive now from the cyclic garbage collector until end()."""
        gc.freeze()

    def detach_core(self, content: Path) -> bool:
        """Whether the core runs in a forked child (detached.py: this process never holds the
        model): under 'mkdocs build' where forking is safe, from ``parallel_min_bytes`` of
        content YAML on."""
        if self.command != "build" or not can_fork():
            return False
        total = 0
        for path in content.rglob("*.y*ml"):
            total += path.stat().st_size
            if total >= self.thresholds.parallel_min_bytes:
                return True
        return False

    def pages_converted(self, config, files, n_generated: int) -> None:
        """Every page's HTML is final (on_env): freeze what the rest of the build keeps, and
        start search parsing in a second process when the build is large enough."""
        self.keep()
        if self.command != "build" or n_generated < self.thresholds.parallel_min_pages or not can_fork():
            return
        from .searchjobs import ParallelSearch, search_index_of  # Material's internals, only here

        index = search_index_of(config)
        if index is None:
            return
        pages = [f.page for f in files.documentation_pages() if f.page is not None and f.page.content is not None
                 and not (f.page.meta.get("search") or {}).get("exclude")]
        self.search = ParallelSearch(index, pages)

    def page_context(self, page) -> None:
        """A page is about to be written, after every other plugin's on_page_context: its HTML
        is complete again (searchjobs parks some until Material's search has seen them)."""
        if self.search is not None:
            self.search.unpark(page)

    def end(self) -> None:
        """Undo everything: the search index's own method again, the child reaped, the heap
        back with the collector. Safe to call more than once."""
        search, self.search = self.search, None
        try:
            if search is not None:
                search.close()
        finally:
            gc.unfreeze()
