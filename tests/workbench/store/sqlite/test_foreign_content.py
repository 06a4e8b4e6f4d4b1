"""What other programs leave in or beside a workbench: side files of an SQLite program mid-transaction
(refused, never deleted or applied), schema objects the app does not know (refused, like triggers and
views), and list columns another tool filled with non-JSON text (damaged, not a traceback later)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.exchange.handoff import make_handoff
from workbench.session import Workbench
from workbench.store.sqlite import files, storage
from workbench.store.sqlite.reader import Reader, first_look

ROOT = Path(__file__).resolve().parents[4]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- side files: -wal with content, hot -journal --------------------------------------------------


def committed_in_wal(path: Path) -> Path:
    """Another SQLite program commits a row in WAL mode and is killed before checkpointing."""
    code = (
        "import sqlite3, os, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute(\"UPDATE workbench SET name = 'Edited by another tool'\")\n"
        "os._exit(0)\n"  # no close: the -wal keeps the committed change
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)
    wal = Path(str(path) + "-wal")
    assert wal.stat().st_size > 0
    return wal


def hot_journal(path: Path) -> Path:
    """Another SQLite program is killed in the middle of a transaction: a hot rollback journal."""
    code = (
        "import sqlite3, os, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode=DELETE')\n"
        "c.execute('PRAGMA cache_size=1')\n"
        "c.execute('BEGIN')\n"
        "c.execute(\"UPDATE personas SET story = story || 'x'\")\n"
        "c.execute(\"UPDATE workbench SET narrative = zeroblob(100000)\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=60)
    journal = Path(str(path) + "-journal")
    assert journal.stat().st_size > 0 and journal.read_bytes()[:1] != b"\0"
    return journal


@pytest.mark.parametrize("make", [committed_in_wal, hot_journal], ids=["wal", "hot-journal"])
def test_side_file_of_another_program_is_refused_and_left_alone(sample_path: Path, ctx: Context, make: object) -> None:
    side = make(sample_path)  # type: ignore[operator]
    before, side_before = digest(sample_path), digest(side)
    for opener in (lambda: Workbench.open(sample_path, ctx, readonly=True), lambda: Workbench.open(sample_path, ctx),
                   lambda: Reader.open(sample_path), lambda: first_look(sample_path, ctx),
                   lambda: Workbench.open_deferred(sample_path, ctx)):
        with pytest.raises(files.InUseElsewhere) as info:
            opener()
        assert side.name in str(info.value) and "\n" not in str(info.value)
    assert digest(sample_path) == before and digest(side) == side_before  # never deleted nor applied
    assert not storage.lock_path(sample_path).exists()


def test_cli_read_only_command_refuses_a_side_file(sample_path: Path) -> None:
    side = committed_in_wal(sample_path)
    out = subprocess.run([sys.executable, "main.py", "info", str(sample_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and side.name in out.stderr
    assert side.exists()


def test_harmless_side_files_are_fine(sample_path: Path, ctx: Context) -> None:
    Path(str(sample_path) + "-wal").write_bytes(b"")  # empty: nothing committed in it
    Path(str(sample_path) + "-shm").write_bytes(b"\0" * 32768)
    Path(str(sample_path) + "-journal").write_bytes(b"\0" * 512)  # a zeroed (persistent) journal is not hot
    with Workbench.open(sample_path, ctx, readonly=True) as ro:
        assert ro.persona_count() == 4


def test_side_file_appearing_while_open_stops_the_write_back(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Kept"}))
    journal = Path(str(wb_path) + "-journal")
    journal.write_bytes(bytes.fromhex("d9d505f920a163d7") + b"\1" * 1000)
    before = digest(wb_path)
    with pytest.raises(files.InUseElsewhere):
        wb.write_back()
    assert digest(wb_path) == before and journal.exists() and wb.needs_write_back
    journal.unlink()
    wb.close()
    with Workbench.open(wb_path, ctx, readonly=True) as ro:
        assert ro.find_persona("Kept") is not None


def test_a_hot_journal_beside_a_handoff_target_is_left_alone(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    target = tmp_path / "client.workbench"
    journal = Path(str(target) + "-journal")
    journal.write_bytes(bytes.fromhex("d9d505f920a163d7") + b"\1" * 1000)
    with Workbench.open(sample_path, ctx, readonly=True) as wb:
        with pytest.raises(files.InUseElsewhere):
            make_handoff(wb, target)
    assert journal.exists() and not target.exists()


# --- schema objects the app does not know ----------------------------------------------------


@pytest.mark.parametrize("sql", [
    "CREATE TABLE other_tool (x TEXT)",
    "CREATE INDEX extra_plain ON personas (role)",
    "CREATE UNIQUE INDEX extra_unique ON channels (guidance)",
    "ANALYZE",
])
@pytest.mark.parametrize("readonly", [True, False])
def test_unknown_schema_objects_are_refused(sample_path: Path, ctx: Context, sql: str, readonly: bool) -> None:
    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute(sql)
    conn.close()
    before = digest(sample_path)
    with pytest.raises(errors.Damaged, match="never creates") as info:
        Workbench.open(sample_path, ctx, readonly=readonly)
    assert "\n" not in str(info.value)
    assert digest(sample_path) == before


def test_an_extra_unique_constraint_in_a_table_is_refused(sample_path: Path, ctx: Context) -> None:
    conn = sqlite3.connect(sample_path, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'channels'").fetchone()[0]
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_schema SET sql = ? WHERE name = 'channels'",
                 (sql.replace("guidance TEXT NOT NULL", "guidance TEXT NOT NULL UNIQUE"),))
    conn.close()
    with pytest.raises(errors.Damaged):
        Workbench.open(sample_path, ctx, readonly=True)


def test_a_handoff_never_carries_another_tools_table(sample_path: Path, tmp_path: Path, ctx: Context) -> None:
    """4(a): the source is refused outright; the client copy is built by allow-list regardless."""
    target = tmp_path / "client.workbench"
    with Workbench.open(sample_path, ctx, readonly=True) as wb:
        make_handoff(wb, target)
    conn = sqlite3.connect(f"file:{target}?mode=ro&immutable=1", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    finally:
        conn.close()
    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute("CREATE TABLE secret_notes (x TEXT)")
    conn.execute("INSERT INTO secret_notes VALUES ('INTERNAL')")
    conn.close()
    with pytest.raises(errors.Damaged):
        Workbench.open(sample_path, ctx, readonly=True)
    assert "secret_notes" not in tables


# --- list columns holding what is not a JSON list of texts --------------------------------------


@pytest.mark.parametrize("value", ["not json", "{\"a\": 1}", "[1, 2]", "[\"ok\", null]", "\"text\""])
def test_a_list_column_that_is_not_a_list_reads_as_damaged(sample_path: Path, ctx: Context, tmp_path: Path,
                                                          value: str) -> None:
    conn = sqlite3.connect(sample_path, isolation_level=None)
    conn.execute("UPDATE personas SET tags = ? WHERE name = 'Harlan Voss'", (value,))
    conn.close()
    before = digest(sample_path)
    for readonly in (True, False):
        with pytest.raises(errors.Damaged) as info:
            Workbench.open(sample_path, ctx, readonly=readonly)
        assert "tags" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(errors.Damaged):
        Reader.open(sample_path)
    with pytest.raises(errors.Damaged):
        interchange.load_source(sample_path)  # merging it in
    assert digest(sample_path) == before
