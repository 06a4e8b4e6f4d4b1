"""CSV files the app writes (``links -o LINKS.csv``), made safe to open in Excel and LibreOffice."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import TextIO

#: The columns of ``links -o LINKS.csv``, in order.
LINK_COLUMNS = ("message_id", "persona", "channel", "stage", "code", "url")

#: First characters that make a spreadsheet treat a cell as a formula (or, for tab and CR, let a
#: crafted cell smuggle one in): OWASP's CSV-injection list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class LinkRow:
    """One message's row of the links file; ``url`` is empty when the message has no landing URL."""

    message_id: str
    persona: str
    channel: str
    stage: str
    code: str
    url: str


def spreadsheet_safe(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text: a leading ``'`` when it would start a formula.

    Excel and LibreOffice both read a leading apostrophe as "this is text" and hide it, so a persona
    named ``=HYPERLINK("http://evil","x")`` shows as that text instead of a live link.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(out: TextIO, header: Iterable[str], rows: Iterable[Iterable[str]]) -> int:
    """Write a header and rows to ``out`` (opened with ``newline=""``), every cell through
    :func:`spreadsheet_safe`; return the number of rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        count += 1
    return count


def write_links_csv(out: TextIO, rows: Iterable[LinkRow]) -> int:
    """The links file: :data:`LINK_COLUMNS`, one row per message; returns the number of rows."""
    return write_csv(out, LINK_COLUMNS, (astuple(r) for r in rows))
