"""Migrations: every fixture version opens, is backed up, upgrades to exactly today's schema, and
round-trips; a failed or read-only upgrade never changes the user's file."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.interchange import ImportDocument
from workbench.schema import fileformat, model, versions
from workbench.session import Workbench
from workbench.store.sqlite import migrations, reader

DATA = Path(__file__).resolve().parents[3] / "data"
FIXTURES = sorted(DATA.glob("v*.workbench"), key=lambda p: int(re.sub(r"\D", "", p.stem)))
V1 = DATA / "v1.workbench"


def version_of(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def schema_of(path: Path) -> dict[str, str | None]:
    """Every schema object's stored statement, by name."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_schema")}
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_there_is_a_fixture_for_every_schema_version() -> None:
    assert [version_of(p) for p in FIXTURES] == list(range(1, model.SCHEMA_VERSION + 1))
    assert sorted(versions.COLUMNS) == list(range(1, model.SCHEMA_VERSION + 1))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_opens_and_round_trips(fixture: Path, tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / fixture.name
    shutil.copyfile(fixture, work)
    with Workbench.open(work, ctx) as wb:
        first = interchange.dumps(wb.read(interchange.export_document))
        assert wb.persona_count() >= 3
    empty = tmp_path / "empty.workbench"
    Workbench.create(empty, ctx)
    with Workbench.open(empty, ctx) as target:
        target.execute(ImportDocument(interchange.validate(json.loads(first), ctx.new_id)))
        assert interchange.dumps(target.read(interchange.export_document)) == first


def test_version_1_is_backed_up_then_migrated_to_exactly_todays_schema(tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(V1, work)
    original = sha(work)
    with Workbench.open(V1, ctx, readonly=True) as before:
        expected = interchange.dumps(before.read(interchange.export_document))
    wb = Workbench.open(work, ctx)
    try:
        assert wb.file.migrated_from == 1
        assert wb.file.backup_path == tmp_path / "client.v1-backup.workbench"
        assert sha(wb.file.backup_path) == original
        assert interchange.dumps(wb.read(interchange.export_document)) == expected  # nothing lost
        assert {p.version for p in wb.personas()} == {1}  # every row written before counts as version 1
        assert wb.search("pap"), "prefix search over the rebuilt index"
        pid = wb.persona_order()[0]
        wb.execute(C.UpdatePersona(pid, {"role": "Owner"}, version=1))
        assert wb.persona(pid).version == 2  # type: ignore[union-attr]
    finally:
        wb.close()
    assert version_of(work) == fileformat.SCHEMA_VERSION
    assert version_of(tmp_path / "client.v1-backup.workbench") == 1
    fresh = tmp_path / "fresh.workbench"
    Workbench.create(fresh, ctx)
    assert schema_of(work) == schema_of(fresh)  # a migrated file is indistinguishable from a new one


def test_older_file_read_only_is_never_changed(tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(V1, work)
    original = sha(work)
    with Workbench.open(work, ctx, readonly=True) as wb:
        assert wb.file.migrated_from == 1
        assert {c.version for c in wb.channels()} == {1}
    assert sha(work) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.workbench"]


def test_failed_migration_leaves_the_file_and_no_half_state(tmp_path: Path, ctx: Context,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    real = migrations.STEPS[2]

    def broken(conn: sqlite3.Connection) -> None:
        real(conn)  # the whole rebuild, then a failure before the commit
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(migrations.STEPS, 2, broken)
    work = tmp_path / "client.workbench"
    shutil.copyfile(V1, work)
    original = sha(work)
    with pytest.raises(errors.Damaged, match="could not be upgraded"):
        Workbench.open(work, ctx)
    assert sha(work) == original
    assert not (tmp_path / f".~lock.{work.name}#").exists()


def test_reader_reads_an_older_file_through_a_migrated_copy(tmp_path: Path) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(V1, work)
    original = sha(work)
    with reader.Reader.open(work) as look:
        assert look.migrated_from == 1
        assert [c.version for c in look.channels()] == [1] * len(look.channels())
        copy_folder = look._temp_dir
        assert copy_folder is not None and copy_folder.exists()
    assert not copy_folder.exists()  # the temporary copy goes with the reader
    assert sha(work) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.workbench"]


def test_an_altered_index_of_ours_is_refused(tmp_path: Path, ctx: Context) -> None:
    """``ix_personas_list`` holds an expression; an index of that name holding any other is code we
    did not write."""
    work = tmp_path / "client.workbench"
    Workbench.create(work, ctx)
    conn = sqlite3.connect(work)
    conn.execute("DROP INDEX ix_personas_list")
    conn.execute("CREATE INDEX ix_personas_list ON personas (upper(name), id)")
    conn.commit()
    conn.close()
    original = sha(work)
    with pytest.raises(errors.Damaged, match="ix_personas_list"):
        Workbench.open(work, ctx)
    assert sha(work) == original


def test_the_frozen_version_2_tables_are_what_the_model_creates() -> None:
    """The migration step keeps its own copy of version 2's statements; while version 2 is current
    they must be exactly the model's."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateTable

    if fileformat.SCHEMA_VERSION != 2:
        pytest.skip("version 2 is no longer current: its statements are history now")
    made = {t.name: str(CreateTable(t).compile(dialect=sqlite_dialect.dialect())).strip()
            for t in model.Base.metadata.sorted_tables}
    assert made == migrations.V2_TABLES


def test_model_columns_and_indexes_match_the_file_format() -> None:
    """The plain-data description files are checked against is exactly what the model creates."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex

    assert {t.name: tuple(c.name for c in t.columns) for t in model.Base.metadata.sorted_tables} \
        == fileformat.CURRENT_COLUMNS
    made = {i.name: (t.name, str(CreateIndex(i).compile(dialect=sqlite_dialect.dialect())))
            for t in model.Base.metadata.sorted_tables for i in t.indexes}
    assert made == fileformat.CURRENT_INDEXES
