"""The coverage matrix: persona × channel × stage → none / draft / in review / approved / breach."""

from __future__ import annotations

from workbench import commands as C
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
    assert m.state(pid, ch["Direct mail"]) == "approved"
    gaps = [p for p in wb.problems() if p.kind == "gap"]
    assert [p.channel_id for p in gaps] == [ch["PR"]]
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

    from workbench import queries
    from workbench.model import Message

    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    mid = wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": "contract"})).extra["id"]
    assert [p.message_id for p in wb.problems() if p.kind == "breach"] == [mid]
    with wb.engine.begin() as conn:  # a stale cache (never written by our commands) …
        conn.execute(update(Message).values(breach_count=0))
    assert [p for p in wb.problems() if p.kind == "breach"] == []
    assert [p.message_id for p in wb.read(queries.problems, True) if p.kind == "breach"] == [mid]  # … check sees it
