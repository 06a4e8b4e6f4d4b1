"""An open workbench: how the app and the CLI read it and change it.

``Workbench.open(path)`` checks the file without writing to it, takes the lock, and works on a
private working copy (or, read-only, reads the user's file in place through an immutable
connection that never changes a byte). ``execute(command)`` runs one command in one transaction
and returns a :class:`~workbench.edit.changes.Change`; ``undo``/``redo`` restore its row images.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from workbench.domain import errors
from workbench.domain.lingo import Breach, Checker
from workbench.domain.values import (
    ChannelView,
    Context,
    Counts,
    CoverageMatrix,
    MessageView,
    ObjectionView,
    PersonaSummary,
    PersonaView,
    Problem,
    RevisionView,
    TermView,
    WorkbenchInfo,
)
from workbench.edit.changes import Change, Tx
from workbench.edit.commands import Command, Restore
from workbench.edit.derived import recount_breaches, refresh_derived
from workbench.read import queries
from workbench.schema.model import (
    DEFAULT_CHANNELS,
    SCHEMA_VERSION,
    Channel,
    Message,
    WorkbenchRow,
    default_channel_id,
)
from workbench.store.sqlite import db, orm, reader, search, storage

T = TypeVar("T")
#: Messages re-checked per transaction by :meth:`Workbench.run_recheck` (each holds the write lock
#: for ≈ 0.1 s, so the GUI thread's commands wait at most that long).
RECHECK_CHUNK = 2000
#: Read-only opens of bigger files skip the integrity check (see :mod:`workbench.store.sqlite.reader`).
READONLY_CHECK_MAX_BYTES = reader.READONLY_CHECK_MAX_BYTES


def _prepare_working(path: Path) -> None:
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    finally:
        conn.close()


class Workbench:
    """One open workbench file. Not thread-safe for writes: commands run on one thread."""

    def __init__(self, path: Path, ctx: Context, *, readonly: bool, db_path: Path,
                 working: storage.WorkingCopy | None = None, lock: storage.Lock | None = None,
                 temp_dir: Path | None = None) -> None:
        self.path = path
        self.ctx = ctx
        self.readonly = readonly
        self.working = working
        self.recovered = False
        self.recovered_conflict: Path | None = None
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self._lock = lock
        self._temp_dir = temp_dir
        self._db_path = db_path
        immutable = readonly and working is None
        self.engine = orm.engine_for(lambda: db.connect(db_path, readonly=readonly, immutable=immutable))
        self._closed = False
        self._write_lock = threading.Lock()
        self._pending: tuple[int, Path | None] | None = None
        #: Re-checks of more messages than this are left to :meth:`run_recheck` (None: never; the
        #: desktop app sets it so a lingo edit never freezes the window).
        self.defer_rechecks_over: int | None = None
        self._recheck_lock = threading.Lock()
        self._recheck_all = False
        self._recheck_ids: set[str] = set()
        self._recheck_words: set[str] = set()

    # --- opening and creating ----------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, ctx: Context | None = None, *, name: str | None = None,
               sample: bool = False) -> None:
        """Create a new workbench file at ``path`` (refusing to overwrite), optionally with the sample."""
        path = Path(path)
        ctx = ctx or Context()
        if path.exists() or path.is_symlink():
            raise errors.AlreadyExists(str(path), f"{path} already exists; choose another name.")
        try:
            with storage.temp_beside(path) as tmp:
                conn = db.create_file(tmp)
                try:
                    orm.create_schema(conn)
                finally:
                    conn.close()
                wb = cls(tmp, ctx, readonly=False, db_path=tmp)
                try:
                    wb._seed(name or path.stem)
                    if sample:
                        from workbench import resources
                        from workbench.exchange import interchange

                        document = json.loads(resources.path("sample", "sample.json").read_text("utf-8"))
                        wb.execute(interchange.ImportDocument(document, label="Load Sample"))
                finally:
                    wb.engine.dispose()
                conn = db.connect(tmp, readonly=False)
                try:
                    conn.execute("PRAGMA journal_mode=DELETE")
                    conn.execute("VACUUM")
                finally:
                    conn.close()
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
                try:
                    os.link(tmp, path)  # never clobbers: fails if someone created it meanwhile
                except FileExistsError:
                    raise errors.AlreadyExists(str(path), f"{path} already exists; choose another name.") from None
                except OSError:
                    os.replace(tmp, path)
        except errors.WorkbenchError:
            raise
        except (OSError, sqlite3.Error) as exc:
            raise storage.save_failure(path, exc, edits_kept=False) from None

    def _seed(self, name: str) -> None:
        def seed(tx: Tx) -> None:
            row = WorkbenchRow(id=tx.ctx.new_id(), name=name, organization="", narrative="", logo=None)
            now = tx.ctx.now()
            row.created_at = row.updated_at = now
            row.created_by = row.updated_by = tx.ctx.user
            tx.session.add(row)
            for position, (channel, guidance) in enumerate(DEFAULT_CHANNELS):
                c = Channel(id=default_channel_id(channel), name=channel, guidance=guidance, position=position)
                c.created_at = c.updated_at = now
                c.created_by = c.updated_by = tx.ctx.user
                tx.session.add(c)

        self.execute(FunctionCommand(seed, "Create Workbench"))

    @classmethod
    def open(cls, path: Path | str, ctx: Context | None = None, *, readonly: bool = False,
             data_dir: Path | None = None) -> Workbench:
        """Open a workbench for editing (locked, on a working copy) or read-only (nothing written).

        Raises a typed :class:`errors.FileProblem` when the file cannot be used; the file itself is
        never modified by a refused open.
        """
        path = Path(path)
        ctx = ctx or Context()
        version, _app_id = db.read_header(path)
        db.check_file(path, version, integrity=not readonly or path.stat().st_size <= READONLY_CHECK_MAX_BYTES)
        if readonly:
            return cls._open_readonly(path, ctx, version)
        lock = storage.Lock.acquire(path, ctx.user, ctx.now())
        try:
            return cls._open_writable(path, ctx, version, lock, data_dir)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_deferred(cls, path: Path | str, ctx: Context | None = None, *,
                      data_dir: Path | None = None) -> Workbench:
        """Open for editing without copying the file on the caller's (GUI) thread.

        Checks the header and schema and takes the lock at once, then reads straight from the
        user's file (read-only, immutable) so the window can paint. Call :meth:`finish_opening` on a
        worker thread: it checks integrity, makes the working copy and switches to editing. Files that
        need a migration or have a crashed session to recover are opened fully here (no copy to wait for
        when recovering; a migration must happen before the first read).
        """
        look = reader.first_look(path, ctx, data_dir=data_dir)
        if look is None:  # a migration or a recovery first: no copy to wait for, open fully
            return cls.open(path, ctx, data_dir=data_dir)
        wb = cls.from_first_look(look)
        look.reader.close()
        return wb

    @classmethod
    def from_first_look(cls, look: reader.FirstLook) -> Workbench:
        """Complete an opening begun with :func:`workbench.store.sqlite.reader.first_look` (takes over its lock).

        Read-only looks become a read-only session; looks for editing become a session reading the
        user's file until :meth:`finish_opening` has made the working copy. The look's reader stays
        open for whoever still reads through it (the window's first views); they close it.
        """
        if look.readonly:
            return cls(look.path, look.ctx, readonly=True, db_path=look.path)
        wb = cls(look.path, look.ctx, readonly=True, db_path=look.path, lock=look.lock)
        wb._pending = (look.version, look.data_dir)
        look.lock = None  # the session owns it now
        return wb

    @property
    def preparing(self) -> bool:
        """True while an :meth:`open_deferred` session waits for :meth:`finish_opening`."""
        return self._pending is not None

    def finish_opening(self) -> None:
        """Worker-thread half of :meth:`open_deferred`: integrity check, working copy, then editable.

        On failure the lock is released and the typed error raised; the session stays read-only.
        """
        if self._pending is None:
            return
        version, data_dir = self._pending
        lock = self._lock
        assert lock is not None
        try:
            check = db.connect(self.path, readonly=True, immutable=True)
            try:
                db.check_integrity(check, str(self.path))
            finally:
                check.close()
            full = Workbench._open_writable(self.path, self.ctx, version, lock, data_dir)
        except BaseException:
            self._pending = None
            self._lock = None
            lock.release()
            raise
        if self._closed:  # closed while we were copying: give everything back
            full.engine.dispose()
            if full.working is not None:
                full.working.discard()
            self._pending = None
            return
        old = self.engine
        self.working, self._db_path, self.engine = full.working, full._db_path, full.engine
        self.recovered, self.recovered_conflict = full.recovered, full.recovered_conflict
        self.readonly = False
        self._pending = None
        old.dispose()

    @classmethod
    def _open_readonly(cls, path: Path, ctx: Context, version: int) -> Workbench:
        if version == SCHEMA_VERSION:
            return cls(path, ctx, readonly=True, db_path=path)
        from workbench.store.sqlite import migrations

        copy = migrations.migrated_temp_copy(path, version)  # the file itself is never migrated
        wb = cls(path, ctx, readonly=True, db_path=copy, temp_dir=copy.parent)
        wb.migrated_from = version
        return wb

    @classmethod
    def _open_writable(cls, path: Path, ctx: Context, version: int, lock: storage.Lock,
                       data_dir: Path | None) -> Workbench:
        storage.remove_stale_temps(path)
        recovered = storage.WorkingCopy.find_recoverable(path, data_dir)
        conflict: Path | None = None
        working: storage.WorkingCopy
        if recovered is not None and recovered.state.identity is not None \
                and recovered.state.identity.still_matches(path) and cls._usable(recovered.path):
            recovered.adopt()
            working = recovered
            was_recovered = True
        else:
            if recovered is not None:
                conflict = cls._set_aside(recovered, path, data_dir)
            try:
                working = storage.WorkingCopy.start(path, data_dir)
            except OSError as exc:
                raise errors.CouldNotSave(str(path), f"Could not make a working copy of {path}: "
                                          f"{exc.strerror or exc}.") from None
            was_recovered = False
        try:
            _prepare_working(working.path)
        except sqlite3.Error as exc:
            raise errors.Damaged(str(path), f"{path} is damaged: {exc}.") from None
        wb = cls(path, ctx, readonly=False, db_path=working.path, working=working, lock=lock)
        wb.recovered = was_recovered
        # A session may have ended between committing an edit and re-checking what it left for
        # later (run_recheck): recount every breach once, so no stale count survives a crash.
        wb._recheck_all = was_recovered
        wb.recovered_conflict = conflict
        # A recovered working copy may already be migrated (killed before write-back): migrate from
        # the copy's own version, and back up the user's file only while it is itself older.
        working_version = db.read_header(working.path)[0]
        if working_version < SCHEMA_VERSION:
            wb._migrate(working_version, backup_needed=version < SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:
            wb.migrated_from = version
        return wb

    @staticmethod
    def _usable(path: Path) -> bool:
        try:
            version, _ = db.read_header(path)
            conn = db.connect(path, readonly=True)
            try:
                db.validate_schema(conn, str(path), version)
                db.check_integrity(conn, str(path))
            finally:
                conn.close()
            return True
        except (errors.WorkbenchError, sqlite3.Error, OSError):
            return False

    @staticmethod
    def _set_aside(recovered: storage.WorkingCopy, path: Path, data_dir: Path | None) -> Path | None:
        """Keep unsaved edits whose original file changed meanwhile as a separate file, never lost."""
        folder = (data_dir or storage.data_dir()) / "recovered"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            from datetime import datetime

            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            target = folder / f"{path.stem} (recovered {stamp}).workbench"
            storage.backup_into(recovered.path, target)
            recovered.discard()
            return target
        except (OSError, sqlite3.Error):
            return None

    def _migrate(self, version: int, *, backup_needed: bool = True) -> None:
        from workbench.store.sqlite import migrations

        backup = migrations.backup_path(self.path, version)
        if backup_needed:
            # Whole or not at all: a failed or killed copy never leaves a partial file under the name.
            try:
                with storage.temp_beside(backup) as tmp:
                    storage.copy_with_hash(self.path, tmp)
                    os.replace(tmp, backup)
            except OSError as exc:
                raise storage.save_failure(backup, exc, edits_kept=False) from None
        self.engine.dispose()
        try:
            migrations.migrate(self._db_path, version)
        except sqlite3.Error as exc:
            raise errors.Damaged(str(self.path), f"{self.path} could not be upgraded from schema version "
                                 f"{version}: {exc}. The file was not changed; a backup is at {backup}.") from None
        self.migrated_from = version
        self.backup_path = backup if backup_needed else None
        if self.working is not None:
            self.working.mark_dirty()

    # --- closing and writing back ------------------------------------------------------------

    def write_back(self, *, force: bool = False) -> bool:
        """Write pending edits to the user's file (atomically). Safe to call from a worker thread."""
        if self.working is None:
            return False
        with self._write_lock:
            return self.working.write_back(force=force)

    @property
    def needs_write_back(self) -> bool:
        """Whether edits are waiting to reach the user's file."""
        return self.working is not None and self.working.needs_write_back

    def close(self, *, write_back: bool = True) -> None:
        """Write back, release the lock, and drop the working copy once the file holds everything."""
        if self._closed:
            return
        try:
            if self.recheck_pending and not self.readonly:
                self.run_recheck()  # the file never keeps stale breach counts
            if write_back and self.working is not None:
                self.write_back()
        finally:
            self._closed = True
            self.engine.dispose()
            if self._lock is not None:
                self._lock.release()
            if self.working is not None and not self.working.needs_write_back:
                self.working.discard()
            if self._temp_dir is not None:
                shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> Workbench:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save_copy_as(self, target: Path | str) -> None:
        """Write a consistent copy of the workbench to ``target`` (atomically; overwrites)."""
        target = Path(target)
        storage.replace_with_copy_of(self._db_path, target, immutable=self.is_user_file)

    @property
    def db_path(self) -> Path:
        """The database this session reads: the working copy, or the user's file when read-only."""
        return self._db_path

    @property
    def is_user_file(self) -> bool:
        """True when reads go straight to the user's file (read-only session, immutable)."""
        return self._db_path == self.path

    # --- reading -----------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only ORM session (for queries not wrapped below)."""
        with Session(self.engine) as s:
            yield s

    def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a query function from :mod:`workbench.read.queries` in a fresh session.

        A damaged page met while reading becomes :class:`errors.Damaged`, never a traceback.
        """
        try:
            with Session(self.engine) as s:
                return fn(s, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise errors.Damaged(str(self.path), f"{self.path} is damaged: {exc}.") from None
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            if isinstance(orig, sqlite3.DatabaseError):
                raise errors.Damaged(str(self.path), f"{self.path} is damaged: {orig}.") from None
            raise

    def info(self) -> WorkbenchInfo:
        """The workbench's name, organisation and narrative."""
        return self.read(queries.info)

    def logo(self) -> bytes | None:
        """The logo's bytes."""
        return self.read(queries.logo)

    def channels(self) -> list[ChannelView]:
        """Channels in order."""
        return self.read(queries.channels)

    def persona_summaries(self, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]:
        """Personas for lists (paged)."""
        return self.read(queries.persona_summaries, offset, limit)

    def persona_count(self) -> int:
        """Number of personas."""
        return self.read(queries.persona_count)

    def persona_order(self) -> list[str]:
        """Every persona id in list order (lazy lists fetch pages with :meth:`persona_summaries_for`)."""
        return self.read(queries.persona_order)

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]:
        """Summaries of the given personas, in the order given."""
        return self.read(queries.persona_summaries_for, ids)

    def persona(self, persona_id: str) -> PersonaView | None:
        """One persona."""
        return self.read(queries.persona, persona_id)

    def personas(self, ids: Sequence[str] | None = None) -> list[PersonaView]:
        """Full persona views."""
        return self.read(queries.personas, ids)

    def find_persona(self, id_or_name: str) -> PersonaView | None:
        """A persona by id or exact name."""
        return self.read(queries.find_persona, id_or_name)

    def portrait(self, persona_id: str) -> bytes | None:
        """A persona's portrait bytes."""
        return self.read(queries.portrait, persona_id)

    def messages(self, persona_id: str | None = None, channel_id: str | None = None,
                 stage: str | None = None) -> list[MessageView]:
        """Messages, filtered."""
        return self.read(queries.messages, persona_id, channel_id, stage)

    def message(self, message_id: str) -> MessageView | None:
        """One message."""
        return self.read(queries.message, message_id)

    def revisions(self, message_id: str) -> list[RevisionView]:
        """A message's earlier texts, oldest first."""
        return self.read(queries.revisions, message_id)

    def terms(self) -> list[TermView]:
        """The vocabulary."""
        return self.read(queries.terms)

    def objections(self, persona_id: str | None = None) -> list[ObjectionView]:
        """Objections."""
        return self.read(queries.objections, persona_id)

    def objection_order(self, persona_id: str | None = None) -> list[str]:
        """Objection ids in display order (most heard first), for lazy lists; rows by
        :meth:`objection_rows_for`."""
        return self.read(queries.objection_order, persona_id)

    def objection_rows_for(self, ids: Sequence[str]) -> list[ObjectionView]:
        """The given objections, in the order given (a page of a lazy list)."""
        return self.read(queries.objection_rows_for, ids)

    def checker(self) -> Checker:
        """A lingo checker over the current vocabulary."""
        return self.read(queries.checker)

    def message_breaches(self, message_id: str, fields: dict[str, str] | None = None) -> list[Breach]:
        """Breaches of a message's text (or of unsaved ``fields``)."""
        def run(s: Session) -> list[Breach]:
            m = s.get(Message, message_id)
            return [] if m is None else queries.message_breaches(s, m, fields=fields)
        return self.read(run)

    def coverage(self) -> CoverageMatrix:
        """The coverage matrix."""
        return self.read(queries.coverage)

    def coverage_for(self, persona_ids: Sequence[str]) -> CoverageMatrix:
        """The matrix rows of some personas (a lazy view's screen), in the order given."""
        return self.read(queries.coverage_for, persona_ids)

    def problems(self) -> list[Problem]:
        """Lingo breaches and coverage gaps."""
        return self.read(queries.problems)

    def message_counts_by_channel(self) -> dict[str, int]:
        """Channel id → number of messages."""
        return self.read(queries.message_counts_by_channel)

    def counts(self) -> Counts:
        """Totals."""
        return self.read(queries.counts)

    def search(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[search.SearchHit]:
        """Full-text search across personas, messages, objections and terms."""
        def run(s: Session) -> list[search.SearchHit]:
            raw = s.connection().connection.dbapi_connection
            assert raw is not None
            return search.query(raw, text, limit, kinds)  # type: ignore[arg-type]

        return self.read(run)

    # --- changing ----------------------------------------------------------------------------

    def execute(self, command: Command) -> Change:
        """Run one command in one transaction; return what changed. Raises without changing anything."""
        if self.readonly:
            raise errors.ReadOnlySession("This workbench is open read-only.")
        try:
            with Session(self.engine, autoflush=True, expire_on_commit=False) as session:
                with session.begin():
                    session.connection(execution_options={"pwkb_write": True})
                    tx = Tx(session, self.ctx, defer_rechecks_over=self.defer_rechecks_over)
                    command.apply(tx)
                    session.flush()
                    refresh_derived(tx)
                    change = tx.finish(command.label)
                    deferred, words = tx.deferred_recheck, tx.deferred_words
        except errors.WorkbenchError:
            raise
        except UnicodeEncodeError:
            raise errors.ValidationError(
                "The text contains a character that is not valid Unicode (an unpaired surrogate); "
                "remove it and try again.") from None
        except sqlite3.Error as exc:
            raise storage.save_failure(self.path, exc) from None
        except OSError as exc:
            raise storage.save_failure(self.path, exc) from None
        except Exception as exc:  # SQLAlchemy wraps sqlite3 errors
            orig = getattr(exc, "orig", None)
            if isinstance(orig, sqlite3.Error):
                raise storage.save_failure(self.path, orig) from None
            raise
        if not change.empty and self.working is not None:
            self.working.mark_dirty()
        if deferred is None or deferred or words:
            with self._recheck_lock:
                if deferred is None:
                    self._recheck_all = True
                else:
                    self._recheck_ids |= deferred
                self._recheck_words |= words
        return change

    @property
    def recheck_pending(self) -> bool:
        """Whether some messages' breach counts wait for :meth:`run_recheck` (see
        :attr:`defer_rechecks_over`)."""
        with self._recheck_lock:
            return self._recheck_all or bool(self._recheck_ids) or bool(self._recheck_words)

    def run_recheck(self, progress: Callable[[int, int], None] | None = None) -> frozenset[str]:
        """Re-check the messages commands left for later; return those whose breach count changed.

        Safe on a worker thread while the GUI thread runs commands: it works in transactions of
        :data:`RECHECK_CHUNK` messages, each holding the write lock only for its own chunk (and
        reading the rows inside it, so a message edited meanwhile is counted as it now is).
        """
        with self._recheck_lock:
            everything, ids, words = self._recheck_all, set(self._recheck_ids), set(self._recheck_words)
            self._recheck_all, self._recheck_ids, self._recheck_words = False, set(), set()
        if not everything and not ids and not words:
            return frozenset()
        try:
            if words and not everything:
                def candidates(s: Session) -> set[str] | None:
                    raw = s.connection().connection.dbapi_connection
                    return search.candidate_ids(raw, words, "message")  # type: ignore[arg-type]

                found = self.read(candidates)
                if found is None:
                    everything = True
                else:
                    ids |= found
            if everything:
                ids = set(self.read(lambda s: list(s.scalars(select(Message.id)))))
            todo = sorted(ids)
            check = self.checker()  # one vocabulary for the run: an edit meanwhile queues its own
            changed: set[str] = set()
            for start in range(0, len(todo), RECHECK_CHUNK):
                chunk = todo[start:start + RECHECK_CHUNK]
                with Session(self.engine) as session, session.begin():
                    session.connection(execution_options={"pwkb_write": True})
                    changed.update(recount_breaches(Tx(session, self.ctx), chunk, check))
                if progress is not None:
                    progress(min(start + RECHECK_CHUNK, len(todo)), len(todo))
        except BaseException:
            with self._recheck_lock:  # not done: keep it pending (close() tries again)
                self._recheck_all |= everything
                self._recheck_ids |= ids
                self._recheck_words |= words
            raise
        if changed and self.working is not None:
            self.working.mark_dirty()
        return frozenset(changed)

    def undo(self, change: Change) -> Change:
        """Put back the rows as they were before ``change``."""
        return self.execute(Restore(change.before, label=change.label))

    def redo(self, change: Change) -> Change:
        """Put back the rows as ``change`` left them."""
        return self.execute(Restore(change.after, label=change.label))


class FunctionCommand(Command):
    """A command from a plain function (seeding a new file, stripping a hand-off copy)."""

    def __init__(self, fn: Callable[[Tx], None], label: str) -> None:
        self.fn = fn
        self.label = label

    def apply(self, tx: Tx) -> None:
        self.fn(tx)
