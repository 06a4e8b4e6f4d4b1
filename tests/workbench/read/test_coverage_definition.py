"""One definition of coverage — persona × channel × stage, avoided channels left out — behind the
matrix, its totals, ``info``, the problems (and so ``check`` and the status bar)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.values import AVOIDED, PARTIAL, Context, problems_summary
from workbench.edit import commands as C
from workbench.schema.fileformat import STAGES
from workbench.session import Workbench


@pytest.fixture
def wb(tmp_path: Path, ctx: Context) -> Iterator[Workbench]:
    path = tmp_path / "w.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as bench:
        yield bench


def _approved(wb: Workbench, pid: str, cid: str, stage: str, text: str = "Hello") -> str:
    mid = wb.execute(C.CreateMessage(pid, cid, stage, {"headline": text})).extra["id"]
    wb.execute(C.SetMessageStatus(mid, "approved"))
    return str(mid)


def test_one_approved_stage_does_not_make_the_pair_approved(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    ads = wb.channels()[0].id
    _approved(wb, pid, ads, "awareness")
    matrix = wb.coverage()
    assert matrix.state(pid, ads, "awareness") == "approved"
    assert matrix.state(pid, ads) == PARTIAL  # not "approved": three stages have nothing
    assert matrix.approved_stages(pid, ads) == 1
    for stage in STAGES[1:]:
        _approved(wb, pid, ads, stage)
    assert wb.coverage().state(pid, ads) == "approved"


def test_the_totals_count_the_same_cells_for_every_stage_filter(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    ads = wb.channels()[0].id
    _approved(wb, pid, ads, "awareness")
    summary = wb.coverage_summary()
    channels = len(wb.channels())
    assert summary.total("awareness") == channels
    assert summary.total() == channels * len(STAGES)
    assert summary.count("approved", "awareness") == 1
    assert summary.count("approved") == 1  # all stages: still one approved cell, never a whole pair
    assert summary.count("approved") == sum(summary.count("approved", st) for st in STAGES)
    assert wb.coverage_counts()["approved"] == 1
    assert sum(wb.coverage_counts().values()) == summary.total()


def test_avoided_channels_are_not_cells(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada", "avoid_channels": ["ads"]})).extra["id"]
    ads = wb.channels()[0].id
    assert wb.coverage().state(pid, ads, "awareness") == AVOIDED
    assert wb.coverage_for([pid]).state(pid, ads) == AVOIDED
    summary = wb.coverage_summary()
    assert summary.avoided_pairs == 1
    assert summary.total() == (len(wb.channels()) - 1) * len(STAGES)
    mid = wb.execute(C.CreateMessage(pid, ads, "awareness", {"headline": "Hi"})).extra["id"]
    assert wb.coverage_summary().total() == summary.total()  # a message there adds no cell
    found = [p for p in wb.problems(fresh=True) if p.message_id == mid]
    assert [p.kind for p in found] == ["channel"]  # its own kind of problem, not a lingo breach
    assert found[0].blocking and "avoids the Ads channel" in found[0].text


def test_gaps_are_the_preferred_channels_cells_without_approved_text(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada", "preferred_channels": ["Ads"], "status": "approved"})).extra["id"]
    ads = wb.channels()[0].id
    _approved(wb, pid, ads, "awareness")
    gaps = [p for p in wb.problems() if p.kind == "gap"]
    assert len(gaps) == 1 and "consideration, decision, retention" in gaps[0].text
    for stage in STAGES[1:]:
        _approved(wb, pid, ads, stage)
    assert [p for p in wb.problems() if p.kind == "gap"] == []


def test_an_edited_approved_message_still_counts_as_approved(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    ads = wb.channels()[0].id
    mid = _approved(wb, pid, ads, "awareness")
    wb.execute(C.UpdateMessage(mid, {"body": "A new draft of it"}))
    counts = wb.counts()
    assert counts.messages["approved"] == 1 and counts.messages["draft"] == 0
    assert counts.pending_drafts == 1
    assert wb.coverage().state(pid, ads, "awareness") == "approved"


def test_breaches_say_where_they_are_and_the_summary_is_one_count(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork"))
    wb.execute(C.CreateMessage(pid, wb.channels()[0].id, values={"headline": "The contract",
                                                                  "body": "Sign the contract"}))
    found = wb.problems()
    texts = [p.text for p in found if p.kind == "breach"]
    assert len(texts) == 2 and len(set(texts)) == 2  # headline and body, told apart
    assert any("(headline)" in t for t in texts) and any("(body)" in t for t in texts)
    assert problems_summary(found) == "2 problems: 2 lingo breaches"
