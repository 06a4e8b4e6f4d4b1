"""The life of a ``.workbench`` file while it is open: checks, lock, working copy, write-back.

``FileHost.open(path)`` checks the file without writing to it, takes the lock, and puts a private
working copy (WAL) behind a :class:`SqliteStore`; read-only, the store reads the user's file in place
through an immutable connection that never changes a byte. An older file is backed up and its copy
migrated; a working copy left dirty by a crash is recovered (or set aside when the file changed
meanwhile). :meth:`FileHost.write_back` replaces the user's file atomically. Opening for editing can
be split (:meth:`from_first_look` + :meth:`finish_opening`) so a window paints before the copy exists.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.store.sqlite import db, files, orm, storage
from workbench.store.sqlite.reader import READONLY_CHECK_MAX_BYTES, FirstLook, first_look
from workbench.store.sqlite.store import SqliteStore


def _prepare_working(path: Path) -> None:
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    finally:
        conn.close()


class FileHost:
    """One open workbench file: where its store lives, and everything about keeping the file safe."""

    def __init__(self, path: Path, ctx: Context, *, readonly: bool, db_path: Path,
                 working: storage.WorkingCopy | None = None, lock: storage.Lock | None = None,
                 temp_dir: Path | None = None) -> None:
        self.path = path
        self.label = str(path)
        self.ctx = ctx
        self._readonly = readonly
        self.working = working
        self.recovered = False
        self.recovered_conflict: Path | None = None
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self._lock = lock
        self._temp_dir = temp_dir
        self._db_path = db_path
        self.store = SqliteStore(db_path, label=str(path), readonly=readonly,
                                 immutable=readonly and working is None)
        self._closed = False
        self._write_lock = threading.Lock()
        self._pending: tuple[int, Path | None] | None = None

    # --- creating and opening -----------------------------------------------------------------

    @classmethod
    @contextlib.contextmanager
    def creating(cls, path: Path, ctx: Context) -> Iterator[FileHost]:
        """A host over a brand-new file being made beside ``path``; it appears at ``path`` (never
        clobbering anything) only when the block finishes without an error."""
        if path.exists() or path.is_symlink():
            raise errors.AlreadyExists(str(path), f"{path} already exists; choose another name.")
        try:
            with storage.temp_beside(path) as tmp:
                files.create_new(tmp)  # with the person's umask (SQLite would make it 0644 whatever it says)
                conn = db.create_file(tmp)
                try:
                    orm.create_schema(conn)
                finally:
                    conn.close()
                host = cls(tmp, ctx, readonly=False, db_path=tmp)
                host.label = str(path)
                host.store.label = str(path)
                try:
                    yield host
                finally:
                    host.store.dispose()
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

    @classmethod
    def open(cls, path: Path | str, ctx: Context | None = None, *, readonly: bool = False,
             data_dir: Path | None = None) -> FileHost:
        """Open a workbench for editing (locked, on a working copy) or read-only (nothing written).

        Raises a typed :class:`errors.FileProblem` when the file cannot be used; the file itself is
        never modified by a refused open.
        """
        path = files.resolve(Path(path))  # a link is followed once: lock and write-back go to the real file
        ctx = ctx or Context()
        version, _app_id = db.read_header(path)
        files.refuse_side_files(path)
        db.check_file(path, version, integrity=not readonly or path.stat().st_size <= READONLY_CHECK_MAX_BYTES)
        if readonly:
            return cls._open_readonly(path, ctx, version)
        files.refuse_editing_read_only(path)
        lock = storage.Lock.acquire(path, ctx.user, ctx.now())
        try:
            return cls._open_writable(path, ctx, version, lock, data_dir)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_deferred(cls, path: Path | str, ctx: Context | None = None, *,
                      data_dir: Path | None = None) -> FileHost:
        """Open for editing without copying the file on the caller's (GUI) thread.

        Checks the header and schema and takes the lock at once, then reads straight from the
        user's file (read-only, immutable) so a window can paint. Call :meth:`finish_opening` on a
        worker thread: it checks integrity, makes the working copy and switches to editing. Files that
        need a migration or have a crashed session to recover are opened fully here.
        """
        look = first_look(path, ctx, data_dir=data_dir)
        if look is None:  # a migration or a recovery first: no copy to wait for, open fully
            return cls.open(path, ctx, data_dir=data_dir)
        host = cls.from_first_look(look)
        look.reader.close()
        return host

    @classmethod
    def from_first_look(cls, look: FirstLook) -> FileHost:
        """Complete an opening begun with :func:`workbench.store.sqlite.reader.first_look` (takes
        over its lock). Read-only looks become a read-only host; looks for editing become a host
        reading the user's file until :meth:`finish_opening` has made the working copy."""
        if look.readonly:
            return cls(look.path, look.ctx, readonly=True, db_path=look.path)
        host = cls(look.path, look.ctx, readonly=True, db_path=look.path, lock=look.lock)
        host._pending = (look.version, look.data_dir)
        look.lock = None  # the host owns it now
        return host

    @property
    def readonly(self) -> bool:
        """Whether edits are refused (read-only open, or still preparing)."""
        return self._readonly

    @property
    def preparing(self) -> bool:
        """True while an :meth:`open_deferred` host waits for :meth:`finish_opening`."""
        return self._pending is not None

    def finish_opening(self) -> None:
        """Worker-thread half of :meth:`open_deferred`: integrity check, working copy, then editable.

        On failure the lock is released and the typed error raised; the host stays read-only.
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
            full = FileHost._open_writable(self.path, self.ctx, version, lock, data_dir)
        except BaseException:
            self._pending = None
            self._lock = None
            lock.release()
            raise
        if self._closed:  # closed while we were copying: give everything back
            full.store.dispose()
            if full.working is not None:
                full.working.discard()
            self._pending = None
            return
        old = self.store
        self.working, self._db_path, self.store = full.working, full._db_path, full.store
        self.recovered, self.recovered_conflict = full.recovered, full.recovered_conflict
        self._readonly = False
        self._pending = None
        old.dispose()

    @classmethod
    def _open_readonly(cls, path: Path, ctx: Context, version: int) -> FileHost:
        if version == SCHEMA_VERSION:
            return cls(path, ctx, readonly=True, db_path=path)
        from workbench.store.sqlite import migrations

        copy = migrations.migrated_temp_copy(path, version)  # the file itself is never migrated
        host = cls(path, ctx, readonly=True, db_path=copy, temp_dir=copy.parent)
        host.migrated_from = version
        return host

    @classmethod
    def _open_writable(cls, path: Path, ctx: Context, version: int, lock: storage.Lock,
                       data_dir: Path | None) -> FileHost:
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
        host = cls(path, ctx, readonly=False, db_path=working.path, working=working, lock=lock)
        host.recovered = was_recovered
        host.recovered_conflict = conflict
        # A recovered working copy may already be migrated (killed before write-back): migrate from
        # the copy's own version, and back up the user's file only while it is itself older.
        working_version = db.read_header(working.path)[0]
        if working_version < SCHEMA_VERSION:
            host._migrate(working_version, backup_needed=version < SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:
            host.migrated_from = version
        return host

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
            files.private_folder(folder)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            for n in range(1, 100):  # two set aside within one second must not collide
                target = folder / f"{path.stem} (recovered {stamp}{'' if n == 1 else f' {n}'}).workbench"
                try:
                    storage.backup_into(recovered.path, target)
                except FileExistsError:
                    continue
                recovered.discard()
                return target
            return None
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
                    files.keep_permissions(self.path, tmp)  # as private as the file it backs up
                    os.replace(tmp, backup)
            except OSError as exc:
                raise storage.save_failure(backup, exc, edits_kept=False) from None
        self.store.dispose()
        try:
            migrations.migrate(self._db_path, version)
        except sqlite3.Error as exc:
            raise errors.Damaged(str(self.path), f"{self.path} could not be upgraded from schema version "
                                 f"{version}: {exc}. The file was not changed; a backup is at {backup}.") from None
        self.migrated_from = version
        self.backup_path = backup if backup_needed else None
        if self.working is not None:
            self.working.mark_dirty()

    # --- saving and closing -------------------------------------------------------------------

    def committed(self) -> None:
        """A command changed the working copy: flag it for write-back."""
        if self.working is not None:
            self.working.mark_dirty()

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
        """Write back, release the lock, and drop the working copy once the file holds everything.

        Unattended (:func:`storage.set_unattended`, the command line) nothing stays pending: when the
        final write-back fails the working copy's unwritten edits are discarded with it — the run
        ends non-zero, and no later run writes what this one could not.
        """
        if self._closed:
            return
        try:
            if write_back and self.working is not None:
                self.write_back()
        finally:
            self._closed = True
            self.store.dispose()
            if self._lock is not None:
                self._lock.release()
            if self.working is not None and (not self.working.needs_write_back or storage.unattended()):
                self.working.discard()
            if self._temp_dir is not None:
                shutil.rmtree(self._temp_dir, ignore_errors=True)

    def save_copy_as(self, target: Path | str) -> None:
        """Write a consistent copy of the workbench to ``target`` (atomically; overwrites)."""
        storage.replace_with_copy_of(self._db_path, Path(target), immutable=self.is_user_file)

    @property
    def db_path(self) -> Path:
        """The database this host's store reads: the working copy, or the user's file read-only."""
        return self._db_path

    @property
    def is_user_file(self) -> bool:
        """True when reads go straight to the user's file (read-only, immutable)."""
        return self._db_path == self.path
