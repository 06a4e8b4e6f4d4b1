"""The lock beside an open workbench: who holds it, refusing second writers, stale locks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[4]


def test_lock_names_the_holder_and_refuses_a_second_writer(wb_path: Path, ctx: Context) -> None:
    first = Workbench.open(wb_path, ctx)
    try:
        holder = storage.read_holder(wb_path)
        assert holder is not None
        assert (holder.user, holder.host, holder.pid) == ("tester", storage.hostname(), os.getpid())
        assert holder.since.startswith("2026-03-14")
        with pytest.raises(errors.Locked) as info:
            Workbench.open(wb_path, Context(user="maria"))
        assert "tester on" in str(info.value)
        assert "read-only" in str(info.value)
        # Read-only work goes on while the file is held.
        with Workbench.open(wb_path, readonly=True) as ro:
            assert ro.info().name == "test"
    finally:
        first.close()
    assert not storage.lock_path(wb_path).exists()


def test_command_line_write_is_refused_while_held(sample_path: Path, ctx: Context, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({"format": "persona-workbench", "version": 1,
                                  "personas": [{"name": "From pipeline"}]}))
    holder = Workbench.open(sample_path, ctx)
    try:
        env = dict(os.environ)
        for cmd in (["import", str(sample_path), str(source)],):
            out = subprocess.run([sys.executable, "main.py", *cmd], cwd=ROOT, capture_output=True,
                                 text=True, env=env, timeout=120)
            assert out.returncode == 2
            assert "tester on" in out.stderr and "Traceback" not in out.stderr
        for cmd in (["info", str(sample_path)], ["check", str(sample_path)],
                    ["search", str(sample_path), "paperwork"],
                    ["export", str(sample_path), "-o", str(tmp_path / "x.json")]):
            out = subprocess.run([sys.executable, "main.py", *cmd], cwd=ROOT, capture_output=True,
                                 text=True, env=env, timeout=120)
            assert out.returncode in (0, 1), out.stderr
    finally:
        holder.close()


def _plant_lock(path: Path, **fields: object) -> None:
    data = {"user": "ghost", "host": storage.hostname(), "pid": 999_999, "since": "2026-01-01T00:00:00+00:00",
            "app": "persona-workbench"}
    data.update(fields)
    storage.lock_path(path).write_text(json.dumps(data))


def test_stale_lock_of_a_dead_local_process_is_taken_over(wb_path: Path, ctx: Context) -> None:
    _plant_lock(wb_path)
    with Workbench.open(wb_path, ctx):
        holder = storage.read_holder(wb_path)
        assert holder is not None and holder.user == "tester"


def test_lock_from_another_machine_is_never_taken_over(wb_path: Path, ctx: Context) -> None:
    _plant_lock(wb_path, host="agency-laptop", pid=1)
    with pytest.raises(errors.Locked) as info:
        Workbench.open(wb_path, ctx)
    assert info.value.holder.describe().startswith("ghost on agency-laptop since 2026-01-01 00:00")
    assert storage.read_holder(wb_path).host == "agency-laptop"  # type: ignore[union-attr]


def test_live_local_process_lock_is_respected(wb_path: Path, ctx: Context) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _plant_lock(wb_path, pid=proc.pid)
        with pytest.raises(errors.Locked):
            Workbench.open(wb_path, ctx)
    finally:
        proc.kill()
        proc.wait()
    with Workbench.open(wb_path, ctx):  # now dead: taken over
        pass


def test_garbage_lock_file_counts_as_held_when_fresh(wb_path: Path, ctx: Context) -> None:
    storage.lock_path(wb_path).write_text("not json")
    with pytest.raises(errors.Locked):
        Workbench.open(wb_path, ctx)
    old = 1_000_000
    os.utime(storage.lock_path(wb_path), (old, old))
    with Workbench.open(wb_path, ctx):
        pass
