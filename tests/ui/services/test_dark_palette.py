"""Editors pick colours for the palette they are shown in, and follow a switch to dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.pages.message_editor import MessageEditor
from ui.services.controller import WorkbenchController
from ui.widgets.revision_history import word_diff


def _dark() -> QPalette:
    p = QPalette(QApplication.palette())
    for role, colour in ((QPalette.ColorRole.Window, "#232428"), (QPalette.ColorRole.WindowText, "#E6E6EA"),
                         (QPalette.ColorRole.Base, "#1B1C1F"), (QPalette.ColorRole.Text, "#E6E6EA")):
        p.setColor(role, QColor(colour))
    return p


def test_message_editor_restyles_on_palette_change(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = MessageEditor(controller)
    qtbot.addWidget(e)
    e.show_message(controller.workbench.messages()[0].id)
    light_panel, light_badge = e.in_force.styleSheet(), e.status_badge.styleSheet()
    e.setPalette(_dark())  # a PaletteChange event, as when the system switches to dark
    assert e.in_force.styleSheet() != light_panel and "#81C784" in e.in_force.styleSheet()
    assert e.status_badge.styleSheet() != light_badge


def test_diff_colours_for_dark() -> None:
    light = word_diff("Sign the contract", "Sign the paperwork")
    dark = word_diff("Sign the contract", "Sign the paperwork", dark=True)
    assert "#FDDCDC" in light[0] and "#FDDCDC" not in dark[0] and "#5C2326" in dark[0]
