"""The user's file replaced on disk while open (a sync client, a colleague): detected before every
write-back — including the one on close — and never overwritten silently; identical bytes are fine."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite import storage


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def colleagues_version(tmp_path: Path, ctx: Context, name: str = "Colleague's") -> Path:
    other = tmp_path / "colleague" / "x.workbench"
    other.parent.mkdir(exist_ok=True)
    Workbench.create(other, ctx, name=name)
    with Workbench.open(other, ctx, data_dir=tmp_path / "colleague-data") as wb:
        wb.execute(C.CreatePersona({"name": "Theirs"}))
    return other


def test_replaced_file_is_never_overwritten_on_close_and_edits_survive(wb_path: Path, tmp_path: Path,
                                                                      ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    os.replace(colleagues_version(tmp_path, ctx), wb_path)
    theirs = digest(wb_path)
    with pytest.raises(errors.ChangedOnDisk) as info:
        wb.close()
    assert "changed by someone else" in str(info.value) and "\n" not in str(info.value)
    assert digest(wb_path) == theirs
    assert not storage.lock_path(wb_path).exists()
    # Next open: their file is used as is; my unsaved edits are kept aside as a separate file.
    with Workbench.open(wb_path, ctx) as again:
        assert {p.name for p in again.persona_summaries()} == {"Theirs"}
        kept = again.recovered_conflict
        assert kept is not None and kept.exists()
    assert digest(wb_path) == theirs
    with Workbench.open(kept, ctx, readonly=True) as mine:
        assert {p.name for p in mine.persona_summaries()} == {"Mine"}


def test_replaced_with_identical_bytes_is_not_a_conflict(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    try:
        wb.execute(C.CreatePersona({"name": "Mine"}))
        wb.write_back()
        wb.execute(C.CreatePersona({"name": "More"}))
        twin = tmp_path / "twin.workbench"
        shutil.copy2(wb_path, twin)  # same bytes and mtime, another inode: a sync client's re-download
        os.replace(twin, wb_path)
        assert wb.write_back() is True
    finally:
        wb.close()
    with Workbench.open(wb_path, ctx, readonly=True) as ro:
        assert {p.name for p in ro.persona_summaries()} == {"Mine", "More"}


def test_rewritten_in_place_with_the_old_mtime_is_still_noticed(wb_path: Path, tmp_path: Path,
                                                                ctx: Context) -> None:
    """``rsync --inplace -t``: same inode, same size, mtime put back — only the content differs."""
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    st = os.stat(wb_path)
    data = bytearray(wb_path.read_bytes())
    data[-1] ^= 0xFF  # the last byte of the last page: same size
    with open(wb_path, "r+b") as fh:
        fh.write(bytes(data))
    os.utime(wb_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert os.stat(wb_path).st_ino == st.st_ino and os.stat(wb_path).st_mtime_ns == st.st_mtime_ns
    changed = digest(wb_path)
    with pytest.raises(errors.ChangedOnDisk):
        wb.write_back()
    assert digest(wb_path) == changed
    wb.save_copy_as(tmp_path / "mine.workbench")
    with pytest.raises(errors.ChangedOnDisk):
        wb.close()


def test_deleted_file_is_not_silently_recreated(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    wb_path.unlink()
    with pytest.raises(errors.ChangedOnDisk):
        wb.write_back()
    assert not wb_path.exists()
    assert wb.write_back(force=True) is True  # the person chose "save anyway"
    wb.close()
    with Workbench.open(wb_path, ctx, readonly=True) as ro:
        assert [p.name for p in ro.persona_summaries()] == ["Mine"]


def test_stale_journal_beside_the_file_is_removed_by_write_back(wb_path: Path, tmp_path: Path,
                                                                 ctx: Context) -> None:
    """A journal left beside our file would be rolled into the new file by any SQLite program."""
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (zeroblob(200000))")
    conn.execute("BEGIN")
    conn.execute("UPDATE t SET x = zeroblob(100)")
    conn.execute("PRAGMA cache_spill=ON")
    conn.execute("DELETE FROM t")
    journal_bytes = Path(str(other) + "-journal").read_bytes()
    assert len(journal_bytes) > 512
    conn.execute("ROLLBACK")
    conn.close()
    journal = Path(str(wb_path) + "-journal")
    journal.write_bytes(journal_bytes)
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Mine"}))
    assert not journal.exists()
    plain = sqlite3.connect(wb_path)  # an ordinary, non-immutable SQLite client
    try:
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert plain.execute("SELECT name FROM personas").fetchall() == [("Mine",)]
    finally:
        plain.close()
