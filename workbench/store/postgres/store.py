"""The store port over a PostgreSQL server: sessions, plain SQL, search, the change log, failures.

Isolation, decided for how commands guard against each other:

* **Writers run in READ COMMITTED.** Every command states the row versions it read; the unit of
  work (:class:`~workbench.store.unit.Tx`) reads every row it touches ``FOR UPDATE`` before writing,
  and the ORM's ``version_id_col`` puts ``AND version = <read>`` in every UPDATE. A row another
  writer changed since is therefore found at its new version (a typed ``Conflict`` naming both) or
  matches no row (``StaleDataError`` → ``Conflict``); rows nobody else touched commit side by side.
  REPEATABLE READ or SERIALIZABLE would add "could not serialize" failures on exactly the same
  overlaps — retries with no row named — and on unrelated reads, for nothing the versions miss.
  ``lock_timeout`` bounds waiting for another writer's row lock (then: ``Conflict``).
* **Readers run in REPEATABLE READ, READ ONLY**: a view made of several queries (the coverage
  matrix: personas, channels, messages) sees one snapshot; read-only snapshots never fail.

A store may also be *bound* to one connection's open transaction (``server init`` creates the
schema and loads the content in one transaction: each command becomes a savepoint of it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, TextClause, create_engine, text
from sqlalchemy.orm import Session

from workbench.domain import errors
from workbench.store.postgres import faults, live
from workbench.store.postgres.address import Connector
from workbench.store.postgres.search import PgSearchIndex
from workbench.store.unit import Change

#: How long a writer waits for another writer's row lock before giving up with a Conflict.
LOCK_TIMEOUT = "10s"
#: Connections kept open per session (the GUI thread, a worker or two, the re-check).
POOL_SIZE = 3


@lru_cache(maxsize=1024)
def _text(sql: str) -> TextClause:
    """``text(sql)``, parsed once per distinct statement (the read layer reuses a few hundred)."""
    return text(sql)


class PgRows:
    """The store port's ``Rows``: the read layer's portable ``:name`` SQL through SQLAlchemy's
    ``text()``, on the session's connection (inside its transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __call__(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """All rows of ``sql``."""
        return list(self.conn.execute(_text(sql), dict(params or {})).tuples())


class PostgresStore:
    """One workbench database on a server behind the store port."""

    def __init__(self, connector: Connector, *, readonly: bool, bind: Connection | None = None) -> None:
        self.connector = connector
        self.label = connector.label
        self.readonly = readonly
        #: This session's name in the change log and in presence (``application_name``).
        self.origin = connector.session
        self._bind = bind
        self.engine: Engine | None = None
        if bind is None:
            # pre_ping: a connection the server dropped (restart, idle timeout) is replaced before a
            # command uses it, instead of failing the command.
            self.engine = create_engine("postgresql+psycopg://", creator=connector.connect,
                                        pool_size=POOL_SIZE, max_overflow=4, pool_pre_ping=True,
                                        pool_timeout=10)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """An ORM session in one transaction (see the module's note on isolation), committed on success."""
        if self._bind is not None:
            with Session(bind=self._bind, join_transaction_mode="create_savepoint", autoflush=True,
                         expire_on_commit=False) as session, session.begin():
                yield session
            return
        with Session(self.engine, autoflush=True, expire_on_commit=False) as session, session.begin():
            if write:
                conn = session.connection(execution_options={"isolation_level": "READ COMMITTED"})
                conn.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": LOCK_TIMEOUT})
            else:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                      "postgresql_readonly": True})
            yield session

    def rows(self, session: Session) -> PgRows:
        """Plain SQL inside the session's transaction."""
        return PgRows(session.connection())

    def search(self, session: Session) -> PgSearchIndex:
        """The search index inside the session's transaction."""
        return PgSearchIndex(session.connection())

    def record(self, session: Session, change: Change) -> None:
        """Append the change to the server's log and notify listeners (on commit)."""
        live.append(session.connection(), change, self.origin)

    def failure(self, exc: BaseException, *, writing: bool) -> errors.WorkbenchError | None:
        """The typed error a driver failure means (see :func:`faults.translate`), or None."""
        return faults.translate(exc, self.label, writing=writing, secret=self.connector.secret)

    def dispose(self) -> None:
        """Close every pooled connection."""
        if self.engine is not None:
            self.engine.dispose()
