"""Numbered schema migrations of the file: version N-1 → N, all steps in one transaction, on a copy.

An older file is migrated only on a copy: the user's file is first backed up beside itself
(``NAME.v1-backup.workbench``) and replaced by write-back only after the migration committed.
Before migrating, a file is checked against exactly what its version wrote
(:mod:`workbench.schema.versions`), so a hostile old file is refused as a current one is.

Adding schema version N+1: bump ``SCHEMA_VERSION`` in ``workbench/schema/fileformat.py``, freeze the
old columns and indexes in ``workbench/schema/versions.py``, write ``_to_N+1`` below with the new
tables' statements frozen in it (a step must create what *its* version wrote, whatever the model
says later), register it in :data:`STEPS`, and commit ``tests/data/vN+1.workbench`` made by the app.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbench.domain import errors
from workbench.schema.fileformat import SCHEMA_VERSION
from workbench.schema.versions import COLUMNS, INDEXES
from workbench.store.sqlite import db, search

#: Step functions: ``STEPS[n]`` upgrades a version n-1 file to version n (no commit; caller does).
STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {}

#: The tables as schema version 2 creates them (frozen: every row got a ``version``).
V2_TABLES: dict[str, str] = {
    'channels': 'CREATE TABLE channels (\n\tid VARCHAR(36) NOT NULL, \n\tname TEXT NOT NULL, \n\tguidance TEXT NOT NULL, \n\tposition INTEGER NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)',
    'personas': 'CREATE TABLE personas (\n\tid VARCHAR(36) NOT NULL, \n\tname TEXT NOT NULL, \n\trole TEXT NOT NULL, \n\torganization TEXT NOT NULL, \n\tindustry TEXT NOT NULL, \n\tlocation TEXT NOT NULL, \n\tstory TEXT NOT NULL, \n\tmotivations JSON NOT NULL, \n\tworries JSON NOT NULL, \n\tgoals JSON NOT NULL, \n\ttechnology_comfort INTEGER, \n\tpreferred_channels JSON NOT NULL, \n\tavoid_channels JSON NOT NULL, \n\tgatekeepers JSON NOT NULL, \n\tdo_items JSON NOT NULL, \n\tdont_items JSON NOT NULL, \n\tvoice TEXT NOT NULL, \n\tmql TEXT NOT NULL, \n\tsql_criteria TEXT NOT NULL, \n\ttags JSON NOT NULL, \n\tstatus VARCHAR(20) NOT NULL, \n\towner TEXT NOT NULL, \n\tportrait BLOB, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)',
    'workbench': 'CREATE TABLE workbench (\n\tid VARCHAR(36) NOT NULL, \n\tname TEXT NOT NULL, \n\torganization TEXT NOT NULL, \n\tnarrative TEXT NOT NULL, \n\tlogo BLOB, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id)\n)',
    'messages': 'CREATE TABLE messages (\n\tid VARCHAR(36) NOT NULL, \n\tpersona_id VARCHAR(36) NOT NULL, \n\tchannel_id VARCHAR(36) NOT NULL, \n\tstage VARCHAR(20) NOT NULL, \n\theadline TEXT NOT NULL, \n\tbody TEXT NOT NULL, \n\tcall_to_action TEXT NOT NULL, \n\tnotes TEXT NOT NULL, \n\tstatus VARCHAR(20) NOT NULL, \n\tapproved_by TEXT NOT NULL, \n\tapproved_at VARCHAR(40) NOT NULL, \n\toverride_reason TEXT NOT NULL, \n\tin_force_revision_id VARCHAR(36), \n\tbreach_count INTEGER NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(persona_id) REFERENCES personas (id), \n\tFOREIGN KEY(channel_id) REFERENCES channels (id)\n)',
    'objections': 'CREATE TABLE objections (\n\tid VARCHAR(36) NOT NULL, \n\tpersona_id VARCHAR(36) NOT NULL, \n\tobjection TEXT NOT NULL, \n\tresponse TEXT NOT NULL, \n\theard_count INTEGER NOT NULL, \n\theard_by TEXT NOT NULL, \n\tlast_heard VARCHAR(40) NOT NULL, \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(persona_id) REFERENCES personas (id)\n)',
    'terms': 'CREATE TABLE terms (\n\tid VARCHAR(36) NOT NULL, \n\tterm TEXT NOT NULL, \n\tkind VARCHAR(10) NOT NULL, \n\treplacement TEXT NOT NULL, \n\tnote TEXT NOT NULL, \n\tpersona_id VARCHAR(36), \n\tcreated_at VARCHAR(40) NOT NULL, \n\tcreated_by VARCHAR(200) NOT NULL, \n\tupdated_at VARCHAR(40) NOT NULL, \n\tupdated_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(persona_id) REFERENCES personas (id)\n)',
    'message_revisions': 'CREATE TABLE message_revisions (\n\tid VARCHAR(36) NOT NULL, \n\tmessage_id VARCHAR(36) NOT NULL, \n\tseq INTEGER NOT NULL, \n\theadline TEXT NOT NULL, \n\tbody TEXT NOT NULL, \n\tcall_to_action TEXT NOT NULL, \n\tnotes TEXT NOT NULL, \n\tstatus VARCHAR(20) NOT NULL, \n\tapproved_by TEXT NOT NULL, \n\tapproved_at VARCHAR(40) NOT NULL, \n\toverride_reason TEXT NOT NULL, \n\tsaved_at VARCHAR(40) NOT NULL, \n\tsaved_by VARCHAR(200) NOT NULL, \n\tversion INTEGER NOT NULL, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(message_id) REFERENCES messages (id)\n)',
}


def _to_2(conn: sqlite3.Connection) -> None:
    """Version 2: a ``version`` on every row (1 for rows written before), the persona list's
    ``lower(name)`` index, and prefix indexes in the search index.

    Each table is rebuilt with its version-2 statement (SQLite cannot add a NOT NULL column
    without a default, and a default would be an expression in the stored schema); the old table
    is renamed aside with references left alone (``legacy_alter_table``), copied and dropped, so
    the file ends up with exactly the schema a new version-2 file has.
    """
    conn.execute("PRAGMA legacy_alter_table=ON")
    try:
        for table, ddl in V2_TABLES.items():
            old = COLUMNS[1][table]
            columns = ", ".join(f'"{c}"' for c in old)
            conn.execute(f'ALTER TABLE "{table}" RENAME TO "{table}__v1"')
            conn.execute(ddl)
            conn.execute(f'INSERT INTO "{table}" ({columns}, "version") SELECT {columns}, 1 FROM "{table}__v1"')
            conn.execute(f'DROP TABLE "{table}__v1"')
        for _name, (_table, sql) in INDEXES[2].items():
            conn.execute(sql)
        _rebuild_search_index(conn)
    finally:
        conn.execute("PRAGMA legacy_alter_table=OFF")


def _rebuild_search_index(conn: sqlite3.Connection) -> None:
    """Version 2's search index: prefix indexes, and every text folded as the index now folds it
    (accents, Greek tonos …): made afresh from the rows, keeping each item's rowid."""
    from workbench.domain.searchtext import index_text
    from workbench.read.search import documents

    fts, docs_table = search.FTS_TABLE, search.DOCS_TABLE
    conn.execute(f'DROP TABLE "{fts}"')
    conn.execute(search.FTS_SQL)
    items = conn.execute(f'SELECT rowid, kind, item_id FROM "{docs_table}"').fetchall()
    texts = documents(db.SqliteRows(conn), [(kind, item_id) for _rowid, kind, item_id in items])
    conn.executemany(f'INSERT INTO "{fts}"(rowid, title, body) VALUES (?, ?, ?)',
                     [(rowid, index_text(texts[item_id][0]), index_text(texts[item_id][1]))
                      for rowid, _kind, item_id in items if item_id in texts])
    conn.executemany(f'DELETE FROM "{docs_table}" WHERE rowid = ?',
                     [(rowid,) for rowid, _kind, item_id in items if item_id not in texts])


STEPS[2] = _to_2


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

    All steps run in one transaction: a crash leaves the copy at its old version. Foreign keys are
    off meanwhile (tables are rebuilt) and checked before the commit.
    """
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN IMMEDIATE")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            step = STEPS.get(target)
            if step is None:
                raise errors.Damaged(str(path), f"No migration to schema version {target} exists.")
            step(conn)
            conn.execute(f"PRAGMA user_version={target}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            raise errors.Damaged(str(path), f"{path} is damaged: a row of {broken[0]} refers to a row that "
                                 "does not exist.")
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
