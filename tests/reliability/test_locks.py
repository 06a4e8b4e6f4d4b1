"""Locks beyond tests/workbench/test_lock.py: real crashed holders, live holders in another process
(app and command line), other machines' locks (never taken, whatever their pid), and racing openers."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from workbench.session import Workbench
    from workbench.domain.values import Context
    try:
        wb = Workbench.open(Path(sys.argv[1]), Context(user=sys.argv[2]))
    except Exception as exc:
        print("refused", type(exc).__name__, flush=True)
        sys.exit(0)
    print("got", flush=True)
    time.sleep(float(sys.argv[3]))
    wb.close()
    print("closed", flush=True)
""")


def spawn_holder(path: Path, user: str, hold_s: float, data_dir: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(data_dir))
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(path), user, str(hold_s)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(data_dir))
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_json(tmp_path: Path) -> Path:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "persona-workbench", "version": 1,
                                  "personas": [{"name": "From pipeline"}]}))
    return source


def test_lock_of_a_killed_process_is_taken_over(wb_path: Path, ctx: Context, tmp_path: Path) -> None:
    holder = spawn_holder(wb_path, "crashed", 60, tmp_path / "child-data")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "got"
        held = storage.read_holder(wb_path)
        assert held is not None and held.user == "crashed" and held.pid == holder.pid
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert storage.lock_path(wb_path).exists()  # a real crash leaves the lock behind
    with Workbench.open(wb_path, ctx):
        mine = storage.read_holder(wb_path)
        assert mine is not None and (mine.user, mine.pid) == ("tester", os.getpid())
    assert not storage.lock_path(wb_path).exists()


def test_live_holder_in_another_process_refuses_app_and_command_line(wb_path: Path, tmp_path: Path) -> None:
    data = tmp_path / "child-data"
    holder = spawn_holder(wb_path, "maria", 60, data)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "got"
        before = digest(wb_path)
        with pytest.raises(errors.Locked) as info:
            Workbench.open(wb_path, Context(user="tom"))
        assert info.value.holder.user == "maria" and info.value.holder.pid == holder.pid
        assert f"maria on {storage.hostname()}" in str(info.value)
        out = cli("import", str(wb_path), str(import_json(tmp_path)), data_dir=data)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and "maria on" in out.stderr and "Traceback" not in out.stderr
        assert digest(wb_path) == before
        with Workbench.open(wb_path, readonly=True) as ro:  # read-only still works
            assert ro.info().name == "test"
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait()


@pytest.mark.parametrize("pid", [1, 999_999, os.getpid()], ids=["alive-here", "dead-here", "our-own-pid"])
def test_another_machines_lock_is_never_taken_whatever_its_pid(wb_path: Path, ctx: Context, tmp_path: Path,
                                                              pid: int) -> None:
    lock = storage.lock_path(wb_path)
    lock.write_text(json.dumps({"user": "ghost", "host": "agency-laptop", "pid": pid,
                                "since": "2026-01-01T00:00:00+00:00", "app": "persona-workbench"}))
    old = 1_000_000  # a very old lock from another machine is still not ours to break
    os.utime(lock, (old, old))
    lock_bytes = lock.read_bytes()
    before = digest(wb_path)
    with pytest.raises(errors.Locked) as info:
        Workbench.open(wb_path, ctx)
    assert "ghost on agency-laptop" in str(info.value)
    out = cli("import", str(wb_path), str(import_json(tmp_path)), data_dir=tmp_path / "cli-data")
    assert out.returncode == 2 and "ghost on agency-laptop" in out.stderr and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1
    assert lock.read_bytes() == lock_bytes and digest(wb_path) == before


def test_racing_openers_exactly_one_wins(wb_path: Path, tmp_path: Path) -> None:
    data = tmp_path / "race-data"
    racers = [spawn_holder(wb_path, f"racer{i}", 2.0, data) for i in range(4)]
    results = []
    for proc in racers:
        out, err = proc.communicate(timeout=60)
        results.append(out.split()[0] if out else f"crash: {err[-300:]}")
    assert sorted(results).count("got") == 1, results
    assert all(r in ("got", "refused") for r in results), results
    assert not storage.lock_path(wb_path).exists()


def test_a_refused_open_never_touches_the_file_or_the_lock(wb_path: Path, tmp_path: Path) -> None:
    holder = spawn_holder(wb_path, "maria", 60, tmp_path / "child-data")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "got"
        lock = storage.lock_path(wb_path)
        lock_bytes, lock_mtime = lock.read_bytes(), lock.stat().st_mtime_ns
        before = digest(wb_path)
        for _ in range(3):
            with pytest.raises(errors.Locked):
                Workbench.open(wb_path, Context(user="tom"))
        assert lock.read_bytes() == lock_bytes and lock.stat().st_mtime_ns == lock_mtime
        assert digest(wb_path) == before
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait()
    time.sleep(0)  # the holder died without closing: its lock is now stale and taken over
    with Workbench.open(wb_path, Context(user="tom")):
        pass
