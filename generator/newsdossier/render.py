"""Rendering: Dossier + Index -> {page path: page.Page}, through Jinja2 templates.

Templates live in ``generator/newsdossier/templates`` (HTML, each page extending
``_page.html.j2``); a theme overrides any of them by placing a file of the same name in
``<custom_dir>/dossier/``, and may extend the built-in one as ``builtin/<name>`` to replace only
some blocks. Editor text is escaped by Jinja's autoescaping; only the few Markdown fields are
converted, here, once (raw HTML in them was refused by validation). Links are final relative
URLs; headings carry their ids and permalinks and are recorded for the table of contents.
"""

from __future__ import annotations

import itertools
import multiprocessing
import operator
import os
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MethodType
from typing import Any, Callable

import jinja2
import jinja2.runtime
import markdown as md_lib
from markupsafe import Markup, escape

try:  # HACK: markupsafe's own escaping of a str (private, 2.1+); without it the public escape()
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe
    _escape_inner = None

from . import charts, history, jsonld, schema
from .article import Block
from . import i18n
from .edtf import EDTF
from .forked import can_fork, run_beside
from .index import Index, newest_source, quote_anchor, source_sort_key
from .model import Citation, Dossier
from .page import Page, Toc
from .paths import EXPORT_PATH, FOLDERS, PAGES, actor_path, item_kind, page_url, source_path, topic_path  # noqa: F401 (re-exported)
from .speed import Thresholds

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Options:
    use_directory_urls: bool = True
    #: editor preview: full article texts, uncited paragraphs marked
    preview: bool = False
    #: extra template folders searched before the built-in ones
    template_dirs: list[Path] = field(default_factory=list)
    #: sizes from which work goes to a second process (plugin options, see speed)
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: the dossier's history (history.Input); None: no dates, no "Was ist neu"
    history: history.Input | None = None



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
    return rel


_EXT_LINK = re.compile(r'<a href="(https?://[^"]*)"')


def csv_row(fields) -> Markup:
    """One CSV line (RFC 4180: fields with a comma, quote or line break in double quotes)."""
    out = []
    for v in fields:
        t = fmt_plain(v)
        out.append('"' + t.replace('"', '""') + '"' if any(ch in t for ch in ',"\r\n') else t)
    return Markup(",".join(out))


def fmt_plain(v) -> str:
    """A CSV value: numbers as written in code (12000, 3.5), text as it is."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def render_markdown(text: str) -> Markup:
    html = md_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    html = _EXT_LINK.sub(r'<a href="\1" rel="noopener noreferrer" class="external"', html)
    return Markup(html)


def render_markdown_anchored(text: str, link_title: str) -> Markup:
    """render_markdown, with an id and a permalink (titled ``link_title``) for every heading,
    as MkDocs gives the page's own headings; ids start with 'text-' so that they cannot clash
    with the page's."""
    html = md_lib.markdown(text, extensions=["sane_lists", "toc"], output_format="html", extension_configs={
        "toc": {"permalink": "¶", "permalink_title": link_title,
                "slugify": lambda value, sep: "text-" + schema.slugify(value)}})
    html = _EXT_LINK.sub(r'<a href="\1" rel="noopener noreferrer" class="external"', html)
    return Markup(html)


def fmt_number(value) -> str:
    """A number as the build's language writes it (digit grouping and decimal sign from Babel)."""
    return i18n.active().number(value)


class CiteNumbers:
    """Per page: a number for each distinct cited passage, in order of first use."""

    def __init__(self) -> None:
        self.items: list[Citation] = []
        self._num: dict[tuple[str, str], int] = {}
        self._seen: set[tuple[str, str]] = set()

    def first(self, kind: str, key: str) -> bool:
        """True the first time (kind, key) is asked for on this page: for links a page
        should show once (a contradiction shared by several claims)."""
        if (kind, key) in self._seen:
            return False
        self._seen.add((kind, key))
        return True

    def __call__(self, c: Citation) -> int:
        key = (c.source, c.quote)
        if key not in self._num:
            self.items.append(c)
            self._num[key] = len(self.items)
        return self._num[key]


def meta_value(source, name: str, unknown: str | None = None) -> str:
    """A source's publisher/date/author as shown to readers: inferred values say so."""
    c = i18n.active()
    value = getattr(source, name)
    if value is None:
        return c.t("meta.unknown") if unknown is None else unknown
    text = value.display() if hasattr(value, "display") else str(value)
    return c.t("meta.inferred", value=text) if name in source.inferred else text


_str_new = str.__new__


def _escape(s: Any) -> Markup:
    """markupsafe.escape, the same result, with the page templates' common cases first: every
    ``{{ ... }}`` of an autoescaping template goes through it (1.6 million times at 1,000
    articles). Markup (what macros, t() and the Renderer's helpers return) is already safe
    and immutable: it is returned as it is instead of being copied into a new Markup; a str
    or an int skip markupsafe's ``__html__`` checks."""
    t = type(s)
    if t is Markup:
        return s
    if t is str and _escape_inner is not None:
        return _str_new(Markup, _escape_inner(s))
    if t is int:
        return _str_new(Markup, str(s))
    return escape(s)


class _Template(jinja2.Template):
    """A page template whose compiled code escapes with _escape (the name the generated code
    imports as ``escape`` is rebound in the template's module namespace; nothing else changes)."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # type: ignore[override]
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


_PLAIN_METHODS: dict[Any, bool] = {}


class _Context(jinja2.runtime.Context):
    """A render context whose ``call`` (each ``r.href(...)``, ``t(...)``, macro call of a
    template) remembers per method which ones take no context/environment argument (Jinja's
    pass_context & co.; none of the Renderer's do) instead of looking that up at every call:
    a third of the render time was Jinja's calls. Anything else goes the usual way."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own signature)
        t = type(__obj)
        if t is MethodType:
            fn = __obj.__func__
            plain = _PLAIN_METHODS.get(fn)
            if plain is None:
                plain = _PLAIN_METHODS[fn] = not hasattr(fn, "jinja_pass_arg")
        else:  # a macro, or the page's citation numbers (num(c)): neither takes a context
            plain = t is jinja2.runtime.Macro or t is CiteNumbers
        if not plain:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


_ENVS: dict[tuple, jinja2.Environment] = {}


def _environment(template_dirs: list[Path]) -> jinja2.Environment:
    """One Jinja environment per template search path, reused across 'mkdocs serve'
    rebuilds so templates are compiled once (auto_reload still sees edited files).

    The key includes the file names in the override folders: Jinja re-checks only templates
    it has loaded, so a template *added* to site_theme/dossier/ must give a new environment.
    The environment holds constants only; the dossier of a run is passed in each render
    context, so nothing keeps an old dossier alive between rebuilds.
    """
    dirs = tuple(str(p) for p in template_dirs)
    key = (dirs, tuple(tuple(sorted(os.listdir(p))) if os.path.isdir(p) else () for p in dirs))
    env = _ENVS.get(key)
    if env is not None:
        return env
    loaders = [jinja2.FileSystemLoader(list(dirs))] if dirs else []
    builtin = jinja2.FileSystemLoader(str(TEMPLATES))
    # 'builtin/<name>': the generator's own template, for an override that extends it
    loaders += [builtin, jinja2.PrefixLoader({"builtin": builtin})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.template_class, env.context_class = _Template, _Context
    env.filters.update(markdown=render_markdown, markdown_anchored=render_markdown_anchored,
                       number=fmt_number, csvrow=csv_row)
    env.globals.update(
        meta_value=meta_value, newest_source=newest_source, PAGES=PAGES,
    )
    _ENVS[key] = env
    return env


#: built-in templates no build renders (the preview's problem page)
_NOT_BUILT = {"problems.html.j2"}


def compile_templates(options: Options) -> None:
    """Compile the templates a build renders now (a theme's override of one instead), into the
    environment the Renderer takes them from: Jinja compiles each on first use, and the two
    processes that render a large build (see render_with), forked after this, would both
    compile them (load runs this while its child reads the content). Compiling prepares and
    decides nothing: a template that fails here fails again when its page is rendered, and
    is reported there (core.template_problem)."""
    env = _environment(options.template_dirs)
    for name in sorted(os.listdir(TEMPLATES)):
        if name.endswith(".j2") and name not in _NOT_BUILT:
            try:
                env.get_template(name)
            except Exception:  # noqa: BLE001 - see above: reported where it is rendered
                pass


class Renderer:
    def __init__(self, d: Dossier, ix: Index, options: Options):
        self.d, self.ix, self.o = d, ix, options
        self._labels: dict[str, str] = {}
        self._short_names: dict[str, str] | None = None
        self._cited_parts: dict[tuple[str, str], tuple] = {}
        self._once: dict[tuple[str, str], Markup] = {}
        self._links: dict[tuple, Markup] = {}
        # pure functions of their arguments (and the options), asked for ~100,000 times at
        # 1,000 articles: a page's URL, depth and kind; links; citation markers' links
        self._places: dict[str, tuple[str, int, str | None]] = {}
        self._hrefs: dict[tuple, str] = {}
        self._cite_hrefs: dict[tuple, str] = {}
        self.cat = i18n.activate(getattr(getattr(d, "meta", None), "language", None))
        self.env = _environment(options.template_dirs)
        self.h = history.View(options.history, d, ix, self)

    def render_page(self, template: str, here: str, numbers: "CiteNumbers", toc: Toc, **ctx) -> str:
        """A page's body HTML from its template; the run's dossier, index and options go in the
        context, ``toc`` records its headings."""
        return self.env.get_template(template).render(
            here=here, r=self, num=numbers, toc=toc, d=self.d, ix=self.ix, options=self.o, **self._words(), **ctx)

    def _words(self) -> dict:
        """The catalog's words for templates: t('key', ...), plural('key', n), and the label
        tables of the build's language."""
        words = getattr(self, "_words_cache", None)
        if words is None:
            c = self.cat
            words = self._words_cache = {
                "t": c.markup, "t_html": lambda key, **kw: c.markup(key, True, **kw), "plural": c.plural_markup,
                "STATUSES": c.section("status"), "STATUS_HELP": c.section("status_help"),
                "ACTOR_KINDS": c.section("actor_kind"), "ACTOR_KINDS_PLURAL": c.section("actor_kinds"),
                "QUALIFIERS": c.section("qualifier"), "NOTE_KINDS": c.section("note_kind"), "MONTHS": c.months}
        return words

    # --- paths ----------------------------------------------------------------------------
    topic_path = staticmethod(topic_path)
    source_path = staticmethod(source_path)
    actor_path = staticmethod(actor_path)

    def series_csv_path(self, series) -> str:
        return f"daten/zahlen-{series.id}.csv"

    def series_csv(self, series) -> bytes:
        """The CSV download of a figure series (template figures.csv.j2), UTF-8."""
        text = self.env.get_template("figures.csv.j2").render(
            r=self, d=self.d, series=series, rows=self.chart_rows(series), **self._words())
        return text.encode("utf-8")

    def _place(self, here: str) -> tuple[str, int, str | None]:
        """(URL, its number of slashes, item_kind) of the page at ``here``."""
        place = self._places.get(here)
        if place is None:
            url = page_url(here, self.o.use_directory_urls)
            place = self._places[here] = (url, url.count("/"), item_kind(here))
        return place

    def href(self, here: str, target: str, anchor: str | None = None) -> str:
        key = (here, target, anchor)
        out = self._hrefs.get(key)
        if out is None:
            rel = "" if target == here else relative(self._place(here)[0], page_url(target, self.o.use_directory_urls))
            out = self._hrefs[key] = rel + (f"#{anchor}" if anchor else "") if (rel or anchor) else "./"
        return out

    def asset_href(self, here: str, path: str) -> str:
        """Relative link from a page to a file of the site (e.g. the data export)."""
        return relative(self._place(here)[0], path)

    def cite_href(self, here: str, c: Citation) -> str:
        key = (here, c.source, c.quote)
        out = self._cite_hrefs.get(key)
        if out is None:
            out = self._cite_hrefs[key] = self.href(here, self.source_path(c.source), quote_anchor(c.source, c.quote))
        return out

    def owner_link(self, here: str, owner) -> tuple[str, str]:
        """(label, href) of the place where a citing statement is shown."""
        from .model import Actor, Claim, Event, Figure, Finding, Side, Term

        if isinstance(owner, Claim):
            return owner.text, self.href(here, self.topic_path(owner.topic), owner.id)
        if isinstance(owner, Event):
            return f"{owner.date.display()}: {owner.title}", self.href(here, PAGES["chronology"], owner.id)
        if isinstance(owner, Figure):
            s = self.d.series.get(owner.series)
            label = f"{self.figure_value(owner)} {s.unit if s else ''} ({self.d.actors[owner.by].name if owner.by in self.d.actors else owner.by})"
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

    def backlinks(self, here: str, groups) -> list[tuple[str, str, str, str]]:
        """(kind, label, href, passage anchor) of the statements citing a block's passages,
        each place once (an actor or claim citing two passages of a paragraph is listed once).
        kind: the owner's model class in lower case (claim, event, figure, actor, term, side,
        finding), for the template to name."""
        out, seen = [], set()
        for g in groups:
            for o in g["owners"]:
                label, href = self.owner_link(here, o)
                if (label, href) not in seen:
                    seen.add((label, href))
                    out.append((type(o).__name__.lower(), label, href, g["anchor"]))
        return out

    # --- helpers for templates ------------------------------------------------------------
    def figure_date(self, f) -> EDTF | None:
        """When a number was stated: its own date, else the earliest date of a reporting source."""
        if f.stated is not None:
            return f.stated
        dated = [s.published for s in self.ix.reported(f.cite) if s.published is not None]
        return dated[0] if dated else None

    def figure_value(self, f) -> str:
        return f"{self.cat.t('qualifier.' + f.qualifier)} {fmt_number(f.value)}".strip()

    @staticmethod
    def _date_key(e: EDTF | None) -> tuple:
        """Undated last; "spätestens X" sorts at X, not at the beginning of time."""
        if e is None:
            return (1,)
        return (0, e.upper if e.start is None else e.lower, e.sort_key())

    def figures_in_order(self, series) -> list:
        """Figures of a series in the order they were stated (undated last), then by value."""
        return sorted(series.figures, key=lambda f: (self._date_key(self.figure_date(f)), f.value, f.id))

    def key_figures(self, limit: int = 4) -> list[dict]:
        """Home page: per series (in order) the spread of the numbers, with how many statements.
        Upper bounds ("bis zu") are left out of the spread when there are other figures."""
        out = []
        for s in sorted(self.d.series.values(), key=lambda s: (s.order, s.title))[:limit]:
            figs = [f for f in s.figures if f.qualifier != "up-to"] or s.figures
            lo = min(figs, key=lambda f: f.value)
            rank = {"up-to": 0, "exact": 1, "about": 1, "at-least": 2, "more-than": 3}
            hi = max(figs, key=lambda f: (f.value, rank.get(f.qualifier, 1)))
            value = self.figure_value(lo) if lo.value == hi.value else self.cat.t("figure_range", low=self.figure_value(lo), high=self.figure_value(hi))
            claimants = {f.by for f in s.figures}
            out.append({"series": s, "value": value, "count": len(self.chart_rows(s)), "claimants": len(claimants),
                        "left_out": len(s.figures) - len(figs)})
        return out

    def figures_by_claimant(self, series_list) -> list:
        """[(actor, [figures in date order])] across all series, actors by name."""
        by: dict[str, list] = {}
        for s in series_list:
            for f in self.figures_in_order(s):
                by.setdefault(f.by, []).append(f)
        out = []
        for aid, figs in by.items():
            if aid not in self.d.actors:
                continue
            order = {id(f): i for i, f in enumerate(figs)}
            figs.sort(key=lambda f: (self._date_key(self.figure_date(f)), order[id(f)]))
            out.append((self.d.actors[aid], figs))
        return sorted(out, key=lambda p: p[0].name.lower())

    def chart_rows(self, series) -> list[dict]:
        """One bar per statement, largest first: figures of one claimant with the same number
        (reported by several articles) are one row; 'rund' wins over an exact wording of it.
        Each row: label, value, qualifier, text, figures, cut (drawn cut, see charts)."""
        rows: dict[tuple, dict] = {}
        for f in self.figures_in_order(series):
            kind = "exact" if f.qualifier in ("exact", "about") else f.qualifier
            row = rows.setdefault((f.by, f.value, kind), {
                "label": self.d.actors[f.by].name if f.by in self.d.actors else f.by,
                "value": f.value, "qualifier": f.qualifier, "figures": []})
            if f.qualifier == "about":
                row["qualifier"] = "about"
            row["figures"].append(f)
        rank = {"more-than": 0, "at-least": 1, "about": 2, "exact": 2, "up-to": 3}
        out = sorted(rows.values(), key=lambda r: (-r["value"], rank.get(r["qualifier"], 2), r["label"]))
        _, cut_from = charts.scale_top([r["value"] for r in out])
        for r in out:
            r["text"] = f"{self.cat.t('qualifier.' + r['qualifier'])} {fmt_number(r['value'])}".strip()
            r["cut"] = r["value"] >= cut_from
        return out

    def chart(self, series, rows: list[dict], desc: str) -> Markup:
        """The SVG of chart_rows(series); ``desc`` (the text alternative) comes from the template."""
        return charts.bar_chart(f"diagramm-{series.id}", f"{series.title} ({series.unit})", desc, rows, fmt_number)

    def is_forecast(self, e) -> bool:
        """True for an event that, by its date, lies after every article reporting it was
        published (each article's latest possible day is known): an expectation, not a fact."""
        if e.date.start is None or not e.cite:
            return False
        sources, latest = self.d.sources, None  # (the reporting sources, in no order)
        for c in e.cite:
            s = sources.get(c.source)
            if s is None:
                continue
            p = s.published
            if p is None or p.end is None and p.is_interval:
                return False
            if latest is None or p.upper > latest:
                latest = p.upper
        return latest is not None and e.date.lower > latest

    def latest_facts(self, events, n: int) -> list:
        """The last ``n`` events of ``events`` (in chronological order) that are no forecast,
        latest first. Walks back from the end and stops there: the home page asks for five, and
        under mkdocs serve every event read is a recorded dependency of the page."""
        out = []
        for e in reversed(events):
            if len(out) >= n:
                break
            if not self.is_forecast(e):
                out.append(e)
        return out

    @staticmethod
    def datetime_attr(e: EDTF) -> str:
        """A valid HTML datetime value as precise as the date: '2024', '2024-06' or '2024-06-19'
        (its first point; '' when the date is open at the start)."""
        p = e.start or e.end
        if p is None:
            return ""
        if p.precision == "day":
            return p.lower.isoformat()
        if p.precision == "month":
            return f"{p.lower.year:04d}-{p.lower.month:02d}"
        return f"{p.lower.year:04d}"

    def date_marker(self, e: EDTF) -> tuple[str, str, str] | None:
        """(css modifier, visible label, explanation) for a date that is not one known day."""
        return _date_marker(e, self.cat.lang)

    # --- what the citation macros (_citations.html.j2) need -----------------------------------
    # Citation markers, the list of cited passages and the link lists of claims and events are
    # the innermost loops of the pages (three to ten per statement, on several pages each).
    # Their markup is in the macros; what does not depend on the page is made here once.

    def cited(self, c: Citation) -> tuple[Markup, Markup, Markup | str, Markup]:
        """(title, source label, paragraph number or '', quote) of a cited passage, escaped;
        the same wherever the passage is cited, so made once per passage."""
        key = (c.source, c.quote)
        parts = self._cited_parts.get(key)
        if parts is None:
            para = escape(c.block.number) if c.block and c.block.number else ""
            parts = self._cited_parts[key] = (escape(self.d.sources[c.source].title),
                                              escape(self.source_label(c.source)), para, escape(c.quote))
        return parts

    def links(self, here: str, kind: str, macro, ids) -> Markup:
        """``macro(here, ids)``: a link list of _citations.html.j2 to pages of one ``kind``
        (actor_links, topic_links; reported_links: ``ids`` are citations, kind 'source'),
        rendered once per list and place. (Measured at 1,000 articles, CPU of a serial render
        of all pages, best of 4 on a busy machine: with the markers, the list of cited
        passages and these lists as Python string builders 6.3-7.1 s; all of them as plain
        macros 8.1-8.8 s; with the link lists made once per list and place 6.1-7.6 s. A list
        recurs on many pages at the same place: a claim on its topic page and its actors'
        pages, the same actors or sources under many statements.)

        A list's links are relative URLs from the page to pages ``<folder>/<id>/``: they
        depend on the page only through the depth of its URL and whether its URL is inside
        that folder - and on the page itself for a link to itself (a page of that kind)."""
        url, depth, here_kind = self._place(here)
        folder = FOLDERS[kind]
        ident = frozenset(c.source for c in ids) if kind == "source" else tuple(ids)
        key = (kind, ident, depth, url.startswith(folder + "/"), here if here_kind == kind else None)
        out = self._links.get(key)
        if out is None:
            out = self._links[key] = Markup(macro(here, ids))
        return out

    def once(self, kind: str, key: str, macro, *args) -> Markup:
        """``macro(*args)``, rendered once per (kind, key) and run: for pieces of markup that
        are the same on every page (an event's date line), kept in the templates."""
        cache_key = (kind, key)
        out = self._once.get(cache_key)
        if out is None:
            out = self._once[cache_key] = Markup(macro(*args))
        return out

    def reported_labels(self, cites) -> list[str]:
        """The short labels of the sources a statement rests on (earliest first)."""
        return [self.source_label(s.id) for s in self.ix.reported(cites)]

    def status_badge(self, status: str, quiet: bool = False) -> Markup:
        return _status_badge(status, quiet, self.cat.lang)

    @staticmethod
    def common_statuses(claims) -> set[str]:
        """Statuses that a quarter or more of a page's claims share (at least three): shown
        plainly, so that a rare status stands out and a frequent one does not shout."""
        counts: dict[str, int] = {}
        for c in claims:
            counts[c.status] = counts.get(c.status, 0) + 1
        return {s for s, n in counts.items() if n >= 3 and n * 4 >= len(claims)}

    def side_claims(self, side) -> list:
        return [self.d.claims[cid] for cid in side.claims if cid in self.d.claims]

    @staticmethod
    def claim_actors(claims) -> list[str]:
        """The actors the claims come from, each once, in order."""
        return list(dict.fromkeys(a for c in claims for a in c.by))

    @staticmethod
    def first_per_topic(claims) -> list:
        """The first claim of each topic, in order (one link per topic)."""
        out: dict[str, Any] = {}
        for c in claims:
            out.setdefault(c.topic, c)
        return list(out.values())

    def topic_contradictions(self, topic) -> list:
        """The contradictions a topic names or one of its claims is part of, each once."""
        out = list(self.ix.contradictions_by_topic.get(topic.id, []))
        for c in topic.claims:
            for k in self.ix.contradictions_by_claim.get(c.id, []):
                if k not in out:
                    out.append(k)
        return out

    def source_label(self, sid: str) -> str:
        label = self._labels.get(sid)
        if label is None:
            label = self._labels[sid] = self._source_label(sid)
        return label

    def _source_label(self, sid: str) -> str:
        """'<short name>, <date>': the name tells the articles apart (the editors' ``label``,
        else a shortened title); how a date was inferred is said once, on the source page."""
        s = self.d.sources.get(sid)
        if not s:
            return sid
        name = self.short_names().get(sid, sid)
        return f"{name}, {s.published.display()}" if s.published is not None else name

    def short_names(self) -> dict[str, str]:
        """Per source a short name no other source has: its ``label``, else its title cut at a
        word before 40 characters; names that still collide get the source id added."""
        names = self._short_names
        if names is None:
            names = {sid: s.label or short_title(s.title) for sid, s in self.d.sources.items()}
            seen: dict[str, int] = {}
            for n in names.values():
                seen[n] = seen.get(n, 0) + 1
            names = self._short_names = {sid: (f"{n} ({sid})" if seen[n] > 1 else n) for sid, n in names.items()}
        return names

    @staticmethod
    def quote_html(quote: Markup | str) -> Markup:
        """A quote in <q>, escaped; a quote that is itself in quotation marks („…“, "…") keeps
        its own and gets none from the browser (no „„…““)."""
        raw = quote.unescape() if isinstance(quote, Markup) else str(quote)
        bare = len(raw) > 1 and raw[0] in "„“\"»«‚'" and raw[-1] in "“”\"«»‘'"
        q = escape(raw)
        return Markup(f'<q class="dossier-q--own">{q}</q>' if bare else f"<q>{q}</q>")

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


def short_title(title: str, limit: int = 40) -> str:
    """A title cut at a word boundary before ``limit`` characters (with "…"), else whole."""
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(" ,:;–-")
    return (cut or title[:limit]) + "…"


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


@lru_cache(maxsize=4096)
def _date_marker(e: EDTF, lang: str) -> tuple[str, str, str] | None:
    c = i18n.catalog(lang)
    if e.uncertain:
        return ("uncertain", c.t("date.marker.uncertain"), c.t("date.marker.uncertain_help"))
    if e.approximate:
        return ("approx", c.t("date.marker.approx"), c.t("date.marker.approx_help"))
    if e.is_interval:
        if e.start is None or e.end is None:
            return ("approx", c.t("date.marker.approx"), c.t("date.marker.bound_help"))
        return ("span", c.t("date.marker.span"), c.t("date.marker.span_help"))
    if e.start and e.start.precision != "day":
        return ("span", c.t("date.marker.not_day"), c.t("date.marker.not_day_help"))
    return None


@lru_cache(maxsize=None)
def _status_badge(status: str, quiet: bool, lang: str) -> Markup:
    c = i18n.catalog(lang)
    label = escape(c.t("status." + status))
    cls = " dossier-status--quiet" if quiet else ""
    title = escape(c.t("status_title", label=c.t("status." + status)))
    return Markup(f'<span class="dossier-status dossier-status--{escape(status)}{cls}" title="{title}">{label}</span>')


def nav(d: Dossier) -> list:
    """The MkDocs navigation: fixed pages, topics in their order. Leaf pages for sources and
    actors are reached from their index pages, so the navigation stays small at any size."""
    topics = sorted(d.topics.values(), key=lambda t: (t.order, t.title))
    if len(topics) > NAV_TOPICS_MAX:  # every page renders the navigation: keep it small
        topics = []
    c = i18n.activate(getattr(getattr(d, "meta", None), "language", None))
    return [
        {c.t("nav." + key): [path, *({t.title: topic_path(t.id)} for t in topics)] if key == "topics" else path}
        for key, path in PAGES.items()
    ]


_MAILTO = re.compile(r"mailto:([^\s)>\"'?]+)")


def footer(d: Dossier, options: Options) -> dict[str, str]:
    """What site_theme/main.html shows in every page's footer: the contact text of
    dossier.yaml (template footer.html.j2), the address errors go to (the first mailto: in it,
    or '') and the method page's URL (its 'Fehler melden' section). Empty without a contact."""
    contact = d.meta.contact if d.meta else None
    if not contact:
        return {}
    env = _environment(options.template_dirs)
    m = _MAILTO.search(contact)
    c = i18n.active()
    return {"contact_html": env.get_template("footer.html.j2").render(d=d, t=c.markup, plural=c.plural_markup),
            "report_email": m.group(1) if m else "",
            "method_url": page_url(PAGES["method"], options.use_directory_urls)}


@dataclass
class CsvTask:
    """The CSV download of a figure series (render_with's extra task): with the render cache
    it is rendered like a page (by render_with's Renderer, what it reads recorded), so that
    a save renders only the files whose inputs changed."""

    r: "Renderer"
    series: Any

    def __call__(self) -> bytes:
        return self.r.series_csv(self.series)


#: what the render cache knows a CsvTask's job by (a template name, as the pages')
CSV_TEMPLATE = "figures.csv.j2"


def csv_tasks(d: Dossier, ix: Index, options: Options) -> dict[str, Callable[[], bytes]]:
    """Every figure series as a CSV download beside the figures page: {path: task}, for
    render_with's extra tasks."""
    r = Renderer(d, ix, options)
    return {r.series_csv_path(s): CsvTask(r, s) for s in d.series.values()}


def render(d: Dossier, ix: Index, options: Options, parallel: bool | None = None) -> dict[str, Page]:
    """All pages, in navigation order. ``parallel``: None decides by size (options.thresholds);
    True/False force it (tests compare the two)."""
    return render_with(d, ix, options, {}, parallel)[0]


def render_with(d: Dossier, ix: Index, options: Options, extra: dict[str, Callable[[], Any]],
                parallel: bool | None = None, cache=None, sink=None) -> tuple[dict[str, Page], dict[str, Any]]:
    """render(), plus the results of ``extra`` tasks (e.g. the data export), which share the
    second process with the pages when there is one. ``cache``: deps.RenderCache of the
    previous renders (mkdocs serve): only the pages whose inputs changed are rendered.
    ``sink`` (detached.Sink; not with ``cache``): each page is sent there as soon as it is
    rendered, with its place in the navigation order, and not kept (the pages returned are
    then none)."""
    r = Renderer(d, ix, options)
    # the extra tasks first: one process runs them while the other starts on the pages
    jobs: list = [*extra.values(), *_jobs(d, r), *r.h.jobs()]
    n = len(extra)
    # with the render cache the CSV files are rendered like pages (CsvTask), after the rest
    files = [(CSV_TEMPLATE, path, {"series": job.series}) for path, job in extra.items()
             if isinstance(job, CsvTask)] if cache is not None else []
    session = cache.session(d, ix, options, r, jobs[n:], files) if cache is not None else None
    mod = jsonld.modified(d)
    works: dict[str, dict] = {}  # each cited source's JSON-LD, made once per process

    def emit(job) -> Any:
        if callable(job):
            return job()
        template, path, ctx = job
        if template == CSV_TEMPLATE:
            return r.series_csv(ctx["series"])
        numbers, toc = CiteNumbers(), Toc()
        body = toc.settle(r.render_page(template, path, numbers, toc, **ctx))
        title = toc.title or ""
        # page_kind (the template's name) and linked data for theme/main.html (JSON-LD)
        cited = [c.source for c in numbers.items] + ([ctx["source"].id] if "source" in ctx else [])
        meta = {"title": title, "page_kind": template.split(".", 1)[0],
                **jsonld.linked_data(d, cited, r.h.modified(path) or mod, works)}
        return Page(path, title, meta, toc.items(), body)

    if session is not None:  # in this process: what each page reads is recorded
        done = [None if isinstance(job, CsvTask) else emit(job) for job in jobs[:n]]
        texts = {}
        with session.recording(r):
            for job in [*jobs[n:], *files]:
                path = job[1]
                if path in session.todo:
                    with session.page(r, path):
                        texts[path] = emit(job)
                else:
                    texts[path] = session.reused(path)
        done += [texts[job[1]] for job in jobs[n:]]
        done[:n] = [texts[path] if isinstance(job, CsvTask) else x for (path, job), x in zip(extra.items(), done[:n])]
    else:
        if parallel is None:
            parallel = len(jobs) - n >= options.thresholds.parallel_min_pages and can_fork()
        if parallel:
            done = _render_parallel(jobs, emit, sink)
        else:
            done = _work(jobs, emit, itertools.count().__next__, sink and sink.first)
            done = [done.get(i) for i in range(len(jobs))]
    feed = r.h.feed()
    pages = {} if sink is not None else {path: text for (_, path, _), text in zip(jobs[n:], done[n:])}
    if session is not None:
        session.commit({**pages, **{path: texts[path] for _, path, _ in files}}, pages.keys())
    return (pages, {**dict(zip(extra, done[:n])), **({history.FEED_PATH: feed} if feed is not None else {})})


def _jobs(d: Dossier, r: Renderer) -> list[tuple[str, str, dict]]:
    """(template, page path, context) of every page, in navigation order."""
    jobs: list[tuple[str, str, dict]] = []

    def emit(template: str, path: str, **ctx) -> None:
        jobs.append((template, path, ctx))

    topics = sorted(d.topics.values(), key=lambda t: (t.order, t.title))
    events = sorted(d.events.values(), key=lambda e: e.date.sort_key())
    sources = sorted(d.sources.values(), key=source_sort_key)
    emit("home.html.j2", PAGES["home"], topics=topics, events=events, sources=sources)
    emit("topics.html.j2", PAGES["topics"], topics=topics)
    for t in topics:
        emit("topic.html.j2", r.topic_path(t.id), topic=t)
    used_topics = {t for e in events for t in e.topics}
    used_actors = {a for e in events for a in e.actors}
    emit("chronology.html.j2", PAGES["chronology"], events=events, groups=group_events(events),
         ev_topics=[t for t in topics if t.id in used_topics],
         ev_actors=sorted((d.actors[a] for a in used_actors if a in d.actors), key=lambda a: a.name.lower()))
    emit("figures.html.j2", PAGES["figures"], series=sorted(d.series.values(), key=lambda s: (s.order, s.title)))
    emit("contradictions.html.j2", PAGES["contradictions"], items=sorted(d.contradictions.values(), key=lambda k: k.title))
    actors = sorted(d.actors.values(), key=lambda a: a.name.lower())
    emit("actors.html.j2", PAGES["actors"], actors=actors)
    for a in actors:
        emit("actor.html.j2", r.actor_path(a.id), actor=a)
    emit("sources.html.j2", PAGES["sources"], sources=sources)
    for s in sources:
        emit("source.html.j2", r.source_path(s.id), source=s)
    emit("glossary.html.j2", PAGES["glossary"], terms=sorted(d.terms.values(), key=lambda t: t.term.lower()))
    emit("method.html.j2", PAGES["method"])
    return jobs


def _work(jobs: list, emit, take: Callable[[], int], send) -> dict[int, Any]:
    """Run the jobs whose index ``take()`` hands out: {index: result}; with ``send`` (a
    connection) each page goes there as ``(index, page)`` instead (other jobs' results stay)."""
    done = {}
    while (i := take()) < len(jobs):
        result = emit(jobs[i])
        if send is not None and not callable(jobs[i]):
            send.send((i, result))
        else:
            done[i] = result
    return done


def _render_parallel(jobs: list, emit, sink=None) -> list:
    """Render the pages (and run any callable jobs) in this process and a forked child; same
    results, same order (with a ``sink`` the pages go there instead, see _work: None here).

    Pages are independent of each other (each has its own CiteNumbers; the caches on the
    Renderer and relative() only memoise pure functions), so where a page is rendered cannot
    change it. The child inherits the model and the compiled templates and sends back only
    its texts. Both processes take the next page from a shared counter, so one huge page (the
    chronology) does not leave the other process idle.
    """
    counter = multiprocessing.get_context("fork").Value("i", 0)

    def take() -> int:
        with counter.get_lock():
            i = counter.value
            counter.value += 1
        return i

    texts, theirs = run_beside(lambda: _work(jobs, emit, take, sink and sink.second),
                               lambda: _work(jobs, emit, take, sink and sink.first), "rendering")
    texts.update(theirs)
    return [texts.get(i) for i in range(len(jobs))]


#: the last group_events: (its events, the language and its month names, its result)
_last_groups: tuple | None = None


def group_events(events):
    """group_events_anew(events), kept from the last call while the events are the very same
    objects in the same order (mkdocs serve: the read cache gives back the events of unchanged
    files; a model object does not change once loaded) and the language is the same."""
    global _last_groups
    lang = i18n.active()
    months = (lang.lang, tuple(lang.months))  # (and the wording of dates)
    last = _last_groups
    if (last is not None and last[1] == months and len(last[0]) == len(events)
            and all(map(operator.is_, last[0], events))):
        return last[2]
    out = group_events_anew(events)
    _last_groups = (list(events), months, out)
    return out


def group_events_anew(events):
    """[(heading, anchor, [(month name or '', [events])])] in chronological order.

    An event within one calendar year goes under that year (and its month, when the date is
    that precise). An event whose date spans several years, or is only a decade or century,
    gets a heading of its own in its honest wording ("späte 1960er- und 1970er-Jahre",
    "1965–1973") instead of pretending it belongs to its first year.
    """
    groups: dict[tuple, dict] = {}
    for e in events:
        d = e.date
        low = d.lower if d.start else d.upper
        within_year = (d.start is None or d.end is None or d.lower.year == d.upper.year) and not any(
            p.precision in ("decade", "century") for p in (d.start, d.end) if p)
        if within_year:
            heading, anchor = str(low.year), f"jahr-{low.year}"
            precise = d.start and d.start.precision in ("month", "day") and d.end and (
                (d.end.upper.year, d.end.upper.month) == (low.year, low.month))
            month = low.month if precise else 0
            key = (date(low.year, 1, 1), 0, "")
        else:
            heading = e.date_label or d.display()
            key, anchor, month = (low, 1, heading), schema.slugify(f"zeitraum {heading}"), 0
        g = groups.setdefault(key, {"heading": heading, "anchor": anchor, "months": {}})
        g["months"].setdefault(month, []).append(e)
    out = []
    for key in sorted(groups):
        g = groups[key]
        months = [(i18n.active().months[m - 1] if m else "", evs) for m, evs in sorted(g["months"].items())]
        out.append((g["heading"], g["anchor"], months))
    return out
