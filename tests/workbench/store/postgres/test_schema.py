"""The schema on a server: the model's tables in the "C" collation, our own tables, the metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pg import Database, start_cluster
from tests.workbench.store.postgres.conftest import open_team
from workbench.exchange.interchange import dumps, export_document
from workbench.schema.fileformat import APPLICATION_ID, CURRENT_COLUMNS, SCHEMA_VERSION
from workbench.session import Workbench
from workbench.store.postgres import admin, roles


def test_the_schema_and_its_metadata(team_url: str, pg_db: Database) -> None:
    meta = dict(pg_db.execute("SELECT key, value FROM pwkb_meta"))
    assert meta["application_id"] == str(APPLICATION_ID) and meta["schema_version"] == str(SCHEMA_VERSION)
    assert len(meta["workbench_id"]) == 36 and meta["role_prefix"].startswith("pwkb_")
    uncollated = pg_db.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_collation k ON k.oid = a.attcollation WHERE n.nspname = 'public' AND c.relkind = 'r' "
        "AND t.typname IN ('text', 'varchar') AND c.relname = ANY(%s) AND coalesce(k.collname, '') <> 'C'"
        .replace("%s", "ARRAY[" + ", ".join(f"'{t}'" for t in CURRENT_COLUMNS) + "]"))
    assert uncollated == []
    assert pg_db.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pwkb_search_doc'")[0][0].endswith(
        "USING gin (doc)")
    groups = {r[0] for r in pg_db.execute(f"SELECT rolname FROM pg_roles WHERE rolname LIKE '{meta['role_prefix']}%'")}
    assert groups == set(roles.role_names(meta["role_prefix"]).values())
    assert pg_db.execute("SELECT count(*) FROM pwkb_changes")[0][0] == 1  # "Create Workbench"


def test_init_from_a_workbench_file(pg_db: Database, sample_path: Path) -> None:
    summary = admin.init(pg_db.url, sample_path)
    assert summary.startswith("Added")
    with Workbench.open(sample_path, readonly=True) as local, open_team(pg_db.url) as server:
        assert dumps(server.read(export_document)) == dumps(local.read(export_document))


def test_a_missing_postgresql_fails_the_tests_never_skips_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PG_BIN", "/nonexistent/postgresql/bin")
    with pytest.raises(pytest.fail.Exception) as caught:
        start_cluster()
    assert "apt-get install -y postgresql" in str(caught.value)
