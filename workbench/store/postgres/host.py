"""A team workbench while it is open: the server behind the :class:`~workbench.store.port.Host` port.

``TeamHost.open(url)`` connects (within seconds, or a typed error: unknown host, server stopped,
wrong password, no rights), refuses a database that is not a workbench or has another schema
version, and finds out whether this role may edit. There is no lock, working copy or write-back:
every command is a committed transaction on the server, and other people's commits arrive through
:meth:`TeamHost.listen` and :meth:`TeamHost.changes_since`. :meth:`TeamHost.others` says who else has
the workbench open.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.store.postgres import faults, live, roles, schema
from workbench.store.postgres.address import Address, Connector, PasswordPrompt
from workbench.store.postgres.store import PostgresStore


def _session_name(ctx_user: str) -> str:
    """What this session calls itself to others: ``user@host``."""
    try:
        host = socket.gethostname().split(".")[0]
    except OSError:
        host = ""
    return f"{ctx_user}@{host}" if host else ctx_user


class TeamHost:
    """One open team workbench on a server."""

    def __init__(self, store: PostgresStore, ctx: Context, *, readonly: bool, meta: dict[str, str],
                 user: str, level: str | None) -> None:
        self._store = store
        self.label = store.label
        self.ctx = ctx
        self._readonly = readonly
        #: ``pwkb_meta``: application id, schema version, workbench id, role prefix.
        self.meta = meta
        #: The database role this session acts as (what ``approved_by`` and the change log record).
        self.user = user
        #: The highest level this role holds (``reader`` … ``admin``; None for a superuser or owner
        #: outside the workbench's groups with rights of their own).
        self.level = level
        self._closed = False

    @classmethod
    def open(cls, url: str, ctx: Context | None = None, *, readonly: bool = False,
             password: PasswordPrompt | None = None) -> TeamHost:
        """Connect to the workbench at ``url`` and check it; typed errors within ~10 s, nothing written.

        ``ctx``: who edits (default: the database role, with the real clock). ``password``: asked for
        the password when the server wants one that neither the URL, ``PGPASSWORD`` nor ``~/.pgpass``
        gave. Read-only when asked, or when the role may not edit.
        """
        address = Address.parse(url)
        name = _session_name(ctx.user if ctx is not None else (address.user or "someone"))
        connector = Connector(address, session=secrets.token_hex(4), name=name, prompt=password)
        store = PostgresStore(connector, readonly=True)
        try:
            with store.session() as s:
                conn = s.connection()
                meta, user, level, may_edit = cls.inspect(conn, store.label)
        except errors.WorkbenchError:
            store.dispose()
            raise
        except Exception as exc:
            store.dispose()
            typed = store.failure(exc, writing=False)
            if typed is None:
                raise
            raise typed from None
        if ctx is None:
            ctx = Context(user=user)
        store.readonly = readonly or not may_edit
        return cls(store, ctx, readonly=store.readonly, meta=meta, user=user, level=level)

    @staticmethod
    def inspect(conn: Connection, label: str) -> tuple[dict[str, str], str, str | None, bool]:
        """Check the database is a workbench this app can use; ``(meta, role, level, may_edit)``.

        A role without even read rights is :class:`faults.NotPermitted`.
        """
        meta = schema.check(conn, label)
        user = str(conn.execute(text("SELECT session_user")).scalar_one())
        can_read, can_edit = conn.execute(text(
            "SELECT has_table_privilege('personas', 'SELECT'), has_table_privilege('personas', 'UPDATE') "
            "AND has_table_privilege('pwkb_search', 'INSERT')")).one()
        if not can_read:
            raise faults.NotPermitted(label, f"Your role ({user}) may not read {label}: ask an administrator "
                                      "to grant you reader, editor, approver or admin.")
        return meta, user, roles.level_of(conn, meta.get("role_prefix", "")), bool(can_edit)

    # --- the Host port ------------------------------------------------------------------------

    @property
    def store(self) -> PostgresStore:
        """The server's store."""
        return self._store

    @property
    def readonly(self) -> bool:
        """Whether edits are refused (asked for, or the role is a reader)."""
        return self._readonly

    @property
    def preparing(self) -> bool:
        """Never: a server has nothing to copy before editing."""
        return False

    def finish_opening(self) -> None:
        """Nothing to finish (see :attr:`preparing`)."""

    def committed(self) -> None:
        """Nothing to schedule: the command's transaction is already on the server."""

    def close(self, *, write_back: bool = True) -> None:
        """Close every connection (nothing is pending: there is no write-back)."""
        if not self._closed:
            self._closed = True
            self._store.dispose()

    # --- others ---------------------------------------------------------------------------------

    @property
    def session(self) -> str:
        """This session's id in the change log (``origin``) and in presence."""
        return self._store.origin

    @property
    def workbench_id(self) -> str:
        """The id the workbench got when it was created on the server (offline copies remember it)."""
        return self.meta.get("workbench_id", "")

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """A read transaction's connection, driver failures typed."""
        try:
            with self._store.session() as s:
                yield s.connection()
        except errors.WorkbenchError:
            raise
        except Exception as exc:
            typed = self._store.failure(exc, writing=False)
            if typed is None:
                raise
            raise typed from None

    def others(self) -> list[live.Presence]:
        """Who else has this workbench open now (every session but this one)."""
        with self._connection() as conn:
            return live.others(conn, self.session)

    def changes_since(self, seq: int, *, limit: int = 1000,
                      include_own: bool = False) -> list[tuple[int, live.ChangeRecord]]:
        """Committed changes after ``seq``, oldest first (others' only, unless ``include_own``)."""
        with self._connection() as conn:
            return live.changes_since(conn, seq, limit, None if include_own else self.session)

    def last_seq(self) -> int:
        """The newest sequence number in the change log."""
        with self._connection() as conn:
            return live.latest(conn)

    def listen(self) -> live.ChangeListener:
        """A listener on a connection of its own (typed error when it cannot connect)."""
        return live.ChangeListener(self._store.connector)
