"""The normalized result row every importer yields, and the summary of one imported file (a batch)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

#: A metric's value: counts are ``int``; money and fractional counts (Google Ads' attributed
#: conversions such as ``3.5``) are exact ``Decimal``s — never floats, so sums are exact.
Number = int | Decimal

Level = Literal["platform", "tracked", "hard"]
LEVELS: tuple[Level, ...] = ("platform", "tracked", "hard")

#: The source kinds an export can be detected as (``generic`` needs a column map).
KINDS = ("google-ads", "meta-ads", "linkedin-ads", "ga4", "hubspot", "salesforce")
GENERIC = "generic"

#: Metrics of each level, in the order reports show them. ``spend`` and ``revenue`` are money.
PLATFORM_METRICS = ("impressions", "clicks", "spend", "conversions")
TRACKED_METRICS = ("sessions", "engaged_sessions", "key_events")
HARD_METRICS = ("leads", "mql", "sql", "won", "revenue")
METRICS_OF: dict[Level, tuple[str, ...]] = {
    "platform": PLATFORM_METRICS, "tracked": TRACKED_METRICS, "hard": HARD_METRICS}
METRICS = PLATFORM_METRICS + TRACKED_METRICS + HARD_METRICS
MONEY_METRICS = frozenset({"spend", "revenue"})

ZERO = Decimal(0)


class ResultRow(NamedTuple):
    """One row of an export, normalized. Immutable (a NamedTuple: a million of them are cheap).

    ``start``/``end`` are the day the row counts on (equal for a day; Meta's reporting range
    otherwise). ``urls``, ``contents`` and ``names`` are the raw texts that may carry a tracking
    code, by how matching reads them: ``utm_content=CODE`` inside a URL, the whole value of a
    UTM-content column, a bracketed ``[CODE]`` inside a name. ``currency`` is the ISO code of the
    row's money (``spend``/``revenue``), empty on rows without money columns (analytics). ``line`` is
    the file line the row ends on (what a person finds in an editor; a spreadsheet row for one-line
    records). ``origin`` is the traffic source as the tool names it (GA4 ``google / cpc``, HubSpot
    ``Paid Social``, Salesforce's lead source); ``record`` the CRM's own record id or name.
    """

    level: Level
    kind: str
    start: date
    end: date
    campaign: str
    origin: str
    record: str
    urls: tuple[str, ...]
    contents: tuple[str, ...]
    names: tuple[str, ...]
    currency: str
    line: int
    impressions: Number = 0
    clicks: Number = 0
    spend: Decimal = ZERO
    conversions: Number = 0
    sessions: Number = 0
    engaged_sessions: Number = 0
    key_events: Number = 0
    leads: int = 0
    mql: int = 0
    sql: int = 0
    won: int = 0
    revenue: Decimal = ZERO

    def metrics(self) -> dict[str, Number]:
        """The metrics of this row's level by name (what a store writes in its metric columns)."""
        return {name: getattr(self, name) for name in METRICS_OF[self.level]}


@dataclass(frozen=True)
class ImportSummary:
    """What one imported file was: a batch as the workbench records it.

    ``sha256`` is over the exact bytes parsed (re-importing the same file is recognised by it).
    ``rows_read`` counts data rows turned into results; ``totals_skipped`` the platform's total rows
    (``Total: Account``, ``Grand total``) that are never counted; ``other_skipped`` blank lines and
    report footers. ``matched``/``unmatched`` are filled when rows were matched to codes (an
    :class:`~workbench.analytics.importers.ImportRun` with a matcher). ``first``/``last`` span the
    rows' dates; ``currencies`` the money's currencies (sorted).
    """

    file_name: str
    path: str
    sha256: str
    size: int
    kind: str
    level: Level
    encoding: str
    delimiter: str
    header_line: int
    date_order: str
    rows_read: int
    totals_skipped: int
    other_skipped: int
    matched: int
    unmatched: int
    first: date | None
    last: date | None
    currencies: tuple[str, ...]
