"""The optimised read paths give the same answers as the straightforward ones (correctness, not timing).

Coverage is decoded lazily per persona, persona lists page by key, search ranks before it makes
snippets and rewrites prefix queries for snippets, and ``candidate_ids`` must find a superset of the
messages the lingo check can flag. Each is compared here with a plain reference implementation.
"""

from __future__ import annotations

import pickle
import random
import sqlite3
from typing import Any

import pytest
from sqlalchemy import select

from workbench.domain import errors, searchtext
from workbench.domain.lingo import Checker, LingoTerm
from workbench.domain.values import HIT_END, HIT_START, Context
from workbench.edit import commands as C
from workbench.edit.derived import rebuild_search
from workbench.schema.model import STAGES, Base, Message
from workbench.session import Workbench
from workbench.store.sqlite import search
from workbench.store.sqlite.store import driver_connection
from workbench.store.unit import Tx

WORDS = "paperwork season grower contractor the then there theatre théâtre dispatch 客户 πελάτης co-op".split()
#: Words the lingo check flags (an avoid term, a don't), used in a quarter of the messages.
BREACHING = ("contract", "contracts", "Contract's", "synergy", "synergies", "QR code", "qr-code", "合同")


def _reference_cells(wb: Workbench) -> dict[tuple[str, str, str], str]:
    """The matrix rule, row by row (what ``coverage`` computed before it was optimised)."""
    rank = {"none": 0, "draft": 1, "in_review": 2, "approved": 3}
    cells: dict[tuple[str, str, str], str] = {}
    with wb.reading() as s:
        for m in s.scalars(select(Message).where(Message.status != "retired")):
            key = (m.persona_id, m.channel_id, m.stage)
            if m.breach_count and not (m.status == "approved" and m.override_reason):
                cells[key] = "breach"
                continue
            if cells.get(key) == "breach":
                continue
            state = "approved" if (m.status == "approved" or m.in_force_revision_id) else m.status
            if rank.get(state, 0) > rank.get(cells.get(key, "none"), 0):
                cells[key] = state
    return cells


@pytest.fixture
def busy(wb: Workbench) -> Workbench:
    """A seeded workbench with every message state, breaches, overrides and two messages per cell."""
    rng = random.Random(7)
    wb.execute(C.CreateTerm("contract", "avoid", "paperwork", ""))
    channels = [c.id for c in wb.channels()]
    for p in range(8):
        pid = wb.execute(C.CreatePersona({"name": rng.choice(["ann", "Bob", "ÉVA", "zed", "Ann"]) + f" {p}",
                                          "dont": ["Don't say \"synergy\""]})).extra["id"]
        for _ in range(10):
            words = [rng.choice(WORDS) for _ in range(12)]
            if rng.random() < 0.25:
                words[rng.randrange(12)] = rng.choice(BREACHING)
            body = " ".join(words)
            mid = wb.execute(C.CreateMessage(pid, rng.choice(channels), rng.choice(STAGES[:3]),
                                             {"body": body})).extra["id"]
            status = rng.choice(["draft", "in_review", "approved", "retired", "approved"])
            if status == "draft":
                continue
            try:
                reason = "client's own words" if rng.random() < 0.5 else ""
                wb.execute(C.SetMessageStatus(mid, status, override_reason=reason))
            except errors.WorkbenchError:  # e.g. a breach without an override: stays as it is
                pass
            if status == "approved" and rng.random() < 0.4:  # a draft over approved text
                wb.execute(C.UpdateMessage(mid, {"body": body + " revised"}))
    return wb


def test_coverage_cells_match_the_reference(busy: Workbench) -> None:
    expected = _reference_cells(busy)
    assert {"draft", "in_review", "approved", "breach"} <= set(expected.values())
    m = busy.coverage()
    for key, state in expected.items():  # lazy lookups first, one persona at a time
        assert m.cells.get(key) == state
        assert m.state(*key) == state
    assert m.cells.get(("nobody", "x", "awareness"), "none") == "none"
    assert dict(busy.coverage().cells) == expected  # whole-dict paths decode everything
    assert busy.coverage().cells == expected
    assert len(busy.coverage().cells) == len(expected)
    assert sorted(busy.coverage().cells.items()) == sorted(expected.items())
    assert pickle.loads(pickle.dumps(busy.coverage().cells)) == expected
    found = {state: sum(1 for v in expected.values() if v == state)
             for state in ("draft", "in_review", "approved", "breach")}
    cells = len(busy.persona_summaries()) * len(busy.channels()) * len(STAGES)  # nobody avoids a channel
    assert busy.coverage_counts() == {"none": cells - sum(found.values()), **found}


def test_coverage_cells_mutate_like_a_dict(busy: Workbench) -> None:
    cells = busy.coverage().cells
    key = next(iter(_reference_cells(busy)))
    cells[("p", "c", "awareness")] = "draft"
    assert cells[("p", "c", "awareness")] == "draft" and key in cells
    del cells[key]
    assert key not in cells


def test_coverage_with_unknown_channel_or_stage_rows(busy: Workbench) -> None:
    """Rows a hand-edited file might hold (a stage we do not know) still count, by the same rule."""
    with busy.store.session(write=True) as s:
        rows = busy.store.rows(s)
        mid = rows("SELECT id FROM messages WHERE status = 'draft' LIMIT 1")[0][0]
        rows("UPDATE messages SET stage = 'someday' WHERE id = :id", {"id": mid})
    assert busy.coverage().cells == _reference_cells(busy)


def test_persona_paging_paths_agree(busy: Workbench) -> None:
    everyone = busy.persona_summaries()
    assert [p.name.lower() for p in everyone] == sorted(p.name.lower() for p in everyone)
    order = busy.persona_order()
    assert order == [p.id for p in everyone]
    paged = [p for start in range(0, len(order), 5) for p in busy.persona_summaries_for(order[start:start + 5])]
    assert paged == everyone
    assert [p for o in range(0, len(order), 5) for p in busy.persona_summaries(o, 5)] == everyone
    assert busy.persona_summaries(3, 0) == [] and busy.persona_summaries(len(order) + 5, 5) == []
    assert busy.persona_summaries_for(["missing", order[1], order[0]]) == everyone[1::-1]


def test_search_prefix_snippets_mark_whole_words(busy: Workbench) -> None:
    for typed, stem in (("contr", "contr"), ("thé", "the"), ("qr co", "co"), ("合", "合")):
        hits = busy.search(typed)
        assert hits, typed
        for hit in hits:
            marked = hit.snippet.split(HIT_START)[1:]
            assert marked, (typed, hit)
            assert any(searchtext.fold_text(part.split(HIT_END)[0]).startswith(stem) for part in marked)


def test_search_common_word_uses_the_whole_word_when_it_fills_the_cap(busy: Workbench,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "RANK_CAP", 5)
    with busy.reading() as s:
        raw = driver_connection(s)
        query, _parts, prefixed = search._bounded_query(raw, "the")
        assert (query, prefixed) == ('"the"', False)
        query, _parts, prefixed = search._bounded_query(raw, "synerg")
        assert (query, prefixed) == ('"synerg"*', True)
    hits = busy.search("the", limit=3)
    assert len(hits) == 3 and [h.rank for h in hits] == sorted(h.rank for h in hits)


def test_search_kinds_and_limits(busy: Workbench) -> None:
    assert busy.search("paperwork", kinds=("term",))[0].kind == "term"
    assert all(h.kind == "message" for h in busy.search("paperwork", kinds=("message",)))
    assert len(busy.search("the", limit=4)) == 4


@pytest.mark.parametrize("term", ["contract", "synergy", "QR code", "合同", "co-op", "théâtre"])
def test_candidate_ids_cover_every_breach(busy: Workbench, term: str) -> None:
    check = Checker([LingoTerm("t", term, "avoid")])
    with busy.reading() as s:
        flagged = {m.id for m in s.scalars(select(Message))
                   if any(check.check_text(getattr(m, f), f) for f in ("headline", "body", "call_to_action"))}
    with busy.reading() as s:
        index = busy.store.search(s)
        found = index.candidate_ids([term], "message")
        assert index.candidate_ids(["!!"], "message") is None
    assert found is not None
    assert flagged <= found
    if term in ("contract", "synergy", "QR code"):
        assert flagged


def test_coverage_without_channels(wb: Workbench) -> None:
    for channel in wb.channels():
        wb.execute(C.DeleteChannel(channel.id))
    m = wb.coverage()
    assert m.channels == () and m.cells == {}


def _index_rows(raw: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return (raw.execute("SELECT rowid, kind, item_id FROM search_docs ORDER BY rowid").fetchall()
            + raw.execute("SELECT rowid, title, body FROM search_index ORDER BY rowid").fetchall())


def test_put_many_is_put_one_by_one() -> None:
    """Same rowids and texts: for new items (the bulk path) and when one is indexed already or
    listed twice (each then goes through ``put``)."""
    one, many = sqlite3.connect(":memory:"), sqlite3.connect(":memory:")
    rng = random.Random(3)
    for conn in (one, many):
        search.create(conn)
        for n in range(6):
            search.put(conn, "message", f"old{n}", f"old {n}", "body")
        search.remove(conn, "old5")  # the largest rowid gone: the next one is reused, as put does
        search.remove(conn, "old2")
    batches = [
        [("message", f"m{n}", " ".join(rng.choice(WORDS) for _ in range(5)), "合同 body") for n in range(40)],
        [("persona", "p1", "Ann", "story"), ("message", "old3", "re-indexed", ""), ("term", "t1", "合同", "")],
        [("term", "t2", "a", ""), ("term", "t2", "b", "")],
        [],
    ]
    for batch in batches:
        for doc in batch:
            search.put(one, *doc)
        search.put_many(many, batch)
        assert _index_rows(many) == _index_rows(one)
    assert any(searchtext.index_text("合同") == row[1] for row in _index_rows(many))


def test_refresh_derived_indexes_what_a_rebuild_would(busy: Workbench) -> None:
    index_sql = ("SELECT d.item_id, d.kind, f.title, f.body FROM search_docs AS d "
                 "JOIN search_index AS f ON f.rowid = d.rowid")
    with busy.store.session(write=True) as s:
        rows = busy.store.rows(s)
        incremental = {row[0]: tuple(row[1:]) for row in rows(index_sql)}
        rebuild_search(Tx(s, busy.ctx, search=busy.store.search(s), rows=rows))
        rebuilt = {row[0]: tuple(row[1:]) for row in rows(index_sql)}
    assert incremental == rebuilt and len(rebuilt) > 80


def test_tx_reads_rows_as_select_does(busy: Workbench, png_bytes: bytes) -> None:
    pid = busy.persona_summaries()[0].id
    busy.execute(C.SetPortrait(pid, png_bytes))
    busy.execute(C.UpdatePersona(pid, {"tags": ["合同", "a"], "technology_comfort": 3}))
    busy.execute(C.CreateObjection(pid, "Too dear"))
    with busy.store.session() as session:
        tx = Tx(session, Context(), search=busy.store.search(session), rows=busy.store.rows(session))
        for table in Base.metadata.sorted_tables:
            expected = {r["id"]: dict(r) for r in session.connection().execute(select(table)).mappings()}
            assert expected, table.name
            got = tx.read_rows(table.name, [*expected, "missing"])
            assert got == expected and all(list(got[k]) == list(expected[k]) for k in got)
