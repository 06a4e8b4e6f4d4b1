"""Keyboard users move through the editors top to bottom; previews are skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.pages.message_editor import MessageEditor
from ui.pages.persona_editor import PersonaEditor
from ui.services.controller import WorkbenchController


def tab_sequence(start: QWidget, limit: int = 200) -> list[str]:
    """Accessible names of the widgets Tab visits from ``start`` (visible, enabled, tab-focusable)."""
    names: list[str] = []
    w = start
    for _ in range(limit):
        if w.isVisible() and w.isEnabled() and (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            names.append(w.accessibleName())
        w = w.nextInFocusChain()
        if w is start:
            break
    return names


def in_order(names: list[str], wanted: list[str]) -> bool:
    positions = [names.index(n) for n in wanted]
    return positions == sorted(positions)


def test_persona_editor_tab_order(qtbot: QtBot, controller: WorkbenchController) -> None:
    editor = PersonaEditor(controller)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    persona = controller.workbench.find_persona("Harlan Voss")
    assert persona is not None
    editor.show_persona(persona.id)
    names = tab_sequence(editor.name)
    assert in_order(names, ["Persona name", "Role", "Organisation", "Industry", "Technology comfort",
                            "Location", "Owner", "Story (markdown)", "Motivations", "Voice and tone"])
    assert "Story preview" not in names
    story = [n for n in names if n.lower().startswith("story")]
    assert story, names


def test_message_editor_tab_order(qtbot: QtBot, controller: WorkbenchController) -> None:
    editor = MessageEditor(controller)
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    editor.show_message(controller.workbench.messages()[0].id)
    names = tab_sequence(editor.persona_button)
    heads = [editor.headline.accessibleName(), editor.body.accessibleName(), editor.cta.accessibleName(),
             editor.notes.accessibleName()]
    assert in_order(names, ["Open persona", "Channel", "Journey stage", *heads]), names
    assert all(names), "every widget Tab reaches has an accessible name"
    assert not any("preview" in n.lower() for n in names), names
