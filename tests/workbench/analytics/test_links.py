"""Tagged links: channel conventions, the builder (lowercase, no spaces, query and fragment kept,
percent-encoded) and the lint behind ``check``."""

from __future__ import annotations

from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analytics.errors import BadCode, BadLink
from workbench.analytics.links import (
    DEFAULT_CONVENTIONS,
    Convention,
    LinkSpec,
    build_link,
    check_tagging,
    check_url,
    convention_for,
    link_for,
    tag_value,
)

ADS = DEFAULT_CONVENTIONS["ads"]


def test_the_link_carries_the_four_tags_in_order() -> None:
    url = build_link("https://tillwright.example/harvest", source="google", medium="cpc",
                     campaign="harvest_ready_2026", code="k7m2qp4")
    assert url == ("https://tillwright.example/harvest?utm_source=google&utm_medium=cpc"
                   "&utm_campaign=harvest_ready_2026&utm_content=k7m2qp4")


def test_values_are_lowercased_and_spaces_become_underscores() -> None:
    url = build_link("https://x.example/", source=" Google ", medium="CPC", campaign="Harvest  Ready 2026",
                     code="K7M2QP4")
    q = parse_qs(urlsplit(url).query)
    assert q == {"utm_source": ["google"], "utm_medium": ["cpc"], "utm_campaign": ["harvest_ready_2026"],
                 "utm_content": ["k7m2qp4"]}
    assert " " not in url and url == url.lower()


def test_an_existing_query_and_fragment_are_kept() -> None:
    url = build_link("https://x.example/p?ref=partner&a=1#pricing", source="google", medium="cpc",
                     campaign="c", code="k7m2qp4")
    parts = urlsplit(url)
    assert parts.fragment == "pricing"
    assert parse_qsl(parts.query) == [("ref", "partner"), ("a", "1"), ("utm_source", "google"),
                                      ("utm_medium", "cpc"), ("utm_campaign", "c"), ("utm_content", "k7m2qp4")]
    assert url.endswith("#pricing")


def test_old_utm_tags_in_the_landing_url_are_replaced_not_doubled() -> None:
    url = build_link("https://x.example/?utm_source=Facebook&UTM_CONTENT=old&x=1", source="meta",
                     medium="paid_social", campaign="c", code="k7m2qp4")
    q = parse_qs(urlsplit(url).query)
    assert q["utm_source"] == ["meta"] and q["utm_content"] == ["k7m2qp4"] and q["x"] == ["1"]
    assert "old" not in url and "Facebook" not in url


def test_values_and_paths_are_percent_encoded() -> None:
    url = build_link("https://x.example/ernte 2026/", source="google", medium="cpc",
                     campaign="Ernte & Mähdrescher #1", code="k7m2qp4")
    assert "/ernte%202026/" in url
    assert "utm_campaign=ernte_%26_m%C3%A4hdrescher_%231" in url
    assert parse_qs(urlsplit(url).query)["utm_campaign"] == ["ernte_&_mähdrescher_#1"]
    assert urlsplit(url).fragment == ""


def test_a_missing_campaign_is_left_out_not_written_empty() -> None:
    url = build_link("https://x.example/", source="google", medium="cpc", campaign="  ", code="k7m2qp4")
    assert "utm_campaign" not in url


@pytest.mark.parametrize("landing", ["ftp://x.example/", "x.example/page", "mailto:a@b.example", "https://", ""])
def test_a_landing_that_is_not_http_is_refused(landing: str) -> None:
    with pytest.raises(BadLink):
        build_link(landing, source="google", medium="cpc", campaign="c", code="k7m2qp4")


def test_a_bad_code_is_refused() -> None:
    with pytest.raises(BadCode):
        build_link("https://x.example/", source="google", medium="cpc", campaign="c", code="no")


def test_conventions_pick_the_default_source_and_pair_the_medium() -> None:
    assert ADS.source == "google" and ADS.medium == "cpc"
    assert "utm_medium=paid_social" in link_for("https://x.example/", ADS, "c", "k7m2qp4", source="meta")
    assert "utm_source=google&utm_medium=cpc" in link_for("https://x.example/", ADS, "c", "k7m2qp4")


def test_an_unknown_channel_tags_with_its_own_name() -> None:
    conv = convention_for("Trade shows")
    assert (conv.source, conv.medium) == ("trade_shows", "trade_shows")
    assert convention_for(" ADS ") is ADS  # looked up by casefolded name


def test_a_workbench_may_bring_its_own_conventions() -> None:
    own = {"ads": Convention("Ads", (("bing", "cpc"),))}
    assert convention_for("Ads", own).source == "bing"
    issues = check_tagging([LinkSpec("m1", "Ads", "https://x.example/", "c", "k7m2qp4", source="google")], own)
    assert [i.problem for i in issues] == ["source-not-allowed"]


def _problems(**kw: str) -> list[str]:
    spec = LinkSpec(**{"subject": "m1", "channel": "Ads", "landing": "https://x.example/", "campaign": "c",
                       "code": "k7m2qp4", **kw})
    return [i.problem for i in check_tagging([spec])]


def test_a_consistent_link_has_no_issues() -> None:
    assert _problems() == []
    assert _problems(source="meta", medium="paid_social") == []


def test_the_lint_reports_each_inconsistency() -> None:
    assert _problems(source="tiktok") == ["source-not-allowed"]
    assert _problems(source="meta", medium="cpc") == ["medium-mismatch"]
    assert _problems(campaign="Harvest") == ["capitals"]
    assert _problems(campaign="harvest ready") == ["spaces"]
    assert _problems(campaign="") == ["missing-campaign"]
    assert _problems(landing="www.x.example") == ["bad-landing"]
    assert _problems(code="K7") == ["bad-code"]
    assert _problems(landing="https://x.example/?utm_source=fb") == ["landing-has-tags"]
    assert sorted(_problems(source="Google Ads")) == ["capitals", "source-not-allowed", "spaces"]


def test_messages_without_a_landing_url_are_not_linted() -> None:
    assert _problems(landing="", campaign="") == []


def test_issues_are_plain_records_with_a_line_to_print() -> None:
    issue = check_tagging([LinkSpec("Harlan · Ads", "Ads", "https://x.example/", "Q3", "k7m2qp4")])[0]
    assert (issue.subject, issue.field, issue.problem, issue.value) == ("Harlan · Ads", "utm_campaign", "capitals", "Q3")
    assert issue.describe().startswith("Harlan · Ads: utm_campaign 'Q3' — has capital letters")


def test_check_url_lints_a_link_found_in_the_wild() -> None:
    ok = "https://x.example/?utm_source=google&utm_medium=cpc&utm_campaign=c&utm_content=k7m2qp4"
    assert check_url("ad 1", ok, "Ads") == []
    bad = "https://x.example/?utm_source=Facebook&utm_medium=cpc&utm_content=k7m2qp4"
    assert sorted(i.problem for i in check_url("ad 1", bad, "Ads")) == [
        "capitals", "missing-campaign", "source-not-allowed"]
    assert [i.problem for i in check_url("ad 1", "javascript:alert(1)", "Ads")] == ["bad-landing"]


def test_tag_value() -> None:
    assert tag_value("  Harvest\tReady  2026 ") == "harvest_ready_2026"


# --- property: whatever the inputs, the link round-trips through urllib.parse ----------------------

_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
_segment = st.text(st.characters(categories=["Ll", "Lu", "Nd"], max_codepoint=0x24F), min_size=1,
                   max_size=10)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(source=_text, medium=_text, campaign=_text, path=st.lists(_segment, max_size=3),
       params=st.lists(st.tuples(_segment, _segment), max_size=3), fragment=st.one_of(st.just(""), _segment),
       code=st.from_regex(r"[a-z0-9]{6,8}", fullmatch=True))
def test_the_link_round_trips_through_urllib(source: str, medium: str, campaign: str, path: list[str],
                                             params: list[tuple[str, str]], fragment: str, code: str) -> None:
    params = [(k, v) for k, v in params if not k.lower().startswith("utm_")]
    landing = "https://shop.example/" + "/".join(path)
    if params:
        landing += "?" + "&".join(f"{k}={v}" for k, v in params)
    if fragment:
        landing += "#" + fragment
    url = build_link(landing, source=source, medium=medium, campaign=campaign, code=code)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "shop.example")
    assert unquote(parts.fragment) == fragment
    assert unquote(parts.path) == "/" + "/".join(path)
    got = parse_qsl(parts.query, keep_blank_values=True)
    expected_tags = [(k, v) for k, v in (("utm_source", tag_value(source)), ("utm_medium", tag_value(medium)),
                                         ("utm_campaign", tag_value(campaign)), ("utm_content", code)) if v]
    assert got == params + expected_tags
    assert not any(c.isspace() for c in url) and all(ord(c) < 128 for c in url)
    for _, value in expected_tags:
        assert value == value.lower()
