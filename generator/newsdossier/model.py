"""The typed content model. Every object knows where it was written (``pos``) and where
each of its fields stands (``fpos``), so every later check can point an editor at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .article import Article, Block
from .edtf import EDTF
from .errors import Pos

_NOPOS = Pos("")


@dataclass(eq=False)
class Node:
    pos: Pos = field(default=_NOPOS, kw_only=True, repr=False)
    fpos: dict[str, Pos] = field(default_factory=dict, kw_only=True, repr=False)

    def at(self, name: str) -> Pos:
        return self.fpos.get(name, self.pos)


@dataclass(eq=False)
class Citation(Node):
    source: str
    quote: str
    # resolved by validation
    block: Block | None = None
    start: int = 0
    end: int = 0

    @property
    def resolved(self) -> bool:
        return self.block is not None


@dataclass(eq=False)
class Finding(Node):
    """A "Was wir wissen" / "Was unklar ist" item: a sentence resting on claims or quotes."""

    text: str
    claims: list[str] = field(default_factory=list)
    cite: list[Citation] = field(default_factory=list)


@dataclass(eq=False)
class Claim(Node):
    id: str
    text: str
    status: str
    cite: list[Citation]
    by: list[str] = field(default_factory=list)
    stated: EDTF | None = None
    note: str | None = None
    topic: str = ""  # set by the loader
    section: str = ""


@dataclass(eq=False)
class Section(Node):
    title: str
    claims: list[Claim]
    intro: str | None = None


@dataclass(eq=False)
class Topic(Node):
    id: str
    title: str
    lead: str
    sections: list[Section]
    order: int = 100
    known: list[Finding] = field(default_factory=list)
    unclear: list[Finding] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return [c for s in self.sections for c in s.claims]


@dataclass(eq=False)
class Event(Node):
    id: str
    date: EDTF
    title: str
    cite: list[Citation]
    date_label: str | None = None
    text: str | None = None
    topics: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Actor(Node):
    id: str
    name: str
    kind: str
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    part_of: str | None = None
    cite: list[Citation] = field(default_factory=list)


@dataclass(eq=False)
class Figure(Node):
    id: str
    value: float
    by: str
    cite: list[Citation]
    qualifier: str = "exact"
    stated: EDTF | None = None
    refers_to: str | None = None
    note: str | None = None
    series: str = ""  # set by the loader


@dataclass(eq=False)
class Series(Node):
    id: str
    title: str
    unit: str
    figures: list[Figure]
    order: int = 100
    description: str | None = None


@dataclass(eq=False)
class Side(Node):
    text: str
    claims: list[str] = field(default_factory=list)
    cite: list[Citation] = field(default_factory=list)


@dataclass(eq=False)
class Contradiction(Node):
    id: str
    title: str
    sides: list[Side]
    summary: str | None = None
    topics: list[str] = field(default_factory=list)


@dataclass(eq=False)
class Term(Node):
    id: str
    term: str
    definition: str
    aliases: list[str] = field(default_factory=list)
    cite: list[Citation] = field(default_factory=list)


@dataclass(eq=False)
class Evidence(Node):
    about: str
    note: str
    quote: str | None = None


@dataclass(eq=False)
class Furniture(Node):
    line: str
    kind: str


@dataclass(eq=False)
class Note(Node):
    quote: str
    kind: str
    text: str
    # resolved
    block: Block | None = None
    start: int = 0
    end: int = 0
    source: str = ""


@dataclass(eq=False)
class Source(Node):
    id: str
    file: str
    title: str
    published: EDTF | None = None
    title_editorial: bool = False
    label: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    language: str = "de"
    reproduce: str = "quotes"
    paragraphs: str = "blank-lines"
    inferred: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    article: Article | None = None


@dataclass(eq=False)
class DossierMeta(Node):
    title: str
    lead: str
    subtitle: str | None = None
    description: str | None = None
    language: str = "de"
    known: list[Finding] = field(default_factory=list)
    unclear: list[Finding] = field(default_factory=list)
    method: str | None = None
    contact: str | None = None
    checks: dict = field(default_factory=dict)  # rule name -> rules.Setting (see rules.py)


@dataclass(eq=False)
class Dossier:
    """Everything loaded: the input of indexing and rendering."""

    meta: DossierMeta | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    contradictions: dict[str, Contradiction] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)

    def all_citations(self) -> list[tuple[Any, Citation]]:
        """(owner, citation) for every citation in the dossier, in a stable order."""
        out: list[tuple[Any, Citation]] = []
        if self.meta:
            for f in self.meta.known + self.meta.unclear:
                out += [(f, c) for c in f.cite]
        for t in self.topics.values():
            for f in t.known + t.unclear:
                out += [(f, c) for c in f.cite]
            for c in t.claims:
                out += [(c, x) for x in c.cite]
        for group in (self.events, self.actors, self.figures, self.terms):
            for item in group.values():
                out += [(item, x) for x in item.cite]
        for k in self.contradictions.values():
            for s in k.sides:
                out += [(s, x) for x in s.cite]
        return out
