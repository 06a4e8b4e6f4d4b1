"""The one-page persona sheet (issue 16 item 2): exactly one page per persona, shortened with "…",
never overflowing, and the summary says what was shortened."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.workbench.publish.pdf.pdfcheck import bookmarks, page_text, words
from workbench.domain import errors
from workbench.publish import ExportSummary, PlaybookOptions, export_playbook
from workbench.publish.pdf.fit import cut, share, share_lines
from workbench.publish.pdf.fonts import Span
from workbench.session import Workbench

DAY = date(2026, 11, 23)


def sheet(path: Path, out: Path, **kw: object) -> ExportSummary:
    with Workbench.open(path, readonly=True) as wb:
        run = export_playbook(wb, out, PlaybookOptions(sheet=True, invariant=True, export_date=DAY, **kw))  # type: ignore[arg-type]
        for _ in run:
            pass
    assert run.summary is not None
    return run.summary


def test_one_page_per_persona_with_what_a_rep_needs(sample_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets.pdf"
    summary = sheet(sample_workbench, out, include_drafts=True)
    assert len(PdfReader(out).pages) == 4 == summary.pages and summary.kind == "sheet"
    assert [t for level, t, _ in bookmarks(out)] == ["Dr. Renata Salgado", "Dwayne Tibbets", "Harlan Voss",
                                                     "Priya Raman"]
    text = page_text(out, 3)  # Harlan Voss
    for expected in ("THEIR STORY", "MOTIVATIONS", "WORRIES", "DO", "DON’T", "HOW TO SOUND", "MQL", "SQL",
                     "TOP OBJECTIONS", "HEADLINE PER CHANNEL", "“My drivers won’t use it.”", "heard 9×",
                     "From one family business to another", "First call after the guide", "page 3 of 4"):
        assert expected in text, expected
    assert "Priya Raman" in page_text(out, 4) and "DRAFT" in page_text(out, 4)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_huge_persona_still_takes_exactly_one_page(huge_workbench: Path, tmp_path: Path, paper: str) -> None:
    out = tmp_path / "huge.pdf"
    summary = sheet(huge_workbench, out, paper=paper)
    assert len(PdfReader(out).pages) == 2
    found = words(out)
    for page in (1, 2):
        text = page_text(out, page)
        assert "…" in text and "HUGEWORD" in text and re.search(r"\+ 14\d more", text)
        # Nothing runs into the footer: every other word ends above the footer's line.
        on_page = [w for w in found if w.page == page]
        marker = next(w for w in on_page if w.text == "One-page")
        footer = [w for w in on_page if abs(w.y1 - marker.y1) < 2]
        assert any(w.text == "page" for w in footer)
        body = [w for w in on_page if w not in footer]
        assert max(w.y1 for w in body) < min(w.y0 for w in footer) - 3
    assert len(summary.shortened) == 2
    note = summary.notes[0]
    assert note.startswith("Huge Persona 0") and "story" in note and re.search(r"motivations \(\d of 150 shown\)", note)
    assert "shortened to fit on 2 sheets" in summary.headline


def test_every_script_and_fonts_embedded(world_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "world.pdf"
    sheet(world_workbench, out)
    assert len(PdfReader(out).pages) == 7
    text = "\n".join(page_text(out, n) for n in range(1, 8))
    for name in ("Harlan Voss", "田中", "김민준", "สมชาย"):
        assert name in text
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
        assert "Helvetica" not in fonts
        assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded


def test_sheet_options_that_cannot_work(small_workbench: Path, tmp_path: Path) -> None:
    with pytest.raises(errors.ValidationError, match="page budget"):
        sheet(small_workbench, tmp_path / "x.pdf", pages=3)
    with pytest.raises(errors.ValidationError, match="PDF"):
        sheet(small_workbench, tmp_path / "x.html")
    with Workbench.open(small_workbench, readonly=True) as wb:
        empty = export_playbook(wb, tmp_path / "none.pdf", PlaybookOptions(sheet=True, persona_ids=[]))
        with pytest.raises(errors.ValidationError, match="no personas"):
            list(empty)
    assert not list(tmp_path.iterdir())


def test_fitting_helpers() -> None:
    spans = [Span("Hello brave "), Span("new world", bold=True)]
    assert "".join(s.text for s in cut(spans, 15)) == "Hello brave new…"
    assert cut(spans, 15)[-1].bold is True and cut(spans, 11)[-1].text == "Hello brave…"
    assert "".join(s.text for s in cut([Span("alpha beta gamma")], 13)) == "alpha beta…"
    assert share([10, 50, 100], [5, 5, 5], 200) == [10, 50, 100]
    shared = share([10, 50, 100], [5, 5, 5], 100)
    assert shared[0] == 10 and abs(sum(shared) - 100) < 0.01 and abs(shared[1] - shared[2]) < 0.01
    assert sum(share([100, 100], [80, 80], 100)) <= 100.01  # even the least is scaled to fit
    assert share_lines([1, 5, 9], 9) == [1, 4, 4]
    assert share_lines([2, 2], 10) == [2, 2]
