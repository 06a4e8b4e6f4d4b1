"""Meta (Facebook/Instagram) Ads Manager exports: one row per ad and reporting range, spend in the
currency the header names (``Amount spent (EUR)``)."""

from __future__ import annotations

from workbench.analytics.importers.spec import Metric, SourceSpec

SPEC = SourceSpec(
    kind="meta-ads",
    label="Meta Ads",
    level="platform",
    signature=(("reporting starts",), ("reporting ends",), ("amount spent",)),
    start=("reporting starts",),
    end=("reporting ends",),
    campaign=("campaign name",),
    names=("campaign name", "ad set name", "ad name"),
    currency=("currency",),
    metrics=(
        Metric("impressions", ("impressions",)),
        # Link clicks, not "Clicks (all)": likes and profile taps never reach a landing page.
        Metric("clicks", ("link clicks", "clicks")),
        Metric("spend", ("amount spent",), money=True),
        # "Results" is what the campaign optimises for (leads, purchases): the platform's claim.
        Metric("conversions", ("results", "conversions")),
    ),
    # The export's optional summary row has dates and totals but no campaign, ad set or ad name.
    unnamed_is_total=True,
)
