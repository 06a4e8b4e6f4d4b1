"""A read-only session says so once (the window's bar) and every editor disables its inputs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.shell.test_main_window import open_window


def _visible_read_only_notices(root: QWidget) -> list[QWidget]:
    found = []
    for w in root.findChildren(QWidget):
        if not w.isVisible():
            continue
        text = w.text() if isinstance(w, QLabel) else ""
        if w.accessibleName() == "Read-only notice" or text.startswith("Read-only:"):
            found.append(w)
    return found


def test_one_read_only_banner_on_every_page(qtbot: QtBot, sample_path: Path) -> None:
    w = open_window(qtbot, sample_path, readonly=True)
    assert w.controller is not None
    wb = w.controller.workbench
    pid = wb.persona_summaries(0, 1)[0].id
    visits = [lambda: w.show_persona(pid), lambda: w.show_message(wb.messages(persona_id=pid)[0].id)]
    visits += [lambda k=k: w.show_section(k) for k in ("narrative", "channels", "lingo", "objections", "coverage")]
    for visit in visits:
        visit()
        QApplication.processEvents()
        notices = _visible_read_only_notices(w)
        assert notices == [w.readonly_bar.text], [n.objectName() or type(n).__name__ for n in notices]
        assert w.readonly_bar.button.text() == "Try Editing Again"
    # Editing stays visibly switched off in the editor itself.
    w.show_persona(pid)
    name = w.nav.page("persona").findChild(QLineEdit)
    assert name is not None and name.isReadOnly()
    w.close()
