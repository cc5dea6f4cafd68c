"""The subset of EDTF (ISO 8601-2) a dossier needs, with honest display forms (in the
words of the active message catalog, i18n.py: "Mitte Juni 2024", "mid-June 2024").

Supported: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; unspecified digits in the year
(``196X``, ``19XX``); a qualifier for the whole date (``?`` uncertain, ``~`` approximate,
``%`` both); intervals ``A/B`` with open ends (``2024-10/..``, ``../2024-10``).

Why not the ``edtf`` package: it parses with pyparsing at about 3 ms a date, which alone
would cost 15 s for a 1,000-article dossier. Tests use it as an oracle for the bounds
this module computes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date

_DATE = re.compile(r"^(?P<year>\d{3}[\dX]|\d{2}XX)(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<q>[?~%])?$")

MONTHS_DE = [format_date(dt.date(2000, m, 1), "MMMM", locale="de") for m in range(1, 13)]


class EDTFError(ValueError):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Point:
    """One EDTF date: its bounds, precision ('year', 'month', 'day', 'decade', 'century')."""

    text: str
    lower: dt.date
    upper: dt.date
    precision: str
    qualifier: str  # '', '?', '~', '%'


@dataclass(frozen=True)
class EDTF:
    text: str
    start: Point | None  # None = open ("..")
    end: Point | None
    is_interval: bool

    @property
    def lower(self) -> dt.date:
        return self.start.lower if self.start else dt.date.min

    @property
    def upper(self) -> dt.date:
        return self.end.upper if self.end else dt.date.max

    @property
    def approximate(self) -> bool:
        points = [p for p in (self.start, self.end) if p]
        return any(p.qualifier for p in points) or any(p.precision in ("decade", "century") for p in points)

    @property
    def uncertain(self) -> bool:
        return any(p.qualifier in ("?", "%") for p in (self.start, self.end) if p)

    def sort_key(self) -> tuple:
        """Earliest possible day first; among equals, the more precise one first. A span open
        at the start ("../2024-10-18", "spätestens …") has no earliest day and sorts by its
        latest one instead of before everything else."""
        key = self.__dict__.get("_sort_key")  # (kept: every save sorts every event again)
        if key is None:
            first = self.lower if self.start else self.upper
            key = (first, self.upper, self.text)
            object.__setattr__(self, "_sort_key", key)
        return key

    def iso_lower(self) -> str:
        return self.lower.isoformat() if self.start else ""

    def german(self) -> str:
        return german(self)

    def display(self) -> str:
        """The reader's form in the language of the build (i18n.active())."""
        return display(self)


def _parse_point(text: str) -> Point:
    m = _DATE.match(text)
    if not m:
        raise EDTFError(
            f"'{text}' is not an EDTF date",
            "write YYYY, YYYY-MM or YYYY-MM-DD, optionally with ? (uncertain) or ~ (approximate), or a span A/B",
        )
    year_s, month_s, day_s, q = m.group("year"), m.group("month"), m.group("day"), m.group("q") or ""
    if "X" in year_s:
        if month_s:
            raise EDTFError(f"'{text}': a year with X cannot carry a month", "write only the decade, e.g. 196X")
        if year_s.endswith("XX"):
            base = int(year_s[:2]) * 100
            return Point(text, dt.date(max(base, 1), 1, 1), dt.date(base + 99, 12, 31), "century", q)
        base = int(year_s[:3]) * 10
        return Point(text, dt.date(max(base, 1), 1, 1), dt.date(base + 9, 12, 31), "decade", q)
    year = int(year_s)
    if year < 1:
        raise EDTFError(f"'{text}': year 0000 does not exist here", "use a year from 0001")
    if not month_s:
        return Point(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year", q)
    month = int(month_s)
    if not 1 <= month <= 12:
        hint = "seasons (21-24) are not supported; use a month span" if 21 <= month <= 41 else "months run from 01 to 12"
        raise EDTFError(f"impossible date '{text}': there is no month {month:02d}", hint)
    last = calendar.monthrange(year, month)[1]
    if not day_s:
        return Point(text, dt.date(year, month, 1), dt.date(year, month, last), "month", q)
    day = int(day_s)
    if not 1 <= day <= last:
        raise EDTFError(
            f"impossible date '{text}': {MONTHS_DE[month - 1]} {year} has {last} days",
            f"use a day from 01 to {last}, or drop the day ('{year_s}-{month_s}') if the text does not fix it",
        )
    return Point(text, dt.date(year, month, day), dt.date(year, month, day), "day", q)


@lru_cache(maxsize=65536)
def parse(text: str) -> EDTF:
    """Parse an EDTF string; raises :class:`EDTFError` with a hint for editors."""
    if not isinstance(text, str) or not text.strip():
        raise EDTFError("empty date", "write a date such as \"2024-10-18\", \"2024-10\" or \"2024\"")
    text = text.strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 2:
            raise EDTFError(f"'{text}' has more than one '/'", "a span is written START/END")
        a, b = parts
        if a in ("..", "") and b in ("..", ""):
            raise EDTFError(f"'{text}' is open at both ends", "give at least one end of the span")
        start = None if a == ".." else _parse_point(a) if a else None
        end = None if b == ".." else _parse_point(b) if b else None
        if a == "" or b == "":
            raise EDTFError(f"'{text}' has an empty end", "write '..' for an open end, e.g. 2024-10/..")
        if start and end and start.lower > end.upper:
            raise EDTFError(f"impossible span '{text}': it ends before it starts", "swap the two dates")
        return EDTF(text, start, end, True)
    point = _parse_point(text)
    return EDTF(text, point, point, False)


# --- display (wording from the active message catalog, see i18n.py) ---------------------

_QUAL = {"~": "approx", "?": "uncertain", "%": "both"}


def _point(p: Point, c, *, with_year: bool = True) -> str:
    if p.precision == "century":
        base = p.lower.year // 100 * 100
        text = c.t("date.century", start=base, end=base + 99)
    elif p.precision == "decade":
        text = c.t("date.decade", year=p.lower.year)
    elif p.precision == "year":
        text = str(p.lower.year)
    else:
        key = ("date.day" if p.precision == "day" else "date.month") + ("" if with_year else "_no_year")
        text = c.t(key, day=p.lower.day, month=c.months[p.lower.month - 1], year=p.lower.year)
    return c.t("date.qualifier." + _QUAL[p.qualifier], date=text) if p.qualifier else text


def _month_third(e: EDTF, c) -> str | None:
    """'Anfang/Mitte/Ende Juni 2024' for spans that are exactly a third of one month."""
    s, t = e.start, e.end
    if not (s and t and s.precision == t.precision == "day" and not s.qualifier and not t.qualifier):
        return None
    if (s.lower.year, s.lower.month) != (t.lower.year, t.lower.month):
        return None
    last = calendar.monthrange(s.lower.year, s.lower.month)[1]
    span = (s.lower.day, t.lower.day)
    third = {(1, 10): "early", (11, 20): "mid"}.get(span) or ("late" if span == (21, last) else None)
    if not third:
        return None
    return c.t("date.third." + third, month=c.months[s.lower.month - 1], year=s.lower.year)


def display(e: EDTF, c=None) -> str:
    """The reader's form of a date in the catalog's language, as precise as the date and no more."""
    from . import i18n

    c = c or i18n.active()
    if not e.is_interval:
        return _point(e.start, c)
    third = _month_third(e, c)
    if third:
        return third
    s, t = e.start, e.end
    if s is None:
        return c.t("date.not_after", date=_point(t, c))
    if t is None:
        return c.t("date.not_before", date=_point(s, c))
    if s.precision == t.precision == "year" and not s.qualifier and not t.qualifier:
        return c.t("date.year_span", start=s.lower.year, end=t.lower.year)
    same_year = s.lower.year == t.lower.year and s.precision in ("month", "day") and t.precision in ("month", "day")
    if same_year and not s.qualifier and not t.qualifier:
        if s.precision == t.precision == "day" and s.lower.month == t.lower.month:
            return c.t("date.span_same_month", start_day=s.lower.day, end=_point(t, c))
        return c.t("date.span", start=_point(s, c, with_year=False), end=_point(t, c))
    return c.t("date.span", start=_point(s, c), end=_point(t, c))


def german(e: EDTF) -> str:
    """German display form, as precise as the date and no more."""
    from . import i18n

    return display(e, i18n.catalog("de"))
