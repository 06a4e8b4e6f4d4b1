"""pytest-qt setup: settings in tmp_path, no real modal ever blocks, no leftover windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox

from ui.services import settings
from ui.services.controller import WorkbenchController
from workbench.domain.values import Context
from workbench.session import Workbench


class ModalCalled(AssertionError):
    """A test reached a real modal dialog: it must be stubbed."""


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> Iterator[None]:
    settings.use_path(tmp_path / "settings.ini")
    yield
    settings.use_path(None)


@pytest.fixture(autouse=True)
def _no_real_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any un-stubbed modal fails the test loudly instead of hanging offscreen forever."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise ModalCalled(f"unexpected modal dialog: {args[:2]!r}")

    monkeypatch.setattr(QDialog, "exec", refuse)
    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory", "getOpenFileNames"):
        monkeypatch.setattr(QFileDialog, name, refuse)
    for name in ("getText", "getItem", "getInt", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, refuse)


@pytest.fixture(autouse=True)
def _no_leftover_windows(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.processEvents()
    leftovers = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in leftovers:
        w.close()
        w.deleteLater()
    QApplication.processEvents()
    assert not leftovers, f"test left windows open: {leftovers}"


@pytest.fixture
def controller(sample_path: Path, ctx: Context) -> Iterator[WorkbenchController]:
    """A controller over the sample workbench, open for editing."""
    c = WorkbenchController(Workbench.open(sample_path, ctx))
    yield c
    c.close()
