"""Rendering: Dossier + Index -> {page path: Markdown}, through Jinja2 templates.

Templates live in ``generator/templates``; a theme overrides any of them by placing a file of
the same name in ``<custom_dir>/dossier/``. Editor text is escaped by Jinja's autoescaping;
only the few Markdown fields are converted (raw HTML in them was refused by validation).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import markdown as md_lib
from markupsafe import Markup, escape

from . import schema
from .article import Block
from .edtf import EDTF, MONTHS_DE
from .index import Index, quote_anchor, source_sort_key
from .model import Citation, Dossier

TEMPLATES = Path(__file__).parent / "templates"

#: (page path, nav title) of the fixed pages, in navigation order.
PAGES = {
    "home": "index.md",
    "topics": "themen/index.md",
    "chronology": "chronologie.md",
    "figures": "zahlen.md",
    "contradictions": "widersprueche.md",
    "actors": "akteure/index.md",
    "sources": "quellen/index.md",
    "glossary": "glossar.md",
    "method": "methode.md",
}
EXPORT_PATH = "daten/dossier.json"


@dataclass
class Options:
    use_directory_urls: bool = True
    #: editor preview: full article texts, uncited paragraphs marked
    preview: bool = False
    #: extra template folders searched before the built-in ones
    template_dirs: list[Path] = field(default_factory=list)


def page_url(path: str, use_directory_urls: bool) -> str:
    """The URL MkDocs gives a Markdown page (relative to the site root)."""
    if not use_directory_urls:
        return path[:-3] + ".html"
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path[: -len("index.md")]
    return path[:-3] + "/"


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the site-relative URLs we generate, without its abspath/getcwd
    calls (it was a third of the render time at 1,000 articles)."""
    if ".." in path or ".." in start:
        return posixpath.relpath(path, start)
    p = [x for x in path.split("/") if x and x != "."]
    s = [x for x in start.split("/") if x and x != "."]
    i = 0
    while i < len(p) and i < len(s) and p[i] == s[i]:
        i += 1
    return "/".join([".."] * (len(s) - i) + p[i:]) or "."


@lru_cache(maxsize=65536)
def relative(from_url: str, to_url: str) -> str:
    base = posixpath.dirname(from_url) if not from_url.endswith("/") else from_url.rstrip("/")
    rel = _relpath(to_url or ".", base or ".")
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    return rel


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~^<>])")


def md_escape(text) -> Markup:
    """Escape text for a Markdown heading or inline context (HTML first, then Markdown)."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(str(text)))))


_EXT_LINK = re.compile(r'<a href="(https?://[^"]*)"')


def render_markdown(text: str) -> Markup:
    html = md_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _EXT_LINK.sub(r'<a href="\1" rel="noopener noreferrer" class="external"', html)
    return Markup(html)


def fmt_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value).replace(".", ",")


class CiteNumbers:
    """Per page: a number for each distinct cited passage, in order of first use."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._num: dict[tuple[str, str], int] = {}

    def __call__(self, c: Citation) -> int:
        key = (c.source, c.quote)
        if key not in self._num:
            self.items.append(c)
            self._num[key] = len(self.items)
        return self._num[key]


_ENVS: dict[tuple[str, ...], jinja2.Environment] = {}


class Renderer:
    def __init__(self, d: Dossier, ix: Index, options: Options):
        self.d, self.ix, self.o = d, ix, options
        self._labels: dict[str, str] = {}
        # One environment per template path for the whole process, so templates are compiled
        # once, not on every 'mkdocs serve' rebuild (auto_reload still sees edited templates).
        dirs = tuple(str(p) for p in options.template_dirs)
        if dirs in _ENVS:
            self.env = _ENVS[dirs]
            self.env.globals.update(d=d, ix=ix, options=options)
            return
        loaders = [jinja2.FileSystemLoader(list(dirs))] if dirs else []
        loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
        self.env = _ENVS[dirs] = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
            # '{#' starts Markdown heading ids ('## Titel {#anker}'), so Jinja comments use <# #>
            comment_start_string="<#",
            comment_end_string="#>",
        )
        self.env.filters.update(md=md_escape, markdown=render_markdown, number=fmt_number, tojson_meta=lambda v: Markup(json.dumps(v, ensure_ascii=False)))
        self.env.globals.update(
            STATUSES=schema.STATUSES, STATUS_HELP=schema.STATUS_HELP, ACTOR_KINDS=schema.ACTOR_KINDS,
            ACTOR_KINDS_PLURAL=schema.ACTOR_KINDS_PLURAL, QUALIFIERS=schema.QUALIFIERS,
            NOTE_KINDS=schema.NOTE_KINDS, MONTHS=MONTHS_DE, d=d, ix=ix, options=options, PAGES=PAGES,
        )

    # --- paths ----------------------------------------------------------------------------
    def topic_path(self, tid: str) -> str:
        return f"themen/{tid}.md"

    def source_path(self, sid: str) -> str:
        return f"quellen/{sid}.md"

    def actor_path(self, aid: str) -> str:
        return f"akteure/{aid}.md"

    def href(self, here: str, target: str, anchor: str | None = None) -> str:
        u = self.o.use_directory_urls
        rel = relative(page_url(here, u), page_url(target, u))
        if target == here:
            rel = ""
        return rel + (f"#{anchor}" if anchor else "") if (rel or anchor) else "./"

    def cite_href(self, here: str, c: Citation) -> str:
        return self.href(here, self.source_path(c.source), quote_anchor(c.source, c.quote))

    def owner_link(self, here: str, owner) -> tuple[str, str]:
        """(label, href) of the place where a citing statement is shown."""
        from .model import Actor, Claim, Event, Figure, Finding, Side, Term

        if isinstance(owner, Claim):
            return owner.text, self.href(here, self.topic_path(owner.topic), owner.id)
        if isinstance(owner, Event):
            return f"{owner.date.german()}: {owner.title}", self.href(here, PAGES["chronology"], owner.id)
        if isinstance(owner, Figure):
            s = self.d.series.get(owner.series)
            label = f"{fmt_number(owner.value)} {s.unit if s else ''} ({self.d.actors[owner.by].name if owner.by in self.d.actors else owner.by})"
            return label, self.href(here, PAGES["figures"], owner.id)
        if isinstance(owner, Actor):
            return owner.name, self.href(here, self.actor_path(owner.id))
        if isinstance(owner, Term):
            return owner.term, self.href(here, PAGES["glossary"], owner.id)
        if isinstance(owner, Side):
            k = self.ix.side_owner.get(id(owner))
            return (k.title if k else owner.text), self.href(here, PAGES["contradictions"], k.id if k else None)
        if isinstance(owner, Finding):
            return owner.text, self.href(here, PAGES["home"])
        return str(owner), ""

    # --- helpers for templates ------------------------------------------------------------
    def source_label(self, sid: str) -> str:
        label = self._labels.get(sid)
        if label is None:
            label = self._labels[sid] = self._source_label(sid)
        return label

    def _source_label(self, sid: str) -> str:
        s = self.d.sources.get(sid)
        if not s:
            return sid
        who = s.publisher or "Herausgeber unbekannt"
        when = s.published.german() if s.published else "Datum unbekannt"
        return f"{who}, {when}"

    def passages(self, source, here: str):
        """Blocks of a source page with their cited segments, honouring 'reproduce'."""
        art = source.article
        if art is None:
            return []
        full = self.o.preview or source.reproduce == "fulltext"
        cited = self.ix.by_block.get(source.id, {})
        notes_by_block: dict[str, list] = {}
        for n in source.notes:
            if n.block is not None:
                notes_by_block.setdefault(n.block.anchor or f"line{n.block.line}", []).append(n)
        out = []
        for b in art.blocks:
            key = b.anchor or f"line{b.line}"
            cits = cited.get(b.anchor, []) if b.anchor else []
            notes = notes_by_block.get(key, [])
            if not b.citable:
                if self.o.preview:
                    out.append({"block": b, "segments": [(b.text, [])], "cits": [], "notes": notes, "furniture": True, "gap": False})
                elif notes:
                    out.append({"block": b, "segments": [], "cits": [], "notes": notes, "furniture": True, "gap": False})
                continue
            if not full and not cits and not notes:
                if out and not out[-1].get("gap"):
                    out.append({"gap": True})
                continue
            segs = segments(b, [c for _, c in cits], source.id, full)
            out.append({"block": b, "segments": segs, "cits": group_backlinks(cits), "notes": notes,
                        "furniture": False, "gap": False, "uncited": not cits})
        return out


def segments(block: Block, cits: list[Citation], source_id: str, full: bool):
    """Split a block into (text, [anchors starting here], covered) runs.

    In quote-only mode the uncovered runs are replaced by an ellipsis marker.
    """
    bounds = {0, len(block.text)}
    spans = []
    for c in cits:
        spans.append((c.start, c.end, quote_anchor(source_id, c.quote)))
        bounds |= {c.start, c.end}
    cuts = sorted(bounds)
    runs = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        starts = sorted({s[2] for s in spans if s[0] == a})
        classes = sorted({s[2] for s in covering})
        text = block.text[a:b]
        if not covering and not full:
            if runs and runs[-1]["ellipsis"]:
                continue
            runs.append({"text": " […] ", "starts": starts, "classes": [], "ellipsis": True})
            continue
        runs.append({"text": text, "starts": starts, "classes": classes, "ellipsis": False})
    return runs


def group_backlinks(cits):
    """Citations in one block grouped by passage: [(anchor, quote, [owners])]."""
    groups: dict[str, dict] = {}
    for owner, c in cits:
        key = quote_anchor(c.source, c.quote)
        g = groups.setdefault(key, {"anchor": key, "quote": c.quote, "start": c.start, "owners": []})
        if owner not in g["owners"]:
            g["owners"].append(owner)
    return sorted(groups.values(), key=lambda g: g["start"])


#: Up to this many topics are listed in the navigation; a larger dossier lists them on the
#: topic overview only (the navigation is rendered into every page, twice: with 305 topics it
#: made every page of a 3,000-article dossier carry ~100 KB of links).
NAV_TOPICS_MAX = 30


def nav(d: Dossier) -> list:
    """The MkDocs navigation: fixed pages, topics in their order. Leaf pages for sources and
    actors are reached from their index pages, so the navigation stays small at any size."""
    topics = sorted(d.topics.values(), key=lambda t: (t.order, t.title))
    if len(topics) > NAV_TOPICS_MAX:  # every page renders the navigation: keep it small
        topics = []
    return [
        {"Start": PAGES["home"]},
        {"Themen": [PAGES["topics"], *({t.title: f"themen/{t.id}.md"} for t in topics)]},
        {"Chronologie": PAGES["chronology"]},
        {"Zahlen im Vergleich": PAGES["figures"]},
        {"Widersprüche": PAGES["contradictions"]},
        {"Akteure": PAGES["actors"]},
        {"Quellen": PAGES["sources"]},
        {"Glossar": PAGES["glossary"]},
        {"Methode": PAGES["method"]},
    ]


def render(d: Dossier, ix: Index, options: Options) -> dict[str, str]:
    r = Renderer(d, ix, options)
    pages: dict[str, str] = {}

    def emit(template: str, path: str, **ctx) -> None:
        numbers = CiteNumbers()
        pages[path] = r.env.get_template(template).render(here=path, r=r, num=numbers, **ctx)

    topics = sorted(d.topics.values(), key=lambda t: (t.order, t.title))
    events = sorted(d.events.values(), key=lambda e: e.date.sort_key())
    sources = sorted(d.sources.values(), key=source_sort_key)
    emit("home.md.j2", PAGES["home"], topics=topics, events=events, sources=sources)
    emit("topics.md.j2", PAGES["topics"], topics=topics)
    for t in topics:
        emit("topic.md.j2", r.topic_path(t.id), topic=t)
    emit("chronology.md.j2", PAGES["chronology"], events=events, groups=group_events(events), topics=topics)
    emit("figures.md.j2", PAGES["figures"], series=sorted(d.series.values(), key=lambda s: (s.order, s.title)))
    emit("contradictions.md.j2", PAGES["contradictions"], items=sorted(d.contradictions.values(), key=lambda k: k.title))
    actors = sorted(d.actors.values(), key=lambda a: a.name.lower())
    emit("actors.md.j2", PAGES["actors"], actors=actors)
    for a in actors:
        emit("actor.md.j2", r.actor_path(a.id), actor=a)
    emit("sources.md.j2", PAGES["sources"], sources=sources)
    for s in sources:
        emit("source.md.j2", r.source_path(s.id), source=s)
    emit("glossary.md.j2", PAGES["glossary"], terms=sorted(d.terms.values(), key=lambda t: t.term.lower()))
    emit("method.md.j2", PAGES["method"])
    return pages


def group_events(events):
    """[(year, [(month name or '', [events])])] in chronological order."""
    years: dict[int, dict[int, list]] = {}
    for e in events:
        low = e.date.lower if e.date.start else e.date.upper
        precise = e.date.start and e.date.start.precision in ("month", "day") and e.date.end and (
            (e.date.end.upper.year, e.date.end.upper.month) == (low.year, low.month))
        month = low.month if precise else 0
        years.setdefault(low.year, {}).setdefault(month, []).append(e)
    out = []
    for y in sorted(years):
        months = [(MONTHS_DE[m - 1] if m else "", evs) for m, evs in sorted(years[y].items())]
        out.append((y, months))
    return out
