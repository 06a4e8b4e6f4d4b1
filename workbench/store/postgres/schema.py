"""A workbench's schema on a server: the model's tables, our own tables, checking and upgrading.

The same model as a file (``Base.metadata``) with every text column in the ``"C"`` collation, so
lists sort and ``lower()`` folds exactly as in SQLite (byte order, ASCII-only lowering) whatever
locale the database was created with. Beside it: ``pwkb_meta`` (application id, schema version —
the same number as files — the workbench's id and the prefix of its roles), the search index
(:mod:`workbench.store.postgres.search`), the change log ``pwkb_changes`` and ``pwkb_approvals``
(see :mod:`workbench.store.postgres.roles`). Migrations are keyed by the same version numbers as the
file's; servers started at version 2, so there are no steps yet and an older server is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from sqlalchemy import Connection, MetaData, String, Text, text

from workbench.domain import errors
from workbench.schema.fileformat import APPLICATION_ID, CURRENT_COLUMNS, SCHEMA_VERSION
from workbench.schema.model import Base
from workbench.store.postgres import faults
from workbench.store.postgres.search import SEARCH_DDL, SEARCH_TABLE

META_TABLE = "pwkb_meta"
CHANGES_TABLE = "pwkb_changes"
APPROVALS_TABLE = "pwkb_approvals"
#: Tables of ours besides the model's.
OWN_TABLES = (META_TABLE, SEARCH_TABLE, CHANGES_TABLE, APPROVALS_TABLE)
#: The first schema version a server ever held (servers arrived with row versions).
FIRST_SERVER_VERSION = 2
#: Version → the step that upgrades a server from it to the next version (none yet).
STEPS: dict[int, Callable[[Connection], None]] = {}

OWN_DDL = (
    f"CREATE TABLE {META_TABLE} (key text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)",
    *SEARCH_DDL,
    # One row per committed command: what changed (kinds and ids), who (the server says), when.
    f"CREATE TABLE {CHANGES_TABLE} (seq bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), "
    "who text NOT NULL DEFAULT session_user, origin text NOT NULL DEFAULT '', "
    "label text NOT NULL DEFAULT '', items jsonb NOT NULL DEFAULT '{}')",
    # Every approval the server saw happen: only these may be put back by people who cannot approve.
    f"CREATE TABLE {APPROVALS_TABLE} (message_id varchar(36) COLLATE \"C\" NOT NULL, approved_by text NOT NULL, "
    "approved_at varchar(40) NOT NULL, text_hash text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), "
    "recorded_by text NOT NULL DEFAULT session_user, "
    "PRIMARY KEY (message_id, approved_by, approved_at, text_hash))",
)


def collated_metadata() -> MetaData:
    """A copy of the model's tables whose text columns use the ``"C"`` collation."""
    meta = MetaData()
    for table in Base.metadata.sorted_tables:
        copy = table.to_metadata(meta)
        for column in copy.columns:
            if isinstance(column.type, Text):
                column.type = Text(collation="C")
            elif isinstance(column.type, String):
                column.type = String(column.type.length, collation="C")
    return meta


def role_prefix(dbname: str) -> str:
    """The prefix of a new workbench's four group roles: ``pwkb_<db>_<6 random hex>``. Random, so a
    database dropped and created again under the same name never inherits the old one's members;
    at most 46 characters, so every role name stays under PostgreSQL's 63."""
    import secrets

    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in dbname.lower())[:30]
    return f"pwkb_{safe}_{secrets.token_hex(3)}"


def create(conn: Connection, dbname: str) -> dict[str, str]:
    """Create every table of the current schema and our own tables (in the caller's transaction);
    return the metadata written to ``pwkb_meta``."""
    collated_metadata().create_all(conn)
    for statement in OWN_DDL:
        conn.execute(text(statement))
    meta = {"application_id": str(APPLICATION_ID), "schema_version": str(SCHEMA_VERSION),
            "workbench_id": str(uuid.uuid4()), "role_prefix": role_prefix(dbname)}
    conn.execute(text(f"INSERT INTO {META_TABLE} (key, value) VALUES (:k, :v)"),
                 [{"k": k, "v": v} for k, v in meta.items()])
    return meta


def is_workbench(conn: Connection) -> bool:
    """Whether the database has our metadata table (needs no privileges on it)."""
    return conn.execute(text(f"SELECT to_regclass('public.{META_TABLE}') IS NOT NULL")).scalar() is True


def user_objects(conn: Connection) -> int:
    """Tables, views, sequences, functions and types anyone created (``init`` wants none)."""
    system = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
    found = conn.execute(text(
        f"SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {system})"
        f" + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {system})"
        f" + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {system}"
        "     AND t.typrelid = 0 AND t.typelem = 0)")).scalar()
    return int(found or 0)


def read_meta(conn: Connection) -> dict[str, str]:
    """Everything in ``pwkb_meta``."""
    return {str(k): str(v) for k, v in conn.execute(text(f"SELECT key, value FROM {META_TABLE}"))}


def check_version(version: int, label: str) -> None:
    """Refuse a schema version this app cannot use as it is (newer; never on a server; older)."""
    if version > SCHEMA_VERSION:
        raise errors.NewerVersion(label, version, SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return
    if version < FIRST_SERVER_VERSION or any(v not in STEPS for v in range(version, SCHEMA_VERSION)):
        raise errors.Damaged(label, f"{label} holds schema version {version}, which no release of Persona "
                             "Workbench ever wrote on a server. It was not opened.")
    raise faults.NeedsUpgrade(label, f"{label} holds an older workbench (schema version {version}); an "
                              "administrator must upgrade it first (server upgrade).")


def check(conn: Connection, label: str) -> dict[str, str]:
    """Refuse a database that is not a workbench of this app's schema; return its metadata.

    Typed errors: not a workbench (no metadata, another application id), a newer or unknown schema
    version, tables missing or with other columns (altered by hand).
    """
    if not is_workbench(conn):
        what = "is empty" if user_objects(conn) == 0 else "holds something else"
        raise errors.NotAWorkbench(label, f"{label} is not a Persona Workbench: the database {what}"
                                   + (" (create one with server init)." if what == "is empty" else "."))
    if not conn.execute(text(f"SELECT has_table_privilege('public.{META_TABLE}', 'SELECT')")).scalar():
        user = conn.execute(text("SELECT session_user")).scalar()
        raise faults.NotPermitted(label, f"Your role ({user}) may not read {label}: ask an administrator to "
                                  "grant you reader, editor, approver or admin.")
    meta = read_meta(conn)
    if meta.get("application_id") != str(APPLICATION_ID):
        raise errors.NotAWorkbench(label, f"{label} is not a Persona Workbench (another application's data).")
    try:
        version = int(meta.get("schema_version", ""))
    except ValueError:
        raise errors.Damaged(label, f"{label} is damaged: its schema version is missing.") from None
    check_version(version, label)
    check_columns(conn, label, CURRENT_COLUMNS)
    return meta


def check_columns(conn: Connection, label: str, expected: Mapping[str, tuple[str, ...]]) -> None:
    """Refuse tables that are missing or whose columns are not exactly the expected ones, in order."""
    found: dict[str, list[str]] = {}
    # The catalog, not information_schema: that hides tables the role has no rights on.
    for table, column in conn.execute(text(
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum")):
        found.setdefault(str(table), []).append(str(column))
    for table, columns in expected.items():
        if table not in found:
            raise errors.Damaged(label, f"{label} is damaged: the table {table!r} is missing.")
        if tuple(found[table]) != columns:
            raise errors.Damaged(label, f"{label} is damaged or altered: the table {table!r} does not have the "
                                 "columns this version expects.")
    for table in OWN_TABLES:
        if table not in found:
            raise errors.Damaged(label, f"{label} is damaged: the table {table!r} is missing.")


def upgrade(conn: Connection, label: str) -> int:
    """Run the steps from the server's version to the current one (in the caller's transaction);
    return the version it was at."""
    meta = read_meta(conn)
    version = int(meta.get("schema_version", "0") or 0)
    if version == SCHEMA_VERSION:
        return version
    try:
        check_version(version, label)
    except faults.NeedsUpgrade:
        pass
    for step in range(version, SCHEMA_VERSION):
        STEPS[step](conn)
    conn.execute(text(f"UPDATE {META_TABLE} SET value = :v WHERE key = 'schema_version'"),
                 {"v": str(SCHEMA_VERSION)})
    return version
