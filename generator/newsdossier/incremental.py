"""Incremental preview: after a save under 'mkdocs serve', only what changed is read again
(``ReadCache``), only the pages whose inputs changed are rendered again (deps.RenderCache), and
MkDocs rebuilds only the pages whose output can have changed; every other page keeps the file
of the previous build.

A page's built HTML is a function of its generated page (title, meta, toc, body) and of what
every page shares: the navigation with the titles of the pages in it, the configuration
(mkdocs.yml, the dossier's identity, the theme and its overrides), the build date and the set
of pages. ``PageCache`` keeps, per page of the last build, the hash of its page and what MkDocs
made of it that other steps still read (title, table of contents, anchors, meta data, its
search index entries), and one key for all the shared parts. On the next build:

* shared key changed (a navigation title, the configuration, a template, a page added or
  removed...): every page is built, as before;
* else a page whose hash is unchanged is *reused*: the plugin restores the saved state
  instead of rendering it, lets MkDocs render it with a one-line template
  (``dossier-reused.html``) whose output the plugin drops (MkDocs writes no file for an empty
  page), gives Material's search index the saved entries, and after the build moves the
  previous output file back (a folder holding only reused files as a whole);
* a reused page that is not in the navigation is *left out*: MkDocs never sees it (it is not
  in ``Files``), so it costs nothing per page. Only pages in the navigation reach other
  pages' HTML (the navigation, prev/next links); what else a full build takes from every page
  is given back: its search entries go into Material's index where a full build puts them
  (``wrap_search``), and sitemap.xml(.gz), which lists every page, is the previous build's
  (the same pages, URLs and build date: all in the shared key). Pages are left out only when
  every plugin is one known not to look at pages otherwise (``QUIET_PLUGINS``).

MkDocs empties site_dir before every non-dirty build but leaves hidden entries alone, so the
previous build's files are moved into ``site_dir/.dossier-previous/`` first (renames, no
copying) and whatever was not reused is deleted after the build. Nothing of this runs under
'mkdocs build'. A failed build forgets everything (the next one is complete).
Tested: a sequence of edits built this way gives the same site, byte for byte, as a fresh
build (tests/test_incremental.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs import utils as mkdocs_utils

#: the placeholder template of a reused page (in the package's theme folder)
REUSED_TEMPLATE = "dossier-reused.html"
#: where the previous build's files wait during a build (hidden: MkDocs' cleaning skips it)
STASH = ".dossier-previous"
#: where the last good build's files wait while the preview shows problem pages, so that the
#: save that fixes the content rebuilds only what changed since that build
GOOD = ".dossier-good"
#: what MkDocs writes from the list of all pages (a static template of every theme)
SITEMAP = ("sitemap.xml", "sitemap.xml.gz")
#: plugins that see pages only through the events MkDocs runs for each page it builds, so a
#: page left out of ``Files`` is missed by nothing they write (the dossier's own, Material's
#: search: given the saved entries). With any other plugin no page is left out.
QUIET_PLUGINS = frozenset({"dossier", "search", "material/search"})


@dataclass
class Saved:
    """What a page's build left that the rest of a later build reads without rebuilding it."""

    digest: bytes
    dest_uri: str
    meta: dict
    title: str | None
    toc: object
    present_anchor_ids: set | None
    links_to_anchors: dict | None  # src_uri -> {anchor: link}
    search: list | None = None  # Material's index entries, None when not indexed
    #: those entries as search_index.json writes them (wrap_search), once they were written
    search_json: str | None = None


@dataclass
class PageCache:
    key: bytes | None = None
    pages: dict[str, Saved] = field(default_factory=dict)
    #: this build: page path -> text hash, and the pages reused
    digests: dict[str, bytes] = field(default_factory=dict)
    reused: dict[str, Saved] = field(default_factory=dict)
    #: this build: the reused pages left out of MkDocs' files altogether (leave_out)
    omitted: set[str] = field(default_factory=set)
    #: this build: the search entries of the pages built, until remember() keeps them
    searched: dict[str, list] = field(default_factory=dict)
    stash: Path | None = None
    site_dir: Path | None = None
    #: how many pages the last build reused, and how many of them it left out (for tests)
    last_reused: int = 0
    last_omitted: int = 0
    #: the last build showed problem pages; (key, pages) of the last good build, its files in GOOD
    failed: bool = False
    good: tuple | None = None
    #: this build: where reused files come from, and whether the stash becomes GOOD afterwards
    source: Path | None = None
    keep_as_good: bool = False
    #: this build: adds the left-out pages' search entries after the last page (wrap_search)
    _search_rest: object = None
    #: this build: every plugin is in QUIET_PLUGINS (leave_out)
    _quiet: bool = False
    #: whether the last build's search_index.json was written from kept JSON (for tests)
    last_spliced: bool = False
    #: id(page) -> (page, its digest): the pages of the last build (kept: no id is reused)
    _hashed: dict = field(default_factory=dict)

    def digests_of(self, pages: dict) -> dict[str, bytes]:
        """page.Page.digest() of every page; a page the render cache reused is the same object
        as last time: hashed once."""
        known, self._hashed = self._hashed, {}
        out = {}
        for uri, p in pages.items():
            hit = known.get(id(p))
            if hit is None or hit[0] is not p:
                hit = (p, p.digest())
            self._hashed[id(p)] = hit
            out[uri] = hit[1]
        return out

    def forget(self) -> None:
        self.key, self.pages, self.reused, self.digests, self.searched = None, {}, {}, {}, {}
        self.omitted, self._search_rest = set(), None
        self.good, self.failed, self.source, self.keep_as_good = None, False, None, False

    # --- before MkDocs cleans site_dir (on_pre_build) ------------------------------------

    def stash_previous(self, site_dir: str) -> None:
        """Move the previous build's files out of MkDocs' way (into the hidden stash)."""
        self.site_dir = Path(site_dir)
        stash = self.site_dir / STASH
        if stash.exists():
            shutil.rmtree(stash, ignore_errors=True)
        if self.good is None and (self.site_dir / GOOD).exists():
            shutil.rmtree(self.site_dir / GOOD, ignore_errors=True)
        self.stash = None
        if not self.pages or not self.site_dir.is_dir():
            return
        stash.mkdir()
        for entry in os.listdir(self.site_dir):
            if not entry.startswith("."):
                os.rename(self.site_dir / entry, stash / entry)
        self.stash = stash

    # --- on_files -----------------------------------------------------------------------

    def plan(self, key: bytes, digests: dict[str, bytes], failed: bool = False) -> None:
        """Decide which pages are reused: same shared key, same page (``digests``: its hash,
        page.Page.digest), previous file there.
        ``failed``: this build shows problem pages. The first such build after a good one
        keeps that good build aside (GOOD); the next good build starts from it."""
        self.digests = dict(digests)
        self.reused, self.searched, self.omitted, self._search_rest = {}, {}, set(), None
        self._quiet = False
        prev_key, prev_pages, self.source = self.key, self.pages, self.stash
        if not failed and self.good is not None and self.site_dir is not None:
            (prev_key, prev_pages), self.source = self.good, self.site_dir / GOOD
        if key == prev_key and self.source is not None:
            source = os.fspath(self.source)  # (os.path: a tenth of pathlib's cost, 1,300 times a save)
            for uri, digest in self.digests.items():
                saved = prev_pages.get(uri)
                if saved is not None and saved.digest == digest and os.path.isfile(os.path.join(source, saved.dest_uri)):
                    self.reused[uri] = saved
        self.keep_as_good = failed and not self.failed and self.stash is not None
        if self.keep_as_good:
            self.good = (self.key, dict(self.pages))
        self.key, self.failed = key, failed
        self.pages = {uri: s for uri, s in prev_pages.items() if uri in self.reused}

    def leave_out(self, in_nav: set[str] | None, plugins) -> set[str]:
        """Which reused pages MkDocs need not see (``omitted``): not in the navigation
        (``in_nav``: its page paths; None when MkDocs makes the navigation of every page), no
        links MkDocs checks, every plugin in QUIET_PLUGINS, the previous sitemap there."""
        self.omitted = set()
        self._quiet = not set(plugins) - QUIET_PLUGINS
        if (in_nav is None or not self.reused or self.source is None or not self._quiet
                or not all((self.source / name).is_file() for name in SITEMAP)):
            return self.omitted
        self.omitted = {uri for uri, saved in self.reused.items()
                        if uri not in in_nav and not saved.links_to_anchors}
        return self.omitted

    # --- during the build ---------------------------------------------------------------

    def restore(self, page, files) -> None:
        """What page.render() would have set, from the saved state (no Markdown conversion)."""
        saved = self.reused[page.file.src_uri]
        page.content = ""
        page.toc = saved.toc
        page._title_from_render = saved.title
        page.present_anchor_ids = set(saved.present_anchor_ids) if saved.present_anchor_ids is not None else None
        if saved.links_to_anchors is not None:
            links = {}
            for uri, anchors in saved.links_to_anchors.items():
                target = files.get_file_from_path(uri)
                if target is not None:
                    links[target] = dict(anchors)
            page.links_to_anchors = links

    def remember(self, page) -> None:
        """A page was built: keep what a later build needs to reuse it (on_post_page, when
        every step has run: anchors registered in on_env, search entries added)."""
        uri = page.file.src_uri
        if uri in self.reused or uri not in self.digests:
            return
        links = None
        if page.links_to_anchors is not None:
            links = {f.src_uri: dict(a) for f, a in page.links_to_anchors.items()}
        self.pages[uri] = Saved(self.digests[uri], page.file.dest_uri, dict(page.meta), page._title_from_render,
                                page.toc, set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
                                links, self.searched.pop(uri, None))

    def wrap_search(self, index, order: list[str]) -> None:
        """For this build's search index object (made anew by Material every build): reused
        pages get their saved entries; the entries of every page built are kept. The pages
        left out get theirs where a full build indexes them: ``order`` is the documentation
        pages of a full build in its order; before each page, the left-out pages that come
        before it; the rest when ``flush_search`` is called (on_post_build, before Material
        writes the index)."""
        from .searchjobs import add_entry, is_materials

        original = index.add_entry_from_context
        materials = is_materials(original)
        if materials:  # the same entries, a faster tokenizer for our plain HTML
            original = functools.partial(add_entry, index)
        position = {uri: i for i, uri in enumerate(order)}
        done = 0
        #: (first entry, end, the page's Saved or its path when built now), in index order
        segments: list[tuple[int, int, object]] = []

        def add_saved(saved: Saved) -> None:
            start = len(index.entries)
            index.entries.extend(dict(e) for e in saved.search or ())
            segments.append((start, len(index.entries), saved))

        def left_out_until(end: int) -> None:
            nonlocal done
            for uri in order[done:end]:
                if uri in self.omitted:
                    add_saved(self.reused[uri])
            done = max(done, end)

        self._search_rest = lambda: left_out_until(len(order))

        def add_entry_from_context(page):
            uri = page.file.src_uri
            if self.omitted and uri in position:
                left_out_until(position[uri])
            saved = self.reused.get(uri)
            if saved is not None:
                add_saved(saved)
                return None
            before = len(index.entries)
            out = original(page)
            self.searched[uri] = [dict(e) for e in index.entries[before:]]
            segments.append((before, len(index.entries), uri))
            return out

        index.add_entry_from_context = add_entry_from_context
        self.last_spliced = False
        if materials and self._quiet and is_materials(index.generate_search_index):
            index.generate_search_index = functools.partial(self._search_json, index, index.generate_search_index,
                                                            segments)

    def _search_json(self, index, generate, segments: list, prev) -> str:
        """Material's generate_search_index(prev) for this build's index, written from the
        JSON kept for each page (Saved.search_json) where the page's entries are the kept ones:
        json.dumps of the whole index took 0.1 s CPU at 3,000 articles, every save. The same
        text: json.dumps with "," and ":" writes a list as its items' texts joined by ",", and
        the entries are plain dicts nobody changes after they are added (every plugin quiet).
        Anything else - entries not all from wrap_search, a previous index - is left to
        Material."""
        entries = index.entries
        at = 0
        for start, end, _owner in segments:
            if start != at:
                return generate(prev)
            at = end
        if prev or at != len(entries):
            return generate(prev)
        index.entries = []
        try:
            empty = generate(None)  # Material's own config part
        finally:
            index.entries = entries
        if not empty.endswith(',"docs":[]}'):
            return generate(prev)
        parts = []
        for start, end, owner in segments:
            saved = owner if isinstance(owner, Saved) else self.pages.get(owner)
            if saved is None or isinstance(owner, str) or saved.search_json is None:
                text = _json_items(entries[start:end])
                if saved is not None and saved.search == entries[start:end]:
                    saved.search_json = text
            else:
                text = saved.search_json
            if text:
                parts.append(text)
        self.last_spliced = True
        return empty[:-2] + ",".join(parts) + "]}"

    # --- after the build (on_post_build) -------------------------------------------------

    def flush_search(self) -> None:
        """The search entries of left-out pages after the last page built (see wrap_search)."""
        rest, self._search_rest = self._search_rest, None
        if rest is not None:
            rest()

    def put_back(self) -> None:
        """Move each reused page's previous file over its placeholder (and the previous
        sitemap over the one MkDocs wrote without the pages left out); drop the stash."""
        if self.site_dir is None:
            self.last_reused = self.last_omitted = 0
            return
        if self.reused:
            _move_back(self.source, self.site_dir, {saved.dest_uri for saved in self.reused.values()}
                       | (set(SITEMAP) if self.omitted else set()))
        for uri, saved in self.reused.items():
            self.pages[uri] = saved
        self.last_reused, self.last_omitted = len(self.reused), len(self.omitted)
        self.reused, self.omitted = {}, set()
        if self.keep_as_good:  # the good build's files wait for the fix
            shutil.rmtree(self.site_dir / GOOD, ignore_errors=True)
            os.rename(self.stash, self.site_dir / GOOD)
        elif not self.failed:
            self.good = None
            shutil.rmtree(self.site_dir / GOOD, ignore_errors=True)
        if self.stash is not None and self.stash.exists():
            shutil.rmtree(self.stash, ignore_errors=True)
        self.stash = self.source = None
        self.keep_as_good = False


def _json_items(entries: list) -> str:
    """The items of ``entries`` as Material's generate_search_index writes them in its list."""
    return json.dumps(entries, separators=(",", ":"), default=str)[1:-1]


def _move_back(source: Path, site: Path, wanted: set[str]) -> None:
    """Move the files ``wanted`` (paths relative to both folders) from ``source`` into
    ``site``: a folder of ``source`` that holds only wanted files and is not in ``site`` yet is
    moved as a whole (one rename instead of one per page). Each folder is listed once: the
    folders with wanted files in them (on the way to a wanted file) and the folders moved
    as a whole; nothing else of ``source`` is looked at."""
    on_the_way = set()
    for path in wanted:
        i = path.find("/")
        while i >= 0:
            on_the_way.add(path[:i + 1])
            i = path.find("/", i + 1)

    def only_wanted(folder: str, rel: str) -> bool:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = rel + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if path + "/" not in on_the_way or not only_wanted(entry.path, path + "/"):
                        return False
                elif path not in wanted:
                    return False
        return True

    def merge(folder: str, into: str, rel: str) -> None:
        there = set(os.listdir(into))
        with os.scandir(folder) as listed:
            entries = list(listed)
        for entry in entries:
            path = rel + entry.name
            target = os.path.join(into, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if path + "/" not in on_the_way:
                    continue
                if entry.name not in there and only_wanted(entry.path, path + "/"):
                    os.rename(entry.path, target)
                else:
                    if entry.name not in there:
                        os.mkdir(target)
                    merge(entry.path, target, path + "/")
            elif path in wanted:
                os.replace(entry.path, target)

    merge(os.fspath(source), os.fspath(site), "")


class TemplateCodeCache:
    """Jinja's compiled templates kept from one 'mkdocs serve' build to the next: MkDocs makes
    a new Jinja environment (the theme's) every build, and compiling Material's templates
    again took a third of a second. Jinja checks each template's source against the kept
    code's checksum, so an edited template is compiled anew (jinja2.BytecodeCache)."""

    def __new__(cls):
        import jinja2

        class Memory(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.data: dict[str, bytes] = {}

            def load_bytecode(self, bucket) -> None:
                code = self.data.get(bucket.key)
                if code is not None:
                    bucket.bytecode_from_string(code)

            def dump_bytecode(self, bucket) -> None:
                self.data[bucket.key] = bucket.bytecode_to_string()

        return Memory()


def quiet_reused_pages(cache: PageCache) -> None:
    """MkDocs says 'Page skipped' (INFO) for each page whose output is empty: the reused pages
    of the incremental preview, whose files are put back after the build. Not said for those."""
    import logging

    class Quiet(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            msg = record.msg if isinstance(record.msg, str) else ""
            if not msg.startswith("Page skipped: '"):
                return True
            return msg[len("Page skipped: '"):].rsplit("'. ", 1)[0] not in cache.reused

    logger = logging.getLogger("mkdocs.commands.build")
    for f in [f for f in logger.filters if type(f).__name__ == "Quiet"]:
        logger.removeFilter(f)  # (a filter of an earlier plugin instance)
    logger.addFilter(Quiet())


def shared_key(config, nav_titles: dict, pages, root: Path, theme_dirs) -> bytes:
    """One hash of everything a page's HTML shares with every other page."""
    h = hashlib.blake2b(digest_size=16)

    def add(value) -> None:
        h.update(json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False).encode("utf-8"))
        h.update(b"\0")

    cfg_file = config.config_file_path
    add(Path(cfg_file).read_bytes().hex() if cfg_file and Path(cfg_file).is_file() else None)
    add([config.site_name, config.site_description, config.site_url, config.site_dir, config.use_directory_urls,
         config.copyright, config.repo_url, config.edit_uri, config.extra, [str(x) for x in config.extra_css],
         [str(x) for x in config.extra_javascript], dict(config.theme), list(config.theme.dirs),
         [str(x) for x in config.markdown_extensions], config.mdx_configs, config.nav, str(root)])
    add(mkdocs_utils.get_build_date())
    add(nav_titles)
    add(sorted(pages))
    stamps = []
    for folder in theme_dirs:
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                st = os.stat(os.path.join(dirpath, name))
                stamps.append((os.path.join(dirpath, name), st.st_mtime_ns, st.st_size))
    add(sorted(stamps))
    return h.digest()


class ReadCache:
    """What loading made of each content file and article, by file (path, and stat or bytes):
    under 'mkdocs serve' a rebuild reads and converts only the files saved since the last one
    (load.load's ``cache``). Reading a file is a pure function of its bytes, its kind and its
    path (load._read_file, article.load_article), so a result - objects and problems - is kept
    as long as the bytes are the same; load() clears what its cross-file steps set on them."""

    def __init__(self) -> None:
        self.files: dict[tuple, tuple] = {}
        self.articles: dict[tuple, tuple] = {}
        #: how many content files and articles the last load read (the rest came from here)
        self.last_read = 0

    @staticmethod
    def _fingerprint(path: str, entry: tuple | None, listing: _Listing) -> tuple | None:
        """(stat stamp, (whether it is a link, hash of the bytes)) of a file: a result is kept
        while the second part is the same (a link to the same bytes is refused, a file is
        not); the bytes are read only when the stamp differs from the entry's. None when the
        file cannot be read (reading reports it)."""
        try:
            stamp = listing.stamp(path)
            if entry is not None and entry[0][0] == stamp:
                return entry[0]
            with open(path, "rb") as f:
                return stamp, (stamp[0], hashlib.blake2b(f.read(), digest_size=16).digest())
        except OSError:
            return None

    def read_files(self, tasks: list, read) -> list:
        """read(*task) for every task (load._read_files), from the cache where the file is the
        same."""
        out, kept = [], {}
        self.last_read = 0
        listing = _Listing()
        for task in tasks:
            path = os.fspath(task[1])
            key = (task[0], path, task[2], task[3])
            entry = self.files.get(key)
            fp = self._fingerprint(path, entry, listing)
            if entry is not None and fp is not None and entry[0][1] == fp[1]:
                result = entry[1]
            else:
                result = read(*task)
                self.last_read += 1
            if fp is not None:
                kept[key] = (fp, result)
            out.append(result)
        self.files = kept
        return out

    def article_reader(self, load_article):
        """load_article, taking each article from the cache where its file is the same."""
        from .errors import Problems

        kept: dict[tuple, tuple] = {}
        previous, self.articles = self.articles, kept
        listing = _Listing()

        def read(root, seeds_dir, name, furniture, problems, mode):
            path = os.path.join(root, seeds_dir, name)
            key = (os.fspath(root), seeds_dir, name, tuple(sorted(furniture.items())), mode)
            entry = previous.get(key)
            fp = self._fingerprint(path, entry, listing)
            if entry is not None and fp is not None and entry[0][1] == fp[1]:
                article, found = entry[1], entry[2]
            else:
                found = Problems()
                article = load_article(root, seeds_dir, name, furniture, found, mode)
                self.last_read += 1
            problems.extend(found)
            if fp is not None:
                kept[key] = (fp, article, found)
            return article

        return read


class _Listing:
    """The entries of the folders of one load, each folder listed once (os.scandir): a file's
    stat stamp without a path object per file, and whether it is a link (part of the stamp:
    an article that becomes a link to the same bytes is refused, article.load_article) from
    the listing instead of a second system call."""

    def __init__(self) -> None:
        self.folders: dict[str, dict[str, os.DirEntry]] = {}

    def stamp(self, path: str) -> tuple:
        """(is a link, mtime, size, inode - of the file a link leads to) of ``path``; OSError
        when it cannot be stat'ed."""
        folder, name = os.path.split(path)
        entries = self.folders.get(folder)
        if entries is None:
            try:
                with os.scandir(folder) as found:
                    entries = {e.name: e for e in found}
            except OSError:
                entries = {}
            self.folders[folder] = entries
        entry = entries.get(name)
        if entry is None:  # not listed under this spelling (a file system that ignores case)
            st = os.stat(path)
            return os.path.islink(path), st.st_mtime_ns, st.st_size, st.st_ino
        st = entry.stat()  # through a link, as os.stat
        return entry.is_symlink(), st.st_mtime_ns, st.st_size, st.st_ino
