"""Opening in stages: the persona list paints from a plain look at the user's file, then the editing
session loads; big files are shown read-only while they are prepared, then become editable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.shell import opening
from ui.shell.main_window import MainWindow
from workbench.edit import commands
from workbench.store.sqlite import storage
from workbench.store.sqlite.reader import Reader

ROOT = Path(__file__).resolve().parents[3]


def _names(w: MainWindow) -> list[str]:
    assert w.navigator is not None
    model = w.navigator.model
    parent = model.personas_index()
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_list_paints_before_the_session_then_becomes_editable(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    at_shown: list[tuple[object, list[str], bool]] = []
    searched: list[int] = []

    def shown(_p: str) -> None:
        at_shown.append((w.controller, _names(w), w.readonly_bar.isVisible()))
        # The search field is there from the first look on (no jump when the session arrives),
        # and searches through the look's reader.
        assert w.search_panel is not None
        w.search_panel.field.setText("paperwork")
        w.search_panel.run_query()
        searched.append(w.search_panel.model.rowCount())

    w.file_shown.connect(shown)
    with qtbot.waitSignal(w.file_opened, timeout=20_000):
        w.open_path(sample_path)
    # First the list, read through a plain reader (no session, no editors yet), with the banner.
    assert len(at_shown) == 1
    controller, names, banner = at_shown[0]
    assert controller is None and len(names) == 4 and banner
    assert searched and searched[0] > 0
    assert storage.read_holder(sample_path) is not None  # held from the first look on
    # Then editable in one step (a small file is checked and copied at once): the same navigator.
    c = w.controller
    assert c is not None and not c.readonly and not c.workbench.preparing
    assert c.workbench.file.working is not None
    assert w.navigator is not None and w.navigator.controller is c
    assert w.search_panel is not None and w.search_panel.source is c.workbench
    w.search_panel.clear()
    assert _names(w) == names
    assert not w.readonly_bar.isVisible()
    change = c.run(commands.CreatePersona({"name": "After preparing"}))
    assert change is not None and not change.empty
    assert "After preparing" in _names(w)
    w.close()
    assert storage.read_holder(sample_path) is None


def test_big_file_is_read_only_while_prepared(qtbot: QtBot, sample_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening, "PREPARE_AT_ONCE_MAX_BYTES", 0)  # treat the sample as a big file
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    preparing: list[bool] = []
    w.opening.opener.opened.connect(lambda wb, _e: preparing.append(wb.preparing and w.controller is not None
                                                               and w.controller.readonly))
    with qtbot.waitSignal(w.file_opened, timeout=20_000):
        w.open_path(sample_path)
    assert preparing == [True]  # the views came up read-only while the copy was made
    c = w.controller
    assert c is not None and not c.readonly and c.workbench.file.working is not None
    assert w.navigator is not None and w.navigator.controller is c
    w.close()
    assert storage.read_holder(sample_path) is None


def test_closing_while_opening_gives_the_file_back(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_path(sample_path)
    w.close()  # before the background open delivered its result
    qtbot.waitUntil(lambda: storage.read_holder(sample_path) is None, timeout=20_000)


def test_closing_after_the_first_look_gives_the_file_back(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.file_shown, timeout=20_000):
        w.open_path(sample_path)
    w.close()  # the list is up, the session is still loading
    qtbot.waitUntil(lambda: storage.read_holder(sample_path) is None, timeout=20_000)
    assert w.controller is None


def test_reader_never_writes(sample_path: Path) -> None:
    before = sample_path.read_bytes()
    with Reader.open(sample_path) as look:
        assert look.persona_count() == 4
        assert [p.name for p in look.persona_summaries_for(look.persona_order())]
    assert sample_path.read_bytes() == before
    assert sorted(p.name for p in sample_path.parent.iterdir()) == [sample_path.name]


def test_first_paint_does_not_load_the_editing_core(sample_path: Path, tmp_path: Path) -> None:
    """The window's first paint comes before SQLAlchemy (and the editors) are imported."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PERSONA_WORKBENCH_BENCH_EXIT_AFTER_PAINT": "1"}
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), str(sample_path)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "first paint after" in out.stderr
    assert "(editing core loaded: no)" in out.stderr, out.stderr
    assert not storage.lock_path(sample_path).exists()


def test_problems_are_not_checked_twice_for_a_big_file(qtbot: QtBot, sample_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening, "PREPARE_AT_ONCE_MAX_BYTES", 0)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    panels: list[object] = []
    w.opening.opener.opened.connect(lambda _wb, _e: panels.append(w.problems_panel))
    with qtbot.waitSignal(w.file_opened, timeout=20_000):
        w.open_path(sample_path)
    panel = w.problems_panel
    assert panel is not None and panels == [panel]  # the read-only build's panel, kept for editing
    assert panel.controller is w.controller
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.problems), timeout=20_000)
    assert w.status.problems.text()
    assert w.controller is not None
    w.controller.run(commands.CreatePersona({"name": "Still followed"}))  # the panel follows the new session
    qtbot.waitUntil(lambda: panel.busy, timeout=5_000)
    w.close()
