"""Revision history: every version plus the current text, and a word-level side-by-side diff."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.a11y import unnamed_widgets
from ui.services.controller import WorkbenchController
from ui.widgets.revision_history import RevisionHistory, RevisionHistoryDialog, word_diff
from workbench.edit import commands


def test_word_diff_marks_changed_words_and_escapes() -> None:
    left, right = word_diff("Sign the contract <now>", "Sign the paperwork <now>")
    assert "line-through" in left and "contract" in left
    assert "paperwork" in right and "#D6F5D6" in right
    assert "&lt;now&gt;" in left and "<now>" not in right


def test_lists_versions_and_diffs_any_two(qtbot: QtBot, controller: WorkbenchController) -> None:
    p = controller.workbench.find_persona("Harlan Voss")
    m = next(x for x in controller.workbench.messages(persona_id=p.id) if x.status == "approved")
    controller.run(commands.UpdateMessage(m.id, {"headline": "Brand new headline"}))
    h = RevisionHistory(controller)
    qtbot.addWidget(h)
    h.show_message(m.id)
    assert len(h.versions) == len(controller.workbench.revisions(m.id)) + 1
    assert h.versions[-1].label == "Current text" and h.versions[-1].headline == "Brand new headline"
    h.compare(0, len(h.versions) - 1)
    assert m.headline.split()[0] in h.old_view.toPlainText()
    assert "Brand new headline" in h.new_view.toPlainText()
    assert "line-through" in h.old_view.toHtml() or "text-decoration" in h.old_view.toHtml()
    assert unnamed_widgets(h) == []
    controller.run(commands.UpdateMessage(m.id, {"call_to_action": "Ring us"}))
    assert "Ring us" in h.versions[-1].call_to_action  # follows changes


def test_dialog_opens_non_modal_and_links_persona(qtbot: QtBot, controller: WorkbenchController) -> None:
    m = controller.workbench.messages()[0]
    dialog = RevisionHistoryDialog.open_for(None, controller, m.id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    with qtbot.waitSignal(dialog.open_persona_requested) as sig:
        dialog.history.persona_button.click()
    assert sig.args == [m.persona_id]
    dialog.close()
