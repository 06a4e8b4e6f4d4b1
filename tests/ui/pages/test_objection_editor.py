"""Objection editor: per persona or all, edit objection and response, count "heard again".

The table is a lazy model (ids in display order, rows read by key a page at a time), and the persona
chooser reads nothing until it is opened or typed in; the tests below check both stay lazy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.pages.objection_editor import PAGE, ObjectionEditor
from ui.services.controller import WorkbenchController
from workbench.domain.values import Context
from workbench.edit import commands
from workbench.session import FunctionCommand, Workbench
from workbench.store.unit import Tx

MANY = 600


def shown_objections(e: ObjectionEditor) -> list[str]:
    """The objection texts in the table, top to bottom."""
    return [e.model.index(r, 0).data() for r in range(e.model.rowCount())]


def test_filter_select_and_heard_again(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    assert e.model.rowCount() == len(controller.workbench.objections())
    everyone = sorted(controller.workbench.objections(), key=lambda o: (-o.heard_count, o.objection.casefold()))
    assert shown_objections(e) == [" ".join(o.objection.split()) for o in everyone]  # most heard first
    harlan = controller.workbench.find_persona("Harlan Voss")
    assert harlan is not None
    first = everyone[0]
    assert e.model.index(0, 2).data() == str(first.heard_count)
    assert e.model.index(0, 1).data() == controller.workbench.persona(first.persona_id).name  # type: ignore[union-attr]
    e.show_objections(harlan.id)
    assert e.title.text() == "Objections — Harlan Voss"
    mine = controller.workbench.objections(harlan.id)
    assert e.model.rowCount() == len(mine)
    assert e.table.isColumnHidden(1)
    o = mine[0]
    assert e.select_objection(o.id)
    assert e.objection.toPlainText() == o.objection and e.response.toPlainText() == o.response
    assert e.persona.currentText() == "Harlan Voss" and e.persona.persona_id() == harlan.id
    e.heard_button.click()
    now = next(x for x in controller.workbench.objections(harlan.id) if x.id == o.id)
    assert now.heard_count == o.heard_count + 1 and now.heard_by == "tester"
    assert f"Heard {now.heard_count} times" in e.stats.text()
    assert controller.undo_stack.undoText() == "Record Objection Heard"
    assert unnamed_widgets(e) == []
    other = next(x for x in controller.workbench.objections() if x.persona_id != harlan.id)
    assert e.select_objection(other.id) and e.persona_id is None  # switched to everyone's list
    assert e.table.selectionModel().selectedRows()[0].row() == e.model.row_of(other.id)


def test_new_edit_delete(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    priya = controller.workbench.find_persona("Priya Raman")
    assert priya is not None
    e.show_objections(priya.id)
    n = len(controller.workbench.objections(priya.id))
    e.new_objection()
    assert len(controller.workbench.objections(priya.id)) == n + 1
    assert e.model.rowCount() == n + 1 and e.objection.toPlainText() == "New objection"
    e.objection.setPlainText("Too expensive.")
    e.response.setPlainText("Compare it with one missed delivery.")
    e._committers["objection"].flush()
    e._committers["response"].flush()
    new = next(o for o in controller.workbench.objections(priya.id) if o.objection == "Too expensive.")
    assert new.response == "Compare it with one missed delivery."
    assert "Too expensive." in shown_objections(e)
    assert e._current is not None and e._current.id == new.id  # still selected after moving in the order
    e.delete_button.click()
    assert len(controller.workbench.objections(priya.id)) == n
    assert e.model.rowCount() == n and "Too expensive." not in shown_objections(e)
    controller.undo_stack.undo()
    assert len(controller.workbench.objections(priya.id)) == n + 1
    assert e.model.rowCount() == n + 1


def test_choosing_another_persona_moves_the_objection(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    with qtbot.waitExposed(e):
        e.show()
    priya = controller.workbench.find_persona("Priya Raman")
    assert priya is not None
    o = next(x for x in controller.workbench.objections() if x.persona_id != priya.id)
    assert e.select_objection(o.id)
    assert e.persona.choices.reads == 0  # the chooser shows the current persona without reading the list
    # Type part of the name: the completer offers the match; picking it moves the objection.
    e.persona.lineEdit().setFocus()
    e.persona.lineEdit().selectAll()
    qtbot.keyClicks(e.persona.lineEdit(), "riya")
    completer = e.persona.completer()
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Priya Raman"
    completer.popup().setCurrentIndex(completer.completionModel().index(0, 0))
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert next(x for x in controller.workbench.objections() if x.id == o.id).persona_id == priya.id
    assert e.persona.currentText() == "Priya Raman"
    assert e.model.index(e.model.row_of(o.id) or 0, 1).data() == "Priya Raman"
    assert controller.undo_stack.undoText() == "Edit Objection"
    # Text that names nobody is put back when the field is left.
    e.persona.lineEdit().setFocus()
    e.persona.lineEdit().selectAll()
    qtbot.keyClicks(e.persona.lineEdit(), "Nobody at all")
    e.persona.lineEdit().editingFinished.emit()
    assert e.persona.currentText() == "Priya Raman"
    assert next(x for x in controller.workbench.objections() if x.id == o.id).persona_id == priya.id


def test_persona_list_is_read_only_when_opened(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    with qtbot.waitExposed(e):
        e.show()
    chooser = e.persona
    assert chooser.choices.reads == 0 and chooser.count() == 1  # only the current persona so far
    chooser.showPopup()
    names = sorted((p.name for p in controller.workbench.persona_summaries()), key=str.casefold)
    assert [chooser.itemText(i) for i in range(chooser.count())] == names
    assert chooser.currentText() == controller.workbench.persona(e._current.persona_id).name  # type: ignore[union-attr]
    chooser.hidePopup()
    reads = chooser.choices.reads
    chooser.showPopup()  # nothing changed: nothing read again
    chooser.hidePopup()
    assert chooser.choices.reads == reads
    # A new persona: the list is forgotten (no read) and shows the newcomer when opened again.
    controller.run(commands.CreatePersona({"name": "Zelda Quist"}))
    assert chooser.choices.reads == reads and not chooser.choices.loaded
    chooser.showPopup()
    assert chooser.findText("Zelda Quist") >= 0
    chooser.hidePopup()


@pytest.fixture
def many(controller: WorkbenchController) -> Iterator[WorkbenchController]:
    """The sample plus MANY objections (one transaction), each heard a different number of times."""
    wb = controller.workbench
    pid = wb.persona_summaries(0, 1)[0].id

    def seed(tx: Tx) -> None:
        for i in range(MANY):
            commands.CreateObjection(pid, f"Objection {i:04d}", "Response " * 20,
                                     {"heard_count": 1000 + i}).apply(tx)

    wb.execute(FunctionCommand(seed, "Seed"))
    yield controller


class Reads:
    """Counts the editor's reads that grow with the file: the order and pages of rows."""

    def __init__(self, controller: WorkbenchController, monkeypatch: pytest.MonkeyPatch) -> None:
        wb = controller.workbench
        self.orders = 0
        self.rows: list[int] = []
        order, rows_for = wb.objection_order, wb.objection_rows_for

        def objection_order(*args: Any) -> Any:
            self.orders += 1
            return order(*args)

        def objection_rows_for(ids: Any) -> Any:
            self.rows.append(len(ids))
            return rows_for(ids)

        monkeypatch.setattr(wb, "objection_order", objection_order)
        monkeypatch.setattr(wb, "objection_rows_for", objection_rows_for)
        monkeypatch.setattr(wb, "objections", lambda *a: pytest.fail("the editor read every objection"))


def test_opening_reads_one_page_and_scrolling_reads_the_last(qtbot: QtBot, many: WorkbenchController,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    total = len(many.workbench.objections())
    reads = Reads(many, monkeypatch)
    e = ObjectionEditor(many)
    qtbot.addWidget(e)
    e.resize(900, 700)
    with qtbot.waitExposed(e):
        e.show()
    QApplication.processEvents()
    assert e.model.rowCount() == total  # the whole list is known: the scroll bar is true
    assert reads.orders == 1 and reads.rows == [PAGE]
    assert e.model.loaded == PAGE and e.model.pages_read == 1
    assert e.model.index(0, 0).data() == f"Objection {MANY - 1:04d}"  # most heard first
    e.table.scrollToBottom()
    e.table.viewport().repaint()
    QApplication.processEvents()
    top, bottom = e.table.rowAt(0), e.table.rowAt(e.table.viewport().height() - 1)
    assert bottom in (-1, total - 1) and top > PAGE  # at the end, far below the first page
    shown_pages = {row // PAGE for row in range(top, total)}  # one page, or the two the screen spans
    assert e.model.pages_read == 1 + len(shown_pages) and (total - 1) // PAGE in shown_pages
    assert reads.orders == 1 and sum(reads.rows) == e.model.loaded
    assert e.model.loaded == PAGE + sum(min(PAGE, total - p * PAGE) for p in shown_pages)
    assert e.model.index(total - 1, 0).data() is not None


def test_an_edit_refreshes_only_its_row(qtbot: QtBot, many: WorkbenchController,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    e = ObjectionEditor(many)
    qtbot.addWidget(e)
    with qtbot.waitExposed(e):
        e.show()
    reads = Reads(many, monkeypatch)
    target = e.model.id_at(3)
    assert e.select_objection(target)
    # A response edit: one row read again, no new order.
    many.run(commands.UpdateObjection(target, {"response": "Shorter."}))
    QApplication.processEvents()
    assert reads.orders == 0 and reads.rows == [1]
    assert e.response.toPlainText() == "Shorter."
    # Heard again: the order is read (it may move), the row again; nothing else.
    many.run(commands.RecordObjectionHeard(target))
    QApplication.processEvents()
    assert reads.orders == 1 and reads.rows == [1, 1]
    # Now heard as often as the one above it, and first of the two by text: one row up, still selected.
    assert e.model.id_at(2) == target and e.table.selectionModel().selectedRows()[0].row() == 2
    assert e._current is not None and e._current.id == target
    assert e._current.heard_count == 1000 + MANY - 4 + 1 and "Heard 1597 times" in e.stats.text()
    for _ in range(2):
        many.run(commands.RecordObjectionHeard(target))
    QApplication.processEvents()
    assert e.model.id_at(0) == target and e.table.selectionModel().selectedRows()[0].row() == 0
    assert e.model.loaded == PAGE  # every other row was kept
    assert reads.orders == 3 and reads.rows == [1, 1, 1, 1]
    # Deleting the selected objection selects the one that takes its place.
    assert e.select_objection(e.model.id_at(5))
    below = e.model.id_at(6)
    e.delete_button.click()
    assert e._current is not None and e._current.id == below == e.model.id_at(5)
    assert e.table.selectionModel().selectedRows()[0].row() == 5


def test_hidden_editor_waits_and_catches_up_when_shown(qtbot: QtBot, many: WorkbenchController,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    e = ObjectionEditor(many, host)
    target = e.model.id_at(0)
    reads = Reads(many, monkeypatch)
    many.run(commands.UpdateObjection(target, {"objection": "Renamed while hidden"}))
    many.run(commands.CreatePersona({"name": "Zelda Quist"}))
    assert reads.orders == 0 and reads.rows == []
    host.show()
    qtbot.waitUntil(lambda: reads.orders == 1)
    assert "Renamed while hidden" in shown_objections(e)
    assert reads.rows[0] == 1  # only the edited row was read again
    e.show_objections(None)  # the window's navigation after showing: nothing stale, nothing read
    assert reads.orders == 1


def test_read_only_session(qtbot: QtBot, sample_path: Path, ctx: Context) -> None:
    c = WorkbenchController(Workbench.open(sample_path, ctx, readonly=True))
    try:
        e = ObjectionEditor(c)
        qtbot.addWidget(e)
        assert e.model.rowCount() > 0 and e._current is not None
        assert e.objection.isReadOnly() and e.response.isReadOnly()
        assert not e.persona.isEnabled() and not e.heard_button.isEnabled()
        assert not e.new_button.isEnabled() and not e.delete_button.isEnabled()
        assert e.persona.currentText()
    finally:
        c.close()
