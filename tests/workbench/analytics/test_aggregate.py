"""Aggregation: three levels side by side per key with an unmatched bucket, money per currency,
the results --json shape, periods, claimed vs confirmed."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tests.workbench.analytics.helpers import CODES, read_all
from workbench.analytics.aggregate import (
    CLAIM_MIN_GAP,
    ResultsTable,
    Totals,
    aggregate,
    claimed_vs_confirmed,
    cost_per_won,
    json_number,
    results_document,
)
from workbench.analytics.matching import Matcher
from workbench.analytics.money import Money
from workbench.analytics.periods import month, parse_period
from workbench.analytics.rows import ResultRow

PERSONA = {"k7m2qp4": "Harlan Voss", "h3xw9ta": "Dr. Renata Salgado", "r8vn2jc": "Dwayne Tibbets",
           "w5bt6ye": "Dwayne Tibbets"}


def _pairs(*names: str) -> list[tuple[str | None, ResultRow]]:
    match = Matcher(CODES).match
    out: list[tuple[str | None, ResultRow]] = []
    for name in names:
        for row in read_all(name)[0]:
            code = match(row)
            out.append((PERSONA[code] if code else None, row))
    return out


def test_the_three_levels_side_by_side_with_the_unmatched_bucket() -> None:
    table = aggregate(_pairs("google_ads_campaign_report.csv", "ga4_traffic_acquisition.csv",
                             "hubspot_contacts.csv", "salesforce_opportunities.csv"), parse_period("2026-09"))
    doc = results_document(table, by="persona", currency="USD")
    assert list(doc) == ["period", "by", "rows", "unmatched", "currency"]
    assert doc["period"] == {"start": "2026-09-01", "end": "2026-09-30"} and doc["currency"] == "USD"
    rows = {r["persona"]: r for r in doc["rows"]}  # type: ignore[attr-defined]
    assert list(rows) == ["Dr. Renata Salgado", "Dwayne Tibbets", "Harlan Voss"]  # sorted
    harlan = rows["Harlan Voss"]
    assert list(harlan) == ["persona", "platform", "tracked", "crm"]
    assert harlan["platform"] == {"impressions": 1204 + 1377 + 1590, "clicks": 38 + 41 + 47,
                                  "spend": 374.35, "conversions": 9}
    assert harlan["tracked"] == {"sessions": 36 + 51, "engaged_sessions": 22 + 18, "key_events": 3 + 2}
    # HubSpot: a subscriber (nothing), a lead, an MQL; Salesforce: one won deal of $38,505.53.
    assert harlan["crm"] == {"leads": 2, "mql": 1, "sql": 0, "won": 1, "revenue": 38505.53}
    unmatched = doc["unmatched"]
    assert unmatched["platform"]["impressions"] == 2310 + 2188  # type: ignore[index]
    assert unmatched["tracked"]["sessions"] == 240 + 1204 + 88  # type: ignore[index]
    assert unmatched["crm"]["won"] == 1 and unmatched["crm"]["revenue"] == 4250.0  # type: ignore[index]
    assert json.loads(json.dumps(doc)) == doc  # numbers are plain JSON numbers


def test_rows_outside_the_period_are_not_counted() -> None:
    table = aggregate(_pairs("salesforce_opportunities.csv"), parse_period("2026-10"))
    assert table.outside == 4
    assert table.rows["Dr. Renata Salgado"].rows == 1  # the deal closing 10/15
    assert table.total().counts["won"] == 0


def test_every_date_when_there_is_no_period() -> None:
    table = aggregate(_pairs("salesforce_opportunities.csv"))
    assert table.total().counts["won"] == 3 and table.outside == 0
    assert results_document(table, "persona", "USD")["period"] is None


def test_a_reporting_range_counts_in_full_where_it_starts() -> None:
    pairs = _pairs("meta_ads_export.csv")
    aug, sep = aggregate(pairs, month(2026, 8)), aggregate(pairs, month(2026, 9))
    # The 8/25–9/7 row: all of it in August, none in September; the 9/1–9/30 rows in September.
    assert aug.rows["Harlan Voss"].counts["impressions"] == 14002
    assert sep.rows["Harlan Voss"].counts["impressions"] == 52311
    assert aug.straddling == 1 and sep.straddling == 1
    whole = aggregate(pairs, parse_period("2026-08-01..2026-09-30"))
    assert whole.total().counts["impressions"] == (aug.total().counts["impressions"]
                                                   + sep.total().counts["impressions"])
    assert whole.straddling == 0


def test_money_in_two_currencies_is_never_added() -> None:
    pairs = _pairs("meta_ads_export.csv", "meta_ads_semicolon_eur.csv")
    table = aggregate(pairs, month(2026, 9))
    harlan = table.rows["Harlan Voss"]
    assert harlan.spend.amount("USD") == Decimal("1873.44") and harlan.spend.amount("EUR") == Decimal("1234.56")
    assert table.currencies() == ("EUR", "USD")
    doc = results_document(table, by="persona", currency="USD")
    row = next(r for r in doc["rows"] if r["persona"] == "Harlan Voss")  # type: ignore[attr-defined]
    assert row["platform"]["spend"] == 1873.44
    assert row["other_currencies"] == {"EUR": {"spend": 1234.56, "revenue": 0.0}}
    usd_only = next(r for r in doc["rows"] if r["persona"] == "Dr. Renata Salgado")  # type: ignore[attr-defined]
    assert "other_currencies" in usd_only
    assert "other_currencies" not in results_document(aggregate(_pairs("meta_ads_export.csv")), "persona", "USD")[
        "rows"][0]  # type: ignore[index]


def test_money_keeps_sums_per_currency() -> None:
    money = Money()
    money.add("USD", Decimal("10.50"))
    money.add("EUR", Decimal("3"))
    money.add("USD", Decimal("1"))
    money.add("GBP", Decimal(0))
    assert dict(money.items()) == {"EUR": Decimal(3), "USD": Decimal("11.50")}
    assert money.currencies() == ("EUR", "USD") and money.amount("JPY") == 0
    assert money.per(2) == {"EUR": Decimal("1.5"), "USD": Decimal("5.75")} and money.per(0) == {}
    with pytest.raises(ValueError):
        money.add("", Decimal(1))
    other = Money({"USD": Decimal(1)})
    other.merge(money)
    assert other == Money({"USD": Decimal("12.50"), "EUR": Decimal(3)})


def test_sums_from_a_store_give_the_same_table_as_rows() -> None:
    pairs = _pairs("google_ads_campaign_report.csv")
    by_rows = aggregate(pairs)
    by_sums = ResultsTable(None)
    for key, row in pairs:
        by_sums.add_sums(key, {m: getattr(row, m) for m in ("impressions", "clicks", "spend", "conversions")},
                         row.currency, rows=1)
    assert results_document(by_rows, "persona", "USD") == results_document(by_sums, "persona", "USD")
    with pytest.raises(ValueError):
        Totals().add_sums({"likes": 3})


def test_unmatched_share() -> None:
    table = aggregate(_pairs("ga4_traffic_acquisition.csv"))
    assert table.unmatched_share("sessions") == pytest.approx((240 + 1204 + 88) / 1682)
    assert ResultsTable(None).unmatched_share("sessions") is None


def _totals(conversions: int, leads: int, won: int = 0) -> Totals:
    totals = Totals()
    totals.add_sums({"conversions": conversions, "leads": leads, "won": won})
    return totals


@pytest.mark.parametrize(("conversions", "leads", "flagged"), [
    (40, 10, True),  # 4x the leads
    (20, 10, True),  # exactly twice, 10 more
    (19, 10, False),  # under twice
    (6, 1, True),  # 6x and 5 more
    (5, 1, False),  # 5x, but only 4 more: noise
    (CLAIM_MIN_GAP, 0, True),  # claims with nothing confirmed
    (4, 0, False),
    (0, 12, False),  # the CRM confirms more than the platform claims
])
def test_claimed_vs_confirmed_flags_when_the_platform_claims_far_more(conversions: int, leads: int,
                                                                      flagged: bool) -> None:
    claim = claimed_vs_confirmed(_totals(conversions, leads, won=1))
    assert claim.flagged is flagged
    assert (claim.claimed, claim.leads, claim.won) == (conversions, leads, 1)
    assert claim.ratio == (conversions / leads if leads else None)


def test_cost_per_won_deal_is_per_currency() -> None:
    table = aggregate(_pairs("google_ads_campaign_report.csv", "salesforce_opportunities.csv"))
    harlan = table.rows["Harlan Voss"]
    assert cost_per_won(harlan) == {"USD": harlan.spend.amount("USD") / 1}
    assert cost_per_won(Totals()) == {}


def test_json_numbers() -> None:
    assert json_number(3) == 3 and json_number(Decimal("3.00")) == 3 and json_number(Decimal("11.5")) == 11.5
    assert json_number(Decimal("1724.315"), money=True) == 1724.32 and isinstance(json_number(5, True), float)


def test_labels_add_fields_to_each_row() -> None:
    table = aggregate([("m-1", read_all("google_ads_campaign_report.csv")[0][0])])
    doc = results_document(table, "message", "USD", {"m-1": {"persona": "Harlan Voss", "channel": "Ads"}})
    assert list(doc["rows"][0])[:3] == ["message", "persona", "channel"]  # type: ignore[index]
    assert table.rows["m-1"].rows == 1 and date(2026, 9, 1) == read_all("google_ads_campaign_report.csv")[0][0].start
