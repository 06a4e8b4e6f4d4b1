"""Channel editor: rename, guidance, reorder, add, delete with a confirmation naming the message count."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.pages.channel_editor import ChannelEditor
from ui.services.controller import WorkbenchController
from workbench.edit import commands


@pytest.fixture
def editor(qtbot: QtBot, controller: WorkbenchController) -> ChannelEditor:
    e = ChannelEditor(controller)
    qtbot.addWidget(e)
    return e


def names(controller: WorkbenchController) -> list[str]:
    return [c.name for c in controller.workbench.channels()]


def test_rename_guidance_and_move(editor: ChannelEditor, controller: WorkbenchController) -> None:
    first = names(controller)[0]
    editor.list.setCurrentRow(0)
    editor.name.setText("Paid ads")
    editor.name.editingFinished.emit()
    assert names(controller)[0] == "Paid ads"
    assert controller.undo_stack.undoText() == "Rename Channel"
    editor.guidance.setPlainText("Short.")
    editor._committers["guidance"].flush()
    assert controller.workbench.channels()[0].guidance == "Short."
    editor.move_channel(1)
    assert names(controller)[1] == "Paid ads"
    assert editor.list.currentRow() == 1
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert names(controller)[0] == first
    assert unnamed_widgets(editor) == []


def test_duplicate_name_is_refused(editor: ChannelEditor, controller: WorkbenchController, qtbot: QtBot) -> None:
    editor.list.setCurrentRow(0)
    editor.name.setText(names(controller)[1])
    with qtbot.waitSignal(controller.failed):
        editor.name.editingFinished.emit()
    assert editor.name.text() == names(controller)[0]


def test_add_and_delete_with_count(editor: ChannelEditor, controller: WorkbenchController,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    n = len(names(controller))
    editor.add_channel()
    assert names(controller)[-1] == "New channel" and editor.name.text() == "New channel"
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(ChannelEditor, "confirm_delete",
                        classmethod(lambda cls, p, name, count: asked.append((name, count)) or False))
    editor.list.setCurrentRow(0)
    ads = controller.workbench.channels()[0]
    count = len(controller.workbench.messages(channel_id=ads.id))
    editor.delete_button.click()
    assert asked == [(ads.name, count)] and count > 0
    assert len(names(controller)) == n + 1
    monkeypatch.setattr(ChannelEditor, "confirm_delete", classmethod(lambda cls, p, name, count: True))
    editor.delete_button.click()
    assert ads.name not in names(controller)
    assert controller.workbench.messages(channel_id=ads.id) == []
    controller.undo_stack.undo()
    assert len(controller.workbench.messages(channel_id=ads.id)) == count


def test_message_counts_come_from_a_worker(qtbot: QtBot, controller: WorkbenchController,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wb = controller.workbench
    gui = threading.get_ident()
    counted_on: list[int] = []
    count = wb.message_counts_by_channel

    def counting() -> dict[str, int]:
        counted_on.append(threading.get_ident())
        return count()

    monkeypatch.setattr(wb, "message_counts_by_channel", counting)
    e = ChannelEditor(controller)
    qtbot.addWidget(e)
    assert counted_on == []  # showing the list never waits for the count
    assert e.list.item(0).text().endswith("counting messages…")
    ads = wb.channels()[0]
    n = len(wb.messages(channel_id=ads.id))
    qtbot.waitUntil(lambda: e.list.item(0).text() == f"{ads.name}\n{n} messages")
    assert counted_on and gui not in counted_on
    # Renaming a channel keeps the counts; moving a message to another channel counts again.
    e.list.setCurrentRow(0)
    e.name.setText("Paid ads")
    e.name.editingFinished.emit()
    assert e.list.item(0).text() == f"Paid ads\n{n} messages" and len(counted_on) == 1
    other = wb.channels()[1]
    m = wb.messages(channel_id=ads.id)[0]
    controller.run(commands.UpdateMessage(m.id, {"channel_id": other.id}))
    qtbot.waitUntil(lambda: e.list.item(0).text() == f"Paid ads\n{n - 1} messages")
    assert len(counted_on) == 2 and gui not in counted_on
    assert e.message_count(ads.id) == n - 1 and len(counted_on) == 2  # the shown counts are current
