"""SQLite connections for workbench files: defensive opening, schema creation and validation.

Every connection is hardened the way SQLite's guidance on untrusted database files says:
``trusted_schema=OFF``, ``cell_size_check=ON``, no memory mapping, tight limits, and an authorizer
that refuses anything a view or trigger tries to do — so a planted trigger or view never runs.
Files are only ever opened through URIs (``mode=ro``/``mode=rw``) so a missing file is never created.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.domain import errors
from workbench.schema import fields, versions
from workbench.schema.fileformat import APPLICATION_ID, SCHEMA_VERSION
from workbench.store.sqlite import search
from workbench.store.sqlite.files import clean_text

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Upper bound on the time any one open-time check may take on a small hostile file; larger files
#: get :data:`DEADLINE_PER_MB_S` more per megabyte (a legitimate 200 MB file needs its full check).
OPEN_DEADLINE_S = 10.0
DEADLINE_PER_MB_S = 0.25  # generous: a loaded 2-core laptop must still open an 800 MB file
#: The largest value (a text, a picture) any connection stores or reads.
MAX_VALUE_BYTES = 200_000_000

#: Words a CREATE TABLE / CREATE INDEX statement of ours may contain besides the names of its own
#: table and columns. Anything else — CHECK, GENERATED … AS, DEFAULT, COLLATE, ON DELETE CASCADE,
#: an expression in an index — is code a hostile file could make us run, so the file is refused.
_SCHEMA_WORDS = frozenset({
    "CREATE", "TABLE", "INDEX", "UNIQUE", "ON", "NOT", "NULL", "PRIMARY", "KEY", "FOREIGN", "REFERENCES",
    "WITHOUT", "ROWID", "ASC", "DESC", "VARCHAR", "TEXT", "INTEGER", "JSON", "BLOB", "IF", "EXISTS",
})
_SCHEMA_TOKEN = re.compile(r"""\s+|[A-Za-z_][A-Za-z0-9_]*|\d+|'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|.""",
                           re.DOTALL)


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


def _decode_text(raw: bytes) -> str:
    # A flipped byte inside a row (which no structural check notices) must not make every read of
    # that row raise: show the damaged character as U+FFFD instead.
    return raw.decode("utf-8", "replace")


class SqliteRows:
    """The store port's ``Rows`` on a sqlite3 connection: it takes ``:name`` parameters natively,
    so the hot list queries build no SQLAlchemy rows (and the ORM-free reader can run them too)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """All rows of ``sql``."""
        return self.conn.execute(sql, dict(params or {})).fetchall()


def harden(conn: sqlite3.Connection) -> None:
    """Apply the untrusted-file defences to a fresh connection."""
    conn.text_factory = _decode_text
    conn.execute("PRAGMA trusted_schema=OFF")
    conn.execute("PRAGMA cell_size_check=ON")
    conn.execute("PRAGMA mmap_size=0")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
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


def open_deadline(conn: sqlite3.Connection) -> float:
    """Seconds an open-time check of the database on ``conn`` may take: scaled by its size."""
    try:
        with deadline(conn, 1.0, scaled=False):
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    except (sqlite3.DatabaseError, TypeError, ValueError):
        return OPEN_DEADLINE_S
    return OPEN_DEADLINE_S + DEADLINE_PER_MB_S * max(0, pages) * max(0, page_size) / 1_000_000


@contextmanager
def deadline(conn: sqlite3.Connection, seconds: float | None = None, *, scaled: bool = True) -> Iterator[None]:
    """Abort any statement on ``conn`` that runs past ``seconds`` (bounded work on hostile files).

    Without ``seconds`` the budget is :func:`open_deadline` for this database.
    """
    if seconds is None:
        seconds = open_deadline(conn) if scaled else OPEN_DEADLINE_S
    end = time.monotonic() + seconds

    def _check() -> int:
        return 1 if time.monotonic() > end else 0

    conn.set_progress_handler(_check, 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


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
    if not versions.released(version):
        raise errors.Damaged("", f"schema version {version} was never released")
    return {table: [(column, 0) for column in columns] for table, columns in versions.COLUMNS[version].items()}


def _too_slow(exc: sqlite3.DatabaseError) -> bool:
    return "interrupted" in str(exc).lower()


def _damaged(name: str, exc: sqlite3.DatabaseError) -> errors.Damaged:
    if _too_slow(exc):
        return errors.Damaged(name, f"{name} could not be checked in reasonable time; it is damaged or "
                              "was made to be slow to read. It was not opened.")
    return errors.Damaged(name, f"{name} is damaged: {exc}.")


def _plain_statement(sql: str, allowed_names: set[str]) -> bool:
    """True when ``sql`` uses only :data:`_SCHEMA_WORDS`, the given names, numbers and ``( ) ,``."""
    names = {n.casefold() for n in allowed_names}
    for token in _SCHEMA_TOKEN.findall(sql):
        if token.isspace() or token in "(),":
            continue
        if token[0] in "'\"`[":
            token = token[1:-1]
            if token.casefold() not in names:
                return False
        elif token.isdigit():
            continue
        elif token.upper() in _SCHEMA_WORDS or token.casefold() in names:
            continue
        else:
            return False
    return True


def _foreign(name: str, kind: str, obj_name: object) -> errors.Damaged:
    what = clean_text(str(obj_name), 80)
    return errors.Damaged(name, f"{name} has been altered: it contains a {kind} ({what}) that Persona Workbench "
                          "never creates. It was not opened.")


def validate_schema(conn: sqlite3.Connection, name: str, version: int) -> None:
    """Refuse a file whose schema is not exactly ours: planted triggers/views, altered tables.

    Every object must be one this version creates: no trigger or view, no table or index of another
    tool (a table would travel in every copy; an index or a statistics table changes how queries
    run), no extra UNIQUE or primary key, and in our tables nothing beyond plain columns (CHECK
    constraints, generated columns, defaults, collations, cascades, expressions).
    """
    try:
        with deadline(conn):
            rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
            expected = expected_columns(version)
            present: dict[str, str] = {}
            indexes: list[tuple[str, str, str | None]] = []
            for kind, obj_name, tbl, sql in rows:
                if kind in ("trigger", "view"):
                    raise _foreign(name, str(kind), obj_name)
                if kind == "table":
                    present[obj_name] = sql or ""
                elif kind == "index":
                    indexes.append((str(obj_name), str(tbl), sql))
            columns_of: dict[str, list[str]] = {}
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
                columns_of[table] = [c for c, _hidden in columns]
            search.validate(present, name, version)
            known = {*expected, search.FTS_TABLE, search.DOCS_TABLE, *search.SHADOW_TABLES}
            for table in present:
                if table not in known:
                    raise _foreign(name, "table", table)
            for shadow in search.SHADOW_TABLES + (search.DOCS_TABLE,):
                columns_of[shadow] = [str(r[1]) for r in conn.execute(f'PRAGMA table_xinfo("{shadow}")')]
            ours = set(columns_of)
            for table, cols in columns_of.items():
                referenced = {c for t in ours for c in columns_of[t]} | ours  # FOREIGN KEY … REFERENCES
                if not _plain_statement(present[table], {table, *cols, *referenced}):
                    raise errors.Damaged(
                        name, f"{name} has been altered: the table {table!r} carries constraints or "
                        "expressions Persona Workbench never writes. It was not opened.")
            ours_indexed = versions.INDEXES[version]
            keys = {f"sqlite_autoindex_{t}_1": (t, ["item_id" if t == search.DOCS_TABLE else "id"])
                    for t in (*expected, search.DOCS_TABLE)}
            for index, table, sql in indexes:
                if sql is None:
                    # sqlite_autoindex_*: made by SQLite for a PRIMARY KEY or UNIQUE — exactly one per
                    # table of ours, on its id; a second one is a constraint we never wrote.
                    if index not in keys or keys[index][0] != table or \
                            [str(r[2]) for r in conn.execute(f'PRAGMA index_info("{index}")')] != keys[index][1]:
                        raise _foreign(name, "constraint", index)
                    continue
                if index in ours_indexed:
                    # One of ours: exactly the statement this version writes (ix_personas_list holds
                    # an expression, lower(name); anything else in its place would be code).
                    if (table, sql) != ours_indexed[index]:
                        raise errors.Damaged(
                            name, f"{name} has been altered: the index {index!r} is not the one Persona "
                            "Workbench writes. It was not opened.")
                    continue
                raise _foreign(name, "index", index)
    except sqlite3.DatabaseError as exc:
        raise _damaged(name, exc) from None
    except UnicodeDecodeError:  # SQLite's error message quoted damaged schema text
        raise errors.Damaged(name, f"{name} is damaged: its table definitions are unreadable.") from None


#: Persona list fields (``tags`` …) → their column: each holds a JSON array of texts.
LIST_COLUMNS: dict[str, str] = {key: fields.COLUMN_OF.get(key, key) for key in sorted(fields.LIST_FIELDS)}


def check_values(conn: sqlite3.Connection, name: str) -> None:
    """Refuse a file whose list columns hold anything but JSON arrays of texts (another program
    edited it): every export, merge and view would otherwise fail later on that row."""
    try:
        with deadline(conn):
            for key, column in LIST_COLUMNS.items():
                row = conn.execute(
                    f"SELECT id FROM personas WHERE NOT CASE WHEN typeof({column}) = 'text' AND json_valid({column}) "
                    f"THEN json_type({column}) = 'array' AND NOT EXISTS (SELECT 1 FROM json_each(personas.{column}) "
                    "WHERE type <> 'text') ELSE 0 END LIMIT 1").fetchone()
                if row is not None:
                    raise errors.Damaged(
                        name, f"{name} is damaged: the {key!r} of the persona {clean_text(str(row[0]), 40)!r} is "
                        "not a list of texts (another program changed it). It was not opened.")
    except sqlite3.DatabaseError as exc:
        raise _damaged(name, exc) from None


def check_integrity(conn: sqlite3.Connection, name: str, *, full: bool = True) -> None:
    """Run SQLite's quick (or full) integrity check within the open deadline."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        with deadline(conn):
            result = conn.execute(f"PRAGMA {pragma}(1)").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _damaged(name, exc) from None
    except UnicodeDecodeError:
        raise errors.Damaged(name, f"{name} is damaged: its table definitions are unreadable.") from None
    if not result or result[0] != "ok":
        detail = result[0] if result else "no answer"
        raise errors.Damaged(name, f"{name} is damaged ({detail}).")


def check_file(path: Path, version: int, *, integrity: bool) -> None:
    """Validate the schema of the file at ``path`` (and its integrity when asked), read-only.

    Opens it immutable — nothing is written, no lock is taken — and raises :class:`errors.Damaged`
    for anything wrong. ``version`` is the one :func:`read_header` returned.
    """
    name = str(path)
    try:
        conn = connect(path, readonly=True, immutable=True)
    except sqlite3.Error as exc:
        raise errors.Damaged(name, f"{path} is damaged: {exc}.") from None
    try:
        validate_schema(conn, name, version)
        if integrity:
            check_integrity(conn, name)
        check_values(conn, name)
    except sqlite3.Error as exc:
        raise errors.Damaged(name, f"{path} is damaged: {exc}.") from None
    finally:
        conn.close()
