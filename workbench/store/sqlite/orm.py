"""The ORM side of a workbench connection: SQLAlchemy engines and creating the schema from the model.

Kept apart from :mod:`workbench.store.sqlite.db` (plain ``sqlite3``) so that reading a file — the command line's
read-only commands, the window's first paint — never imports SQLAlchemy; only sessions that use the
model (editing, the full views) load this module.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

from workbench.schema.model import APPLICATION_ID, SCHEMA_VERSION, Base
from workbench.store.sqlite import search


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
        # Writers take the write lock up front (no deadlock on upgrade); readers never do, so a
        # background read (problems, export) never blocks the GUI thread's reads.
        write = conn.get_execution_options().get("pwkb_write", False)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]

    return engine


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
