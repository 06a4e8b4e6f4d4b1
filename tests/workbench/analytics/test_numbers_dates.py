"""Numbers, money and dates as exports write them, including properties checked with hypothesis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analytics.dates import DateReader, order_evidence, parse_date
from workbench.analytics.numbers import dollar_currency, header_currency, parse_amount, parse_count

FAST = settings(max_examples=300, deadline=None, derandomize=True, database=None)


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("1,234.56", Decimal("1234.56"), ""),
    ("$38,505.53", Decimal("38505.53"), "USD"),
    ("€1.234,56", Decimal("1234.56"), "EUR"),
    ("1.234,56 €", Decimal("1234.56"), "EUR"),
    ("USD 12,400.00", Decimal("12400.00"), "USD"),
    ("12 400,50 EUR", Decimal("12400.50"), "EUR"),
    ("1\u202f234,50", Decimal("1234.50"), ""),
    ("1'234.50", Decimal("1234.50"), ""),
    ("£99", Decimal("99"), "GBP"),
    ("-$12.50", Decimal("-12.50"), "USD"),
    ("$-12.50", Decimal("-12.50"), "USD"),
    ("(12.50)", Decimal("-12.50"), ""),
    ("--", Decimal(0), ""),
    ("", Decimal(0), ""),
    (".5", Decimal("0.5"), ""),
    ("1,234,567", Decimal("1234567"), ""),
    ("12,5", Decimal("12.5"), ""),
])
def test_amounts(text: str, value: Decimal, currency: str) -> None:
    assert parse_amount(text) == (value, currency)


def test_a_semicolon_file_reads_commas_as_decimal_marks() -> None:
    assert parse_amount("1,234", decimal_comma=True) == (Decimal("1.234"), "")
    assert parse_amount("1.234", decimal_comma=True) == (Decimal("1234"), "")
    assert parse_amount("1.234") == (Decimal("1.234"), "")
    assert parse_amount("1,234") == (Decimal("1234"), "")


def test_a_bare_dollar_is_the_workbench_dollar_else_usd() -> None:
    assert dollar_currency("CAD") == "CAD" and dollar_currency("EUR") == "USD"
    assert parse_amount("$5", dollar="CAD") == (Decimal(5), "CAD")


@pytest.mark.parametrize("text", ["12a", "abc", "1.2.3,4,5", "1,2,3", "$€5", "5%", "1,234.5.6", "N/A", "1e5"])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_counts_are_ints_when_whole() -> None:
    assert parse_count("1204") == 1204 and isinstance(parse_count("1204"), int)
    assert parse_count("1,204") == 1204 and isinstance(parse_count("3.00"), int)
    assert parse_count("11.50") == Decimal("11.50")
    with pytest.raises(ValueError):
        parse_count("$12")  # a count has no currency
    with pytest.raises(ValueError):
        parse_count("1_000")  # int() would take it; no export writes it
    with pytest.raises(ValueError):
        parse_count("١٢")  # non-ASCII digits


def test_header_currency() -> None:
    assert header_currency("Amount spent (EUR)") == ("Amount spent", "EUR")
    assert header_currency("Clicks (all)") == ("Clicks (all)", "")
    assert header_currency("Start Date (in UTC)") == ("Start Date (in UTC)", "")


@FAST
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                   allow_infinity=False), st.sampled_from(["", "$", "€", "USD "]), st.booleans())
def test_formatted_amounts_read_back_exactly(value: Decimal, symbol: str, european: bool) -> None:
    text = f"{abs(value):,.2f}"
    if european:  # 1.234.567,89
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    sign = "-" if value < 0 else ""
    amount, currency = parse_amount(f"{sign}{symbol}{text}", decimal_comma=european)
    assert amount == value
    assert currency == {"": "", "$": "USD", "€": "EUR", "USD ": "USD"}[symbol]


@FAST
@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_counts_read_back_with_or_without_separators(value: int, grouped: bool) -> None:
    assert parse_count(f"{value:,}" if grouped else str(value)) == value


# --- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "order", "expected"), [
    ("2026-09-01", "auto", date(2026, 9, 1)),
    ("20260901", "auto", date(2026, 9, 1)),
    ("2026-09-03 14:22", "auto", date(2026, 9, 3)),
    ("2026-09-03T14:22:00Z", "auto", date(2026, 9, 3)),
    ("9/30/2026", "auto", date(2026, 9, 30)),
    ("30/9/2026", "auto", date(2026, 9, 30)),
    ("3/4/2026", "mdy", date(2026, 3, 4)),
    ("3/4/2026", "dmy", date(2026, 4, 3)),
    ("5/5/2026", "auto", date(2026, 5, 5)),
    ("9/30/26", "auto", date(2026, 9, 30)),
    ("9/30/2026, 4:12 PM", "auto", date(2026, 9, 30)),
    ("30.09.2026", "auto", date(2026, 9, 30)),
    ("September 1, 2026", "auto", date(2026, 9, 1)),
    ("Sep 1, 2026", "auto", date(2026, 9, 1)),
    ("Tue, Sep 1, 2026", "auto", date(2026, 9, 1)),
    ("1 Sept 2026", "auto", date(2026, 9, 1)),
])
def test_dates(text: str, order: str, expected: date) -> None:
    assert parse_date(text, order) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["3/4/2026", "2026-02-30", "20261301", "yesterday", "", "13/13/2026",
                                  "Smarch 1, 2026"])
def test_bad_or_ambiguous_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_order_evidence() -> None:
    assert order_evidence("30/9/2026") == "dmy"
    assert order_evidence("9/30/2026") == "mdy"
    assert order_evidence("3/4/2026") is None and order_evidence("2026-09-30") is None


def test_the_reader_remembers_what_it_read() -> None:
    reader = DateReader("mdy")
    assert reader("3/4/2026") == date(2026, 3, 4)
    assert reader("3/4/2026") is reader("3/4/2026")


_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@FAST
@given(_days)
def test_every_day_reads_back_in_every_written_form(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%Y%m%d")) == day
    assert parse_date(f"{day.month}/{day.day}/{day.year}", "mdy") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}", "dmy") == day
    assert parse_date(f"{day.day:02d}.{day.month:02d}.{day.year}") == day
    assert parse_date(day.strftime("%B %d, %Y")) == day


@FAST
@given(_days)
def test_auto_reads_a_slash_date_only_when_one_order_fits(day: date) -> None:
    text = f"{day.month}/{day.day}/{day.year}"
    if day.day > 12 or day.day == day.month:
        assert parse_date(text) == day
    else:
        with pytest.raises(ValueError):
            parse_date(text)
