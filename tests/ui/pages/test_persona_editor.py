"""Persona editor: fields commit as one undo step each, lists, portrait, messages, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from pytestqt.qtbot import QtBot

from tests.conftest import make_png
from tests.ui.a11y import unnamed_widgets
from ui.pages.persona_editor import PersonaEditor
from ui.services.controller import WorkbenchController
from ui.widgets.image_well import ImageWell
from workbench.domain.values import Context
from workbench.session import Workbench


@pytest.fixture
def editor(qtbot: QtBot, controller: WorkbenchController) -> PersonaEditor:
    e = PersonaEditor(controller)
    qtbot.addWidget(e)
    e.resize(1000, 760)
    e.show_persona(controller.workbench.find_persona("Harlan Voss").id)  # type: ignore[union-attr]
    return e


def harlan(controller: WorkbenchController):  # noqa: ANN201
    return controller.workbench.find_persona("Harlan Voss")


def test_shows_every_field(editor: PersonaEditor, controller: WorkbenchController) -> None:
    p = harlan(controller)
    assert editor.name.text() == "Harlan Voss"
    assert editor.lines["location"].text() == "Salina, Kansas"
    assert editor.story.toPlainText() == p.story
    assert editor.lists["motivations"].items() == list(p.motivations)
    assert editor.lists["dont"].items() == list(p.dont)
    assert editor.comfort.currentData() == 2
    assert editor.status.currentData() == "approved"
    assert editor.mql.toPlainText() == p.mql
    assert len(editor.messages.message_ids()) == len(controller.workbench.messages(persona_id=p.id))


def test_typing_commits_one_undo_step_per_field(editor: PersonaEditor, controller: WorkbenchController,
                                                qtbot: QtBot) -> None:
    stack = controller.undo_stack
    before = stack.count()
    editor.lines["location"].setFocus()
    editor.lines["location"].selectAll()
    qtbot.keyClicks(editor.lines["location"], "Abilene, Kansas")
    assert stack.count() == before  # nothing per keystroke
    editor.lines["location"].editingFinished.emit()
    assert stack.count() == before + 1
    assert harlan(controller).location == "Abilene, Kansas"
    assert stack.undoText() == "Edit Location"
    stack.undo()
    assert harlan(controller).location == "Salina, Kansas"
    assert editor.lines["location"].text() == "Salina, Kansas"
    stack.redo()
    assert editor.lines["location"].text() == "Abilene, Kansas"


def test_rename_label_and_blank_name_refused(editor: PersonaEditor, controller: WorkbenchController) -> None:
    editor.name.setText("Harlan J. Voss")
    editor.flush()
    assert controller.undo_stack.undoText() == "Rename Persona"
    count = controller.undo_stack.count()
    editor.name.setText("   ")
    editor.flush()
    assert controller.undo_stack.count() == count
    assert editor.name.text() == "Harlan J. Voss"


def test_story_commits_after_idle_and_preview_follows(editor: PersonaEditor, controller: WorkbenchController,
                                                      qtbot: QtBot) -> None:
    editor.story.setPlainText("Grew up in **Salina**.")
    with qtbot.waitSignal(controller.changed, timeout=5000):
        pass  # the idle debounce commits on its own
    assert harlan(controller).story == "Grew up in **Salina**."
    with qtbot.waitSignal(editor.story_preview.rendered, timeout=2000):
        editor.story_preview.set_markdown(editor.story.toPlainText())
    assert "Salina" in editor.story_preview.toPlainText() and "**" not in editor.story_preview.toPlainText()


def test_refresh_does_not_clobber_typing(editor: PersonaEditor, controller: WorkbenchController) -> None:
    from workbench.edit import commands

    editor.lines["industry"].setFocus()
    editor.lines["industry"].setText("half-typed")
    editor.lines["industry"].textEdited.emit("half-typed")
    controller.run(commands.UpdatePersona(harlan(controller).id, {"role": "President"}))
    assert editor.lines["role"].text() == "President"
    assert editor.lines["industry"].text() == "half-typed"


def test_list_field_edits(editor: PersonaEditor, controller: WorkbenchController) -> None:
    goals = editor.lists["goals"]
    n = len(goals.items())
    goals.add_item("Sleep through April")
    assert harlan(controller).goals[-1] == "Sleep through April"
    assert controller.undo_stack.undoText() == "Edit Goals"
    goals.list.setCurrentRow(len(goals.items()) - 1)
    goals.move_current(-1)
    assert harlan(controller).goals[-2] == "Sleep through April"
    goals.remove_current()
    assert len(harlan(controller).goals) == n
    goals.list.item(0).setText("Edited in place")
    assert harlan(controller).goals[0] == "Edited in place"


def test_comfort_and_status(editor: PersonaEditor, controller: WorkbenchController) -> None:
    editor.comfort.setCurrentIndex(4)
    editor.comfort.activated.emit(4)
    assert harlan(controller).technology_comfort == 4
    editor.status.setCurrentIndex(editor.status.findData("draft"))
    editor.status.activated.emit(0)
    assert harlan(controller).status == "draft"


def test_portrait_by_file_dialog(editor: PersonaEditor, controller: WorkbenchController, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    big = QImage(3000, 2000, QImage.Format.Format_RGB32)
    big.fill(Qt.GlobalColor.darkGreen)
    photo = tmp_path / "photo.bmp"  # not PNG/JPEG and too big: converted and scaled down
    big.save(str(photo))
    monkeypatch.setattr(ImageWell, "choose_file", classmethod(lambda cls, parent, title: (str(photo), True)))
    editor.portrait.choose_button.click()
    data = controller.workbench.portrait(harlan(controller).id)
    assert data is not None and data.startswith(b"\x89PNG")
    img = QImage.fromData(data)
    assert max(img.width(), img.height()) <= 1024
    assert editor.portrait.has_image() and editor.portrait.remove_button.isEnabled()
    editor.portrait.remove_button.click()
    assert controller.workbench.portrait(harlan(controller).id) is None
    assert not editor.portrait.has_image()


def test_portrait_by_drag_and_drop(editor: PersonaEditor, controller: WorkbenchController, tmp_path: Path) -> None:
    png = tmp_path / "face.png"
    png.write_bytes(make_png(8, 8))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    editor.portrait.dropEvent(event)
    assert controller.workbench.portrait(harlan(controller).id) == png.read_bytes()
    assert controller.undo_stack.undoText() == "Change Portrait"


def test_unreadable_portrait_reports(editor: PersonaEditor, controller: WorkbenchController, tmp_path: Path,
                                     qtbot: QtBot) -> None:
    bad = tmp_path / "fake.png"
    bad.write_bytes(b"not an image at all")
    with qtbot.waitSignal(controller.failed):
        editor.portrait.use_file(bad)


def test_messages_section_signals(editor: PersonaEditor, controller: WorkbenchController, qtbot: QtBot) -> None:
    ids = editor.messages.message_ids()
    with qtbot.waitSignal(editor.open_message_requested) as opened:
        group = editor.messages.tree.topLevelItem(0)
        editor.messages.tree.itemDoubleClicked.emit(group.child(0), 0)
    assert opened.args == [ids[0]]
    with qtbot.waitSignal(editor.new_message_requested) as new:
        editor.messages.new_button.click()
    assert new.args == [harlan(controller).id]


def test_story_breaches_underlined(editor: PersonaEditor) -> None:
    editor.story.setPlainText("We sent the contract.")
    pos = editor.story.toPlainText().index("contract") + 2
    assert "paperwork" in editor.story.tooltip_at(pos)


def test_unknown_persona_shows_empty_page(editor: PersonaEditor) -> None:
    editor.show_persona("no-such-id")
    assert editor.stack.currentWidget() is editor.empty


def test_deleted_persona_clears(editor: PersonaEditor, controller: WorkbenchController) -> None:
    from workbench.edit import commands

    controller.run(commands.DeletePersona(harlan(controller).id))
    assert editor.persona_id is None and editor.stack.currentWidget() is editor.empty


def test_read_only_session_disables_editing(qtbot: QtBot, sample_path: Path, ctx: Context) -> None:
    c = WorkbenchController(Workbench.open(sample_path, ctx, readonly=True))
    try:
        e = PersonaEditor(c)
        qtbot.addWidget(e)
        e.show_persona(c.workbench.find_persona("Harlan Voss").id)  # type: ignore[union-attr]
        assert e.name.isReadOnly() and e.story.isReadOnly()
        assert not e.comfort.isEnabled() and not e.portrait.choose_button.isEnabled()
        assert not e.lists["goals"].add_button.isEnabled()
        assert not e.messages.new_button.isEnabled()
        # The window's bar says it is read-only (one banner, not one per editor): see test_read_only.py
    finally:
        c.close()


def test_accessible_names(editor: PersonaEditor) -> None:
    assert unnamed_widgets(editor) == []
