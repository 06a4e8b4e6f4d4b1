"""Markdown people paste, in the PDF (issue 16 item 5): tables as tables, code in monospace with its
indentation, images as their alt text, nested lists indented."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.workbench.publish.pdf.pdfcheck import line_of, page_text, words
from workbench.publish import PlaybookOptions, export_playbook
from workbench.session import Workbench


@pytest.fixture(scope="module")
def pasted_pdf(pasted_workbench: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pasted-pdf") / "pasted.pdf"
    with Workbench.open(pasted_workbench, readonly=True) as wb:
        for _ in export_playbook(wb, out, PlaybookOptions(invariant=True, export_date=date(2026, 11, 23))):
            pass
    return out


def all_text(pdf: Path) -> str:
    return "\n".join(page_text(pdf, n) for n in range(1, 1 + max(w.page for w in words(pdf))))


def test_tables_are_tables(pasted_pdf: Path) -> None:
    found = words(pasted_pdf)
    for row in (["Plan", "Trucks", "Price", "per", "month"], ["Starter", "up", "to", "5", "$400"],
                ["Fleet", "6–25", "$1,150"]):
        first = line_of(found, row[0])
        assert first
        line = [w.text for w in found if w.page == first[0].page and abs(w.y1 - first[0].y1) < 1]
        assert line[:len(row)] == row, line  # a row reads across one line, cell after cell
    text = all_text(pasted_pdf)
    assert "|" not in text and "---" not in text and ":-" not in text
    # Right-aligned column: the prices end at the same x.
    prices = [w for w in found if w.text in ("$400", "$1,150") and w.page == first[0].page]
    assert abs(prices[0].x1 - prices[1].x1) < 1


def test_code_keeps_indentation_in_monospace(pasted_pdf: Path) -> None:
    found = words(pasted_pdf)
    header, one, two = line_of(found, "order_id,grower,acres"), line_of(found, "1001,Faber,320"), \
        line_of(found, "1002,Kessler,145")
    assert header and one and two
    step = one[0].x0 - header[0].x0
    assert step > 5 and abs((two[0].x0 - one[0].x0) - step) < 1  # two spaces, then two more
    select, frm = line_of(found, "SELECT grower, SUM(acres)"), line_of(found, "FROM orders")
    assert frm[0].x0 - select[0].x0 > 15  # four spaces inside an indented block
    assert "```" not in all_text(pasted_pdf)
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pasted_pdf)], capture_output=True, text=True, check=True).stdout
        assert "DejaVuSansMono" in fonts


def test_images_print_as_alt_text_only(pasted_pdf: Path) -> None:
    text = all_text(pasted_pdf)
    assert "[image: A tractor at the Hastings plant]" in text and "[image]" in text
    assert "tractor.png" not in text and "/etc/passwd" not in text and "![" not in text


def test_nested_lists_step_in(pasted_pdf: Path) -> None:
    found = words(pasted_pdf)
    first, second, third = (line_of(found, t) for t in ("First level", "Second level", "Third level"))
    assert first[0].x0 + 8 < second[0].x0 and second[0].x0 + 8 < third[0].x0
    back = line_of(found, "Back at the first")
    assert abs(back[0].x0 - first[0].x0) < 1
