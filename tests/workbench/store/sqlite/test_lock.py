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


def test_garbage_lock_file_is_held_until_someone_confirms(wb_path: Path, ctx: Context) -> None:
    """Stale-but-confirm: an unreadable lock is never taken over silently, and never blocks forever."""
    storage.lock_path(wb_path).write_text("not json")
    old = 1_000_000
    os.utime(storage.lock_path(wb_path), (old, old))
    with pytest.raises(storage.LockUnreadable) as info:
        Workbench.open(wb_path, ctx)
    assert isinstance(info.value, errors.Locked)  # the app offers read-only, as for any held file
    assert storage.lock_path(wb_path).name in str(info.value) and "unknown machine" not in str(info.value)
    assert storage.break_lock(wb_path) is True  # the person confirmed: nobody has it open
    with Workbench.open(wb_path, ctx):
        pass


def _malformed(path: Path, kind: str) -> None:
    lock = storage.lock_path(path)
    if kind == "huge-pid":
        _plant_lock(path, pid=2_147_483_648)
    elif kind == "negative-pid":
        _plant_lock(path, pid=-5)
    elif kind == "bool-pid":
        _plant_lock(path, pid=True)
    elif kind == "folder":
        lock.mkdir()
    elif kind == "dangling-link":
        lock.symlink_to(path.parent / "nowhere")
    elif kind == "link-to-a-lock":
        real = path.parent / "elsewhere.json"
        real.write_text(json.dumps({"user": "x", "host": "y", "pid": 1, "since": ""}))
        lock.symlink_to(real)
    elif kind == "fifo":
        os.mkfifo(lock)
    elif kind == "empty":
        lock.write_bytes(b"")
    elif kind == "huge":
        lock.write_bytes(b"{" + b" " * 10_000_000 + b"}")
    elif kind == "list":
        lock.write_text("[1, 2, 3]")
    elif kind == "wrong-types":
        lock.write_text(json.dumps({"user": 1, "host": ["h"], "pid": "12", "since": None}))
    else:
        raise AssertionError(kind)


MALFORMED = ["huge-pid", "negative-pid", "bool-pid", "folder", "dangling-link", "link-to-a-lock", "fifo", "empty",
             "huge", "list", "wrong-types"]


@pytest.mark.parametrize("kind", MALFORMED)
def test_malformed_locks_are_one_clear_message_then_can_be_broken(wb_path: Path, kind: str) -> None:
    """No traceback, no hang on a FIFO, no 'someone on unknown machine since .' forever."""
    _malformed(wb_path, kind)
    code = (
        "import sys\n"
        "from workbench.session import Workbench\n"
        "from workbench.store.sqlite import storage\n"
        "try:\n"
        "    Workbench.open(sys.argv[1])\n"
        "except storage.LockUnreadable as exc:\n"
        "    print('unreadable', exc)\n"
        "h = storage.read_holder(sys.argv[1])\n"
        "print('holder', h.describe() if h else None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(wb_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first.startswith("unreadable ") and storage.lock_path(wb_path).name in first, first
    assert "unknown machine" not in first and "since ." not in first
    assert second.startswith("holder ") and "since ." not in second
    assert storage.break_lock(wb_path) is True
    assert not os.path.lexists(storage.lock_path(wb_path))
    with Workbench.open(wb_path):
        pass


def test_break_lock_never_removes_a_readable_lock(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx):
        assert storage.break_lock(wb_path) is False
        assert storage.read_holder(wb_path) is not None


def test_holder_fields_are_cleaned_of_control_characters(wb_path: Path, ctx: Context) -> None:
    _plant_lock(wb_path, host="agency\x1b[31m-laptop\x07", user="m\x1b]0;pwned\x07aria\u202e" + "x" * 3000)
    with pytest.raises(errors.Locked) as info:
        Workbench.open(wb_path, ctx)
    message = str(info.value)
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert len(message) < 1000
    holder = storage.read_holder(wb_path)
    assert holder is not None and holder.host == "agency[31m-laptop" and holder.user.startswith("m]0;pwnedaria")
