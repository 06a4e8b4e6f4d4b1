"""The user's file, the private working copy, and atomic write-back; safe writing of outputs.

The save model (docs/file-format.md, "The save model"): every edit is committed to a private working copy
in the user's data folder; the user's file is only ever replaced whole — a temporary file beside
it is written, synced, verified and renamed over it. We check the file on disk is still the one we
opened before copying *and* immediately before the rename, and (where the platform can swap two
files atomically) compare what we renamed over afterwards: a file someone replaced meanwhile is
kept, and ours is written beside it as a copy (:class:`ChangedWhileSaving`). A crash leaves the
working copy marked dirty; the next open recovers it. The new file keeps the old one's mode and
group; a file the person may not write, or one another SQLite program has open (a side file beside
it), is never replaced. The lock beside the file lives in :mod:`.lockfile`, the file primitives in
:mod:`.files`.
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
from workbench.store.sqlite import db, files
from workbench.store.sqlite.files import Identity as Identity
from workbench.store.sqlite.files import InUseElsewhere as InUseElsewhere
from workbench.store.sqlite.files import read_regular as read_regular
from workbench.store.sqlite.lockfile import Lock as Lock
from workbench.store.sqlite.lockfile import LockUnreadable as LockUnreadable
from workbench.store.sqlite.lockfile import TargetHeld as TargetHeld
from workbench.store.sqlite.lockfile import break_lock as break_lock
from workbench.store.sqlite.lockfile import holder_is_stale as holder_is_stale
from workbench.store.sqlite.lockfile import hostname as hostname
from workbench.store.sqlite.lockfile import lock_path as lock_path
from workbench.store.sqlite.lockfile import read_holder as read_holder
from workbench.store.sqlite.lockfile import refuse_if_held as refuse_if_held

TMP_MARK = ".pwkb-tmp-"

#: Set by the command line (:func:`set_unattended`): nobody is there to recover edits later.
_UNATTENDED = [False]


def set_unattended(on: bool = True) -> None:
    """A command-line run: nothing may stay pending after it. A final write-back that fails discards
    the working copy's unwritten edits (the run ends non-zero and says nothing was written), and the
    working copy of a run that was killed is set aside in ``DATA/unsaved/`` instead of being recovered
    into the next, unrelated run. The app never sets it: its edits are kept and offered again."""
    _UNATTENDED[0] = on


def unattended() -> bool:
    """Whether :func:`set_unattended` is on."""
    return _UNATTENDED[0]


class ChangedWhileSaving(errors.ChangedOnDisk):
    """Someone replaced the file while our write-back ran: theirs stays where it is, ours was written
    beside it as ``copy`` (None only if even that failed; the working copy still holds every edit)."""

    def __init__(self, path: str, copy: Path | None, *, swapped_back: bool = False) -> None:
        where = f"yours is at {copy}" if copy is not None else "yours are kept in the working copy"
        super().__init__(path, f"{path} was replaced by someone else while your edits were being saved. "
                         f"Both versions are kept: theirs at {path}, {where}.")
        self.copy = copy
        self.swapped_back = swapped_back


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


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (nothing to do on Windows)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def save_failure(path: Path, exc: BaseException, *, edits_kept: bool = True) -> errors.WorkbenchError:
    """Turn an OS or SQLite write failure into one clear sentence.

    ``edits_kept``: the failure was writing edits (the working copy keeps them and they are written
    later — or, in an unattended run, nothing was written); False for exports, copies and new files,
    where nothing is pending. A value SQLite refuses to store (a clashing id, a text over its length
    limit) is the input's fault, not the disk's: :class:`errors.ValidationError`, worded so.
    """
    if isinstance(exc, sqlite3.IntegrityError):
        return errors.ValidationError(f"Nothing was changed: the input clashes with what is already in the "
                                      f"workbench ({exc}).")
    if isinstance(exc, sqlite3.Error) and ("too big" in str(exc).lower() or isinstance(exc, sqlite3.DataError)):
        return errors.ValidationError("Nothing was changed: a text or picture is too large to store (the "
                                      f"limit is {db.MAX_VALUE_BYTES // 1_000_000} MB per value).")
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
    return errors.CouldNotSave(str(path), f"Could not save {path}: {reason}.{_edits_tail(edits_kept)}")


def _edits_tail(edits_kept: bool) -> str:
    """What became of the edits, for a message about a failed save."""
    if not edits_kept:
        return ""
    return " Nothing was written to it." if unattended() else \
        " Your edits are kept and will be saved when it becomes possible."


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a small file whole: temporary file, fsync, rename."""
    tmp = path.with_name(f"{path.name}{TMP_MARK}{os.urandom(4).hex()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


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
    #: Made by an unattended (command-line) run: if it was killed, its edits are set aside, never
    #: recovered into a later run (see :func:`set_unattended`).
    unattended: bool = False

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
                   Identity(**pending) if pending else None, bool(data.get("unattended", False)))


def working_dir_for(path: Path, base: Path | None = None) -> Path:
    """The private folder holding the working copy of ``path`` (the real file: see :func:`files.resolve`)."""
    import hashlib  # on first use: start-up imports this module, hashing waits

    key = hashlib.sha1(str(path.absolute()).encode("utf-8")).hexdigest()[:20]
    return (base or data_dir()) / "working" / key


def copy_with_hash(src: Path, dst: Path) -> str:
    """Copy bytes from ``src`` (a regular file) to a new private file ``dst`` (fsynced); return the
    source's SHA-256."""
    import hashlib  # on first use: start-up imports this module, hashing waits

    digest = hashlib.sha256()
    with os.fdopen(files.open_regular(src), "rb") as fin, \
            os.fdopen(os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fout:
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
        """A working copy left dirty by a session that ended without writing back, if any.

        One left by an unattended run is not: that run ended without success, and its edits are not
        for a later run to write (:meth:`start` sets them aside instead).
        """
        folder = working_dir_for(source, base)
        try:
            state = WorkingState.from_json((folder / cls.STATE).read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not state.dirty or state.unattended or not (folder / cls.FILE).exists():
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
        files.private_folder(folder)
        for leftover in folder.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()
        target = folder / cls.FILE
        # The identity is the stat of the file we copy, taken through a descriptor before copying: a
        # file replaced meanwhile then differs from it, instead of lending its stat to our hash.
        fd = files.open_regular(source)
        try:
            opened = os.fstat(fd)
            sha = copy_with_hash(source, target)
        finally:
            os.close(fd)
        identity = Identity.of_stat(opened, sha)
        state = WorkingState(str(source.absolute()), identity, False, hostname(), os.getpid(),
                             unattended=unattended())
        wc = cls(source, folder, state)
        wc._save_state()
        return wc

    def adopt(self) -> None:
        """Take over a recovered working copy for this process (it stays dirty until written back)."""
        self.state.pid = os.getpid()
        self.state.host = hostname()
        self.state.unattended = unattended()
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
        (unless ``force``) — :class:`ChangedWhileSaving`, with ours written beside theirs, when that
        happened during this write-back — :class:`errors.CouldNotSave` when the disk or folder
        refuses, and :class:`InUseElsewhere` when another SQLite program's side file lies beside it.
        """
        with self._lock:
            generation = self._generation
            if generation == self._written_generation and not self.state.dirty:
                return False
            identity = self.state.identity
        if not force and identity is not None and not identity.still_matches(self.source):
            advice = "nothing was written to it." if unattended() else \
                "your edits are kept: save them as a copy, or merge the other version in."
            raise errors.ChangedOnDisk(
                str(self.source), f"{self.source} was changed by someone else since it was opened; {advice}")

        def record_pending(pending: Identity) -> None:
            with self._lock:
                self.state.pending = pending
                self._save_state()

        try:
            new_identity = replace_with_copy_of(self.path, self.source, before_rename=record_pending,
                                                expected=None if force else identity, own_file=True)
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
        """Delete the working copy (after a successful final write-back, or an unattended failure)."""
        for name in (self.FILE, self.FILE + "-wal", self.FILE + "-shm", self.FILE + "-journal", self.STATE):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def _pid_alive(pid: int) -> bool:
    from workbench.store.sqlite.lockfile import _pid_alive as alive

    return alive(pid)


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
        files.private_folder(aside.parent)
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
    # Create the file ourselves first (with the umask, as any program would): a read-only folder or a
    # full disk then fails with a precise OSError (EROFS, EACCES, ENOSPC) rather than SQLite's vague
    # "unable to open database file".
    files.create_new(dst)
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


def _kept_copy_path(target: Path) -> Path:
    from datetime import datetime

    stamp = datetime.now().strftime("%Y-%m-%d %H%M%S")
    return target.with_name(f"{target.stem} (my edits {stamp}){target.suffix}")


def _keep_as_copy(tmp: Path, target: Path) -> Path | None:
    """Move a finished temp to a visible copy beside ``target`` that clobbers nothing; its path."""
    first = _kept_copy_path(target)
    for n in range(1, 100):
        copy = first if n == 1 else first.with_name(f"{first.stem} {n}{first.suffix}")
        try:
            files.link_or_rename_new(tmp, copy)
        except FileExistsError:
            continue
        except OSError:
            return None
        fsync_dir(target.parent)
        return copy
    return None


def finish_replace(tmp: Path, target: Path, before_rename: Callable[[Identity], None] | None = None, *,
                   expected: Identity | None = None, own_file: bool = False) -> Identity:
    """fsync, verify and rename a finished temporary database over ``target``; return its identity.

    ``own_file``: the write-back of the workbench we hold open; else an output (a copy, a hand-off)
    that must not land on a workbench someone holds open. ``expected``: the file there must still be
    this one, checked immediately before the rename and, where the platform swaps atomically,
    compared after it: on a mismatch theirs stays and ours is kept beside it
    (:class:`ChangedWhileSaving`). Either way the
    new file takes the old one's mode and group, and a file the person may not write, or one beside
    which another SQLite program left a side file, is refused. ``before_rename`` is told the identity
    the target will have, just before the rename.
    """
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    db.read_header(tmp)
    check = db.connect(tmp, readonly=True, immutable=True)
    try:
        db.check_integrity(check, str(tmp))
    finally:
        check.close()
    sha = files.file_sha256(tmp)
    # A journal beside the target would be rolled into the new file by the next SQLite program to
    # open it: it belongs to someone else's transaction — refuse, and leave it alone.
    files.refuse_side_files(target)
    files.refuse_unwritable(target, tail=_edits_tail(own_file))
    if not own_file:
        refuse_if_held(target)
    files.keep_permissions(target, tmp)
    if expected is not None and not expected.still_matches(target):
        raise ChangedWhileSaving(str(target), _keep_as_copy(tmp, target))
    if before_rename is not None:
        before_rename(Identity.of(tmp, sha))
    # Our new file's identity comes from a descriptor, after the rename: a stat of the *path* could
    # describe a file someone put there a moment later, and the next check would take theirs for ours.
    fd = os.open(tmp, os.O_RDONLY)
    try:
        if expected is not None and os.path.lexists(target) and files.exchange(tmp, target):
            # What we renamed over now lies at ``tmp``: if it is not the file we opened, someone
            # replaced it in the last moment — swap theirs back and keep ours as a copy.
            if not expected.is_file_at(tmp):
                fsync_dir(target.parent)
                _swap_back(tmp, target)
            with contextlib.suppress(OSError):
                tmp.unlink()
        else:
            os.replace(tmp, target)
        fsync_dir(target.parent)
        return Identity.of_stat(os.fstat(fd), sha)
    finally:
        os.close(fd)


def _swap_back(tmp: Path, target: Path) -> None:
    """After a swap displaced someone else's file: put theirs back, keep ours beside it; raise."""
    try:
        swapped = files.exchange(tmp, target)
    except OSError:
        swapped = False
    if swapped:
        raise ChangedWhileSaving(str(target), _keep_as_copy(tmp, target), swapped_back=True)
    # Could not swap back (the target vanished meanwhile): ours stays at the target, theirs is kept
    # beside it under a name that says so.
    theirs = target.with_name(f"{target.stem} (replaced version){target.suffix}")
    try:
        files.link_or_rename_new(tmp, theirs)
    except OSError:
        theirs = tmp
    raise errors.ChangedOnDisk(str(target), f"{target} was replaced by someone else while your edits were being "
                               f"saved; yours are at {target}, theirs were kept at {theirs}.")


def replace_with_copy_of(src: Path, target: Path, *, immutable: bool = False,
                         before_rename: Callable[[Identity], None] | None = None,
                         expected: Identity | None = None, own_file: bool = False) -> Identity:
    """Atomically replace ``target`` with a consistent copy of database ``src`` (see :func:`finish_replace`).

    A copy the person asked for (not ``own_file``) may name a link: the real file it points to is
    replaced and the link stays.
    """
    try:
        if not own_file:
            target = files.output_path(target)
        with temp_beside(target) as tmp:
            backup_into(src, tmp, immutable=immutable)
            return finish_replace(tmp, target, before_rename, expected=expected, own_file=own_file)
    except errors.WorkbenchError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise save_failure(target, exc, edits_kept=own_file) from None
