"""Machine-readable export of the whole dossier (claims, events, figures, sources, citations).

Every exported object is a ``View`` of a model class: the declared fields it shows, under their
own or a new name (``cite`` -> ``citations``), and values computed at export (a citation's
paragraph and anchor, an event's reporting sources). Both ``export()`` and the export's JSON
Schema (exportschema.py, published as ``daten/dossier.schema.json``) are generated from these
views and the field declarations in model.py, so the data and its schema cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from typing import Any, Callable

from . import model
from .edtf import EDTF
from .fields import NODE_FIELDS, Date, ListOf, Obj, Ref, T
from .index import Index, quote_anchor
from .model import Citation, Dossier

EXPORT_VERSION = 1

DATE_REF = {"$ref": "#/$defs/date"}


def _date(e: EDTF | None, ix: Index = None):
    if e is None:
        return None
    return {
        "edtf": e.text,
        "display": e.display(),
        "earliest": e.lower.isoformat() if e.start else None,
        "latest": e.upper.isoformat() if e.end else None,
        "approximate": e.approximate,
        "uncertain": e.uncertain,
    }


def _plain(t: T) -> dict:
    """The JSON Schema of a validated value as exported (the editors' wording left out)."""
    return {k: v for k, v in t.schema().items() if k not in ("description", "examples")}


@dataclasses.dataclass(frozen=True)
class Col:
    """One exported value: a model field (``attr``, converted by ``conv(value, ix)`` unless None)
    or, without ``attr``, a value computed by ``conv(obj, ix)``."""

    name: str
    attr: str | None
    conv: Callable[..., Any] | None
    schema: dict


class View:
    """The exported form of a model class; called as ``view(obj, ix)``. Every declared field
    is either shown (``cols``) or named in ``omit``: a field added to the model must be placed.
    ``ref``: the view is a shared definition of the schema (``#/$defs/<ref>``)."""

    def __init__(self, cls: type, cols: list[Col | str], omit: tuple[str, ...] = (), doc: str = "", ref: str = ""):
        self.cls, self.doc, self.ref, self.omit = cls, doc, ref, omit
        self.cols = [c if isinstance(c, Col) else field(cls, c) for c in cols]
        unplaced = {f.name for f in dataclasses.fields(cls) if f.name not in NODE_FIELDS} - set(omit) - {
            c.attr for c in self.cols}
        if unplaced:
            raise TypeError(f"export of {cls.__name__}: show or omit {', '.join(sorted(unplaced))}")
        # a generated function that builds the dict in one literal: as fast as writing it out
        env = {f"c{i}": c.conv for i, c in enumerate(self.cols)}
        parts = []
        for i, c in enumerate(self.cols):
            if c.attr is None:
                parts.append(f"{c.name!r}: c{i}(o, ix)")
            elif c.conv is None:
                parts.append(f"{c.name!r}: o.{c.attr}")
            else:
                parts.append(f"{c.name!r}: c{i}(o.{c.attr}, ix)")
        self._fn = eval(f"lambda o, ix: {{{', '.join(parts)}}}", env)  # noqa: S307  (names from our own declarations)
        _VIEWS[cls] = self

    def __call__(self, obj: Any, ix: Index) -> dict:
        return self._fn(obj, ix)

    def schema(self) -> dict:
        out = {"type": "object", "additionalProperties": False,
               "properties": {c.name: c.schema for c in self.cols}, "required": [c.name for c in self.cols]}
        if self.doc:
            out["description"] = self.doc
        return out

    def use(self) -> dict:
        return {"$ref": f"#/$defs/{self.ref}"} if self.ref else self.schema()


_VIEWS: dict[type, View] = {}


def field(cls: type, attr: str, name: str = "", doc: str = "") -> Col:
    """Export the declared field ``attr`` of ``cls`` (as ``name``): value and schema follow from
    its type (model.py); a field that may be absent exports null."""
    f = {f.name: f for f in dataclasses.fields(cls)}[attr]
    t: T | None = f.metadata.get("type") or f.metadata.get("of")
    if t is None:
        raise TypeError(f"{cls.__name__}.{attr} has no type to export")
    conv, schema = _shape(t)
    if f.metadata.get("nullable") or f.default is None:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if doc:
        schema = {**schema, "description": doc}
    return Col(name or attr, attr, conv, schema)


def _shape(t: T) -> tuple[Callable | None, dict]:
    if isinstance(t, Date):
        return _date, DATE_REF
    if isinstance(t, Obj):
        view = _VIEWS[t.cls]
        return view, view.use()
    if isinstance(t, ListOf):
        conv, item = _shape(t.item)
        schema = {"type": "array", "items": item}
        if t.min_items:
            schema["minItems"] = t.min_items
        if t.unique:
            schema["uniqueItems"] = True
        if conv is None:
            return None, schema
        return (lambda xs, ix: [conv(x, ix) for x in xs]), schema
    return None, _plain(t)


def computed(name: str, fn: Callable[[Any, Index], Any], schema: dict, doc: str = "") -> Col:
    return Col(name, None, fn, {**schema, "description": doc} if doc else schema)


def _ids(kind: str) -> dict:
    return {"type": "array", "items": _plain(Ref(kind))}


CITATION = View(Citation, [
    field(Citation, "source", doc="id der Quelle (sources[].id)"),
    field(Citation, "quote", doc="wörtliches Zitat aus dem Artikel"),
    computed("paragraph", lambda c, ix: c.block.number if c.block is not None and c.block.number else None,
             {"type": ["integer", "null"], "minimum": 1}, "Absatznummer ¶ im Artikel; null bei Zwischentiteln"),
    computed("anchor", lambda c, ix: quote_anchor(c.source, c.quote), {"type": "string", "pattern": "^q-[0-9a-f]{10}$"},
             "Anker der Stelle auf der Quellenseite: quellen/<source>/#<anchor>"),
], omit=("block", "start", "end"), doc="eine Belegstelle", ref="citation")


def _cites(cls: type) -> Col:
    return field(cls, "cite", "citations")


View(model.Evidence, ["about", "quote", "note"])
View(model.Note, ["quote", "kind", "text"], omit=("block", "start", "end", "source"))
View(model.Side, ["text", "claims", _cites(model.Side)])

SOURCE = View(model.Source, [
    "id", "file", "title", "title_editorial", "publisher", "author", "published", "url", "language",
    field(model.Source, "reproduce", doc="quotes: öffentlich nur die zitierten Passagen; fulltext: Rechte geklärt"),
    field(model.Source, "inferred", doc="aus dem Text erschlossene, nicht abgelesene Angaben"),
    "evidence", "notes",
], omit=("label", "paragraphs", "furniture", "article"))
TOPIC = View(model.Topic, ["id", "title", "lead", computed("claims", lambda t, ix: [c.id for c in t.claims], _ids("claim"))],
             omit=("order", "known", "unclear", "sections"))
CLAIM = View(model.Claim, [
    "id", "topic", "section", "text", "status", field(model.Claim, "by", doc="Akteure, die die Aussage machen"),
    "stated", "note", _cites(model.Claim),
])
EVENT = View(model.Event, [
    "id", field(model.Event, "date", doc="wann es geschah"), "date_label", "title", "text", "topics", "actors", "places",
    computed("reported_in", lambda e, ix: [s.id for s in ix.reported(e.cite)], _ids("source"),
             "Quellen, die darüber berichten (früheste zuerst)"),
    _cites(model.Event),
])
ACTOR = View(model.Actor, ["id", "name", "aliases", "kind", "role", "part_of", _cites(model.Actor)])
FIGURE = View(model.Figure, [
    "id", field(model.Figure, "series", doc="series[].id"), "value", "qualifier",
    field(model.Figure, "by", doc="wer die Zahl nennt (actors[].id)"), "stated", "refers_to", "note", _cites(model.Figure),
])
SERIES = View(model.Series, ["id", "title", "unit", "description"], omit=("order", "figures"))
CONTRADICTION = View(model.Contradiction, ["id", "title", "summary", "topics", "sides"])
TERM = View(model.Term, ["id", "term", "aliases", "definition", _cites(model.Term)])


def _by_id(items) -> list:
    return sorted(items, key=operator.attrgetter("id"))


def _in_order(items) -> list:
    return sorted(items, key=operator.attrgetter("order", "id"))


#: (key in the export, view, the objects in export order)
COLLECTIONS: list[tuple[str, View, Callable[[Dossier], list]]] = [
    ("sources", SOURCE, lambda d: _by_id(d.sources.values())),
    ("topics", TOPIC, lambda d: _in_order(d.topics.values())),
    ("claims", CLAIM, lambda d: _by_id(d.claims.values())),
    ("events", EVENT, lambda d: sorted(d.events.values(), key=lambda e: (e.date.sort_key(), e.id))),
    ("actors", ACTOR, lambda d: _by_id(d.actors.values())),
    ("figures", FIGURE, lambda d: [f for s in _in_order(d.series.values()) for f in s.figures]),
    ("series", SERIES, lambda d: _in_order(d.series.values())),
    ("contradictions", CONTRADICTION, lambda d: _by_id(d.contradictions.values())),
    ("glossary", TERM, lambda d: _by_id(d.terms.values())),
]


def export(d: Dossier, ix: Index) -> dict:
    out: dict[str, Any] = {"version": EXPORT_VERSION, "title": d.meta.title if d.meta else None}
    for key, view, items in COLLECTIONS:
        out[key] = [view(o, ix) for o in items(d)]
    return out


def dumps(value) -> str:
    # compact: Python's C encoder writes it (an indented dump goes through the pure-Python
    # encoder, 3.5x slower at 1,000 articles) and the file is a fifth smaller
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def export_json(d: Dossier, ix: Index, kept: Callable[[str, View, list, Index], str] | None = None) -> bytes:
    """The export as JSON: the text of ``dumps(export(d, ix))`` and a newline, made one
    collection at a time. ``kept(key, view, objs, ix)``: the exported JSON texts of a
    collection's objects joined by commas, from a cache where they cannot have changed
    (deps.RenderCache.export_items, mkdocs serve); the text is the same, put together from
    the objects' texts."""
    parts = ['{"version":', dumps(EXPORT_VERSION), ',"title":', dumps(d.meta.title if d.meta else None)]
    for key, view, items in COLLECTIONS:
        text = kept(key, view, items(d), ix) if kept is not None else _joined(view, items(d), ix)
        parts += [",", dumps(key), ":[", text, "]"]
    parts.append("}\n")
    # UTF-8 a piece at a time: the whole text as one str is up to four bytes a character
    return b"".join(part.encode("utf-8") for part in parts)


#: objects exported per json.dumps call when nothing is kept (see _joined)
BATCH = 256


def _joined(view: View, objs: list, ix: Index) -> str:
    """The exported JSON texts of ``objs`` joined by commas (what dumps of their list has
    between its brackets), a batch at a time: at 3,000 articles the exported values of the
    whole dossier at once took about 100 MB more than the text they make, at the build's
    peak (the core's render, detached.py); the text is the same."""
    return ",".join(dumps([view(o, ix) for o in objs[i:i + BATCH]])[1:-1] for i in range(0, len(objs), BATCH))
