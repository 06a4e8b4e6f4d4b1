"""Views refresh from the change record: an edit reads only what it touched, and hidden pages wait.

On a 10,000-persona file, re-reading every persona (or every message) on each change made creating a
persona or typing in a message cost a noticeable pause. These tests count the reads that grow with
the file: the full persona list and the unfiltered message list.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.shell.test_main_window import open_window
from ui.pages.lingo_editor import LingoEditor
from ui.pages.objection_editor import ObjectionEditor
from ui.shell.main_window import MainWindow
from workbench.edit import commands


class Reads:
    """Counts full-list reads on one open workbench."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        assert window.controller is not None
        wb = window.controller.workbench
        self.full_personas = 0
        self.all_messages = 0
        summaries, messages = wb.persona_summaries, wb.messages

        def persona_summaries(offset: int = 0, limit: int | None = None) -> Any:
            if limit is None:
                self.full_personas += 1
            return summaries(offset, limit)

        def all_messages(*args: Any, **kwargs: Any) -> Any:
            if not args and not any(v is not None for v in kwargs.values()):
                self.all_messages += 1
            return messages(*args, **kwargs)

        monkeypatch.setattr(wb, "persona_summaries", persona_summaries)
        monkeypatch.setattr(wb, "messages", all_messages)

    def reset(self) -> None:
        self.full_personas = self.all_messages = 0


@pytest.fixture
def window(qtbot: QtBot, sample_path: Path) -> Iterator[MainWindow]:
    w = open_window(qtbot, sample_path)
    yield w
    w.close()


def test_message_edit_reads_nothing_that_grows_with_the_file(window: MainWindow,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.controller is not None
    wb = window.controller.workbench
    pid = wb.persona_summaries(0, 1)[0].id
    mid = wb.messages(persona_id=pid)[0].id
    reads = Reads(window, monkeypatch)
    for page in ("persona", "lingo", "objections", "channels"):
        window.show_persona(pid) if page == "persona" else window.show_section(page)
        QApplication.processEvents()
        reads.reset()
        window.controller.run(commands.UpdateMessage(mid, {"headline": f"Typed on {page}"}))
        QApplication.processEvents()
        assert (reads.full_personas, reads.all_messages) == (0, 0), page


def test_new_persona_reloads_persona_choices_only_on_the_shown_page(window: MainWindow, qtbot: QtBot,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.controller is not None
    c = window.controller
    lingo, objections = window.nav.page("lingo"), window.nav.page("objections")
    assert isinstance(lingo, LingoEditor) and isinstance(objections, ObjectionEditor)
    window.show_section("lingo")
    QApplication.processEvents()
    reads = Reads(window, monkeypatch)
    scope = lingo.scope.choices
    # Lingo shown: a new persona makes its "Applies to" chooser forget the list, read again (the
    # order, then names by key) only when it is opened; objections (hidden) wait. Nothing reads
    # every persona.
    change = c.run(commands.CreatePersona({"name": "Zelda Quist"}))
    assert change is not None
    QApplication.processEvents()
    assert scope.reads == 0 and not scope.loaded
    lingo.scope.showPopup()
    assert scope.loaded and lingo.scope.findText("Only Zelda Quist") >= 0
    lingo.scope.hidePopup()
    opened = scope.reads
    # Editing a persona without renaming it changes no choice: nothing read, even when opened again.
    c.run(commands.UpdatePersona(change.extra["id"], {"role": "Buyer"}))
    QApplication.processEvents()
    lingo.scope.showPopup()
    lingo.scope.hidePopup()
    assert scope.reads == opened and scope.loaded
    # A rename does: the list is read again when opened, and shows the new name.
    c.run(commands.UpdatePersona(change.extra["id"], {"name": "Zelda Quist-Moore"}))
    QApplication.processEvents()
    assert scope.reads == opened and not scope.loaded
    lingo.scope.showPopup()
    assert scope.reads > opened and lingo.scope.findText("Only Zelda Quist-Moore") >= 0
    assert lingo.scope.findText("Only Zelda Quist") < 0
    lingo.scope.hidePopup()
    # The hidden objection editor read nothing meanwhile, and offers the new name once shown and opened.
    chooser = objections.persona.choices
    assert chooser.reads == 0
    window.show_section("objections")
    QApplication.processEvents()
    objections.persona.showPopup()
    assert objections.persona.findText("Zelda Quist-Moore") >= 0
    objections.persona.hidePopup()
    assert reads.full_personas == 0


def test_hidden_persona_editor_refreshes_when_shown(window: MainWindow, qtbot: QtBot) -> None:
    assert window.controller is not None
    c = window.controller
    wb = c.workbench
    pid = wb.persona_summaries(0, 1)[0].id
    window.show_section("lingo")
    editor = window.nav.page("persona")
    c.run(commands.UpdatePersona(pid, {"role": "Chief Everything Officer"}))
    assert editor.lines["role"].text() != "Chief Everything Officer"  # type: ignore[attr-defined]
    window.stack.setCurrentWidget(editor)  # shown without a show_persona call
    qtbot.waitUntil(lambda: editor.lines["role"].text() == "Chief Everything Officer")  # type: ignore[attr-defined]
