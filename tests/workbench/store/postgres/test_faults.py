"""Every way a server cannot be used is one typed error within 10 s — no traceback, no password in
the words, nothing half-written."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.pg import Cluster, Database, start_cluster
from tests.workbench.store.postgres.conftest import SAMPLE, open_team
from workbench.domain import errors
from workbench.edit import commands as C
from workbench.store.postgres import admin, faults, schema
from workbench.store.postgres.address import Address

LIMIT_S = 10.0


def refused(url: str, kind: type[BaseException], **kwargs: object) -> BaseException:
    """Open ``url``: it must fail with ``kind`` within the time limit, without the password."""
    started = time.monotonic()
    with pytest.raises(kind) as caught:
        open_team(url, **kwargs)
    assert time.monotonic() - started < LIMIT_S
    secret = Address.parse(url).password if url.startswith("postgresql://") else None
    message = str(caught.value)
    assert "\n" not in message and (not secret or secret not in message)
    return caught.value


def test_wrong_password(team_url: str, pg_db: Database) -> None:
    refused(pg_db.cluster.url(pg_db.name, "postgres", "not-the-password-xyz"), faults.AuthenticationFailed)


def test_password_from_environment_pgpass_or_prompt(team_url: str, pg_db: Database, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bare = pg_db.cluster.url(pg_db.name, with_password=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    error = refused(bare, faults.AuthenticationFailed)
    assert error.needs_password  # type: ignore[attr-defined]
    asked: list[str] = []
    with open_team(bare, password=lambda label: asked.append(label) or pg_db.cluster.password) as wb:
        assert wb.info().name and asked == [wb.host.label]
        assert pg_db.cluster.password not in wb.host.label
    refused(bare, faults.AuthenticationFailed, password=lambda label: "wrong-answer-123")
    monkeypatch.setenv("PGPASSWORD", pg_db.cluster.password)
    with open_team(bare) as wb:
        assert wb.info().name
    monkeypatch.delenv("PGPASSWORD")
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"*:*:*:postgres:{pg_db.cluster.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with open_team(bare) as wb:
        assert wb.info().name


def test_unknown_host_and_bad_addresses() -> None:
    refused("postgresql://maria:s3cret-pw@no-such-host.invalid/team", faults.ServerUnreachable)
    with pytest.raises(faults.BadAddress) as caught:
        open_team("postgresql://maria:sec ret@host:xx/team")
    assert "sec ret" not in str(caught.value) and "***" in str(caught.value)
    with pytest.raises(faults.BadAddress):
        open_team("postgresql://maria@host")  # no database


def test_not_a_workbench(pg_db: Database) -> None:
    refused(pg_db.url, errors.NotAWorkbench)
    pg_db.execute("CREATE TABLE invoices (id int)")
    assert "something else" in str(refused(pg_db.url, errors.NotAWorkbench))
    refused(pg_db.cluster.url("no_such_database"), errors.NotFound)


def test_newer_older_foreign_or_altered_schema(team_url: str, pg_db: Database) -> None:
    pg_db.execute("UPDATE pwkb_meta SET value = '3' WHERE key = 'schema_version'")
    error = refused(team_url, errors.NewerVersion)
    assert error.file_version == 3  # type: ignore[attr-defined]
    with pytest.raises(errors.NewerVersion):
        admin.upgrade(team_url)
    pg_db.execute("UPDATE pwkb_meta SET value = '1' WHERE key = 'schema_version'")
    refused(team_url, errors.Damaged)  # servers never held version 1
    pg_db.execute("UPDATE pwkb_meta SET value = '2' WHERE key = 'schema_version'")
    assert admin.upgrade(team_url) == 2  # already current: nothing to do
    pg_db.execute("UPDATE pwkb_meta SET value = '42' WHERE key = 'application_id'")
    refused(team_url, errors.NotAWorkbench)
    pg_db.execute("UPDATE pwkb_meta SET value = '1347898178' WHERE key = 'application_id'")
    with open_team(team_url) as wb:
        assert wb.info().name
    pg_db.execute("ALTER TABLE personas ADD COLUMN extra text")
    refused(team_url, errors.Damaged)


def test_older_server_with_a_migration_step_needs_an_upgrade(team_url: str, pg_db: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    monkeypatch.setattr(schema, "FIRST_SERVER_VERSION", 1)
    monkeypatch.setitem(schema.STEPS, 1, lambda conn: ran.append(1))
    pg_db.execute("UPDATE pwkb_meta SET value = '1' WHERE key = 'schema_version'")
    refused(team_url, faults.NeedsUpgrade)
    assert admin.upgrade(team_url) == 1 and ran == [1]
    with open_team(team_url) as wb:
        assert wb.info().name


def test_init_refuses_anything_but_an_empty_database(team_url: str, pg_db: Database, tmp_path: Path) -> None:
    with pytest.raises(faults.DatabaseNotEmpty):
        admin.init(team_url)
    other = pg_db.cluster.create_database()
    pg_db.cluster.execute("CREATE TABLE invoices (id int)", other)
    with pytest.raises(faults.DatabaseNotEmpty):
        admin.init(pg_db.cluster.url(other))
    pg_db.cluster.drop_database(other)


def _empty(db: Database) -> bool:
    return db.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = 'public'")[0][0] == 0


def test_a_failed_init_leaves_nothing_behind(pg_db: Database, tmp_path: Path, person: Callable[..., tuple[str, str]]) -> None:
    doc = json.loads(SAMPLE.read_text("utf-8"))
    doc["objections"][0]["persona"] = "Nobody We Know"  # found only while importing
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    roles_before = pg_db.execute("SELECT count(*) FROM pg_roles")[0][0]
    with pytest.raises(errors.InterchangeError):
        admin.init(pg_db.url, bad)
    assert _empty(pg_db) and pg_db.execute("SELECT count(*) FROM pg_roles")[0][0] == roles_before
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(errors.InterchangeError):  # checked before the server is even contacted
        admin.init("postgresql://x:y@no-such-host.invalid/db", tmp_path / "broken.json")
    name, password = person("weak")
    pg_db.execute(f'GRANT CONNECT ON DATABASE "{pg_db.name}" TO "{name}"')
    with pytest.raises(faults.NotPermitted):
        admin.init(pg_db.url_for(name, password), SAMPLE)
    assert _empty(pg_db)


def test_a_connection_lost_mid_command_writes_nothing(team_url: str) -> None:
    with open_team(team_url) as wb:
        def dies(tx: object) -> None:
            C.CreatePersona({"name": "Half"}).apply(tx)  # type: ignore[arg-type]
            tx.session.flush()  # type: ignore[attr-defined]
            tx.session.connection().execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))  # type: ignore[attr-defined]

        with pytest.raises(faults.ConnectionLost) as caught:
            wb.execute(C.FunctionCommand(dies, "Doomed"))
        assert "not saved" in str(caught.value)
        assert [p.name for p in wb.persona_summaries()] == []  # and the session goes on


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this test's own, to stop and start without disturbing the others."""
    cluster = start_cluster()
    yield cluster
    cluster.remove()


def test_a_stopped_server(own_cluster: Cluster) -> None:
    name = own_cluster.create_database()
    url = own_cluster.url(name)
    admin.init(url)
    with open_team(url) as wb:
        wb.execute(C.CreatePersona({"name": "Before"}))
        own_cluster.stop()
        refused(url, faults.ServerUnreachable)
        started = time.monotonic()
        with pytest.raises(faults.ServerProblem):
            wb.execute(C.CreatePersona({"name": "While stopped"}))
        with pytest.raises(faults.ServerProblem):
            wb.persona_summaries()
        assert time.monotonic() - started < 2 * LIMIT_S
        own_cluster.start()
        wb.execute(C.CreatePersona({"name": "After"}))  # the session recovers by itself
        assert [p.name for p in wb.persona_summaries()] == ["After", "Before"]
