"""One benchmark runner: every figure next to its baseline measured in the same run (medians).

    python bench/generate.py /tmp/pwb-bench/big.workbench
    python bench/generate.py /tmp/pwb-bench/p2000.workbench --personas 2000 --json /tmp/pwb-bench/p2000.json
    python bench/run.py [--runs 5] [--markdown] [--only cli,search,...]

Groups (``--only``): ``cli`` (info/search as a user runs them), ``search``, ``lists`` (persona paging,
coverage matrix), ``io`` (import the 2,000-persona JSON, export the big workbench), ``edit`` (a
global avoid-term edit on the big workbench), ``open`` (opening the big file for writing), ``gui``
(start-up to first paint and memory, when the desktop app supports the bench hooks).

Every process-level figure is wall time from spawn to exit; in-process figures use
``time.perf_counter``. Files stay warm in the page cache (the median hides the first, cold run).
Nothing here writes to the benchmark inputs: edits and imports run on copies under a temp folder.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PY = sys.executable
MAIN = str(ROOT / "main.py")
DEFAULT_DIR = Path("/tmp/pwb-bench")
GROUPS = ("cli", "search", "lists", "io", "edit", "open", "gui")
#: The app exits right after its persona list first paints when this is set (see docs/PERFORMANCE.md).
EXIT_AFTER_PAINT = "PERSONA_WORKBENCH_BENCH_EXIT_AFTER_PAINT"
#: With EXIT_AFTER_PAINT: scroll the persona list to the bottom (page by page) before exiting.
SCROLL_ALL = "PERSONA_WORKBENCH_BENCH_SCROLL_ALL"


@dataclass
class Row:
    """One line of the results table."""

    group: str
    what: str
    value: float | None  # seconds (or MB when unit == "MB")
    baseline: str = ""
    base_value: float | None = None
    target: str = ""
    verdict: str = ""
    unit: str = "s"
    note: str = ""


def fmt(value: float | None, unit: str = "s") -> str:
    """Seconds as ms below 1 s; MB as MB."""
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def verdict(value: float | None, limit: float | None) -> str:
    """``met (−x%)`` / ``MISSED (+x%)`` against a limit in the value's unit."""
    if value is None or limit is None:
        return ""
    pct = (value - limit) / limit * 100
    return f"met ({pct:+.0f}%)" if value <= limit else f"MISSED ({pct:+.0f}%)"


def median_time(fn: Callable[[], Any], runs: int, warm: int = 1) -> float:
    """Median seconds of ``fn()`` over ``runs`` runs after ``warm`` unmeasured ones."""
    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_process(argv: Sequence[str], env: dict[str, str] | None = None, timeout: float = 600,
                cwd: str | None = None) -> tuple[float, int, float, str]:
    """Spawn, wait; returns ``(wall seconds, exit status, peak RSS in MB, stderr tail)``."""
    t = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    deadline = t + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            return float("inf"), -9, usage.ru_maxrss / 1024, (err + "\n(timed out)")[-400:]
        time.sleep(0.002)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    return wall, proc.returncode, usage.ru_maxrss / 1024, err[-400:]


def time_to_line(argv: Sequence[str], marker: str, env: dict[str, str] | None = None,
                 timeout: float = 120) -> tuple[float, int, float, str]:
    """Spawn; seconds from spawn until a stderr line containing ``marker`` arrives (the process then
    exits by itself). Returns ``(seconds or inf, exit status, peak RSS in MB, stderr tail)``."""
    import threading

    t = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seen: list[float] = []
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace")
            if marker in line and not seen:
                seen.append(time.perf_counter() - t)
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0) if timeout is None else _wait(proc, t + timeout)
    finally:
        reader.join(5)
    code = os.waitstatus_to_exitcode(status) if status >= 0 else -9
    return (seen[0] if seen else float("inf")), code, usage.ru_maxrss / 1024, "".join(lines)[-400:]


def _wait(proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, int, Any]:
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return pid, status, usage
        if time.perf_counter() > deadline:
            proc.kill()
            pid, _status, usage = os.wait4(proc.pid, 0)
            return pid, -1, usage
        time.sleep(0.002)


def median_process(argv: Sequence[str], runs: int, env: dict[str, str] | None = None,
                   expect: tuple[int, ...] = (0,)) -> float:
    """Median wall time of a process over ``runs`` runs (after one warm-up); raises on failure."""
    times = []
    for i in range(runs + 1):
        wall, code, _rss, err = run_process(argv, env)
        if code not in expect:
            raise RuntimeError(f"{' '.join(argv)} exited {code}: {err.strip()}")
        if i:
            times.append(wall)
    return statistics.median(times)


def isolated_env(tmp: Path, **extra: str) -> dict[str, str]:
    """An environment whose data folder and settings live in ``tmp`` (never the user's).

    Byte-code is allowed (an installed app has its ``.pyc`` files; compiling our modules on every
    start would add ≈ 0.1 s that no user pays): see :func:`compile_sources`.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"PERSONA_WORKBENCH_DATA": str(tmp / "data"), "XDG_CONFIG_HOME": str(tmp / "config"),
                "XDG_DATA_HOME": str(tmp / "share"), "HOME": str(tmp / "home"), "CI": "1"})
    env.update(extra)
    for key in ("data", "config", "share", "home"):
        (tmp / key).mkdir(parents=True, exist_ok=True)
    return env


# --- groups ------------------------------------------------------------------------------------


def compile_sources() -> None:
    """Write the ``.pyc`` files an installed app has, even when PYTHONDONTWRITEBYTECODE is set here."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-m", "compileall", "-q", "workbench", "ui", "main.py"], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, check=True)


def bench_cli(big: Path, runs: int, tmp: Path, words: dict[str, str]) -> list[Row]:
    """CLI ``info`` and ``search`` vs bare interpreter and bare sqlite3."""
    env = isolated_env(tmp / "cli")
    bare = median_process([PY, "-c", "pass"], runs, env)
    floor_sql = textwrap.dedent(f"""
        import sqlite3
        c = sqlite3.connect({f'file:{big}?mode=ro&immutable=1'!r}, uri=True)
        print(c.execute("SELECT count(*) FROM personas").fetchone(), c.execute("SELECT count(*) FROM messages").fetchone())
    """)
    bare_sql = median_process([PY, "-c", floor_sql], runs, env)
    info = median_process([PY, MAIN, "info", str(big)], runs, env)
    rows = [
        Row("cli", "`info` on the big workbench", info, "`python -c pass`", bare, "≤ 0.5 s", verdict(info, 0.5)),
        Row("cli", "  same, floor: bare `import sqlite3` + 2 counts", bare_sql, "", None, "", ""),
    ]
    for label, word in (("rare", words["rare"]), ("commonest", words["common"])):
        t = median_process([PY, MAIN, "search", str(big), word], runs, env)
        rows.append(Row("cli", f"`search` {label} word ({word!r})", t, "`info`", info, "≤ info + 0.1 s",
                        verdict(t, info + 0.1)))
    return rows


def bench_search(big: Path, runs: int, words: dict[str, str]) -> list[Row]:
    """Core search latency (first page of results) vs the bare FTS5 lookup."""
    import sqlite3

    from workbench.session import Workbench

    rows: list[Row] = []
    raw = sqlite3.connect(f"file:{big}?mode=ro&immutable=1", uri=True)
    with Workbench.open(big, readonly=True) as wb:
        for label, word, limit in (("commonest", words["common"], 0.100), ("rare", words["rare"], 0.010)):
            n = raw.execute("SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                            (f'"{word}"*',)).fetchone()[0]
            hits = wb.search(word)
            t = median_time(lambda w=word: wb.search(w), runs * 2)  # type: ignore[misc]
            floor = median_time(lambda w=word: raw.execute(
                "SELECT rowid FROM search_index WHERE search_index MATCH ? LIMIT 50", (f'"{w}"*',)).fetchall(),
                runs * 2)
            rows.append(Row("search", f"core search, {label} word {word!r} ({n:,} matching docs, "
                            f"{len(hits)} shown)", t, "bare FTS5 MATCH, unranked, LIMIT 50", floor,
                            f"≤ {limit * 1000:.0f} ms", verdict(t, limit)))
    raw.close()
    return rows


def bench_lists(big: Path, runs: int) -> list[Row]:
    """Persona list paging and the coverage matrix vs bare sqlite3 reads of the same columns."""
    import sqlite3

    from workbench.session import Workbench

    rows: list[Row] = []
    raw = sqlite3.connect(f"file:{big}?mode=ro&immutable=1", uri=True)
    page = 200
    with Workbench.open(big, readonly=True) as wb:
        total = wb.persona_count()

        def scroll_offset() -> int:
            seen = 0
            for offset in range(0, total, page):
                seen += len(wb.persona_summaries(offset, page))
            return seen

        def floor_list() -> int:
            return len(raw.execute("SELECT id, name, role, organization, status, updated_at FROM personas "
                                   "ORDER BY name, id").fetchall())

        assert scroll_offset() == total
        t = median_time(scroll_offset, runs)
        floor = median_time(floor_list, runs)
        rows.append(Row("lists", f"  reference: {total:,} personas in OFFSET pages of {page} (not used by the app)", t,
                        "bare sqlite3: all rows in one indexed query", floor, "", ""))
        def scroll_by_key() -> int:
            order = wb.persona_order()
            return sum(len(wb.persona_summaries_for(order[start:start + page]))
                       for start in range(0, len(order), page))

        assert scroll_by_key() == total
        t = median_time(scroll_by_key, runs)
        rows.append(Row("lists", f"persona list: ids in order once, then {total // page} pages of {page} by key "
                        "(`persona_order` + `persona_summaries_for`)", t, "", None, "≤ 150 ms",
                        verdict(t, 0.150)))
        t = median_time(wb.coverage, runs)
        floor = median_time(lambda: raw.execute(
            "SELECT persona_id, channel_id, stage, status, breach_count, override_reason, in_force_revision_id "
            "FROM messages WHERE status != 'retired'").fetchall(), runs)
        rows.append(Row("lists", "  whole coverage matrix (`Workbench.coverage`: export, check — not the view)", t,
                        "bare sqlite3: the covering-index scan", floor, "", ""))
        whole = t
        # The coverage view never reads the whole matrix: the persona order, then the rows of the
        # first screen by key (ui.pages.coverage_view.PAGE = 50 rows per read); the totals follow on a worker.
        shown = 50

        def first_screen() -> int:
            return len(wb.coverage_for(wb.persona_order()[:shown]).personas)

        assert first_screen() == min(shown, total)
        t = median_time(first_screen, runs)
        rows.append(Row("lists", f"coverage view: first screen ({shown} of {total:,} personas read; `persona_order` "
                        "+ `coverage_for`)", t, "`Workbench.coverage` (whole matrix)", whole, "≤ 150 ms",
                        verdict(t, 0.150)))
        t = median_time(wb.coverage_summary, runs)
        counts = median_time(wb.coverage_counts, runs)
        rows.append(Row("lists", "coverage view: totals for every stage filter (`coverage_summary`, on a worker)",
                        t, "`coverage_counts` (all stages only)", counts, "off the GUI thread", "met (worker)"))
    raw.close()
    # The real view, offscreen, in a fresh process: show → first paint (rows on screen read), then
    # until the totals replace "Counting…". In-process figures, median over runs.
    script = textwrap.dedent(f"""
        import os, sys, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.services.controller import WorkbenchController
        from ui.pages.coverage_view import COUNTING, CoverageView
        from workbench.session import Workbench
        c = WorkbenchController(Workbench.open({str(big)!r}, readonly=True))
        view = CoverageView(c)
        view.resize(1100, 700)
        start = time.perf_counter()
        view.show()
        view.grab()
        painted = time.perf_counter() - start
        while view.summary.text() == COUNTING:
            app.processEvents()
            time.sleep(0.001)
        print(painted, time.perf_counter() - start, view.table.rowAt(view.table.viewport().height() - 1) + 1)
        c.close()
    """)
    with tempfile.TemporaryDirectory(prefix="pwb-cov-") as tmp:
        env = isolated_env(Path(tmp))
        figures = []
        for _ in range(runs + 1):
            out = subprocess.run([PY, "-c", script], capture_output=True, text=True, env=env, timeout=300)
            if out.returncode != 0:
                raise RuntimeError(f"coverage view failed ({out.returncode}): {out.stderr[-2000:]}")
            figures.append([float(x) for x in out.stdout.split()])
    painted = statistics.median(f[0] for f in figures[1:])
    counted = statistics.median(f[1] for f in figures[1:])
    on_screen = int(figures[-1][2])
    rows.append(Row("lists", f"coverage view (Qt, offscreen): show → first paint ({on_screen} personas on "
                    "screen)", painted, "", None, "≤ 150 ms", verdict(painted, 0.150)))
    rows.append(Row("lists", "  same, show → totals counted on the worker (\"Counting…\" until then)", counted))
    return rows


def bench_io(big: Path, source_json: Path, runs: int, tmp: Path) -> list[Row]:
    """CLI import of the 2,000-persona JSON and export of the big workbench."""
    env = isolated_env(tmp / "io")
    rows: list[Row] = []
    parse = median_process([PY, "-c", f"import json; json.load(open({str(source_json)!r}, encoding='utf-8'))"],
                           runs, env)
    times = []
    for i in range(max(1, min(runs, 3))):
        target = tmp / f"import-{i}.workbench"
        subprocess.run([PY, MAIN, "new", str(target)], check=True, env=env, stdout=subprocess.DEVNULL)
        wall, code, _rss, err = run_process([PY, MAIN, "import", str(target), str(source_json)], env)
        if code != 0:
            raise RuntimeError(f"import failed ({code}): {err}")
        times.append(wall)
        target.unlink()
    t = statistics.median(times)
    rows.append(Row("io", f"CLI import of the 2,000-persona JSON ({source_json.stat().st_size / 1e6:.0f} MB, "
                    "48,000 messages) into a new workbench", t, "`json.load` of the same file", parse, "≤ 20 s",
                    verdict(t, 20.0)))
    out = tmp / "export.json"
    floor_code = textwrap.dedent(f"""
        import json, sqlite3
        c = sqlite3.connect({f'file:{big}?mode=ro&immutable=1'!r}, uri=True)
        c.row_factory = sqlite3.Row
        doc = {{t: [dict(r) for r in c.execute(f"SELECT * FROM {{t}}")] for t in
               ("personas", "messages", "message_revisions", "terms", "objections", "channels")}}
        open({str(tmp / 'floor.json')!r}, "w").write(json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False))
    """)
    export_runs = max(1, min(runs, 3))
    floor = median_process([PY, "-c", floor_code], export_runs - 1 or 1, env)
    t = median_process([PY, MAIN, "export", str(big), "-o", str(out)], export_runs - 1 or 1, env)
    rows.append(Row("io", f"CLI export of the big workbench to JSON ({out.stat().st_size / 1e6:.0f} MB)", t,
                    "bare sqlite3 → json.dumps of every table", floor, "≤ 30 s", verdict(t, 30.0)))
    for f in (out, tmp / "floor.json"):
        f.unlink(missing_ok=True)
    return rows


def bench_edit(big: Path, tmp: Path, common_word: str) -> list[Row]:
    """Lingo edits on a working copy of the big workbench, as the desktop app runs them: the command
    on the GUI thread, and a re-check of more than DEFER_RECHECKS_OVER messages on a worker."""
    import sqlite3

    from workbench.domain.values import Context
    from workbench.edit import commands
    from workbench.session import Workbench
    from workbench.store.sqlite import search

    defer_over = 2000  # ui.services.controller.DEFER_RECHECKS_OVER (not imported: no Qt here)
    rows: list[Row] = []
    copy = tmp / "edit.workbench"
    shutil.copyfile(big, copy)
    data = tmp / "edit-data"
    with Workbench.open(copy, Context(user="bench"), data_dir=data) as wb:
        wb.defer_rechecks_over = defer_over
        term = next(t for t in wb.terms() if t.kind == "avoid" and t.persona_id is None and t.term == "contract")
        t0 = time.perf_counter()
        wb.execute(commands.UpdateTerm(term.id, {"term": "contracts"}))
        rare = time.perf_counter() - t0
        t0 = time.perf_counter()
        rare_changed = wb.run_recheck()
        rare_worker = time.perf_counter() - t0
        raw = sqlite3.connect(f"file:{wb.file.db_path}?mode=ro", uri=True)
        t0 = time.perf_counter()
        ids = search.candidate_ids(raw, ["contract", "contracts"], "message")
        cand = time.perf_counter() - t0
        raw.close()
        rows.append(Row("edit", "edit a global avoid term ('contract' → 'contracts'): the command, GUI thread",
                        rare, "finding the candidates in the search index", cand, "≤ 100 ms", verdict(rare, 0.1),
                        note=f"re-check of its {len(ids or ()):,} candidate messages on a worker: "
                        f"{1000 * rare_worker:.0f} ms, {len(rare_changed):,} counts changed"))
        t0 = time.perf_counter()
        wb.execute(commands.CreateTerm(common_word, "avoid", "—"))
        command = time.perf_counter() - t0
        t0 = time.perf_counter()
        changed = wb.run_recheck()
        worker = time.perf_counter() - t0
        rows.append(Row("edit", f"add a global avoid term for the commonest word ('{common_word}', in every "
                        "message): the command, GUI thread", command, "", None, "≤ 100 ms", verdict(command, 0.1),
                        note=f"re-check of every message on a worker: {worker:.1f} s, "
                        f"{len(changed):,} counts changed; the window stays responsive"))
        wb.close(write_back=False)
    return rows


def bench_open(big: Path, runs: int, tmp: Path) -> list[Row]:
    """Opening the big file for editing as the app does it: the first look (checks, lock, persona
    order) before the window shows the file, and the working copy made afterwards on a worker."""
    from workbench.domain.values import Context
    from workbench.session import Workbench
    from workbench.store.sqlite import reader

    data = tmp / "open-data"
    ctx = Context(user="bench")

    def first_look() -> None:
        look = reader.first_look(big, ctx, data_dir=data)
        assert look is not None
        look.release()

    def open_rw() -> None:
        wb = Workbench.open(big, ctx, data_dir=data)
        wb.close(write_back=False)

    def plain_copy() -> None:
        shutil.copyfile(big, tmp / "plain-copy.workbench")

    n = max(1, min(runs, 3))
    t_look = median_time(first_look, n)
    t_rw = median_time(open_rw, n)
    t_cp = median_time(plain_copy, n)
    (tmp / "plain-copy.workbench").unlink(missing_ok=True)
    size = big.stat().st_size / 1e6
    return [
        Row("open", f"opening the {size:.0f} MB file for editing: first look (header, schema, lock, persona "
            "order), before the window shows it", t_look, "", None, "no copy before the window shows the file",
            "met (no copy)"),
        Row("open", "  then on a worker: integrity check + working copy (copy, hash, fsync)", t_rw,
            "`shutil.copyfile` of the file (page cache warm)", t_cp, "never on the GUI thread", "met (worker)"),
    ]


#: The floor: a bare PySide6 window with a list, shown and painted; it prints the same line as the
#: app's bench hook when its list first paints.
BARE_WINDOW = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QListWidget
    app = QApplication(sys.argv[:1])
    class List(QListWidget):
        painted = False
        def paintEvent(self, e):
            super().paintEvent(e)
            if not List.painted:
                List.painted = True
                print("first paint", file=sys.stderr, flush=True)
                QTimer.singleShot(0, app.quit)
    w = QMainWindow(); lst = List(); lst.addItems([f"Persona {i}" for i in range(200)])
    w.setCentralWidget(lst); w.resize(1200, 800); w.show()
    sys.exit(app.exec())
""")


def bench_gui(big: Path, runs: int, tmp: Path) -> list[Row]:
    """Start-up to first paint and memory, when the app supports the bench hooks; else a note."""
    env = isolated_env(tmp / "gui", QT_QPA_PLATFORM="offscreen")
    marker = "first paint"
    bare_runs = [time_to_line([PY, "-c", BARE_WINDOW], marker, env) for _ in range(runs + 1)][1:]
    if any(code != 0 for _t, code, _rss, _err in bare_runs):
        return [Row("gui", "bare PySide6 window", None, note=f"skipped: {bare_runs[0][3].strip()[-200:]}")]
    bare = statistics.median(t for t, _code, _rss, _err in bare_runs)
    base = Row("gui", "bare PySide6 window (QMainWindow + list): spawn → list painted", bare)
    what = "`python main.py BIG.workbench`: spawn → persona list painted"
    gui_env = dict(env, **{EXIT_AFTER_PAINT: "1"})
    results = [time_to_line([PY, MAIN, str(big)], marker, gui_env, timeout=120) for _ in range(runs + 1)][1:]
    failed = [r for r in results if r[1] != 0 or r[0] == float("inf")]
    if failed:
        return [base, Row("gui", what, None, "bare window", bare, "≤ 2.5 × bare", "not measured",
                          note=f"the app did not paint and exit (exit {failed[0][1]}): {failed[0][3].strip()[-200:]}")]
    t = statistics.median(r[0] for r in results)
    core = "editing core loaded at first paint" if any("loaded: yes" in r[3] for r in results) else \
        "editing core (SQLAlchemy) not yet loaded at first paint"
    rows = [base, Row("gui", what, t, "bare window", bare, "≤ 2.5 × bare", verdict(t, 2.5 * bare), note=core)]
    scroll_env = dict(gui_env, **{SCROLL_ALL: "1"})
    wall, code, rss, err = run_process([PY, MAIN, str(big)], scroll_env, timeout=300)

    scrolled = re.search(r"scrolled (\d+) personas in ([\d.]+) s", err)
    memory = re.search(r"memory after scrolling (\d+) MB \(peak (\d+) MB\)", err)
    if code == 0 and scrolled and memory:
        n, took = int(scrolled.group(1)), float(scrolled.group(2))
        rows.append(Row("gui", f"persona list scrolled top to bottom a page at a time, each page painted "
                        f"({n:,} personas)", took, note=f"{1000 * took / max(1, n / 15):.1f} ms per screenful"))
        now, peak = float(memory.group(1)), float(memory.group(2))
        rows.append(Row("gui", "RSS after opening the big workbench for editing and scrolling everything "
                        "(background work finished)", now, target="≤ 300 MB", verdict=verdict(now, 300.0),
                        unit="MB", note=f"peak {peak:.0f} MB; process took {wall:.1f} s"))
    else:
        rows.append(Row("gui", "RSS after scrolling everything", None, target="≤ 300 MB",
                        verdict="not measured", note=f"app exited {code}: {err.strip()[-200:]}"))
    return rows


# --- output ------------------------------------------------------------------------------------


def render(rows: list[Row], markdown: bool) -> str:
    """The results table (plain text or markdown)."""
    head = ("measure", "median", "baseline (same run)", "baseline", "target", "result")
    body = [(r.what + (f" — {' '.join(r.note.split())}" if r.note else ""), fmt(r.value, r.unit), r.baseline,
             fmt(r.base_value) if r.base_value is not None else "", r.target, r.verdict) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
        return "\n".join(lines)
    widths = [min(70, max(len(h), *(len(row[i]) for row in body))) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    for row in body:
        out.append("  ".join(textwrap.shorten(c, 200).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected groups and print the table."""
    ap = argparse.ArgumentParser(description="Persona Workbench benchmarks (see bench/run.py's docstring).")
    ap.add_argument("--big", type=Path, default=DEFAULT_DIR / "big.workbench")
    ap.add_argument("--json", type=Path, default=DEFAULT_DIR / "p2000.json")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--markdown", action="store_true", help="print a markdown table (for docs/PERFORMANCE.md)")
    ap.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups: {', '.join(GROUPS)}")
    ap.add_argument("--common-word", default="the")
    ap.add_argument("--rare-word", default="quillwort")
    args = ap.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = set(groups) - set(GROUPS)
    if unknown:
        ap.error(f"unknown groups: {', '.join(sorted(unknown))}")
    if not args.big.exists():
        ap.error(f"{args.big} does not exist: run bench/generate.py first")
    words = {"common": args.common_word, "rare": args.rare_word}
    compile_sources()
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="pwb-run-", dir=args.big.parent))
    started = time.perf_counter()
    try:
        for group in groups:
            print(f"… {group}", file=sys.stderr, flush=True)
            if group == "cli":
                rows += bench_cli(args.big, args.runs, tmp, words)
            elif group == "search":
                rows += bench_search(args.big, args.runs, words)
            elif group == "lists":
                rows += bench_lists(args.big, args.runs)
            elif group == "io":
                if args.json.exists():
                    rows += bench_io(args.big, args.json, args.runs, tmp)
                else:
                    rows.append(Row("io", "import/export", None, note=f"skipped: {args.json} missing"))
            elif group == "edit":
                rows += bench_edit(args.big, tmp, args.common_word)
            elif group == "open":
                rows += bench_open(args.big, args.runs, tmp)
            elif group == "gui":
                rows += bench_gui(args.big, args.runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    size = args.big.stat().st_size / 1e6
    print(f"Big workbench: {args.big} ({size:.0f} MB); median of {args.runs} runs; "
          f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; took {time.perf_counter() - started:.0f} s\n")
    print(render(rows, args.markdown))
    print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
