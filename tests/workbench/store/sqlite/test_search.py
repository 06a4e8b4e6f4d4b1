"""Full-text search: ranked, snippets, any script (CJK inside a sentence), safe with FTS syntax."""

from __future__ import annotations

import pytest

from workbench.domain.values import HIT_END, HIT_START
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite.search import build_query


@pytest.fixture
def filled(wb: Workbench) -> Workbench:
    pid = wb.execute(C.CreatePersona({"name": "Hank Ellison", "story": "Third-generation fertilizer CEO in Knoxville",
                                      "location": "Knoxville"})).extra["id"]
    cid = wb.channels()[0].id
    wb.execute(C.CreateMessage(pid, cid, "awareness", {"headline": "契約ではなく書類", "body": "我们的合同很好，请签字。"}))
    wb.execute(C.CreateMessage(pid, cid, "decision", {"headline": "Ελληνικά", "body": "Привет, мир — مرحبا بالعالم — שלום"}))
    wb.execute(C.CreateObjection(pid, "Too expensive for a small co-op", "Compare it with one lost load"))
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork", "Legal words scare family firms"))
    return wb


@pytest.mark.parametrize(("query", "kind"), [
    ("knoxville", "persona"), ("fertiliz", "persona"), ("合同", "message"), ("書類", "message"),
    ("мир", "message"), ("بالعالم", "message"), ("שלום", "message"), ("ελληνικά", "message"),
    ("expensive", "objection"), ("scare", "term"), ("Co-op", "objection"),
])
def test_finds_words_in_any_script(filled: Workbench, query: str, kind: str) -> None:
    hits = filled.search(query)
    assert hits, query
    assert hits[0].kind == kind


def test_snippets_mark_the_hit(filled: Workbench) -> None:
    hit = filled.search("合同")[0]
    assert f"{HIT_START}合同{HIT_END}" in hit.snippet
    hit = filled.search("knoxville")[0]
    assert HIT_START in hit.snippet


def test_fts_syntax_in_input_is_literal(filled: Workbench) -> None:
    for nasty in ['"', "AND OR NOT", "a*b", "NEAR(", "col:value", "^", "'; DROP TABLE personas; --"]:
        filled.search(nasty)  # never raises
    assert filled.persona_count() == 1
    assert build_query("") == "" and build_query("  ") == ""


def test_ranked_and_bounded(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "P"})).extra["id"]
    cid = wb.channels()[0].id
    for i in range(30):
        body = "paperwork " * (1 + i % 5) + f"item{i}"
        wb.execute(C.CreateMessage(pid, cid, "awareness", {"body": body}))
    hits = wb.search("paperwork", limit=10)
    assert len(hits) == 10
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_index_follows_edits_and_deletes(filled: Workbench) -> None:
    pid = filled.find_persona("Hank Ellison").id  # type: ignore[union-attr]
    filled.execute(C.UpdatePersona(pid, {"location": "Chattanooga"}))
    assert filled.search("chattanooga")
    filled.execute(C.DeletePersona(pid))
    assert filled.search("chattanooga") == []
    assert filled.search("合同") == []
