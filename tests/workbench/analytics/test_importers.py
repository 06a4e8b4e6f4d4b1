"""Each importer on files shaped exactly like the real exports (tests/data/exports/): preambles, total
rows, separators, BOM, UTF-16, ``;``, slash dates, report footers."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from tests.workbench.analytics.helpers import CODES, EXPORTS, read_all
from workbench.analytics.importers import ImportOptions, parse_column_map
from workbench.analytics.matching import Matcher

MATCH = Matcher(CODES)


def test_google_ads_skips_title_range_and_total_rows() -> None:
    rows, summary = read_all("google_ads_campaign_report.csv")
    assert (summary.kind, summary.level, summary.header_line) == ("google-ads", "platform", 3)
    assert (summary.rows_read, summary.totals_skipped) == (8, 3)
    # The file's own "Total: Account" row says 22,866 impressions, 749 clicks, $1,724.32, 33 conversions:
    # the rows add up to it exactly, so no total row was counted.
    assert sum(r.impressions for r in rows) == 22866
    assert sum(r.clicks for r in rows) == 749
    assert sum(r.spend for r in rows) == Decimal("1724.32")
    assert sum(r.conversions for r in rows) == 33
    first = rows[0]
    assert (first.start, first.end, first.campaign, first.currency, first.line) == (
        date(2026, 9, 1), date(2026, 9, 1), "Harvest Ready 2026", "USD", 4)
    assert rows[6].spend == Decimal("1034.62") and rows[6].conversions == Decimal("11.50")
    assert summary.sha256 == hashlib.sha256((EXPORTS / "google_ads_campaign_report.csv").read_bytes()).hexdigest()
    assert (summary.first, summary.last, summary.currencies) == (date(2026, 9, 1), date(2026, 9, 30), ("USD",))


def test_google_ads_utf16_tab_separated_excel_export() -> None:
    rows, summary = read_all("google_ads_excel_utf16.csv")
    assert (summary.kind, summary.encoding, summary.delimiter) == ("google-ads", "utf-16", "\t")
    assert (summary.rows_read, summary.totals_skipped) == (3, 1)
    assert sum(r.impressions for r in rows) == 7015 and sum(r.spend for r in rows) == Decimal("2236.19")
    assert rows[0].spend == Decimal("1204.18")


def test_meta_reporting_ranges_and_the_currency_in_the_header() -> None:
    rows, summary = read_all("meta_ads_export.csv")
    assert (summary.kind, summary.encoding) == ("meta-ads", "utf-8-sig")
    assert [(r.start, r.end) for r in rows][:2] == [(date(2026, 9, 1), date(2026, 9, 30))] * 2
    assert rows[3].start == date(2026, 8, 25) and rows[3].end == date(2026, 9, 7)
    assert {r.currency for r in rows} == {"USD"}
    assert rows[2].clicks == 0 and rows[2].conversions == 0  # empty Link clicks / Results
    assert rows[0].clicks == 611 and rows[0].conversions == 24  # Link clicks, Results
    assert [MATCH.match(r) for r in rows] == ["k7m2qp4", "h3xw9ta", None, "k7m2qp4"]


def test_meta_from_a_decimal_comma_locale_with_semicolons_and_euros() -> None:
    rows, summary = read_all("meta_ads_semicolon_eur.csv")
    assert summary.delimiter == ";" and summary.currencies == ("EUR",)
    assert rows[0].impressions == 31204 and rows[0].spend == Decimal("1234.56")
    assert rows[1].spend == Decimal("412.90")


def test_linkedin_report_lines_and_month_first_dates() -> None:
    rows, summary = read_all("linkedin_campaign_performance.csv")
    assert (summary.kind, summary.header_line, summary.date_order) == ("linkedin-ads", 5, "mdy")
    assert [r.start.day for r in rows] == [1, 2, 3, 15]
    # Conversions and Lead Gen Form leads are both the platform's claim.
    assert rows[0].conversions == 2 + 3
    assert rows[3].spend == Decimal("1204.33")
    assert [MATCH.match(r) for r in rows] == ["r8vn2jc", "r8vn2jc", None, "r8vn2jc"]


def test_ga4_comments_yyyymmdd_grand_total_and_a_second_table() -> None:
    rows, summary = read_all("ga4_traffic_acquisition.csv")
    assert (summary.kind, summary.level, summary.header_line) == ("ga4", "tracked", 10)
    assert summary.rows_read == 7 and summary.totals_skipped == 1  # "Grand total"
    assert sum(r.sessions for r in rows) == 1682  # the second table (Nth day) is not read as rows
    assert rows[0].start == date(2026, 9, 1) and rows[0].origin == "google / cpc"
    assert (rows[0].sessions, rows[0].engaged_sessions, rows[0].key_events) == (36, 22, 3)
    assert summary.currencies == () and rows[0].currency == ""
    assert [MATCH.match(r) for r in rows] == ["k7m2qp4", "h3xw9ta", None, "k7m2qp4", "r8vn2jc", None, None]


def test_ga4_older_download_with_conversions_and_no_date_column_uses_the_report_range() -> None:
    rows, summary = read_all("ga4_older_conversions.csv")
    assert summary.header_line == 15  # below the comments and the chart's Nth-day table
    assert [(r.start, r.end) for r in rows] == [(date(2026, 8, 1), date(2026, 8, 31))] * 3
    assert [r.key_events for r in rows] == [37, 6, 12]


def test_hubspot_counts_leads_mql_sql_by_lifecycle_stage_on_the_create_date() -> None:
    rows, summary = read_all("hubspot_contacts.csv")
    assert (summary.kind, summary.level, summary.encoding) == ("hubspot", "hard", "utf-8-sig")
    stages = [(r.record, r.leads, r.mql, r.sql) for r in rows]
    assert stages == [
        ("51001", 0, 0, 0),  # Subscriber
        ("51002", 1, 0, 0),  # Lead
        ("51003", 1, 1, 0),  # Marketing Qualified Lead
        ("51004", 1, 1, 1),  # Sales Qualified Lead
        ("51005", 1, 1, 1),  # Opportunity
        ("51006", 1, 1, 1),  # Customer
        ("51007", 1, 1, 1),  # Evangelist
        ("51008", 0, 0, 0),  # Other: kept, counts as nothing
    ]
    assert rows[1].start == date(2026, 9, 3)  # "2026-09-03 14:22"
    assert rows[2].origin == "Paid Social"
    # First Page Seen decides (Ava's last page carries another code).
    assert [MATCH.match(r) for r in rows[:4]] == ["k7m2qp4", "k7m2qp4", "k7m2qp4", "r8vn2jc"]


def test_salesforce_counts_won_deals_and_revenue_on_the_close_date() -> None:
    rows, summary = read_all("salesforce_opportunities.csv")
    assert (summary.kind, summary.date_order) == ("salesforce", "mdy")
    assert summary.rows_read == 5 and summary.totals_skipped == 1 and summary.other_skipped == 6  # footer
    assert [(r.won, r.revenue) for r in rows] == [
        (1, Decimal("38505.53")), (1, Decimal("12400.00")), (0, Decimal(0)), (0, Decimal(0)), (1, Decimal("4250.00"))]
    assert rows[0].start == date(2026, 9, 30) and rows[0].currency == "USD"
    assert rows[0].origin == "Advertisement" and rows[0].campaign == "Harvest Ready 2026"
    # [CODE] in the deal name; the UTM Content column's whole value.
    assert [MATCH.match(r) for r in rows] == ["k7m2qp4", "r8vn2jc", "h3xw9ta", None, None]


def test_salesforce_day_first_dates_and_a_currency_column() -> None:
    rows, summary = read_all("salesforce_dmy_eur.csv")
    assert summary.date_order == "dmy" and summary.currencies == ("EUR",)
    assert rows[0].start == date(2026, 9, 3) and rows[0].revenue == Decimal("14200.00")
    assert rows[1].start == date(2026, 9, 24) and rows[1].revenue == Decimal("6750.50")


def test_a_file_without_currency_uses_the_default_currency() -> None:
    rows, _ = read_all("generic_weekly.csv", ImportOptions(
        column_map=parse_column_map(["Week=date", "Spend=spend", "Landing URL=url", "Campaign=campaign"]),
        default_currency="CAD"))
    assert {r.currency for r in rows} == {"CAD"}


def test_a_generic_csv_through_a_column_map() -> None:
    rows, summary = read_all("generic_weekly.csv", ImportOptions(column_map=parse_column_map(
        ["Week=date", "Campaign=campaign", "Landing URL=url", "Spend=spend", "Impressions=impressions",
         "Clicks=clicks"])))
    assert (summary.kind, summary.level, summary.rows_read) == ("generic", "platform", 2)
    assert rows[0].spend == Decimal("210.40") and rows[0].impressions == 4012
    assert [MATCH.match(r) for r in rows] == ["k7m2qp4", None]


@pytest.mark.parametrize(("name", "kind"), [
    ("google_ads_campaign_report.csv", "google-ads"), ("google_ads_excel_utf16.csv", "google-ads"),
    ("meta_ads_export.csv", "meta-ads"), ("meta_ads_semicolon_eur.csv", "meta-ads"),
    ("linkedin_campaign_performance.csv", "linkedin-ads"), ("ga4_traffic_acquisition.csv", "ga4"),
    ("ga4_older_conversions.csv", "ga4"), ("hubspot_contacts.csv", "hubspot"),
    ("salesforce_opportunities.csv", "salesforce"), ("salesforce_dmy_eur.csv", "salesforce"),
])
def test_the_kind_is_detected_from_the_header(name: str, kind: str) -> None:
    assert read_all(name)[1].kind == kind


def test_the_ambiguous_file_reads_with_a_chosen_order() -> None:
    rows, summary = read_all("linkedin_ambiguous_dates.csv", ImportOptions(date_order="dmy"))
    assert summary.date_order == "dmy" and rows[0].start == date(2026, 1, 9)
    rows, _ = read_all("linkedin_ambiguous_dates.csv", ImportOptions(date_order="mdy"))
    assert rows[0].start == date(2026, 9, 1)
