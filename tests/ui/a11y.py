"""Shared check for the editors' tests: every visible interactive widget has a name a screen reader reads."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_INTERACTIVE = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractItemView, QAbstractButton, QAbstractSpinBox)


def unnamed_widgets(root: QWidget) -> list[QWidget]:
    """Visible interactive widgets under ``root`` with neither an accessible name nor button text."""
    missing: list[QWidget] = []
    for kind in _INTERACTIVE:
        for w in root.findChildren(kind):
            if not w.isVisibleTo(root) or w.accessibleName():
                continue
            if isinstance(w, QAbstractButton) and w.text().strip():
                continue
            if isinstance(w.parent(), (QAbstractItemView, QComboBox, QAbstractSpinBox)):
                continue  # internal parts (viewports, line edits of combos) are named through their owner
            missing.append(w)
    return missing
