"""The one object between the widgets and an open workbench: commands, undo, write-back.

Widgets never write to the core directly: they call :meth:`WorkbenchController.run` with a core
command. The controller executes it, pushes it on the single ``QUndoStack`` (so the Edit menu reads
"Undo Rename Persona"), and emits ``changed(Change)`` so every view refreshes from the change record.
Write-back of the user's file runs on a worker thread a moment after the last edit, and so does the
lingo re-check of thousands of messages that a vocabulary edit or a big import can leave behind
(``rechecked`` tells the views that show breaches).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ui.services.background import BackgroundQuery
from workbench.domain import errors
from workbench.edit.changes import Change
from workbench.edit.commands import Command
from workbench.session import Workbench

#: Milliseconds of quiet after an edit before the user's file is rewritten.
WRITE_BACK_DELAY_MS = 1500
#: An edit whose lingo re-check covers more messages than this re-checks them on a worker.
DEFER_RECHECKS_OVER = 2000


class _ChangeEntry(QUndoCommand):
    """An executed core change on the undo stack; undo/redo restore its row images."""

    def __init__(self, controller: WorkbenchController, change: Change) -> None:
        super().__init__(change.label)
        self._controller = controller
        self._change = change
        self._done = True  # already executed when pushed

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._controller._replay(self._controller.workbench.redo, self._change)

    def undo(self) -> None:
        self._controller._replay(self._controller.workbench.undo, self._change)


class _WriteBack(QRunnable):
    def __init__(self, controller: WorkbenchController) -> None:
        super().__init__()
        self._controller = controller
        self._wb = controller.workbench

    def run(self) -> None:  # worker thread: never touch widgets here
        try:
            self._wb.write_back()
            self._controller._write_back_done.emit("")
        except errors.WorkbenchError as exc:
            self._controller._write_back_done.emit(str(exc))
        except Exception as exc:  # pragma: no cover - unexpected, reported not raised
            self._controller._write_back_done.emit(f"Could not save: {exc}")


class WorkbenchController(QObject):
    """Owns the open :class:`Workbench`, its undo stack and background write-back."""

    #: A change was made (by a command, undo or redo): views refresh what it names.
    changed = Signal(object)
    #: A command failed: (title, message) for a dialog.
    failed = Signal(str, str)
    #: Save state for the status bar: "saved", "pending", "saving", or "failed".
    save_state_changed = Signal(str, str)
    #: A background lingo re-check started (True) or ended (False).
    rechecking = Signal(bool)
    #: A background lingo re-check changed these messages' breach counts: views showing breaches
    #: (coverage, problems) refresh.
    rechecked = Signal(object)
    _write_back_done = Signal(str)

    def __init__(self, workbench: Workbench, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.undo_stack = QUndoStack(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WRITE_BACK_DELAY_MS)
        self._timer.timeout.connect(self.write_back_soon_now)
        self._saving = False
        self._again = False
        self.last_save_error = ""
        self._write_back_done.connect(self._on_write_back_done)
        self._recheck = BackgroundQuery(self)
        self._recheck.finished.connect(self._on_rechecked)
        self._recheck.failed.connect(self._on_recheck_failed)
        if not workbench.readonly:
            # A lingo edit that touches thousands of messages re-checks them on a worker.
            workbench.defer_rechecks_over = DEFER_RECHECKS_OVER
            if workbench.recheck_pending:  # e.g. a recovered session
                QTimer.singleShot(0, self, self._start_recheck)

    @property
    def readonly(self) -> bool:
        """Whether edits are refused (read-only session)."""
        return self.workbench.readonly

    def run(self, command: Command, *, raise_errors: bool = False) -> Change | None:
        """Execute ``command``, push it on the undo stack and announce it. Errors become ``failed``
        (or propagate with ``raise_errors``, for callers that handle e.g. :class:`ApprovalBlocked`)."""
        try:
            change = self.workbench.execute(command)
        except errors.WorkbenchError as exc:
            if raise_errors:
                raise
            self.failed.emit(command.label or "Edit", str(exc))
            return None
        if not change.empty:
            self.undo_stack.push(_ChangeEntry(self, change))
            self._after_change(change)
        return change

    def _replay(self, fn: object, change: Change) -> None:
        try:
            new = fn(change)  # type: ignore[operator]
        except errors.WorkbenchError as exc:
            self.failed.emit("Undo" if fn == self.workbench.undo else "Redo", str(exc))
            return
        self._after_change(new)

    def _after_change(self, change: Change) -> None:
        self.changed.emit(change)
        if not self.workbench.readonly:
            self.save_state_changed.emit("pending", "")
            self._timer.start()
        if self.workbench.recheck_pending:
            self._start_recheck()

    def _start_recheck(self) -> None:
        if self._recheck.running:  # it drains everything pending; what is left is picked up when it ends
            return
        self.rechecking.emit(True)
        wb = self.workbench

        def work() -> frozenset[str]:
            changed: set[str] = set()
            while wb.recheck_pending:
                changed |= wb.run_recheck()
            return frozenset(changed)

        self._recheck.start(work)

    def _on_rechecked(self, changed: object) -> None:
        if self.workbench.recheck_pending:  # added after the worker's last look
            self._start_recheck()
        else:
            self.rechecking.emit(False)
        if changed:
            self.rechecked.emit(changed)
            self.save_state_changed.emit("pending", "")
            self._timer.start()

    def _on_recheck_failed(self, message: str) -> None:
        self.rechecking.emit(False)
        self.failed.emit("Lingo check", f"Could not re-check the messages: {message}. It is tried again when "
                         "the workbench closes.")

    def wait_for_recheck(self, timeout_ms: int = 120_000) -> None:
        """Block until a background re-check ends (tests; closing waits for the pool anyway)."""
        QThreadPool.globalInstance().waitForDone(timeout_ms)
        QCoreApplication.processEvents()

    def write_back_soon_now(self) -> None:
        """Start a background write-back (coalesced: one at a time, re-run if edits came meanwhile)."""
        if self.workbench.readonly:
            return
        if self._saving:
            self._again = True
            return
        self._saving = True
        self.save_state_changed.emit("saving", "")
        QThreadPool.globalInstance().start(_WriteBack(self))

    def _on_write_back_done(self, error: str) -> None:
        self._saving = False
        if error:
            first = error != self.last_save_error
            self.last_save_error = error
            self.save_state_changed.emit("failed", error)
            if first:
                self.failed.emit("Could not save", error)
            # Try again later: a full disk may free up, a folder may come back.
            self._timer.start(max(WRITE_BACK_DELAY_MS, 10_000))
            return
        self.last_save_error = ""
        if self._again:
            self._again = False
            self.write_back_soon_now()
            return
        self.save_state_changed.emit("saved", "")

    def wait_for_write_back(self, timeout_ms: int = 30_000) -> None:
        """Block until a running background write-back ends (used before closing)."""
        QThreadPool.globalInstance().waitForDone(timeout_ms)

    def close(self) -> None:
        """Final write-back (synchronous), release the lock. Raises on a failed final save."""
        self._timer.stop()
        self.wait_for_write_back()
        self.workbench.close()
