"""Small custom flowables and table helpers shared by the playbook's sections."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Table

from workbench.domain import errors, images
from workbench.publish.pdf.styles import ACCENT, ACCENT_SOFT, RULE, TINT, color, table_style

#: Images are scaled to at most this many pixels on their long side before embedding.
MAX_IMAGE_PIXELS_SIDE = 700
#: A JPEG up to twice that size and this many bytes is embedded as it is (decoding and re-encoding it
#: would cost more than it saves).
PASS_THROUGH_BYTES = 160_000
#: Larger images (in pixels) are not decoded at all: a placeholder is shown instead.
MAX_DECODE_PIXELS = 40_000_000


def load_image(data: bytes | None, max_side: int = MAX_IMAGE_PIXELS_SIDE) -> ImageReader | None:
    """PNG/JPEG bytes → an RGB image of at most ``max_side`` pixels a side, ready to embed, or None if
    unusable (never raises)."""
    if not data:
        return None
    try:
        width, height = images.dimensions(data)
        if width * height > MAX_DECODE_PIXELS:
            return None
        if images.kind(data) == "jpeg" and max(width, height) <= 2 * max_side and len(data) <= PASS_THROUGH_BYTES:
            return ImageReader(io.BytesIO(data))  # small enough already: embedded as it is, not re-encoded
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            im.draft("RGB", (max_side, max_side))  # cheap JPEG downscale
            im.load()
            if im.mode in ("RGBA", "LA", "P", "PA"):
                rgba = im.convert("RGBA")
                flat = Image.new("RGB", rgba.size, (255, 255, 255))
                flat.paste(rgba, mask=rgba.getchannel("A"))
                out = flat
            else:
                out = im.convert("RGB")
            out.thumbnail((max_side, max_side))
            buf = io.BytesIO()
            out.save(buf, "JPEG", quality=88, optimize=False)
        buf.seek(0)
        return ImageReader(buf)
    except (errors.WorkbenchError, OSError, ValueError, SyntaxError, MemoryError, ImportError, EOFError):
        return None
    except Exception:  # a damaged image must never stop a playbook; show the placeholder
        return None


class Portrait(Flowable):  # type: ignore[misc]
    """A square portrait with rounded corners, or a tile with the persona's initials (any script)."""

    def __init__(self, image: ImageReader | None, initials: Flowable, size: float) -> None:
        super().__init__()
        self.image = image
        self.initials = initials
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """A square."""
        return self.size, self.size

    def draw(self) -> None:
        """Clip to a rounded square; cover-fit the image, else draw the initials centred."""
        canv = self.canv
        s = self.size
        canv.saveState()
        path = canv.beginPath()
        path.roundRect(0, 0, s, s, 6)
        canv.clipPath(path, stroke=0, fill=0)
        if self.image is not None:
            iw, ih = self.image.getSize()
            scale = max(s / iw, s / ih)
            w, h = iw * scale, ih * scale
            canv.drawImage(self.image, (s - w) / 2, (s - h) / 2, w, h)
        else:
            canv.setFillColor(color(ACCENT_SOFT))
            canv.rect(0, 0, s, s, stroke=0, fill=1)
            _, h = self.initials.wrap(s, s)
            self.initials.drawOn(canv, 0, (s - h) / 2)
        canv.restoreState()


class Logo(Flowable):  # type: ignore[misc]
    """The workbench logo on a white rounded tile, fitted inside ``max_w`` × ``max_h``."""

    def __init__(self, image: ImageReader, max_w: float, max_h: float) -> None:
        super().__init__()
        self.image = image
        iw, ih = image.getSize()
        scale = min(max_w / iw, max_h / ih)
        self.w, self.h = iw * scale, ih * scale
        self.pad = 8.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Image plus padding."""
        return self.w + 2 * self.pad, self.h + 2 * self.pad

    def draw(self) -> None:
        """Tile, then image."""
        canv = self.canv
        canv.saveState()
        canv.setFillColor(color("#ffffff"))
        canv.roundRect(0, 0, self.w + 2 * self.pad, self.h + 2 * self.pad, 5, stroke=0, fill=1)
        canv.drawImage(self.image, self.pad, self.pad, self.w, self.h)
        canv.restoreState()


def card(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, background: str = TINT,
         bar: str | None = None, padding: float = 10, extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A tinted panel (optionally with a coloured left bar) that may split across pages by row."""
    t = Table([list(r) for r in rows], colWidths=list(widths), splitInRow=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), color(background)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), padding), ("BOTTOMPADDING", (0, -1), (-1, -1), padding),
    ]
    if bar:
        commands.append(("LINEBEFORE", (0, 0), (0, -1), 3, color(bar)))
    commands.extend(extra)
    t.setStyle(table_style(commands))
    return t


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
         head_colour: str = ACCENT) -> Table:
    """A data table: coloured header row repeated on every page, hairlines, zebra rows."""
    t = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1 if header else 0,
              splitInRow=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, color(RULE)),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), color(head_colour)),
                     ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, 0), (-1, 0), 5)]
    commands.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [color("#ffffff"), color("#f6f7f8")]))
    t.setStyle(table_style(commands))
    return t


class BottomAligned(Flowable):  # type: ignore[misc]
    """Takes all the height offered and draws its flowables stacked at the bottom of it."""

    def __init__(self, flowables: Sequence[Flowable]) -> None:
        super().__init__()
        self.flowables = list(flowables)
        self._sizes: list[tuple[float, float]] = []
        self._height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """Everything offered (content taller than that is clipped by the caller's bounds)."""
        self._sizes = [f.wrap(available_width, available_height) for f in self.flowables]
        content = sum(h + f.getSpaceBefore() + f.getSpaceAfter() for f, (_, h) in zip(self.flowables, self._sizes, strict=True))
        self._height = max(available_height, content)
        return available_width, self._height

    def draw(self) -> None:
        """Stack from the top of the content block down."""
        content = sum(h + f.getSpaceBefore() + f.getSpaceAfter() for f, (_, h) in zip(self.flowables, self._sizes, strict=True))
        y = content
        for f, (_, h) in zip(self.flowables, self._sizes, strict=True):
            y -= f.getSpaceBefore() + h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()
