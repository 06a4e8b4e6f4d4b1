"""Migrations under crashes: a kill midway leaves the file unchanged and its backup intact, and the
next open migrates cleanly — also when the kill comes after the migration but before write-back."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from pathlib import Path

from tests.reliability import harness
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.session import Workbench
from workbench.store.sqlite import storage


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_kill_in_the_middle_of_the_migration_step(tmp_path: Path, _private_data_dir: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(harness.FIXTURE_V1, work)
    original = sha(work)
    child = harness.Child(["migrate", str(work), "r1"], _private_data_dir)
    assert child.wait_for("migrating")
    os.kill(child.proc.pid, signal.SIGKILL)
    child.kill()
    assert "migrated" not in child.acked
    assert sha(work) == original
    backup = tmp_path / "client.v1-backup.workbench"
    assert sha(backup) == original and harness.integrity(backup) == "ok"
    with harness.slow_v2_here():
        with Workbench.open(work, ctx) as wb:
            assert wb.file.migrated_from == 1
            assert all(c.guidance.endswith(" [v2]") and "[v2] [v2]" not in c.guidance for c in wb.channels())
            wb.execute(C.CreatePersona({"name": "After the upgrade"}))
    assert harness.user_version(work) == SCHEMA_VERSION and harness.integrity(work) == "ok"
    assert sha(backup) == original  # the first backup is never overwritten
    with harness.slow_v2_here():
        with Workbench.open(work, ctx, readonly=True) as ro:
            assert ro.find_persona("After the upgrade") is not None


def test_crash_after_migration_before_write_back_migrates_once(tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(harness.FIXTURE_V1, work)
    original = sha(work)
    with harness.slow_v2_here():
        wb = Workbench.open(work, ctx)
        wb.execute(C.CreatePersona({"name": "Edited after upgrade"}))
        # Simulate a crash: no write-back, no lock release; both name a process that is gone.
        wb.store.dispose()
        lock = storage.lock_path(work)
        lock.write_text(lock.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999'))
        state = storage.working_dir_for(work) / "state.json"
        state.write_text(state.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999'))
        assert sha(work) == original
        with Workbench.open(work, ctx) as again:
            assert again.file.recovered
            assert again.find_persona("Edited after upgrade") is not None
            guidance = [c.guidance for c in again.channels()]
            assert all(g.endswith(" [v2]") and "[v2] [v2]" not in g for g in guidance), guidance
