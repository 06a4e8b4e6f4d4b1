"""Export Playbook: the options dialog, and the worker with progress, cancel and errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from ui.services import settings
from ui.services.controller import WorkbenchController
from ui.shell import export_dialog
from ui.shell.export_dialog import ExportDialog, PlaybookExport


@dataclass
class FakeOptions:
    """Stands in for ``workbench.publish.PlaybookOptions``."""

    persona_ids: list[str] | None = None
    channel_names: list[str] | None = None
    include_drafts: bool = False
    paper: str = "a4"


class FakePlaybook:
    """A stand-in for the playbook module: a generator that writes a tiny PDF in steps."""

    PlaybookOptions = FakeOptions

    def __init__(self, steps: int = 3, fail_at: int | None = None, gate: threading.Event | None = None) -> None:
        self.steps = steps
        self.fail_at = fail_at
        self.gate = gate
        self.closed = False
        self.calls: list[tuple[Any, Path, Any]] = []
        self.thread_name = ""

    def default_paper(self) -> str:
        return "letter"

    def export_playbook(self, wb: Any, path: Path, opts: Any) -> Iterator[tuple[int, int]]:
        self.calls.append((wb, path, opts))
        self.thread_name = threading.current_thread().name
        tmp = Path(str(path) + ".part")
        try:
            tmp.write_bytes(b"%PDF-1.4\n")
            for i in range(1, self.steps + 1):
                if self.gate is not None:
                    self.gate.wait(5)
                if self.fail_at == i:
                    raise RuntimeError("the printer caught fire")
                yield i, self.steps
            tmp.replace(path)
        finally:
            self.closed = True
            if tmp.exists():
                tmp.unlink()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakePlaybook:
    playbook = FakePlaybook()
    monkeypatch.setattr(export_dialog, "_playbook", lambda: playbook)
    return playbook


def test_defaults_select_everything(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook) -> None:
    dialog = ExportDialog(controller.workbench)
    qtbot.addWidget(dialog)
    assert dialog.personas.count() == 4 and dialog.channels.count() == 5
    opts = dialog.options()
    assert opts.persona_ids is None and opts.channel_names is None
    assert opts.paper == "letter"  # from the (fake) locale default
    assert dialog.export_button.isEnabled()


def test_choosing_some_personas_and_channels(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook) -> None:
    dialog = ExportDialog(controller.workbench)
    qtbot.addWidget(dialog)
    dialog.personas.item(1).setCheckState(Qt.CheckState.Unchecked)
    dialog.channels.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.include_drafts.setChecked(True)
    dialog.paper.setCurrentIndex(dialog.paper.findData("a4"))
    opts = dialog.options()
    assert len(opts.persona_ids) == 3
    assert "Ads" not in opts.channel_names and len(opts.channel_names) == 4
    assert opts.include_drafts and opts.paper == "a4"


def test_nothing_selected_disables_export(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook) -> None:
    dialog = ExportDialog(controller.workbench)
    qtbot.addWidget(dialog)
    ExportDialog._set_all(dialog.personas, False)
    assert not dialog.export_button.isEnabled()
    assert "persona" in dialog.warning.text()
    ExportDialog._set_all(dialog.personas, True)
    assert dialog.export_button.isEnabled()


def test_preselected_persona(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook) -> None:
    pid = controller.workbench.persona_summaries()[2].id
    dialog = ExportDialog(controller.workbench, preselect_persona=pid)
    qtbot.addWidget(dialog)
    assert dialog.options().persona_ids == [pid]


def test_get_options_remembers_choices(controller: WorkbenchController, fake: FakePlaybook,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: ExportDialog) -> int:
        self.paper.setCurrentIndex(self.paper.findData("a4"))
        self.include_drafts.setChecked(True)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(ExportDialog, "exec", run)
    opts, accepted = ExportDialog.get_options(None, controller.workbench)
    assert accepted and opts.paper == "a4" and opts.include_drafts
    assert settings.EXPORT_PAPER.get() == "a4" and settings.EXPORT_INCLUDE_DRAFTS.get() is True


def test_get_options_cancelled(controller: WorkbenchController, fake: FakePlaybook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ExportDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected.value))
    assert ExportDialog.get_options(None, controller.workbench) == (None, False)


def _parent(qtbot: QtBot) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_worker_exports_with_progress(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook,
                                      tmp_path: Path) -> None:
    out = tmp_path / "book.pdf"
    parent = _parent(qtbot)
    job = PlaybookExport(parent, controller.workbench, out, FakeOptions())
    seen: list[tuple[int, int]] = []
    job.worker.progress.connect(lambda d, t: seen.append((d, t)))
    with qtbot.waitSignal(job.done, timeout=10_000) as blocker:
        job.start()
    assert blocker.args == [str(out), True, False, ""]
    assert seen[-1] == (3, 3)
    assert out.read_bytes().startswith(b"%PDF") and fake.closed
    assert fake.calls[0][0] is controller.workbench
    assert fake.thread_name != threading.main_thread().name  # the GUI thread never prints


def test_cancel_stops_and_closes_the_generator(qtbot: QtBot, controller: WorkbenchController,
                                               monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    gate = threading.Event()
    playbook = FakePlaybook(steps=50, gate=gate)
    monkeypatch.setattr(export_dialog, "_playbook", lambda: playbook)
    out = tmp_path / "book.pdf"
    parent = _parent(qtbot)
    job = PlaybookExport(parent, controller.workbench, out, FakeOptions())
    with qtbot.waitSignal(job.done, timeout=10_000) as blocker:
        job.start()
        job.progress.canceled.emit()  # what the Cancel button does
        gate.set()
    path, ok, cancelled, error = blocker.args
    assert not ok and cancelled and error == ""
    assert playbook.closed
    assert not out.exists() and not Path(str(out) + ".part").exists()


def test_generator_error_is_reported_not_raised(qtbot: QtBot, controller: WorkbenchController,
                                                monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    playbook = FakePlaybook(steps=3, fail_at=2)
    monkeypatch.setattr(export_dialog, "_playbook", lambda: playbook)
    parent = _parent(qtbot)
    job = PlaybookExport(parent, controller.workbench, tmp_path / "b.pdf", FakeOptions())
    with qtbot.waitSignal(job.done, timeout=10_000) as blocker:
        job.start()
    assert blocker.args[1:] == [False, False, "the printer caught fire"]


def test_widgets_are_named_for_screen_readers(qtbot: QtBot, controller: WorkbenchController, fake: FakePlaybook) -> None:
    dialog = ExportDialog(controller.workbench)
    qtbot.addWidget(dialog)
    for widget in (dialog.personas, dialog.channels, dialog.include_drafts, dialog.paper, dialog.export_button):
        assert widget.accessibleName()


def test_real_playbook_export_in_the_worker(qtbot: QtBot, controller: WorkbenchController, tmp_path: Path) -> None:
    playbook = pytest.importorskip("workbench.publish")
    parent = _parent(qtbot)
    out = tmp_path / "real.pdf"
    options = playbook.PlaybookOptions(persona_ids=[controller.workbench.persona_summaries()[0].id],
                                       include_drafts=True, paper="letter")
    job = PlaybookExport(parent, controller.workbench, out, options)
    with qtbot.waitSignal(job.done, timeout=60_000) as blocker:
        job.start()
    assert blocker.args[1:] == [True, False, ""]
    assert out.read_bytes().startswith(b"%PDF")
