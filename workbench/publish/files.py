"""All-or-nothing output files: every export is written beside its target and renamed into place."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from workbench.store.sqlite import outputs, storage


def temporary_beside(out: Path) -> Path:
    """A hidden temporary name in ``out``'s folder (so the final rename stays on one file system)."""
    return out.with_name(f".{out.name}{storage.TMP_MARK}{secrets.token_hex(6)}")


def commit(tmp: Path, out: Path) -> None:
    """Flush ``tmp`` to disk and rename it over ``out`` (keeping the replaced file's mode and group, never
    over a workbench someone opened meanwhile); a disk failure is :class:`CouldNotSave`."""
    try:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        raise storage.save_failure(out, exc, edits_kept=False) from None
    outputs.put_in_place(tmp, out)


@contextlib.contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out`` for the block to write: renamed over ``out`` when the block
    ends normally, removed when it raises or the export's generator is closed (a cancelled export).
    A failure to write it is :class:`CouldNotSave`."""
    tmp = temporary_beside(out)
    done = False
    try:
        try:
            yield tmp
        except OSError as exc:
            raise storage.save_failure(out, exc, edits_kept=False) from None
        commit(tmp, out)
        done = True
    finally:
        if not done:
            discard(tmp)


def discard(tmp: Path) -> None:
    """Remove a temporary file left by a cancelled or failed export (if it is there)."""
    with contextlib.suppress(OSError):
        tmp.unlink()
