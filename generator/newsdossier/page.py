"""A generated page as data: what the core hands to an adapter (the MkDocs plugin, the export).

The core renders each page's body as final HTML (links already relative URLs, headings with
their ids and permalinks); the page templates record their headings while they print them
(``Toc.heading``, called by the ``heading`` macro of ``_page.html.j2``), so nothing parses the
HTML again to find its title or table of contents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify, unique
from markupsafe import Markup


@dataclass
class Heading:
    """One entry of a page's table of contents. ``title`` is HTML (escaped text), as MkDocs'
    table of contents and the theme expect it."""

    level: int
    id: str
    title: str
    children: list["Heading"] = field(default_factory=list)


class Page:
    """One generated page. The body is kept as UTF-8 (``body_html`` decodes it): Python holds
    a text with any character above U+00FF - every page has a dash or German quotes - at two
    bytes a character, and all pages exist at once at the end of the core's render: ~200 MB
    less at 3,000 articles."""

    __slots__ = ("path", "title", "meta", "toc", "utf8", "chars")

    def __init__(self, path: str, title: str, meta: dict, toc: list[Heading], body_html: str) -> None:
        self.path = path  # e.g. 'themen/x.md' (MkDocs' source path; the URL follows use_directory_urls)
        self.title = title  # plain text
        #: what theme/main.html reads: title, page_kind, dossier_cited (JSON-LD works),
        #: dossier_modified
        self.meta = meta
        self.toc = toc
        self.utf8 = body_html.encode("utf-8", "surrogatepass")
        self.chars = len(body_html)

    @property
    def body_html(self) -> str:
        return self.utf8.decode("utf-8", "surrogatepass")

    def __eq__(self, other) -> bool:
        return isinstance(other, Page) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self) -> str:
        return f"Page({self.path!r}, {self.title!r}, {self.chars} characters)"

    def __getstate__(self):  # pickled between the render's two processes
        return tuple(getattr(self, k) for k in self.__slots__)

    def __setstate__(self, state) -> None:
        for k, v in zip(self.__slots__, state):
            setattr(self, k, v)

    def digest(self) -> bytes:
        """A hash of everything of the page that its built HTML depends on (incremental)."""
        h = hashlib.blake2b(digest_size=16)
        h.update(json.dumps([self.title, self.meta, _toc_data(self.toc)], sort_keys=True,
                            ensure_ascii=False, default=repr).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(self.utf8)
        return h.digest()

    def as_markdown(self) -> str:
        """The page as one Markdown file for other renderers (dossier export): its title and
        kind as front matter (JSON values are YAML), the body HTML below."""
        front = "".join(f"{k}: {json.dumps(self.meta[k], ensure_ascii=False)}\n"
                        for k in ("title", "page_kind") if k in self.meta)
        return f"---\n{front}---\n\n{self.body_html}"


def _toc_data(items: list[Heading]) -> list:
    return [[h.level, h.id, h.title, _toc_data(h.children)] for h in items]


class Toc:
    """The headings of one page while its template renders, in order; nested by ``items()``.

    The page's first-level heading has no id of its own in the templates: it gets the slug
    of its text (what MkDocs' toc extension gave it while the pages were Markdown, so links to
    it keep working), made unique against the page's other heading ids."""

    def __init__(self) -> None:
        self.flat: list[Heading] = []
        self._slugged: list[int] = []  # the headings whose id is the slug of their text

    def heading(self, level: int, id: str | None, title) -> str:
        """Record a heading; return its id. ``title``: the heading's text (Markup or plain)."""
        html = str(title if isinstance(title, Markup) else Markup.escape(title))
        if not id:
            id = unique(slugify(Markup(html).striptags(), "-"), {h.id for h in self.flat})
            self._slugged.append(len(self.flat))
        self.flat.append(Heading(level, id, html))
        return id

    def settle(self, body: str) -> str:
        """The body, with a slug id that a later heading's id turned out to repeat made unique
        (a topic titled "Ereignisse" above the section #ereignisse): the slugged heading is
        the first element with that id (and permalink) in the body."""
        for i in self._slugged:
            old = self.flat[i].id
            others = {h.id for j, h in enumerate(self.flat) if j != i}
            if old in others:
                new = self.flat[i].id = unique(old, others)
                body = body.replace(f'id="{old}"', f'id="{new}"', 1).replace(f'href="#{old}"', f'href="#{new}"', 1)
        return body

    @property
    def title(self) -> str | None:
        """The plain text of the first first-level heading."""
        for h in self.flat:
            if h.level == 1:
                return Markup(h.title).unescape()
        return None

    def items(self) -> list[Heading]:
        """The headings nested by level (a heading holds the deeper ones that follow it)."""
        root: list[Heading] = []
        stack: list[Heading] = []
        for h in self.flat:
            h = Heading(h.level, h.id, h.title)
            while stack and stack[-1].level >= h.level:
                stack.pop()
            (stack[-1].children if stack else root).append(h)
            stack.append(h)
        return root
