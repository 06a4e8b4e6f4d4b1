"""Matching a row to a message by its tracking code: UTM content columns, utm_content in URLs,
[CODE] in names; unknown or missing codes leave the row unmatched."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.analytics.matching import Matcher
from workbench.analytics.rows import ResultRow

MATCH = Matcher({"k7m2qp4", "h3xw9ta", "R8VN2JC"})


def row(urls: tuple[str, ...] = (), contents: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> ResultRow:
    day = date(2026, 9, 1)
    return ResultRow("platform", "google-ads", day, day, "", "", "", urls, contents, names, "USD", 2)


@pytest.mark.parametrize("url", [
    "https://x.example/?utm_source=google&utm_content=k7m2qp4",
    "https://x.example/?utm_content=K7M2QP4&utm_source=google",
    "https://x.example/p?a=1&utm_content=k7m2qp4#top",
    "utm_source=meta&utm_medium=paid_social&utm_content=k7m2qp4",  # a URL-parameters column
    "{lpurl}?utm_content=k7m2qp4",  # a tracking template
    "https://r.example/click?u=https%3A%2F%2Fx.example%2F%3Futm_source%3Dg%26utm_content%3Dk7m2qp4",
    "https://x.example/?UTM_CONTENT=k7m2qp4",
])
def test_utm_content_inside_a_url(url: str) -> None:
    assert MATCH.match(row(urls=(url,))) == "k7m2qp4"
    assert MATCH.find(row(urls=(url,))).via == "url"  # type: ignore[union-attr]


@pytest.mark.parametrize("url", [
    "https://x.example/?my_utm_content=k7m2qp4",  # another parameter
    "https://x.example/?utm_content=k7m2qp4x",  # a longer value is another code
    "https://x.example/k7m2qp4",  # a code in the path is not a tag
])
def test_lookalikes_in_urls_do_not_match(url: str) -> None:
    assert MATCH.match(row(urls=(url,))) is None


def test_the_whole_value_of_a_content_column() -> None:
    assert MATCH.match(row(contents=(" H3XW9TA ",))) == "h3xw9ta"
    assert MATCH.match(row(contents=("(not set)",))) is None
    assert MATCH.match(row(contents=("ad k7m2qp4",))) is None  # the whole value, not a part


def test_a_bracketed_code_in_a_name() -> None:
    assert MATCH.match(row(names=("Co-op ROI [R8VN2JC]",))) == "r8vn2jc"
    assert MATCH.match(row(names=("Harvest [ k7m2qp4 ] carousel",))) == "k7m2qp4"
    assert MATCH.match(row(names=("Harvest k7m2qp4 carousel",))) is None  # unbracketed
    assert MATCH.match(row(names=("Harvest (k7m2qp4)",))) is None


def test_a_known_code_wins_over_unknown_ones_and_the_order_of_trust_holds() -> None:
    assert MATCH.match(row(names=("[zzzzzz9] [h3xw9ta]",))) == "h3xw9ta"
    both = row(urls=("https://x.example/?utm_content=h3xw9ta",), contents=("k7m2qp4",), names=("[r8vn2jc]",))
    assert MATCH.find(both).via == "content"  # type: ignore[union-attr]
    assert MATCH.match(both) == "k7m2qp4"
    url_and_name = row(urls=("https://x.example/?utm_content=h3xw9ta",), names=("[r8vn2jc]",))
    assert MATCH.match(url_and_name) == "h3xw9ta"


def test_a_well_formed_code_not_in_the_workbench_leaves_the_row_unmatched() -> None:
    assert MATCH.match(row(contents=("zz9zz9z",), urls=("?utm_content=zz9zz9z",), names=("[zz9zz9z]",))) is None
    assert MATCH.match(row()) is None
    assert Matcher(()).match(row(contents=("k7m2qp4",))) is None
