"""Which message a result row belongs to: the known tracking code that appears in it.

A code is read, in this order of trust, from
1. the whole value of a UTM-content column (GA4's "Session manual ad content", a CRM's "UTM Content"),
2. ``utm_content=CODE`` inside any URL or URL-parameter column (also URL-encoded, inside a redirect),
3. a bracketed ``[CODE]`` inside a name column (ad, creative, campaign, deal name).
The first known code wins: a tag the tool recorded beats a name a person typed. A code that is well
formed but not in the workbench does not match; such rows, like rows with no code at all, are kept
as unmatched — never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus

from workbench.analytics.rows import ResultRow

_UTM_CONTENT = re.compile(r"(?:^|[?&#;\s])utm_content=([^&#;\s\"'<>]*)", re.IGNORECASE)
_BRACKETED = re.compile(r"\[\s*([A-Za-z0-9]{6,8})\s*\]")


@dataclass(frozen=True)
class CodeMatch:
    """How a row matched: the code, and ``via`` — ``content``, ``url`` or ``name`` — with the text."""

    code: str
    via: str
    text: str


def _url_codes(text: str) -> Iterable[str]:
    """Every ``utm_content`` value in a URL or parameter string, decoded and lowercased; an encoded
    inner URL (``?u=https%3A%2F%2F…%26utm_content%3Dk7m2qp4``) is decoded once and searched too."""
    lowered = text.lower()
    if "utm_content" not in lowered:
        return ()
    found = [unquote_plus(m.group(1)).strip().lower() for m in _UTM_CONTENT.finditer(text)]
    if "%3d" in lowered or "%26" in lowered:
        found += [unquote_plus(m.group(1)).strip().lower() for m in _UTM_CONTENT.finditer(unquote(text))]
    return found


class Matcher:
    """Matches rows against one workbench's tracking codes (a set, compared lowercased)."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = frozenset(c.strip().lower() for c in codes)

    def find(self, row: ResultRow) -> CodeMatch | None:
        """The first known code in ``row`` by the order of trust above, with how it was found."""
        codes = self.codes
        for text in row.contents:
            code = text.strip().lower()
            if code in codes:
                return CodeMatch(code, "content", text)
        for text in row.urls:
            for code in _url_codes(text):
                if code in codes:
                    return CodeMatch(code, "url", text)
        for text in row.names:
            if "[" in text:
                for m in _BRACKETED.finditer(text):
                    code = m.group(1).lower()
                    if code in codes:
                        return CodeMatch(code, "name", text)
        return None

    def match(self, row: ResultRow) -> str | None:
        """The code ``row`` belongs to, or ``None`` (unmatched)."""
        for text in row.contents:  # the common case first, without building a CodeMatch
            code = text.strip().lower()
            if code in self.codes:
                return code
        found = self.find(row) if (row.urls or row.names) else None
        return found.code if found is not None else None
