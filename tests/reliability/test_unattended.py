"""A command-line run that ends non-zero leaves nothing pending: an import that could not be written
(full disk) is not written later by an unrelated run, and a killed run's edits are set aside, not
recovered into the next run. The command line switches this on with ``storage.set_unattended()``."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.exchange.interchange import FORMAT, ImportDocument
from workbench.session import Workbench
from workbench.store.sqlite import storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def unattended() -> Iterator[None]:
    storage.set_unattended(True)
    try:
        yield
    finally:
        storage.set_unattended(False)


def batch(name: str, n: int) -> dict[str, object]:
    return {"format": FORMAT, "version": 1, "personas": [{"name": f"{name}-{i}"} for i in range(n)]}


def names(path: Path) -> set[str]:
    with Workbench.open(path, readonly=True) as ro:
        return {p.name for p in ro.persona_summaries()}


def test_a_failed_final_write_back_leaves_nothing_pending(wb_path: Path, ctx: Context, unattended: None,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         _private_data_dir: Path) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(ImportDocument(batch("big", 50)))
    with monkeypatch.context() as mp:
        real = os.open

        def full(path: object, flags: int, *args: object, **kwargs: object) -> int:
            if storage.TMP_MARK in str(path):
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            return real(path, flags, *args, **kwargs)  # type: ignore[arg-type]

        mp.setattr(os, "open", full)
        with pytest.raises(errors.CouldNotSave) as info:
            wb.close()
    message = str(info.value)
    assert "edits are kept" not in message and "will be saved" not in message
    assert "Nothing was written" in message
    # Space is back; an unrelated run imports one persona and reports only that — and writes only that.
    with Workbench.open(wb_path, ctx) as again:
        assert not again.file.recovered
        change = again.execute(ImportDocument(batch("small", 1)))
        assert change.extra["report"].added == {"persona": 1}
    assert names(wb_path) == {"small-0"}
    assert not list((_private_data_dir / "working").glob("*/working.workbench"))


def test_a_changed_file_at_the_end_leaves_nothing_pending(wb_path: Path, tmp_path: Path, ctx: Context,
                                                         unattended: None) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(ImportDocument(batch("mine", 3)))
    other = tmp_path / "other.workbench"
    Workbench.create(other, ctx, name="Theirs")
    os.replace(other, wb_path)
    with pytest.raises(errors.ChangedOnDisk) as info:
        wb.close()
    assert "edits are kept" not in str(info.value).lower()
    with Workbench.open(wb_path, ctx) as again:
        assert not again.file.recovered and again.file.recovered_conflict is None
    assert names(wb_path) == set()


def test_an_interactive_session_still_keeps_its_edits(wb_path: Path, ctx: Context,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbench.open(wb_path, ctx)
    wb.execute(ImportDocument(batch("kept", 2)))
    with monkeypatch.context() as mp:
        mp.setattr(storage, "backup_into", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
        with pytest.raises(errors.CouldNotSave, match="edits are kept"):
            wb.close()
    with Workbench.open(wb_path, ctx) as again:
        assert again.file.recovered
    assert names(wb_path) == {"kept-0", "kept-1"}


def test_a_killed_unattended_run_is_set_aside_not_recovered(wb_path: Path, ctx: Context,
                                                           _private_data_dir: Path) -> None:
    code = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from workbench.exchange.interchange import ImportDocument
        from workbench.session import Workbench
        from workbench.store.sqlite import storage
        storage.set_unattended(True)
        wb = Workbench.open(Path(sys.argv[1]))
        wb.execute(ImportDocument({"format": "persona-workbench", "version": 1,
                                   "personas": [{"name": "from the killed run"}]}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    env = dict(os.environ, PERSONA_WORKBENCH_DATA=str(_private_data_dir))
    out = subprocess.run([sys.executable, "-c", code, str(wb_path)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == -9, out.stderr
    with Workbench.open(wb_path, ctx) as again:
        assert not again.file.recovered
    assert names(wb_path) == set()
    kept = list((_private_data_dir / "unsaved").glob("*/working.workbench"))
    assert len(kept) == 1 and names(kept[0]) == {"from the killed run"}  # set aside, never lost
