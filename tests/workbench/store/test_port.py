"""The store port: SQLite stays inside ``store/sqlite``; every row has a version that every write
bumps; a write or an undo based on a version that moved on is a ``Conflict`` and writes nothing."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.schema.model import Base, Persona
from workbench.session import Workbench
from workbench.store.unit import Tx

ROOT = Path(__file__).resolve().parents[3]
CORE = ROOT / "workbench"
STORE_SQLITE = CORE / "store" / "sqlite"
#: Each store implementation may use its own driver, and only its own.
IMPLEMENTATIONS = {CORE / "store" / "sqlite": {"sqlite3", "pysqlite2"}, CORE / "store" / "postgres": {"psycopg"}}
#: What only a driver's own code may do: import it, reach under SQLAlchemy to its connection, run
#: a PRAGMA or FTS5 syntax, or use SQLite-only SQL.
_DRIVER_MODULES = {"sqlite3", "pysqlite2", "psycopg", "psycopg2"}
_DRIVER_ATTRS = {"driver_connection", "dbapi_connection", "exec_driver_sql"}
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA)\b")
_ENGINE_SQL = re.compile(r"\bPRAGMA\b|\bfts5\b|\bMATCH\b|group_concat|\bchar\(|LIMIT\s+-1|\?\s*[,)]|=\s*\?",
                         re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _violations(path: Path, allowed: frozenset[str] = frozenset()) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _DRIVER_MODULES - allowed:
                    yield f"imports {alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _DRIVER_MODULES - allowed:
            yield f"imports from {node.module}"
        elif isinstance(node, ast.Attribute) and node.attr in _DRIVER_ATTRS:
            yield f"reaches the driver through .{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if _SQL.search(node.value) and _ENGINE_SQL.search(node.value):
                yield f"engine-specific SQL {node.value[:60]!r}"


def test_nothing_outside_store_sqlite_touches_the_driver() -> None:
    """SQLite — the driver, PRAGMAs, FTS5, SQLite-only SQL — lives in ``store/sqlite`` alone; another
    store's driver lives in its own package alone."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        if STORE_SQLITE in path.parents:
            continue
        home = next((d for d in IMPLEMENTATIONS if d in path.parents), None)
        if home is not None:
            found.extend(f"{path.relative_to(ROOT)}: {what}" for what in _violations(path, frozenset(IMPLEMENTATIONS[home]))
                         if what.startswith("imports"))
            continue
        found.extend(f"{path.relative_to(ROOT)}: {what}" for what in _violations(path))
    assert found == []


def test_the_check_itself_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('import sqlite3\nx = conn.exec_driver_sql("PRAGMA user_version")\ny = "SELECT 1 LIMIT -1"\n')
    assert len(list(_violations(bad))) == 4


@pytest.fixture
def wb(tmp_path: Path, ctx: Context) -> Iterator[Workbench]:
    path = tmp_path / "w.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as bench:
        yield bench


def test_every_table_has_a_version(wb: Workbench) -> None:
    assert all("version" in t.columns for t in Base.metadata.sorted_tables)


def test_every_write_bumps_the_version_of_the_rows_it_changes(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    assert wb.persona(pid).version == 1  # type: ignore[union-attr]
    wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    assert wb.persona(pid).version == 2  # type: ignore[union-attr]
    channel = wb.channels()[0]
    mid = wb.execute(C.CreateMessage(pid, channel.id, values={"headline": "Hi"})).extra["id"]
    wb.execute(C.SetMessageStatus(mid, "approved"))
    assert wb.message(mid).version == 2  # type: ignore[union-attr]
    tid = wb.execute(C.CreateTerm("contract", "avoid", "paperwork")).extra["id"]
    wb.execute(C.UpdateTerm(tid, {"note": "legal"}))
    assert next(t for t in wb.terms() if t.id == tid).version == 2
    oid = wb.execute(C.CreateObjection(pid, "Too dear")).extra["id"]
    wb.execute(C.RecordObjectionHeard(oid))
    assert wb.objection_rows_for([oid])[0].version == 2


def test_a_command_stating_an_old_version_is_a_conflict_and_writes_nothing(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    read = wb.persona(pid)
    assert read is not None
    wb.execute(C.UpdatePersona(pid, {"role": "CEO"}, version=read.version))  # someone else's edit
    with pytest.raises(errors.Conflict) as caught:
        wb.execute(C.UpdatePersona(pid, {"role": "CTO"}, version=read.version))
    assert caught.value.rows == (errors.ConflictingRow("persona", pid, 1, 2),)
    assert wb.persona(pid).role == "CEO"  # type: ignore[union-attr]
    with pytest.raises(errors.Conflict):
        wb.execute(C.DeletePersona(pid, version=read.version))
    assert wb.persona(pid) is not None


def test_undo_expects_the_rows_as_the_change_left_them(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    change = wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    wb.execute(C.UpdatePersona(pid, {"story": "Since then, someone else wrote this."}))
    with pytest.raises(errors.Conflict):
        wb.undo(change)
    assert wb.persona(pid).story == "Since then, someone else wrote this."  # type: ignore[union-attr]


def test_undo_and_redo_chain_their_expectations(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    change = wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    undone = wb.undo(change)
    assert wb.persona(pid).role == ""  # type: ignore[union-attr]
    redone = wb.redo(change, since=undone)
    assert wb.persona(pid).role == "CEO"  # type: ignore[union-attr]
    with pytest.raises(errors.Conflict):  # the rows moved on since the first undo
        wb.redo(change, since=undone)
    wb.undo(change, since=redone)
    versions = [img.version for img in (undone.after + redone.after)]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)  # always a new version


def test_undoing_a_delete_brings_the_rows_back_with_a_new_version(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    wb.execute(C.UpdatePersona(pid, {"role": "CEO"}))
    deleted = wb.execute(C.DeletePersona(pid))
    wb.undo(deleted)
    back = wb.persona(pid)
    assert back is not None and back.role == "CEO" and back.version == 3


def test_derived_counts_never_bump_a_version(wb: Workbench) -> None:
    """A lingo re-check (possibly on a worker) must not make the next undo look like a conflict."""
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    mid = wb.execute(C.CreateMessage(pid, wb.channels()[0].id, values={"body": "Sign the contract."})).extra["id"]
    edit = wb.execute(C.UpdateMessage(mid, {"headline": "Hello"}))
    before = wb.message(mid)
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    after = wb.message(mid)
    assert before is not None and after is not None
    assert after.breach_count == 1 and after.version == before.version
    wb.undo(edit)  # no conflict


def test_a_stale_orm_write_is_a_conflict(wb: Workbench) -> None:
    """The ORM checks each row's version in its UPDATE: a row changed between reading and writing
    inside one command (another writer, on a server) aborts the whole command."""
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]

    def racing(tx: Tx) -> None:
        p = tx.session.get(Persona, pid)
        assert p is not None
        tx.session.connection().execute(update(Persona.__table__).where(Persona.__table__.c.id == pid)
                                        .values(version=Persona.__table__.c.version + 1))
        p.role = "mine"

    with pytest.raises(errors.Conflict):
        wb.execute(C.FunctionCommand(racing, "Race"))
    assert wb.persona(pid).version == 1  # type: ignore[union-attr]
