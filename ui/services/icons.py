"""Icons from ``resources/icons``: loaded once, recoloured for dark themes, and state/portrait helpers.

The hand-drawn 16×16 glyphs use one fixed grey (#555555), which vanishes on a dark palette; rather
than ship two sets, the SVG text is recoloured at load time to the palette's text colour. Status
icons keep their own colours — their colour *is* the meaning (paired with a shape, never alone).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from workbench import resources

GLYPH_GREY = "#555555"

#: Coverage / message state → icon file (without ``.svg``), or one of :data:`BUILT_IN`.
STATE_ICON = {
    "none": "missing",
    "draft": "draft",
    "in_review": "in-review",
    "approved": "approved",
    "breach": "breach",
    "retired": "retired",
    "partial": "partial",
    "avoided": "avoided",
}

#: State → words for legends, tooltips and screen readers.
STATE_LABEL = {
    "none": "No message",
    "draft": "Draft",
    "in_review": "In review",
    "approved": "Approved",
    "breach": "Lingo breach",
    "retired": "Retired",
    "partial": "Partial",
    "avoided": "Avoided channel",
}

#: Icons of the coverage matrix's all-stages view, drawn like the files in resources/icons (16×16,
#: status colours, a shape of their own): a persona × channel pair with messages in some stages but not
#: every stage approved (a half-filled green circle), and a channel the persona avoids — not a cell at
#: all (a slashed ring).
BUILT_IN = {
    "partial": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
        '<title>Partial</title>'
        '<circle cx="8" cy="8" r="6.25" fill="none" stroke="#2E7D32" stroke-width="1.5"/>'
        '<path d="M8 1.75 a6.25 6.25 0 0 0 0 12.5 z" fill="#2E7D32"/></svg>'),
    "avoided": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">'
        '<title>Avoided channel</title>'
        '<g fill="none" stroke="#9E9E9E" stroke-width="1.5" stroke-linecap="round">'
        '<circle cx="8" cy="8" r="6.25"/><path d="M3.6 12.4 L12.4 3.6"/></g></svg>'),
}


def is_dark() -> bool:
    """Whether the current application palette is a dark one (window darker than its text)."""
    app = QApplication.instance()
    if app is None:
        return False
    pal = QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < pal.color(QPalette.ColorRole.WindowText).lightness()


@lru_cache(maxsize=64)
def _svg_text(name: str) -> str:
    if name in BUILT_IN:
        return BUILT_IN[name]
    return resources.path("icons", f"{name}.svg").read_text("utf-8")


def _render(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    ratio = 2.0  # crisp on high-DPI screens; Qt scales down on normal ones
    image = QImage(int(size * ratio), int(size * ratio), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


_cache: dict[tuple[str, bool, int], QIcon] = {}


def icon(name: str, size: int = 16) -> QIcon:
    """The icon ``name`` (file stem under resources/icons); grey glyphs follow the palette's text colour."""
    dark = is_dark()
    key = (name, dark, size)
    found = _cache.get(key)
    if found is not None:
        return found
    svg = _svg_text(name)
    glyph = GLYPH_GREY in svg
    if dark and glyph:
        svg = svg.replace(GLYPH_GREY, "#C8C8C8")
    result = QIcon()
    for s in (size, size * 2):
        result.addPixmap(_render(svg, s))
        if glyph:  # legible on the selection highlight too
            selected = _svg_text(name).replace(GLYPH_GREY, "#FFFFFF")
            result.addPixmap(_render(selected, s), QIcon.Mode.Selected)
    _cache[key] = result
    return result


def pixmap(name: str, size: int = 16) -> QPixmap:
    """A pixmap of an icon at ``size`` logical pixels."""
    return icon(name, size).pixmap(QSize(size, size))


def state_icon(state: str) -> QIcon:
    """The icon for a coverage or message state."""
    return icon(STATE_ICON.get(state, "missing"))


def clear_cache() -> None:
    """Forget rendered icons (the palette changed between light and dark)."""
    _cache.clear()


def state_colour(state: str) -> QColor:
    """A cell background for a coverage state, tinted to suit the light or dark palette."""
    light = {"none": "#FFFFFF", "draft": "#ECEFF1", "in_review": "#FFF3CD", "approved": "#DDF0DE",
             "breach": "#FBDADA", "retired": "#F0F0F0", "partial": "#EEF6EE", "avoided": "#F4F4F4"}
    dark = {"none": "#2A2A2E", "draft": "#3A3F44", "in_review": "#4A3F1C", "approved": "#1F3B24",
            "breach": "#4A2224", "retired": "#333333", "partial": "#26322A", "avoided": "#303033"}
    return QColor((dark if is_dark() else light).get(state, "#FFFFFF"))


def portrait_thumbnail(data: bytes | None, size: int, status: str | None = None) -> QPixmap:
    """A round portrait (or a placeholder glyph) with a small status badge at the lower right.

    Done once per persona and cached by the caller: decoding a full-size portrait per paint would
    make scrolling a long list stutter.
    """
    ratio = 2.0
    canvas = QPixmap(int(size * ratio), int(size * ratio))
    canvas.setDevicePixelRatio(ratio)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    image = QImage()
    if data:
        image.loadFromData(data)
    circle = QPainterPath()
    circle.addEllipse(QRectF(0.5, 0.5, size - 1, size - 1))
    if not image.isNull():
        side = min(image.width(), image.height())
        square = image.copy((image.width() - side) // 2, (image.height() - side) // 2, side, side)
        scaled = square.scaled(int(size * ratio), int(size * ratio), Qt.AspectRatioMode.IgnoreAspectRatio,
                               Qt.TransformationMode.SmoothTransformation)
        painter.setClipPath(circle)
        painter.drawImage(QRectF(0, 0, size, size), scaled)
        painter.setClipping(False)
    else:
        painter.fillPath(circle, QColor("#3B3F8F" if not is_dark() else "#5A5FB8"))
        glyph = _svg_text("persona").replace(GLYPH_GREY, "#FFFFFF")
        inner = size * 0.6
        QSvgRenderer(QByteArray(glyph.encode("utf-8"))).render(
            painter, QRectF((size - inner) / 2, (size - inner) / 2, inner, inner))
    if status:
        badge = max(10.0, size * 0.42)
        rect = QRectF(size - badge, size - badge, badge, badge)
        painter.setBrush(QApplication.palette().color(QPalette.ColorRole.Base))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(rect.adjusted(-1, -1, 1, 1))
        QSvgRenderer(QByteArray(_svg_text(STATE_ICON.get(status, "draft")).encode("utf-8"))).render(painter, rect)
    painter.end()
    return canvas


def app_icon() -> QIcon:
    """The application icon at the usual sizes."""
    svg = _svg_text("persona-workbench")
    result = QIcon()
    for s in (16, 24, 32, 48, 64, 128, 256):
        result.addPixmap(_render(svg, s))
    return result
