"""Cross-references: who cites what, and every backlink a page needs. Built once, O(n)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .article import normalize
from .edtf import EDTF
from .model import Citation, Claim, Contradiction, Dossier, Event, Figure, Finding, Side, Source


@lru_cache(maxsize=1 << 17)
def quote_anchor(source_id: str, quote: str) -> str:
    """Stable id of a cited passage on its source page: the same words, the same anchor."""
    digest = hashlib.sha1(f"{source_id}\x00{normalize(quote)}".encode()).hexdigest()[:10]
    return f"q-{digest}"


@dataclass
class Index:
    d: Dossier
    #: source id -> block anchor -> citations (with owners) in that block
    by_block: dict[str, dict[str, list[tuple[object, Citation]]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    claims_by_actor: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))
    events_by_actor: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    figures_by_actor: dict[str, list[Figure]] = field(default_factory=lambda: defaultdict(list))
    events_by_topic: dict[str, list[Event]] = field(default_factory=lambda: defaultdict(list))
    contradictions_by_topic: dict[str, list[Contradiction]] = field(default_factory=lambda: defaultdict(list))
    contradictions_by_claim: dict[str, list[Contradiction]] = field(default_factory=lambda: defaultdict(list))
    members: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    side_owner: dict[int, Contradiction] = field(default_factory=dict)
    _source_rank: dict[str, int] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, d: Dossier) -> "Index":
        ix = cls(d)
        for k in d.contradictions.values():
            for side in k.sides:
                ix.side_owner[id(side)] = k
                for cid in side.claims:
                    if k not in ix.contradictions_by_claim[cid]:
                        ix.contradictions_by_claim[cid].append(k)
            for t in k.topics:
                ix.contradictions_by_topic[t].append(k)
        cits = d.loaded_citations if d.loaded_citations is not None else d.all_citations()
        for owner, cit in cits:
            if cit.block is not None:
                ix.by_block[cit.source][cit.block.anchor].append((owner, cit))
        for c in d.claims.values():
            for a in c.by:
                ix.claims_by_actor[a].append(c)
        for e in d.events.values():
            for a in e.actors:
                ix.events_by_actor[a].append(e)
            for t in e.topics:
                ix.events_by_topic[t].append(e)
        for f in d.figures.values():
            ix.figures_by_actor[f.by].append(f)
        for a in d.actors.values():
            if a.part_of:
                ix.members[a.part_of].append(a)
        for table in (ix.events_by_topic, ix.events_by_actor):
            for lst in table.values():
                lst.sort(key=lambda e: e.date.sort_key())
        return ix

    def reported(self, cites: list[Citation]) -> list[Source]:
        """Sources a statement rests on, earliest publication first (unknown dates last)."""
        rank = self._source_rank
        if rank is None:  # source_sort_key once per source, not once per statement
            order = sorted(self.d.sources.values(), key=source_sort_key)
            rank = self._source_rank = {s.id: i for i, s in enumerate(order)}
        sources = self.d.sources
        return [sources[sid] for sid in sorted({c.source for c in cites if c.source in rank}, key=rank.__getitem__)]

    def citations_of(self, owner) -> list[Citation]:
        """Direct citations, or those of the claims a statement rests on."""
        if isinstance(owner, (Finding, Side)):
            out = list(owner.cite)
            for cid in owner.claims:
                if cid in self.d.claims:
                    out += self.d.claims[cid].cite
            return out
        return list(getattr(owner, "cite", []))


def source_sort_key(s: Source):
    """Earliest possible publication day first (a date open at the start, "spätestens …",
    by its latest day, as in the chronology); undated sources last; ties by id."""
    import datetime as dt

    e: EDTF | None = s.published
    return (e.sort_key()[0] if e else dt.date.max, s.id)


def newest_source(d) -> Source | None:
    """The most recently published dated source: what the dossier's "Stand" rests on."""
    dated = [s for s in d.sources.values() if s.published is not None]
    return max(dated, key=source_sort_key) if dated else None
