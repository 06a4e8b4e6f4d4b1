"""Migrations: every fixture version opens, is backed up, upgrades, and round-trips.

There is only schema version 1 so far; the harness is proven with a synthetic version 2 so the
first real migration lands on tested machinery.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import session
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.exchange import interchange
from workbench.exchange.interchange import ImportDocument
from workbench.schema import fileformat, model
from workbench.session import Workbench
from workbench.store.sqlite import db, migrations, reader

DATA = Path(__file__).resolve().parents[3] / "data"
FIXTURES = sorted(DATA.glob("v*.workbench"), key=lambda p: int(re.sub(r"\D", "", p.stem)))


def version_of(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_schema_version() -> None:
    assert [version_of(p) for p in FIXTURES] == list(range(1, model.SCHEMA_VERSION + 1))


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
        target.execute(ImportDocument(interchange.validate(__import__("json").loads(first), ctx.new_id)))
        assert interchange.dumps(target.read(interchange.export_document)) == first


@pytest.fixture
def fake_v2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pretend the app knows schema version 2, reached by a harmless data migration."""
    current = {t.name: [(c.name, 0) for c in t.columns] for t in model.Base.metadata.sorted_tables}

    def to_2(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE channels SET guidance = guidance || ' [v2]'")

    for module in (fileformat, model, db, reader, session, migrations):
        monkeypatch.setattr(module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.STEPS, 2, to_2)
    monkeypatch.setitem(migrations.COLUMNS, 1, current)
    yield


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_older_file_is_backed_up_then_migrated(fake_v2: None, tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(FIXTURES[0], work)
    original = sha(work)
    wb = Workbench.open(work, ctx)
    try:
        assert wb.migrated_from == 1
        assert wb.backup_path == tmp_path / "client.v1-backup.workbench"
        assert sha(wb.backup_path) == original
        assert all(c.guidance.endswith("[v2]") for c in wb.channels())
    finally:
        wb.close()
    assert version_of(work) == 2
    assert version_of(tmp_path / "client.v1-backup.workbench") == 1


def test_older_file_read_only_is_never_changed(fake_v2: None, tmp_path: Path, ctx: Context) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(FIXTURES[0], work)
    original = sha(work)
    with Workbench.open(work, ctx, readonly=True) as wb:
        assert wb.migrated_from == 1
        assert all(c.guidance.endswith("[v2]") for c in wb.channels())
    assert sha(work) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.workbench"]


def test_failed_migration_leaves_the_file_and_no_half_state(fake_v2: None, tmp_path: Path, ctx: Context,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE channels SET guidance = 'half'")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(migrations.STEPS, 2, broken)
    work = tmp_path / "client.workbench"
    shutil.copyfile(FIXTURES[0], work)
    original = sha(work)
    with pytest.raises(errors.Damaged, match="could not be upgraded"):
        Workbench.open(work, ctx)
    assert sha(work) == original
    assert not (tmp_path / f".~lock.{work.name}#").exists()


def test_reader_reads_an_older_file_through_a_migrated_copy(fake_v2: None, tmp_path: Path) -> None:
    work = tmp_path / "client.workbench"
    shutil.copyfile(FIXTURES[0], work)
    original = sha(work)
    with reader.Reader.open(work) as look:
        assert look.migrated_from == 1
        assert all(c.guidance.endswith("[v2]") for c in look.channels())
        copy_folder = look._temp_dir
        assert copy_folder is not None and copy_folder.exists()
    assert not copy_folder.exists()  # the temporary copy goes with the reader
    assert sha(work) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client.workbench"]
