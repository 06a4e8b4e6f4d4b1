"""Pages of a produced PDF as pixels, for print preview and printing (issue 16 item 1, the core half)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.workbench.publish.pdf.builders import build_world
from workbench.domain import errors
from workbench.publish import PlaybookOptions, export_playbook, preview
from workbench.session import Workbench


def export(path: Path, out: Path, **kw: object) -> None:
    with Workbench.open(path, readonly=True) as wb:
        for _ in export_playbook(wb, out, PlaybookOptions(**kw)):  # type: ignore[arg-type]
            pass


def test_renders_the_real_pages(small_workbench: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "p.pdf"
    export(small_workbench, pdf)
    count = preview.page_count(pdf)
    assert count >= 3 and preview.page_count(pdf.read_bytes()) == count
    cover = preview.render_page(pdf, 0, width=400)
    assert cover.width == 400 and round(cover.height / cover.width, 2) == round(842 / 595, 2)
    assert cover.stride >= 4 * cover.width and len(cover.data) == cover.stride * cover.height
    assert cover.data[:4] == bytes((0x14, 0x23, 0x2E, 0xFF))  # RGBX: the cover band's colour, opaque
    pages = list(preview.render_pages(pdf.read_bytes(), width=100, first=1))
    assert len(pages) == count - 1 and all(p.width == 100 for p in pages)
    pytest.importorskip("PIL")
    assert cover.png().startswith(b"\x89PNG")


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    with pytest.raises(errors.ValidationError, match="Could not read the PDF"):
        preview.page_count(junk)
    with pytest.raises(errors.ValidationError):
        preview.render_page(junk, 0, width=10)


def test_first_page_of_a_playbook_within_half_a_second(tmp_path: Path) -> None:
    """Print preview: export the playbook, then render its first page. 15 pages in under half a second
    (the target is 30 pages in a second; bench/bench_playbook.py prints that figure)."""
    path = build_world(tmp_path)
    pdf = tmp_path / "w.pdf"
    export(path, pdf)  # warm the fonts, as the running app would have
    start = time.perf_counter()
    export(path, pdf)
    first = preview.render_page(pdf, 0, width=900)
    elapsed = time.perf_counter() - start
    assert preview.page_count(pdf) >= 14 and first.width == 900
    assert elapsed < 0.5, f"{elapsed:.2f} s"
