"""Periods: months, quarters and ranges; rows counted by their start date, never split or doubled."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.analytics.errors import BadPeriod
from workbench.analytics.periods import Period, month, parse_period, quarter
from workbench.domain.errors import ValidationError


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2026-09", date(2026, 9, 1), date(2026, 9, 30)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
    (" 2026-09-01..2026-09-15 ", date(2026, 9, 1), date(2026, 9, 15)),
    ("2026-09-01 .. 2026-09-01", date(2026, 9, 1), date(2026, 9, 1)),
])
def test_periods_parse(text: str, start: date, end: date) -> None:
    assert parse_period(text) == Period(start, end)


@pytest.mark.parametrize(("text", "message"), [
    ("2026-13", "no month 13"),
    ("2026-Q5", "not a period"),
    ("Q3 2026", "not a period"),
    ("2026-09-30..2026-09-01", "ends"),
    ("2026-02-30..2026-03-01", "not a valid period"),
    ("september", "not a period"),
    ("", "not a period"),
])
def test_bad_periods_are_typed_errors_with_the_forms(text: str, message: str) -> None:
    with pytest.raises(BadPeriod, match=message) as caught:
        parse_period(text)
    assert isinstance(caught.value, ValidationError)


def test_labels_and_json() -> None:
    assert parse_period("2026-09").label() == "2026-09"
    assert parse_period("2026-Q3").label() == "2026-Q3"
    assert parse_period("2026-09-01..2026-09-15").label() == "2026-09-01..2026-09-15"
    assert parse_period("2026-Q3").to_json() == {"start": "2026-07-01", "end": "2026-09-30"}
    assert quarter(2026, 3).days == 92


def test_months_of_a_period_for_trend_charts() -> None:
    assert quarter(2026, 3).months() == [month(2026, 7), month(2026, 8), month(2026, 9)]
    cut = parse_period("2026-08-20..2026-09-10").months()
    assert cut == [Period(date(2026, 8, 20), date(2026, 8, 31)), Period(date(2026, 9, 1), date(2026, 9, 10))]
    assert parse_period("2026-12-01..2027-01-31").months() == [month(2026, 12), month(2027, 1)]


def test_a_range_counts_where_it_starts_and_only_there() -> None:
    aug, sep = month(2026, 8), month(2026, 9)
    start, end = date(2026, 8, 25), date(2026, 9, 7)  # Meta's reporting range across the edge
    assert aug.counts(start, end) and not sep.counts(start, end)
    assert aug.straddles(start, end) and sep.straddles(start, end)
    inside = (date(2026, 9, 1), date(2026, 9, 30))
    assert sep.counts(*inside) and not sep.straddles(*inside)
    assert not aug.straddles(*inside)
