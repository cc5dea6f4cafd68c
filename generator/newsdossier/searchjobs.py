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

The child reads the tags of our plain HTML with one regular expression and does what
Material's Parser handlers do in the same function, on tag names (_sections_fast; Material's
Parser through html.parser for anything else): with html.parser's scanning and Material's
handlers the child took longer than this process's page loop and held it up at the last pages. And while the pages
are written, this process keeps the HTML of a searched page without data-search-* attributes
away from Material's clean-up expression (parked, see ParallelSearch.__init__).
"""

from __future__ import annotations

import multiprocessing
import re
import threading
import types
from html import escape, unescape
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


try:  # the rest of Material's search parser, for _sections_fast
    from material.plugins.search.plugin import Section, void as _VOID
except ImportError:  # pragma: no cover
    Section = _VOID = None


def _material_parser_digest() -> str | None:
    """A digest of the source of Material's Element, Section and Parser classes (None when it
    cannot be read): _sections_fast re-implements their handlers for the digests in CHECKED."""
    try:
        import hashlib
        import inspect

        source = "".join(inspect.getsource(c) for c in (Element, Section, Parser))
    except (OSError, TypeError):  # pragma: no cover - no source files (zipped, frozen)
        return None
    return hashlib.sha256(source.encode()).hexdigest()[:16]


#: digests of Material's search parser classes that _sections_fast was checked against
#: (Material 9.8.1); with another one, pages go through Material's Parser and html.parser
CHECKED = ("fedae12d15dd2976",)
#: what _sections_fast relies on: html.parser's raw-text elements, Material's Parser as checked
_FUSED = (Parser is not None and Section is not None and HTMLParser.CDATA_CONTENT_ELEMENTS == ("script", "style")
          and _material_parser_digest() in CHECKED)
if _FUSED:
    _KEEP = frozenset(Parser().keep)
    _SKIP = frozenset(Parser().skip)
_HEADINGS = frozenset(f"h{x}" for x in range(1, 7))

# HACK (Material's search internals): html.parser's tokenizing and Material's Parser handlers
# in one function, for the plain HTML our page templates write. Material's Parser is an
# html.parser.HTMLParser whose three handlers (start tag, end tag, text) build the sections.
# At 1,000 articles the search child took 4.4 s CPU with them, longer than this process's page
# loop: HTMLParser's scanning (a regular expression and a few Python calls per tag and
# attribute) and the handlers' set and list tests on Element objects - each text node
# intersects a set of them with the list of open elements, calling Element.__hash__ and
# __eq__ (in Python) for every open element.
#
# Here one regular expression finds the tags, read as html.parser reads them: tag and
# attribute names in lower case, values unquoted and unescaped, text between tags unescaped
# (convert_charrefs), "<x/>" as a start and an end tag. Only double- or single-quoted values
# and bare names are read; a page with anything else - a comment, a declaration, an element
# HTMLParser reads as raw text (script, style; in newer Pythons title and textarea), a bare
# "<", an unquoted value, whitespace other than HTML's in a tag - goes through
# Material's Parser and html.parser. And since Element compares by tag name only, every set and
# list test of the handlers is a test on tag names: here they are done on strings, with a
# count of the open elements per tag. The quirks stay: the skip set is a set of tag names
# (closing any element of a skipped tag takes the tag off it), a heading's section counts as
# open while any element of its tag is. Checked against Material's source by digest (CHECKED);
# tests/test_speed_paths.py compares both on whole sites and on 5,000 random documents.
# Whitespace in tags is HTML's (space, tab, line feed, carriage return, form feed), not
# Python's Unicode \s: html.parser reads "<p\u2028>" or "<h2\xa0id=x>" as other tag names,
# so such a tag is no match here and the page goes to html.parser.
_TAG = re.compile(r"""<(?:([a-zA-Z][a-zA-Z0-9-]*)((?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*"|='[^']*')?)*)"""
                  r"""[ \t\n\r\f]*(/?)>|/([a-zA-Z][-.a-zA-Z0-9:_]*)[ \t\n\r\f]*>)""")
_ATTR = re.compile(r"""[ \t\n\r\f]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=("[^"]*"|'[^']*'))?""")
#: elements whose content html.parser reads as text (script, style; title and textarea too in
#: the Pythons that have RCDATA_CONTENT_ELEMENTS): a page with one goes to html.parser
_RAW_TEXT = frozenset(HTMLParser.CDATA_CONTENT_ELEMENTS + getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))


def _sections_fast(html: str) -> list | None:
    """Material's Parser's sections of ``html`` (its ``data``), or None when the page has
    something only html.parser reads."""
    tags: list[str] = []  # the open elements' tags (Parser.context)
    classes: list = []  # their class attribute (for the permalink test)
    count: dict[str, int] = {}  # open elements per tag
    skip = set(_SKIP)  # Parser.skip, as tag names
    skipping = 0  # open elements whose tag is in skip (Parser's skip.intersection(context))
    keep, headings, void = _KEEP, _HEADINGS, _VOID
    data: list = []
    section = None
    pos = 0

    def text_node(text: str) -> None:
        nonlocal section
        if not count.get("pre"):
            text = " " if text.isspace() else text.replace("\n", " ")
        if section is None:
            section = Section(Element("hx"))
            data.append(section)
        if count.get(section.el.tag):  # inside the section's heading
            for tag, cls in zip(tags, classes):
                if tag == "a" and cls == "headerlink":
                    return
            section.title.append(escape(text, quote=False))
        elif text.isspace():
            body = section.text
            if not body or not body[-1].isspace() or count.get("pre"):
                body.append(text)
        else:
            section.text.append(escape(text, quote=False))

    def end(tag: str) -> None:
        nonlocal section, skipping
        if not tags or tags[-1] != tag:
            return
        depth = len(tags)
        if section.depth > depth:
            for earlier in reversed(data):
                if earlier.depth <= depth:
                    section.depth = float("inf")
                    section = earlier
                    break
        tags.pop()
        classes.pop()
        count[tag] -= 1
        if tag in skip:
            skipping -= 1
            if tag not in ("script", "style", "object"):
                skip.discard(tag)
                skipping -= count[tag]
            return
        if not skipping and tag in keep:
            body = section.title if count.get(section.el.tag) else section.text
            index = body.index(f"<{tag}>")
            for i in range(index + 1, len(body)):
                if not body[i].isspace():
                    index = len(body)
                    break
            if len(body) > index:
                del body[index:]
            else:
                body.append(f"</{tag}>")

    for m in _TAG.finditer(html):
        i = m.start()
        if i > pos:
            text = html[pos:i]
            if "<" in text:
                return None
            if not skipping:
                text_node(unescape(text))
        pos = m.end()
        tag, attributes, closed, end_tag = m.groups()
        if tag is None:
            end(end_tag.lower())
            continue
        tag = tag.lower()
        if tag in _RAW_TEXT:
            return None
        if tag in void:
            continue  # not an open element; "<br/>" ends nothing either (no open "br")
        attrs = {}
        if attributes:
            for name, value in _ATTR.findall(attributes):
                attrs[name.lower()] = unescape(value[1:-1]) if value else None
        tags.append(tag)
        classes.append(attrs.get("class"))
        count[tag] = count.get(tag, 0) + 1
        if tag in skip:
            skipping += 1
        if tag in headings:
            depth = len(tags)
            if "id" in attrs:
                if tag != "h1" and not data:
                    section = Section(Element("hx"), depth)
                    data.append(section)
                section = Section(Element(tag, attrs), depth)
                if data:
                    section.id = attrs["id"]
                data.append(section)
        if section is None:
            section = Section(Element("hx"))
            data.append(section)
        if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
            if tag not in skip:
                skip.add(tag)
                skipping += count[tag]
        elif not skipping and tag in keep:
            (section.title if count.get(section.el.tag) else section.text).append(f"<{tag}>")
        if closed:
            end(tag)
    text = html[pos:]
    if text:
        if "<" in text:
            return None
        if not skipping:
            text_node(unescape(text))
    return data


def parse_sections(html: str) -> list:
    """Material's Parser's sections of a page (its ``data``)."""
    if _FUSED:
        sections = _sections_fast(html)
        if sections is not None:
            return sections
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
