"""Pocket playbooks (issue 16 item 3): no contents page and no near-empty pages for one persona, and a
page budget met by leaving out the cover, contents, narrative and lingo, then the later stages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.workbench.publish.pdf.pdfcheck import bookmarks, page_text, words
from workbench.domain import errors
from workbench.publish import ExportSummary, PlaybookOptions, export_playbook
from workbench.session import Workbench

DAY = date(2026, 11, 23)
#: The text column of an A4 body page, in points from the top (25 mm to 21 mm from the bottom).
TOP, BOTTOM = 70.9, 841.9 - 59.5
#: A page whose content fills less than this share of the column is "near-empty".
NEAR_EMPTY = 0.2


def export(path: Path, out: Path, names: list[str] | None = None, **kw: object) -> ExportSummary:
    with Workbench.open(path, readonly=True) as wb:
        ids = [wb.find_persona(n).id for n in names] if names else None  # type: ignore[union-attr]
        run = export_playbook(wb, out, PlaybookOptions(persona_ids=ids, invariant=True, export_date=DAY, **kw))  # type: ignore[arg-type]
        for _ in run:
            pass
    assert run.summary is not None
    return run.summary


def fill(pdf: Path) -> list[float]:
    """How much of each page's text column holds text (the running header and footer left out)."""
    found = words(pdf)
    pages = len(PdfReader(pdf).pages)
    out = []
    for page in range(1, pages + 1):
        ys = [w.y1 for w in found if w.page == page and TOP + 4 < w.y0 < BOTTOM]
        out.append(((max(ys) if ys else TOP) - TOP) / (BOTTOM - TOP))
    return out


@pytest.mark.parametrize("name", ["Harlan Voss", "Dr. Renata Salgado", "Dwayne Tibbets"])
def test_one_persona_has_no_contents_and_no_near_empty_page(sample_workbench: Path, tmp_path: Path,
                                                            name: str) -> None:
    out = tmp_path / "one.pdf"
    export(sample_workbench, out, [name])
    titles = [t for _, t, _ in bookmarks(out)]
    assert "Contents" not in titles and titles[:3] == ["Cover", "Brand narrative", name]
    pages = fill(out)
    assert len(pages) <= 8  # 9 (8 for Dwayne Tibbets) before issue 16
    assert all(f >= NEAR_EMPTY for f in pages[1:]), pages
    if name == "Harlan Voss":  # his two-row objection table shares its page with the lingo (it stood alone)
        objections = next(p for lvl, t, p in bookmarks(out) if t == "Objection handling")
        assert next(p for lvl, t, p in bookmarks(out) if t == "Lingo") == objections


def test_a_budget_leaves_out_front_matter_then_later_stages(sample_workbench: Path, tmp_path: Path) -> None:
    seen: dict[int, tuple[str, ...]] = {}
    for budget in (6, 5, 4, 3):
        out = tmp_path / f"pocket{budget}.pdf"
        summary = export(sample_workbench, out, ["Harlan Voss"], pages=budget)
        assert summary.pages == len(PdfReader(out).pages) <= budget
        seen[budget] = summary.left_out
        assert "left out to fit: the cover" in summary.headline
    assert seen[6][:2] == ("the cover", "the brand narrative")
    assert "the lingo" in seen[5]
    assert seen[4][-1] == "the retention stage"
    assert seen[3][-3:] == ("the retention stage", "the consideration stage", "the awareness stage")
    text = "\n".join(page_text(tmp_path / "pocket4.pdf", n) for n in range(1, 5))
    assert "First call after the guide" in text and "First-season check-in" not in text
    assert "Messages for the retention stage are left out of this pocket playbook." in text
    assert "Harlan Voss" in page_text(tmp_path / "pocket4.pdf", 1)  # no cover: the persona comes first


def test_a_budget_that_fits_leaves_nothing_out(sample_workbench: Path, tmp_path: Path) -> None:
    summary = export(sample_workbench, tmp_path / "roomy.pdf", ["Harlan Voss"], pages=40)
    assert summary.left_out == () and "left out" not in summary.headline
    assert "Cover" in [t for _, t, _ in bookmarks(tmp_path / "roomy.pdf")]


def test_a_budget_too_small_for_the_essentials_fails_clearly(sample_workbench: Path, tmp_path: Path) -> None:
    with pytest.raises(errors.ValidationError, match=r"2 pages are too few for 1 persona.*take 3 pages"):
        export(sample_workbench, tmp_path / "tiny.pdf", ["Harlan Voss"], pages=2)
    with pytest.raises(errors.ValidationError, match="page budget"):
        export(sample_workbench, tmp_path / "zero.pdf", ["Harlan Voss"], pages=0)
    with pytest.raises(errors.ValidationError, match="no pages"):
        export(sample_workbench, tmp_path / "web.html", ["Harlan Voss"], pages=4)
    assert not list(tmp_path.iterdir())


def test_several_personas_in_a_budget(sample_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "three.pdf"
    summary = export(sample_workbench, out, pages=10)
    assert len(PdfReader(out).pages) <= 10 and summary.personas == 3
    assert summary.left_out[:4] == ("the cover", "the contents", "the brand narrative", "the lingo")


def test_preview_pages_stop_early_and_say_no_total(sample_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview.pdf"
    export(sample_workbench, out, preview_pages=2)
    pages = len(PdfReader(out).pages)
    assert 2 <= pages < 17
    assert "page 2" in page_text(out, 2) and " of " not in page_text(out, 2).split("page 2", 1)[1][:5]
