"""Tracking codes: short, URL-safe, unambiguous, unique, deterministic under an injected random source."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from workbench.analytics.codes import check_code, is_valid_code, new_code, new_codes
from workbench.analytics.errors import BadCode


def test_new_codes_are_short_url_safe_and_unambiguous() -> None:
    rng = random.Random(7)
    for _ in range(500):
        code = new_code(set(), rng)
        assert 6 <= len(code) <= 8 and is_valid_code(code)
        assert quote(code, safe="") == code  # nothing to escape in a URL
        assert not set(code) & set("0o1li")  # never misread when copied from paper
        assert any(c.isalpha() for c in code) and any(c.isdigit() for c in code)


def test_the_same_seed_gives_the_same_codes() -> None:
    assert new_codes(20, set(), random.Random(42)) == new_codes(20, set(), random.Random(42))
    assert new_codes(20, set(), random.Random(42)) != new_codes(20, set(), random.Random(43))


def test_a_code_already_taken_is_never_returned() -> None:
    first = new_code(set(), random.Random(3))
    # The same seed would draw ``first`` again: it must skip it.
    assert new_code({first}, random.Random(3)) != first


def test_new_codes_are_unique_among_themselves_and_against_taken() -> None:
    taken = set(new_codes(50, set(), random.Random(1)))
    fresh = new_codes(2000, taken, random.Random(1))
    assert len(set(fresh)) == 2000 and not taken & set(fresh)


class _Stuck(random.Random):
    """A rigged source that always draws the same symbol."""

    def getrandbits(self, k: int, /) -> int:
        return 0  # choice() then always takes the first symbol


def test_a_rigged_source_fails_with_a_typed_error_not_a_loop() -> None:
    with pytest.raises(BadCode, match="free tracking code"):
        new_code(set(), _Stuck())


@pytest.mark.parametrize("text", ["k7m2qp", "k7m2qp4x", "abcdef", "202609"])
def test_valid_codes(text: str) -> None:
    assert is_valid_code(text)
    assert check_code(f"  {text.upper()} ") == text


@pytest.mark.parametrize("text", ["k7m2q", "k7m2qp4xy", "k7m-2qp", "K7M2QP4", "k7m2qp4 ", "", "k7m2qé4"])
def test_invalid_codes(text: str) -> None:
    assert not is_valid_code(text)


def test_check_code_names_the_rule() -> None:
    with pytest.raises(BadCode, match="6 to 8 lowercase letters and digits"):
        check_code("no spaces")


def test_length_outside_the_range_is_refused() -> None:
    with pytest.raises(BadCode):
        new_code(set(), random.Random(1), length=5)
