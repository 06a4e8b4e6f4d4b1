"""SQLite connections for workbench files: defensive opening, schema creation and validation.

Every connection is hardened the way SQLite's guidance on untrusted database files says:
``trusted_schema=OFF``, ``cell_size_check=ON``, no memory mapping, tight limits, and an authorizer
that refuses anything a view or trigger tries to do — so a planted trigger or view never runs.
Files are only ever opened through URIs (``mode=ro``/``mode=rw``) so a missing file is never created.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from . import errors, search
from .model import APPLICATION_ID, SCHEMA_VERSION, Base

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Upper bound on the time any one open-time check may take on a hostile file.
OPEN_DEADLINE_S = 20.0


def _uri(path: Path, mode: str, immutable: bool = False) -> str:
    quoted = urllib.parse.quote(str(path.absolute()))
    uri = f"file:{quoted}?mode={mode}"
    if immutable:
        # immutable=1: no locks, no journal look-up, nothing written beside the file. Safe for our
        # files because they are only ever replaced whole by rename, never changed in place.
        uri += "&immutable=1"
    return uri


def _deny_views_and_triggers(action: int, arg1: str | None, arg2: str | None,
                             db_name: str | None, source: str | None) -> int:
    """Authorizer: refuse any access whose innermost source is a trigger or a view."""
    if source is not None:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def harden(conn: sqlite3.Connection) -> None:
    """Apply the untrusted-file defences to a fresh connection."""
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 200_000_000)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 1_000_000)
    conn.setlimit(sqlite3.SQLITE_LIMIT_COLUMN, 200)
    conn.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 200)
    conn.setlimit(sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 1)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 1)  # VACUUM INTO attaches one
    conn.set_authorizer(_deny_views_and_triggers)


def connect(path: Path, *, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
    """Open an existing file (never creating it) with the hardening applied."""
    mode = "ro" if readonly else "rw"
    conn = sqlite3.connect(_uri(path, mode, immutable), uri=True, check_same_thread=False,
                           isolation_level=None, timeout=10)
    try:
        harden(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def create_file(path: Path) -> sqlite3.Connection:
    """Create a brand-new database file at ``path`` (which must not exist) and return a connection."""
    conn = sqlite3.connect(_uri(path, "rwc"), uri=True, check_same_thread=False,
                           isolation_level=None)
    harden(conn)
    return conn


def engine_for(connect_fn: Callable[[], sqlite3.Connection]) -> Engine:
    """An SQLAlchemy engine whose connections come from ``connect_fn`` (already hardened).

    NullPool: each session gets its own short-lived connection, so a background thread (write-back,
    export) never shares a connection with the GUI thread.
    """
    engine = create_engine("sqlite+pysqlite://", creator=connect_fn, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None); SQLAlchemy emits BEGIN.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    return engine


@contextmanager
def deadline(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Abort any statement on ``conn`` that runs past ``seconds`` (bounded work on hostile files)."""
    end = time.monotonic() + seconds

    def _check() -> int:
        return 1 if time.monotonic() > end else 0

    conn.set_progress_handler(_check, 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table of the current schema version and mark the file as ours."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    dialect = sqlite_dialect.dialect()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("BEGIN")
    for table in Base.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in table.indexes:
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    search.create(conn)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.execute("COMMIT")


# ---------------------------------------------------------------------------------------------
# Inspecting a file before SQLite ever touches it


def read_header(path: Path) -> tuple[int, int]:
    """Check the path is a readable SQLite file of ours; return ``(user_version, application_id)``.

    Reads the first 100 bytes only, with plain file I/O: nothing is written, no lock is taken.
    Raises a typed :class:`errors.FileProblem` for every way it can be wrong.
    """
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise errors.NotFound(name, f"{name} does not exist.") from None
    except PermissionError:
        raise errors.Unreadable(name, f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise errors.Unreadable(name, f"{name} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise errors.NotAFile(name, f"{name} is a folder, not a workbench file.")
    if not stat.S_ISREG(st.st_mode):
        raise errors.NotAFile(name, f"{name} is not a regular file (a pipe or a device?).")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except PermissionError:
        raise errors.Unreadable(name, f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        raise errors.Unreadable(name, f"{name} cannot be read: {exc.strerror}.") from None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        what = "empty" if not header else "not a workbench file (not an SQLite database)"
        raise errors.NotSQLite(name, f"{name} is {what}.")
    user_version = int.from_bytes(header[60:64], "big", signed=True)
    application_id = int.from_bytes(header[68:72], "big", signed=False)
    if application_id != APPLICATION_ID:
        raise errors.NotAWorkbench(
            name, f"{name} is an SQLite database, but not a Persona Workbench file.")
    if user_version > SCHEMA_VERSION:
        raise errors.NewerVersion(name, user_version, SCHEMA_VERSION)
    if user_version < 1:
        raise errors.Damaged(name, f"{name} is damaged: its schema version ({user_version}) is invalid.")
    page_size = int.from_bytes(header[16:18], "big")
    if page_size == 1:
        page_size = 65536
    if page_size < 512 or page_size & (page_size - 1):
        raise errors.Damaged(name, f"{name} is damaged: invalid page size.")
    if st.st_size % page_size:
        raise errors.Damaged(name, f"{name} is damaged: it looks truncated.")
    return user_version, application_id


def expected_columns(version: int) -> dict[str, list[tuple[str, int]]]:
    """Table → ``[(column, hidden)]`` as ``PRAGMA table_xinfo`` reports them for ``version``."""
    if version != SCHEMA_VERSION:  # older versions are described by their migrations
        from . import migrations

        return migrations.expected_columns(version)
    return {t.name: [(c.name, 0) for c in t.columns] for t in Base.metadata.sorted_tables}


def validate_schema(conn: sqlite3.Connection, name: str, version: int) -> None:
    """Refuse a file whose schema is not exactly ours: planted triggers/views, altered tables.

    Unknown extra tables are tolerated (merely unusual); anything that could run code is not.
    """
    try:
        with deadline(conn, OPEN_DEADLINE_S):
            rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
            expected = expected_columns(version)
            present: dict[str, str] = {}
            for kind, obj_name, _tbl, sql in rows:
                if kind in ("trigger", "view"):
                    raise errors.Damaged(
                        name, f"{name} has been altered: it contains a {kind} ({obj_name}) that "
                        "Persona Workbench never creates. It was not opened.")
                if kind == "table":
                    present[obj_name] = sql or ""
            for table, columns in expected.items():
                if table not in present:
                    raise errors.Damaged(name, f"{name} is damaged: the table {table!r} is missing.")
                if present[table].upper().startswith("CREATE VIRTUAL"):
                    raise errors.Damaged(name, f"{name} has been altered: {table!r} is not a plain table.")
                found = [(r[1], r[6]) for r in conn.execute(f'PRAGMA table_xinfo("{table}")')]
                if found != columns:
                    raise errors.Damaged(
                        name, f"{name} is damaged or altered: the table {table!r} does not have "
                        "the columns this version expects.")
            search.validate(present, name)
    except sqlite3.DatabaseError as exc:
        raise errors.Damaged(name, f"{name} is damaged: {exc}.") from None


def check_integrity(conn: sqlite3.Connection, name: str, *, full: bool = False) -> None:
    """Run SQLite's quick (or full) integrity check within the open deadline."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        with deadline(conn, OPEN_DEADLINE_S):
            result = conn.execute(f"PRAGMA {pragma}(1)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise errors.Damaged(name, f"{name} is damaged: {exc}.") from None
    if not result or result[0] != "ok":
        detail = result[0] if result else "no answer"
        raise errors.Damaged(name, f"{name} is damaged ({detail}).")
