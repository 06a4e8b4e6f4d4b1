"""Lingo re-checks too big for one edit are left for later, done on demand, and never lost."""

from __future__ import annotations

import contextlib
from pathlib import Path

from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.edit.derived import recompute_breaches
from workbench.session import Workbench
from workbench.store.sqlite import storage
from workbench.store.unit import Tx


def _counts(wb: Workbench) -> dict[str, int]:
    return {m.id: m.breach_count for m in wb.messages()}


class _Discard(Exception):
    """Raised to roll a throw-away transaction back."""


def _fresh_counts(wb: Workbench) -> dict[str, int]:
    """What a full re-check from scratch gives, without changing the file."""
    store = wb.store
    counts: dict[str, int] = {}
    with contextlib.suppress(_Discard), store.session(write=True) as s:
        recompute_breaches(Tx(s, wb.ctx, search=store.search(s), rows=store.rows(s)), None)
        counts.update((mid, int(n)) for mid, n in store.rows(s)("SELECT id, breach_count FROM messages"))
        raise _Discard  # roll the recount back: the file keeps what the session left
    return counts


def _with_messages(wb: Workbench, n: int = 6) -> list[str]:
    pid = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
    cid = wb.channels()[0].id
    stages = ("awareness", "consideration", "decision", "retention")
    ids = []
    for i in range(n):
        ch = wb.channels()[i // 4].id if i >= 4 else cid
        ids.append(wb.execute(C.CreateMessage(pid, ch, stages[i % 4], {"body": f"Sign the widget form {i}"})).extra["id"])
    return ids


def test_big_recheck_is_left_for_later_then_done(wb: Workbench) -> None:
    ids = _with_messages(wb)
    wb.defer_rechecks_over = 3  # more than three messages: later
    term = wb.execute(C.CreateTerm("widget", "avoid", "gadget"))
    assert not term.empty and wb.recheck_pending
    assert all(n == 0 for n in _counts(wb).values())  # not yet counted
    changed = wb.run_recheck()
    assert changed == frozenset(ids) and not wb.recheck_pending
    assert _counts(wb) == _fresh_counts(wb) and all(n == 1 for n in _counts(wb).values())
    # Undo is a command like any other: its re-check is left for later too.
    wb.undo(term)
    assert wb.recheck_pending
    assert wb.run_recheck() == frozenset(ids)
    assert all(n == 0 for n in _counts(wb).values())


def test_small_rechecks_stay_inline_global_terms_go_to_the_worker(wb: Workbench) -> None:
    ids = _with_messages(wb, 2)
    pid = wb.message(ids[0]).persona_id  # type: ignore[union-attr]
    wb.defer_rechecks_over = 3
    wb.execute(C.CreateTerm("widget", "avoid", persona_id=pid))  # one persona's messages: inline
    assert not wb.recheck_pending and all(n == 1 for n in _counts(wb).values())
    wb.execute(C.UpdatePersona(pid, {"dont": ["form"]}))  # inline too
    assert not wb.recheck_pending and all(n == 2 for n in _counts(wb).values())
    # A global term: even finding its messages in the search index can take a while: the worker.
    wb.execute(C.CreateTerm("sign", "avoid"))
    assert wb.recheck_pending and all(n == 2 for n in _counts(wb).values())
    assert wb.run_recheck() == frozenset(ids)
    assert _counts(wb) == _fresh_counts(wb) == dict.fromkeys(ids, 3)


def test_closing_finishes_a_pending_recheck(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    ids = _with_messages(wb)
    wb.defer_rechecks_over = 0
    wb.execute(C.CreateTerm("widget", "avoid"))
    assert wb.recheck_pending
    wb.close()
    with Workbench.open(wb_path, ctx, readonly=True) as again:
        assert {m.id: m.breach_count for m in again.messages()} == dict.fromkeys(ids, 1)


def test_a_recovered_session_recounts_everything(wb_path: Path, ctx: Context) -> None:
    wb = Workbench.open(wb_path, ctx)
    ids = _with_messages(wb)
    wb.defer_rechecks_over = 0
    wb.execute(C.CreateTerm("widget", "avoid"))
    # The process dies before the re-check: the working copy stays, the lock is left behind.
    wb.store.dispose()
    assert wb.file.working is not None and wb.file.working.needs_write_back
    lock = storage.lock_path(wb_path)
    lock.unlink()
    again = Workbench.open(wb_path, ctx)
    try:
        assert again.file.recovered and again.recheck_pending
        assert again.run_recheck() == frozenset(ids)
        assert _counts(again) == dict.fromkeys(ids, 1)
    finally:
        again.close()
