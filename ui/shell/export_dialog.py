"""Export Playbook: choose personas, channels, drafts and paper; then print the PDF on a worker thread.

The core's ``export_playbook`` is a generator yielding ``(done, total)``; :class:`PlaybookExport`
iterates it on a ``QThread`` and drives a progress dialog. Cancel stops iterating and closes the
generator (its ``finally`` removes the half-written file), so the GUI never waits on the PDF.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.services import settings
from workbench.session import Workbench

PAPERS = (("a4", "A4 (210 × 297 mm)"), ("letter", "US Letter (8.5 × 11 in)"))


def _playbook() -> Any:
    """The playbook module, imported when first needed (reportlab is heavy)."""
    from workbench import publish as playbook

    return playbook


def default_paper() -> str:
    """The remembered paper size, else the locale's (via the core), else A4."""
    remembered = settings.EXPORT_PAPER.get()
    if remembered in ("a4", "letter"):
        return remembered
    try:
        return str(_playbook().default_paper())
    except Exception:
        return "a4"


def _checklist(name: str) -> QListWidget:
    box = QListWidget()
    box.setAccessibleName(name)
    box.setUniformItemSizes(True)
    box.setMinimumHeight(150)
    return box


class ExportDialog(QDialog):
    """The options for one playbook. Nothing is exported here; see :class:`PlaybookExport`."""

    def __init__(self, workbench: Workbench, parent: QWidget | None = None,
                 preselect_persona: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Playbook")
        self.setAccessibleName("Export playbook")
        self.setMinimumSize(560, 480)

        intro = QLabel("Print a playbook for sales: the brand narrative, each persona with its story, the "
                       "messaging by channel and stage, objection handling and lingo.")
        intro.setWordWrap(True)
        self.personas = _checklist("Personas to include")
        for p in workbench.persona_summaries():
            item = QListWidgetItem(p.name + (" (draft)" if p.status != "approved" else ""))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = preselect_persona is None or p.id == preselect_persona
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.personas.addItem(item)
        self.channels = _checklist("Channels to include")
        for c in workbench.channels():
            item = QListWidgetItem(c.name)
            item.setData(Qt.ItemDataRole.UserRole, c.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.channels.addItem(item)
        self.include_drafts = QCheckBox("&Include drafts (marked DRAFT on every page)")
        self.include_drafts.setAccessibleName("Include drafts")
        self.include_drafts.setChecked(settings.EXPORT_INCLUDE_DRAFTS.get())
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for key, label in PAPERS:
            self.paper.addItem(label, key)
        self.paper.setCurrentIndex(max(0, self.paper.findData(default_paper())))

        lists = QHBoxLayout()
        lists.addWidget(self._group("&Personas", self.personas), 3)
        lists.addWidget(self._group("C&hannels", self.channels), 2)
        form = QHBoxLayout()
        form.addWidget(self.include_drafts)
        form.addStretch(1)
        paper_label = QLabel("Pape&r:")
        paper_label.setBuddy(self.paper)
        form.addWidget(paper_label)
        form.addWidget(self.paper)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton("Export…")
        self.export_button.setDefault(True)
        self.export_button.setAccessibleName("Export")
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.warning = QLabel()
        self.warning.setAccessibleName("Selection warning")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(lists, 1)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        for box in (self.personas, self.channels):
            box.itemChanged.connect(self._validate)
        self._validate()
        self.setTabOrder(self.personas, self.channels)
        self.setTabOrder(self.channels, self.include_drafts)
        self.setTabOrder(self.include_drafts, self.paper)

    def _group(self, title: str, box: QListWidget) -> QGroupBox:
        group = QGroupBox(title.replace("&", ""))
        all_button = QPushButton("All")
        none_button = QPushButton("None")
        name = box.accessibleName().lower()
        all_button.setAccessibleName(f"Select all {name.replace(' to include', '')}")
        none_button.setAccessibleName(f"Select no {name.replace(' to include', '')}")
        all_button.clicked.connect(lambda: self._set_all(box, True))
        none_button.clicked.connect(lambda: self._set_all(box, False))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(all_button)
        row.addWidget(none_button)
        layout = QVBoxLayout(group)
        layout.addWidget(box, 1)
        layout.addLayout(row)
        return group

    @staticmethod
    def _set_all(box: QListWidget, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for i in range(box.count()):
            box.item(i).setCheckState(state)

    @staticmethod
    def _checked(box: QListWidget) -> list[str]:
        return [str(box.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(box.count())
                if box.item(i).checkState() == Qt.CheckState.Checked]

    def _validate(self) -> None:
        missing = [what for what, box in (("persona", self.personas), ("channel", self.channels))
                   if not self._checked(box)]
        self.export_button.setEnabled(not missing)
        self.warning.setText(f"Choose at least one {' and one '.join(missing)}." if missing else "")

    def options(self) -> Any:
        """The chosen :class:`PlaybookOptions` (None for "all" so new rows are included too)."""
        personas = self._checked(self.personas)
        channels = self._checked(self.channels)
        return _playbook().PlaybookOptions(
            persona_ids=None if len(personas) == self.personas.count() else personas,
            channel_names=None if len(channels) == self.channels.count() else channels,
            include_drafts=self.include_drafts.isChecked(),
            paper=str(self.paper.currentData()))

    def remember(self) -> None:
        """Keep the paper size and drafts choice for next time."""
        settings.EXPORT_PAPER.set(str(self.paper.currentData()))
        settings.EXPORT_INCLUDE_DRAFTS.set(self.include_drafts.isChecked())

    @classmethod
    def get_options(cls, parent: QWidget | None, workbench: Workbench,
                    preselect_persona: str | None = None) -> tuple[Any, bool]:
        """Ask for playbook options; returns (PlaybookOptions or None, accepted)."""
        dialog = cls(workbench, parent, preselect_persona)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        options = dialog.options() if accepted else None
        if accepted:
            dialog.remember()
        dialog.deleteLater()
        return options, accepted


class _Worker(QObject):
    """Iterates the export generator on its own thread."""

    progress = Signal(int, int)
    finished = Signal(bool, str)  # cancelled, error

    def __init__(self, make_steps: Callable[[], Iterator[tuple[int, int]]]) -> None:
        super().__init__()
        self._make_steps = make_steps
        self.cancel_event = threading.Event()

    @Slot()
    def run(self) -> None:
        """Runs on the worker thread (a Slot, so the queued call lands in this object's thread)."""
        cancelled = False
        error = ""
        steps: Iterator[tuple[int, int]] | None = None
        try:
            steps = self._make_steps()
            for done, total in steps:
                if self.cancel_event.is_set():
                    cancelled = True
                    break
                self.progress.emit(done, total)
        except Exception as exc:  # the core raises typed errors; anything else is still words, not a crash
            error = str(exc) or type(exc).__name__
        finally:
            close = getattr(steps, "close", None)
            if close is not None:
                try:
                    close()  # runs the generator's cleanup (removes a half-written file)
                except Exception as exc:
                    error = error or str(exc)
        self.finished.emit(cancelled, error)


class PlaybookExport(QObject):
    """One running export: worker thread + progress dialog. ``done`` reports how it ended."""

    #: (path, ok, cancelled, error)
    done = Signal(str, bool, bool, str)

    def __init__(self, parent: QWidget, workbench: Workbench, path: Path, options: Any,
                 export_fn: Callable[..., Iterator[tuple[int, int]]] | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        fn = export_fn or _playbook().export_playbook
        self.worker = _Worker(lambda: fn(workbench, self.path, options))
        self.worker_thread = QThread(self)
        self.worker_thread.setObjectName("playbook-export")
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.progress = QProgressDialog("Preparing the playbook…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("Export Playbook")
        self.progress.setAccessibleName("Export progress")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.running = False

    def start(self) -> None:
        """Begin printing on the worker thread."""
        self.running = True
        self.worker_thread.start()

    def cancel(self) -> None:
        """Stop after the current step; the generator is closed and nothing is left behind."""
        self.worker.cancel_event.set()
        self.progress.setLabelText("Cancelling…")

    def _on_progress(self, done: int, total: int) -> None:
        if self.worker.cancel_event.is_set():
            return
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        pct = int(done * 100 / total) if total else 0
        self.progress.setLabelText(f"Printing the playbook… {pct}%")

    def _on_finished(self, cancelled: bool, error: str) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.running = False
        self.progress.close()
        self.progress.deleteLater()
        ok = not cancelled and not error
        self.done.emit(str(self.path), ok, cancelled, error)


def ask_open_pdf(parent: QWidget | None, path: str) -> bool:
    """Offer to open the finished PDF; returns True when the person wants to."""
    box = QMessageBox(QMessageBox.Icon.Information, "Playbook Ready",
                      f"The playbook was saved as {Path(path).name}.", parent=parent)
    box.setInformativeText(path)
    open_button = box.addButton("Open PDF", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button


def open_pdf(path: str) -> bool:
    """Open a PDF in the system viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))
