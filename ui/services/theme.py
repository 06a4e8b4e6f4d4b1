"""Light and dark palettes, and switching between them.

Fusion plus our own palettes is the one combination that honours the system's dark mode on every
platform (and offscreen, where ``setColorScheme`` does nothing). Kept apart from start-up so the
window can follow a switch of the system's scheme without importing the application module.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from ui.services import icons


def light_palette() -> QPalette:
    """A calm light palette with the brand indigo as highlight."""
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    p.setColor(roles.Window, c("#F4F5F8"))
    p.setColor(roles.WindowText, c("#1E1F24"))
    p.setColor(roles.Base, c("#FFFFFF"))
    p.setColor(roles.AlternateBase, c("#F0F1F6"))
    p.setColor(roles.ToolTipBase, c("#FFFFF0"))
    p.setColor(roles.ToolTipText, c("#1E1F24"))
    p.setColor(roles.PlaceholderText, c("#8A8C96"))
    p.setColor(roles.Text, c("#1E1F24"))
    p.setColor(roles.Button, c("#ECEDF2"))
    p.setColor(roles.ButtonText, c("#1E1F24"))
    p.setColor(roles.BrightText, c("#C62828"))
    p.setColor(roles.Highlight, c("#3B3F8F"))
    p.setColor(roles.HighlightedText, c("#FFFFFF"))
    p.setColor(roles.Link, c("#2F5DB8"))
    p.setColor(roles.Mid, c("#C9CBD3"))
    p.setColor(roles.Midlight, c("#E2E3EA"))
    p.setColor(roles.Dark, c("#9A9CA6"))
    p.setColor(roles.Shadow, c("#6E7079"))
    _disabled(p, c("#9A9CA6"))
    return p


def dark_palette() -> QPalette:
    """A dark palette that keeps enough contrast for text and focus rings."""
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    p.setColor(roles.Window, c("#232428"))
    p.setColor(roles.WindowText, c("#E6E6EA"))
    p.setColor(roles.Base, c("#1B1C1F"))
    p.setColor(roles.AlternateBase, c("#26272C"))
    p.setColor(roles.ToolTipBase, c("#2E2F35"))
    p.setColor(roles.ToolTipText, c("#E6E6EA"))
    p.setColor(roles.PlaceholderText, c("#8C8D96"))
    p.setColor(roles.Text, c("#E6E6EA"))
    p.setColor(roles.Button, c("#2E2F35"))
    p.setColor(roles.ButtonText, c("#E6E6EA"))
    p.setColor(roles.BrightText, c("#FF8A80"))
    p.setColor(roles.Highlight, c("#6A70D6"))
    p.setColor(roles.HighlightedText, c("#FFFFFF"))
    p.setColor(roles.Link, c("#8AB4F8"))
    p.setColor(roles.Mid, c("#3A3B42"))
    p.setColor(roles.Midlight, c("#34353B"))
    p.setColor(roles.Dark, c("#151619"))
    p.setColor(roles.Shadow, c("#0E0E10"))
    _disabled(p, c("#6E6F78"))
    return p


def _disabled(p: QPalette, colour: QColor) -> None:
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, colour)


def apply_scheme(app: QApplication, dark: bool | None = None) -> bool:
    """Apply the light or dark palette (``None``: follow the system); returns whether it is dark."""
    if dark is None:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setPalette(dark_palette() if dark else light_palette())
    icons.clear_cache()  # glyphs are recoloured for the palette they are drawn on
    return dark
