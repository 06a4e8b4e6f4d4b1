"""Dates as export files write them: ISO, ``YYYYMMDD`` (GA4), ``M/D/YYYY`` or ``D/M/YYYY``, ``D.M.YYYY``,
English month names, each optionally followed by a time (which is ignored: a row counts on its day).

Slash dates are the trap: ``3/4/2026`` is March 4 in a US export and 3 April in a British one. The
order is decided once per file from its values (:func:`order_evidence`); a file whose every slash
date fits both orders is refused and the person chooses (``mdy`` or ``dmy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Literal

DateOrder = Literal["auto", "mdy", "dmy"]
DATE_ORDERS: tuple[DateOrder, ...] = ("auto", "mdy", "dmy")

MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}

_TIME = r"(?:[T ,].*)?"
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SLASH = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME)
_MONTH_FIRST = re.compile(r"(?:[A-Za-z]{3},?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME)
_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s+([A-Za-z]+)\.?,?\s+(\d{4})" + _TIME)


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 20YY (exports of this decade)."""
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a valid date") from None


def slash_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a slash date (``9/30/2026`` → ``(9, 30)``), ``None`` for other text."""
    found = _SLASH.fullmatch(text.strip())
    return None if found is None else (int(found.group(1)), int(found.group(2)))


def order_evidence(text: str) -> DateOrder | None:
    """What one slash date says about the file's order: ``dmy`` (``30/9/2026``), ``mdy``
    (``9/30/2026``), or ``None`` (not a slash date, or fits both, like ``3/4/2026`` or ``5/5/2026``)."""
    parts = slash_parts(text)
    if parts is None:
        return None
    first, second = parts
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return None


def parse_date(text: str, order: DateOrder = "auto") -> date:
    """The day ``text`` names. ``order`` settles slash dates; with ``auto`` a slash date is read
    only when it fits one order alone (or both orders give the same day); else :class:`ValueError`."""
    s = text.strip()
    if len(s) == 10 and s[4] == "-":
        try:
            return date.fromisoformat(s)
        except ValueError:
            pass  # falls through to the general forms and their message
    found = _COMPACT.fullmatch(s) or _ISO.fullmatch(s)
    if found:
        return _make(int(found.group(1)), int(found.group(2)), int(found.group(3)), text)
    found = _SLASH.fullmatch(s)
    if found:
        first, second, year = int(found.group(1)), int(found.group(2)), _year(found.group(3))
        chosen = order
        if chosen == "auto":
            chosen = order_evidence(s) or ("mdy" if first == second else "auto")
            if chosen == "auto":
                raise ValueError(f"'{text}' could be month/day or day/month: choose a date order")
        month, day = (first, second) if chosen == "mdy" else (second, first)
        return _make(year, month, day, text)
    found = _DOTTED.fullmatch(s)
    if found:  # dots are only ever day-first (German, Polish, Russian … locales)
        return _make(_year(found.group(3)), int(found.group(2)), int(found.group(1)), text)
    found = _MONTH_FIRST.fullmatch(s)
    if found and found.group(1).lower() in MONTHS:
        return _make(int(found.group(3)), MONTHS[found.group(1).lower()], int(found.group(2)), text)
    found = _DAY_FIRST.fullmatch(s)
    if found and found.group(2).lower() in MONTHS:
        return _make(int(found.group(3)), MONTHS[found.group(2).lower()], int(found.group(1)), text)
    raise ValueError(f"'{text}' is not a date")


class DateReader:
    """:func:`parse_date` with one file's order, remembering each text it has read.

    A million rows of a GA4 export name a few hundred distinct days: the cache makes dates nearly free.
    """

    __slots__ = ("_cache", "cached", "order")

    def __init__(self, order: DateOrder = "auto") -> None:
        self.order: DateOrder = order
        self._cache: dict[str, date] = {}
        #: The day a text was read as before, or ``None``: the cache's own ``get`` (a C call, for
        #: converters that look up before calling).
        self.cached: Callable[[str], date | None] = self._cache.get

    def __call__(self, text: str) -> date:
        """The day ``text`` names (see :func:`parse_date`)."""
        found = self._cache.get(text)
        if found is None:
            found = parse_date(text, self.order)
            if len(self._cache) < 100_000:  # bounded: a file of timestamps must not grow it forever
                self._cache[text] = found
        return found
