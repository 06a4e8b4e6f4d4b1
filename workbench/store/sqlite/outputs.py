"""Writing what a person exports — a JSON document, a PDF playbook, a hand-off copy — over a path
they chose: whole or not at all (a temporary file beside the target, fsynced, renamed), through a
symbolic link to its real file (the link stays), with the mode and group of the file it replaces,
never over a workbench someone holds open or a file the person may not write.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.domain import errors
from workbench.store.sqlite import files
from workbench.store.sqlite.lockfile import refuse_if_held
from workbench.store.sqlite.storage import fsync_dir, save_failure, temp_beside


def prepare_output(target: Path) -> Path:
    """Check an export's or hand-off's target before the work starts; return the path to write (the
    real file when ``target`` is a link). Refuses a workbench someone holds open and a file the
    person may not write; :func:`put_in_place` checks again at the end."""
    real = files.output_path(Path(target))
    refuse_if_held(real)
    files.refuse_unwritable(real)
    return real


def put_in_place(tmp: Path, target: Path) -> None:
    """Rename a finished, fsynced output ``tmp`` over ``target`` (from :func:`prepare_output`): with
    the old file's mode and group, never over a workbench someone holds open or a file the person may
    not write. Raises typed errors; ``tmp`` is left for the caller to remove on failure."""
    try:
        refuse_if_held(target)
        files.refuse_unwritable(target)
        files.keep_permissions(target, tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except errors.WorkbenchError:
        raise
    except OSError as exc:
        raise save_failure(target, exc, edits_kept=False) from None


def write_output(target: Path, data: bytes) -> Path:
    """Write an export whole or not at all (a temp beside the real target, fsync, :func:`put_in_place`);
    returns where it went. Raises typed errors, :class:`errors.CouldNotSave` for disk trouble."""
    real = prepare_output(target)
    try:
        with temp_beside(real) as tmp:
            files.create_new(tmp)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            put_in_place(tmp, real)
    except errors.WorkbenchError:
        raise
    except OSError as exc:
        raise save_failure(real, exc, edits_kept=False) from None
    return real
