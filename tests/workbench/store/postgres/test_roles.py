"""Roles are enforced by the server itself: readers read, editors write drafts, only approvers and
admins approve, ``approved_by`` is the database user who did it — whatever a client sends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import insert, update

from tests.pg import Database
from tests.workbench.store.postgres.conftest import open_team
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.schema.model import Message
from workbench.session import Workbench
from workbench.store.postgres import admin, faults

Person = Callable[[str], tuple[str, str]]


def _as(pg_db: Database, level: str, person: Person, team_url: str, ctx_user: str | None = None) -> Workbench:
    name, password = person(level[:3])
    admin.grant(team_url, name, level)
    return open_team(pg_db.url_for(name, password), Context(user=ctx_user) if ctx_user else None)


@pytest.fixture
def draft(team_url: str) -> tuple[str, str]:
    """A persona with one draft message (made by the superuser): ``(persona id, message id)``."""
    with open_team(team_url) as wb:
        pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
        mid = wb.execute(C.CreateMessage(pid, wb.channels()[0].id, values={"headline": "Hi"})).extra["id"]
    return pid, mid


def test_a_reader_only_reads(team_url: str, pg_db: Database, person: Person, draft: tuple[str, str]) -> None:
    with _as(pg_db, "reader", person, team_url) as wb:
        assert wb.readonly and wb.persona(draft[0]) is not None
        with pytest.raises(errors.ReadOnlySession):
            wb.execute(C.UpdatePersona(draft[0], {"role": "x"}))
        wb.host._readonly = False  # type: ignore[attr-defined]  # a client that ignores what it was told
        with pytest.raises(faults.NotPermitted):
            wb.execute(C.UpdatePersona(draft[0], {"role": "x"}))
        assert wb.persona(draft[0]).role == ""  # type: ignore[union-attr]


def test_an_editor_writes_but_cannot_approve(team_url: str, pg_db: Database, person: Person,
                                             draft: tuple[str, str]) -> None:
    pid, mid = draft
    with _as(pg_db, "editor", person, team_url) as wb:
        assert not wb.readonly
        wb.execute(C.UpdateMessage(mid, {"body": "Edited by the editor."}))
        with pytest.raises(faults.NotPermitted) as caught:
            wb.execute(C.SetMessageStatus(mid, "approved"))
        assert "approvers" in str(caught.value)
        assert wb.message(mid).status == "draft"  # type: ignore[union-attr]
        t = Message.__table__
        forged = {"id": "11111111-1111-4111-8111-111111111111", "persona_id": pid, "channel_id": wb.channels()[0].id,
                  "stage": "awareness", "headline": "", "body": "", "call_to_action": "", "notes": "",
                  "status": "approved", "approved_by": "the boss", "approved_at": "2020-01-01T00:00:00+00:00",
                  "override_reason": "", "in_force_revision_id": None, "breach_count": 0, "created_at": "",
                  "created_by": "", "updated_at": "", "updated_by": "", "version": 1}
        with pytest.raises(faults.NotPermitted):
            wb.execute(C.FunctionCommand(lambda tx: tx.session.connection().execute(insert(t), forged), "Forge"))
        assert wb.message(forged["id"]) is None


def test_an_approver_approves_and_the_server_says_who(team_url: str, pg_db: Database, person: Person,
                                                      draft: tuple[str, str]) -> None:
    _pid, mid = draft
    with _as(pg_db, "approver", person, team_url, ctx_user="pretending-to-be-the-ceo") as wb:
        approver = wb.host.user  # type: ignore[attr-defined]
        change = wb.execute(C.SetMessageStatus(mid, "approved"))
        m = wb.message(mid)
        assert m is not None and m.status == "approved" and m.approved_by == approver
        assert m.approved_at != "" and not m.approved_at.startswith("2026-03")  # the server's clock
        assert next(img for img in change.after if img.id == mid).values["approved_by"] == approver  # type: ignore[index]
    with _as(pg_db, "editor", person, team_url) as ed:
        edit = ed.execute(C.UpdateMessage(mid, {"headline": "A new draft"}))  # the approved text stays in force
        assert ed.message(mid).in_force.approved_by == approver  # type: ignore[union-attr]
        ed.undo(edit)  # putting back a genuine approval is not approving
        assert ed.message(mid).status == "approved"  # type: ignore[union-attr]
        t = Message.__table__
        with pytest.raises(faults.NotPermitted):  # but changing approved text in place is
            ed.execute(C.FunctionCommand(lambda tx: tx.session.connection().execute(
                update(t).where(t.c.id == mid).values(body="Sneaky")), "Sneak"))
        assert ed.message(mid).body == ""  # type: ignore[union-attr]


def test_admins_grant_and_others_cannot(team_url: str, pg_db: Database, person: Person) -> None:
    boss, boss_pw = person("boss")
    admin.grant(team_url, boss, "admin")
    worker, worker_pw = person("wrk")
    admin.grant(pg_db.url_for(boss, boss_pw), worker, "editor")
    with open_team(pg_db.url_for(worker, worker_pw)) as wb:
        assert not wb.readonly and wb.host.level == "editor"  # type: ignore[attr-defined]
    admin.grant(pg_db.url_for(boss, boss_pw), worker, "reader")  # a level replaces the one before
    with open_team(pg_db.url_for(worker, worker_pw)) as wb:
        assert wb.readonly and wb.host.level == "reader"  # type: ignore[attr-defined]
    with pytest.raises(faults.NotPermitted):
        admin.grant(pg_db.url_for(worker, worker_pw), worker, "admin")
    with pytest.raises(faults.UnknownRole):
        admin.grant(team_url, "nobody_at_all", "editor")
    with pytest.raises(errors.ValidationError):
        admin.grant(team_url, worker, "overlord")


def test_a_role_without_rights_is_refused(team_url: str, pg_db: Database, person: Person) -> None:
    name, password = person("nob")
    with pytest.raises(faults.NotPermitted) as caught:
        open_team(pg_db.url_for(name, password))
    assert password not in str(caught.value)
    pg_db.execute(f'GRANT CONNECT ON DATABASE "{pg_db.name}" TO "{name}"')  # in, but no rights on the tables
    with pytest.raises(faults.NotPermitted):
        open_team(pg_db.url_for(name, password))
