"""The lock file beside a workbench open for editing: who holds it, taking it, giving it back.

``.~lock.NAME#`` (the office-suite convention) holds one JSON object: user, host, pid, since, app.
A lock of a dead process on this machine is taken over; another machine's never is. A lock file
that is not a lock we can read — garbage, empty for longer than a write takes, a folder, a symbolic
link, a FIFO, a pid no process can have — is *stale but confirm*: opening for editing says so in one
sentence naming the file, and :func:`break_lock` removes it once the person confirms nobody has the
workbench open. It is only ever read without blocking, at most a few kilobytes, and what it says is
cleaned of control characters before anyone prints it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from workbench import APP_ID
from workbench.domain import errors
from workbench.domain.errors import Holder
from workbench.store.sqlite.files import clean_text

LOCK_PREFIX = ".~lock."
LOCK_SUFFIX = "#"
#: A lock is a line of JSON; anything bigger is not one of ours.
MAX_LOCK_BYTES = 4096
#: Process ids are positive 32-bit numbers everywhere we run.
MAX_PID = 2**31 - 1
#: What we keep of each field of a lock (a host name, a user name) — enough for any real one.
FIELD_CHARS = 200
#: A lock file is created empty and written at once: an unreadable one this young may be one that
#: another process is writing right now, so it is read again before being called unreadable.
WRITING_GRACE_S = 1.0


def lock_path(path: Path) -> Path:
    """The lock file for a workbench: ``.~lock.NAME#`` beside it (the office-suite convention)."""
    return path.with_name(f"{LOCK_PREFIX}{path.name}{LOCK_SUFFIX}")


def hostname() -> str:
    """This machine's name as recorded in locks."""
    import socket  # here, not at the top: start-up imports this module and rarely needs a host name

    return socket.gethostname() or "unknown-host"


@dataclass(frozen=True)
class UnknownHolder(Holder):
    """A lock file that cannot be read as a lock; ``problem`` says why ("is a folder")."""

    problem: str = ""

    def describe(self) -> str:
        """A phrase for 'Held by …': nobody can be named."""
        return f"nobody known (its lock file {self.problem})"


def _unknown(problem: str) -> UnknownHolder:
    return UnknownHolder("someone", "an unknown machine", 0, "", "", problem)


class LockUnreadable(errors.Locked):
    """The lock beside a workbench cannot be read: stale or being written — the person decides.

    A :class:`errors.Locked`, so the app offers read-only as for any held file; ``lock_file`` is what
    :func:`break_lock` removes once the person confirms nobody has the workbench open.
    """

    def __init__(self, path: str, holder: UnknownHolder, lock: Path) -> None:
        errors.FileProblem.__init__(
            self, path, f"{path} cannot be opened for editing: its lock file {lock.name} {holder.problem}, so "
            "nobody can tell who has it open. If nobody does, remove that lock file and open it again; "
            "or open it read-only.")
        self.holder = holder
        self.lock_file = lock


class TargetHeld(errors.Locked):
    """Refusing to write an export or a hand-off over a workbench someone holds open."""

    def __init__(self, path: str, holder: Holder) -> None:
        errors.FileProblem.__init__(
            self, path, f"{path} is a workbench open in Persona Workbench by {holder.describe()}; it was not "
            "overwritten. Choose another name, or ask them to close it first.")
        self.holder = holder


def _parse(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    user, host, pid, since, app = (data.get(k) for k in ("user", "host", "pid", "since", "app"))
    if not (isinstance(user, str) and isinstance(host, str) and isinstance(since, str)):
        return None
    if isinstance(pid, bool) or not isinstance(pid, int) or not 0 < pid <= MAX_PID:
        return None
    return Holder(clean_text(user), clean_text(host), pid, clean_text(since, 40),
                  clean_text(app) if isinstance(app, str) else "")


def _read_lock_file(lp: Path) -> tuple[Holder | None, float]:
    """``(holder, age in seconds)`` of the lock file ``lp``; ``(None, 0)`` when there is none."""
    try:
        st = os.lstat(lp)
    except FileNotFoundError:
        return None, 0.0
    except OSError as exc:
        return _unknown(f"cannot be read ({exc.strerror or exc})"), 0.0
    age = time.time() - st.st_mtime
    if stat.S_ISLNK(st.st_mode):
        return _unknown("is a symbolic link" + ("" if os.path.exists(lp) else " to nothing")), age
    if stat.S_ISDIR(st.st_mode):
        return _unknown("is a folder"), age
    if not stat.S_ISREG(st.st_mode):
        return _unknown("is not a regular file (a pipe or a device?)"), age
    if st.st_size > MAX_LOCK_BYTES:
        return _unknown("is too large to be a lock"), age
    try:
        # Non-blocking and not following links: swapped for a FIFO or a link since the lstat, it is
        # refused rather than waited on.
        fd = os.open(lp, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None, 0.0
    except OSError as exc:
        return _unknown(f"cannot be read ({exc.strerror or exc})"), age
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _unknown("is not a regular file (a pipe or a device?)"), age
        raw = os.read(fd, MAX_LOCK_BYTES + 1)
    except OSError as exc:
        return _unknown(f"cannot be read ({exc.strerror or exc})"), age
    finally:
        os.close(fd)
    if not raw.strip():
        return _unknown("is empty"), age
    holder = _parse(raw)
    if holder is None:
        return _unknown("is not a lock Persona Workbench can read"), age
    return holder, age


def read_lock(path: Path) -> Holder | None:
    """Who holds the workbench at ``path`` (an :class:`UnknownHolder` when its lock file cannot be
    read), or None when nobody does. ``path`` is the real file (see :func:`files.resolve`)."""
    return _read_lock_file(lock_path(path))[0]


def read_holder(path: Path | str) -> Holder | None:
    """Who holds ``path`` open for editing, for people (``info``): a symbolic link is followed to the
    real file, whose lock it is."""
    return read_lock(Path(os.path.realpath(path)))


def _pid_alive(pid: int) -> bool:
    if not 0 < pid <= MAX_PID:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def holder_is_stale(holder: Holder) -> bool:
    """A lock is stale only when it was written on this machine by a process that no longer runs."""
    if isinstance(holder, UnknownHolder):
        return False
    return holder.host == hostname() and holder.pid != os.getpid() and not _pid_alive(holder.pid)


def refuse_if_held(target: Path) -> None:
    """Raise :class:`TargetHeld` when ``target`` is a workbench someone holds open (before an export or
    a hand-off is written over it). A stale lock of a dead process here does not count."""
    holder = read_lock(target)
    if holder is not None and not holder_is_stale(holder):
        raise TargetHeld(str(target), holder)


def break_lock(path: Path | str) -> bool:
    """Remove an *unreadable* lock file beside ``path`` once the person confirmed nobody has it open.

    Returns False when there is nothing to break (no lock, or a readable one: those are taken over
    when stale and never broken). A folder is removed only when empty.
    """
    real = Path(os.path.realpath(path))
    holder = read_lock(real)
    if not isinstance(holder, UnknownHolder):
        return False
    lp = lock_path(real)
    try:
        if stat.S_ISDIR(os.lstat(lp).st_mode):
            lp.rmdir()
        else:
            lp.unlink()
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise errors.CouldNotSave(str(real), f"The lock file {lp} could not be removed ({exc.strerror or exc}); "
                                  "remove it yourself, then open the workbench again.") from None
    return True


class Lock:
    """The lock file we hold while a workbench is open for writing."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder

    @classmethod
    def acquire(cls, path: Path, user: str, since: str) -> Lock:
        """Take the lock, or raise :class:`errors.Locked` naming the holder (:class:`LockUnreadable`
        when the lock file there cannot be read). ``path`` is the real file.

        A lock left by a dead process on this machine is taken over; one from another machine
        never is (we cannot tell whether that process still runs).
        """
        from workbench import __version__

        holder = Holder(clean_text(user), hostname(), os.getpid(), since, f"{APP_ID} {__version__}")
        payload = json.dumps(asdict(holder)).encode("utf-8")
        lp = lock_path(path)
        give_up = time.monotonic() + WRITING_GRACE_S
        for _attempt in range(100):  # each turn is a lock released or taken over meanwhile, or a short wait
            try:
                fd = os.open(lp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                existing, age = _read_lock_file(lp)
                if existing is None:
                    continue  # released meanwhile: try again
                if isinstance(existing, UnknownHolder):
                    being_written = existing.problem in ("is empty", "is not a lock Persona Workbench can read")
                    if being_written and age < WRITING_GRACE_S and time.monotonic() < give_up:
                        time.sleep(0.05)
                        continue
                    raise LockUnreadable(str(path), existing, lp) from None
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
        existing = read_lock(path)
        raise errors.Locked(str(path), existing or _unknown("keeps changing")) from None

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        current = read_lock(self.path)
        if current is not None and not isinstance(current, UnknownHolder) and current.pid == self.holder.pid \
                and current.host == self.holder.host and current.since == self.holder.since:
            with contextlib.suppress(OSError):
                lock_path(self.path).unlink()
