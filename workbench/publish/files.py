"""All-or-nothing output files: every export is written beside its target and renamed into place."""

from __future__ import annotations

import contextlib
import os
import secrets
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


def write(tmp: Path, out: Path, data: bytes) -> None:
    """Write ``data`` to ``tmp`` and commit it over ``out``."""
    try:
        tmp.write_bytes(data)
    except OSError as exc:
        raise storage.save_failure(out, exc, edits_kept=False) from None
    commit(tmp, out)


def discard(tmp: Path) -> None:
    """Remove a temporary file left by a cancelled or failed export (if it is there)."""
    with contextlib.suppress(OSError):
        tmp.unlink()
