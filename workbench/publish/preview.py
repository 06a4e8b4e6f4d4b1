"""Pages of a produced PDF as pixels: what the app's print preview, printing and the export dialog's
live preview show — the real playbook, rendered by PDFium (``pypdfium2``), never laid out twice.

The pixels are ``RGBX`` bytes (red, green, blue, then a byte always 255), ready for
``QImage(data, width, height, stride, QImage.Format.Format_RGBX8888)``; :meth:`PageImage.png`
encodes them for anything else. pypdfium2 is imported only when a page is rendered.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.domain import errors

#: Widest page image made (pixels): a 600 dpi A4 page is ≈ 4,960 pixels wide.
MAX_WIDTH = 6_000


@dataclass(frozen=True)
class PageImage:
    """One rendered page: ``width`` × ``height`` pixels, ``stride`` bytes per row, RGBX bytes."""

    width: int
    height: int
    stride: int
    data: bytes

    def png(self) -> bytes:
        """The page as a PNG file (needs Pillow)."""
        from PIL import Image

        image = Image.frombuffer("RGBX", (self.width, self.height), self.data, "raw", "RGBX", self.stride, 1)
        buf = io.BytesIO()
        image.convert("RGB").save(buf, "PNG")
        return buf.getvalue()


def _open(pdf: Path | str | bytes) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    except pdfium.PdfiumError as exc:
        raise errors.ValidationError(f"Could not read the PDF to preview it: {exc}") from None


def page_count(pdf: Path | str | bytes) -> int:
    """How many pages the PDF has."""
    doc = _open(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _render(doc: Any, index: int, width: int) -> PageImage:
    page = doc[index]
    try:
        page_width = float(page.get_width())
        scale = max(1, min(width, MAX_WIDTH)) / page_width
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True, prefer_bgrx=True,
                             draw_annots=False)
        try:
            return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer))
        finally:
            bitmap.close()
    finally:
        page.close()


def render_page(pdf: Path | str | bytes, index: int, *, width: int) -> PageImage:
    """Page ``index`` (0-based) of ``pdf`` (a path or the file's bytes), ``width`` pixels wide.

    Raises ValidationError when the file is not a PDF or has no such page.
    """
    doc = _open(pdf)
    try:
        if not 0 <= index < len(doc):
            raise errors.ValidationError(f"The PDF has {len(doc)} pages; there is no page {index + 1}.")
        return _render(doc, index, width)
    finally:
        doc.close()


def render_pages(pdf: Path | str | bytes, *, width: int, first: int = 0, last: int | None = None) -> Iterator[PageImage]:
    """Pages ``first`` to ``last`` (0-based, inclusive; default: to the end), one at a time — for
    printing (at the printer's resolution) without holding every page's pixels at once."""
    doc = _open(pdf)
    try:
        end = len(doc) - 1 if last is None else min(last, len(doc) - 1)
        for index in range(max(first, 0), end + 1):
            yield _render(doc, index, width)
    finally:
        doc.close()
