"""Server commands: create a team workbench in an empty database, grant a role its level, upgrade.

``init`` is one transaction: the schema, the group roles and their GRANTs, the default channels and
the content loaded from a ``.workbench`` or ``.json`` file (through the interchange import, run as
commands of a :class:`~workbench.session.Workbench` on the server) — all of it, or nothing (a bad
file, a refused right, a lost connection leave the database as empty as it was). It refuses a
database holding anything at all. The command line (``server init|grant``) calls these functions.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.pool import NullPool

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.store.postgres import faults, roles, schema
from workbench.store.postgres.address import Address, Connector, PasswordPrompt
from workbench.store.postgres.host import TeamHost
from workbench.store.postgres.store import PostgresStore

#: Advisory lock key: two ``init`` runs on one database at once wait for each other ("PWKC").
INIT_LOCK = 0x50574B43
T = TypeVar("T")


def _connector(url: str, password: PasswordPrompt | None, name: str) -> Connector:
    return Connector(Address.parse(url), session=secrets.token_hex(4), name=name, prompt=password)


@contextmanager
def _transaction(connector: Connector) -> Iterator[Connection]:
    """One connection in one transaction, committed on success; driver failures typed."""
    engine = create_engine("postgresql+psycopg://", creator=connector.connect, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            yield conn
    except errors.WorkbenchError:
        raise
    except Exception as exc:
        typed = faults.translate(exc, connector.label, writing=True, secret=connector.secret)
        if typed is None:
            raise
        raise typed from None
    finally:
        engine.dispose()


def _in_transaction(url: str, password: PasswordPrompt | None, fn: Callable[[Connection, str], T],
                    name: str = "server") -> T:
    connector = _connector(url, password, name)
    with _transaction(connector) as conn:
        return fn(conn, connector.label)


def init(url: str, source: Path | None = None, *, ctx: Context | None = None,
         password: PasswordPrompt | None = None) -> str:
    """Create a team workbench in the EMPTY database at ``url``, with ``source``'s content if given.

    Returns what was loaded, in one paragraph. Typed errors: the source cannot be read or is invalid
    (checked before the server is touched, and again as it is imported); the database holds anything
    (:class:`faults.DatabaseNotEmpty`); the role may not create tables or roles
    (:class:`faults.NotPermitted`); connection failures. Nothing is left behind on any of them.
    """
    import uuid

    from workbench.exchange.interchange import ImportDocument, load_source, validate
    from workbench.session import Workbench

    document: Any = None
    if source is not None:
        document, _mode = load_source(Path(source))
        validate(document, lambda: str(uuid.uuid4()))  # a bad file fails before the server is touched
    connector = _connector(url, password, "server init")
    summary = "Created an empty workbench (default channels only)."
    with _transaction(connector) as conn:
        label = connector.label
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": INIT_LOCK})
        if schema.is_workbench(conn):
            raise faults.DatabaseNotEmpty(label, f"{label} already holds a Persona Workbench; nothing was changed.")
        if schema.user_objects(conn):
            raise faults.DatabaseNotEmpty(label, f"{label} is not empty (it holds tables or other objects); "
                                          "server init needs an empty database. Nothing was changed.")
        dbname, user = conn.execute(text("SELECT current_database(), session_user")).one()
        # The tables are new in this transaction and have no statistics: without this, looking rows up
        # by id while loading scans whole tables (48,000 messages: minutes instead of seconds).
        conn.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
        meta = schema.create(conn, str(dbname))
        roles.install(conn, meta["role_prefix"], str(dbname))
        store = PostgresStore(connector, readonly=False, bind=conn)
        host = TeamHost(store, ctx or Context(user=str(user)), readonly=False, meta=meta, user=str(user),
                        level="admin")
        wb = Workbench(host)
        wb.seed(str(dbname), True)  # what Workbench.create does for a new file
        if document is not None:
            change = wb.execute(ImportDocument(document, label="Load Workbench"))
            report = change.extra.get("report")
            summary = report.summary() if report is not None else summary
        wb.close()
        for table in (*roles.MODEL_TABLES, "pwkb_search"):
            conn.execute(text(f"ANALYZE {table}"))  # statistics for everyone's first queries
    return summary


def grant(url: str, role: str, level: str, *, password: PasswordPrompt | None = None) -> None:
    """Give the existing PostgreSQL ``role`` exactly ``level`` (reader, editor, approver, admin) on the
    workbench at ``url`` — connected as an administrator of it (or a role that may manage roles)."""
    def run(conn: Connection, label: str) -> None:
        meta = schema.check(conn, label)
        roles.grant(conn, meta["role_prefix"], role, level, label)

    _in_transaction(url, password, run, "server grant")


def upgrade(url: str, *, password: PasswordPrompt | None = None) -> int:
    """Upgrade the workbench at ``url`` to this app's schema version (one transaction); return the
    version it was at. A newer or never-released version is refused with a typed error."""
    def run(conn: Connection, label: str) -> int:
        if not schema.is_workbench(conn):
            raise errors.NotAWorkbench(label, f"{label} is not a Persona Workbench.")
        return schema.upgrade(conn, label)

    return _in_transaction(url, password, run, "server upgrade")
