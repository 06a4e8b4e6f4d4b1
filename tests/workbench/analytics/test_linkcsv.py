"""The links CSV: the documented columns, and no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from workbench.analytics.linkcsv import LINK_COLUMNS, LinkRow, spreadsheet_safe, write_csv, write_links_csv


def test_the_links_file_has_the_documented_columns(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        count = write_links_csv(out, [
            LinkRow("m-1", "Harlan Voss", "Ads", "awareness", "k7m2qp4",
                    "https://x.example/?utm_source=google&utm_content=k7m2qp4"),
            LinkRow("m-2", "Priya Raman", "Sales script", "decision", "h3xw9ta", ""),
        ])
    assert count == 2
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == LINK_COLUMNS == ("message_id", "persona", "channel", "stage", "code", "url")
    assert rows[1][5].startswith("https://") and rows[2][5] == ""  # no landing URL: empty url


def test_a_formula_in_a_persona_name_is_written_as_text() -> None:
    out = io.StringIO()
    write_links_csv(out, [LinkRow("m-1", '=HYPERLINK("http://evil.example","click")', "Ads", "awareness",
                                  "k7m2qp4", "")])
    cell = list(csv.reader(io.StringIO(out.getvalue())))[1][1]
    assert cell == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Harlan", "", "k7m2qp4", "https://x.example/?a=1", " =not first"])
def test_ordinary_text_is_unchanged(text: str) -> None:
    assert spreadsheet_safe(text) == text


def test_the_header_goes_through_the_same_guard() -> None:
    out = io.StringIO()
    write_csv(out, ["=bad"], [["ok"]])
    assert out.getvalue().splitlines()[0] == "'=bad"
