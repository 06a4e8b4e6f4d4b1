"""Images for the HTML playbook: scaled to the size they are shown at and embedded as ``data:`` URIs.

A portrait is shown at most 7 rem (112 CSS pixels) wide, so it is embedded at twice that — sharp on a
phone's screen, about 10 KB instead of the stored photo's hundreds. Only PNG and JPEG are accepted
(decided from the bytes), so nothing else (an SVG with scripts or links) can reach the page. Without
Pillow the stored bytes are embedded as they are when they are small enough; otherwise the initials
stand in.
"""

from __future__ import annotations

import base64
import io

from workbench.domain import images

#: Pixels on the long side: portraits are shown at 112 CSS px, logos at most 192 × 64.
PORTRAIT_PIXELS = 224
LOGO_BOX = (384, 128)
#: Larger pictures are not decoded at all (as in the PDF).
MAX_DECODE_PIXELS = 40_000_000
#: Without Pillow, stored bytes up to this size are embedded unchanged.
RAW_BYTES = 200_000


def data_uri(data: bytes | None, box: tuple[int, int]) -> tuple[str, int, int] | None:
    """``(data URI, width, height)`` of the image scaled to fit ``box`` (pixels), or None if unusable."""
    if not data:
        return None
    kind = images.kind(data)
    if kind is None:
        return None
    try:
        width, height = images.dimensions(data)
    except Exception:  # a damaged header: show the placeholder, never fail the export
        return None
    if width * height > MAX_DECODE_PIXELS or not width or not height:
        return None
    try:
        from PIL import Image
    except ImportError:
        if len(data) > RAW_BYTES:
            return None
        return _uri(kind, data), width, height
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.draft("RGB", box)  # a JPEG decodes straight at a fraction of its size
            im.load()
            alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
            out = im.convert("RGBA" if alpha else "RGB")
            out.thumbnail(box)
            buf = io.BytesIO()
            if alpha:
                out.save(buf, "PNG", optimize=False)
                kind = "png"
            else:
                out.save(buf, "JPEG", quality=82)
                kind = "jpeg"
            return _uri(kind, buf.getvalue()), out.width, out.height
    except Exception:  # a damaged image must never stop a playbook
        return None


def _uri(kind: str, data: bytes) -> str:
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"
