"""How changes travel between people on one server: the change log, NOTIFY, a listener, presence.

Every command's transaction appends one row to ``pwkb_changes`` (sequence number, kinds and ids —
the same :class:`~workbench.store.unit.Change` the app refreshes its own views from — who, when) and
sends ``NOTIFY pwkb_changes, '<seq>'``; PostgreSQL delivers it only when the transaction commits. A
transaction-level advisory lock taken just before the row is appended makes sequence numbers commit
in order, so "everything after N" never skips a change that committed late.

:class:`ChangeListener` waits on its own connection; after losing it, it reconnects and answers with
the newest sequence number so the caller catches up from the log (:func:`changes_since`). Presence
needs no table: every connection of a session names it in ``application_name``, which
``pg_stat_activity`` shows every role.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from workbench.domain import errors
from workbench.store.postgres.address import APP_PREFIX, Connector
from workbench.store.postgres.schema import CHANGES_TABLE

if TYPE_CHECKING:
    import psycopg

    from workbench.store.unit import Change

CHANNEL = "pwkb_changes"
#: Advisory lock key serialising appends to the change log ("PWKB"); per database by definition.
LOG_LOCK = 0x50574B42
#: Ids listed per change record at most; a bigger change (an import) says "everything of that kind".
MAX_IDS = 5000


@dataclass(frozen=True)
class ChangeRecord:
    """Another session's committed change, as the log keeps it: what the app needs to refresh views
    (the same questions a :class:`~workbench.store.unit.Change` answers), who made it, and when."""

    seq: int
    label: str
    who: str
    at: str
    origin: str
    items: Mapping[str, Mapping[str, frozenset[str]]]
    #: Kinds whose ids were too many to list: refresh everything of that kind.
    whole_kinds: frozenset[str] = frozenset()

    @property
    def kinds(self) -> frozenset[str]:
        """Kinds of rows that changed (``persona``, ``message`` …)."""
        return frozenset(self.items) | self.whole_kinds

    def ids(self, kind: str) -> frozenset[str]:
        """Ids of changed rows of one kind (created and deleted ones included)."""
        return self.items.get(kind, {}).get("ids", frozenset())

    def created(self, kind: str) -> frozenset[str]:
        """Ids of rows of ``kind`` this change brought into existence."""
        return self.items.get(kind, {}).get("created", frozenset())

    def deleted(self, kind: str) -> frozenset[str]:
        """Ids of rows of ``kind`` this change removed."""
        return self.items.get(kind, {}).get("deleted", frozenset())

    @property
    def complete(self) -> bool:
        """False when some kind changed wholesale (see :attr:`whole_kinds`)."""
        return not self.whole_kinds


def encode(change: Change) -> dict[str, Any]:
    """A change's kinds and ids as the log stores them (JSON); kinds with too many ids say so."""
    out: dict[str, Any] = {}
    for kind in sorted(change.kinds):
        ids = change.ids(kind)
        if len(ids) > MAX_IDS:
            out[kind] = {"all": True}
            continue
        out[kind] = {"ids": sorted(ids), "created": sorted(change.created(kind)),
                     "deleted": sorted(change.deleted(kind))}
    return out


def decode(seq: int, label: str, who: str, at: str, origin: str, items: Any) -> ChangeRecord:
    """A log row as a :class:`ChangeRecord`."""
    data = items if isinstance(items, dict) else json.loads(items or "{}")
    listed: dict[str, dict[str, frozenset[str]]] = {}
    whole: set[str] = set()
    for kind, entry in data.items():
        if entry.get("all"):
            whole.add(kind)
        else:
            listed[kind] = {key: frozenset(entry.get(key, ())) for key in ("ids", "created", "deleted")}
    return ChangeRecord(seq, label, who, at, origin, listed, frozenset(whole))


def append(conn: Connection, change: Change, origin: str) -> int:
    """Append ``change`` to the log and notify listeners (delivered when the caller commits)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOG_LOCK})
    seq = int(conn.execute(text(f"INSERT INTO {CHANGES_TABLE} (origin, label, items) "
                                "VALUES (:origin, :label, CAST(:items AS jsonb)) RETURNING seq"),
                           {"origin": origin, "label": change.label,
                            "items": json.dumps(encode(change), sort_keys=True)}).scalar_one())
    conn.execute(text("SELECT pg_notify(:channel, :seq)"), {"channel": CHANNEL, "seq": str(seq)})
    return seq


def changes_since(conn: Connection, seq: int, limit: int = 1000,
                  exclude_origin: str | None = None) -> list[tuple[int, ChangeRecord]]:
    """Logged changes after ``seq``, oldest first (at most ``limit``; ask again from the last one)."""
    rows = conn.execute(text(
        f"SELECT seq, label, who, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24\\:MI\\:SS\"+00:00\"'), "
        f"origin, items FROM {CHANGES_TABLE} WHERE seq > :seq ORDER BY seq LIMIT :limit"),
        {"seq": seq, "limit": limit})
    found = [(int(r[0]), decode(int(r[0]), r[1], r[2], r[3], r[4], r[5])) for r in rows]
    if exclude_origin is not None:
        found = [(s, rec) for s, rec in found if rec.origin != exclude_origin]
    return found


def latest(conn: Connection) -> int:
    """The newest sequence number in the log (0: none yet)."""
    return int(conn.execute(text(f"SELECT coalesce(max(seq), 0) FROM {CHANGES_TABLE}")).scalar_one())


@dataclass(frozen=True)
class Presence:
    """Another session that has the workbench open: its database role and what it calls itself."""

    user: str
    name: str
    session: str

    def describe(self) -> str:
        """A phrase such as 'maria (maria@laptop-7)'."""
        return f"{self.user} ({self.name})" if self.name and self.name != self.user else self.user


def others(conn: Connection, own_session: str) -> list[Presence]:
    """Every other session connected to this workbench now, one entry each, sorted."""
    found: dict[str, Presence] = {}
    for user, app in conn.execute(text(
            "SELECT usename, application_name FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name LIKE :prefix"), {"prefix": APP_PREFIX + "%"}):
        _, _, rest = str(app).partition(APP_PREFIX)
        session, _, name = rest.partition("/")
        if session and session != own_session:
            found.setdefault(session, Presence(str(user or ""), name, session))
    return sorted(found.values(), key=lambda p: (p.user, p.name, p.session))


class ChangeListener:
    """Waits for other sessions' commits on a connection of its own (``LISTEN``).

    Use from one worker thread: ``wait_for_notify`` blocks at most ``timeout`` seconds; close it
    from that thread (or after it stopped waiting).
    """

    def __init__(self, connector: Connector) -> None:
        self._connector = connector
        self._conn: psycopg.Connection[Any] | None = None
        self._connect(None)

    def _connect(self, timeout: float | None) -> int:
        conn = self._connector.connect(autocommit=True, timeout=timeout)
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            row = conn.execute(f"SELECT coalesce(max(seq), 0) FROM {CHANGES_TABLE}").fetchone()
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return int(row[0]) if row else 0

    @property
    def connected(self) -> bool:
        """Whether the listening connection is up (False after a loss, until a reconnection works)."""
        return self._conn is not None and not self._conn.closed

    def wait_for_notify(self, timeout: float) -> int | None:
        """Block up to ``timeout`` seconds for another commit; the highest sequence number announced.

        None when nothing came (or the server is unreachable: see :attr:`connected`). After a lost
        connection the next call reconnects and returns the log's newest sequence number — the
        caller then catches up with :func:`changes_since` from the last one it saw.
        """
        import psycopg

        deadline = time.monotonic() + max(0.0, timeout)
        if not self.connected:
            try:
                return self._connect(min(max(timeout, 1.0), 8.0))
            except errors.WorkbenchError:
                time.sleep(max(0.0, deadline - time.monotonic()))
                return None
        assert self._conn is not None
        best: int | None = None
        try:
            for note in self._conn.notifies(timeout=max(0.0, deadline - time.monotonic()), stop_after=1):
                best = _seq(note.payload, best)
            for note in self._conn.notifies(timeout=0.01):  # others already waiting: take them too
                best = _seq(note.payload, best)
        except psycopg.Error:
            self._drop()
        return best

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # already broken: nothing left to give back
                pass

    def close(self) -> None:
        """Stop listening and give the connection back."""
        self._drop()


def _seq(payload: str, best: int | None) -> int | None:
    try:
        value = int(payload)
    except ValueError:
        return best
    return value if best is None or value > best else best
