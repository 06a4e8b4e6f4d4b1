"""Application start-up: fonts, identity and style, and which file opens first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.services import settings
from ui.shell import app as ui_app
from ui.shell.main_window import MainWindow
from workbench.session import Workbench
from workbench.store.sqlite import storage


def test_bundled_fonts_are_registered(qapp: QApplication) -> None:
    ui_app.load_fonts()
    families = QFontDatabase.families()
    assert "DejaVu Sans" in families
    assert any("Noto Sans Arabic" in f for f in families)


def test_given_file_wins(tmp_path: Path) -> None:
    assert ui_app.initial_path(str(tmp_path / "x.workbench")) == (tmp_path / "x.workbench", False)


def test_last_file_is_reopened(sample_path: Path) -> None:
    settings.LAST_FILE.set(str(sample_path))
    assert ui_app.initial_path(None) == (sample_path, False)


def test_first_run_creates_the_sample(tmp_path: Path) -> None:
    settings.LAST_FILE.set(str(tmp_path / "deleted.workbench"))
    path, created = ui_app.initial_path(None)
    assert created and path == storage.data_dir() / ui_app.SAMPLE_NAME
    with Workbench.open(path, readonly=True) as wb:
        assert wb.persona_count() > 0
    assert ui_app.initial_path(None) == (path, False)  # second run: reuse it


def test_configure_sets_identity_and_style(qapp: QApplication) -> None:
    ui_app.configure(qapp)
    assert qapp.applicationName() == "Persona Workbench"
    assert qapp.style().name().lower() == "fusion"
    assert not qapp.windowIcon().isNull()


def test_run_gui_opens_the_file(qtbot: QtBot, qapp: QApplication, sample_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QApplication, "exec", lambda *_a: 0)
    assert ui_app.run_gui(str(sample_path)) == 0
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert len(windows) == 1
    window = windows[0]
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.controller is not None, timeout=15_000)
    assert window.windowTitle().startswith("sample.workbench")
    window.follow_color_scheme()  # the system switching schemes must not break anything
    window.close()
