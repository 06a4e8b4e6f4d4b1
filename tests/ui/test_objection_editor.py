"""Objection editor: per persona or all, edit objection and response, count "heard again"."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.controller import WorkbenchController
from ui.objection_editor import ObjectionEditor


def test_filter_select_and_heard_again(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    assert e.table.rowCount() == len(controller.workbench.objections())
    harlan = controller.workbench.find_persona("Harlan Voss")
    e.show_objections(harlan.id)
    mine = controller.workbench.objections(harlan.id)
    assert e.table.rowCount() == len(mine)
    assert e.table.isColumnHidden(1)
    o = mine[0]
    assert e.select_objection(o.id)
    assert e.objection.toPlainText() == o.objection and e.response.toPlainText() == o.response
    e.heard_button.click()
    now = next(x for x in controller.workbench.objections(harlan.id) if x.id == o.id)
    assert now.heard_count == o.heard_count + 1 and now.heard_by == "tester"
    assert f"Heard {now.heard_count} times" in e.stats.text()
    assert controller.undo_stack.undoText() == "Record Objection Heard"
    assert unnamed_widgets(e) == []
    other = next(x for x in controller.workbench.objections() if x.persona_id != harlan.id)
    assert e.select_objection(other.id) and e.persona_id is None  # switched to everyone's list


def test_new_edit_delete(qtbot: QtBot, controller: WorkbenchController) -> None:
    e = ObjectionEditor(controller)
    qtbot.addWidget(e)
    priya = controller.workbench.find_persona("Priya Raman")
    e.show_objections(priya.id)
    n = len(controller.workbench.objections(priya.id))
    e.new_objection()
    assert len(controller.workbench.objections(priya.id)) == n + 1
    e.objection.setPlainText("Too expensive.")
    e.response.setPlainText("Compare it with one missed delivery.")
    e._committers["objection"].flush()
    e._committers["response"].flush()
    new = next(o for o in controller.workbench.objections(priya.id) if o.objection == "Too expensive.")
    assert new.response == "Compare it with one missed delivery."
    e.delete_button.click()
    assert len(controller.workbench.objections(priya.id)) == n
    controller.undo_stack.undo()
    assert len(controller.workbench.objections(priya.id)) == n + 1
