"""Content problems reported to editors, compiler style: ``path:line:col: error: message``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Pos(NamedTuple):
    """A position in an input file. ``line``/``col`` are 1-based; 0 means "the whole file".

    A named tuple rather than a frozen dataclass: loading keeps one for every key, value and
    list item (about 500,000 at 1,000 articles), and a tuple is made three times faster.
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path


@dataclass(frozen=True)
class Problem:
    pos: Pos
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    detail: tuple[str, ...] = field(default=())

    def format(self) -> str:
        text = f"{self.pos}: {self.severity}: {self.message}"
        for line in self.detail:
            text += f"\n    {line}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        if not text.isprintable():  # messages quote what editors wrote: never a raw control character
            from .safety import escape_for_terminal

            text = escape_for_terminal(text)
        return text

    def sort_key(self):
        return (self.pos.path, self.pos.line, self.pos.col, self.message)


class Problems:
    """Collects every problem of a run instead of stopping at the first (as Pelican does)."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def error(self, pos: Pos, message: str, hint: str = "", detail=()) -> None:
        self._items.append(Problem(pos, message, hint, "error", tuple(detail)))

    def warning(self, pos: Pos, message: str, hint: str = "", detail=()) -> None:
        self._items.append(Problem(pos, message, hint, "warning", tuple(detail)))

    def extend(self, other: "Problems") -> None:
        self._items.extend(other._items)

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self._items if p.severity == "error"), key=Problem.sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self._items if p.severity == "warning"), key=Problem.sort_key)

    def all(self) -> list[Problem]:
        return sorted(self._items, key=Problem.sort_key)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def report(self) -> str:
        return "\n".join(p.format() for p in self.all())


class ContentError(Exception):
    """Raised by adapters when content has errors; carries every problem of the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        n = len(problems)
        head = f"{n} content error{'s' if n != 1 else ''} - nothing was built:"
        super().__init__("\n".join([head, *(p.format() for p in problems)]))
