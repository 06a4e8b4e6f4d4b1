"""Big commands run on a worker behind the busy dialog: the GUI thread keeps painting, the change still
lands on the undo stack and in ``changed``, errors still become ``failed``, and nothing runs beside them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.big_document import big_document
from ui.services import busy
from ui.services import controller as controller_module
from ui.services.busy import BusyRunner
from ui.services.controller import CommandRunning, WorkbenchController
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands
from workbench.exchange import interchange
from workbench.session import Workbench
from workbench.store.changes import Change

#: The GUI thread must get a turn at least this often (seconds) while a command runs on the worker.
MAX_STALL = 0.100
#: A document big enough to take seconds on this machine, small enough for a quick test (≈ 16,000 rows).
PERSONAS = 600


class Ticks:
    """A 20 ms timer on the GUI thread recording when it actually ran: the gaps are the stalls."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def __enter__(self) -> Ticks:
        self.times.append(time.perf_counter())
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        self.times.append(time.perf_counter())

    def gaps(self) -> list[tuple[float, float]]:
        """Every interval between two consecutive ticks."""
        return list(zip(self.times, self.times[1:], strict=False))


class Spans:
    """Wraps ``Workbench.execute`` to record when and on which thread each command ran."""

    def __init__(self, wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spans: list[tuple[float, float, bool]] = []
        run = wb.execute

        def timed(command: commands.Command) -> Change:
            start = time.perf_counter()
            try:
                return run(command)
            finally:
                self.spans.append((start, time.perf_counter(), threading.current_thread() is threading.main_thread()))

        monkeypatch.setattr(wb, "execute", timed)


@pytest.fixture
def big_json() -> dict[str, object]:
    """The big interchange document (built once per test: it is changed by validation)."""
    return big_document(PERSONAS)


@pytest.fixture
def empty(wb_path: Path, ctx: Context) -> Iterator[WorkbenchController]:
    """A controller over an empty workbench."""
    c = WorkbenchController(Workbench.open(wb_path, ctx))
    yield c
    c.close()


def test_big_import_and_undo_leave_the_gui_thread_free(qtbot: QtBot, empty: WorkbenchController,
                                                       big_json: dict[str, object],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The import and its undo run on a worker; the GUI thread is never held more than 100 ms while
    they run. What is left on the GUI thread is pushing the change and announcing it (measured and
    bounded separately: one stall at most per command, none here over a second)."""
    spans = Spans(empty.workbench, monkeypatch)
    dialogs: list[tuple[str, str]] = []
    empty.busy_started.connect(lambda title, text: dialogs.append((title, text)))
    changed: list[Change] = []
    empty.changed.connect(changed.append)
    with Ticks() as ticks:
        change = empty.run(interchange.ImportDocument(big_json, label="Import big.json"),
                           busy_text=f"Importing {PERSONAS} personas from big.json…")
        assert change is not None and empty.workbench.persona_count() == PERSONAS
        empty.undo_stack.undo()
    assert empty.workbench.persona_count() == 0
    rows = len(change.after)
    assert rows > controller_module.LONG_CHANGE_ROWS  # so the undo ran on the worker too
    assert [on_gui for _s, _e, on_gui in spans.spans] == [False, False]
    assert [c.label for c in changed] == ["Import big.json", "Import big.json"]
    assert [title for title, _text in dialogs] == ["Import big.json", "Undo Import big.json"]
    assert "Importing 600 personas from big.json…" in dialogs[0][1] and "no progress" in dialogs[0][1]
    assert f"({rows:,} rows)" in dialogs[1][1]

    during, after = [], []
    for start, end in ticks.gaps():
        # The part of a stall inside a command's run is the worker's doing; the rest is the GUI
        # thread's own work before (starting it) or after (push, changed).
        inside = max((min(end, e) - max(start, s) for s, e, _g in spans.spans), default=0.0)
        if inside > MAX_STALL:
            during.append(round(inside, 3))
        elif end - start > MAX_STALL:
            after.append(round(end - start, 3))
    took = sum(e - s for s, e, _g in spans.spans)
    print(f"commands on the worker: {took:.2f} s; longest GUI stall while they ran: "
          f"{max((min(e2, e) - max(s2, s) for s2, e2 in ticks.gaps() for s, e, _g in spans.spans), default=0):.3f} s; "
          f"stalls after them: {after}")
    assert not during, f"the GUI thread stalled while a command ran on the worker: {during} s"
    assert len(after) <= 2 and all(a < 1.0 for a in after), after


def test_a_command_asked_for_during_a_long_one_waits_for_it(qtbot: QtBot, empty: WorkbenchController,
                                                            big_json: dict[str, object]) -> None:
    """A field committing while the dialog is up (its focus-out, its idle timer) is not lost and
    does not run beside the import: it runs after it, and is undone first."""
    asked: list[object] = []
    refused: list[str] = []

    def meanwhile() -> None:
        assert empty.busy
        asked.append(empty.run(commands.CreatePersona({"name": "Typed meanwhile"})))
        try:
            empty.run(commands.CreatePersona({"name": "Refused"}), raise_errors=True)
        except CommandRunning as exc:
            refused.append(str(exc))

    empty.busy_started.connect(lambda _t, _x: meanwhile())
    change = empty.run(interchange.ImportDocument(big_json, label="Import big.json"))
    assert change is not None
    assert asked == [None] and refused and "Import big.json" in refused[0]
    assert empty.workbench.find_persona("Typed meanwhile") is None  # not yet: after the import
    qtbot.waitUntil(lambda: empty.workbench.find_persona("Typed meanwhile") is not None, timeout=5_000)
    assert empty.workbench.find_persona("Refused") is None
    label = commands.CreatePersona({"name": "Typed meanwhile"}).label
    assert [empty.undo_stack.text(i) for i in range(empty.undo_stack.count())] == ["Import big.json", label]


def test_a_failing_long_command_reports_like_any_other(qtbot: QtBot, empty: WorkbenchController) -> None:
    bad = {"format": "persona-workbench", "version": 1, "personas": [{"name": ""}]}
    failures: list[tuple[str, str]] = []
    empty.failed.connect(lambda title, text: failures.append((title, text)))
    assert empty.run(interchange.ImportDocument(bad, label="Import bad.json")) is None
    assert failures and failures[0][0] == "Import bad.json" and "must not be empty" in failures[0][1]
    with pytest.raises(errors.InterchangeError):
        empty.run(interchange.ImportDocument(bad, label="Import bad.json"), raise_errors=True)
    assert empty.undo_stack.count() == 0 and not empty.busy


def test_small_edits_stay_on_the_gui_thread(qtbot: QtBot, empty: WorkbenchController,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An ordinary edit (milliseconds) pays no thread hand-off and shows no dialog."""
    spans = Spans(empty.workbench, monkeypatch)
    dialogs: list[str] = []
    empty.busy_started.connect(lambda title, _text: dialogs.append(title))
    change = empty.run(commands.CreatePersona({"name": "Quick"}))
    assert change is not None
    empty.undo_stack.undo()
    assert [on_gui for _s, _e, on_gui in spans.spans] == [True, True] and dialogs == []


def test_the_final_write_back_runs_on_a_worker(qtbot: QtBot, wb_path: Path, ctx: Context,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing within 1.5 s of an edit writes the file back off the GUI thread (seconds for a big file)."""
    c = WorkbenchController(Workbench.open(wb_path, ctx))
    c.run(commands.CreatePersona({"name": "Written at close"}))
    threads: list[bool] = []
    write_back = c.workbench.write_back

    def recording(*, force: bool = False) -> bool:
        threads.append(threading.current_thread() is threading.main_thread())
        return write_back(force=force)

    monkeypatch.setattr(c.workbench, "write_back", recording)
    c.final_write_back()
    c.close()
    assert threads and not any(threads)
    with Workbench.open(wb_path, ctx, readonly=True) as again:
        assert again.find_persona("Written at close") is not None


def test_busy_runner_hands_back_results_and_errors(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = BusyRunner()
    shown: list[str] = []
    runner.started.connect(lambda title, _text: shown.append(title))
    runner.ended.connect(lambda: shown.append("ended"))
    assert runner.run("Quick", "", lambda: threading.current_thread() is threading.main_thread()) is False
    assert shown == []  # done within QUIET_MS: no dialog
    with pytest.raises(errors.ValidationError, match="no good"):
        runner.run("Fails", "", lambda: (_ for _ in ()).throw(errors.ValidationError("no good")))
    monkeypatch.setattr(busy, "QUIET_MS", 10)
    assert runner.run("Slow", "", lambda: time.sleep(0.2) or 42) == 42
    assert shown == ["Slow", "ended"] and not runner.running


def test_the_background_recheck_holds_off_while_a_long_command_writes(
        qtbot: QtBot, empty: WorkbenchController, big_json: dict[str, object],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Both write and SQLite has one writer: a re-check chunk queued behind a 10 s import would time
    out ("database is locked"). Between chunks the re-check waits for the long command instead."""
    wb = empty.workbench
    spans = Spans(wb, monkeypatch)
    chunk_starts: list[float] = []
    first_chunk = threading.Event()
    done = {"runs": 0}

    def fake_recheck(progress: object = None) -> frozenset[str]:  # three chunks, like the core's
        for chunk in range(3):
            chunk_starts.append(time.perf_counter())
            first_chunk.set()
            time.sleep(0.05)
            if callable(progress):
                progress(chunk + 1, 3)
        done["runs"] += 1
        return frozenset({"m1"})

    monkeypatch.setattr(wb, "run_recheck", fake_recheck)
    monkeypatch.setattr(type(wb), "recheck_pending", property(lambda _self: done["runs"] == 0))
    finished: list[bool] = []
    empty.rechecking.connect(finished.append)
    failures: list[str] = []
    empty.failed.connect(lambda title, text: failures.append(f"{title}: {text}"))
    empty._start_recheck()
    assert first_chunk.wait(5)
    assert empty.run(interchange.ImportDocument(big_json, label="Import big.json")) is not None
    qtbot.waitUntil(lambda: finished == [True, False], timeout=10_000)
    (_start, end, on_gui), = spans.spans
    assert not on_gui and not failures
    assert len(chunk_starts) == 3 and all(t >= end for t in chunk_starts[1:])  # none beside the import
