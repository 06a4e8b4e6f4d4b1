"""The coverage matrix: persona × channel × stage → none / draft / in review / approved / breach."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.orm import Session

from workbench.domain.values import COVERAGE_STATES, PARTIAL
from workbench.edit import commands as C
from workbench.read import coverage as read_coverage
from workbench.session import Workbench


def test_matrix_states(wb: Workbench) -> None:
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    pid = wb.execute(C.CreatePersona({"name": "Hank", "status": "approved",
                                      "preferred_channels": ["Direct mail", "PR"]})).extra["id"]
    ch = {c.name: c.id for c in wb.channels()}

    def message(channel: str, stage: str, body: str) -> str:
        return wb.execute(C.CreateMessage(pid, ch[channel], stage, {"body": body})).extra["id"]

    draft = message("Ads", "awareness", "Hello")
    review = message("PR", "awareness", "News")
    wb.execute(C.SetMessageStatus(review, "in_review"))
    approved = message("Direct mail", "decision", "Letter")
    wb.execute(C.SetMessageStatus(approved, "approved"))
    message("Sales script", "decision", "Sign the contract")
    retired = message("Sales script", "retention", "Old")
    wb.execute(C.SetMessageStatus(retired, "retired"))
    m = wb.coverage()
    assert m.state(pid, ch["Ads"], "awareness") == "draft"
    assert m.state(pid, ch["PR"], "awareness") == "in_review"
    assert m.state(pid, ch["Direct mail"], "decision") == "approved"
    assert m.state(pid, ch["Sales script"], "decision") == "breach"
    assert m.state(pid, ch["Sales script"], "retention") == "none"
    assert m.state(pid, ch["Ads"], "decision") == "none"
    assert m.state(pid, ch["Sales script"]) == "breach"
    # All stages (issue 14's one definition of coverage): one approved stage of four is partial, not
    # approved, and the preferred channel keeps a gap for the stages still without approved text.
    assert m.state(pid, ch["Direct mail"]) == PARTIAL and m.approved_stages(pid, ch["Direct mail"]) == 1
    gaps = {p.channel_id: p.text for p in wb.problems() if p.kind == "gap"}
    assert set(gaps) == {ch["PR"], ch["Direct mail"]}
    assert "at any stage" in gaps[ch["PR"]]
    assert "for awareness, consideration, retention" in gaps[ch["Direct mail"]]
    assert draft


def test_draft_over_approved_text_still_counts_as_approved(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": "v1"})).extra["id"]
    wb.execute(C.SetMessageStatus(mid, "approved"))
    wb.execute(C.UpdateMessage(mid, {"body": "v2"}))
    assert wb.coverage().state(pid, cid, "awareness") == "approved"


def test_override_approved_breach_is_not_a_breach_cell(wb: Workbench) -> None:
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": "contract"})).extra["id"]
    assert wb.coverage().state(pid, cid, "awareness") == "breach"
    wb.execute(C.SetMessageStatus(mid, "approved", override_reason="legal"))
    assert wb.coverage().state(pid, cid, "awareness") == "approved"


def test_sample_matrix_in_one_call(sample: Workbench) -> None:
    m = sample.coverage()
    assert len(m.personas) == 4 and len(m.channels) == 5 and len(m.stages) == 4
    states = set(m.cells.values())
    assert {"approved", "breach"} <= states


def test_problems_use_cached_counts_and_check_is_fresh(wb: Workbench) -> None:
    from sqlalchemy import update

    from workbench.schema.model import Message

    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": "contract"})).extra["id"]
    assert [p.message_id for p in wb.problems() if p.kind == "breach"] == [mid]
    with wb.store.session(write=True) as s:  # a stale cache (never written by our commands) …
        s.execute(update(Message).values(breach_count=0))
    assert [p for p in wb.problems() if p.kind == "breach"] == []
    assert [p.message_id for p in wb.problems(fresh=True) if p.kind == "breach"] == [mid]  # … check sees it


def _seeded(wb: Workbench) -> list[str]:
    """Five personas with every cell state, two messages in one cell, a retired one and an override."""
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    ch = [c.id for c in wb.channels()]
    pids = [wb.execute(C.CreatePersona({"name": name})).extra["id"]
            for name in ("Wanda", "ann", "Bob", "Zed", "Éva")]

    def message(p: int, c: int, stage: str, body: str, status: str = "draft", override: str = "") -> None:
        mid = wb.execute(C.CreateMessage(pids[p], ch[c], stage, {"body": body})).extra["id"]
        if status != "draft":
            wb.execute(C.SetMessageStatus(mid, status, override_reason=override))

    message(0, 0, "awareness", "Hello")
    message(0, 0, "awareness", "Hello again", "approved")  # two in one cell: the better counts
    message(0, 1, "decision", "Sign the contract")  # breach
    message(0, 1, "awareness", "Fine", "approved")  # the channel across stages: breach wins
    message(1, 2, "consideration", "News", "in_review")
    message(1, 3, "retention", "Old", "retired")
    message(2, 0, "decision", "The contract", "approved", override="legal said so")
    message(3, 3, "awareness", "Hi", "approved")
    return pids


def test_coverage_for_gives_the_rows_of_the_whole_matrix(wb: Workbench) -> None:
    pids = _seeded(wb)
    full = wb.coverage()
    order = [p.id for p in full.personas]
    asked = [order[3], order[0], "no-such-persona", order[3], order[1]]
    part = wb.coverage_for(asked)
    assert [p.id for p in part.personas] == [order[3], order[0], order[1]]  # as asked, once, known only
    assert part.personas == (full.personas[3], full.personas[0], full.personas[1])
    assert part.channels == full.channels and part.stages == full.stages
    for pid in (order[3], order[0], order[1]):
        for c in full.channels:
            for stage in (None, *full.stages):
                assert part.state(pid, c.id, stage) == full.state(pid, c.id, stage)
    assert {key[0] for key in part.cells} <= {order[3], order[0], order[1]}
    assert wb.coverage_for([]).personas == ()
    assert pids


def test_coverage_for_searches_the_covering_index(wb: Workbench) -> None:
    pids = _seeded(wb)
    statements: list[str] = []

    def traced(s: Session) -> list[str]:
        conn = s.connection().connection.driver_connection
        assert conn is not None
        conn.set_trace_callback(statements.append)
        try:
            read_coverage.coverage_for(wb.store.rows(s), pids[:2])
        finally:
            conn.set_trace_callback(None)
        cell_query = next(q for q in statements if "FROM messages" in q)
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + cell_query)]

    plan = wb.read(traced)
    assert any("COVERING INDEX ix_messages_coverage (persona_id=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN messages") for step in plan), plan


def test_coverage_summary_counts_what_the_matrix_shows(wb: Workbench) -> None:
    _seeded(wb)
    full = wb.coverage()
    summary = wb.coverage_summary()
    assert (summary.personas, summary.channels) == (len(full.personas), len(full.channels))
    cells = len(full.personas) * len(full.channels)  # one stage's cells (nobody avoids a channel here)
    assert summary.total("awareness") == cells and summary.total() == cells * len(full.stages)
    everywhere: Counter[str] = Counter()
    for stage in full.stages:
        shown = Counter(full.state(p.id, c.id, stage) for p in full.personas for c in full.channels)
        everywhere.update(shown)
        assert {state: summary.count(state, stage) for state in COVERAGE_STATES} == \
            {state: shown.get(state, 0) for state in COVERAGE_STATES}, stage
    # All stages together count the same cells as the stages they are made of (issue 14).
    assert {state: summary.count(state) for state in COVERAGE_STATES} == \
        {state: everywhere.get(state, 0) for state in COVERAGE_STATES}
    assert summary.count("breach") == 1 and summary.count("approved") == 4
    assert summary.count("none", "no-such-stage") == cells


def test_coverage_summary_of_an_empty_workbench(wb: Workbench) -> None:
    summary = wb.coverage_summary()
    assert summary.personas == 0 and summary.total() == 0 and summary.total("awareness") == 0
    assert all(summary.count(state) == 0 for state in COVERAGE_STATES)
