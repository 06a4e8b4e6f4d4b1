"""Reporting periods: ``2026-09`` (a month), ``2026-Q3`` (a quarter), ``2026-09-01..2026-09-30`` (a range).

Which rows a period counts: a row counts in the period that holds its **start date**. A day row is
simply its day; a row with a reporting range (Meta's "Reporting starts/ends") that lies inside the
period counts in full; one that crosses the period's edge counts, in full, in the period where it
starts — never split, never twice. So months add up to their quarter exactly, counts stay whole,
and spend is never pro-rated into amounts nobody was billed. Such crossing rows are counted apart
(:meth:`Period.straddles`) so a report can say "3 rows run past this period".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from workbench.analytics.errors import BadPeriod

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")
FORMS = "2026-09 (a month), 2026-Q3 (a quarter) or 2026-09-01..2026-09-30 (a range)"


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadPeriod(f"The period ends ({self.end}) before it starts ({self.start}).")

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the period."""
        return self.start <= day <= self.end

    def counts(self, start: date, end: date) -> bool:
        """Whether a row dated ``start``..``end`` counts in this period: its start date lies in it."""
        return self.start <= start <= self.end

    def straddles(self, start: date, end: date) -> bool:
        """Whether a row's range overlaps the period without lying inside it (it counts in full
        where it starts, see the module docstring)."""
        overlaps = start <= self.end and end >= self.start
        return overlaps and not (self.start <= start and end <= self.end)

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """``2026-09``, ``2026-Q3`` when the period is exactly that, else ``2026-09-01..2026-09-30``."""
        if self == month(self.start.year, self.start.month):
            return f"{self.start.year}-{self.start.month:02d}"
        q = (self.start.month - 1) // 3 + 1
        if self == quarter(self.start.year, q):
            return f"{self.start.year}-Q{q}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period (for trend charts)."""
        out: list[Period] = []
        year, mon = self.start.year, self.start.month
        while date(year, mon, 1) <= self.end:
            whole = month(year, mon)
            out.append(Period(max(whole.start, self.start), min(whole.end, self.end)))
            year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        return out

    def to_json(self) -> dict[str, str]:
        """``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}`` as the ``results --json`` output has it."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def month(year: int, number: int) -> Period:
    """The calendar month ``number`` of ``year``."""
    return Period(date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1]))


def quarter(year: int, number: int) -> Period:
    """Quarter ``number`` (1–4) of ``year``: three calendar months."""
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), month(year, first + 2).end)


def parse_period(text: str) -> Period:
    """The period ``text`` names; :class:`BadPeriod` with the accepted forms otherwise."""
    s = text.strip()
    try:
        found = _QUARTER.fullmatch(s)
        if found:
            return quarter(int(found.group(1)), int(found.group(2)))
        found = _MONTH.fullmatch(s)
        if found:
            if not 1 <= int(found.group(2)) <= 12:
                raise BadPeriod(f"'{text}' has no month {found.group(2)}; use {FORMS}.")
            return month(int(found.group(1)), int(found.group(2)))
        found = _RANGE.fullmatch(s)
        if found:
            return Period(date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2)))
    except ValueError as exc:  # date.fromisoformat on 2026-02-30, year 0 …
        raise BadPeriod(f"'{text}' is not a valid period ({exc}); use {FORMS}.") from None
    raise BadPeriod(f"'{text}' is not a period; use {FORMS}.")
