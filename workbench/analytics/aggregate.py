"""The three levels side by side: result rows summed by a key (persona, channel, message, campaign)
into platform, tracked and CRM totals, with an ``unmatched`` bucket, and the ``results --json`` shape.

Rows go in as ``(key, row)`` pairs — the caller maps a matched code to its persona, channel or
message (``None`` for an unmatched row). A store that sums in SQL feeds :meth:`ResultsTable.add_sums`
instead; both give the same table. Periods count rows by their start date (see
:mod:`workbench.analytics.periods`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from workbench.analytics.money import Money
from workbench.analytics.periods import Period
from workbench.analytics.rows import METRICS_OF, MONEY_METRICS, Level, Number, ResultRow

#: The JSON names of the three levels (``hard`` rows are the ``crm`` group).
JSON_LEVELS: dict[Level, str] = {"platform": "platform", "tracked": "tracked", "hard": "crm"}

#: Claimed vs confirmed: the platform "claims far more" when its conversions are at least
#: ``CLAIM_RATIO`` times the CRM's leads and exceed them by at least ``CLAIM_MIN_GAP`` (below that
#: the numbers are too small to mean anything: 3 conversions against 1 lead is noise, not a finding).
CLAIM_RATIO = Decimal(2)
CLAIM_MIN_GAP = 5


class Totals:
    """Every metric of the three levels summed; money per currency (:class:`Money`)."""

    __slots__ = ("counts", "revenue", "rows", "spend")

    def __init__(self) -> None:
        self.counts: dict[str, Number] = {m: 0 for level in METRICS_OF.values()
                                          for m in level if m not in MONEY_METRICS}
        self.spend = Money()
        self.revenue = Money()
        self.rows = 0

    def add_row(self, row: ResultRow) -> None:
        """Add one row's metrics (those of its level)."""
        counts = self.counts
        for name in METRICS_OF[row.level]:
            if name == "spend":
                self.spend.add(row.currency, row.spend)
            elif name == "revenue":
                self.revenue.add(row.currency, row.revenue)
            else:
                value = getattr(row, name)
                if value:
                    counts[name] += value
        self.rows += 1

    def add_sums(self, sums: Mapping[str, Number], currency: str = "", rows: int = 0) -> None:
        """Add metric sums computed elsewhere (``GROUP BY`` in a store); money sums are in ``currency``."""
        for name, value in sums.items():
            if name == "spend":
                self.spend.add(currency, Decimal(value))
            elif name == "revenue":
                self.revenue.add(currency, Decimal(value))
            elif name in self.counts:
                self.counts[name] += value
            else:
                raise ValueError(f"'{name}' is not a metric")
        self.rows += rows

    def merge(self, other: Totals) -> None:
        """Add another total to this one."""
        for name, value in other.counts.items():
            self.counts[name] += value
        self.spend.merge(other.spend)
        self.revenue.merge(other.revenue)
        self.rows += other.rows

    def value(self, metric: str, currency: str = "") -> Number:
        """One metric; a money metric in ``currency``."""
        if metric == "spend":
            return self.spend.amount(currency)
        if metric == "revenue":
            return self.revenue.amount(currency)
        return self.counts[metric]

    def levels(self, currency: str) -> dict[str, dict[str, int | float]]:
        """``{"platform": {...}, "tracked": {...}, "crm": {...}}`` as JSON numbers, money in ``currency``."""
        return {JSON_LEVELS[level]: {m: json_number(self.value(m, currency), m in MONEY_METRICS) for m in metrics}
                for level, metrics in METRICS_OF.items()}

    def other_currencies(self, currency: str) -> dict[str, dict[str, float]]:
        """Money in currencies other than ``currency``: ``{"EUR": {"spend": 12.5, "revenue": 0.0}}``."""
        others = (set(self.spend.currencies()) | set(self.revenue.currencies())) - {currency}
        return {c: {"spend": float(json_number(self.spend.amount(c), True)),
                    "revenue": float(json_number(self.revenue.amount(c), True))} for c in sorted(others)}


def json_number(value: Number, money: bool = False) -> int | float:
    """A metric as a JSON number: whole counts as ints; money and fractions as floats (money to cents)."""
    if money:
        return float(round(Decimal(value), 2))
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class ResultsTable:
    """Totals by key for one period (``None``: every date), the unmatched bucket beside them.

    ``straddling`` counts rows whose reporting range crosses the period's edge (counted where they
    start); ``outside`` rows fell outside the period and were not counted.
    """

    period: Period | None
    rows: dict[str, Totals] = field(default_factory=dict)
    unmatched: Totals = field(default_factory=Totals)
    straddling: int = 0
    outside: int = 0

    def bucket(self, key: str | None) -> Totals:
        """The totals of ``key`` (the unmatched bucket for ``None``), created on first use."""
        if key is None:
            return self.unmatched
        found = self.rows.get(key)
        if found is None:
            found = self.rows[key] = Totals()
        return found

    def add(self, key: str | None, row: ResultRow) -> bool:
        """Count ``row`` under ``key`` if the period counts it; whether it did."""
        period = self.period
        if period is not None:
            if row.end != row.start and period.straddles(row.start, row.end):
                self.straddling += 1
            if not period.counts(row.start, row.end):
                self.outside += 1
                return False
        self.bucket(key).add_row(row)
        return True

    def add_sums(self, key: str | None, sums: Mapping[str, Number], currency: str = "", rows: int = 0) -> None:
        """Add sums a store computed for ``key`` (already restricted to the period)."""
        self.bucket(key).add_sums(sums, currency, rows)

    def total(self) -> Totals:
        """Everything counted: every key and the unmatched bucket."""
        out = Totals()
        for totals in self.rows.values():
            out.merge(totals)
        out.merge(self.unmatched)
        return out

    def unmatched_share(self, metric: str) -> float | None:
        """The unmatched part of a count metric (0.0–1.0); ``None`` when nothing was counted."""
        whole = self.total().value(metric)
        return float(Decimal(self.unmatched.value(metric)) / Decimal(whole)) if whole else None

    def currencies(self) -> tuple[str, ...]:
        """Every currency the counted money is in."""
        total = self.total()
        return tuple(sorted(set(total.spend.currencies()) | set(total.revenue.currencies())))


def aggregate(pairs: Iterable[tuple[str | None, ResultRow]], period: Period | None = None) -> ResultsTable:
    """Sum ``(key, row)`` pairs into a :class:`ResultsTable` (key ``None``: unmatched)."""
    table = ResultsTable(period)
    for key, row in pairs:
        table.add(key, row)
    return table


def results_document(table: ResultsTable, by: str, currency: str,
                     labels: Mapping[str, Mapping[str, object]] | None = None) -> dict[str, object]:
    """The ``results --json`` document: ``{"period", "by", "rows", "unmatched", "currency"}``.

    Each row is ``{by: key, **labels[key], "platform": {...}, "tracked": {...}, "crm": {...}}``,
    sorted by key (case-insensitively); ``labels`` adds fields such as a message's persona and
    channel. Money is in ``currency`` only. Money in other currencies is never converted or added:
    when there is some, the row (or ``unmatched``) gets an extra ``"other_currencies"`` object
    (``{"EUR": {"spend": …, "revenue": …}}``) — absent otherwise, so the usual document has exactly
    the documented keys. ``period`` is ``null`` for a table over every date.
    """
    rows: list[dict[str, object]] = []
    for key in sorted(table.rows, key=lambda k: (k.casefold(), k)):
        totals = table.rows[key]
        entry: dict[str, object] = {by: key, **(labels or {}).get(key, {})}
        entry.update(totals.levels(currency))
        others = totals.other_currencies(currency)
        if others:
            entry["other_currencies"] = others
        rows.append(entry)
    unmatched: dict[str, object] = dict(table.unmatched.levels(currency))
    others = table.unmatched.other_currencies(currency)
    if others:
        unmatched["other_currencies"] = others
    return {"period": table.period.to_json() if table.period else None, "by": by, "rows": rows,
            "unmatched": unmatched, "currency": currency}


@dataclass(frozen=True)
class Claim:
    """Claimed vs confirmed: the platform's conversions against the CRM's leads and won deals.

    ``ratio`` is conversions per CRM lead (``None`` without leads); ``flagged`` when the platform
    claims far more (see :data:`CLAIM_RATIO` and :data:`CLAIM_MIN_GAP`).
    """

    claimed: Number
    leads: int
    won: int
    ratio: float | None
    flagged: bool


def claimed_vs_confirmed(totals: Totals) -> Claim:
    """Line up what the ad platforms claim with what the CRM confirms for one set of totals."""
    claimed = totals.counts["conversions"]
    leads, won = int(totals.counts["leads"]), int(totals.counts["won"])
    ratio = float(Decimal(claimed) / leads) if leads else None
    gap = Decimal(claimed) - leads
    flagged = gap >= CLAIM_MIN_GAP and (leads == 0 or Decimal(claimed) >= CLAIM_RATIO * leads)
    return Claim(claimed, leads, won, ratio, flagged)


def cost_per_won(totals: Totals) -> dict[str, Decimal]:
    """Platform spend per won deal, per currency (empty without won deals)."""
    return totals.spend.per(totals.counts["won"])

