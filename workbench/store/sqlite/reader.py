"""A quick, read-only look at a workbench through plain ``sqlite3`` — no ORM.

What a person sees first must not wait for SQLAlchemy (≈ 0.3 s to import) or for an 800 MB file to
be copied: the command line's ``info`` and ``search``, and the window's first paint (persona list,
counts), read through this module. The functions take a DB-API connection so :mod:`workbench.read.queries`
serves the same answers to ORM sessions (one implementation, two callers); :class:`Reader` holds a
checked, immutable connection to a file; :func:`first_look` is the ORM-free first half of opening
a file for editing (checks and the lock), which :class:`workbench.session.Workbench` completes.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from workbench.domain import errors
from workbench.domain.values import ChannelView, Context, Counts, PersonaSummary, WorkbenchInfo
from workbench.schema.fileformat import MESSAGE_STATUSES, SCHEMA_VERSION, TERM_KINDS
from workbench.store.sqlite import db, search, storage

T = TypeVar("T")

#: Read-only opens of files up to this size run SQLite's integrity check first; bigger files (where
#: it costs a second or more) rely on ``cell_size_check`` and turn a corrupt page met while reading
#: into :class:`errors.Damaged`. Opens for editing always check (on a worker, before copying).
READONLY_CHECK_MAX_BYTES = 64 * 1024 * 1024

_SUMMARY_COLUMNS = "id, name, role, organization, status, portrait IS NOT NULL, updated_at"
#: List order of personas: by name ignoring case, then id (stable for equal names).
PERSONA_ORDER = "ORDER BY lower(name), id"


# --- plain queries (a DB-API connection in, views out) -------------------------------------------


def info(conn: sqlite3.Connection) -> WorkbenchInfo:
    """The workbench row (name, organisation, narrative; whether it has a logo; last change)."""
    row = conn.execute("SELECT id, name, organization, narrative, logo IS NOT NULL, updated_at, updated_by "
                       "FROM workbench LIMIT 1").fetchone()
    if row is None:
        return WorkbenchInfo("", "", "", "", False, "", "")
    return WorkbenchInfo(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])


def channels(conn: sqlite3.Connection) -> list[ChannelView]:
    """All channels in their order."""
    return [ChannelView(r[0], r[1], r[2], int(r[3])) for r in
            conn.execute("SELECT id, name, guidance, position FROM channels ORDER BY position, name")]


def _summary(r: Sequence[Any]) -> PersonaSummary:
    return PersonaSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])


def persona_count(conn: sqlite3.Connection) -> int:
    """How many personas there are."""
    return int(conn.execute("SELECT count(*) FROM personas").fetchone()[0])


def persona_summaries(conn: sqlite3.Connection, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]:
    """Personas in list order, without stories or portraits (paged).

    Deep pages cost a scan of the persona table each (there is no index on ``lower(name)``): a list
    that scrolls through thousands uses :func:`persona_order` + :func:`persona_summaries_for`.
    """
    rows = conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM personas {PERSONA_ORDER} LIMIT ? OFFSET ?",
                        (-1 if limit is None else max(0, limit), max(0, offset))).fetchall()
    return [_summary(r) for r in rows]


def persona_order(conn: sqlite3.Connection) -> list[str]:
    """Every persona id in list order — for lazy list models.

    Reads only the columns stored before the story, so it never walks a story's overflow pages:
    ~20 ms for 10,000 personas, after which :func:`persona_summaries_for` fetches any page by key.
    """
    return [r[0] for r in conn.execute(f"SELECT id FROM personas {PERSONA_ORDER}")]


def persona_summaries_for(conn: sqlite3.Connection, ids: Sequence[str]) -> list[PersonaSummary]:
    """Summaries of the given personas, in the order given (ids that no longer exist are skipped)."""
    found: dict[str, PersonaSummary] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        for r in conn.execute(f"SELECT {_SUMMARY_COLUMNS} FROM personas WHERE id IN "
                              f"({','.join('?' * len(chunk))})", chunk):
            found[r[0]] = _summary(r)
    return [found[i] for i in ids if i in found]


def portrait(conn: sqlite3.Connection, persona_id: str) -> bytes | None:
    """A persona's portrait bytes."""
    row = conn.execute("SELECT portrait FROM personas WHERE id = ?", (persona_id,)).fetchone()
    return None if row is None else row[0]


def message_counts_by_channel(conn: sqlite3.Connection) -> dict[str, int]:
    """Channel id → number of messages (one grouped query; the channel list shows it)."""
    return {cid: int(n) for cid, n in
            conn.execute("SELECT channel_id, count(*) FROM messages GROUP BY channel_id")}


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0] or 0)


def counts(conn: sqlite3.Connection) -> Counts:
    """Totals for ``info`` and the status bar."""
    by_status = dict.fromkeys(MESSAGE_STATUSES, 0)
    for status, n in conn.execute("SELECT status, count(*) FROM messages GROUP BY status"):
        by_status[status] = int(n)
    return Counts(
        personas=persona_count(conn),
        approved_personas=_count(conn, "SELECT count(*) FROM personas WHERE status = 'approved'"),
        channels=_count(conn, "SELECT count(*) FROM channels"),
        messages=by_status,
        terms=_count(conn, "SELECT count(*) FROM terms"),
        objections=_count(conn, "SELECT count(*) FROM objections"),
        revisions=_count(conn, "SELECT count(*) FROM message_revisions"),
    )


def term_kinds(conn: sqlite3.Connection) -> dict[str, int]:
    """How many lingo terms of each kind (``prefer``/``avoid``/``define``)."""
    found = dict.fromkeys(TERM_KINDS, 0)
    for kind, n in conn.execute("SELECT kind, count(*) FROM terms GROUP BY kind"):
        if kind in found:
            found[kind] = int(n)
    return found


#: Coverage cell states by code (0: no message, or none that counts).
CELL_STATES = ("", "draft", "in_review", "approved", "breach")
#: One message's contribution to its cell, as a code into CELL_STATES (a cell shows its highest):
#: a breach not accepted by an approval with an override, approved (or an approved text still in
#: force while a new draft waits), in review, draft.
CELL_CODE = ("(CASE WHEN breach_count <> 0 AND NOT (status = 'approved' AND override_reason <> '') THEN 4"
             " WHEN status = 'approved' OR (in_force_revision_id IS NOT NULL AND in_force_revision_id <> '')"
             " THEN 3 WHEN status = 'in_review' THEN 2 WHEN status = 'draft' THEN 1 ELSE 0 END)")


def coverage_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many coverage cells are in each state (``draft``/``in_review``/``approved``/``breach``).

    For summaries such as ``info`` and the matrix's totals: counted in SQL, no matrix built.
    """
    found = {state: 0 for state in CELL_STATES if state}
    for code, n in conn.execute(
            f"SELECT code, count(*) FROM (SELECT max({CELL_CODE}) AS code FROM messages "
            "WHERE status <> 'retired' GROUP BY persona_id, channel_id, stage) GROUP BY code"):
        if 0 < code < len(CELL_STATES):
            found[CELL_STATES[code]] = int(n)
    return found


# --- a checked, read-only file -----------------------------------------------------------------


class Reader:
    """A read-only, immutable view of one workbench file. Nothing is ever written beside it.

    Safe to use from one thread at a time (calls are serialised); errors from a damaged page met
    while reading become :class:`errors.Damaged`, never a traceback.
    """

    def __init__(self, path: Path, db_path: Path | None = None, *, migrated_from: int | None = None,
                 temp_dir: Path | None = None) -> None:
        self.path = path
        self.migrated_from = migrated_from
        self._temp_dir = temp_dir
        self._conn = db.connect(db_path or path, readonly=True, immutable=True)
        self._lock = threading.Lock()
        self._order: list[str] | None = None

    @classmethod
    def open(cls, path: Path | str) -> Reader:
        """Check ``path`` is a workbench this version can read, and open it read-only.

        An older file is migrated on a temporary copy (the file itself is never changed). Raises a
        typed :class:`errors.FileProblem` when the file cannot be used.
        """
        path = Path(path)
        version, _app_id = db.read_header(path)
        if version < SCHEMA_VERSION:
            return cls._migrated_copy(path, version)
        db.check_file(path, version, integrity=path.stat().st_size <= READONLY_CHECK_MAX_BYTES)
        return cls(path)

    @classmethod
    def _migrated_copy(cls, path: Path, version: int) -> Reader:
        db.check_file(path, version, integrity=True)
        from workbench.store.sqlite import migrations

        copy = migrations.migrated_temp_copy(path, version)
        try:
            return cls(path, copy, migrated_from=version, temp_dir=copy.parent)
        except BaseException:
            shutil.rmtree(copy.parent, ignore_errors=True)
            raise

    def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run one of the plain query functions (``fn(conn, *args)``) on this file."""
        with self._lock:
            try:
                return fn(self._conn, *args)
            except sqlite3.DatabaseError as exc:
                raise errors.Damaged(str(self.path), f"{self.path} is damaged: {exc}.") from None

    def info(self) -> WorkbenchInfo:
        """The workbench's name, organisation and narrative."""
        return self.read(info)

    def counts(self) -> Counts:
        """Totals."""
        return self.read(counts)

    def channels(self) -> list[ChannelView]:
        """Channels in order."""
        return self.read(channels)

    def persona_count(self) -> int:
        """Number of personas."""
        return self.read(persona_count)

    def persona_order(self) -> list[str]:
        """Every persona id in list order (read once: the file never changes under a reader)."""
        if self._order is None:
            self._order = self.read(persona_order)
        return list(self._order)

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]:
        """Summaries of the given personas, in that order."""
        return self.read(persona_summaries_for, ids)

    def portrait(self, persona_id: str) -> bytes | None:
        """A persona's portrait bytes."""
        return self.read(portrait, persona_id)

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[search.SearchHit]:
        """Full-text search across personas, messages, objections and terms."""
        return self.read(search.query, text, limit, kinds)

    def close(self) -> None:
        """Close the connection (and drop a migrated temporary copy)."""
        with self._lock:
            self._conn.close()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the first half of opening for editing -----------------------------------------------------


@dataclass
class FirstLook:
    """A file checked (header, schema) and, for editing, locked — readable at once through ``reader``.

    :meth:`workbench.session.Workbench.from_first_look` completes the opening (it needs the ORM);
    until then nothing has been copied. Whoever holds a ``FirstLook`` must hand it on or
    :meth:`release` it.
    """

    path: Path
    ctx: Context
    version: int
    readonly: bool
    lock: storage.Lock | None
    data_dir: Path | None
    reader: Reader

    def release(self) -> None:
        """Give the file back: close the reader, release the lock."""
        self.reader.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def first_look(path: Path | str, ctx: Context | None = None, *, readonly: bool = False,
               data_dir: Path | None = None) -> FirstLook | None:
    """Check ``path`` and (unless ``readonly``) take its lock, without the ORM and without copying.

    Returns None when the file needs more than a look before it can be shown — an older schema to
    migrate, or a crashed session's working copy to recover: open it with
    :meth:`workbench.session.Workbench.open` then. Raises a typed :class:`errors.FileProblem` (for
    example :class:`errors.Locked` naming the holder) when it cannot be opened; the file itself is
    never modified.
    """
    path = Path(path)
    ctx = ctx or Context()
    version, _app_id = db.read_header(path)
    if version < SCHEMA_VERSION:
        return None
    if not readonly and storage.WorkingCopy.find_recoverable(path, data_dir) is not None:
        return None
    small = path.stat().st_size <= READONLY_CHECK_MAX_BYTES
    # Opening for editing checks integrity on the worker that makes the copy; a read-only look at a
    # big file relies on cell_size_check while reading (see READONLY_CHECK_MAX_BYTES).
    db.check_file(path, version, integrity=readonly and small)
    lock = None if readonly else storage.Lock.acquire(path, ctx.user, ctx.now())
    try:
        reader = Reader(path)
        reader.persona_order()  # read here, on the caller's (worker) thread: the list needs it first
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return FirstLook(path, ctx, version, readonly, lock, data_dir, reader)
