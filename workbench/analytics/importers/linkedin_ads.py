"""LinkedIn Campaign Manager exports: report lines above the header, ``M/D/YYYY`` start dates, both
conversions (website tracking) and leads (Lead Gen Forms)."""

from __future__ import annotations

from workbench.analytics.importers.spec import Metric, SourceSpec

SPEC = SourceSpec(
    kind="linkedin-ads",
    label="LinkedIn Ads",
    level="platform",
    signature=(("start date (in utc)", "start date"), ("campaign name",), ("total spent",)),
    start=("start date (in utc)", "start date"),
    end=("end date (in utc)", "end date"),
    campaign=("campaign name",),
    names=("campaign name", "creative name", "ad name", "campaign group name"),
    currency=("currency",),
    metrics=(
        Metric("impressions", ("impressions",)),
        Metric("clicks", ("clicks",)),
        Metric("spend", ("total spent", "amount spent"), money=True),
        # Both are what LinkedIn claims it produced: website conversions and Lead Gen Form leads
        # (counted apart by LinkedIn, never twice). CRM leads are the hard level, from the CRM only.
        Metric("conversions", ("conversions",)),
        Metric("conversions", ("leads",)),
    ),
)
