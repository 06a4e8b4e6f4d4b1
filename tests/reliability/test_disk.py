"""Full disks and read-only places: one clear message, nothing lost, the file keeps its last good
content, and the edits reach it once writing is possible again.

Failures are injected (SQLITE_FULL, ENOSPC, EROFS, EACCES at each step of a write-back) everywhere;
where this machine lets us mount (root, outside locked-down containers) a real 300 KB tmpfs and a
read-only remount are used too, and skipped gracefully elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import main
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite import files, storage

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(path: Path) -> set[str]:
    with Workbench.open(path, readonly=True) as ro:
        return {p.name for p in ro.persona_summaries()}


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# --- injected failures ------------------------------------------------------------------------


def _fail_backup(exc: BaseException) -> Callable[[pytest.MonkeyPatch, Path], None]:
    def install(mp: pytest.MonkeyPatch, target: Path) -> None:
        real = storage.backup_into

        def backup_into(src: Path, dst: Path, *, immutable: bool = False) -> None:
            real(src, dst, immutable=immutable)
            dst.write_bytes(dst.read_bytes()[:4096])  # half-written when the disk filled up
            raise exc
        mp.setattr(storage, "backup_into", backup_into)
    return install


def _fail_os(name: str, exc: OSError, only_target: bool = True) -> Callable[[pytest.MonkeyPatch, Path], None]:
    def install(mp: pytest.MonkeyPatch, target: Path) -> None:
        real = getattr(os, name)

        def failing(*args: object, **kwargs: object) -> object:
            first, second = (args + (None, None))[:2]
            hit = not only_target or str(target) in (str(first), str(second)) \
                or str(first).startswith(str(target.parent / f".{target.name}{storage.TMP_MARK}"))
            if hit:
                raise exc
            return real(*args, **kwargs)
        mp.setattr(storage.os, name, failing)
    return install


def _fail_rename(exc: OSError) -> Callable[[pytest.MonkeyPatch, Path], None]:
    """The rename into place fails — ``os.replace``, or the atomic swap Linux uses instead."""
    def install(mp: pytest.MonkeyPatch, target: Path) -> None:
        _fail_os("replace", exc)(mp, target)

        def exchange(a: Path, b: Path) -> bool:
            raise exc
        mp.setattr(files, "exchange", exchange)
    return install


INJECTIONS: dict[str, tuple[Callable[[pytest.MonkeyPatch, Path], None], str]] = {
    "sqlite-full-during-copy": (_fail_backup(sqlite3.OperationalError("database or disk is full")),
                                "the disk is full"),
    "sqlite-ioerr-during-copy": (_fail_backup(sqlite3.OperationalError("disk I/O error")), "the disk is full"),
    "enospc-creating-temp": (_fail_os("open", OSError(errno.ENOSPC, "No space left on device")),
                             "the disk is full"),
    "erofs-creating-temp": (_fail_os("open", OSError(errno.EROFS, "Read-only file system")),
                            "read-only"),
    "eacces-creating-temp": (_fail_os("open", OSError(errno.EACCES, "Permission denied")),
                             "permission denied"),
    "eio-on-fsync": (_fail_os("fsync", OSError(errno.EIO, "Input/output error"), only_target=False),
                     "Input/output error"),
    "erofs-on-rename": (_fail_rename(OSError(errno.EROFS, "Read-only file system")), "read-only"),
    "eacces-on-rename": (_fail_rename(OSError(errno.EACCES, "Permission denied")), "permission denied"),
}


@pytest.mark.parametrize("injection", sorted(INJECTIONS))
def test_failed_write_back_loses_nothing_and_retries(injection: str, wb_path: Path, ctx: Context,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    install, reason = INJECTIONS[injection]
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Before"}))
    wb.write_back()
    good = digest(wb_path)
    wb.execute(C.CreatePersona({"name": "After"}))
    with monkeypatch.context() as mp:
        install(mp, wb_path)
        with pytest.raises(errors.CouldNotSave) as info:
            wb.write_back()
    message = str(info.value)
    assert "\n" not in message and str(wb_path) in message and reason in message
    assert "edits are kept" in message
    assert wb.needs_write_back  # the working copy keeps the edit
    assert digest(wb_path) == good  # last good content, untouched
    assert names(wb_path) == {"Before"}
    assert beside(wb_path) == sorted([wb_path.name, storage.lock_path(wb_path).name])  # no temp litter
    assert wb.write_back() is True  # space is back
    wb.close()
    assert names(wb_path) == {"Before", "After"}


def test_failed_final_write_back_on_close_is_recovered_next_time(wb_path: Path, ctx: Context,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Unsaved"}))
    good = digest(wb_path)
    with monkeypatch.context() as mp:
        _fail_os("open", OSError(errno.ENOSPC, "No space left on device"))(mp, wb_path)
        with pytest.raises(errors.CouldNotSave):
            wb.close()
    assert digest(wb_path) == good
    assert not storage.lock_path(wb_path).exists()  # the lock is released all the same
    with Workbench.open(wb_path, ctx) as again:
        assert again.file.recovered and {p.name for p in again.persona_summaries()} == {"Unsaved"}
    assert names(wb_path) == {"Unsaved"}


def test_full_disk_while_committing_an_edit_is_one_clear_message(wb: Workbench,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import session

    wb.execute(C.CreatePersona({"name": "Kept"}))

    def full(_tx: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(session, "refresh_derived", full)
    with pytest.raises(errors.CouldNotSave, match="the disk is full"):
        wb.execute(C.CreatePersona({"name": "Lost in the crash"}))
    monkeypatch.undo()
    assert {p.name for p in wb.persona_summaries()} == {"Kept"}  # the failed command changed nothing


# --- the command line ---------------------------------------------------------------------------


def test_cli_import_into_a_read_only_folder_is_one_line_exit_2(sample_path: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text('{"format": "persona-workbench", "version": 1, "personas": [{"name": "P"}]}')
    before = digest(sample_path)
    real_open = os.open

    def read_only_folder(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(str(path)).parent == sample_path.parent and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_folder)
    assert main.run_cli(["import", str(sample_path), str(source)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Read-only file system" in err and "Traceback" not in err
    monkeypatch.undo()
    assert digest(sample_path) == before


# --- real mounts (root, where permitted) ----------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(size: str = "300k") -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(tempfile.mkdtemp(prefix="pwkb-tmpfs-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], capture_output=True)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True, capture_output=True)


def test_real_full_disk_then_space_returns(ctx: Context) -> None:
    with small_tmpfs("600k") as disk:
        path = disk / "full.workbench"
        Workbench.create(path, ctx)
        filler = disk / "filler.bin"
        vfs = os.statvfs(disk)  # leave less room than a second copy of the file needs
        filler.write_bytes(b"\0" * (vfs.f_bavail * vfs.f_frsize - 60_000))
        wb = Workbench.open(path, ctx)
        try:
            good = digest(path)
            wb.execute(C.CreatePersona({"name": "Big", "story": "word " * 20_000}))
            with pytest.raises(errors.CouldNotSave, match="the disk is full") as info:
                wb.write_back()
            assert "\n" not in str(info.value)
            assert wb.needs_write_back and digest(path) == good
            assert names(path) == set()
            assert [n for n in beside(path) if storage.TMP_MARK in n] == []
            filler.unlink()  # space returns
            assert wb.write_back() is True
        finally:
            wb.close()
        assert names(path) == {"Big"}


def test_real_read_only_folder_then_writable_again(ctx: Context) -> None:
    with small_tmpfs("2m") as disk:
        path = disk / "shared.workbench"
        Workbench.create(path, ctx)
        wb = Workbench.open(path, ctx)
        try:
            wb.execute(C.CreatePersona({"name": "Edited while read-only"}))
            good = digest(path)
            remount(disk, "ro")
            with pytest.raises(errors.CouldNotSave, match="read-only") as info:
                wb.write_back()
            assert "\n" not in str(info.value) and wb.needs_write_back
            assert digest(path) == good and names(path) == set()
            env = dict(os.environ)
            source = Path(tempfile.mkdtemp()) / "in.json"
            source.write_text('{"format": "persona-workbench", "version": 1, "personas": [{"name": "P"}]}')
            other = disk / "other.workbench"
            out = subprocess.run([sys.executable, "main.py", "import", str(path), str(source)], cwd=ROOT,
                                 capture_output=True, text=True, env=env, timeout=120)
            assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
            assert not other.exists()
            remount(disk, "rw")
            assert wb.write_back() is True
        finally:
            wb.close()
        assert names(path) == {"Edited while read-only"}


def test_cli_import_into_a_real_read_only_mount(sample_path: Path, ctx: Context, tmp_path: Path) -> None:
    with small_tmpfs("2m") as disk:
        path = disk / "ro.workbench"
        path.write_bytes(sample_path.read_bytes())
        remount(disk, "ro")
        source = tmp_path / "in.json"
        source.write_text('{"format": "persona-workbench", "version": 1, "personas": [{"name": "P"}]}')
        out = subprocess.run([sys.executable, "main.py", "import", str(path), str(source)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 2, out
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
        assert "read-only" in out.stderr.lower() or "Read-only" in out.stderr
        assert path.read_bytes() == sample_path.read_bytes()
