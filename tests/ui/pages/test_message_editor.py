"""Message editor: live lingo underlines with quick fix, approval with override, in-force text, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.pages.message_editor import MessageEditor
from ui.services.controller import WorkbenchController
from ui.widgets.override_dialog import OverrideDialog
from ui.widgets.revision_history import RevisionHistoryDialog
from workbench.domain.values import Context, MessageView
from workbench.edit import commands
from workbench.session import Workbench


def harlan_message(controller: WorkbenchController, status: str = "approved") -> MessageView:
    p = controller.workbench.find_persona("Harlan Voss")
    assert p is not None
    return next(m for m in controller.workbench.messages(persona_id=p.id) if m.status == status)


@pytest.fixture
def editor(qtbot: QtBot, controller: WorkbenchController) -> MessageEditor:
    e = MessageEditor(controller)
    qtbot.addWidget(e)
    e.resize(1000, 760)
    return e


def underlined(edit, start: int, end: int) -> bool:  # noqa: ANN001
    block = edit.document().findBlock(start)
    rel_start, rel_end = start - block.position(), end - block.position()
    return any(f.start <= rel_start and f.start + f.length >= rel_end
               and f.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
               for f in block.layout().formats())


def test_banned_word_underlined_with_tooltip_and_quick_fix(editor: MessageEditor, controller: WorkbenchController,
                                                          qtbot: QtBot) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    editor.body.setFocus()
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.body, " Sign the contract today.")
    text = editor.body.toPlainText()
    start = text.rindex("contract")
    assert underlined(editor.body, start, start + len("contract"))
    assert "say “paperwork” instead" in editor.body.tooltip_at(start + 3)
    editor.refresh_breach_list()
    assert any("contract" in editor.breach_list.item(i).text() for i in range(editor.breach_list.count()))
    actions = editor.body.quick_fix_actions(start + 3)
    assert actions[0].text() == "Replace with ‘paperwork’"
    actions[0].trigger()
    assert "Sign the paperwork today." in editor.body.toPlainText()
    assert "Sign the paperwork today." in controller.workbench.message(m.id).body  # committed at once
    assert not underlined(editor.body, start, start + len("paperwork"))


def test_headline_is_one_line_and_underlines(editor: MessageEditor, controller: WorkbenchController,
                                             qtbot: QtBot) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    editor.headline.setFocus()
    editor.headline.selectAll()
    qtbot.keyClicks(editor.headline, "Contract season")
    qtbot.keyClick(editor.headline, "\r")
    assert "\n" not in editor.headline.toPlainText()
    assert controller.workbench.message(m.id).headline == "Contract season"
    assert underlined(editor.headline, 0, len("Contract"))
    fix = editor.headline.quick_fix_actions(2)[0]
    assert fix.text() == "Replace with ‘Paperwork’"  # the case of the word it replaces


def test_persona_scoped_term_and_dont_list(editor: MessageEditor, controller: WorkbenchController) -> None:
    editor.show_message(harlan_message(controller).id)
    editor.cta.setPlainText("Scan the QR code to disrupt your day")
    assert "a short web address" in editor.cta.tooltip_at(editor.cta.toPlainText().index("QR") + 1)
    assert "don't list" in editor.cta.tooltip_at(editor.cta.toPlainText().index("disrupt") + 1)


def test_edit_approved_makes_draft_with_text_in_force(editor: MessageEditor, controller: WorkbenchController) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    assert editor.in_force.isHidden()
    assert "Approved by" in editor.approval.text()
    editor.headline.setPlainText("A fresh headline")
    editor.flush()
    now = controller.workbench.message(m.id)
    assert now.status == "draft" and now.in_force is not None and now.in_force.headline == m.headline
    assert not editor.in_force.isHidden()
    assert m.headline in editor.in_force_text.text()
    assert editor.approve_button.isEnabled() and editor.review_button.isEnabled()
    assert not editor.draft_button.isEnabled()


def test_approve_blocked_then_override(editor: MessageEditor, controller: WorkbenchController,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    editor.body.setPlainText("Please sign the contract.")
    editor.flush()
    asked: list[tuple[object, ...]] = []

    def refuse(cls: type, parent: object, breaches: tuple[object, ...]) -> tuple[str, bool]:
        asked.append(tuple(breaches))
        return "", False

    monkeypatch.setattr(OverrideDialog, "get_reason", classmethod(refuse))
    assert not editor.set_status("approved")
    assert asked and controller.workbench.message(m.id).status == "draft"

    monkeypatch.setattr(OverrideDialog, "get_reason",
                        classmethod(lambda cls, parent, breaches: ("Legal requires the word", True)))
    editor.approve_button.click()
    now = controller.workbench.message(m.id)
    assert now.status == "approved" and now.override_reason == "Legal requires the word"
    assert now.approved_by == "tester"
    assert "Legal requires the word" in editor.approval.text()
    assert controller.undo_stack.undoText() == "Approve Message"


def test_status_flow_buttons(editor: MessageEditor, controller: WorkbenchController) -> None:
    m = harlan_message(controller, "approved")
    controller.run(commands.SetMessageStatus(m.id, "draft"))
    editor.show_message(m.id)
    assert not editor.draft_button.isEnabled()
    editor.review_button.click()
    assert controller.workbench.message(m.id).status == "in_review"
    assert editor.draft_button.isEnabled() and not editor.review_button.isEnabled()
    editor.approve_button.click()
    assert controller.workbench.message(m.id).status == "approved"
    editor.retire_button.click()
    assert controller.workbench.message(m.id).status == "retired"
    assert [b.isEnabled() for b in (editor.review_button, editor.approve_button, editor.retire_button,
                                    editor.draft_button)] == [False, False, False, True]


def test_undo_redo_through_the_stack(editor: MessageEditor, controller: WorkbenchController) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    stack = controller.undo_stack
    editor.cta.setPlainText("Call us")
    editor.flush()
    assert stack.undoText() == "Edit Message Call to action"
    stack.undo()
    assert editor.cta.toPlainText() == m.call_to_action
    assert controller.workbench.message(m.id).status == "approved"
    stack.redo()
    assert editor.cta.toPlainText() == "Call us"


def test_channel_and_stage(editor: MessageEditor, controller: WorkbenchController) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    idx = editor.stage.findData("retention")
    editor.stage.setCurrentIndex(idx)
    editor.stage.activated.emit(idx)
    assert controller.workbench.message(m.id).stage == "retention"
    ads = editor.channel.findText("Ads")
    editor.channel.setCurrentIndex(ads)
    editor.channel.activated.emit(ads)
    assert controller.workbench.message(m.id).channel_name == "Ads"
    editor.refresh_breach_list()  # Harlan avoids Ads: the channel itself is a breach
    assert any("Ads" in editor.breach_list.item(i).text() for i in range(editor.breach_list.count()))


def test_history_and_persona_link(editor: MessageEditor, controller: WorkbenchController, qtbot: QtBot,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    opened: list[str] = []
    monkeypatch.setattr(RevisionHistoryDialog, "open_for",
                        classmethod(lambda cls, parent, c, mid: opened.append(mid)))
    editor.history_button.click()
    assert opened == [m.id]
    with qtbot.waitSignal(editor.open_persona_requested) as sig:
        editor.persona_button.click()
    assert sig.args == [m.persona_id]


def test_delete_with_confirmation(editor: MessageEditor, controller: WorkbenchController,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    m = harlan_message(controller)
    editor.show_message(m.id)
    monkeypatch.setattr(MessageEditor, "confirm_delete", classmethod(lambda cls, p, h: False))
    editor.delete_button.click()
    assert controller.workbench.message(m.id) is not None
    monkeypatch.setattr(MessageEditor, "confirm_delete", classmethod(lambda cls, p, h: True))
    editor.delete_button.click()
    assert controller.workbench.message(m.id) is None
    assert editor.stack.currentWidget() is editor.empty
    controller.undo_stack.undo()
    assert controller.workbench.message(m.id) is not None


def test_new_term_underlines_open_editor(editor: MessageEditor, controller: WorkbenchController) -> None:
    editor.show_message(harlan_message(controller).id)
    editor.body.setPlainText("A tailgate chat.")
    controller.run(commands.CreateTerm("tailgate", "avoid", "yard visit"))
    assert "yard visit" in editor.body.tooltip_at(4)


def test_read_only(qtbot: QtBot, sample_path: Path, ctx: Context) -> None:
    c = WorkbenchController(Workbench.open(sample_path, ctx, readonly=True))
    try:
        e = MessageEditor(c)
        qtbot.addWidget(e)
        e.show_message(harlan_message(c).id)
        assert e.headline.isReadOnly() and e.body.isReadOnly() and not e.channel.isEnabled()
        assert not any(b.isEnabled() for b in (e.review_button, e.approve_button, e.retire_button,
                                               e.draft_button, e.delete_button))
        assert e.history_button.isEnabled()
        assert e.body.quick_fix_actions(0) == []
    finally:
        c.close()


def test_accessible_names(editor: MessageEditor, controller: WorkbenchController) -> None:
    editor.show_message(harlan_message(controller).id)
    assert unnamed_widgets(editor) == []
