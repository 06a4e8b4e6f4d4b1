"""Issue 4 "Done when", end to end through the real MainWindow, the way a first-time user goes:

open an empty workbench → New Persona → name, story, portrait → an avoided term "contract" →
messages on all four channels from the coverage matrix → a banned word underlined and quick-fixed →
approve everything → the matrix turns green → Edit ▸ Undo / Redo → export a real playbook PDF.

Only the modal dialogs are stubbed (the conftest refuses every real one); every edit goes through
the widgets and the window's actions, and every wait is on a signal or a condition.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCharFormat
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.conftest import make_png
from tests.ui.shell.test_main_window import open_window
from ui.pages.coverage_view import ROLE_STATE, CoverageView
from ui.pages.lingo_editor import LingoEditor
from ui.pages.message_editor import MessageEditor
from ui.pages.persona_editor import PersonaEditor
from ui.services import icons
from ui.shell import file_actions, prompts
from ui.shell.export_dialog import ExportDialog
from ui.shell.main_window import MainWindow
from ui.widgets.image_well import ImageWell
from workbench.schema.fileformat import STAGES

NAME = "Harriet Lindqvist"
STORY = ("Harriet runs a **family seed store** in Salina.\n\n"
         "She reads every letter that comes on good paper and distrusts anything that sounds like a lawyer.")
TYPED_HEADLINE = "No contract surprises"
FIXED_HEADLINE = "No paperwork surprises"
HEADLINES = {"Ads": "Seed that knows your soil", "PR": "A Salina store turns fifty",
             "Sales script": "Ask about last season first"}


def _wavy_underlined(edit, start: int, end: int) -> bool:  # noqa: ANN001 - a LingoTextEdit
    block = edit.document().findBlock(start)
    rel_start, rel_end = start - block.position(), end - block.position()
    return any(f.start <= rel_start and f.start + f.length >= rel_end
               and f.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
               for f in block.layout().formats())


def _edit_action(window: MainWindow, prefix: str) -> QAction:
    """The Edit menu's Undo or Redo action, found the way a user finds it: in the menu."""
    menu = window.edit_menu
    for action in menu.actions():
        if action.text().replace("&", "").startswith(prefix):
            return action
    raise AssertionError(f"no {prefix}… action in the Edit menu: {[a.text() for a in menu.actions()]}")


def _type_line(qtbot: QtBot, edit, text: str) -> None:  # noqa: ANN001 - QLineEdit or one-line LingoTextEdit
    """Replace a one-line field's text by typing, then press Enter (which commits it)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _double_click_cell(qtbot: QtBot, view: CoverageView, row: int, column: int) -> None:
    index = view.model.index(row, column)
    view.table.scrollTo(index)
    rect = view.table.visualRect(index)
    assert rect.isValid(), "the matrix cell is not laid out"
    # A real double-click starts with a press: QTest's mouseDClick alone never sets the view's
    # pressed index, so click first (as tests/ui/test_coverage_view.py does).
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_first_run_flow(qtbot: QtBot, wb_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --- open the empty workbench -------------------------------------------------------------
    window = open_window(qtbot, wb_path)
    c = window.controller
    assert c is not None and c.workbench.persona_count() == 0
    channel_names = [ch.name for ch in c.workbench.channels()]
    assert channel_names == ["Ads", "PR", "Direct mail", "Sales script"]

    # --- New Persona, name and story ----------------------------------------------------------
    window.actions_["new_persona"].trigger()
    assert c.workbench.persona_count() == 1
    editor = window.nav.page("persona")
    assert isinstance(editor, PersonaEditor)
    assert window.stack.currentWidget() is editor
    pid = window.current_persona
    assert pid is not None and editor.persona_id == pid
    assert editor.name.text() == "New persona"

    _type_line(qtbot, editor.name, NAME)  # Enter → editingFinished → one UpdatePersona
    assert c.workbench.persona(pid).name == NAME  # type: ignore[union-attr]
    assert _edit_action(window, "Undo").text().replace("&", "") == "Undo Rename Persona"

    editor.story.setFocus()
    for i, paragraph in enumerate(STORY.split("\n")):  # QTest.keyClicks aborts on "\n": press Enter
        if i:
            qtbot.keyClick(editor.story, Qt.Key.Key_Return)
        qtbot.keyClicks(editor.story, paragraph)
    editor.flush()  # what leaving the field or a pause in typing does
    assert c.workbench.persona(pid).story == STORY  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "family seed store" in editor.story_preview.toPlainText(), timeout=5000)

    # --- portrait through the (stubbed) file dialog --------------------------------------------
    photo = tmp_path / "harriet.png"
    photo.write_bytes(make_png(48, 64, (90, 140, 60)))
    monkeypatch.setattr(ImageWell, "choose_file", classmethod(lambda cls, parent, title: (str(photo), True)))
    qtbot.mouseClick(editor.portrait.choose_button, Qt.MouseButton.LeftButton)
    portrait = c.workbench.portrait(pid)
    assert portrait is not None and portrait.startswith(b"\x89PNG")
    assert editor.portrait.has_image()
    assert c.workbench.persona(pid).has_portrait  # type: ignore[union-attr]

    # The persona is ready: approve it, so the playbook prints it without "include drafts".
    approved_index = editor.status.findData("approved")
    editor.status.setCurrentIndex(approved_index)
    editor.status.activated.emit(approved_index)  # what choosing it in the combo box emits
    assert c.workbench.persona(pid).status == "approved"  # type: ignore[union-attr]

    # --- avoided term "contract" → "paperwork" in the lingo editor ----------------------------
    window.show_section("lingo")
    lingo = window.nav.page("lingo")
    assert isinstance(lingo, LingoEditor)
    assert window.stack.currentWidget() is lingo
    qtbot.mouseClick(lingo.new_button, Qt.MouseButton.LeftButton)
    assert lingo.kind.currentData() == "avoid" and lingo.replacement.isEnabled()
    _type_line(qtbot, lingo.term, "contract")
    _type_line(qtbot, lingo.replacement, "paperwork")
    terms = [(t.term, t.kind, t.replacement) for t in c.workbench.terms()]
    assert ("contract", "avoid", "paperwork") in terms

    # --- messages on all four channels from the coverage matrix -------------------------------
    window.actions_["coverage"].trigger()
    matrix = window.nav.coverage_view
    assert matrix is not None and window.stack.currentWidget() is matrix
    qtbot.waitUntil(lambda: matrix.model.rowCount() == 1 and matrix.model.columnCount() == 4, timeout=5000)
    assert [ch.name for ch in matrix.model.matrix.channels] == channel_names
    assert all(matrix.model.state_at(0, col) == "none" for col in range(4))

    message_editor = window.nav.page("message")
    assert isinstance(message_editor, MessageEditor)
    message_ids: dict[str, str] = {}
    for col, channel in enumerate(channel_names):
        if window.stack.currentWidget() is not matrix:
            window.actions_["coverage"].trigger()
        qtbot.waitUntil(lambda col=col: matrix.model.state_at(0, col) == "none", timeout=5000)
        with qtbot.waitSignal(matrix.create_message_requested, timeout=5000):
            _double_click_cell(qtbot, matrix, 0, col)
        assert window.stack.currentWidget() is message_editor
        mid = window.current_message
        assert mid is not None and message_editor.message_id == mid
        view = c.workbench.message(mid)
        assert view is not None and view.persona_id == pid and view.channel_name == channel
        assert message_editor.channel.currentText() == channel
        message_ids[channel] = mid

        if channel == "Direct mail":
            # --- the banned word is underlined as it is typed, and quick-fixed --------------
            headline = message_editor.headline
            headline.setFocus()
            qtbot.keyClicks(headline, TYPED_HEADLINE)
            start = TYPED_HEADLINE.index("contract")
            breaches = headline.highlighter.breaches()
            assert [(b.found, b.kind, b.replacement, b.start, b.end) for b in breaches] == [
                ("contract", "avoid", "paperwork", start, start + len("contract"))]
            assert _wavy_underlined(headline, start, start + len("contract"))
            assert "say “paperwork” instead" in headline.tooltip_at(start + 2)
            qtbot.waitUntil(lambda: any("contract" in message_editor.breach_list.item(i).text()
                                        for i in range(message_editor.breach_list.count())), timeout=5000)
            fixes = headline.quick_fix_actions(start + 2)
            assert fixes and fixes[0].text() == "Replace with ‘paperwork’"
            fixes[0].trigger()
            assert headline.toPlainText() == FIXED_HEADLINE
            assert headline.highlighter.breaches() == []
            assert c.workbench.message(mid).headline == FIXED_HEADLINE  # type: ignore[union-attr]  # committed at once
            assert message_editor.current_breaches() == []
        else:
            _type_line(qtbot, message_editor.headline, HEADLINES[channel])
            assert c.workbench.message(mid).headline == HEADLINES[channel]  # type: ignore[union-attr]
    assert c.workbench.message(message_ids["Direct mail"]).breach_count == 0  # type: ignore[union-attr]

    # --- approve every message with the Approve button ----------------------------------------
    for channel in channel_names:
        window.show_message(message_ids[channel])
        assert message_editor.message_id == message_ids[channel]
        assert message_editor.approve_button.isEnabled()
        qtbot.mouseClick(message_editor.approve_button, Qt.MouseButton.LeftButton)
        assert c.workbench.message(message_ids[channel]).status == "approved"  # type: ignore[union-attr]
        assert "Approved by" in message_editor.approval.text()
        assert not message_editor.approve_button.isEnabled()

    # --- the matrix turns green ---------------------------------------------------------------
    window.actions_["coverage"].trigger()
    assert window.stack.currentWidget() is matrix
    # Every message is for the first stage: that stage's matrix is all green (across all stages
    # the pairs are only partly covered).
    matrix.set_stage(STAGES[0])

    def all_approved() -> bool:
        return all(matrix.model.state_at(0, col) == "approved" for col in range(4))

    qtbot.waitUntil(all_approved, timeout=5000)
    for col in range(4):
        index = matrix.model.index(0, col)
        assert index.data(ROLE_STATE) == "approved"
        assert index.data(Qt.ItemDataRole.DisplayRole) == icons.STATE_LABEL["approved"]
    assert matrix.summary.text() == "4 of 4 cells approved"

    # --- undo and redo through the Edit menu --------------------------------------------------
    last = channel_names.index("Sales script")  # approved last
    undo = _edit_action(window, "Undo ")
    assert undo.isEnabled()
    assert undo.text().replace("&", "").startswith("Undo ")
    assert undo.text().replace("&", "") == "Undo Approve Message"
    undo.trigger()
    assert c.workbench.message(message_ids["Sales script"]).status == "draft"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: matrix.model.state_at(0, last) == "draft", timeout=5000)
    assert matrix.summary.text() == "3 of 4 cells approved"
    redo = _edit_action(window, "Redo ")
    assert redo.isEnabled() and redo.text().replace("&", "") == "Redo Approve Message"
    redo.trigger()
    assert c.workbench.message(message_ids["Sales script"]).status == "approved"  # type: ignore[union-attr]
    qtbot.waitUntil(all_approved, timeout=5000)
    assert matrix.summary.text() == "4 of 4 cells approved"
    assert _edit_action(window, "Undo ").text().replace("&", "") == "Undo Approve Message"

    # --- export the playbook through File ▸ Export Playbook… (real PDF) ------------------------
    pdf = tmp_path / "out" / "first playbook.pdf"
    pdf.parent.mkdir()
    dialogs: list[ExportDialog] = []

    def accept_dialog(self: ExportDialog) -> int:  # the real dialog, accepted with its defaults
        dialogs.append(self)
        assert self.export_button.isEnabled()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ExportDialog, "exec", accept_dialog)
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(pdf))
    offered: list[str] = []

    def decline_to_open(_parent: object, path: str) -> bool:  # "Playbook Ready — Open PDF?": Close
        offered.append(path)
        return False

    monkeypatch.setattr(file_actions, "ask_open_pdf", decline_to_open)
    export_action = window.actions_["export_pdf"]
    assert export_action.isEnabled()
    with qtbot.waitSignal(window.export_finished, timeout=120_000) as blocker:
        export_action.trigger()
    assert len(dialogs) == 1
    assert blocker.args == [str(pdf), True]
    assert offered == [str(pdf)]
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils' pdftotext is needed"
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = re.sub(r"\s+", " ", text)
    assert NAME in flat
    assert FIXED_HEADLINE in flat
    assert TYPED_HEADLINE not in flat
