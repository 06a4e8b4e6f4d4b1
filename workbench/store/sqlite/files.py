"""Touching files that belong to people, safely — the primitives under the lock and the write-back.

Only regular files are read, opened with ``O_NONBLOCK`` so a FIFO put in a file's place never hangs
us, and never more than the caller's limit + 1 bytes (``/dev/zero`` has size 0 and no end). A
symbolic link to a workbench is resolved once, at open: the lock and the write-back go to the real
file and the link stays a link. Every replacement gives the new file the mode and group of the one it
replaces (new files get the person's umask), and a file the person may not write is never replaced.
A ``-wal`` with content or a hot ``-journal`` beside a file means another SQLite program has it open
mid-transaction: we refuse, and never delete or apply it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbench.domain import errors

#: The first bytes of a rollback journal that holds a transaction (SQLite's ``aJournalMagic``).
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: ``renameat2`` flag: swap two names atomically (Linux 3.15+, most local file systems).
_RENAME_EXCHANGE = 2


#: Bidirectional embeddings, overrides and isolates: invisible, yet they reorder what follows.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(value: str, limit: int = 200) -> str:
    """``value`` without control characters (C0, C1, DEL) or bidirectional controls, at most ``limit``
    characters: text another program wrote (a lock's user name, a table's name), made safe to print."""
    kept = "".join(ch for ch in value[: limit * 4]
                   if ch not in _BIDI_CONTROLS and unicodedata.category(ch) != "Cc")
    return kept[:limit]


class InUseElsewhere(errors.FileProblem):
    """Another SQLite program has the file open mid-transaction (or stopped there): a ``-wal`` with
    content or a hot ``-journal`` lies beside it. Nothing was read from it, nothing was changed."""

    def __init__(self, path: str, side: Path) -> None:
        super().__init__(
            path, f"{path} is in use by another program, or one stopped while writing it: {side.name} lies "
            "beside it. Nothing was changed. Close that program (or let it open the file once so it can "
            "finish), then try again.")
        self.side_file = side


def _loops(exc: OSError) -> bool:
    return exc.errno == errno.ELOOP


def _refuse_special(name: str, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise errors.NotAFile(name, f"{name} is a folder, not a file.")
    if not stat.S_ISREG(st.st_mode):
        raise errors.NotAFile(name, f"{name} is not a regular file (a pipe or a device?).")


def open_regular(path: Path) -> int:
    """Open ``path`` for reading — a regular file only — and return the descriptor.

    ``O_NONBLOCK``: opening a FIFO returns at once instead of waiting for a writer; it is then refused
    by what ``fstat`` says, like a device, a folder or a socket. Raises typed errors.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise errors.NotFound(name, f"{name} is a link to {os.readlink(path)}, which does not exist.") from None
        raise errors.NotFound(name, f"{name} does not exist.") from None
    except PermissionError:
        raise errors.Unreadable(name, f"{name} cannot be read: permission denied.") from None
    except OSError as exc:
        if _loops(exc):
            raise errors.NotAFile(name, f"{name} is a symbolic link that leads back to itself (a loop).") from None
        raise errors.Unreadable(name, f"{name} cannot be read: {exc.strerror or exc}.") from None
    try:
        _refuse_special(name, os.fstat(fd))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit + 1`` of them: more than ``limit``
    means too large, decided without reading the rest (or forever, from a device)."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        try:
            return fh.read(limit + 1)
        except OSError as exc:
            raise errors.Unreadable(str(path), f"{path} cannot be read: {exc.strerror or exc}.") from None


def resolve(path: Path) -> Path:
    """The real file behind ``path``, symbolic links followed (once, when a workbench is opened).

    A missing file is returned as given (opening it says so); a loop or a link to nowhere is a typed
    error naming the link.
    """
    name = str(path)
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        if os.path.islink(path):
            raise errors.NotFound(name, f"{name} is a link to {os.readlink(path)}, which does not exist.") from None
        return Path(os.path.abspath(path))
    except OSError as exc:
        if _loops(exc):
            raise errors.NotAFile(name, f"{name} is a symbolic link that leads back to itself (a loop).") from None
        raise errors.Unreadable(name, f"{name} cannot be read: {exc.strerror or exc}.") from None


def output_path(target: Path) -> Path:
    """Where writing ``target`` really goes: the file an existing link points to (the link stays a
    link), else ``target`` itself. A loop or a link to nowhere is refused rather than followed."""
    name = str(target)
    if not os.path.islink(target):
        return Path(os.path.abspath(target))
    try:
        return Path(os.path.realpath(target, strict=True))
    except FileNotFoundError:
        raise errors.CouldNotSave(name, f"{name} is a link to {os.readlink(target)}, which does not exist; "
                                  "choose another name.") from None
    except OSError as exc:
        if _loops(exc):
            raise errors.CouldNotSave(name, f"{name} is a symbolic link that leads back to itself (a loop); "
                                      "choose another name.") from None
        raise errors.CouldNotSave(name, f"Could not save {name}: {exc.strerror or exc}.") from None


def may_write(path: Path) -> bool:
    """Whether the person may change the existing file at ``path`` (True when there is none).

    ``root`` may write anything, so for root the file's own write bits decide — as ``rm`` asks before
    removing a write-protected file: a file made read-only stays unwritten whoever runs the app.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not os.access(path, os.W_OK):
        return False
    if sys.platform != "win32" and os.geteuid() == 0 and not st.st_mode & 0o222:
        return False
    return True


def refuse_unwritable(path: Path, *, tail: str = "") -> None:
    """Raise :class:`errors.CouldNotSave` when ``path`` exists and the person may not write it
    (``tail``: what became of the edits, for the message)."""
    if not may_write(path):
        raise errors.CouldNotSave(str(path), f"Could not save {path}: permission denied (the file is read-only "
                                  f"for you).{tail}")


def refuse_editing_read_only(path: Path) -> None:
    """Raise :class:`errors.CouldNotSave` when the workbench at ``path`` may not be changed by the person
    — opening it for editing would end in a write-back over a file they may not write."""
    if not may_write(path):
        raise errors.CouldNotSave(str(path), f"{path} is read-only for you (its permissions do not let you "
                                  "change it); open it read-only, or save a copy elsewhere.")


def keep_permissions(old: Path, new: Path) -> None:
    """Give ``new`` (about to replace ``old``) the mode and group of ``old`` — and, when we may, its
    owner. Without ``old`` the new file keeps what the umask gave it."""
    try:
        st = os.stat(old)
    except OSError:
        return
    if sys.platform != "win32":
        # Group (and, as root, owner) first: changing them may clear set-id bits that chmod then sets.
        uid = st.st_uid if os.geteuid() == 0 else -1
        with contextlib.suppress(OSError):
            os.chown(new, uid, st.st_gid)
    os.chmod(new, stat.S_IMODE(st.st_mode))


def create_new(path: Path) -> None:
    """Create an empty file at ``path`` (which must not exist) with the person's umask, as every other
    program would — SQLite itself would make it 0644 whatever the umask says."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o666))


def private_folder(folder: Path) -> Path:
    """Make ``folder`` (and its parents) and keep it to its owner: working copies of a private workbench
    must not be readable by others in the data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        folder.chmod(0o700)
    return folder


def file_sha256(path: Path) -> str:
    """The SHA-256 of the regular file at ``path`` (a FIFO swapped in is refused, not waited on)."""
    import hashlib  # on first use: start-up imports this module, hashing waits

    digest = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- identity of the user's file: has someone replaced it since we opened it? ---------------------


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
    def of_stat(cls, st: os.stat_result, sha256: str) -> Identity:
        """From a ``stat`` taken through an open descriptor: it describes *that* file even if the path
        names another one by now (a file replaced between our write and our look)."""
        return cls(st.st_ino, st.st_size, st.st_mtime_ns, sha256, st.st_ctime_ns)

    @classmethod
    def of(cls, path: Path, sha256: str | None = None) -> Identity:
        """Stat (and hash, unless given) the file."""
        st = os.stat(path)
        return cls(st.st_ino, st.st_size, st.st_mtime_ns, sha256 or file_sha256(path), st.st_ctime_ns)

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
            return file_sha256(path) == self.sha256
        except (OSError, errors.WorkbenchError):
            return False

    def is_file_at(self, path: Path) -> bool:
        """True when the file at ``path`` is the one we know — for the file a rename just displaced,
        whose change time the rename itself moved: same inode, size and mtime, else the same bytes."""
        try:
            st = os.lstat(path)
        except OSError:
            return False
        if (st.st_ino, st.st_size, st.st_mtime_ns) == (self.inode, self.size, self.mtime_ns):
            return True
        try:
            return st.st_size == self.size and file_sha256(path) == self.sha256
        except (OSError, errors.WorkbenchError):
            return False


# --- side files of other SQLite programs ---------------------------------------------------------


def side_file_in_use(path: Path) -> Path | None:
    """A ``-wal`` with content or a hot ``-journal`` beside ``path``, if one is there.

    A journal is hot when it is not empty and its first byte is not zero (SQLite's own test: a
    persistent journal left behind has a zeroed header and is harmless). Anything that is not a
    regular file under such a name is just as suspect.
    """
    for suffix in ("-wal", "-journal"):
        side = Path(f"{path}{suffix}")
        try:
            st = os.lstat(side)
        except FileNotFoundError:
            continue
        except OSError:
            return side
        if not stat.S_ISREG(st.st_mode):
            return side
        if st.st_size == 0:
            continue
        if suffix == "-wal":
            return side
        try:
            fd = os.open(side, os.O_RDONLY | _NONBLOCK | _NOFOLLOW | _CLOEXEC)
        except FileNotFoundError:
            continue
        except OSError:
            return side
        try:
            first = os.read(fd, 1)
        finally:
            os.close(fd)
        if first not in (b"", b"\0"):
            return side
    return None


def refuse_side_files(path: Path) -> None:
    """Raise :class:`InUseElsewhere` when another SQLite program's side file lies beside ``path``."""
    side = side_file_in_use(path)
    if side is not None:
        raise InUseElsewhere(str(path), side)


# --- putting a new file in place -------------------------------------------------------------------


def _renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    fn.restype = ctypes.c_int
    return fn


_EXCHANGE: list[object | None] = []


def exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False where the platform or file system cannot
    (then nothing happened). Both must exist."""
    if not _EXCHANGE:
        _EXCHANGE.append(_renameat2())
    fn = _EXCHANGE[0]
    if fn is None:
        return False
    import ctypes

    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:  # type: ignore[operator]
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOENT):
        return False
    raise OSError(code, os.strerror(code), str(b))


def can_exchange(folder_or_file: Path) -> bool:
    """Whether :func:`exchange` works where ``folder_or_file`` lives (tests; a probe with two files)."""
    folder = folder_or_file if folder_or_file.is_dir() else folder_or_file.parent
    a, b = folder / f".pwkb-probe-a-{os.getpid()}", folder / f".pwkb-probe-b-{os.getpid()}"
    try:
        a.write_bytes(b"a")
        b.write_bytes(b"b")
        return exchange(a, b) and a.read_bytes() == b"b"
    except OSError:
        return False
    finally:
        for p in (a, b):
            with contextlib.suppress(OSError):
                p.unlink()


def link_or_rename_new(src: Path, dst: Path) -> None:
    """Put ``src`` at ``dst`` only if nothing is there (a hard link never clobbers); where hard links
    are not supported, a rename after checking. Raises ``FileExistsError`` when ``dst`` exists."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "File exists", str(dst)) from None
        os.replace(src, dst)
        return
    os.unlink(src)

