"""Several people on one server: conflicts instead of lost edits, the change log, NOTIFY, catching
up after a lost connection, and who else has the workbench open."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from tests.pg import Database
from tests.workbench.store.postgres.conftest import open_team
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.store.postgres.host import TeamHost
from workbench.store.postgres.live import ChangeRecord


def test_two_sessions_editing_the_same_persona_conflict(team_url: str) -> None:
    with open_team(team_url, Context(user="ana")) as ana, open_team(team_url, Context(user="ben")) as ben:
        pid = ana.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
        seen_by_ben = ben.persona(pid)
        assert seen_by_ben is not None
        ana.execute(C.UpdatePersona(pid, {"role": "CEO"}, version=seen_by_ben.version))
        with pytest.raises(errors.Conflict) as caught:
            ben.execute(C.UpdatePersona(pid, {"role": "CTO"}, version=seen_by_ben.version))
        assert caught.value.rows == (errors.ConflictingRow("persona", pid, 1, 2),)
        assert ben.persona(pid).role == "CEO"  # type: ignore[union-attr]


def test_different_rows_both_succeed_and_undo_over_someone_elses_edit_conflicts(team_url: str) -> None:
    with open_team(team_url, Context(user="ana")) as ana, open_team(team_url, Context(user="ben")) as ben:
        p1 = ana.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
        p2 = ana.execute(C.CreatePersona({"name": "Bo"})).extra["id"]
        mine = ana.execute(C.UpdatePersona(p1, {"role": "CEO"}, version=1))
        ben.execute(C.UpdatePersona(p2, {"role": "CFO"}, version=1))
        assert ana.persona(p2).role == "CFO" and ben.persona(p1).role == "CEO"  # type: ignore[union-attr]
        ben.execute(C.UpdatePersona(p1, {"story": "Ben was here."}))
        with pytest.raises(errors.Conflict):
            ana.undo(mine)
        assert ana.persona(p1).story == "Ben was here."  # type: ignore[union-attr]


def test_simultaneous_commands_on_one_row_never_lose_an_edit(team_url: str) -> None:
    """Two commands inside their transactions at the same moment: the second waits for the row lock
    and then finds the new version — a Conflict, not an overwrite."""
    with open_team(team_url, Context(user="ana")) as ana, open_team(team_url, Context(user="ben")) as ben:
        pid = ana.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
        inside = threading.Event()
        release = threading.Event()

        def slow(tx: object) -> None:
            C.UpdatePersona(pid, {"role": "from ana"}, version=1).apply(tx)  # type: ignore[arg-type]
            tx.session.flush()  # type: ignore[attr-defined]
            inside.set()
            release.wait(10)

        worker = threading.Thread(target=lambda: ana.execute(C.FunctionCommand(slow, "Slow")))  # type: ignore[arg-type]
        worker.start()
        assert inside.wait(10)
        threading.Timer(0.3, release.set).start()
        with pytest.raises(errors.Conflict):
            ben.execute(C.UpdatePersona(pid, {"role": "from ben"}, version=1))
        worker.join(10)
        assert ben.persona(pid).role == "from ana"  # type: ignore[union-attr]


def test_every_commit_is_logged_and_announced(team_url: str) -> None:
    with open_team(team_url, Context(user="ana")) as ana, open_team(team_url, Context(user="ben")) as ben:
        host = ben.host
        assert isinstance(host, TeamHost)
        listener = host.listen()
        last = host.last_seq()
        got: list[int | None] = []
        started = time.monotonic()
        waiting = threading.Thread(target=lambda: got.append(listener.wait_for_notify(5)))
        waiting.start()
        time.sleep(0.1)
        change = ana.execute(C.CreatePersona({"name": "Ada"}))
        waiting.join(6)
        assert got and got[0] is not None and got[0] > last
        assert time.monotonic() - started < 1.5
        records = host.changes_since(last)
        assert [r.label for _, r in records] == ["New Persona"]
        record: ChangeRecord = records[0][1]
        pid = change.extra["id"]
        assert record.kinds == change.kinds and record.ids("persona") == change.ids("persona") == {pid}
        assert record.created("persona") == {pid} and record.deleted("persona") == frozenset()
        assert record.who == "postgres" and record.origin != host.session and record.at.endswith("+00:00")
        ben.execute(C.UpdatePersona(pid, {"role": "x"}))
        assert host.changes_since(last) == records  # one's own changes are not news
        assert [r.label for _, r in host.changes_since(last, include_own=True)] == ["New Persona", "Edit Persona"]
        listener.close()


def test_a_lost_listener_reconnects_and_catches_up(team_url: str, pg_db: Database) -> None:
    with open_team(team_url, Context(user="ana")) as ana, open_team(team_url, Context(user="ben")) as ben:
        host = ben.host
        assert isinstance(host, TeamHost)
        listener = host.listen()
        last = host.last_seq()
        pg_db.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE "
                      f"'pwkb/{host.session}/%'")  # every connection of ben's session, the listener's too
        assert listener.wait_for_notify(1) is None and not listener.connected
        ana.execute(C.CreatePersona({"name": "While you were away"}))
        newest = listener.wait_for_notify(1)
        assert listener.connected and newest is not None and newest > last
        assert [r.label for _, r in host.changes_since(last)] == ["New Persona"]
        listener.close()


def test_presence_shows_who_else_has_it_open(team_url: str) -> None:
    with open_team(team_url, Context(user="ana")) as ana:
        assert ana.host.others() == []  # type: ignore[attr-defined]
        with open_team(team_url, Context(user="ben")) as ben:
            ben.info()
            others = ana.host.others()  # type: ignore[attr-defined]
            assert [(p.user, p.name.split("@")[0]) for p in others] == [("postgres", "ben")]
            assert others[0].session == ben.host.session  # type: ignore[attr-defined]
        time.sleep(0.2)
        assert ana.host.others() == []  # type: ignore[attr-defined]


def test_the_log_cannot_be_forged_by_a_client(team_url: str, person: object, pg_db: Database) -> None:
    from workbench.store.postgres import admin

    name, password = person("ed")  # type: ignore[operator]
    admin.grant(team_url, name, "editor")
    with open_team(pg_db.url_for(name, password)) as ed:
        with pytest.raises(Exception) as caught, ed.store.session(write=True) as s:
            s.execute(text("INSERT INTO pwkb_changes (who, label) VALUES ('the boss', 'forged')"))
        assert ed.store.failure(caught.value, writing=True).__class__.__name__ == "NotPermitted"
