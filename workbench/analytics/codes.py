"""Tracking codes: the short, stable, URL-safe ``utm_content`` that ties a result row to one message."""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Collection

from workbench.analytics.errors import BadCode

#: Letters and digits a person cannot misread when copying a code from a printed page or a
#: screenshot: no ``0``/``o``, ``1``/``l``/``i``. 31 symbols: 7 of them give ≈ 2.7e10 codes.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LETTERS = frozenset("abcdefghjkmnpqrstuvwxyz")
DIGITS = frozenset("23456789")
#: The length new codes get; any code of 6–8 lowercase letters/digits is valid (imported files may
#: carry codes another workbench made).
CODE_LENGTH = 7
MIN_LENGTH = 6
MAX_LENGTH = 8
#: Draws before giving up on a unique code: with 2.7e10 codes this only trips on a rigged random source.
MAX_ATTEMPTS = 1000

_VALID = re.compile(r"[a-z0-9]{6,8}")


def is_valid_code(text: str) -> bool:
    """Whether ``text`` is a well-formed code (6–8 lowercase ASCII letters or digits)."""
    return _VALID.fullmatch(text) is not None


def check_code(text: str) -> str:
    """The code a person typed, trimmed and lowercased; :class:`BadCode` when it is not well formed.

    Lowercasing is safe because codes are case-insensitive everywhere (platforms and spreadsheets
    change case; matching lowercases too).
    """
    code = text.strip().lower()
    if not is_valid_code(code):
        raise BadCode(f"'{text}' is not a tracking code: use 6 to 8 lowercase letters and digits (a-z, 0-9).")
    return code


def new_code(taken: Collection[str], rng: random.Random | None = None, length: int = CODE_LENGTH) -> str:
    """A fresh code not in ``taken`` (the codes in use, lowercase as :func:`check_code` stores them),
    drawn from :data:`ALPHABET`.

    Every generated code holds at least one letter and one digit, so it never reads as a word or a
    number (``[summer]`` in an ad name, or a date, is never mistaken for a code). ``rng`` makes the
    sequence deterministic (tests pass ``random.Random(seed)``); the default is the OS's randomness.
    """
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise BadCode(f"A tracking code has {MIN_LENGTH} to {MAX_LENGTH} characters, not {length}.")
    source = rng if rng is not None else secrets.SystemRandom()
    for _ in range(MAX_ATTEMPTS):
        code = "".join(source.choice(ALPHABET) for _ in range(length))
        chars = set(code)
        if chars & LETTERS and chars & DIGITS and code not in taken:
            return code
    raise BadCode(f"Could not find a free tracking code after {MAX_ATTEMPTS} attempts.")


def new_codes(count: int, taken: Collection[str], rng: random.Random | None = None) -> list[str]:
    """``count`` fresh codes, unique among themselves and against ``taken`` (e.g. for a migration
    that gives every existing message its code in one step)."""
    used = {c.lower() for c in taken}
    out: list[str] = []
    for _ in range(count):
        code = new_code(used, rng)
        used.add(code)
        out.append(code)
    return out
