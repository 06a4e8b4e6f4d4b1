"""The store port over one SQLite database: ORM sessions, plain SQL, FTS5 search, typed failures.

A :class:`SqliteStore` is one database file — the private working copy of a workbench being edited,
or the user's own file read immutably (nothing written, no side files). Every session gets its own
short-lived hardened connection (a worker thread never shares one with the GUI thread); writers
take the write lock up front (``BEGIN IMMEDIATE``) so two writers never deadlock on an upgrade.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from workbench.domain import errors
from workbench.store.changes import Change
from workbench.store.sqlite import db, orm, storage
from workbench.store.sqlite.search import Fts5Index


def driver_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection inside an ORM session's transaction."""
    conn = session.connection().connection.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    return conn


class SqliteStore:
    """One SQLite database behind the store port."""

    def __init__(self, path: Path, *, label: str, readonly: bool, immutable: bool = False) -> None:
        self.path = path
        self.label = label
        self.readonly = readonly
        self.engine: Engine = orm.engine_for(lambda: db.connect(path, readonly=readonly, immutable=immutable))

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """An ORM session in one transaction (``write``: ``BEGIN IMMEDIATE``), committed on success."""
        with Session(self.engine, autoflush=True, expire_on_commit=False) as session, session.begin():
            session.connection(execution_options={"pwkb_write": write})
            yield session

    def rows(self, session: Session) -> db.SqliteRows:
        """Plain SQL inside the session's transaction."""
        return db.SqliteRows(driver_connection(session))

    def search(self, session: Session) -> Fts5Index:
        """The FTS5 index inside the session's transaction."""
        return Fts5Index(driver_connection(session))

    def record(self, session: Session, change: Change) -> None:
        """A file has nobody else to tell: the change record lives on the undo stack only."""

    def failure(self, exc: BaseException, *, writing: bool) -> errors.WorkbenchError | None:
        """A damaged page met while reading → :class:`errors.Damaged`; a failed write (full disk,
        read-only place) → :class:`errors.CouldNotSave`; None when ``exc`` is not SQLite's."""
        orig = exc if isinstance(exc, sqlite3.Error) else getattr(exc, "orig", None)
        if isinstance(orig, sqlite3.Error):
            if writing:
                return storage.save_failure(Path(self.label), orig)
            if isinstance(orig, sqlite3.DatabaseError):
                return errors.Damaged(self.label, f"{self.label} is damaged: {orig}.")
            return None
        if writing and isinstance(exc, OSError):
            return storage.save_failure(Path(self.label), exc)
        return None

    def dispose(self) -> None:
        """Close every pooled connection (there are none between sessions: NullPool)."""
        self.engine.dispose()
