"""What a source's export looks like, declared once, and the row converter built from it.

Each source module (``google_ads``, ``ga4`` …) declares a :class:`SourceSpec`: the columns that
identify it, where the date, campaign and metrics sit, and — for the CRMs — a hook that counts
leads or won deals from a stage. :func:`build_converter` turns a spec and one file's header into a
fast function from a CSV row to a :class:`~workbench.analytics.rows.ResultRow`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from workbench.analytics.dates import DateReader
from workbench.analytics.errors import BadValue, NotAnExport
from workbench.analytics.numbers import check_currency, header_currency, parse_amount, parse_count
from workbench.analytics.rows import Level, Number, ResultRow

#: Header texts of a column holding a tracking code as its whole value (besides any header with
#: ``utm content`` or ``manual ad content`` in it).
CONTENT_COLUMNS = frozenset({"utm content", "utm_content", "ad content", "content", "tracking code"})
#: Header fragments of columns holding URLs or URL parameters (``First Page Seen`` but not ``Last
#: Page Seen``: a contact belongs to the message that brought it, its first touch).
URL_FRAGMENTS = ("url", "first page seen", "landing page", "tracking template", "suffix")


def normalize(name: str) -> str:
    """A header compared loosely: no BOM or zero-width space, casefolded, whitespace collapsed."""
    return " ".join(name.replace("\ufeff", "").replace("\u200b", "").strip().strip('"').casefold().split())


class Header:
    """One file's header: each column's name as written, compared loosely, and any currency its
    name carries (``Amount spent (EUR)`` is column ``amount spent`` in EUR)."""

    def __init__(self, cells: Sequence[str]) -> None:
        self.cells = [c.replace("\ufeff", "").strip() for c in cells]
        self.names = [normalize(c) for c in cells]
        split = [header_currency(c) for c in self.cells]
        self.bases = [normalize(base) for base, _ in split]
        self.currencies = [currency for _, currency in split]

    def find(self, candidates: Sequence[str]) -> int | None:
        """The first column (by candidate priority) named one of ``candidates`` (normalized)."""
        for candidate in candidates:
            for i, (name, base) in enumerate(zip(self.names, self.bases, strict=True)):
                if candidate in (name, base):
                    return i
        return None

    def find_all(self, candidates: Sequence[str]) -> list[int]:
        """Every column named one of ``candidates``, in file order."""
        wanted = set(candidates)
        return [i for i, (n, b) in enumerate(zip(self.names, self.bases, strict=True)) if n in wanted or b in wanted]

    def content_columns(self) -> list[int]:
        """Columns whose whole value may be a tracking code (GA4's manual ad content, a UTM Content)."""
        return [i for i, n in enumerate(self.names)
                if n in CONTENT_COLUMNS or "utm content" in n or "utm_content" in n or "manual ad content" in n]

    def url_columns(self) -> list[int]:
        """Columns that may hold a URL or URL parameters carrying ``utm_content=CODE``."""
        content = set(self.content_columns())
        return [i for i, n in enumerate(self.names)
                if i not in content and any(f in n for f in URL_FRAGMENTS)]


@dataclass(frozen=True)
class Metric:
    """A metric column: the :class:`ResultRow` field it feeds and its header names by priority. Two
    metrics may feed one field (LinkedIn's Conversions and Leads are both platform conversions)."""

    field: str
    names: tuple[str, ...]
    money: bool = False


#: A hook sets values of one row from cells that are not plain metrics (a CRM stage becomes
#: lead/MQL/SQL or won counts): it writes field → value into the dict it is given, which override
#: the parsed metrics. Built per file from the header; raises :class:`CellError` (or ValueError)
#: for a cell it cannot read.
Hook = Callable[[list[str], dict[str, Number]], None]


class CellError(ValueError):
    """A hook's complaint about one cell: ``column`` is its index in the row."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class SourceSpec:
    """One source's export format.

    ``signature``: groups of alternative header names; a header that has one name of every group is
    this source. ``rejects``: names that disqualify a header (GA4's chart tables have ``Nth day``).
    ``start``/``end``: the date columns (``end`` optional: a day row); without a start column the
    range comes from ``preamble_range`` (GA4's ``# Start date:`` lines). ``urls``/``contents``: columns
    that carry codes besides those recognised by name (a generic map). ``ends_at_comment``: a ``#``
    line after the data ends the table (GA4 puts more tables below). ``unnamed_is_total``: a row whose
    name columns are all blank is the export's summary row (Meta's "Include summary row").
    """

    kind: str
    label: str
    level: Level
    signature: tuple[tuple[str, ...], ...]
    start: tuple[str, ...] = ()
    end: tuple[str, ...] = ()
    campaign: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    origin: tuple[str, ...] = ()
    record: tuple[str, ...] = ()
    currency: tuple[str, ...] = ()
    metrics: tuple[Metric, ...] = ()
    rejects: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    contents: tuple[str, ...] = ()
    hook: Callable[[Header], Hook] | None = None
    preamble_range: Callable[[list[str]], tuple[date, date] | None] | None = None
    ends_at_comment: bool = False
    unnamed_is_total: bool = False

    def recognises(self, header: Header) -> bool:
        """Whether ``header`` is this source's header."""
        names = set(header.names) | set(header.bases)
        return all(any(n in names for n in group) for group in self.signature) and not names & set(self.rejects)

    def columns_wanted(self) -> str:
        """The identifying columns, for an error message: ``Campaign, Impr., Cost``."""
        return ", ".join(group[0] for group in self.signature)


@dataclass(frozen=True)
class FileContext:
    """What one file's rows are read with: its name (for errors), dates, number style, currency."""

    name: str
    dates: DateReader
    decimal_comma: bool
    default_currency: str
    dollar: str
    preamble_range: tuple[date, date] | None


#: Where each field sits in a ResultRow (the converter fills a list in this order).
_POS = {name: i for i, name in enumerate(ResultRow._fields)}


def _carrier(indices: list[int]) -> tuple[int, ...]:
    """The columns of one kind of code carrier, without duplicates, in file order."""
    return tuple(sorted(set(indices)))


def build_converter(spec: SourceSpec, header: Header, ctx: FileContext,
                    ) -> Callable[[list[str], int], ResultRow]:
    """The function turning one data row (cells, file line) of this file into a :class:`ResultRow`,
    raising :class:`BadValue` naming the file, line and column for a cell it cannot read.

    Everything that does not depend on the row (which columns, which parser) is decided here once;
    the returned function fills a list in :class:`ResultRow` field order — it runs a million times
    for a year of GA4 rows, so it avoids per-row dicts, keyword calls and helper calls where it can.
    """
    start_i = header.find(spec.start) if spec.start else None
    end_i = header.find(spec.end) if spec.end else None
    if start_i is None and ctx.preamble_range is None:
        wanted = spec.start[0] if spec.start else "a date"
        raise NotAnExport(ctx.name, f"no date column ({wanted}) and no date range above the header")
    counts: list[tuple[int, int]] = []
    money: list[tuple[int, int, str]] = []
    for metric in spec.metrics:
        i = header.find(metric.names)
        if i is not None:
            if metric.money:
                money.append((_POS[metric.field], i, header.currencies[i]))
            else:
                counts.append((_POS[metric.field], i))
    currency_i = header.find(spec.currency) if spec.currency else None
    carriers = [(pos, cols) for pos, cols in (
        (_POS["urls"], _carrier(header.url_columns() + header.find_all(spec.urls))),
        (_POS["contents"], _carrier(header.content_columns() + header.find_all(spec.contents))),
        (_POS["names"], _carrier(header.find_all(spec.names)))) if cols]
    texts = [(_POS[field], i) for field, names in (("campaign", spec.campaign), ("origin", spec.origin),
                                                   ("record", spec.record))
             if names and (i := header.find(names)) is not None]
    hook = spec.hook(header) if spec.hook else None
    width = len(header.cells)
    dates, name = ctx.dates, ctx.name
    cached = dates.cached
    comma, dollar, default = ctx.decimal_comma, ctx.dollar, ctx.default_currency
    range_start, range_end = ctx.preamble_range or (date.min, date.min)
    template: list[Any] = [spec.level, spec.kind, range_start, range_end, "", "", "", (), (), (), "", 0]
    template += [ResultRow._field_defaults[f] for f in ResultRow._fields[len(template):]]
    new_row = tuple.__new__  # ResultRow._make without its Python-level frame and length check
    currency_pos, line_pos = _POS["currency"], _POS["line"]

    def convert(cells: list[str], line: int) -> ResultRow:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        vals = template.copy()
        vals[line_pos] = line
        column: int | None = start_i
        try:
            if start_i is not None:
                text = cells[start_i]
                start = cached(text)
                if start is None:
                    if not text.strip():
                        raise ValueError("no date")
                    start = dates(text)
                vals[2] = vals[3] = start
                if end_i is not None and cells[end_i].strip():
                    column = end_i
                    end = dates(cells[end_i])
                    if end < start:
                        raise ValueError(f"the range ends ({end}) before it starts ({start})")
                    vals[3] = end
            for pos, i in counts:
                text = cells[i]
                if text:
                    column = i
                    # Plain ASCII digits inline: the one case on nearly every cell of a big file.
                    vals[pos] += int(text) if text.isdigit() and text.isascii() else parse_count(
                        text, decimal_comma=comma)
            if money:
                currency = ""
                if currency_i is not None and cells[currency_i].strip():
                    column = currency_i
                    currency = check_currency(cells[currency_i])
                for pos, i, named in money:
                    column = i
                    amount, written = parse_amount(cells[i], decimal_comma=comma, dollar=dollar)
                    if named and written and named != written:
                        raise ValueError(f"'{cells[i]}' is in {written}, but the column is in {named}")
                    written = written or named
                    if written and currency and written != currency:
                        raise ValueError(f"'{cells[i]}' is in {written}, but the row's currency is {currency}")
                    currency = currency or written
                    vals[pos] += amount
                vals[currency_pos] = currency or default
            if hook is not None:
                column = None
                overrides: dict[str, Number] = {}
                hook(cells, overrides)
                for field, value in overrides.items():
                    vals[_POS[field]] = value
        except CellError as exc:
            raise BadValue(name, str(exc), line, header.cells[exc.column]) from None
        except ValueError as exc:
            label = header.cells[column] if column is not None else None
            raise BadValue(name, str(exc), line, label) from None
        for pos, cols in carriers:
            if len(cols) == 1:
                text = cells[cols[0]]
                if text:
                    vals[pos] = (text,)
            else:
                vals[pos] = tuple([cells[i] for i in cols if cells[i]])
        for pos, i in texts:
            vals[pos] = cells[i].strip()
        return new_row(ResultRow, vals)

    return convert
