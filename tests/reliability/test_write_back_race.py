"""Another writer replaces the user's file *while* a write-back runs (a sync client, a colleague):
their file stays, ours is written as a copy beside it, and a typed error says where — never a
silent overwrite. The windows are provoked deterministically; bench/crash_harness.py races them."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite import db, files, storage


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(path: Path) -> set[str]:
    with Workbench.open(path, readonly=True) as ro:
        return {p.name for p in ro.persona_summaries()}


def colleagues_version(tmp_path: Path, ctx: Context) -> Path:
    other = tmp_path / "colleague" / "x.workbench"
    other.parent.mkdir(exist_ok=True)
    Workbench.create(other, ctx, name="Colleague's")
    with Workbench.open(other, ctx, data_dir=tmp_path / "colleague-data") as wb:
        wb.execute(C.CreatePersona({"name": "Theirs"}))
    return other


def kept_copies(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(f"{path.stem} (my edits"))


def test_replaced_while_the_copy_is_verified_keeps_both(wb_path: Path, tmp_path: Path, ctx: Context,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The old check ran only before the copy, fsync and verify: a file replaced meanwhile was lost."""
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    other = colleagues_version(tmp_path, ctx)
    theirs = digest(other)
    real = db.check_integrity
    replaced: list[bool] = []

    def verify_then_someone_replaces(conn: object, name: str, **kwargs: object) -> None:
        real(conn, name, **kwargs)  # type: ignore[arg-type]
        if storage.TMP_MARK in name and not replaced:
            os.replace(other, wb_path)  # the colleague's sync lands while we verify our temp
            replaced.append(True)

    monkeypatch.setattr(db, "check_integrity", verify_then_someone_replaces)
    with pytest.raises(errors.ChangedOnDisk) as info:
        wb.write_back()
    monkeypatch.undo()
    assert replaced
    assert digest(wb_path) == theirs  # their file is never overwritten
    copies = kept_copies(wb_path)
    assert len(copies) == 1, sorted(p.name for p in wb_path.parent.iterdir())
    message = str(info.value)
    assert str(copies[0]) in message and str(wb_path) in message and "\n" not in message
    assert names(copies[0]) == {"Mine"}  # ours, complete, beside theirs
    assert storage.TMP_MARK not in " ".join(p.name for p in wb_path.parent.iterdir())
    with pytest.raises(errors.ChangedOnDisk):
        wb.close()  # still not theirs to overwrite
    assert digest(wb_path) == theirs


def test_replaced_in_the_last_moment_before_the_rename(wb_path: Path, tmp_path: Path, ctx: Context,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Replaced after the last check, just before the rename: what we renamed over is compared
    afterwards (Linux swaps the two atomically), and theirs is put back."""
    if not files.can_exchange(wb_path):
        pytest.skip("this platform cannot swap two files atomically")
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    other = colleagues_version(tmp_path, ctx)
    theirs = digest(other)
    real = storage.Identity.still_matches
    calls: list[Path] = []

    def check_then_replaced(self: storage.Identity, path: Path) -> bool:
        result = real(self, path)
        calls.append(path)
        if len(calls) == 2 and path == wb_path:  # the check right before the rename
            os.replace(other, wb_path)
        return result

    monkeypatch.setattr(storage.Identity, "still_matches", check_then_replaced)
    with pytest.raises(storage.ChangedWhileSaving) as info:
        wb.write_back()
    monkeypatch.undo()
    assert digest(wb_path) == theirs
    assert info.value.copy is not None and names(info.value.copy) == {"Mine"}
    assert names(wb_path) == {"Theirs"}
    wb.close(write_back=False)


def test_unchanged_file_still_saves_normally(wb_path: Path, ctx: Context) -> None:
    with Workbench.open(wb_path, ctx) as wb:
        wb.execute(C.CreatePersona({"name": "Mine"}))
        assert wb.write_back() is True
        wb.execute(C.CreatePersona({"name": "More"}))
    assert names(wb_path) == {"Mine", "More"}
    assert kept_copies(wb_path) == []
    assert sorted(p.name for p in wb_path.parent.iterdir()) == [wb_path.name]


def test_replaced_right_after_our_rename_is_noticed_next_time(wb_path: Path, tmp_path: Path, ctx: Context,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the crash harness: our new identity was read from the *path* after the rename, so a
    file dropped there a moment later lent us its stat — and the next write-back overwrote it."""
    wb = Workbench.open(wb_path, ctx)
    wb.execute(C.CreatePersona({"name": "Mine"}))
    other = colleagues_version(tmp_path, ctx)
    theirs = digest(other)
    real_exchange, real_replace = files.exchange, os.replace
    landed: list[bool] = []

    def theirs_lands_after(a: Path, b: Path, rename: object) -> object:
        done = rename(a, b)  # type: ignore[operator]
        if Path(b) == wb_path and not landed:
            landed.append(True)
            real_replace(other, wb_path)
        return done

    monkeypatch.setattr(files, "exchange", lambda a, b: theirs_lands_after(a, b, real_exchange))
    monkeypatch.setattr(os, "replace", lambda a, b: theirs_lands_after(a, b, real_replace))
    assert wb.write_back() is True  # ours was written; theirs replaced it a moment later
    monkeypatch.undo()
    assert landed and digest(wb_path) == theirs
    wb.execute(C.CreatePersona({"name": "More"}))
    with pytest.raises(errors.ChangedOnDisk):
        wb.write_back()
    assert digest(wb_path) == theirs
    wb.close(write_back=False)


def test_replaced_while_the_working_copy_is_made_is_noticed(wb_path: Path, tmp_path: Path, ctx: Context,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for the identity taken when opening: it describes the file we copied, not its successor."""
    other = colleagues_version(tmp_path, ctx)
    theirs = digest(other)
    real = storage.copy_with_hash

    def copy_then_replaced(src: Path, dst: Path) -> str:
        sha = real(src, dst)
        os.replace(other, wb_path)
        return sha

    monkeypatch.setattr(storage, "copy_with_hash", copy_then_replaced)
    wb = Workbench.open(wb_path, ctx)
    monkeypatch.undo()
    wb.execute(C.CreatePersona({"name": "Mine"}))
    with pytest.raises(errors.ChangedOnDisk):
        wb.write_back()
    assert digest(wb_path) == theirs
    wb.close(write_back=False)
