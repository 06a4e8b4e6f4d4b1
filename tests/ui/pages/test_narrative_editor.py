"""Narrative editor: workbench name, organisation, logo and the brand narrative with preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import make_png
from tests.ui.a11y import unnamed_widgets
from ui.pages.narrative_editor import NarrativeEditor
from ui.services.controller import WorkbenchController
from ui.widgets.image_well import ImageWell


def test_edit_fields_and_undo(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = NarrativeEditor(controller)
    qtbot.addWidget(e)
    info = controller.workbench.info()
    assert e.name.text() == info.name and e.narrative.toPlainText() == info.narrative
    e.organization.setText("Tillwright Ltd")
    e.organization.editingFinished.emit()
    assert controller.workbench.info().organization == "Tillwright Ltd"
    assert controller.undo_stack.undoText() == "Edit Organisation"
    e.narrative.setPlainText("# Who we are\n\nFarm people.")
    with qtbot.waitSignal(e.preview.rendered, timeout=3000):
        e._committers["narrative"].flush()
    assert "Who we are" in e.preview.toPlainText() and "#" not in e.preview.toPlainText()
    assert controller.workbench.info().narrative.startswith("# Who we are")
    controller.undo_stack.undo()
    assert e.narrative.toPlainText() == info.narrative
    e.name.setText("")
    e.name.editingFinished.emit()
    assert e.name.text() == info.name
    assert unnamed_widgets(e) == []


def test_logo(qtbot: QtBot, controller: WorkbenchController, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    e = NarrativeEditor(controller)
    qtbot.addWidget(e)
    logo = tmp_path / "logo.png"
    logo.write_bytes(make_png(20, 10))
    monkeypatch.setattr(ImageWell, "choose_file", classmethod(lambda cls, p, t: (str(logo), True)))
    e.logo.choose_button.click()
    assert controller.workbench.logo() == logo.read_bytes()
    assert e.logo.has_image()
    e.logo.remove_button.click()
    assert controller.workbench.logo() is None
    controller.undo_stack.undo()
    assert e.logo.has_image()
