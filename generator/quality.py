"""Editorial completeness checks (beyond validity): is every number in an article covered?

A number in an article body counts as covered when some citation of the dossier (claim,
event, figure, actor, glossary term, statement) quotes a passage that contains that very
occurrence. The check works per occurrence, so a number repeated in another sentence needs
its own citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Dossier

#: digits with German thousands/decimal separators, e.g. 10.000 / 1,2 / 152-mm counts as 152
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Uncovered:
    source: str
    path: str
    line: int
    paragraph: str  # anchor, e.g. "p3"
    number: str
    context: str

    def format(self) -> str:
        return (f"{self.path}:{self.line}: number {self.number} in ¶{self.paragraph.lstrip('p')} is cited by no claim, "
                f"event or figure: „{self.context}“")


def covered_spans(d: Dossier) -> dict[tuple[str, str], list[tuple[int, int]]]:
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for _owner, c in d.all_citations():
        if c.block is not None:
            spans.setdefault((c.source, c.block.anchor), []).append((c.start, c.end))
    return spans


def uncovered_numbers(d: Dossier) -> list[Uncovered]:
    spans = covered_spans(d)
    out = []
    for sid, src in sorted(d.sources.items()):
        if src.article is None:
            continue
        for block in src.article.body:
            cov = spans.get((sid, block.anchor), [])
            for m in NUMBER.finditer(block.text):
                if not any(a <= m.start() and m.end() <= b for a, b in cov):
                    ctx = block.text[max(0, m.start() - 40): m.end() + 40]
                    out.append(Uncovered(sid, src.article.path, block.line, block.anchor, m.group(0), ctx))
    return out


def paragraph_coverage(d: Dossier) -> dict[str, tuple[int, int]]:
    """Per source: (paragraphs cited at least once, all paragraphs)."""
    spans = covered_spans(d)
    out = {}
    for sid, src in sorted(d.sources.items()):
        if src.article is None:
            continue
        paras = src.article.paragraphs
        cited = sum(1 for p in paras if (sid, p.anchor) in spans)
        out[sid] = (cited, len(paras))
    return out
