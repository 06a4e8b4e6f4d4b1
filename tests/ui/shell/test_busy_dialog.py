"""In the window: a big import, its undo and a slow final save show a window-modal busy dialog that
says what runs and why there is no progress, while the window keeps painting."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressBar
from pytestqt.qtbot import QtBot

from tests.ui.big_document import big_document
from tests.ui.shell.test_main_window import open_window
from ui.shell import file_actions, prompts
from ui.shell.main_window import MainWindow
from ui.widgets.busy_dialog import BusyDialog
from workbench.edit import commands
from workbench.store.sqlite import storage

PERSONAS = 400


class Paints(QObject):
    """Counts paint events of the widgets it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class DialogWatch:
    """Every 20 ms: is a busy dialog up, what does it say, is it modal — and ask the window to repaint."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.seen: list[tuple[str, str, bool]] = []
        self.window_paints = Paints()
        self.bar_paints = Paints()
        window.stack.installEventFilter(self.window_paints)
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        self.window.stack.update()
        dialog = self.window.findChild(BusyDialog)
        if dialog is None or not dialog.isVisible():
            return
        entry = (dialog.windowTitle(), dialog.text(),
                 dialog.windowModality() == Qt.WindowModality.WindowModal
                 and QApplication.activeModalWidget() is dialog)
        if entry not in self.seen:
            self.seen.append(entry)
            bar = dialog.findChild(QProgressBar)
            assert bar is not None and bar.minimum() == bar.maximum() == 0  # indeterminate
            bar.installEventFilter(self.bar_paints)

    def stop(self) -> None:
        self.timer.stop()


def test_big_import_and_its_undo_run_behind_a_modal_busy_dialog(qtbot: QtBot, wb_path: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "big.json"
    source.write_text(json.dumps(big_document(PERSONAS)), encoding="utf-8")
    w = open_window(qtbot, wb_path)
    c = w.controller
    assert c is not None
    order: list[str] = []
    monkeypatch.setattr(prompts, "show_info", lambda _p, title, _t: order.append(title))
    w.task_finished.connect(lambda title: order.append(f"finished: {title}"))
    watch = DialogWatch(w)
    with qtbot.waitSignal(w.task_finished, timeout=60_000):
        file_actions.import_file(w, str(source))
    # The whole flow — command, push, the report — ends before task_finished (tests wait on it).
    assert order == ["Import Finished", "finished: Import Failed"]
    assert c.workbench.persona_count() == PERSONAS
    assert w.findChild(BusyDialog) is None or not w.findChild(BusyDialog).isVisible()
    undo = next(a for a in w.edit_menu.actions() if a.text().startswith("Undo"))
    assert undo.text() == "Undo Import big.json"
    undo.trigger()
    assert c.workbench.persona_count() == 0
    watch.stop()
    titles = [title for title, _text, _modal in watch.seen]
    assert titles == ["Import big.json", "Undo Import big.json"], watch.seen
    assert all(modal for _t, _x, modal in watch.seen)
    assert watch.seen[0][1].startswith(f"Importing {PERSONAS} personas from big.json…")
    assert "no progress to show" in watch.seen[0][1]
    assert watch.seen[1][1].startswith("Undoing “Import big.json” (")
    # The window painted on and the bar moved while the commands ran.
    assert watch.window_paints.count > 10 and watch.bar_paints.count > 5
    w.close()


def test_a_slow_final_save_shows_the_busy_dialog_and_keeps_closing(qtbot: QtBot, sample_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing right after an edit: the write-back (seconds for a big file) runs on a worker behind
    "Saving …"; the file is written and given back as before."""
    w = open_window(qtbot, sample_path)
    c = w.controller
    assert c is not None
    c.run(commands.CreatePersona({"name": "Saved behind the dialog"}))
    write_back = c.workbench.write_back

    def slow(*, force: bool = False) -> bool:
        time.sleep(0.6)  # a big file
        return write_back(force=force)

    monkeypatch.setattr(c.workbench, "write_back", slow)
    watch = DialogWatch(w)
    assert w.close()
    QApplication.processEvents()
    watch.stop()
    assert [title for title, _t, _m in watch.seen][:1] == ["Saving sample.workbench"]
    assert storage.read_holder(sample_path) is None
    from workbench.session import Workbench

    with Workbench.open(sample_path, readonly=True) as wb:
        assert wb.find_persona("Saved behind the dialog") is not None


def test_the_busy_dialog_cannot_be_dismissed(qtbot: QtBot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    dialog = BusyDialog(w, "Import big.json", "Importing 2,000 personas from big.json…")
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert not dialog.close() and dialog.isVisible()
    dialog.grab().save(str(tmp_path / "busy.png"))
    dialog.finish()
    assert not dialog.isVisible()
    w.close()


def test_closing_during_a_long_command_waits_for_it(qtbot: QtBot, wb_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A close that reaches the window while a command runs (SIGTERM, a timer: the dialog blocks the
    person) is put off until the command is done; then the window closes and gives the file back."""
    from ui.services import busy
    from workbench.exchange import interchange

    monkeypatch.setattr(busy, "QUIET_MS", 10)
    w = open_window(qtbot, wb_path)
    c = w.controller
    assert c is not None
    during: list[bool] = []
    c.busy_started.connect(lambda _t, _x: during.append(w.close()))
    change = c.run(interchange.ImportDocument(big_document(100), label="Import big.json"))
    assert during == [False] and change is not None and c.workbench.persona_count() == 100
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=10_000)
    assert w.controller is None and storage.read_holder(wb_path) is None
