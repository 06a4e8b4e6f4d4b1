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
        kept = again.file.recovered_conflict
        assert kept is not None and kept.exists()
    assert digest(wb_path) == theirs
    with Workbench.open(kept, ctx, readonly=True) as mine:
        assert {p.name for p in mine.persona_summaries()} == {"Mine"}


def test_edits_set_aside_twice_within_a_second_are_both_kept(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    """Found by the crash harness: the second set-aside copy had the same name and was lost to ``unsaved``."""
    kept = []
    for i in range(2):
        wb = Workbench.open(wb_path, ctx)
        wb.execute(C.CreatePersona({"name": f"Mine {i}"}))
        (tmp_path / f"c{i}").mkdir()
        os.replace(colleagues_version(tmp_path / f"c{i}", ctx), wb_path)
        with pytest.raises(errors.ChangedOnDisk):
            wb.close()
        with Workbench.open(wb_path, ctx) as again:
            assert again.file.recovered_conflict is not None
            kept.append(again.file.recovered_conflict)
    assert len(set(kept)) == 2 and all(p.exists() for p in kept)


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


def test_a_journal_beside_the_file_is_refused_and_never_deleted(wb_path: Path, tmp_path: Path,
                                                                ctx: Context) -> None:
    """A hot journal beside our file is another SQLite program's transaction: any SQLite program would
    roll it into the file. We never delete or apply it — opening is refused, naming it, and so is a
    write-back over a file that grew one while open (the edits are kept)."""
    import sqlite3

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (randomblob(200000))")
    conn.execute("PRAGMA cache_size=1")  # spills mid-transaction: the journal is synced, its header written
    conn.execute("BEGIN")
    conn.execute("UPDATE t SET x = randomblob(200000)")
    conn.execute("INSERT INTO t VALUES (randomblob(100000))")
    journal_bytes = Path(str(other) + "-journal").read_bytes()
    assert len(journal_bytes) > 512 and journal_bytes[:1] != b"\0"  # hot
    conn.execute("ROLLBACK")
    conn.close()
    journal = Path(str(wb_path) + "-journal")
    journal.write_bytes(journal_bytes)
    before = digest(wb_path)
    with pytest.raises(storage.InUseElsewhere, match=journal.name):
        Workbench.open(wb_path, ctx)
    with pytest.raises(storage.InUseElsewhere):
        Workbench.open(wb_path, ctx, readonly=True)
    assert journal.read_bytes() == journal_bytes and digest(wb_path) == before
    journal.unlink()
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    journal.write_bytes(journal_bytes)
    with pytest.raises(storage.InUseElsewhere):
        wb.write_back()
    assert journal.read_bytes() == journal_bytes and digest(wb_path) == before and wb.needs_write_back
    journal.unlink()
    wb.close()
    plain = sqlite3.connect(wb_path)  # an ordinary, non-immutable SQLite client
    try:
        assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert plain.execute("SELECT name FROM personas").fetchall() == [("Mine",)]
    finally:
        plain.close()
