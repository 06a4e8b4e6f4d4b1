"""Derived data kept in step with every command: the search index and cached breach counts.

``refresh_derived`` runs inside each command's unit of work (after the command's own writes) and
updates exactly what the touched rows affect; lingo re-checks too big for the GUI thread are
recorded on the unit of work for :meth:`workbench.session.Workbench.run_recheck`. Derived columns
never bump a row's version: they are not anyone's edit, and a re-check running on a worker must
not make an undo that follows look like a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update

from workbench.domain.lingo import Checker
from workbench.read.lingo import checker as read_checker
from workbench.read.search import SEARCHABLE, search_doc
from workbench.schema.model import Channel, Message, Objection, Persona, Term
from workbench.store.unit import CHUNK, Tx

_MAPPED: dict[str, Any] = {"personas": Persona, "messages": Message, "objections": Objection, "terms": Term}


def _columns(table: str) -> list[Any]:
    cls = _MAPPED[table]
    return [cls.id, *(getattr(cls, key) for key in SEARCHABLE[table][1])]


def _rows_by_id(tx: Tx, columns: list[Any], ids: Sequence[str]) -> dict[str, Sequence[Any]]:
    """Rows of ``columns`` (the id first) for the given ids, by id, 500 per query."""
    stmt = select(*columns).where(columns[0].in_(bindparam("ids", expanding=True)))
    conn = tx.session.connection()
    found: dict[str, Sequence[Any]] = {}
    for start in range(0, len(ids), CHUNK):
        for row in conn.execute(stmt, {"ids": list(ids[start:start + CHUNK])}):
            found[row[0]] = row
    return found


def _search_texts(tx: Tx, table: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    """(title, body) of the rows among ``ids`` that exist, by id."""
    return {rid: search_doc(table, row) for rid, row in _rows_by_id(tx, _columns(table), ids).items()}


def refresh_derived(tx: Tx) -> None:
    """Bring the search index and cached breach counts up to date with the rows this tx touched.

    Touched rows are read back in bulk (500 per query) and rows the transaction created are indexed
    with one ``put_many`` per run of them, in the order they were touched (so their search rowids
    are what indexing them one by one gives).
    """
    touched = tx.touched
    if not touched:
        return
    by_table: dict[str, list[str]] = {}
    for table, rid in touched:
        if table in SEARCHABLE:
            by_table.setdefault(table, []).append(rid)
    texts = {table: _search_texts(tx, table, ids) for table, ids in by_table.items()}
    created: list[tuple[str, str, str, str]] = []
    for (table, rid), before in touched.items():
        if table not in SEARCHABLE:
            continue
        kind = SEARCHABLE[table][0]
        found = texts[table].get(rid)
        if found is not None and before is None:
            created.append((kind, rid, *found))
            continue
        tx.search.put_many(created)
        created = []
        if found is None:
            tx.search.remove([rid])
        else:
            tx.search.put_many([(kind, rid, *found)])
    tx.search.put_many(created)
    _recheck_affected(tx, touched)


def _recheck_affected(tx: Tx, touched: Mapping[tuple[str, str], dict[str, Any] | None]) -> None:
    """Recount (or leave for later) the breach counts of every message the touched rows affect."""
    term_ids = [rid for table, rid in touched if table == "terms"]
    terms_now = _rows_by_id(tx, [Term.id, Term.term, Term.kind, Term.persona_id], term_ids)
    message_ids: set[str] = set()
    persona_ids: set[str] = set()
    channel_ids: set[str] = set()
    everything = False
    for (table, rid), before in touched.items():
        if table == "messages":
            message_ids.add(rid)
        elif table == "personas":
            persona_ids.add(rid)
        elif table == "channels":
            channel_ids.add(rid)
        elif table == "terms":
            now = terms_now.get(rid)
            if before is None and now is None:
                continue
            old_term = (before or {}).get("term"), (before or {}).get("kind"), (before or {}).get("persona_id")
            new_term = (now[1], now[2], now[3]) if now is not None else (None, None, None)
            if old_term == new_term or "avoid" not in (old_term[1], new_term[1]):
                continue  # only the note or replacement changed, or it never was an avoid term
            scopes = {old_term[2] if before is not None else "", new_term[2] if now is not None else ""}
            if None in scopes:
                # A global term: only messages mentioning the old or new wording can change.
                words = {w for w in (old_term[0], new_term[0]) if w}
                if tx.defer_rechecks_over is not None:
                    # Even finding them is ≈ 0.3 s for a common word on 240,000 messages: later.
                    tx.deferred_words |= words
                    persona_ids.update(p for p in scopes if p)
                    continue
                candidates = tx.search.candidate_ids(words, "message")
                if candidates is None:
                    everything = True
                else:
                    message_ids.update(candidates)
            persona_ids.update(p for p in scopes if p)
    limit = tx.defer_rechecks_over
    if everything:
        if limit is not None:
            tx.deferred_recheck = None  # every message, later
        else:
            recompute_breaches(tx, None)
        return
    ids = set(message_ids)
    s = tx.session
    for column, owners in ((Message.persona_id, persona_ids), (Message.channel_id, channel_ids)):
        owned = list(owners)
        for start in range(0, len(owned), CHUNK):  # bounded IN lists
            ids.update(s.scalars(select(Message.id).where(column.in_(owned[start:start + CHUNK]))))
    if limit is not None and len(ids) > limit:
        # Seconds of work (a common word made an avoid term, a big import): the caller re-checks
        # them after the commit, off the GUI thread, with :meth:`Workbench.run_recheck`.
        tx.deferred_recheck = frozenset(ids)
    elif ids:
        recompute_breaches(tx, ids)


def recompute_breaches(tx: Tx, message_ids: Iterable[str] | None) -> int:
    """Recount blocking lingo breaches for the given messages (all when None); returns how many changed."""
    return len(recount_breaches(tx, message_ids))


_MESSAGE_COLUMNS = [Message.id, Message.persona_id, Message.channel_id, Message.headline, Message.body,
                    Message.call_to_action, Message.breach_count]
_MESSAGES = cast(Table, Message.__table__)
_SET_BREACHES = update(_MESSAGES).where(_MESSAGES.c.id == bindparam("mid")).values(breach_count=bindparam("n"))


def recount_breaches(tx: Tx, message_ids: Iterable[str] | None, check: Checker | None = None) -> list[str]:
    """Recount blocking lingo breaches for the given messages (all when None); returns the ids of
    those whose count changed. ``check`` saves rebuilding the checker when the caller has one."""
    s = tx.session
    conn = s.connection()
    check = check or read_checker(s)
    channels: dict[str, str] = {cid: name for cid, name in conn.execute(select(Channel.id, Channel.name))}
    if message_ids is None:
        rows: list[Sequence[Any]] = list(conn.execute(select(*_MESSAGE_COLUMNS)))
    else:
        rows = list(_rows_by_id(tx, _MESSAGE_COLUMNS, list(message_ids)).values())
    # Only the personas these messages belong to (reading all 10,000 don'ts cost more than checking
    # a few hundred messages).
    owner_columns = [Persona.id, Persona.dont, Persona.avoid_channels]
    if message_ids is None:
        owner_rows: Iterable[Sequence[Any]] = conn.execute(select(*owner_columns))
    else:
        owner_rows = _rows_by_id(tx, owner_columns, sorted({row[1] for row in rows})).values()
    personas = {pid: (tuple(dont or ()), tuple(avoid or ())) for pid, dont, avoid in owner_rows}
    updates = []
    for mid, pid, cid, headline, body, cta, old in rows:
        dont, avoid = personas.get(pid, ((), ()))
        n = len(check.check_message({"headline": headline, "body": body, "call_to_action": cta}, pid,
                                    dont, channels.get(cid, ""), avoid))
        if n != old:
            updates.append({"n": n, "mid": mid})
    if updates:
        conn.execute(_SET_BREACHES, updates)
    return [u["mid"] for u in updates]


def rebuild_search(tx: Tx) -> None:
    """Rebuild the whole search index from the tables (after a hand-off strips a copy)."""
    tx.search.clear()
    conn = tx.session.connection()
    docs: list[tuple[str, str, str, str]] = []
    for table, (kind, _keys) in SEARCHABLE.items():
        docs.extend((kind, row[0], *search_doc(table, row)) for row in conn.execute(select(*_columns(table))))
    tx.search.put_many(docs)
