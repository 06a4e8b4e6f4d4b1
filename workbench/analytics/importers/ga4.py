"""Google Analytics 4 report downloads: ``#`` comment lines above the header (with the report's
start and end dates), ``YYYYMMDD`` dates, sometimes a chart table first and more tables below."""

from __future__ import annotations

import re
from datetime import date

from workbench.analytics.dates import parse_date
from workbench.analytics.importers.spec import Metric, SourceSpec

_LINE = re.compile(r"#\s*(start|end) date:\s*(\S+)\s*", re.IGNORECASE)


def preamble_range(lines: list[str]) -> tuple[date, date] | None:
    """``# Start date: 20260901`` and ``# End date: 20260930``: the range of a report without a Date
    column (its rows are totals over that range)."""
    found: dict[str, date] = {}
    for line in lines:
        match = _LINE.fullmatch(line.strip().strip(","))
        if match:
            try:
                found[match.group(1).lower()] = parse_date(match.group(2))
            except ValueError:
                return None
    if "start" in found and "end" in found and found["start"] <= found["end"]:
        return found["start"], found["end"]
    return None


SPEC = SourceSpec(
    kind="ga4",
    label="GA4",
    level="tracked",
    signature=(("sessions",), ("session source / medium", "session campaign", "session manual ad content",
                               "session source", "session medium")),
    # A chart's data table comes first in some downloads; it counts days, not dates.
    rejects=("nth day", "nth week", "nth month"),
    start=("date",),
    campaign=("session campaign", "session campaign name", "campaign"),
    names=("session campaign", "session campaign name"),
    origin=("session source / medium", "session source"),
    metrics=(
        Metric("sessions", ("sessions",)),
        Metric("engaged_sessions", ("engaged sessions",)),
        # Renamed from Conversions in 2024; older downloads still say Conversions.
        Metric("key_events", ("key events", "conversions")),
    ),
    preamble_range=preamble_range,
    ends_at_comment=True,
)
