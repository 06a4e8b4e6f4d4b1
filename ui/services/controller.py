"""The one object between the widgets and an open workbench: commands, undo, write-back.

Widgets never write to the core directly: they call :meth:`WorkbenchController.run` with a core
command. The controller executes it, pushes it on the single ``QUndoStack`` (so the Edit menu reads
"Undo Rename Persona"), and emits ``changed(Change)`` so every view refreshes from the change record.
Write-back of the user's file runs on a worker thread a moment after the last edit, and so does the
lingo re-check of thousands of messages that a vocabulary edit or a big import can leave behind
(``rechecked`` tells the views that show breaches).

Big commands — an import or merge, the undo or redo of a change of more than
:data:`LONG_CHANGE_ROWS` rows, anything a caller flags as long — and the final write-back before a
file closes run on a worker thread through :class:`ui.services.busy.BusyRunner`: the caller still
gets the change back, the window keeps painting, and ``busy_started``/``busy_ended`` ask the window
for a modal busy dialog. Commands never run concurrently: one asked for meanwhile (a field
committing when the dialog takes the focus) waits and runs after.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ui.services.background import BackgroundQuery
from ui.services.busy import BusyRunner
from workbench.domain import errors
from workbench.edit.commands import Command, Restore
from workbench.exchange import interchange
from workbench.session import Workbench
from workbench.store.changes import Change, RowKey

T = TypeVar("T")

#: Milliseconds of quiet after an edit before the user's file is rewritten.
WRITE_BACK_DELAY_MS = 1500
#: An edit whose lingo re-check covers more messages than this re-checks them on a worker.
DEFER_RECHECKS_OVER = 2000
#: Undo or redo of a change of more row images than this runs on a worker behind the busy dialog
#: (restoring takes ≈ 0.07 s per 1,000 rows: 3,000 in ≈ 0.2 s; bench's 2,000-persona import ≈ 10 s).
LONG_CHANGE_ROWS = 3000
#: Why the busy dialog shows no progress (said in it).
NO_PROGRESS = ("The change is made in one step (one transaction), so there is no progress to show. "
               "The window is back as soon as it is done.")


class CommandRunning(errors.WorkbenchError):
    """A command was asked for while a long one was still running; nothing was changed."""


def is_long(command: Command) -> bool:
    """Whether ``command`` is big enough for a worker: an import or a merge (thousands of rows)."""
    return isinstance(command, interchange.ImportDocument)


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
        self._controller._replay(self._change, undo=False)

    def undo(self) -> None:
        self._controller._replay(self._change, undo=True)


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
    #: A long command (or undo, redo, final write-back) is running on a worker: (title, text) for
    #: the window's modal busy dialog.
    busy_started = Signal(str, str)
    #: The long run ended (the busy dialog goes).
    busy_ended = Signal()
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
        self._busy = BusyRunner(self)
        self._busy.started.connect(self.busy_started)
        self._busy.ended.connect(self.busy_ended)
        #: Commands asked for while a long one ran: run after it, in order.
        self._waiting: list[Command] = []
        #: The version every row this session wrote was left at (None: deleted) — what an undo or
        #: redo of any step expects to find, whichever later steps touched the same rows.
        self._versions: dict[RowKey, int | None] = {}
        self._busy_title = ""
        #: Clear while a long command writes on its worker: the background re-check waits for it
        #: between chunks (both write; SQLite has one writer and a 10 s busy timeout).
        self._no_long_command = threading.Event()
        self._no_long_command.set()
        #: Long commands started so far (a re-check chunk that failed while this moved retries).
        self._long_commands = 0
        if not workbench.readonly:
            # A lingo edit that touches thousands of messages re-checks them on a worker.
            workbench.defer_rechecks_over = DEFER_RECHECKS_OVER
            if workbench.recheck_pending:  # e.g. a recovered session
                QTimer.singleShot(0, self, self._start_recheck)

    @property
    def readonly(self) -> bool:
        """Whether edits are refused (read-only session)."""
        return self.workbench.readonly

    @property
    def busy(self) -> bool:
        """Whether a long command (or undo, redo, final write-back) is running on a worker."""
        return self._busy.running

    def run(self, command: Command, *, raise_errors: bool = False, long: bool | None = None,
            busy_text: str = "") -> Change | None:
        """Execute ``command``, push it on the undo stack and announce it. Errors become ``failed``
        (or propagate with ``raise_errors``, for callers that handle e.g. :class:`ApprovalBlocked`).

        ``long`` (default: :func:`is_long`) runs it on a worker behind the busy dialog, which says
        ``busy_text``. While a long command runs, another waits and runs after it (None is returned),
        or raises :class:`CommandRunning` with ``raise_errors``.
        """
        if self.busy:
            if raise_errors:
                raise CommandRunning(f"“{self._busy_title}” is still running: nothing was changed.")
            self._waiting.append(command)
            return None
        title = command.label or "Edit"
        try:
            if is_long(command) if long is None else long:
                text = f"{busy_text or title + '…'}\n\n{NO_PROGRESS}"
                change = self._run_command_long(title, text, command)
            else:
                change = self.workbench.execute(command)
        except errors.WorkbenchError as exc:
            if raise_errors:
                raise
            self.failed.emit(title, str(exc))
            return None
        if not change.empty:
            self.undo_stack.push(_ChangeEntry(self, change))
            self._after_change(change)
        return change

    def run_long(self, title: str, text: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` (file work of this workbench: a copy, the final save) on a worker behind the
        busy dialog and return its result; no command starts meanwhile."""
        if self.busy:
            raise CommandRunning(f"“{self._busy_title}” is still running.")
        self._busy_title = title
        try:
            return self._busy.run(title, text, fn)
        finally:
            if self._waiting:
                # From the event loop: an undo's worker returns inside QUndoStack.undo(), where
                # pushing another entry would corrupt the stack.
                QTimer.singleShot(0, self, self._run_waiting)

    def _run_command_long(self, title: str, text: str, command: Command) -> Change:
        """A command on a worker behind the busy dialog, the background re-check holding off."""
        self._long_commands += 1
        self._no_long_command.clear()
        try:
            return self.run_long(title, text, lambda: self.workbench.execute(command))
        finally:
            self._no_long_command.set()

    def _run_waiting(self) -> None:
        while self._waiting and not self.busy:
            self.run(self._waiting.pop(0))

    def _replay(self, change: Change, *, undo: bool) -> None:
        """Undo or redo ``change`` (from the undo stack) — on a worker when it is big.

        The restore states the versions it expects: those the latest step on each row left. A row
        someone else changed since (another writer of a shared workbench) is a
        :class:`errors.Conflict`: nothing is written, and ``failed`` says which rows."""
        verb = "Undo" if undo else "Redo"
        if self.busy:  # the busy dialog blocks Edit › Undo; only a programmatic call gets here
            self.failed.emit(verb, f"“{self._busy_title}” is still running: nothing was changed.")
            return
        left = change.versions() if undo else {(img.table, img.id): img.version for img in change.before}
        expect = {key: self._versions.get(key, version) for key, version in left.items()}
        command = Restore(change.before if undo else change.after, label=change.label, expect=expect)
        rows = max(len(change.before), len(change.after))
        try:
            if rows > LONG_CHANGE_ROWS:
                doing = "Undoing" if undo else "Redoing"
                new = self._run_command_long(f"{verb} {change.label}",
                                             f"{doing} “{change.label}” ({rows:,} rows)…\n\n{NO_PROGRESS}",
                                             command)
            else:
                new = self.workbench.execute(command)
        except errors.WorkbenchError as exc:
            self.failed.emit(verb, str(exc))
            return
        self._after_change(new)

    def _after_change(self, change: Change) -> None:
        self._versions.update(change.versions())
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

        quiet = self._no_long_command

        def between_chunks(_done: int, _total: int) -> None:
            quiet.wait()

        def work() -> tuple[frozenset[str], bool]:  # pool thread
            changed: set[str] = set()
            interrupted = False
            while wb.recheck_pending:
                # A long command writes for seconds: wait for it between chunks rather than queue
                # behind its transaction and time out — it must never fail for a re-check.
                quiet.wait()
                started = self._long_commands
                try:
                    changed |= wb.run_recheck(between_chunks)
                except Exception:
                    if self._long_commands == started:
                        raise
                    # A long command took the file between our wait and our chunk: what is not done
                    # stays pending and goes round again; the views refresh all breaches anyway.
                    interrupted = True
            return frozenset(changed), interrupted

        self._recheck.start(work)

    def _on_rechecked(self, result: object) -> None:
        changed, interrupted = result if isinstance(result, tuple) else (frozenset(), False)
        if self.workbench.recheck_pending:  # added after the worker's last look
            self._start_recheck()
        else:
            self.rechecking.emit(False)
        if changed or interrupted:
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
        if self.busy:  # a long command is writing: save once it is done, not against it
            self._timer.start()
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

    def final_write_back(self) -> None:
        """Write every edit to the user's file now, before it closes: on a worker (after any
        background write-back), behind the busy dialog when it takes a while — a big file takes
        seconds. Raises :class:`errors.ChangedOnDisk` or :class:`errors.CouldNotSave` like
        :meth:`Workbench.write_back`."""
        self._timer.stop()
        wb = self.workbench

        def work() -> bool:
            self.wait_for_write_back()
            return wb.write_back()

        self.run_long(f"Saving {wb.path.name}", f"Saving {wb.path.name}…\n\nWriting your last edits to the "
                       "file before it closes.", work)

    def close(self) -> None:
        """Final write-back, release the lock (on a worker behind the busy dialog: a pending lingo
        re-check and the write-back of a big file take seconds). Raises on a failed final save."""
        self._timer.stop()
        wb = self.workbench

        def work() -> None:
            self.wait_for_write_back()
            wb.close()

        self.run_long(f"Closing {wb.path.name}", f"Closing {wb.path.name}…\n\nSaving the last edits and "
                       "giving the file back.", work)
