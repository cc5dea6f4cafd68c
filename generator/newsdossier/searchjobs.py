"""Material's search indexing of large sites in a second process.

Material's search plugin parses every searchable page's HTML with ``html.parser`` when the
page is written (``on_page_context``): at 1,000 articles that is the largest single cost of
the MkDocs part of a build, and MkDocs does everything else in the same process. By
``on_env`` every page's HTML is final, so the plugin forks a child that runs Material's own
``Parser`` over the searchable pages and streams the parsed sections back, while this process
renders and writes the pages. The search plugin's ``add_entry_from_context`` is replaced on its
index object for the rest of the build: it takes the child's sections for a page (in the same
order, from the same parser, so the index is the same) and does what the original does with
them. Anything unexpected - a page whose HTML changed since the fork, a child that died -
falls back to the original method. Material 9.x is in maintenance mode; if its internals look
different, nothing is replaced.

The child feeds Material's Parser the tags of our plain HTML from one regular expression
(html.parser for anything else, see _feed_fast): with html.parser's scanning the child took
longer than this process's page loop and held it up at the last pages. And while the pages
are written, this process keeps the HTML of a searched page without data-search-* attributes
away from Material's clean-up expression (parked, see ParallelSearch.__init__).
"""

from __future__ import annotations

import multiprocessing
import re
import threading
import types
from html import unescape
from html.parser import HTMLParser

try:  # Material's search internals (9.x); without them the plugin indexes as before
    from material.plugins.search.plugin import Element, Parser, SearchIndex
except ImportError:  # pragma: no cover
    Element = Parser = SearchIndex = None


def search_index_of(config):
    """Material's SearchIndex object of this build, if the plugin and its internals are there."""
    if SearchIndex is None:
        return None
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(index, SearchIndex) and callable(getattr(index, "create_entry_for_section", None)):
            return index
    return None


# HACK (Material's search internals): the tokenizing half of html.parser, for the plain HTML
# our page templates write. Material's Parser is an html.parser.HTMLParser whose three handlers
# (start tag, end tag, text) build the sections; HTMLParser's own scanning - a regular
# expression and a few Python calls per tag and attribute - was more than half of the search
# child's time (about 2.4 s CPU of 4.4 at 1,000 articles). Here one regular expression finds
# the tags and the same handlers get the same calls: tag and attribute names in lower case,
# values unquoted and unescaped, text between tags unescaped (convert_charrefs), "<x/>" as a
# start and an end tag. Only double- or single-quoted values and bare names are read; a page
# with anything else - a comment, a declaration, a script or style element (raw text for
# HTMLParser), a bare "<", an unquoted value - goes through HTMLParser itself
# (tests/test_speed_paths.py compares both on whole sites).
_TAG = re.compile(r"""<(?:([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*"|='[^']*')?)*)\s*(/?)>"""
                  r"|/([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>)")
_ATTR = re.compile(r"""\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=("[^"]*"|'[^']*'))?""")
#: what the fast path relies on in html.parser and Material's Parser (else: HTMLParser only)
_FAST = (Parser is not None and HTMLParser.CDATA_CONTENT_ELEMENTS == ("script", "style")
         and Parser.handle_startendtag is HTMLParser.handle_startendtag
         and Parser.feed is HTMLParser.feed and Parser.goahead is HTMLParser.goahead)


def _feed_fast(parser, html: str) -> bool:
    """Feed ``html`` to a fresh Material ``parser`` as HTMLParser would: False (and the parser
    is spoilt) when the page has something only HTMLParser reads."""
    start, end, data = parser.handle_starttag, parser.handle_endtag, parser.handle_data
    pos = 0
    for m in _TAG.finditer(html):
        i = m.start()
        if i > pos:
            text = html[pos:i]
            if "<" in text:
                return False
            data(unescape(text))
        pos = m.end()
        tag = m.group(1)
        if tag is None:
            end(m.group(4).lower())
            continue
        tag = tag.lower()
        if tag in ("script", "style"):
            return False
        attrs = []
        if m.group(2):
            for name, value in _ATTR.findall(m.group(2)):
                attrs.append((name.lower(), unescape(value[1:-1]) if value else None))
        start(tag, attrs)
        if m.group(3):
            end(tag)
    text = html[pos:]
    if text:
        if "<" in text:
            return False
        data(unescape(text))
    return True


def parse_sections(html: str) -> list:
    """Material's Parser's sections of a page (its ``data``)."""
    if _FAST:
        parser = Parser()
        if _feed_fast(parser, html):
            return parser.data
    parser = Parser()
    parser.feed(html)
    parser.close()
    return parser.data


def add_entry(index, page) -> None:
    """Material's SearchIndex.add_entry_from_context for ``page``, its sections from
    parse_sections (the same entries; incremental.PageCache indexes rebuilt pages with it)."""
    if not _excluded(page):
        _index_sections(index, parse_sections(page.content), page)


def _excluded(page) -> bool:
    """Whether the page's meta data keep it out of the search (as Material reads it)."""
    search = page.meta.get("search") or {}
    return bool(search.get("exclude"))


def _index_sections(index, sections: list, page) -> None:
    """The index entries of a page's sections, as Material's add_entry_from_context makes them."""
    for section in sections:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


def is_materials(method) -> bool:
    """Whether ``method`` (a bound method of a search index) is Material's own SearchIndex
    method of its name: not replaced on the object or in a subclass."""
    return (SearchIndex is not None and getattr(method, "__func__", None) is not None
            and method.__func__ is getattr(SearchIndex, method.__func__.__name__, None))


def _parse(html: str) -> list:
    """Material's sections of a page, compacted for the trip to the parent (which may hold many
    of them while the child runs ahead: +70 MB at 3,000 articles otherwise). The index entry
    only uses a section's id, "".join(title), "".join(text) and whether its element carries
    data-search-exclude, so each list becomes one string and the element keeps that one
    attribute; an empty title stays empty (the entry then takes the page title)."""
    sections = parse_sections(html)
    for section in sections:
        section.title = ["".join(section.title)] if section.title else []
        section.text = ["".join(section.text)] if section.text else []
        attrs = section.el.attrs
        section.el = Element(section.el.tag, {"data-search-exclude": attrs["data-search-exclude"]}
                             if "data-search-exclude" in attrs else {})
    return sections


class ParallelSearch:
    """Parses ``pages`` (searchable Page objects, in build order) in a forked child and makes
    ``index.add_entry_from_context`` use the results."""

    def __init__(self, index, pages: list) -> None:
        self.index = index
        self.html = {p.file.src_uri: p.content for p in pages}
        self.sections: dict[str, list] = {}
        self.done = False
        self.used = 0  # pages indexed from the child's sections (tests check it)
        self.ready = threading.Condition()
        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)

        def child() -> None:
            try:
                for page in pages:
                    send.send((page.file.src_uri, _parse(page.content)))
            except Exception:  # noqa: BLE001 - the parent parses the rest itself (and reports)
                pass
            finally:
                send.close()

        self.proc = ctx.Process(target=child, daemon=True)
        self.proc.start()
        send.close()
        # HACK (Material's on_page_context): Material removes data-search-* attributes from
        # every page's HTML with a regular expression, after indexing it (0.6 s CPU of the main
        # process at 1,000 articles, on the 26 MB of the searched pages). Where the HTML has
        # none, the page's HTML is parked until then (unpark, from the plugin's
        # on_page_context after Material's), as plugin.py defers the unsearched pages' HTML.
        self.parked: dict[str, str] = {}
        for page in pages:
            if "data-search-" not in page.content:
                self.parked[page.file.src_uri] = page.content
                page.content = ""
        # drains the pipe as results arrive, so the child never waits for this process
        self.reader = threading.Thread(target=self._read, args=(receive,), daemon=True)
        self.reader.start()
        self.original = index.add_entry_from_context
        index.add_entry_from_context = types.MethodType(ParallelSearch._add_entry, self)

    def _read(self, receive) -> None:
        try:
            while True:
                uri, sections = receive.recv()
                with self.ready:
                    self.sections[uri] = sections
                    self.ready.notify_all()
        except (EOFError, OSError):
            pass
        finally:
            receive.close()
            with self.ready:
                self.done = True
                self.ready.notify_all()

    #: a child that stops sending for this long is given up on: the parent indexes the
    #: page itself (a hung child must never hang the build)
    WAIT_SECONDS = 120

    def _sections(self, uri: str):
        with self.ready:
            if not self.ready.wait_for(lambda: uri in self.sections or self.done, timeout=self.WAIT_SECONDS):
                self.done = True  # stop waiting for the child for the rest of the build
            return self.sections.pop(uri, None)

    def _add_entry(self, page) -> None:
        """SearchIndex.add_entry_from_context, with the page parsed in the child."""
        if _excluded(page):
            return
        uri = page.file.src_uri
        html = self.html.pop(uri, None)
        parked = self.parked.get(uri) if page.content == "" else None
        if parked is None:  # not parked, or another plugin has set the page's HTML since
            self.parked.pop(uri, None)
        current = page.content if parked is None else parked
        sections = self._sections(uri) if html is not None and html is current else None
        if sections is None:  # not parsed there, or the HTML changed since: as before
            self.unpark(page)
            self.original(page)
            return
        self.used += 1
        _index_sections(self.index, sections, page)

    def unpark(self, page) -> None:
        """A parked page's HTML back (after Material's on_page_context, or before indexing
        it here as before)."""
        html = self.parked.pop(page.file.src_uri, None)
        if html is not None and page.content == "":
            page.content = html

    def close(self) -> None:
        """Restore the search index's method and reap the child."""
        self.index.__dict__.pop("add_entry_from_context", None)  # the class's method again
        self.proc.join(timeout=self.WAIT_SECONDS)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.reader.join()
        self.html, self.sections, self.parked = {}, {}, {}
