"""Google Ads report downloads: a title and a date-range line above the header, ``Total: …`` rows
at the bottom, sometimes UTF-16 and tab-separated (the "Excel CSV" choice)."""

from __future__ import annotations

import re
from datetime import date

from workbench.analytics.dates import parse_date
from workbench.analytics.importers.spec import Metric, SourceSpec

#: ``September 1, 2026 - September 30, 2026`` (also with short month names or ISO dates).
_RANGE = re.compile(r"\s*\"?(.+?)\s+[-–—]\s+(.+?)\"?\s*")


def preamble_range(lines: list[str]) -> tuple[date, date] | None:
    """The report's date range from the lines above the header, for a report without a Day column."""
    for line in lines:
        found = _RANGE.fullmatch(line.strip().strip(","))
        if found is None:
            continue
        try:
            start, end = parse_date(found.group(1)), parse_date(found.group(2))
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None


SPEC = SourceSpec(
    kind="google-ads",
    label="Google Ads",
    level="platform",
    signature=(("campaign",), ("impr.", "impressions"), ("cost",)),
    start=("day", "date"),
    campaign=("campaign",),
    names=("campaign", "ad group", "ad name", "ad"),
    currency=("currency code", "currency"),
    metrics=(
        Metric("impressions", ("impr.", "impressions")),
        Metric("clicks", ("clicks",)),
        Metric("spend", ("cost",), money=True),
        Metric("conversions", ("conversions", "conv.")),
    ),
    preamble_range=preamble_range,
)
