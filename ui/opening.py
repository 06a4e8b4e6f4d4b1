"""Opening a file in stages, so the window paints its persona list before the editing core loads.

1. **Look** (pool thread, plain ``sqlite3``, no ORM): header, schema and lock —
   :func:`workbench.reader.first_look`. ``looked(FirstLook)``: the window shows the persona list
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

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from workbench import reader
from workbench.views import Context

from .background import BackgroundQuery

if TYPE_CHECKING:
    from workbench.session import Workbench

#: Files up to this size are checked and copied for editing in the same step that opens them.
PREPARE_AT_ONCE_MAX_BYTES = 64 * 1024 * 1024


class FileOpener(QObject):
    """Runs the stages of opening one file at a time; the window reacts to its signals."""

    #: Stage 1 done: a :class:`workbench.reader.FirstLook` to show (the window owns it now).
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

        def work() -> object:
            try:
                look = reader.first_look(path, ctx, readonly=readonly)
                if look is not None:
                    return look
                from workbench.session import Workbench

                return Workbench.open(path, ctx, readonly=readonly), None
            except Exception as exc:  # a value for the GUI thread's dialog
                return exc

        self._open.start(work)

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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
