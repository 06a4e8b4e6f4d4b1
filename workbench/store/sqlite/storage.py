"""The user's file, the private working copy, the lock beside the file, and atomic write-back.

The save model (DESIGN.md "The workbench file"): every edit is committed to a private working copy
in the user's data folder; the user's file is only ever replaced whole — a temporary file beside
it is written, synced, verified and renamed over it. Before replacing, we check the file on disk is
still the one we opened. A crash leaves the working copy marked dirty; the next open recovers it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from workbench import APP_ID
from workbench.domain import errors
from workbench.domain.errors import Holder
from workbench.store.sqlite import db

LOCK_PREFIX = ".~lock."
LOCK_SUFFIX = "#"
TMP_MARK = ".pwkb-tmp-"


def data_dir() -> Path:
    """Where working copies live: ``$PERSONA_WORKBENCH_DATA`` or the platform's user data folder."""
    override = os.environ.get("PERSONA_WORKBENCH_DATA")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_ID


def hostname() -> str:
    """This machine's name as recorded in locks."""
    import socket  # here, not at the top: start-up imports this module and rarely needs a host name

    return socket.gethostname() or "unknown-host"


def _fsync_dir(path: Path) -> None:
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _sha256(path: Path) -> str:
    import hashlib  # on first use: start-up imports this module, hashing waits

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def save_failure(path: Path, exc: BaseException, *, edits_kept: bool = True) -> errors.CouldNotSave:
    """Turn an OS or SQLite write failure into one clear sentence.

    ``edits_kept``: the failure was writing edits (the working copy keeps them and they are written
    later); False for exports, copies and new files, where nothing is pending.
    """
    reason = "the disk is full"
    if isinstance(exc, OSError):
        if exc.errno in (errno.EACCES, errno.EPERM):
            reason = "permission denied"
        elif exc.errno == errno.EROFS:
            reason = "the location is read-only"
        elif exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            reason = exc.strerror or str(exc)
    elif isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            reason = "the location is read-only"
        elif "unable to open" in text:
            reason = "the folder cannot be written to"
        elif "full" not in text and "disk i/o" not in text:
            reason = str(exc)
    tail = " Your edits are kept and will be saved when it becomes possible." if edits_kept else ""
    return errors.CouldNotSave(str(path), f"Could not save {path}: {reason}.{tail}")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a small file whole: temporary file, fsync, rename."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.urandom(4).hex()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# ---------------------------------------------------------------------------------------------
# Identity of the user's file: has someone replaced it since we opened it?


@dataclass(frozen=True)
class Identity:
    """What we knew about the user's file when we last read or wrote it."""

    inode: int
    size: int
    mtime_ns: int
    sha256: str
    #: The inode's change time: unlike the mtime, no tool can set it back, so an in-place rewrite
    #: that restores the mtime (``rsync --inplace -t``) is still noticed. 0 in older state files.
    ctime_ns: int = 0

    @classmethod
    def of(cls, path: Path, sha256: str | None = None) -> Identity:
        """Stat (and hash, unless given) the file."""
        st = os.stat(path)
        return cls(st.st_ino, st.st_size, st.st_mtime_ns, sha256 or _sha256(path), st.st_ctime_ns)

    def still_matches(self, path: Path) -> bool:
        """True when the file on disk is the one we know (same bytes; a mere touch is fine).

        The cheap test (same inode, size, mtime and ctime) settles the usual case; anything else is
        decided by the content hash, so a file replaced by identical bytes is not a conflict.
        """
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_ino, st.st_size, st.st_mtime_ns) == (self.inode, self.size, self.mtime_ns) \
                and self.ctime_ns in (0, st.st_ctime_ns):
            return True
        if st.st_size != self.size:
            return False
        try:
            return _sha256(path) == self.sha256
        except OSError:
            return False


# ---------------------------------------------------------------------------------------------
# Lock file beside the user's file


def lock_path(path: Path) -> Path:
    """The lock file for a workbench: ``.~lock.NAME#`` beside it (the office-suite convention)."""
    return path.with_name(f"{LOCK_PREFIX}{path.name}{LOCK_SUFFIX}")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def read_holder(path: Path) -> Holder | None:
    """Who holds ``path`` (from its lock file), or None when nobody does."""
    lp = lock_path(path)
    try:
        raw = lp.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return Holder("someone", "unknown machine", 0, "")
    try:
        data = json.loads(raw.decode("utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]),
                      str(data.get("app", "")))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return Holder("someone", "unknown machine", 0, "")


def holder_is_stale(holder: Holder) -> bool:
    """A lock is stale only when it was written on this machine by a process that no longer runs."""
    return holder.host == hostname() and holder.pid != os.getpid() and not _pid_alive(holder.pid)


class Lock:
    """The lock file we hold while a workbench is open for writing."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder

    @classmethod
    def acquire(cls, path: Path, user: str, since: str) -> Lock:
        """Take the lock, or raise :class:`errors.Locked` naming the holder.

        A lock left by a dead process on this machine is taken over; one from another machine
        never is (we cannot tell whether that process still runs).
        """
        from workbench import __version__

        holder = Holder(user, hostname(), os.getpid(), since, f"{APP_ID} {__version__}")
        payload = json.dumps(asdict(holder)).encode("utf-8")
        lp = lock_path(path)
        for _attempt in range(3):
            try:
                fd = os.open(lp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                existing = read_holder(path)
                if existing is None:
                    continue  # released meanwhile: try again
                if existing.pid == 0 and existing.user == "someone":
                    # Unreadable lock: stale only if it is old (a holder may be writing it right now).
                    with contextlib.suppress(OSError):
                        import time

                        if time.time() - lp.stat().st_mtime > 30:
                            lp.unlink()
                            continue
                    raise errors.Locked(str(path), existing) from None
                if holder_is_stale(existing):
                    with contextlib.suppress(FileNotFoundError):
                        lp.unlink()
                    continue
                raise errors.Locked(str(path), existing) from None
            except OSError as exc:
                raise errors.CouldNotSave(
                    str(path), f"{path} cannot be opened for editing here ({exc.strerror or exc}); "
                    "open it read-only or save a copy elsewhere.") from None
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            return cls(path, holder)
        raise errors.Locked(str(path), read_holder(path) or Holder("someone", "unknown machine", 0, ""))

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        current = read_holder(self.path)
        if current is not None and current.pid == self.holder.pid and current.host == self.holder.host \
                and current.since == self.holder.since:
            with contextlib.suppress(OSError):
                lock_path(self.path).unlink()


# ---------------------------------------------------------------------------------------------
# The working copy


@dataclass
class WorkingState:
    """``state.json`` beside a working copy: which file it mirrors and whether edits await write-back."""

    source: str
    identity: Identity | None
    dirty: bool
    host: str
    pid: int
    #: The identity of a write-back about to be renamed over the user's file: if the process dies
    #: between the rename and the next state save, recovery still knows the file is ours.
    pending: Identity | None = None

    def to_json(self) -> bytes:
        """Serialise."""
        data = asdict(self)
        return json.dumps(data, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> WorkingState:
        """Parse; raises ValueError on anything unexpected."""
        data = json.loads(raw.decode("utf-8"))
        ident = data.get("identity")
        pending = data.get("pending")
        return cls(str(data["source"]), Identity(**ident) if ident else None, bool(data["dirty"]),
                   str(data.get("host", "")), int(data.get("pid", 0)),
                   Identity(**pending) if pending else None)


def working_dir_for(path: Path, base: Path | None = None) -> Path:
    """The private folder holding the working copy of ``path``."""
    import hashlib  # on first use: start-up imports this module, hashing waits

    key = hashlib.sha1(str(path.absolute()).encode("utf-8")).hexdigest()[:20]
    return (base or data_dir()) / "working" / key


def copy_with_hash(src: Path, dst: Path) -> str:
    """Copy bytes from ``src`` to ``dst`` (fsynced) and return the source's SHA-256."""
    import hashlib  # on first use: start-up imports this module, hashing waits

    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for chunk in iter(lambda: fin.read(1 << 20), b""):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


class WorkingCopy:
    """A private copy of the user's file that takes every edit; written back atomically."""

    FILE = "working.workbench"
    STATE = "state.json"

    def __init__(self, source: Path, folder: Path, state: WorkingState) -> None:
        self.source = source
        self.folder = folder
        self.state = state
        self._generation = 0
        self._written_generation = 0
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The working database file."""
        return self.folder / self.FILE

    def _save_state(self) -> None:
        atomic_write_bytes(self.folder / self.STATE, self.state.to_json())

    @classmethod
    def find_recoverable(cls, source: Path, base: Path | None = None) -> WorkingCopy | None:
        """A working copy left dirty by a session that ended without writing back, if any."""
        folder = working_dir_for(source, base)
        try:
            state = WorkingState.from_json((folder / cls.STATE).read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not state.dirty or not (folder / cls.FILE).exists():
            return None
        if state.host == hostname() and state.pid != os.getpid() and _pid_alive(state.pid):
            return None  # another live session on this machine owns it
        if state.pending is not None and (state.identity is None or not state.identity.still_matches(source)) \
                and state.pending.still_matches(source):
            # Killed between renaming a write-back into place and recording it: the file is ours.
            state.identity = state.pending
        state.pending = None
        return cls(source, folder, state)

    @classmethod
    def start(cls, source: Path, base: Path | None = None) -> WorkingCopy:
        """Copy the user's file into a fresh working copy (discarding any clean leftover)."""
        folder = working_dir_for(source, base)
        _keep_unsaved_leftover(folder, base)
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()
        target = folder / cls.FILE
        sha = copy_with_hash(source, target)
        identity = Identity.of(source, sha)
        state = WorkingState(str(source.absolute()), identity, False, hostname(), os.getpid())
        wc = cls(source, folder, state)
        wc._save_state()
        return wc

    def adopt(self) -> None:
        """Take over a recovered working copy for this process (it stays dirty until written back)."""
        self.state.pid = os.getpid()
        self.state.host = hostname()
        self._generation = 1  # there are edits to write
        self._save_state()

    def mark_dirty(self) -> None:
        """Record that an edit was committed to the working copy (called after every command)."""
        with self._lock:
            self._generation += 1
            if not self.state.dirty:
                self.state.dirty = True
                self._save_state()

    @property
    def needs_write_back(self) -> bool:
        """Whether edits are waiting to reach the user's file."""
        with self._lock:
            return self._generation != self._written_generation or self.state.dirty

    def write_back(self, *, force: bool = False) -> bool:
        """Replace the user's file with the working copy, atomically. Returns False if nothing to do.

        Raises :class:`errors.ChangedOnDisk` when someone replaced the file since we opened it
        (unless ``force``), and :class:`errors.CouldNotSave` when the disk or folder refuses.
        """
        with self._lock:
            generation = self._generation
            if generation == self._written_generation and not self.state.dirty:
                return False
            identity = self.state.identity
        if not force and identity is not None and not identity.still_matches(self.source):
            raise errors.ChangedOnDisk(
                str(self.source), f"{self.source} was changed by someone else since it was opened. "
                "Your edits are kept: save them as a copy, or merge the other version in.")
        def record_pending(pending: Identity) -> None:
            with self._lock:
                self.state.pending = pending
                self._save_state()

        try:
            new_identity = replace_with_copy_of(self.path, self.source, before_rename=record_pending)
        except BaseException:
            with self._lock:
                if self.state.pending is not None:
                    self.state.pending = None
                    with contextlib.suppress(OSError):
                        self._save_state()
            raise
        with self._lock:
            self.state.pending = None
            self.state.identity = new_identity
            self._written_generation = generation
            if self._generation == generation:
                self.state.dirty = False
            self._save_state()
        return True

    def discard(self) -> None:
        """Delete the working copy (after a successful final write-back)."""
        for name in (self.FILE, self.FILE + "-wal", self.FILE + "-shm", self.FILE + "-journal", self.STATE):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def _host_key() -> str:
    import hashlib  # on first use: start-up imports this module, hashing waits

    return hashlib.sha1(hostname().encode("utf-8")).hexdigest()[:6]


def _temp_beside(target: Path) -> Path:
    # ``.NAME.pwkb-tmp-<host>.<pid>-<random>``: who made it, so a later start can tell a temp left
    # by a dead process on this machine (remove) from one another machine is writing right now.
    return target.with_name(f".{target.name}{TMP_MARK}{_host_key()}.{os.getpid()}-{os.urandom(6).hex()}")


#: A temporary file from another machine (or of an unknown format) is stale after this long.
FOREIGN_TEMP_AGE_S = 3600.0


def _temp_is_stale(name: str, prefix: str, mtime: float) -> bool:
    import time

    tag = name[len(prefix):].split("-", 1)[0]
    host, _, pid_text = tag.partition(".")
    if host == _host_key() and pid_text.isdigit():
        pid = int(pid_text)
        return pid != os.getpid() and not _pid_alive(pid)
    return time.time() - mtime > FOREIGN_TEMP_AGE_S


def remove_stale_temps(target: Path, *, everything: bool = False) -> list[Path]:
    """Remove temporary files a killed write-back (or hand-off, or copy) left beside ``target``.

    Only temps of dead processes on this machine, or old ones, are removed — unless ``everything``
    (the caller holds the lock, so no one else may be writing). Returns what was removed.
    """
    prefix = f".{target.name}{TMP_MARK}"
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            if not entry.name.startswith(prefix):
                continue
            try:
                if everything or _temp_is_stale(entry.name, prefix, entry.lstat().st_mtime):
                    entry.unlink()
                    removed.append(entry)
            except OSError:
                continue
    return removed


def _keep_unsaved_leftover(folder: Path, base: Path | None) -> None:
    """Move a working folder that still holds unwritten edits aside instead of deleting it."""
    try:
        state = WorkingState.from_json((folder / WorkingCopy.STATE).read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return
    if not state.dirty or not (folder / WorkingCopy.FILE).exists():
        return
    aside = (base or data_dir()) / "unsaved" / f"{folder.name}-{os.urandom(4).hex()}"
    with contextlib.suppress(OSError):
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder, aside)


@contextlib.contextmanager
def temp_beside(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` that is removed unless the caller renamed it away.

    Temps that killed processes left for the same target are removed first.
    """
    remove_stale_temps(target)
    tmp = _temp_beside(target)
    try:
        yield tmp
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(str(tmp) + suffix).unlink()


def backup_into(src: Path, dst: Path, *, immutable: bool = False) -> None:
    """Consistent copy of database ``src`` to new file ``dst`` with SQLite's backup API, journal mode DELETE.

    ``immutable`` reads a user's file without taking locks or looking for journals (nothing written).
    """
    # Create the file ourselves first: a read-only folder or a full disk then fails with a precise
    # OSError (EROFS, EACCES, ENOSPC) rather than SQLite's vague "unable to open database file".
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.close(fd)
    source = db.connect(src, readonly=True, immutable=immutable)
    try:
        dest = db.create_file(dst)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()


def remove_stale_journals(target: Path) -> None:
    """Delete rollback journals / WAL files lying beside ``target`` before a new file replaces it.

    Our files are never written in place, so such a journal belongs to the old file (or to another
    file altogether); left there, any SQLite program opening the new file would roll it back into
    it and destroy it.
    """
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(target) + suffix).unlink()


def finish_replace(tmp: Path, target: Path,
                   before_rename: Callable[[Identity], None] | None = None) -> Identity:
    """fsync, verify and rename a finished temporary database over ``target``; return its identity.

    ``before_rename`` is told the identity the target will have, just before the rename.
    """
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    db.read_header(tmp)
    check = db.connect(tmp, readonly=True, immutable=True)
    try:
        db.check_integrity(check, str(tmp))
    finally:
        check.close()
    sha = _sha256(tmp)
    if before_rename is not None:
        before_rename(Identity.of(tmp, sha))
    remove_stale_journals(target)
    os.replace(tmp, target)
    _fsync_dir(target.parent)
    return Identity.of(target, sha)


def replace_with_copy_of(src: Path, target: Path, *, immutable: bool = False,
                         before_rename: Callable[[Identity], None] | None = None) -> Identity:
    """Atomically replace ``target`` with a consistent copy of database ``src``."""
    try:
        with temp_beside(target) as tmp:
            backup_into(src, tmp, immutable=immutable)
            return finish_replace(tmp, target, before_rename)
    except errors.WorkbenchError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise save_failure(target, exc) from None
