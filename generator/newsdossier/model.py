"""The content model, declared once.

Each class is a keyword-only dataclass whose fields carry their type (``fld(Text(1000), doc)``,
from fields.py), doc, nullability and default; a field without a default is required. Fields
not written in YAML are marked ``derived``. From these declarations come:

* the typed model (these classes; every object knows where it was written: ``pos``, ``fpos``),
* validation with positions and hints (``Cls.spec``, an ``Obj`` converter; schema.py),
* the editors' JSON Schemas (content/schemas/; schema.py, schemas.py),
* the export and its JSON Schema (export.py, exportschema.py).

Field order is the order of editors' hints ("fields of a topic: …") and of missing-field errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .article import FURNITURE_KINDS, PARAGRAPH_MODES, Article, Block
from .edtf import EDTF
from .errors import Pos
from .fields import (Bool, Checks, Ctx, Date, Enum, Int, ListOf, Markdown, Number, Quote, Ref, Slug, Text, Url,
                     declared, derived, fld)

_NOPOS = Pos("")

STATUSES = {
    "bestaetigt": "Bestätigt",
    "berichtet": "Berichtet",
    "umstritten": "Umstritten",
    "unbelegt": "Unbestätigt",
    "einschaetzung": "Einschätzung",
}
STATUS_HELP = {
    "bestaetigt": "Nach Angaben der Quellen unabhängig belegt, etwa durch Dokumente oder Aufnahmen.",
    "berichtet": "Von einer genannten Quelle berichtet oder behauptet, nicht unabhängig überprüft.",
    "umstritten": "Eine andere Quelle widerspricht; beide Seiten stehen unter „Widersprüche“.",
    "unbelegt": "Gerücht oder ausdrücklich unbestätigte Angabe.",
    "einschaetzung": "Einschätzung, Vermutung oder Prognose von Fachleuten oder Beteiligten.",
}
ACTOR_KINDS_PLURAL = {
    "person": "Personen",
    "organisation": "Organisationen",
    "state": "Staaten",
    "media": "Medien",
    "group": "Gruppen",
}
ACTOR_KINDS = {
    "person": "Person",
    "organisation": "Organisation",
    "state": "Staat",
    "media": "Medium",
    "group": "Gruppe",
}
QUALIFIERS = {
    "exact": "",
    "about": "rund",
    "at-least": "mindestens",
    "more-than": "mehr als",
    "up-to": "bis zu",
}
NOTE_KINDS = {
    "error": "Fehler im Text",
    "spelling": "Schreibfehler",
    "inconsistency": "Widerspruch im Text",
    "remark": "Anmerkung",
}
EVIDENCE_ABOUT = ("publisher", "published", "author", "title", "url")
INFERABLE = ("publisher", "published", "author")
REPRODUCE = ("quotes", "fulltext")


@dataclass(eq=False)
class Node:
    pos: Pos = field(default=_NOPOS, kw_only=True, repr=False)
    fpos: dict[str, Pos] = field(default_factory=dict, kw_only=True, repr=False)

    def at(self, name: str) -> Pos:
        return self.fpos.get(name, self.pos)


def _needs_support(obj, ctx: Ctx) -> None:
    if not obj.claims and not obj.cite:
        ctx.error(obj.pos, "this statement rests on nothing", "add 'claims: [claim-id]' or 'cite:' with a quote")


_RESOLVED = "set when the quote is found in the article"


@declared("citation", doc="A verbatim passage of an article that supports the statement.")
class Citation(Node):
    source: str = fld(Ref("source"), "id of the source (file name in content/sources/ without .yaml)")
    quote: str = fld(Quote(max_len=1200), "verbatim passage from the article body, unique in it")
    block: Block | None = derived(_RESOLVED, default=None)
    start: int = derived(_RESOLVED, default=0)
    end: int = derived(_RESOLVED, default=0)

    @property
    def resolved(self) -> bool:
        return self.block is not None


@declared("statement", check=_needs_support)
class Finding(Node):
    """A "Was wir wissen" / "Was unklar ist" item: a sentence resting on claims or quotes."""

    text: str = fld(Text(800), "one sentence")
    claims: list[str] = fld(ListOf(Ref("claim"), unique=True), "ids of the claims this rests on", default=[])
    cite: list[Citation] = fld(ListOf(Citation), "or direct citations", default=[])


@declared("claim")
class Claim(Node):
    id: str = fld(Slug(), "unique across all topics; becomes the anchor #claim-id")
    text: str = fld(Text(1000), "the editorial sentence in German, attributed ('Laut der Behörde …')")
    by: list[str] = fld(ListOf(Ref("actor"), unique=True), "actor ids who make the claim", default=[])
    status: str = fld(Enum(STATUSES), "bestaetigt | berichtet | umstritten | unbelegt | einschaetzung")
    stated: EDTF | None = fld(Date(), "EDTF: when the claim was made, if the text says", default=None)
    note: str | None = fld(Text(800), "editorial remark shown with the claim", default=None)
    cite: list[Citation] = fld(ListOf(Citation, min_items=1))
    topic: str = derived("id of the topic (its file name)", of=Ref("topic"), default="")
    section: str = derived("title of the section", of=Text(200, single_line=True), default="")


@declared("section")
class Section(Node):
    title: str = fld(Text(200, single_line=True))
    intro: str | None = fld(Text(1200), default=None)
    claims: list[Claim] = fld(ListOf(Claim, min_items=1))


@declared("topic", doc="A topic page with its claims, grouped in sections.")
class Topic(Node):
    id: str = derived("the file name", of=Slug())
    title: str = fld(Text(120, single_line=True))
    order: int = fld(Int(), "position in the navigation (lower first)", default=100)
    lead: str = fld(Text(1500), "two or three sentences introducing the topic")
    known: list[Finding] = fld(ListOf(Finding), "Was wir wissen", default=[])
    unclear: list[Finding] = fld(ListOf(Finding), "Was unklar ist", default=[])
    sections: list[Section] = fld(ListOf(Section, min_items=1))

    @property
    def claims(self) -> list[Claim]:
        return [c for s in self.sections for c in s.claims]


@declared("event", doc="A dated event of the chronology.")
class Event(Node):
    id: str = fld(Slug(), "unique; becomes the permalink #id")
    date: EDTF = fld(Date(), "EDTF: when it happened")
    date_label: str | None = fld(Text(120, single_line=True), "wording that overrides the derived German date",
                                 nullable=True, default=None)
    title: str = fld(Text(200, single_line=True))
    text: str | None = fld(Text(1500), nullable=True, default=None)
    topics: list[str] = fld(ListOf(Ref("topic"), unique=True), default=[])
    actors: list[str] = fld(ListOf(Ref("actor"), unique=True), default=[])
    places: list[str] = fld(ListOf(Text(100, single_line=True), unique=True), default=[])
    cite: list[Citation] = fld(ListOf(Citation, min_items=1))


@declared("actor", doc="A person, organisation, state or medium.")
class Actor(Node):
    id: str = fld(Slug())
    name: str = fld(Text(150, single_line=True), "the name as most sources write it")
    aliases: list[str] = fld(ListOf(Text(150, single_line=True), unique=True), "other spellings found in the sources",
                             default=[])
    kind: str = fld(Enum(ACTOR_KINDS))
    role: str | None = fld(Text(400), "role as the sources state it", nullable=True, default=None)
    part_of: str | None = fld(Ref("actor"), nullable=True, default=None)
    cite: list[Citation] = fld(ListOf(Citation), "where the sources name the actor or state the role", default=[])


@declared("figure")
class Figure(Node):
    id: str = fld(Slug())
    value: float = fld(Number(), "the number, without thousands separators")
    qualifier: str = fld(Enum(QUALIFIERS), "exact | about | at-least | more-than | up-to", default="exact")
    by: str = fld(Ref("actor"), "who states the number")
    stated: EDTF | None = fld(Date(), "EDTF: when it was stated; else the source's date", default=None)
    refers_to: str | None = fld(Text(300, single_line=True), "what exactly is counted", default=None)
    note: str | None = fld(Text(800), default=None)
    cite: list[Citation] = fld(ListOf(Citation, min_items=1))
    series: str = derived("id of the figure series (its file name)", of=Ref("series"), default="")


@declared("figure series", doc="Numbers about one quantity, from different claimants, set side by side.")
class Series(Node):
    id: str = derived("the file name", of=Slug())
    title: str = fld(Text(200, single_line=True))
    unit: str = fld(Text(60, single_line=True))
    order: int = fld(Int(), default=100)
    description: str | None = fld(Text(1500), default=None)
    figures: list[Figure] = fld(ListOf(Figure, min_items=1))


@declared("side", check=_needs_support)
class Side(Node):
    text: str = fld(Text(800))
    claims: list[str] = fld(ListOf(Ref("claim"), unique=True), default=[])
    cite: list[Citation] = fld(ListOf(Citation), default=[])


@declared("contradiction")
class Contradiction(Node):
    id: str = fld(Slug())
    title: str = fld(Text(200, single_line=True))
    summary: str | None = fld(Text(1500), default=None)
    topics: list[str] = fld(ListOf(Ref("topic"), unique=True), default=[])
    sides: list[Side] = fld(ListOf(Side, min_items=2), "two or more positions, each resting on claims or quotes")


@declared("term")
class Term(Node):
    id: str = fld(Slug())
    term: str = fld(Text(120, single_line=True))
    aliases: list[str] = fld(ListOf(Text(120, single_line=True), unique=True), default=[])
    definition: str = fld(Text(1500))
    cite: list[Citation] = fld(ListOf(Citation), default=[])


@declared("evidence")
class Evidence(Node):
    about: str = fld(Enum(EVIDENCE_ABOUT))
    quote: str | None = fld(Quote(max_len=600), "verbatim from the article file, page furniture included", default=None)
    note: str = fld(Text(1500), "the reasoning")


@declared("furniture line")
class Furniture(Node):
    line: str = fld(Quote(max_len=600), "the exact text of the line")
    kind: str = fld(Enum(FURNITURE_KINDS))


@declared("note")
class Note(Node):
    quote: str = fld(Quote(max_len=600), "the passage the note is about, verbatim")
    kind: str = fld(Enum(NOTE_KINDS))
    text: str = fld(Text(1500))
    block: Block | None = derived(_RESOLVED, default=None)
    start: int = derived(_RESOLVED, default=0)
    end: int = derived(_RESOLVED, default=0)
    source: str = derived("id of the source the note is about", default="")


@declared("source", doc="A news article from seeds/ and what we know about it.")
class Source(Node):
    id: str = derived("the file name", of=Slug())
    file: str = fld(Text(200, single_line=True), "file name in seeds/")
    title: str = fld(Text(300, single_line=True))
    title_editorial: bool = fld(Bool(), "true when the article has no headline and the editor wrote the title",
                                default=False)
    label: str | None = fld(Text(60, single_line=True),
                            "short name that tells this article apart from the others (e.g. from its headline); shown "
                            "in every 'berichtet' line and reference. Without it, a shortened title is used",
                            default=None)
    publisher: str | None = fld(Text(200, single_line=True), "null when the text does not show it",
                                nullable=True, default=None)
    author: str | None = fld(Text(200, single_line=True), nullable=True, default=None)
    published: EDTF | None = fld(Date(), "EDTF with honest precision; null if unknown", nullable=True, default=None)
    url: str | None = fld(Url(), "never invented; null if unknown", nullable=True, default=None)
    language: str = fld(Enum(["de", "en"]), default="de")
    reproduce: str = fld(Enum(REPRODUCE), "quotes: only cited passages are public; fulltext: rights cleared",
                         default="quotes")
    paragraphs: str = fld(Enum(PARAGRAPH_MODES),
                          "blank-lines (default): paragraphs are separated by blank lines; lines: every line is a paragraph",
                          default="blank-lines")
    inferred: list[str] = fld(ListOf(Enum(INFERABLE), unique=True),
                              "metadata the editor concluded from the text rather than read off it; shown as 'erschlossen' "
                              "and needs an evidence entry saying how", default=[])
    evidence: list[Evidence] = fld(ListOf(Evidence), default=[])
    furniture: list[Furniture] = fld(ListOf(Furniture), default=[])
    notes: list[Note] = fld(ListOf(Note), default=[])
    article: Article | None = derived("the article read from seeds/", default=None)


@declared("dossier")
class DossierMeta(Node):
    title: str = fld(Text(150, single_line=True))
    subtitle: str | None = fld(Text(300, single_line=True), default=None)
    description: str | None = fld(Text(300, single_line=True),
                                  "one sentence for search engines and link previews (default: the subtitle)", default=None)
    language: str = fld(Enum(["de", "en"]), "language of the dossier and of the reader interface (default: de)",
                        default="de")
    lead: str = fld(Markdown(3000))
    known: list[Finding] = fld(ListOf(Finding), default=[])
    unclear: list[Finding] = fld(ListOf(Finding), default=[])
    method: str | None = fld(Markdown(20000), default=None)
    contact: str | None = fld(Markdown(3000), default=None)
    checks: dict = fld(Checks(), "editorial rules 'dossier check' applies to this dossier (see content/README.md)",
                       default={})  # rule name -> rules.Setting (see rules.py)


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
    #: all_citations() as loading (load.load) found them once every entity was in its table:
    #: the index takes them from there instead of walking the dossier again
    loaded_citations: list | None = field(default=None, repr=False)

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
