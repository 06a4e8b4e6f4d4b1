"""Offline copies: pull makes a normal workbench file that remembers where it came from; push sends
what changed only there and reports, one per line, what changed on both sides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pg import Database
from tests.workbench.store.postgres.conftest import SAMPLE, fresh_ctx, open_team
from workbench.domain import errors
from workbench.edit import commands as C
from workbench.exchange.interchange import dumps, export_document
from workbench.session import Workbench
from workbench.store.postgres import admin, faults, offline


@pytest.fixture
def team(pg_db: Database) -> str:
    admin.init(pg_db.url, SAMPLE, ctx=fresh_ctx())
    return pg_db.url


def test_pull_makes_a_normal_file_with_the_same_rows(team: str, tmp_path: Path, pg_db: Database) -> None:
    out = tmp_path / "copy.workbench"
    report = offline.pull(team, out)
    assert report.rows > 40 and report.seq >= 2
    with open_team(team) as server, Workbench.open(out) as local:
        assert dumps(local.read(export_document)) == dumps(server.read(export_document))
        assert [(p.id, p.version) for p in local.personas()] == [(p.id, p.version) for p in server.personas()]
        assert local.coverage_counts() == server.coverage_counts()
        assert {h.item_id for h in local.search("dispatch")} == {h.item_id for h in server.search("dispatch")}
    record = json.loads(offline.origin_path(out).read_text())
    assert record["server"] == report.server and pg_db.cluster.password not in record["server"]
    for path in (out, offline.origin_path(out)):
        assert pg_db.cluster.password.encode() not in path.read_bytes()
    with pytest.raises(errors.AlreadyExists):
        offline.pull(team, out)


def test_push_sends_what_changed_only_here(team: str, tmp_path: Path) -> None:
    out = tmp_path / "copy.workbench"
    offline.pull(team, out)
    with Workbench.open(out, fresh_ctx("maria")) as local:
        a, b = local.persona_order()[:2]
        local.execute(C.UpdatePersona(a, {"role": "Changed offline"}))
        new = local.execute(C.CreatePersona({"name": "Met on the plane", "story": "Kiteboarding"})).extra["id"]
        gone = local.objections()[0].id
        local.execute(C.DeleteObjection(gone))
    with open_team(team) as server:
        server.execute(C.UpdatePersona(b, {"role": "Changed on the server"}))
        last = server.host.last_seq()  # type: ignore[attr-defined]
    report = offline.push(out, team)
    assert report.conflicts == [] and report.sent == {"persona": 2, "objection": 1}
    with open_team(team) as server:
        assert server.persona(a).role == "Changed offline"  # type: ignore[union-attr]
        assert server.persona(b).role == "Changed on the server"  # type: ignore[union-attr]
        assert server.persona(new) is not None and [h.item_id for h in server.search("kiteboard")] == [new]
        assert gone not in {o.id for o in server.objections()}
        logged = server.host.changes_since(last, include_own=True)  # type: ignore[attr-defined]
        assert [r.label for _, r in logged] == ["Push Offline Copy"] and logged[0][1].created("persona") == {new}
    again = offline.push(out, team)
    assert again.sent == {} and again.conflicts == []


def test_changes_on_both_sides_are_conflicts(team: str, tmp_path: Path) -> None:
    out = tmp_path / "copy.workbench"
    offline.pull(team, out)
    with Workbench.open(out, fresh_ctx("maria")) as local:
        a, b, c = local.persona_order()[:3]
        local.execute(C.UpdatePersona(a, {"role": "Mine"}))
        local.execute(C.UpdatePersona(b, {"role": "Same on both"}))
        local.execute(C.UpdatePersona(c, {"role": "Mine too"}))
    with open_team(team) as server:
        server.execute(C.UpdatePersona(a, {"role": "Theirs"}))
        server.execute(C.UpdatePersona(b, {"role": "Same on both"}))
        server.execute(C.DeletePersona(c))
    report = offline.push(out, team)
    assert report.sent == {} and report.alike == 1 and len(report.conflicts) == 2
    assert any(line.startswith("persona ") and "changed here and on the server since the pull; kept the "
               "server's version" in line for line in report.conflicts)
    assert any("changed here, deleted on the server" in line for line in report.conflicts)
    assert "2 conflicts:" in report.summary()
    with open_team(team) as server:
        assert server.persona(a).role == "Theirs"  # type: ignore[union-attr]
    theirs = offline.push(out, team, theirs=True)
    assert len(theirs.conflicts) == 2 and all("sent yours" in line for line in theirs.conflicts)
    with open_team(team) as server:
        assert server.persona(a).role == "Mine" and server.persona(c).role == "Mine too"  # type: ignore[union-attr]
    assert offline.push(out, team).conflicts == []  # settled


def test_push_refuses_what_it_cannot_send(team: str, tmp_path: Path, pg_db: Database,
                                          person: object) -> None:
    plain = tmp_path / "plain.workbench"
    Workbench.create(plain)
    with pytest.raises(faults.NotAnOfflineCopy):
        offline.push(plain, team)
    out = tmp_path / "copy.workbench"
    offline.pull(team, out)
    other = pg_db.cluster.create_database()
    admin.init(pg_db.cluster.url(other))
    with pytest.raises(faults.NotAnOfflineCopy):
        offline.push(out, pg_db.cluster.url(other))
    pg_db.cluster.drop_database(other)
    name, password = person("rd")  # type: ignore[operator]
    admin.grant(team, name, "reader")
    reader_url = pg_db.url_for(name, password)
    offline.pull(reader_url, tmp_path / "readers.workbench")  # a reader may take a copy
    with pytest.raises(faults.NotPermitted):
        offline.push(out, reader_url)
