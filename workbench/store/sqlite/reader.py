"""A quick, read-only look at a workbench file through plain ``sqlite3`` — no ORM.

What a person sees first must not wait for SQLAlchemy (≈ 0.3 s to import) or for an 800 MB file to
be copied: the command line's ``info`` and ``search``, and the window's first paint (persona list,
counts), read through this module. :class:`Reader` holds a checked, immutable connection to a file
and runs the same portable queries the editing session runs (:mod:`workbench.read`), through
:class:`~workbench.store.sqlite.store.SqliteRows`; :func:`first_look` is the ORM-free first half of
opening a file for editing (checks and the lock), which :class:`~workbench.store.sqlite.host.FileHost`
completes.
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
from workbench.domain.values import ChannelView, Context, Counts, PersonaSummary, SearchHit, WorkbenchInfo
from workbench.read import coverage as read_coverage
from workbench.read import personas as read_personas
from workbench.read import workbench as read_workbench
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.store.sqlite import db, files, search, storage

T = TypeVar("T")

#: Read-only opens of files up to this size run SQLite's integrity check first; bigger files (where
#: it costs a second or more) rely on ``cell_size_check`` and turn a corrupt page met while reading
#: into :class:`errors.Damaged`. Opens for editing always check (on a worker, before copying).
READONLY_CHECK_MAX_BYTES = 64 * 1024 * 1024


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
        path = files.resolve(Path(path))
        version, _app_id = db.read_header(path)
        files.refuse_side_files(path)
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
        """Run one of the plain query functions of :mod:`workbench.read` (``fn(rows, *args)``)."""
        with self._lock:
            try:
                return fn(db.SqliteRows(self._conn), *args)
            except sqlite3.DatabaseError as exc:
                raise errors.Damaged(str(self.path), f"{self.path} is damaged: {exc}.") from None

    def info(self) -> WorkbenchInfo:
        """The workbench's name, organisation and narrative."""
        return self.read(read_workbench.info)

    def counts(self) -> Counts:
        """Totals."""
        return self.read(read_workbench.counts)

    def term_kinds(self) -> dict[str, int]:
        """Lingo terms of each kind."""
        return self.read(read_workbench.term_kinds)

    def message_counts_by_channel(self) -> dict[str, int]:
        """Channel id → number of messages."""
        return self.read(read_workbench.message_counts_by_channel)

    def coverage_counts(self) -> dict[str, int]:
        """How many coverage cells are in each state."""
        return self.read(read_coverage.coverage_counts)

    def channels(self) -> list[ChannelView]:
        """Channels in order."""
        return self.read(read_workbench.channels)

    def persona_count(self) -> int:
        """Number of personas."""
        return self.read(read_personas.persona_count)

    def persona_order(self) -> list[str]:
        """Every persona id in list order (read once: the file never changes under a reader)."""
        if self._order is None:
            self._order = self.read(read_personas.persona_order)
        return list(self._order)

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]:
        """Summaries of the given personas, in that order."""
        return self.read(read_personas.persona_summaries_for, ids)

    def portrait(self, persona_id: str) -> bytes | None:
        """A persona's portrait bytes."""
        return self.read(read_personas.portrait, persona_id)

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
        """Full-text search across personas, messages, objections and terms."""
        from workbench.read.search import search as run

        with self._lock:
            try:
                return run(search.Fts5Index(self._conn), db.SqliteRows(self._conn), text, limit, kinds)
            except sqlite3.DatabaseError as exc:
                raise errors.Damaged(str(self.path), f"{self.path} is damaged: {exc}.") from None

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

    :meth:`workbench.store.sqlite.host.FileHost.from_first_look` completes the opening (it needs the ORM);
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
    :meth:`workbench.store.sqlite.host.FileHost.open` then. Raises a typed :class:`errors.FileProblem` (for
    example :class:`errors.Locked` naming the holder) when it cannot be opened; the file itself is
    never modified.
    """
    path = files.resolve(Path(path))  # a link is followed once: the lock goes beside the real file
    ctx = ctx or Context()
    version, _app_id = db.read_header(path)
    files.refuse_side_files(path)
    if version < SCHEMA_VERSION:
        return None
    if not readonly and storage.WorkingCopy.find_recoverable(path, data_dir) is not None:
        return None
    small = path.stat().st_size <= READONLY_CHECK_MAX_BYTES
    # Opening for editing checks integrity on the worker that makes the copy; a read-only look at a
    # big file relies on cell_size_check while reading (see READONLY_CHECK_MAX_BYTES).
    db.check_file(path, version, integrity=readonly and small)
    if not readonly:
        files.refuse_editing_read_only(path)
    lock = None if readonly else storage.Lock.acquire(path, ctx.user, ctx.now())
    try:
        reader = Reader(path)
        reader.persona_order()  # read here, on the caller's (worker) thread: the list needs it first
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return FirstLook(path, ctx, version, readonly, lock, data_dir, reader)
