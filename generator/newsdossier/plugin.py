"""MkDocs adapter: wires MkDocs' events to the core. Nothing else lives here.

* ``on_pre_build`` runs the core *before* MkDocs cleans ``site/``, so a content error
  leaves the previous site intact; every error is reported at once in one ``PluginError``.
  Under ``mkdocs serve`` the problems become pages instead (preview), so the server never
  waits for a rebuild that cannot succeed.
* ``on_files`` adds the pages as ``File.generated`` (nothing is written into a docs folder).
* ``mkdocs serve`` is the editor preview: full article texts and coverage marks.
* Speed for large dossiers (gc.freeze, search parsing in a second process) is one object per
  build (speed.BuildSpeed), ended in on_post_build, on_build_error and on_shutdown; a large
  'mkdocs build' runs the core in a forked child that sends the pages back (detached.py).
  Material's navigation, header and config blocks are rendered once per what they read of a
  page (blockmemo.py, a HACK checked against Material 9.8.1, installed per build in on_env).
* The pages are data (page.Page: title, meta, table of contents, body HTML): MkDocs gets them
  without Markdown - an empty file (on_files), the meta data (on_page_markdown), the body and
  table of contents (on_page_content, or on_page_context for pages kept out of search).
* Under ``mkdocs serve`` only the pages whose output can have changed are rebuilt: incremental.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import is_markdown_file

from . import blockmemo, history, i18n, servehacks, watching
from .core import Result, build
from .deps import RenderCache
from .detached import run_detached
from .emptymd import EmptyMarkdown
from .errors import ContentError
from .incremental import (REUSED_TEMPLATE, PageCache, ReadCache, TemplateCodeCache, quiet_reused_pages,
                          shared_key)
from .page import Heading, Page
from .preview import Preview, report
from .project import identity, identity_conflicts, read_mkdocs_yml
from .render import Options, footer
from .safety import only_generated
from .speed import BuildSpeed, Thresholds, search_excluded

log = get_plugin_logger(__name__)


class DossierConfig(base.Config):
    content_dir = c.Type(str, default="content")
    seeds_dir = c.Type(str, default="seeds")
    #: "auto": editor preview under ``mkdocs serve``, public pages under ``mkdocs build``
    preview = c.Choice(("auto", "on", "off"), default="auto")
    #: generate the navigation (ignored when mkdocs.yml defines ``nav``)
    nav = c.Type(bool, default=True)
    #: removed: the pages reach MkDocs as HTML, there is no Markdown left to take a fast path past
    fast_html = c.Deprecated(message="The dossier plugin's option '{}' was removed (the pages reach MkDocs "
                             "as HTML, there is no slower path left): delete it from mkdocs.yml.")
    #: speed for large dossiers (speed.Thresholds): from this many pages on, pages are
    #: rendered and (under 'mkdocs build') search-indexed in a second process
    parallel_min_pages = c.Type(int, default=Thresholds.parallel_min_pages)
    #: from this many bytes of content YAML on, the content is read in two processes
    parallel_min_bytes = c.Type(int, default=Thresholds.parallel_min_bytes)
    #: above this many sources, source, actor and chronology pages stay out of the search index
    search_all_max_sources = c.Type(int, default=Thresholds.search_all_max_sources)
    #: the content's git history (dates, "Was ist neu", feed): "auto" uses it when there is one
    #: (an info line otherwise), "required" makes a missing history a warning, "off" ignores it
    #: (YAML reads a bare off/on as false/true: taken as "off"/"auto")
    history = c.Choice(("auto", "required", "off", False, True), default="auto")
    #: how 'mkdocs serve' learns of a save: "native" file-system notification (inotify; MkDocs'
    #: polling where it is not available), "polling" (MkDocs' own, every 0.5 s) for folders
    #: where the kernel misses changes (network file systems, some bind mounts); watching.py
    watch = c.Choice(watching.MODES, default="native")


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
        #: this build's pages (page.Page) until MkDocs has rendered each; the meta data of
        #: the pages the incremental preview reuses
        self.pages: dict[str, Page] = {}
        self.empty_markdown = EmptyMarkdown()
        self.reused_meta: dict[str, dict] = {}
        #: pages whose HTML MkDocs gets only when it writes them (on_page_context)
        self.deferred: dict[str, Page] = {}
        self.speed: BuildSpeed | None = None
        self.preview = Preview()
        #: the previous build's pages, for the incremental preview (mkdocs serve)
        self.cache = PageCache()
        self.read_cache: ReadCache | None = None
        self.render_cache: RenderCache | None = None
        self.template_code = None
        self.theme_listing = None
        self.feed = False
        self.n_sources = 0
        self.watcher: watching.Watcher | None = None

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup also keeps this instance alive across 'mkdocs serve' rebuilds.
        self.command = command
        self.cache = PageCache()
        self.read_cache = ReadCache() if command == "serve" else None
        self.render_cache = RenderCache() if command == "serve" else None
        self.template_code = TemplateCodeCache() if command == "serve" else None
        self.theme_listing = servehacks.ThemeListing() if command == "serve" else None
        if command == "serve":
            quiet_reused_pages(self.cache)

    @event_priority(100)  # before the search plugin reads the theme's language
    def on_config(self, config):
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        self.user_nav = config.nav is not None
        add_theme_layer(config)
        if self.theme_listing is not None:  # mkdocs serve: the theme's listing and code kept (a hack)
            servehacks.install(config.theme, self.theme_listing, self.template_code)
        if self.config.nav and not self.user_nav and config.validation.nav.omitted_files == logging.INFO:
            # the generated navigation leaves out the one-per-source and one-per-actor pages
            config.validation.nav.omitted_files = logging.DEBUG
        self._set_identity(config)
        self._exclude_inputs(config)
        return config

    def _set_identity(self, config) -> None:
        """Title, description and language come from dossier.yaml; mkdocs.yml may repeat them
        only when it says the same (else the build is refused, naming both places)."""
        ident = identity(self.root / self.config.content_dir)
        written = read_mkdocs_yml(Path(config.config_file_path)) if config.config_file_path else {}
        theme = written.get("theme") if isinstance(written.get("theme"), dict) else {}
        given = {"site_name": config.site_name, "site_description": config.site_description,
                 "theme": {"language": theme.get("language")}}
        conflicts = identity_conflicts(given, ident, self.config.content_dir, Path(config.config_file_path or "mkdocs.yml").name)
        if conflicts:
            raise PluginError("\n".join(conflicts))
        if ident.title:
            config.site_name = ident.title
        if ident.description:
            config.site_description = ident.description
        config.theme["language"] = ident.language
        words = i18n.activate(ident.language)  # the reader interface's words (locales/<lang>.yaml)
        config.extra["dossier_words"] = words.section("theme")  # theme/main.html

    def _exclude_inputs(self, config) -> None:
        """When the content folder is MkDocs' docs folder (so that 'mkdocs serve' watches it),
        none of its own files is published: every page comes from the generator."""
        if Path(config.docs_dir).resolve() != (self.root / self.config.content_dir).resolve():
            return
        import pathspec

        ours = pathspec.GitIgnoreSpec.from_lines(["*.yaml", "*.yml", "/README.md", "/schemas/"])
        config.exclude_docs = ours if config.exclude_docs is None else config.exclude_docs + ours

    def _options(self, config) -> Options:
        preview = self.config.preview == "on" or (self.config.preview == "auto" and self.command == "serve")
        dirs = []
        custom = getattr(config.theme, "custom_dir", None)
        if custom and (Path(custom) / "dossier").is_dir():
            dirs.append(Path(custom) / "dossier")
        hist = history.for_build(self.root, self.config.content_dir, self.config.history, config.site_name,
                                 config.site_url, log)
        return Options(use_directory_urls=config.use_directory_urls, preview=preview, template_dirs=dirs,
                       thresholds=self._thresholds(), history=hist)

    def _thresholds(self) -> Thresholds:
        return Thresholds(self.config.parallel_min_pages, self.config.parallel_min_bytes,
                          self.config.search_all_max_sources)

    def on_pre_build(self, *, config) -> None:
        self.pages, self.reused_meta, self.deferred = {}, {}, {}  # a rebuild after a failed one starts clean (mkdocs serve)
        if self.command == "serve":  # before MkDocs empties site_dir
            self.cache.stash_previous(config.site_dir)
        self.speed = BuildSpeed(self._thresholds(), self.command)
        checked, self.checked = self.checked, None  # handed over once, by 'dossier build'
        if checked is not None and checked[0] != (self.root, self.config.content_dir, self.config.seeds_dir):
            checked = None
        options = self._options(config)

        def core(sink=None):  # the result, with what the rest of the build needs of the model
            result = build(self.root, self.config.content_dir, self.config.seeds_dir, options,
                           checked=checked[1] if checked else None, cache=self.read_cache,
                           render_cache=self.render_cache, sink=sink)
            d = result.dossier
            return result, ((footer(d, options) if d is not None else {}), len(d.sources) if d is not None else 0)

        # large builds: the model stays in a forked child, this process gets the pages (peak memory)
        detach = checked is None and self.render_cache is None and self.speed.detach_core(
            self.root / self.config.content_dir)
        result, (foot, self.n_sources) = run_detached(core) if detach else core()
        # 'mkdocs serve' lists problems on every page instead of failing: a failed rebuild
        # would keep every page request waiting. With strict, warnings would fail it too.
        if self.command == "serve" and (result.errors or (config.strict and result.warnings)):
            log.info(report(result.problems))
            result.pages, result.assets = self.preview.problem_pages(result.problems, options, result.pages), {}
            result.nav = self.preview.nav or list(result.pages)
        else:
            for w in result.warnings:
                log.warning(w.format())
            if result.errors:
                raise PluginError(str(ContentError(result.errors)))
            if self.preview.failed:
                log.info("content problems fixed: the preview shows the pages again")
            self.preview.succeeded(result.pages, result.nav)
        self.result = result
        config.extra["dossier_footer"] = foot  # theme/main.html
        if self.config.nav and not self.user_nav:
            config.nav = result.nav
        self.speed.keep()

    def on_files(self, files: Files, *, config) -> Files:
        assert self.result is not None
        files = only_generated(files, config)  # nothing in content/ is published as it is
        self.generated = set(self.result.pages)
        self.unsearched = set() if self.preview.failed else search_excluded(
            self.result.pages, self.n_sources, self.speed.thresholds)
        # "Was ist neu" repeats the texts of the items it lists, every version of them: in the
        # search it would answer nearly every query a second time (the corrections page stays)
        self.unsearched |= {uri for uri in self.result.pages if history.is_changes_page(uri)}
        pages = self.pages = self.result.pages
        self.empty_markdown = EmptyMarkdown()
        self.feed = history.FEED_PATH in self.result.assets
        reused = self._plan_reuse(config, files, pages) if self.command == "serve" else {}
        for uri in sorted(pages):
            if uri in reused:  # built from the saved state (incremental)
                del pages[uri]
                if uri in self.cache.omitted:  # not MkDocs' at all: its file is put back
                    _replace(files, None, uri)
                    continue
                self.reused_meta[uri] = {**reused[uri].meta, "template": REUSED_TEMPLATE}
            # no text: MkDocs reads nothing, on_page_markdown gives it the page's meta data
            _replace(files, File.generated(config, uri, content="", inclusion=InclusionLevel.INCLUDED))
        for uri, data in sorted(self.result.assets.items()):
            _replace(files, File.generated(config, uri, content=data, inclusion=InclusionLevel.INCLUDED))
        for uri in THEME_JS:  # the theme's scripts with their words from the catalog
            f = files.get_file_from_path(uri)
            if f is not None and f.abs_src_path and Path(f.abs_src_path).is_relative_to(THEME_DIR):
                script = i18n.render_script(Path(f.abs_src_path).read_text(encoding="utf-8"), i18n.active())
                _replace(files, File.generated(config, uri, content=script, inclusion=InclusionLevel.INCLUDED))
        # The pages are in self.pages now; the dossier model (located YAML, articles, index)
        # is not needed for the rest of the build. Dropping it keeps peak memory down.
        self.result = None
        return files

    def _plan_reuse(self, config, files: Files, pages: dict[str, Page]) -> dict:
        """Which pages the incremental preview can take from the previous build and which of
        them MkDocs need not see (see incremental.py), and Material's search index wired to
        save and give back entries."""
        from .searchjobs import search_index_of

        in_nav = _nav_paths(config.nav or [])
        nav_titles = {uri: pages[uri].title if uri in pages else "" for uri in in_nav}
        custom = getattr(config.theme, "custom_dir", None)
        key = shared_key(config, [nav_titles, self.feed], pages, self.root, [d for d in (custom, str(THEME_DIR)) if d])
        digests = self.cache.digests_of(pages)
        self.cache.plan(key, digests, self.preview.failed)
        index = search_index_of(config)
        if index is None:
            if self.cache.reused:  # no index to give entries back to: build everything
                self.cache.plan(b"", digests, self.preview.failed)
            return self.cache.reused
        # MkDocs makes the navigation of every page when mkdocs.yml has none and ours is off
        self.cache.leave_out(None if config.nav is None else {p.lstrip("/") for p in in_nav} | set(in_nav),
                             config.plugins.keys())
        # the documentation pages of a full build, in its order (_replace appends ours sorted)
        order = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if f.src_uri not in pages]
        self.cache.wrap_search(index, order + [uri for uri in sorted(pages) if is_markdown_file(uri)])
        return self.cache.reused

    def on_pre_page(self, page, *, config, files):
        if page.file.src_uri in self.cache.reused:  # incremental: nothing to render
            page.render = lambda config, files: self.cache.restore(page, files)
        elif page.file.src_uri in self.pages:  # ours: no Markdown instance for "" (a hack, see emptymd)
            page.render = partial(self.empty_markdown.render, page)
        return page

    # Our pages reach MkDocs as data: the file is empty, on_page_markdown sets the meta data
    # and leaves MkDocs an empty Markdown text (which emptymd.EmptyMarkdown renders without a
    # Markdown instance per page), on_page_content gives the body HTML and the table of contents.
    # Links between our pages are not MkDocs' to check: they are final URLs;
    # tests/htmlcheck.py checks every link and anchor of the built fixtures.

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        uri = page.file.src_uri
        ours = self.pages.get(uri)
        if ours is not None:
            page.meta = dict(ours.meta)
        elif uri in self.reused_meta:
            page.meta = self.reused_meta.pop(uri)
        if uri in self.unsearched:
            search = page.meta.get("search")
            page.meta["search"] = {**(search if isinstance(search, dict) else {}), "exclude": True}
        return "" if ours is not None else markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        uri = page.file.src_uri
        ours = self.pages.pop(uri, None)
        if ours is None:
            return html
        page.toc = TableOfContents([_anchor_link(h) for h in ours.toc])
        if page.toc.items:
            page.toc.items[0].active = True  # as mkdocs.structure.toc.get_toc marks it
        if uri in self.unsearched and b"data-search-" not in ours.utf8:  # see on_page_context
            self.deferred[uri] = ours
            return ""
        return ours.body_html  # (the title: page.meta["title"])

    # MkDocs converts every page before it writes the first one, so every page's HTML exists
    # at once (as text: two bytes a character for ours) - at 3,000 articles ~400 MB, the
    # build's peak. The pages that stay out of search (speed.search_excluded: the source and
    # actor pages and the chronology of a large dossier, most of the HTML) get theirs only
    # when they are written, from page.Page's UTF-8; every page lets it go once written.
    # They get it after the other plugins' on_page_context: Material's search plugin skips
    # them in its index but removes data-search-* attributes from every page's HTML with a
    # regular expression (0.9 s CPU at 1,000 articles, most of it on these pages); a page
    # with that text anywhere is not deferred (on_page_content), so the output is the same.

    @event_priority(-100)  # after Material's search plugin (see above)
    def on_page_context(self, context, *, page, config, nav):
        ours = self.deferred.pop(page.file.src_uri, None)
        if ours is not None:
            page.content = ours.body_html
        elif self.speed is not None:
            self.speed.page_context(page)
        return context

    def on_env(self, env, *, config, files):
        if self.template_code is not None:  # mkdocs serve: the theme's templates compiled once
            env.bytecode_cache = self.template_code  # (servehacks set it already, unless it stood back)
        blockmemo.install(env, config)  # Material's blocks once per what they read (theme/main.html)
        self.speed.pages_converted(config, files, len(self.generated))  # every page's HTML is final
        return env

    def _end_speed(self) -> None:
        speed, self.speed = self.speed, None
        if speed is not None:
            speed.end()

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.command == "serve":
            if page.file.src_uri in self.cache.reused:
                return ""  # MkDocs writes no file; the previous one is put back (incremental)
            self.cache.remember(page)
        if page.file.src_uri in self.generated:
            page.content = ""  # written: nothing reads it again (see on_page_context)
        return history.link_feed(output, page.url) if self.feed else output

    @event_priority(100)  # before Material's search plugin writes its index
    def on_post_build(self, *, config) -> None:
        self.cache.flush_search()
        self.cache.put_back()
        self._end_speed()

    def on_build_error(self, *, error) -> None:
        self.cache.forget()  # the next build is complete
        self._end_speed()

    def on_shutdown(self) -> None:
        # a build stopped between on_pre_build and on_post_build (Ctrl-C, another plugin's
        # error hook failing first) must not leave its speed machinery behind
        self.cache.forget()
        self._end_speed()
        watcher, self.watcher = self.watcher, None
        if watcher is not None:  # nothing of the preview's watching outlives the server
            watcher.stop()

    def on_serve(self, server, *, config, builder):
        # the page templates; Python code in generator/ is not re-imported by a running
        # server (restart it after changing code)
        server.watch(str(Path(__file__).parent / "templates"))
        server.watch(str(THEME_DIR))  # the generator's CSS, JS and main.html
        # MkDocs watches theme folders only with --watch-theme; ours is part of the dossier
        custom = getattr(config.theme, "custom_dir", None)
        if custom:
            server.watch(str(custom))
        # content/ and seeds/ (also after they were moved away and back), and every watch
        # natively unless 'watch: polling' (watching.py)
        self.watcher = watching.start(server, self.config.watch,
                                      [self.root / self.config.content_dir, self.root / self.config.seeds_dir], log)
        return server


def _nav_paths(items) -> list[str]:
    """The page paths in a navigation (MkDocs' nav setting: strings, {title: ...}, lists)."""
    out: list[str] = []
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                out += _nav_paths(value)
        elif isinstance(item, list):
            out += _nav_paths(item)
    return out


#: The generator's own theme layer (Material block overrides, CSS, JS), part of the package.
THEME_DIR = Path(__file__).parent / "theme"
THEME_CSS = ("assets/dossier.css", "assets/reader2.css", "assets/history.css")
THEME_JS = ("assets/dossier.js", "assets/history.js")
#: at least these levels for MkDocs' link checks: a generated link that goes nowhere is a bug
LINK_CHECKS = {"anchors": logging.WARNING, "unrecognized_links": logging.WARNING, "absolute_links": logging.WARNING}


def add_theme_layer(config) -> None:
    """What a dossier's mkdocs.yml does not need to say: the plugin's templates go into the
    theme's search path right below the project's own custom_dir (so site_theme/ can still
    override them), its CSS and JS into extra_css/extra_javascript (MkDocs copies the files
    from the theme folder), and MkDocs' link checks up to warnings."""
    if config.theme.name != "material":
        raise PluginError(f"the dossier plugin needs the Material theme (theme: name: material), not '{config.theme.name}'")
    if str(THEME_DIR) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    for uri in THEME_CSS:
        if uri not in config.extra_css:
            config.extra_css.append(uri)
    for uri in THEME_JS:
        if uri not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(uri)
    for key, level in LINK_CHECKS.items():
        current = config.validation.links[key]
        if isinstance(current, int) and 0 <= current < level:
            config.validation.links[key] = level


def _anchor_link(h: Heading) -> AnchorLink:
    """A heading as MkDocs' table of contents holds it (mkdocs.structure.toc)."""
    link = AnchorLink(h.title, h.id, h.level)
    link.children = [_anchor_link(c) for c in h.children]
    return link


def _replace(files: Files, new: File | None, uri: str | None = None) -> None:
    """``new`` instead of the file of its path (None: no file at ``uri``). (Files.src_uris:
    our paths are POSIX already; get_file_from_path makes a PurePath of each, 4,000 a save.)"""
    old = files.src_uris.get(new.src_uri if new is not None else uri)
    if old is not None:
        files.remove(old)
    if new is not None:
        files.append(new)
