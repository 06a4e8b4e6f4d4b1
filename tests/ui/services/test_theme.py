"""Light and dark palettes: switching between them, and glyphs recoloured for each."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from ui.services import icons, theme


def test_palettes_switch_between_light_and_dark(qapp: QApplication) -> None:
    assert theme.apply_scheme(qapp, dark=True)
    assert icons.is_dark()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert not theme.apply_scheme(qapp, dark=False)
    assert not icons.is_dark()
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_dark_glyphs_are_recoloured(qapp: QApplication) -> None:
    theme.apply_scheme(qapp, dark=False)
    light = icons.pixmap("persona", 16).toImage()
    theme.apply_scheme(qapp, dark=True)
    dark = icons.pixmap("persona", 16).toImage()
    theme.apply_scheme(qapp, dark=False)

    def brightest(img: QImage) -> int:
        return max(img.pixelColor(x, y).lightness() for x in range(img.width()) for y in range(img.height())
                   if img.pixelColor(x, y).alpha() > 128)

    assert brightest(dark) > brightest(light)
