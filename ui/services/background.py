"""Run a read-only query off the GUI thread and deliver its result back on it.

Reads that scan the whole workbench (problems, 10,000-persona checks) would freeze typing if run
on the GUI thread. The core's engine gives every session its own connection (NullPool), so a read
on a pool thread is safe. Results of superseded runs are dropped (a newer edit already asked again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Runnable(QRunnable):
    def __init__(self, owner: BackgroundQuery, generation: int, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._owner = owner
        self._generation = generation
        self._fn = fn

    def run(self) -> None:  # pool thread: no widgets here
        try:
            result = self._fn()
            self._owner._done.emit(self._generation, result, "")
        except Exception as exc:  # reported to the GUI thread, never raised on a pool thread
            try:
                self._owner._done.emit(self._generation, None, str(exc) or type(exc).__name__)
            except RuntimeError:  # the owner was deleted meanwhile
                pass


class BackgroundQuery(QObject):
    """One recurring query; :meth:`start` supersedes any run still in flight."""

    #: The newest run finished with this result.
    finished = Signal(object)
    #: The newest run raised: the message.
    failed = Signal(str)
    _done = Signal(int, object, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.running = False
        self._done.connect(self._on_done)

    def start(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` on the global pool (so closing a file waits for it)."""
        self._generation += 1
        self.running = True
        QThreadPool.globalInstance().start(_Runnable(self, self._generation, fn))

    def cancel(self) -> None:
        """Ignore the result of whatever is running."""
        self._generation += 1
        self.running = False

    def _on_done(self, generation: int, result: object, error: str) -> None:
        if generation != self._generation:
            return
        self.running = False
        if error:
            self.failed.emit(error)
        else:
            self.finished.emit(result)
