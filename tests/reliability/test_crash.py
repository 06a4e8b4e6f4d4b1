"""Crash safety: SIGKILL at random moments while writing loses nothing acknowledged (see harness.py),
plus the exact crash windows that random kills hit too rarely, provoked deterministically."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.reliability import harness, races
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[2]
#: CI's share of kills (35 in all); bench/crash_harness.py runs thousands.
CI_KILLS = {"edits": 10, "import": 6, "handoff": 6, "migrate": 4, "race": 5, "export": 4}


def test_random_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    figures = harness.run(tmp_path, CI_KILLS, seed=20260314, max_delay=0.4, kinds=races.KINDS)
    assert figures.problems == []
    assert figures.kills + figures.finished_before_kill == sum(CI_KILLS.values())
    assert figures.kills >= 28  # the children really were killed mid-work, not finished
    assert figures.acknowledged > 0
    assert figures.by_scenario["race"] == 5 and figures.by_scenario["export"] == 4


def run_child(code: str, path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(data_dir))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_kill_right_after_the_rename_is_not_mistaken_for_a_conflict(wb_path: Path, ctx: Context,
                                                                    _private_data_dir: Path) -> None:
    """Killed between renaming the write-back into place and recording that: the file is still ours."""
    code = """
        import os, signal, sys
        from pathlib import Path
        from workbench.edit import commands as C
        from workbench.session import Workbench
        path = Path(sys.argv[1])
        wb = Workbench.open(path)
        wb.execute(C.CreatePersona({"name": "Written"}))
        wb.write_back()
        wb.execute(C.CreatePersona({"name": "Committed only"}))
        print("acked", flush=True)
        from workbench.store.sqlite import files
        real, real_exchange = os.replace, files.exchange
        def replace(src, dst):
            real(src, dst)
            if Path(dst) == path:
                os.kill(os.getpid(), signal.SIGKILL)
        def exchange(a, b):  # Linux swaps the new file in atomically: killed right after the swap
            done = real_exchange(a, b)
            if done and Path(b) == path:
                os.kill(os.getpid(), signal.SIGKILL)
            return done
        os.replace = replace
        files.exchange = exchange
        wb.execute(C.CreatePersona({"name": "Also committed"}))
        wb.write_back()
    """
    out = run_child(code, wb_path, _private_data_dir)
    assert out.returncode == -9 and out.stdout == "acked\n", out.stderr
    with Workbench.open(wb_path, ctx) as wb:
        assert wb.file.recovered and wb.file.recovered_conflict is None
        assert {p.name for p in wb.persona_summaries()} == {"Written", "Committed only", "Also committed"}
    assert not list((_private_data_dir / "recovered").glob("*")) if (_private_data_dir / "recovered").exists() \
        else True


def test_temps_of_a_killed_write_back_are_removed_on_the_next_open(wb_path: Path, ctx: Context,
                                                                    _private_data_dir: Path) -> None:
    code = """
        import os, signal, sys
        from pathlib import Path
        from workbench.edit import commands as C
        from workbench.store.sqlite import storage
        from workbench.session import Workbench
        path = Path(sys.argv[1])
        wb = Workbench.open(path)
        wb.execute(C.CreatePersona({"name": "Pending"}))
        print("acked", flush=True)
        storage.finish_replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        wb.write_back()
    """
    out = run_child(code, wb_path, _private_data_dir)
    assert out.returncode == -9, out.stderr
    assert harness.temps_beside(wb_path), "the kill should have left a finished temp beside the file"
    with Workbench.open(wb_path, ctx) as wb:
        assert harness.temps_beside(wb_path) == []
        assert {p.name for p in wb.persona_summaries()} == {"Pending"}
    assert sorted(p.name for p in wb_path.parent.iterdir()) == [wb_path.name]


def test_temps_of_a_live_writer_are_left_alone(wb_path: Path) -> None:
    """Cleaning up only removes temps of dead processes (or old ones): never a live write's."""
    live = storage._temp_beside(wb_path)
    live.write_bytes(b"being written")
    dead = wb_path.with_name(f".{wb_path.name}{storage.TMP_MARK}{storage._host_key()}.999999-abc")
    dead.write_bytes(b"left by a crash")
    foreign_new = wb_path.with_name(f".{wb_path.name}{storage.TMP_MARK}ffffff.1-abc")
    foreign_new.write_bytes(b"another machine, right now")
    foreign_old = wb_path.with_name(f".{wb_path.name}{storage.TMP_MARK}ffffff.2-abc")
    foreign_old.write_bytes(b"another machine, long ago")
    os.utime(foreign_old, (1_000_000, 1_000_000))
    removed = storage.remove_stale_temps(wb_path)
    assert sorted(removed) == sorted([dead, foreign_old])
    assert live.exists() and foreign_new.exists()


def test_killed_working_copy_start_is_not_a_recovery(wb_path: Path, ctx: Context, _private_data_dir: Path) -> None:
    """Killed while copying the file into a fresh working copy: the next open simply starts again."""
    code = """
        import os, signal, sys
        from pathlib import Path
        from workbench.store.sqlite import storage
        from workbench.session import Workbench
        def half_copy(src, dst):
            Path(dst).write_bytes(Path(src).read_bytes()[:3000])
            os.kill(os.getpid(), signal.SIGKILL)
        storage.copy_with_hash = half_copy
        Workbench.open(Path(sys.argv[1]))
    """
    before = wb_path.read_bytes()
    out = run_child(code, wb_path, _private_data_dir)
    assert out.returncode == -9, out.stderr
    with Workbench.open(wb_path, ctx) as wb:
        assert not wb.file.recovered and wb.info().name == "test"
    assert wb_path.read_bytes() == before


def test_a_dirty_working_copy_is_never_deleted_unseen(wb_path: Path, ctx: Context, _private_data_dir: Path) -> None:
    """Even if recovery declines a dirty working copy, starting afresh moves it aside instead of deleting it."""
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Precious"}))
    wb.store.dispose()
    wb.file._lock.release()  # type: ignore[union-attr]
    folder = storage.working_dir_for(wb_path)
    storage.WorkingCopy.start(wb_path)  # what a session does when it cannot use the leftover
    kept = list((_private_data_dir / "unsaved").glob("*/working.workbench"))
    assert len(kept) == 1
    with Workbench.open(kept[0], ctx, readonly=True) as saved:
        assert [p.name for p in saved.persona_summaries()] == ["Precious"]
    assert folder.exists()


def test_backup_interrupted_midway_leaves_no_partial_backup(tmp_path: Path, ctx: Context,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(harness.FIXTURE_V1, work)

    def half_copy(src: Path, dst: Path, *a: object, **k: object) -> str:
        Path(dst).write_bytes(Path(src).read_bytes()[:5000])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "copy_with_hash", half_copy)  # the v1 file's backup, before migrating
    with pytest.raises(errors.CouldNotSave):
        Workbench.open(work, ctx)
    assert [p.name for p in tmp_path.iterdir() if "backup" in p.name] == []
