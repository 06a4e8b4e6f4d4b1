"""Opening a file in stages, so the window paints its persona list before the editing core loads.

1. **Look** (pool thread, plain ``sqlite3``, no ORM): header, schema and lock —
   :func:`workbench.store.sqlite.reader.first_look`. ``looked(FirstLook)``: the window shows the persona list
   and the status bar at once, from the user's file.
2. **Session** (pool thread): import the editing core (SQLAlchemy, ≈ 0.3 s) and complete the
   opening — :meth:`Workbench.from_first_look`. Files up to :data:`PREPARE_AT_ONCE_MAX_BYTES` are
   made editable in the same step (checked and copied in milliseconds), so the window builds its
   views once. ``opened(Workbench, error)``.
3. **Prepare** (pool thread, big files only): integrity check and working copy —
   :meth:`Workbench.finish_opening` — while the views are up read-only; ``prepared(Workbench,
   result)``, after which the window rebuilds them editable.

Files that need a migration or have a crashed session to recover skip the look: stage 2 opens them
fully (the migration must run before anything is read). Every error reaches the GUI thread as a
value — ``failed(exc)`` — for a dialog; nothing is raised on a pool thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ui.services import settings
from ui.services.background import BackgroundQuery
from ui.shell import prompts
from ui.shell.host import OpeningHost
from ui.shell.open_errors import OPEN_OTHER, READ_ONLY, OpenErrorDialog
from workbench.domain.values import Context
from workbench.store.sqlite import reader
from workbench.store.sqlite.reader import FirstLook

if TYPE_CHECKING:
    from workbench.session import Workbench

#: Files up to this size are checked and copied for editing in the same step that opens them.
PREPARE_AT_ONCE_MAX_BYTES = 64 * 1024 * 1024


class FileOpener(QObject):
    """Runs the stages of opening one file at a time; the window reacts to its signals."""

    #: Stage 1 done: a :class:`workbench.store.sqlite.reader.FirstLook` to show (the window owns it now).
    looked = Signal(object)
    #: Stage 2 done: the ``Workbench`` and an exception when it could not be made editable (or None).
    opened = Signal(object, object)
    #: Stage 3 done: the ``Workbench`` and the result — itself, or the exception that kept it read-only.
    prepared = Signal(object, object)
    #: Opening failed: the exception (a typed ``errors.FileProblem`` for the dialog).
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self._open = BackgroundQuery(self)
        self._open.finished.connect(self._on_open_result)
        self._open.failed.connect(lambda text: self.failed.emit(RuntimeError(text)))
        self._prepare = BackgroundQuery(self)

    @property
    def running(self) -> bool:
        """Whether stage 1 or 2 is still running (stage 3 runs behind an open window)."""
        return self._open.running

    def start(self, path: Path, ctx: Context, readonly: bool) -> None:
        """Stage 1 (or the full open, when the file needs a migration or a recovery)."""
        self.path = path
        self._open.start(lambda: _look_or_open(path, ctx, readonly))

    def complete(self, look: reader.FirstLook) -> None:
        """Stage 2: the editing session for a file the window already shows."""
        def work() -> object:
            try:
                from workbench.session import Workbench

                wb = Workbench.from_first_look(look)
            except Exception as exc:
                look.release()
                return exc
            error: Exception | None = None
            if wb.preparing and _size(look.path) <= PREPARE_AT_ONCE_MAX_BYTES:
                try:
                    wb.finish_opening()
                except Exception as exc:  # the session stays read-only; the window says why
                    error = exc
            return wb, error

        self._open.start(work)

    def prepare(self, wb: Workbench) -> None:
        """Stage 3: check and copy a big file on a pool thread; ``prepared`` follows."""
        def work() -> object:
            try:
                wb.finish_opening()
                return wb
            except Exception as exc:
                return exc

        self._prepare = BackgroundQuery(self)
        self._prepare.finished.connect(lambda result: self.prepared.emit(wb, result))
        self._prepare.start(work)

    def _on_open_result(self, result: object) -> None:
        if isinstance(result, reader.FirstLook):
            self.looked.emit(result)
        elif isinstance(result, tuple):
            self.opened.emit(result[0], result[1])
        else:
            self.failed.emit(result)


def _look_or_open(path: Path, ctx: Context, readonly: bool) -> object:
    """Stage 1 on a worker: a :class:`FirstLook`, or ``(Workbench, None)`` for a file that needs a
    migration or a recovery first, or the exception for the GUI thread's dialog."""
    try:
        look = reader.first_look(path, ctx, readonly=readonly)
        if look is not None:
            return look
        from workbench.session import Workbench

        return Workbench.open(path, ctx, readonly=readonly), None
    except Exception as exc:  # a value for the GUI thread's dialog
        return exc


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


class OpeningFlow(QObject):
    """The window's side of opening a file in stages: one file at a time, each stage shown as it
    lands. Holds the :class:`FileOpener` and the first look until the editing session replaces it;
    everything it shows or builds goes through its :class:`ui.shell.host.OpeningHost`."""

    def __init__(self, host: OpeningHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.opener = FileOpener(self)
        self.opener.looked.connect(self._on_looked)
        self.opener.opened.connect(self._on_opened)
        self.opener.prepared.connect(self._on_prepared)
        self.opener.failed.connect(self._open_failed)
        #: The first look on show until the editing session replaces it (stage 1 → 2).
        self.look: FirstLook | None = None
        #: Set when the window is closing: whatever arrives now is given straight back.
        self.closing = False

    @property
    def running(self) -> bool:
        """Whether stage 1 or 2 is still running on a pool thread."""
        return self.opener.running

    def open_path(self, path: str | Path, readonly: bool = False) -> None:
        """Open ``path`` in stages (see :mod:`ui.shell.opening`); ``file_shown``, ``file_opened`` or a dialog follow."""
        path = Path(path)
        host = self.host
        if self.opener.running or self.look is not None:  # one at a time: a second would leak a held file
            host.statusBar().showMessage("Still opening the previous file…", 4000)
            return
        controller = host.controller
        if controller is not None and _same_file(controller.workbench.path, path):
            if readonly == controller.readonly:
                host.window().raise_()
                host.window().activateWindow()
                host.file_opened.emit(str(path))
                return
            if not host.close_file():  # reopening the same file in another mode: release it first
                return
        host.statusBar().showMessage(f"Opening {path.name}…")
        if host.controller is None:
            host.show_opening(path)
        self.opener.start(path, Context(user=settings.USER_NAME.get()), readonly)

    def release_look(self) -> None:
        """Give back a first look whose session never started (the window is closing)."""
        if self.look is not None and not self.opener.running:
            look, self.look = self.look, None
            look.release()

    def _open_failed(self, error: object) -> None:
        host = self.host
        path = self.opener.path or Path()
        host.statusBar().clearMessage()
        self._drop_look()
        if host.controller is None:
            host.teardown()
        if self.closing:
            return
        problem = error if isinstance(error, Exception) else RuntimeError(str(error))
        choice, accepted = OpenErrorDialog.ask(host.window(), problem)
        host.open_failed.emit(str(path))
        if accepted and choice == READ_ONLY:
            self.open_path(path, readonly=True)
        elif accepted and choice == OPEN_OTHER:
            host.open_dialog()

    def _on_looked(self, look: FirstLook) -> None:
        """Stage 1: show the persona list and the status from the user's file, then load the rest."""
        host = self.host
        if self.closing or (host.controller is not None and not host.close_file()):
            look.release()  # closing, or the person kept the old file open: give this one back
            if host.controller is not None:
                host.statusBar().clearMessage()
            return
        self.look = look
        painted = host.show_first_look(look)
        host.file_shown.emit(str(look.path))
        # Load the editing core once the list is on screen: started at once, its imports would
        # compete for the interpreter with the first paint.
        _AfterFirstPaint(painted, lambda: self._after_look_painted(look))

    def _after_look_painted(self, look: FirstLook) -> None:
        if self.look is not look:
            return  # closed meanwhile
        self.opener.complete(look)
        self.host.count_with(look.reader.counts)

    def _on_opened(self, wb: Workbench, error: object) -> None:
        """Stage 2: the editing core is loaded; build every view (editable unless still preparing)."""
        from ui.services.controller import WorkbenchController

        host = self.host
        path = wb.path
        host.statusBar().clearMessage()
        if self.closing:  # the window closed while the file was being opened: give it back
            self._drop_look()
            wb.close()
            return
        shown_before = self.look is not None
        if not shown_before and host.controller is not None and not host.close_file():
            wb.close()  # the person kept the old file open; give this one back
            return
        host.install(WorkbenchController(wb), wb)
        self._drop_look()
        if error is not None:
            self._cannot_edit(error)
        elif wb.preparing:
            host.statusBar().showMessage(f"Preparing {wb.path.name} for editing…")
            self.opener.prepare(wb)
        if not wb.readonly or wb.preparing:
            settings.LAST_FILE.set(str(path))
        settings.add_recent(str(path))
        if not shown_before:
            host.file_shown.emit(str(path))
        if not wb.preparing:
            host.file_opened.emit(str(path))

    def _on_prepared(self, wb: Workbench, result: object) -> None:
        """Stage 3 (big files): the working copy is ready; rebuild the views editable."""
        from ui.services.controller import WorkbenchController

        host = self.host
        host.statusBar().clearMessage()
        c = host.controller
        if c is None or c.workbench is not wb:
            return  # closed or replaced meanwhile (finish_opening gave the file back)
        if isinstance(result, Exception):
            self._cannot_edit(result)
            host.file_opened.emit(str(wb.path))
            return
        persona, message = host.current_persona, host.current_message
        host.teardown(rebuilding=True)
        c.deleteLater()
        host.install(WorkbenchController(wb), wb)
        if message:
            host.show_message(message)
        elif persona:
            host.show_persona(persona)
        host.file_opened.emit(str(wb.path))

    def _cannot_edit(self, error: object) -> None:
        prompts.show_error(self.host.window(), "Could not open for editing",
                           f"{error}\n\nThe workbench stays open read-only.")
        self.host.show_read_only(
            "This workbench is open read-only: you can read, search and export it, but not change it.",
            "Try Editing Again")

    def _drop_look(self) -> None:
        """Close the first look's reader once the views read through the editing session."""
        look, self.look = self.look, None
        if look is not None:
            look.reader.close()


class _AfterFirstPaint(QObject):
    """Calls ``then`` once after ``widget`` has painted — or after ``fallback_ms`` if it never does
    (a hidden window)."""

    def __init__(self, widget: QWidget, then: Callable[[], None], fallback_ms: int = 150) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self, self._fire)  # after the paint has finished
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self.deleteLater()
            then()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b
