"""Lingo editor: the table of terms, and add / edit / delete as undoable commands."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.controller import WorkbenchController
from ui.lingo_editor import LingoEditor


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
    e.scope.setCurrentIndex(e.scope.findData(harlan.id))
    e.scope.activated.emit(0)
    assert next(x for x in controller.workbench.terms() if x.id == t.id).persona_id == harlan.id
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
