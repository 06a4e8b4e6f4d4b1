"""Numbered schema migrations: version N-1 → N, each in one transaction, run on a working copy.

An older file is migrated only on a copy: the user's file is first backed up beside itself
(``NAME.v1-backup.workbench``) and replaced by write-back only after the migration committed.
Each version's expected columns live here so a hostile old file is validated before migrating.

Adding schema version 2: set ``SCHEMA_VERSION = 2`` in ``model.py``, add ``_to_2`` below and
register it in ``STEPS``, freeze the v1 column list into ``COLUMNS[1]``, and commit a fixture
file ``tests/data/v2.workbench`` made by the new version.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.domain import errors
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.store.sqlite import db

#: Step functions: ``STEPS[n]`` upgrades a version n-1 file to version n (no commit; caller does).
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {}

#: Columns (name, hidden) per table, for every released schema version older than the current one.
COLUMNS: dict[int, dict[str, list[tuple[str, int]]]] = {}


def expected_columns(version: int) -> dict[str, list[tuple[str, int]]]:
    """The tables and columns a file of an older ``version`` must have."""
    try:
        return COLUMNS[version]
    except KeyError:
        raise errors.Damaged("", f"schema version {version} was never released") from None


def backup_path(path: Path, version: int) -> Path:
    """Where the pre-migration backup of ``path`` goes (never overwriting an earlier one)."""
    candidate = path.with_name(f"{path.stem}.v{version}-backup{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.v{version}-backup-{n}{path.suffix}")
        n += 1
    return candidate


def migrate(path: Path, version: int) -> None:
    """Upgrade the database at ``path`` (a working copy) from ``version`` to the current schema.

    All steps run in one transaction: a crash leaves the copy at its old version.
    """
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            step = STEPS.get(target)
            if step is None:
                raise errors.Damaged(str(path), f"No migration to schema version {target} exists.")
            step(conn)
            conn.execute(f"PRAGMA user_version={target}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def migrated_temp_copy(path: Path, version: int) -> Path:
    """A migrated copy of an older file in a fresh temporary folder, for reading it read-only.

    The file itself is never changed. Returns the copy; the caller removes its folder
    (``copy.parent``) when done. Nothing is left behind when the migration fails.
    """
    temp_dir = Path(tempfile.mkdtemp(prefix="pwkb-"))
    try:
        copy = temp_dir / "migrated.workbench"
        shutil.copyfile(path, copy)
        migrate(copy, version)
        return copy
    except BaseException:
        shutil.rmtree(temp_dir, ignore_errors=True)
        raise
