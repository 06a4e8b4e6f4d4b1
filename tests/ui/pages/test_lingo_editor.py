"""Lingo editor: the table of terms, and add / edit / delete as undoable commands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.pages.lingo_editor import LingoEditor
from ui.services.controller import WorkbenchController
from ui.widgets.persona_chooser import PersonaChooser


def test_table_shows_terms(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = LingoEditor(controller)
    qtbot.addWidget(e)
    terms = controller.workbench.terms()
    assert e.table.rowCount() == len(terms)
    contract = next(t for t in terms if t.term == "contract")
    assert e.select_term(contract.id)
    assert e.term.text() == "contract" and e.replacement.text() == "paperwork"
    assert e.kind.currentData() == "avoid" and e.scope.currentData() is None
    qr = next(t for t in terms if t.term == "QR code")
    e.select_term(qr.id)
    assert e.scope.currentText() == "Only Harlan Voss"
    assert unnamed_widgets(e) == []


def pick(qtbot: QtBot, chooser: PersonaChooser, persona_id: str | None) -> None:
    """Open the chooser's list and click the row of ``persona_id`` (``None``: Everyone)."""
    chooser.showPopup()
    row = chooser.findData(persona_id) if persona_id is not None else 0
    assert row >= 0
    view = chooser.view()
    index = chooser.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert not view.isVisible()


def test_add_edit_delete_with_undo(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = LingoEditor(controller)
    qtbot.addWidget(e)
    n = len(controller.workbench.terms())
    e.new_term()
    assert len(controller.workbench.terms()) == n + 1
    e.term.setText("leverage")
    e.term.editingFinished.emit()
    e.replacement.setText("use")
    e.replacement.editingFinished.emit()
    e.note.setPlainText("Consultant-speak.")
    e._committers["note"].flush()
    t = next(t for t in controller.workbench.terms() if t.term == "leverage")
    assert (t.kind, t.replacement, t.note) == ("avoid", "use", "Consultant-speak.")
    e.kind.setCurrentIndex(e.kind.findData("define"))
    e.kind.activated.emit(0)
    assert next(x for x in controller.workbench.terms() if x.id == t.id).kind == "define"
    assert not e.replacement.isEnabled()
    harlan = controller.workbench.find_persona("Harlan Voss")
    assert harlan is not None
    pick(qtbot, e.scope, harlan.id)
    assert next(x for x in controller.workbench.terms() if x.id == t.id).persona_id == harlan.id
    assert e.scope.currentText() == "Only Harlan Voss"
    assert e.table.item(e.table.currentRow(), 3).text() == "Harlan Voss"  # type: ignore[union-attr]
    pick(qtbot, e.scope, None)
    assert next(x for x in controller.workbench.terms() if x.id == t.id).persona_id is None
    e.delete_term()
    assert len(controller.workbench.terms()) == n
    controller.undo_stack.undo()
    assert len(controller.workbench.terms()) == n + 1
    assert e.select_term(t.id)


def test_blank_term_is_refused(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = LingoEditor(controller)
    qtbot.addWidget(e)
    count = controller.undo_stack.count()
    e.term.setText("  ")
    e.term.editingFinished.emit()
    assert controller.undo_stack.count() == count
    assert e.term.text().strip()


def test_scope_finds_personas_as_you_type_and_reads_only_then(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = LingoEditor(controller)
    qtbot.addWidget(e)
    with qtbot.waitExposed(e):
        e.show()
    scope = e.scope
    assert scope.choices.reads == 0 and not scope.choices.loaded  # showing "Everyone" reads nothing
    contract = next(t for t in controller.workbench.terms() if t.term == "contract")
    assert e.select_term(contract.id) and scope.currentText() == "Everyone"
    scope.lineEdit().setFocus()
    scope.lineEdit().selectAll()
    qtbot.keyClicks(scope.lineEdit(), "voss")
    completer = scope.completer()
    assert scope.choices.reads == 1  # every name, once, on the first key
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Only Harlan Voss"
    completer.popup().setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    harlan = controller.workbench.find_persona("Harlan Voss")
    assert harlan is not None
    assert next(t for t in controller.workbench.terms() if t.id == contract.id).persona_id == harlan.id
    assert scope.currentText() == "Only Harlan Voss"
    assert controller.undo_stack.undoText() == "Edit Term"
