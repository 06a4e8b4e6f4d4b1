"""Opening for editing paints from the user's file first, then becomes editable once prepared."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from workbench import commands, storage


def test_views_paint_before_the_working_copy_then_become_editable(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    shown: list[bool] = []
    w.file_shown.connect(lambda _p: shown.append(bool(w.controller and w.controller.workbench.preparing)))
    with qtbot.waitSignal(w.file_opened, timeout=20_000):
        w.open_path(sample_path)
    assert shown == [True]  # the first views came up while the file was still being prepared
    assert storage.read_holder(sample_path) is not None
    c = w.controller
    assert c is not None and not c.readonly and not c.workbench.preparing
    assert c.workbench.working is not None
    assert not w.readonly_bar.isVisible()
    change = c.run(commands.CreatePersona({"name": "After preparing"}))
    assert change is not None and not change.empty
    w.close()
    assert storage.read_holder(sample_path) is None


def test_closing_while_opening_gives_the_file_back(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_path(sample_path)
    w.close()  # before the background open delivered its result
    qtbot.waitUntil(lambda: storage.read_holder(sample_path) is None, timeout=20_000)
