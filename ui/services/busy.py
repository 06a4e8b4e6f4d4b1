"""Run one long piece of work on a worker thread while the GUI thread keeps painting.

For work whose result the caller needs before it can go on — a command whose change goes on the
undo stack, an undo that ``QUndoStack`` expects done when it returns, the final write-back before a
file closes. :meth:`BusyRunner.run` looks synchronous to its caller but spins a nested event loop
while the worker runs, so the window repaints, the busy dialog animates and timers fire.

Input is the risk of a nested loop. For the first :data:`QUIET_MS` the loop leaves user input
queued (a run that ends by then never shows a dialog, and the clicks are delivered afterwards);
after that ``started`` asks for the window-modal busy dialog, which blocks input to the window
until ``ended``. One run at a time: a second :meth:`BusyRunner.run` while one runs is refused —
callers check :attr:`BusyRunner.running` first.

Python's cycle collector stops every thread while it runs, and a full pass over the heap of a big
import (millions of objects) takes 50–110 ms — each one a stall of the window that the worker
cannot prevent. So automatic collection is paused while a run lasts (reference counting still
frees everything that is not a cycle) and resumes when it ends; the pass it owes then falls on the
GUI thread's own work after the command (pushing the change, refreshing the views), once.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal

T = TypeVar("T")

#: A run that ends within this many milliseconds shows no dialog.
QUIET_MS = 250


class BusyRunner(QObject):
    """Runs one function at a time on its own worker thread behind a nested event loop."""

    #: The run outlasted :data:`QUIET_MS`: (title, text) for a busy dialog.
    started = Signal(str, str)
    #: The run that emitted ``started`` ended (the dialog goes).
    ended = Signal()
    #: Worker → GUI thread: the run with this number finished (queued across threads).
    _finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = False
        self._number = 0
        self._loop: QEventLoop | None = None
        self._finished.connect(self._wake)

    @property
    def running(self) -> bool:
        """Whether a run is under way (its caller is waiting in the nested loop)."""
        return self._running

    def run(self, title: str, text: str, fn: Callable[[], T]) -> T:
        """Call ``fn`` on a worker thread and return its result (or raise its exception) here, on
        the GUI thread, once it is done; the event loop keeps running meanwhile."""
        if self._running:
            raise RuntimeError("a long run is already under way")
        if QCoreApplication.instance() is None:
            return fn()  # no event loop to keep alive (a script without a window)
        self._running = True
        self._number += 1
        number = self._number
        done = threading.Event()
        results: list[T] = []
        failures: list[BaseException] = []

        def work() -> None:  # worker thread: never touch widgets here
            try:
                results.append(fn())
            except BaseException as exc:  # handed to the GUI thread and raised there
                failures.append(exc)
            finally:
                done.set()
                try:
                    self._finished.emit(number)
                except RuntimeError:  # the runner was deleted meanwhile (the app is quitting)
                    pass

        thread = threading.Thread(target=work, name=f"busy: {title}", daemon=True)
        loop = QEventLoop()
        self._loop = loop
        shown = False
        collecting = gc.isenabled()
        gc.disable()  # see the module's docstring
        try:
            thread.start()
            quiet = QTimer()
            quiet.setSingleShot(True)
            quiet.timeout.connect(loop.quit)
            quiet.start(QUIET_MS)
            if not done.is_set():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            quiet.stop()
            if not done.is_set():
                shown = True
                self.started.emit(title, text)
                if not done.is_set():
                    loop.exec()
        finally:
            thread.join()  # returns at once unless the app quit under the loop
            if collecting:
                gc.enable()
            self._loop = None
            self._running = False
            if shown:
                self.ended.emit()
        if failures:
            raise failures[0]
        return results[0]

    def _wake(self, number: int) -> None:
        if number == self._number and self._loop is not None:
            self._loop.quit()
