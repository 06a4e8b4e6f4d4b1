"""The server's search index: queries built from words only, bounded in time and size."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.workbench.store.postgres.conftest import open_team
from workbench.edit import commands as C
from workbench.store.postgres import search


def test_queries_are_made_of_words_only() -> None:
    assert search.build_query("Müller") == "('muller':*)"
    assert search.build_query("Straße sales ") == "('strasse') & ('sales')"
    assert search.build_query("合同") == "('合' <-> '同')"
    assert search.build_query("3.14 a_b") == "('3') & ('14') & ('a' <-> 'b':*)"
    for typed in ["", "!!!", "&|<->:*()", "'", '"']:
        assert search.build_query(typed) == ""
    assert search.build_query("x' | 'y") == "('x') & ('y':*)"
    assert search.candidate_query("privacy policy") == "'privacy' <-> 'polic':*"
    assert search.candidate_query("合同") == "'合' <-> '同'" and search.candidate_query("--") is None


def test_a_slow_query_answers_nothing_and_the_transaction_goes_on(team_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SEARCH_BUDGET_MS", 50)
    with open_team(team_url) as wb, wb.store.session(write=True) as s:
        index = wb.store.search(s)
        assert index._bounded_rows("SELECT pg_sleep(2)", {}) is None
        assert index._bounded_rows("SELECT 1", {}) == [(1,)]
        assert s.execute(text("SELECT current_setting('statement_timeout')")).scalar() == "0"


def test_a_huge_text_is_indexed_within_the_tsvector_limit(team_url: str) -> None:
    words = " ".join(f"w{i:07d}" for i in range(250_000))  # ≈ 2 MB of distinct words
    with open_team(team_url) as wb:
        pid = wb.execute(C.CreatePersona({"name": "Verbose", "story": "needle " + words})).extra["id"]
        assert [h.item_id for h in wb.search("needle")] == [pid]
        assert [h.item_id for h in wb.search("w0000001")] == [pid]


def test_candidates_for_lingo_rechecks(team_url: str) -> None:
    with open_team(team_url) as wb:
        wb.defer_rechecks_over = 0  # every re-check waits for run_recheck, which asks the index
        pid = wb.execute(C.CreatePersona({"name": "Ada"})).extra["id"]
        channel = wb.channels()[0].id
        hit = wb.execute(C.CreateMessage(pid, channel, values={"body": "Read our policies."})).extra["id"]
        miss = wb.execute(C.CreateMessage(pid, channel, values={"body": "Nothing here."})).extra["id"]
        wb.execute(C.CreateTerm("policy", "avoid", "rules"))
        assert wb.recheck_pending
        assert wb.run_recheck() == {hit}
        assert wb.message(hit).breach_count == 1 and wb.message(miss).breach_count == 0  # type: ignore[union-attr]
