"""MkDocs adapter. Thin on purpose: it runs the core and hands its pages to MkDocs.

* ``on_pre_build`` runs the core *before* MkDocs cleans ``site/``, so a content error
  leaves the previous site intact; every error is reported at once in one ``PluginError``.
* ``on_files`` adds the pages as ``File.generated`` (nothing is written into a docs folder).
* ``mkdocs serve`` is the editor preview: full article texts and coverage marks.
"""

from __future__ import annotations

import gc
import html
import json
import re
from pathlib import Path

from markdown.util import BLOCK_LEVEL_ELEMENTS
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import meta as mkdocs_meta

from .core import Result, build
from .errors import ContentError
from .forked import can_fork
from .render import PAGES, PARALLEL_MIN_PAGES, Options, footer
from .searchjobs import ParallelSearch, search_index_of

log = get_plugin_logger(__name__)


class DossierConfig(base.Config):
    content_dir = c.Type(str, default="content")
    seeds_dir = c.Type(str, default="seeds")
    #: "auto": editor preview under ``mkdocs serve``, public pages under ``mkdocs build``
    preview = c.Choice(("auto", "on", "off"), default="auto")
    #: generate the navigation (ignored when mkdocs.yml defines ``nav``)
    nav = c.Type(bool, default=True)
    #: hand the generated pages' raw HTML blocks past Python-Markdown (``protect_html``) and
    #: their front matter past MkDocs' YAML parser (``split_front_matter``); same output,
    #: off only to compare the two paths in tests
    fast_html = c.Type(bool, default=True)


class DossierPlugin(BasePlugin[DossierConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.result: Result | None = None
        #: ((root, content_dir, seeds_dir), core.check result) of that input, checked just before
        #: the build by 'dossier build', so the content is not loaded twice
        self.checked: tuple[tuple, Result] | None = None
        self.root = Path.cwd()
        self.generated: set[str] = set()
        self.unsearched: set[str] = set()
        self.raw_blocks: dict[str, list[str]] = {}
        self.front: dict[str, dict] = {}
        self.search_jobs: ParallelSearch | None = None
        #: pages whose raw blocks' ids are not registered yet: src_uri -> (page, html, spans)
        self.unscanned: dict[str, tuple] = {}

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance alive across 'mkdocs serve' rebuilds.
        self.command = command

    def on_config(self, config):
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.user_nav = config.nav is not None
        return config

    def _options(self, config) -> Options:
        preview = self.config.preview == "on" or (self.config.preview == "auto" and self.command == "serve")
        dirs = []
        custom = getattr(config.theme, "custom_dir", None)
        if custom and (Path(custom) / "dossier").is_dir():
            dirs.append(Path(custom) / "dossier")
        return Options(use_directory_urls=config.use_directory_urls, preview=preview, template_dirs=dirs)

    def on_pre_build(self, *, config) -> None:
        self.raw_blocks.clear()  # a rebuild after a failed one starts clean (mkdocs serve)
        checked, self.checked = self.checked, None  # handed over once, by 'dossier build'
        if checked is not None and checked[0] != (self.root, self.config.content_dir, self.config.seeds_dir):
            checked = None
        result = build(self.root, self.config.content_dir, self.config.seeds_dir, self._options(config),
                       checked=checked[1] if checked else None)
        for w in result.warnings:
            log.warning(w.format())
        if result.errors:
            raise PluginError(str(ContentError(result.errors)))
        self.result = result
        config.extra["dossier_footer"] = footer(result.dossier, self._options(config))  # site_theme/main.html
        if self.config.nav and not self.user_nav:
            config.nav = result.nav
        _freeze_heap()

    def on_files(self, files: Files, *, config) -> Files:
        assert self.result is not None
        self.generated = set(self.result.pages)
        self.unsearched = search_excluded(self.result)
        self.front = {}
        self.unscanned = {}
        pages = self.result.pages
        for uri in sorted(pages):
            # popped, so that each page's text is freed once the File has its copy without
            # the front matter (else all pages exist twice here: +200 MB at 3,000 articles)
            text = pages.pop(uri)
            split = split_front_matter(text) if self.config.fast_html else None
            if split is not None:
                text, self.front[uri] = split
            _replace(files, File.generated(config, uri, content=text, inclusion=InclusionLevel.INCLUDED))
        for uri, data in sorted(self.result.assets.items()):
            _replace(files, File.generated(config, uri, content=data, inclusion=InclusionLevel.INCLUDED))
        # The files hold the page texts now; the dossier model (located YAML, articles, index)
        # is not needed for the rest of the build. Dropping it keeps peak memory down: MkDocs
        # holds every page's Markdown and HTML until the build ends.
        self.result = None
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        front = self.front.pop(page.file.src_uri, None)
        if front is not None:  # what MkDocs would have read from the front matter we took off
            page.meta = front
        if page.file.src_uri in self.unsearched:
            search = page.meta.get("search")
            page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
        if page.file.src_uri not in self.generated:
            return markdown
        # MkDocs has read the page; the File keeps the whole generated text until the build ends
        # (2 bytes a character for German text: ~300 MB at 3,000 articles). Nothing reads it again.
        page.file.content_string = ""
        if not self.config.fast_html:
            return markdown
        markdown, blocks = protect_html(markdown)
        if blocks:
            self.raw_blocks[page.file.src_uri] = blocks
        return markdown

    def on_page_content(self, html_text: str, *, page, config, files) -> str:
        blocks = self.raw_blocks.pop(page.file.src_uri, None)
        if not blocks:
            return html_text
        html_text, spans = restore_html(html_text, blocks)
        if page.present_anchor_ids is not None:  # ids registered in on_env, if anything links to them
            self.unscanned[page.file.src_uri] = (page, html_text, spans)
        return html_text

    def on_env(self, env, *, config, files):
        """Register the ids inside the raw blocks of every page that a Markdown link points to
        with an anchor: MkDocs checks those anchors after writing the pages, and only those.
        (Every link is known by now: MkDocs has converted all pages.) Scanning every page's
        blocks instead took 0.8 s of a 1,000-article build, for pages nothing links to."""
        targets = {to.src_uri for f in files.documentation_pages() if f.page is not None
                   for to in (f.page.links_to_anchors or {})}
        for uri in targets & self.unscanned.keys():
            page, text, spans = self.unscanned[uri]
            page.present_anchor_ids.update(anchor_ids(text, spans))
        self.unscanned = {}
        _freeze_heap()  # every page is converted: what the rest of the build keeps
        self._start_search_jobs(config, files)
        return env

    def _start_search_jobs(self, config, files) -> None:
        """From PARALLEL_MIN_PAGES pages on, under 'mkdocs build': search indexing in a second
        process (see searchjobs). Every page's HTML is final by on_env."""
        if self.command != "build" or len(self.generated) < PARALLEL_MIN_PAGES or not can_fork():
            return
        index = search_index_of(config)
        if index is None:
            return
        pages = [f.page for f in files.documentation_pages() if f.page is not None and f.page.content is not None
                 and not (f.page.meta.get("search") or {}).get("exclude")]
        self.search_jobs = ParallelSearch(index, pages)

    def _stop_search_jobs(self) -> None:
        if self.search_jobs is not None:
            self.search_jobs.close()
            self.search_jobs = None

    def on_post_build(self, *, config) -> None:
        self._stop_search_jobs()
        gc.unfreeze()

    def on_build_error(self, *, error) -> None:
        self._stop_search_jobs()
        gc.unfreeze()

    def on_shutdown(self) -> None:
        # a build stopped between the freeze and on_post_build (Ctrl-C, another plugin's
        # error hook failing first) must not leave the heap exempt from collection
        gc.unfreeze()

    def on_serve(self, server, *, config, builder):
        for folder in (self.config.content_dir, self.config.seeds_dir):
            path = self.root / folder
            if path.is_dir():
                server.watch(str(path))
        # the page templates; Python code in generator/ is not re-imported by a running
        # server (restart it after changing code)
        server.watch(str(Path(__file__).parent / "templates"))
        # MkDocs watches theme folders only with --watch-theme; ours is part of the dossier
        custom = getattr(config.theme, "custom_dir", None)
        if custom:
            server.watch(str(custom))
        return server


#: Up to this many sources every page is searchable. Beyond it, the pages that repeat what
#: the topic pages say (one per source, one per actor, the chronology) stay out of the search
#: index: at 1,000 articles they made the index 23 MB (too big for a reader's browser) and
#: indexing them was 40% of the build. Sources and actors stay findable by title and name on
#: their overview pages; their claims and events on the topic pages.
SEARCH_ALL_MAX_SOURCES = 50


def search_excluded(result: Result) -> set[str]:
    if len(result.dossier.sources) <= SEARCH_ALL_MAX_SOURCES:
        return set()
    leaf = ("quellen/", "akteure/")
    return {uri for uri in result.pages
            if (uri.startswith(leaf) and not uri.endswith("/index.md")) or uri == PAGES["chronology"]}


def _replace(files: Files, new: File) -> None:
    old = files.get_file_from_path(new.src_uri)
    if old is not None:
        files.remove(old)
    files.append(new)


# --- front matter past MkDocs' YAML parser ---------------------------------------------------
#
# Every generated page starts with front matter: its title, its kind and the JSON-LD data of
# the articles it cites (one JSON line, long on topic pages and the chronology). MkDocs reads
# it with PyYAML, whose object construction is Python code: 1.2 s of a 1,000-article build.
# Our lines are 'key: <JSON>' or 'key: word'; JSON is YAML, so json.loads gives the same values
# - as long as nothing in the block is read differently by YAML 1.1 (checked below; anything
# else is left to MkDocs). The plugin takes such a front matter off the page text and sets
# page.meta itself in on_page_markdown, right after MkDocs read the (now bare) page.

_FRONT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.*)")
_PLAIN_WORD = re.compile(r"[a-z][a-z0-9_]*")
#: lower-case words YAML 1.1 does not read as text (booleans and null)
_YAML_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null"})
#: characters YAML refuses or reads as line breaks inside quotes (JSON leaves them raw)
_YAML_SPECIAL = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")


def _freeze_heap() -> None:
    """Exempt everything alive now from the cyclic garbage collector until the build ends.

    The core's model and MkDocs' pages live until the end of the build (or until their last
    reference goes, which frees them as usual), but every collection of the oldest generation
    scanned all of them again: at 1,000 articles the collector took 0.9 s of the build.
    on_post_build/on_build_error/on_shutdown hand them back to the collector (gc.unfreeze),
    so a 'mkdocs serve' rebuild does not keep the previous build's cycles."""
    gc.freeze()


def split_front_matter(text: str) -> tuple[str, dict] | None:
    """(the page without its front matter, the front matter as MkDocs would read it), or None
    when the front matter is not of the plain kind this fast path is sure about."""
    m = mkdocs_meta.YAML_RE.match(text)
    if not m or _YAML_SPECIAL.search(m.group(1)):
        return None
    data: dict = {}
    for line in m.group(1)[:-1].split("\n"):
        fm = _FRONT_LINE.fullmatch(line)
        if fm is None:
            return None
        key, raw = fm.groups()
        if _PLAIN_WORD.fullmatch(raw) and raw not in _YAML_WORDS:
            data[key] = raw
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        if not _json_text(value):
            return None
        data[key] = value
    rest = text[m.end():].lstrip("\n")
    if mkdocs_meta.get_data(rest) != (rest, {}):  # MkDocs would find more meta data in the rest
        return None
    return rest, data


def _json_text(value) -> bool:
    """Only text, lists and mappings (YAML 1.1 reads JSON numbers and null differently), and no
    mapping key near YAML's 1,024-character limit for keys."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_json_text(v) for v in value)
    if isinstance(value, dict):
        return all(len(k) < 1000 and _json_text(v) for k, v in value.items())
    return False


# --- raw HTML past Python-Markdown ------------------------------------------------------------
#
# Generated pages are mostly raw HTML blocks. For each of them MkDocs runs html.parser twice
# (Python-Markdown's raw-HTML stash and MkDocs' anchor scan) only to pass the block through
# unchanged - about 40% of a build's MkDocs time. protect_html() swaps every block that Python-
# Markdown would certainly stash verbatim for an HTML comment (which it also passes through),
# and on_page_content puts the blocks back; on_env registers their ids for anchor validation
# (for the pages that Markdown links point to with an anchor: the only ones MkDocs checks).
# Anything unusual (no blank line before, tabs, comments, unbalanced tags, code fences) is
# left to Python-Markdown, so the HTML is byte for byte what it would have been.

_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>/])")
_PLACEHOLDER = re.compile(r"<!--dossier-raw-(\d+)-->")
_ANCHOR_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"|<a\s[^<>]*?\bname="([^"]*)"')
_UNSAFE = ("\t", "\r", "\x02", "\x03", "<!--", "\n\n")


def restore_html(html_text: str, blocks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Put the blocks back in place of their placeholders; also return where each block now
    stands in the text, as (start, end)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = length = 0
    for m in _PLACEHOLDER.finditer(html_text):
        block = blocks[int(m.group(1))]
        parts += (html_text[pos:m.start()], block)
        length += m.start() - pos
        spans.append((length, length + len(block)))
        length += len(block)
        pos = m.end()
    parts.append(html_text[pos:])
    return "".join(parts), spans


def anchor_ids(html_text: str, spans: list[tuple[int, int]]) -> set[str]:
    """The ids (and <a name>s) inside the given stretches of html_text."""
    return {html.unescape(a or b) for start, end in spans for a, b in _ANCHOR_ID.findall(html_text, start, end)}


def protect_html(markdown: str) -> tuple[str, list[str]]:
    """Replace raw HTML blocks by placeholders; return the new text and the blocks."""
    if "```" in markdown or "~~~" in markdown:
        return markdown, []
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        m = _START_TAG.match(line)
        end = _block_end(lines, i, m.group(1).lower()) if m and m.group(1).lower() in _BLOCK_TAGS and (i == 0 or not lines[i - 1]) else None
        if end is None:
            out.append(line)
            i += 1
            continue
        out.append(f"<!--dossier-raw-{len(blocks)}-->")
        blocks.append("\n".join(lines[i:end + 1]))
        i = end + 1
    return "\n".join(out), blocks


def _block_end(lines: list[str], start: int, tag: str) -> int | None:
    """Index of the last line of the block opened by ``<tag`` at ``lines[start]``, if the block
    is plain: it ends with ``</tag>`` at the end of a line and the opening tag is closed nowhere
    earlier. (Python-Markdown treats a comment and a block alike before the next line, blank or
    not: html.parser hands both to the same 'block ended, tail follows' logic.)"""
    events = re.compile(rf"<(/?){tag}(?=[\s>/])", re.IGNORECASE)
    depth = 0
    for j in range(start, len(lines)):
        line = lines[j]
        if not line:
            return None
        for ev in events.finditer(line):
            if depth == 0 and (j, ev.start()) != (start, 0):
                return None  # closed before the end of the line: leave it to Markdown
            depth += -1 if ev.group(1) else 1
        if depth == 0:
            if not line.endswith(f"</{tag}>"):
                return None
            text = "\n".join(lines[start:j + 1])
            return None if any(u in text for u in _UNSAFE) else j
        if depth < 0:
            return None
    return None
