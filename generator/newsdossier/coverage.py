"""Coverage for editors: what of each article is not yet annotated.

* which paragraphs are cited at least once;
* which numbers in the article bodies no citation covers. A number counts as covered when a
  quoted passage contains that very occurrence, so a number repeated in another sentence
  needs its own citation.

``dossier check --coverage`` prints both; the editor preview (``mkdocs serve``) shows the
paragraph coverage in the article itself (uncited paragraphs marked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Dossier


@dataclass
class SourceCoverage:
    source: str
    file: str
    paragraphs: int
    cited: int
    citations: int
    uncited: list[int] = field(default_factory=list)  # paragraph numbers (¶)

    @property
    def share(self) -> float:
        return self.cited / self.paragraphs if self.paragraphs else 0.0


def coverage(d: Dossier) -> list[SourceCoverage]:
    """Per source (in id order): paragraphs, how many are cited, which are not."""
    cited: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    for _owner, cit in d.all_citations():
        if cit.block is None:
            continue
        counts[cit.source] = counts.get(cit.source, 0) + 1
        if cit.block.kind == "paragraph":
            cited.setdefault(cit.source, set()).add(cit.block.number)
    out = []
    for sid in sorted(d.sources):
        src = d.sources[sid]
        if src.article is None:
            continue
        numbers = [b.number for b in src.article.paragraphs]
        hit = cited.get(sid, set())
        out.append(SourceCoverage(sid, src.article.path, len(numbers), len(hit & set(numbers)), counts.get(sid, 0),
                                  [n for n in numbers if n not in hit]))
    return out


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
    index: int = 0  # which number of the block this is (0 = the first)

    def format(self) -> str:
        where = f"¶{self.paragraph[1:]}" if self.paragraph.startswith("p") else self.paragraph
        return f"{self.path}:{self.line}: number {self.number} in {where} is cited by no claim, event or figure: „{self.context}“"


def uncovered_numbers(d: Dossier) -> list[Uncovered]:
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for _owner, c in d.all_citations():
        if c.block is not None:
            spans.setdefault((c.source, c.block.anchor), []).append((c.start, c.end))
    out = []
    for sid, src in sorted(d.sources.items()):
        if src.article is None:
            continue
        for block in src.article.body:
            cov = spans.get((sid, block.anchor), [])
            for i, m in enumerate(NUMBER.finditer(block.text)):
                if not any(a <= m.start() and m.end() <= b for a, b in cov):
                    ctx = block.text[max(0, m.start() - 40): m.end() + 40]
                    out.append(Uncovered(sid, src.article.path, block.line, block.anchor, m.group(0), ctx, i))
    return out


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] -> '¶1–3, ¶5, ¶7–8'."""
    parts, start, prev = [], None, None
    for n in numbers + [None]:
        if start is None:
            start = prev = n
        elif n is not None and n == prev + 1:
            prev = n
        else:
            parts.append(f"¶{start}" if start == prev else f"¶{start}–{prev}")
            start = prev = n
    return ", ".join(parts)


def report(rows: list[SourceCoverage]) -> str:
    if not rows:
        return "coverage: no sources"
    width = max(len(r.source) for r in rows)
    lines = ["coverage: share of article paragraphs cited at least once"]
    total_p = total_c = 0
    for r in rows:
        total_p += r.paragraphs
        total_c += r.cited
        line = (f"  {r.source:<{width}}  {r.cited:>3}/{r.paragraphs:<3} {r.share * 100:5.1f} %  "
                f"{r.citations:>3} citation{'s' if r.citations != 1 else ' '}")
        if r.uncited:
            line += f"  uncited: {_ranges(r.uncited)}"
        lines.append(line.rstrip())
    share = total_c / total_p * 100 if total_p else 0.0
    lines.append(f"  {'all':<{width}}  {total_c:>3}/{total_p:<3} {share:5.1f} %")
    return "\n".join(lines)
