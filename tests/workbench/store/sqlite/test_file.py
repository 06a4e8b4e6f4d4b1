"""The .workbench file: marks, typed errors for bad files, read-only never writes, atomic write-back."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.schema.model import APPLICATION_ID, SCHEMA_VERSION
from workbench.session import Workbench
from workbench.store.sqlite import db, storage


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_new_file_is_marked_as_ours(wb_path: Path) -> None:
    conn = sqlite3.connect(wb_path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID == 0x50574B42
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 1
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_new_refuses_to_overwrite(wb_path: Path, ctx: Context) -> None:
    before = digest(wb_path)
    with pytest.raises(errors.AlreadyExists):
        Workbench.create(wb_path, ctx)
    assert digest(wb_path) == before


def test_read_only_open_changes_nothing_and_leaves_no_side_files(sample_path: Path, ctx: Context) -> None:
    before = digest(sample_path)
    mtime = sample_path.stat().st_mtime_ns
    with Workbench.open(sample_path, ctx, readonly=True) as wb:
        wb.info()
        wb.coverage()
        wb.problems()
        wb.search("paperwork")
        wb.counts()
        assert listing(sample_path.parent) == ["sample.workbench"]
        with pytest.raises(errors.ReadOnlySession):
            wb.execute(C.CreatePersona({"name": "Nope"}))
    assert digest(sample_path) == before
    assert sample_path.stat().st_mtime_ns == mtime
    assert listing(sample_path.parent) == ["sample.workbench"]


def _make_bad(tmp_path: Path, kind: str, sample_path: Path) -> Path:
    bad = tmp_path / f"bad-{kind}.workbench"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "text":
        bad.write_text("Dear client,\nhere is the persona file.\n")
    elif kind == "truncated":
        bad.write_bytes(sample_path.read_bytes()[:5000])
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t(x)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        data = bytearray(sample_path.read_bytes())
        data[60:64] = (SCHEMA_VERSION + 1).to_bytes(4, "big")
        bad.write_bytes(bytes(data))
    elif kind == "zero_version":
        data = bytearray(sample_path.read_bytes())
        data[60:64] = (0).to_bytes(4, "big")
        bad.write_bytes(bytes(data))
    elif kind == "corrupt":
        data = bytearray(sample_path.read_bytes())
        for i in range(4096 * 3, len(data) - 100, 4096):
            data[i + 10:i + 60] = os.urandom(50)
        bad.write_bytes(bytes(data))
    return bad


@pytest.mark.parametrize(("kind", "error"), [
    ("empty", errors.NotSQLite), ("text", errors.NotSQLite), ("truncated", errors.Damaged),
    ("foreign", errors.NotAWorkbench), ("newer", errors.NewerVersion), ("zero_version", errors.Damaged),
    ("corrupt", errors.Damaged),
])
@pytest.mark.parametrize("readonly", [True, False])
def test_bad_files_give_typed_errors_and_stay_untouched(tmp_path: Path, sample_path: Path, ctx: Context,
                                                          kind: str, error: type, readonly: bool) -> None:
    bad = _make_bad(tmp_path, kind, sample_path)
    before = digest(bad)
    entries = listing(tmp_path)
    with pytest.raises(error) as info:
        Workbench.open(bad, ctx, readonly=readonly)
    assert str(bad) in str(info.value)
    assert digest(bad) == before
    assert listing(tmp_path) == entries  # no lock, journal or temp file left behind


def test_newer_version_names_both_versions(tmp_path: Path, sample_path: Path) -> None:
    bad = _make_bad(tmp_path, "newer", sample_path)
    with pytest.raises(errors.NewerVersion) as info:
        Workbench.open(bad, readonly=True)
    assert f"version {SCHEMA_VERSION + 1}" in str(info.value)
    assert f"up to version {SCHEMA_VERSION}" in str(info.value)
    assert "Update" in str(info.value)


def test_directory_missing_fifo_and_unreadable(tmp_path: Path, sample_path: Path) -> None:
    with pytest.raises(errors.NotAFile):
        Workbench.open(tmp_path, readonly=True)
    with pytest.raises(errors.NotFound):
        Workbench.open(tmp_path / "nope.workbench")
    assert not (tmp_path / "nope.workbench").exists()
    fifo = tmp_path / "pipe.workbench"
    os.mkfifo(fifo)
    with pytest.raises(errors.NotAFile):
        Workbench.open(fifo, readonly=True)
    locked = tmp_path / "secret.workbench"
    locked.write_bytes(sample_path.read_bytes())
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # root reads anything: simulate with a failing open instead
            pytest.skip("running as root: permission bits do not stop reads")
        with pytest.raises(errors.Unreadable):
            Workbench.open(locked, readonly=True)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_planted_trigger_or_view_is_refused(tmp_path: Path, sample_path: Path) -> None:
    for sql in ("CREATE TRIGGER evil AFTER INSERT ON personas BEGIN DELETE FROM messages; END",
                "CREATE VIEW v AS SELECT * FROM personas"):
        bad = tmp_path / "planted.workbench"
        bad.write_bytes(sample_path.read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute(sql)
        conn.commit()
        conn.close()
        before = digest(bad)
        with pytest.raises(errors.Damaged, match="never creates"):
            Workbench.open(bad)
        assert digest(bad) == before
        bad.unlink()


def test_table_replaced_by_altered_columns_is_refused(tmp_path: Path, sample_path: Path) -> None:
    bad = tmp_path / "altered.workbench"
    bad.write_bytes(sample_path.read_bytes())
    conn = sqlite3.connect(bad)
    conn.execute("ALTER TABLE terms ADD COLUMN payload TEXT")
    conn.commit()
    conn.close()
    with pytest.raises(errors.Damaged, match="columns"):
        Workbench.open(bad, readonly=True)


def test_authorizer_blocks_view_access() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t(x)")
    conn.execute("CREATE VIEW v AS SELECT x FROM t")
    db.harden(conn)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM v").fetchall()
    conn.execute("SELECT * FROM t").fetchall()  # direct access still works


def test_edits_go_to_working_copy_then_atomically_to_the_file(wb_path: Path, ctx: Context) -> None:
    before = digest(wb_path)
    wb = Workbench.open(wb_path, ctx)
    try:
        wb.execute(C.CreatePersona({"name": "Hank"}))
        assert digest(wb_path) == before  # not yet written back
        names = listing(wb_path.parent)
        assert all(not n.endswith(("-journal", "-wal", "-shm")) for n in names)
        assert wb.write_back() is True
        assert digest(wb_path) != before
        assert wb.write_back() is False  # nothing new to write
        assert all(storage.TMP_MARK not in n for n in listing(wb_path.parent))
    finally:
        wb.close()
    assert listing(wb_path.parent) == ["test.workbench"]  # lock released, nothing beside it
    with Workbench.open(wb_path, ctx, readonly=True) as again:
        assert [p.name for p in again.persona_summaries()] == ["Hank"]


def test_crash_recovery_from_the_working_copy(wb_path: Path, ctx: Context, _private_data_dir: Path) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Survivor"}))
    # Simulate a crash: no write-back, no lock release; the lock names a dead process.
    wb.store.dispose()
    lock = storage.lock_path(wb_path)
    data = lock.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999')
    lock.write_text(data)
    state = storage.working_dir_for(wb_path) / "state.json"
    state.write_text(state.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999'))
    with Workbench.open(wb_path, ctx) as again:
        assert again.file.recovered is True
        assert [p.name for p in again.persona_summaries()] == ["Survivor"]
    with Workbench.open(wb_path, ctx, readonly=True) as final:
        assert [p.name for p in final.persona_summaries()] == ["Survivor"]


def test_file_replaced_meanwhile_is_never_overwritten(wb_path: Path, tmp_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    try:
        wb.execute(C.CreatePersona({"name": "Mine"}))
        other = tmp_path / "other.workbench"
        Workbench.create(other, ctx, name="Colleague's version")
        os.replace(other, wb_path)  # a sync client drops in a colleague's version
        theirs = digest(wb_path)
        with pytest.raises(errors.ChangedOnDisk):
            wb.write_back()
        assert digest(wb_path) == theirs
        copy = tmp_path / "mine.workbench"
        wb.save_copy_as(copy)
        with Workbench.open(copy, ctx, readonly=True) as saved:
            assert [p.name for p in saved.persona_summaries()] == ["Mine"]
    finally:
        with pytest.raises(errors.ChangedOnDisk):
            wb.close()
    assert digest(wb_path) == theirs


def test_a_touched_but_identical_file_is_not_a_conflict(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    try:
        wb.execute(C.CreatePersona({"name": "A"}))
        os.utime(wb_path, (1_000_000, 1_000_000))
        assert wb.write_back() is True
    finally:
        wb.close()


def test_save_a_copy_is_consistent(sample: Workbench, tmp_path: Path) -> None:
    sample.execute(C.CreatePersona({"name": "Copied"}))
    target = tmp_path / "copy.workbench"
    sample.save_copy_as(target)
    with Workbench.open(target, readonly=True) as copy:
        assert copy.persona_count() == sample.persona_count()
        assert copy.find_persona("Copied") is not None


def test_deferred_open_reads_at_once_and_edits_after_finishing(sample_path: Path, ctx: Context) -> None:
    before = digest(sample_path)
    wb = Workbench.open_deferred(sample_path, ctx)
    try:
        assert wb.preparing and wb.readonly
        assert storage.read_holder(sample_path) is not None  # held from the start
        assert wb.persona_count() == 4  # readable before any copy exists
        with pytest.raises(errors.ReadOnlySession):
            wb.execute(C.CreatePersona({"name": "Too early"}))
        wb.finish_opening()
        assert not wb.preparing and not wb.readonly
        wb.execute(C.CreatePersona({"name": "After"}))
        assert digest(sample_path) == before
    finally:
        wb.close()
    with Workbench.open(sample_path, ctx, readonly=True) as again:
        assert again.find_persona("After") is not None


def test_deferred_open_of_a_held_file_is_refused(sample_path: Path, ctx: Context) -> None:
    with Workbench.open(sample_path, ctx):
        with pytest.raises(errors.Locked):
            Workbench.open_deferred(sample_path, Context(user="other"))


def test_big_read_only_files_skip_quick_check_but_damage_still_reads_as_damaged(
        tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.store.sqlite import host

    monkeypatch.setattr(host, "READONLY_CHECK_MAX_BYTES", 0)  # where FileHost.open reads it
    bad = _make_bad(tmp_path, "corrupt", sample_path)
    before = digest(bad)
    with pytest.raises(errors.Damaged):
        with Workbench.open(bad, readonly=True) as wb:
            wb.counts()
            wb.personas()
            wb.messages()
            wb.objections()
            wb.terms()
            wb.search("paperwork")
            wb.problems()
    assert digest(bad) == before
