"""Numbers and money as export files write them: ``"1,234.56"``, ``"$38,505.53"``, ``1.234,56 €``, ``--``.

Every function raises :class:`ValueError` with a short reason; the importer turns it into a
:class:`~workbench.analytics.errors.BadValue` naming the file, row and column.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from workbench.analytics.rows import Number

#: Cells that mean "nothing here" in a metric column (Google Ads writes ``--``; Meta leaves it empty).
EMPTY = frozenset({"", "-", "--", "—", "–"})

#: Currency symbols read unambiguously. ``$`` alone is resolved by :func:`dollar_currency`.
SYMBOLS = {
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₺": "TRY", "₽": "RUB", "₪": "ILS",
    "zł": "PLN", "kč": "CZK", "fr.": "CHF", "r$": "BRL", "us$": "USD", "ca$": "CAD", "c$": "CAD",
    "a$": "AUD", "au$": "AUD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "mx$": "MXN",
}
#: Currencies written with a bare ``$``: a file of a workbench in one of these reads ``$`` as its own.
DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})

_GROUPERS = str.maketrans("", "", " \u00a0\u202f\u2009'")
_SHAPE = re.compile(r"[0-9][0-9.,' \u00a0\u202f\u2009]*|[.,][0-9]+")
_COMMA_GROUPS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
_ISO = re.compile(r"[A-Za-z]{3}")
_SIGNS = ("-", "\u2212")


def dollar_currency(default: str) -> str:
    """What a bare ``$`` means in a file: the workbench's currency when that is a dollar, else USD."""
    return default if default in DOLLAR_CURRENCIES else "USD"


def check_currency(text: str) -> str:
    """An ISO 4217-shaped code (``usd`` → ``USD``); :class:`ValueError` otherwise."""
    code = text.strip()
    if not _ISO.fullmatch(code):
        raise ValueError(f"'{text}' is not a currency code (three letters, such as USD)")
    return code.upper()


def _currency_of(token: str, dollar: str) -> str:
    """The currency a symbol or code before/after an amount names."""
    if token == "$":
        return dollar
    found = SYMBOLS.get(token.lower())
    if found is not None:
        return found
    if _ISO.fullmatch(token):
        return token.upper()
    raise ValueError("not a number")


def _digits(text: str, decimal_comma: bool) -> Decimal:
    """The amount in ``text`` (digits and separators only), deciding which separator is decimal.

    Both ``.`` and ``,`` present: the last one is the decimal mark. Only commas: thousands when they
    group by three (``1,234``) unless the file uses decimal commas (a ``;``-separated file); only
    dots: decimal unless the file uses decimal commas and they group by three (``1.234``).
    """
    if not _SHAPE.fullmatch(text):
        raise ValueError("not a number")
    plain = text.translate(_GROUPERS)
    commas, dots = plain.count(","), plain.count(".")
    if commas and dots:
        mark = "," if plain.rfind(",") > plain.rfind(".") else "."
        other = "." if mark == "," else ","
        if plain.count(mark) > 1 or plain.rfind(other) > plain.rfind(mark):
            raise ValueError("not a number")
        plain = plain.replace(other, "").replace(mark, ".")
    elif commas:
        if (not decimal_comma or commas > 1) and _COMMA_GROUPS.fullmatch(plain):
            plain = plain.replace(",", "")
        elif commas == 1:
            plain = plain.replace(",", ".")
        else:
            raise ValueError("not a number")
    elif dots > 1 or (decimal_comma and _DOT_GROUPS.fullmatch(plain)):
        if not _DOT_GROUPS.fullmatch(plain):
            raise ValueError("not a number")
        plain = plain.replace(".", "")
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise ValueError("not a number") from None


def parse_amount(text: str, *, decimal_comma: bool = False, dollar: str = "USD") -> tuple[Decimal, str]:
    """A number with an optional currency symbol or code: ``(amount, currency)``, currency ``""``
    when none is written. Accepts a sign before or after the symbol, accounting parentheses
    ``(12.50)``, and the empty markers of :data:`EMPTY` (zero)."""
    s = text.strip()
    if s in EMPTY:
        return Decimal(0), ""
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith(_SIGNS):
        negative, s = not negative, s[1:].lstrip()
    start = 0
    while start < len(s) and not (s[start].isdigit() or s[start] in ".,-\u2212"):
        start += 1
    prefix, s = s[:start].strip(), s[start:]
    if s.startswith(_SIGNS):
        negative, s = not negative, s[1:].lstrip()
    end = len(s)
    while end > 0 and not (s[end - 1].isdigit() or s[end - 1] in ".,"):
        end -= 1
    suffix, s = s[end:].strip(), s[:end].strip()
    if prefix and suffix:
        raise ValueError("not a number")
    token = prefix or suffix
    currency = _currency_of(token, dollar) if token else ""
    amount = _digits(s, decimal_comma)
    return (-amount if negative else amount), currency


def parse_count(text: str, *, decimal_comma: bool = False) -> Number:
    """A count (impressions, sessions, conversions): ``int`` when whole, else an exact ``Decimal``.

    The fast path (plain ASCII digits) is what a million GA4 rows take; ``int()`` alone would also
    accept ``1_000`` and non-ASCII digits, which no export writes.
    """
    if text.isdigit() and text.isascii():
        return int(text)
    amount, currency = parse_amount(text, decimal_comma=decimal_comma)
    if currency:
        raise ValueError("not a number (it carries a currency)")
    whole = amount.to_integral_value()
    return int(whole) if amount == whole else amount


def header_currency(header: str) -> tuple[str, str]:
    """Split ``Amount spent (EUR)`` into ``("Amount spent", "EUR")``; ``(header, "")`` otherwise.

    Only three capitals count as a currency: Meta's ``Clicks (all)`` is a different metric.
    """
    found = re.fullmatch(r"(.*?)\s*\(([A-Z]{3})\)\s*", header)
    if found is None:
        return header, ""
    return found.group(1), found.group(2)
