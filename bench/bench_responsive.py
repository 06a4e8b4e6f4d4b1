"""Benchmark the window's responsiveness during a big import and its undo (not a test): prints, for
each phase, how long it took and the longest the GUI thread went without a turn.

    .venv/bin/python bench/bench_responsive.py [--personas 2000] [--json FILE.json] [--keep DIR]

Without ``--json`` the document is made the way ``bench/generate.py`` makes bench's workbench
(same rows, same seed) and exported to interchange JSON: 2,000 personas are ≈ 48,000 messages and
81 MB. The app is the real one, offscreen: a main window over an empty workbench runs File › Import
(``file_actions.import_file``: the file is read on a pool thread, the command runs through the
controller on a worker behind the busy dialog), then Edit › Undo. A 20 ms timer on the GUI thread
records when it actually ran; a gap is a stall. The phases:

- *read*: ``interchange.load_source`` on a pool thread (``json.loads`` holds the interpreter lock);
- *import* and *undo*: the command on the worker, behind the busy dialog;
- *after*: the GUI thread's own work once a command is done (undo stack, every view refreshing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

#: The stall the window must never exceed while a command runs (seconds).
LIMIT = 0.100


def make_document(personas: int, folder: Path) -> Path:
    """Bench's workbench of ``personas`` personas (bench/generate.py), exported to JSON in ``folder``."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate  # type: ignore[import-not-found]  # bench/generate.py, a script beside this one

    source = folder / f"p{personas}.workbench"
    out = folder / f"p{personas}.json"
    generate.generate(source, personas, log=lambda line: print(f"  generate: {line}", flush=True))
    generate.export_json(source, out, log=lambda line: print(f"  generate: {line}", flush=True))
    source.unlink()
    return out


def _wait(signal: Any, timeout_s: float = 600.0) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()


class Phases:
    """Named time spans, recorded by wrapping the functions that run them (on any thread)."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, float, float]] = []

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, recording each call as a span called ``name``."""
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spans.append((name, start, time.perf_counter()))
        return timed


def run(document: Path, folder: Path) -> int:
    """Import ``document`` into an empty workbench in the app, undo it, print the figures."""
    from ui.services import settings
    from ui.services.theme import apply_scheme
    from ui.shell import file_actions, prompts
    from ui.shell.main_window import MainWindow
    from workbench.exchange import interchange
    from workbench.session import Workbench

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_scheme(app, dark=False)
    settings.use_path(folder / "settings.ini")
    os.environ["PERSONA_WORKBENCH_DATA"] = str(folder / "data")
    target = folder / "target.workbench"
    Workbench.create(target)
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    window.open_path(target)
    _wait(window.file_opened)
    controller = window.controller
    assert controller is not None
    phases = Phases()
    interchange.load_source = phases.wrap("read", interchange.load_source)  # type: ignore[assignment]
    wb = controller.workbench
    wb.execute = phases.wrap("command", wb.execute)  # type: ignore[method-assign]
    prompts.show_info = lambda *_a: None  # the import's report: no modal in a benchmark
    failures: list[str] = []

    def failed(_parent: object, title: str, text: str) -> None:  # an error: reported, never a modal
        failures.append(f"{title}: {text}")
        print(f"error dialog: {title}: {text}", flush=True)

    prompts.show_error = failed
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ticks.append(time.perf_counter())
    timer.start()
    start = time.perf_counter()
    file_actions.import_file(window, str(document))
    _wait(window.task_finished)
    imported = time.perf_counter()
    if failures:
        window.close()
        return 1
    personas = wb.persona_count()
    undo = next(a for a in window.edit_menu.actions() if a.text().startswith("Undo"))
    undo.trigger()
    end = time.perf_counter()
    QTimer.singleShot(300, timer.stop)
    _wait(timer.timeout, 1.0)
    ticks.append(time.perf_counter())
    left = wb.persona_count()
    window.close()

    def longest(a: float, b: float) -> float:
        """The longest stretch of [a, b] the GUI thread went without a tick."""
        gaps = [min(t1, b) - max(t0, a) for t0, t1 in zip(ticks, ticks[1:], strict=False) if t1 > a and t0 < b]
        return max(gaps, default=0.0)

    names = {"read": "read the JSON (pool thread)"}
    commands = [s for s in phases.spans if s[0] == "command"]
    labels = ["import command (worker)", "undo (worker)"]
    print(f"\n{document.name}: {personas} personas imported, {left} left after undo; "
          f"{imported - start:.2f} s to import (flow), {end - imported:.2f} s to undo")
    print(f"{'phase':<34}{'took':>9}{'longest GUI stall':>20}")
    rows: list[tuple[str, float, float]] = []
    for name, s, e in phases.spans:
        if name == "read":
            rows.append((names["read"], s, e))
    for (_n, s, e), label in zip(commands, labels, strict=False):
        rows.append((label, s, e))
    follow = [(e, (commands[i + 1][1] if i + 1 < len(commands) else ticks[-1])) for i, (_n, _s, e) in enumerate(commands)]
    for (s, e), label in zip(follow, ["after the import (GUI: push, views)", "after the undo (GUI: views)"], strict=False):
        rows.append((label, s, e))
    for label, s, e in rows:
        stall = longest(s, e)
        mark = "" if stall <= LIMIT or label.startswith(("after", "read")) else "  > 100 ms"
        print(f"{label:<34}{e - s:>8.2f}s{stall * 1000:>17.0f} ms{mark}")
    worst = max((longest(s, e) for _n, s, e in commands), default=0.0)
    total = sum(e - s for _n, s, e in commands)
    print(f"\ncommands on the worker: {total:.2f} s in all; longest GUI-thread stall while they ran: "
          f"{worst * 1000:.0f} ms (limit {LIMIT * 1000:.0f} ms)")
    return 0 if worst <= LIMIT and personas and not left else 1


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--personas", type=int, default=2000, help="size of the generated document")
    ap.add_argument("--json", type=Path, help="import this interchange document instead of generating one")
    ap.add_argument("--keep", type=Path, help="work in this folder (and keep it) instead of a temporary one")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pwb-responsive-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["PERSONA_WORKBENCH_DATA"] = str(folder / "data")
        document = args.json or make_document(args.personas, folder)
        json.loads("{}")  # the json module loaded before the clock starts
        return run(document, folder)


if __name__ == "__main__":
    sys.exit(main())
