"""Derived data kept in step with every command: the search index and cached breach counts.

``refresh_derived`` runs inside each command's transaction (after the command's own writes) and
updates exactly what the touched rows affect; lingo re-checks too big for the GUI thread are
recorded on the transaction for :meth:`workbench.session.Workbench.run_recheck`. Kept out of
``session`` so the session module holds the file's life cycle and this one the bookkeeping.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from workbench.domain.lingo import Checker
from workbench.edit.changes import Tx
from workbench.read import queries
from workbench.schema.model import Message, Objection, Persona, Term
from workbench.store.sqlite import search

SEARCHABLE = {"personas": ("persona", Persona), "messages": ("message", Message),
              "objections": ("objection", Objection), "terms": ("term", Term)}


def refresh_derived(tx: Tx) -> None:
    """Bring the search index and cached breach counts up to date with the rows this tx touched.

    Touched rows are read back in bulk (plain rows, 500 per query) rather than one ``Session.get``
    each, and rows the transaction created are indexed with one :func:`search.put_many` per run of
    them, in the order they were touched (so their search rowids are what one ``put`` each gave).
    """
    touched = tx.touched
    if not touched:
        return
    raw = tx.raw
    s = tx.session
    by_table: dict[str, list[str]] = {}
    for table, rid in touched:
        if table in SEARCHABLE:  # terms among them
            by_table.setdefault(table, []).append(rid)
    texts = {table: _search_texts(raw, table, ids) for table, ids in by_table.items()}
    created: list[tuple[str, str, str, str]] = []
    for (table, rid), before in touched.items():
        if table not in SEARCHABLE:
            continue
        kind = SEARCHABLE[table][0]
        found = texts[table].get(rid)
        if found is not None and before is None:
            created.append((kind, rid, *found))
            continue
        search.put_many(raw, created)
        created = []
        if found is None:
            search.remove(raw, rid)
        else:
            search.put(raw, kind, rid, *found)
    search.put_many(raw, created)
    terms_now = _rows_by_id(raw, "SELECT id, term, kind, persona_id FROM terms", by_table.get("terms", []))
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
                candidates = search.candidate_ids(raw, words, "message")
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
    for column, owners in ((Message.persona_id, persona_ids), (Message.channel_id, channel_ids)):
        owned = list(owners)
        for start in range(0, len(owned), 500):  # bounded IN lists (SQLite limits bound variables)
            ids.update(s.scalars(select(Message.id).where(column.in_(owned[start:start + 500]))))
    if limit is not None and len(ids) > limit:
        # Seconds of work (a common word made an avoid term, a big import): the caller re-checks
        # them after the commit, off the GUI thread, with :meth:`Workbench.run_recheck`.
        tx.deferred_recheck = frozenset(ids)
    elif ids:
        recompute_breaches(tx, ids)


def _rows_by_id(raw: sqlite3.Connection, sql: str, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    """Rows of ``sql`` (a SELECT whose first column is ``id``) for the given ids, by id, 500 per query."""
    rows: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in raw.execute(f"{sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            rows[row[0]] = row
    return rows


#: Per searchable table, the columns its index entry is made of (id first; see :func:`_search_doc`).
_SEARCH_SQL = {
    "personas": "SELECT id, name, role, organization, industry, location, story, voice, mql, sql_criteria, "
                "motivations, worries, goals, gatekeepers, do_items, dont_items, tags FROM personas",
    "messages": "SELECT id, headline, body, call_to_action, notes FROM messages",
    "objections": "SELECT id, objection, response FROM objections",
    "terms": "SELECT id, term, replacement, note FROM terms",
}


def _search_doc(table: str, row: tuple[Any, ...]) -> tuple[str, str]:
    """(title, body) indexed for a row of ``_SEARCH_SQL[table]`` — what ``queries.search_texts``
    gives for the same row as an ORM object."""
    if table == "personas":
        lists = [item for col in row[10:] for item in (json.loads(col) if col else None) or ()]
        return row[1], "\n".join([*row[2:10], *lists])
    if table == "messages":
        return row[1], "\n".join(row[2:5])
    if table == "objections":
        return row[1], row[2]
    return row[1], "\n".join(row[2:4])


def _search_texts(raw: sqlite3.Connection, table: str, ids: list[str]) -> dict[str, tuple[str, str]]:
    """(title, body) of the rows among ``ids`` that exist, by id."""
    return {rid: _search_doc(table, row) for rid, row in _rows_by_id(raw, _SEARCH_SQL[table], ids).items()}


def recompute_breaches(tx: Tx, message_ids: Iterable[str] | None) -> int:
    """Recount blocking lingo breaches for the given messages (all when None); returns how many changed."""
    return len(recount_breaches(tx, message_ids))


def recount_breaches(tx: Tx, message_ids: Iterable[str] | None, check: Checker | None = None) -> list[str]:
    """Recount blocking lingo breaches for the given messages (all when None); returns the ids of
    those whose count changed. ``check`` saves rebuilding the checker when the caller has one."""
    raw = tx.raw
    check = check or queries.checker(tx.session)
    channels = dict(raw.execute("SELECT id, name FROM channels").fetchall())
    base = ("SELECT id, persona_id, channel_id, headline, body, call_to_action, breach_count "
            "FROM messages")
    rows: list[tuple[Any, ...]] = []
    if message_ids is None:
        rows = raw.execute(base).fetchall()
    else:
        ids = list(message_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows.extend(raw.execute(f"{base} WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    # Only the personas these messages belong to (their don'ts and avoided channels sit after the
    # story in each row: reading all 10,000 of them cost more than checking a few hundred messages).
    personas: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    owners = sorted({row[1] for row in rows})
    if message_ids is None:
        owner_rows = raw.execute("SELECT id, dont_items, avoid_channels FROM personas").fetchall()
    else:
        owner_rows = list(_rows_by_id(raw, "SELECT id, dont_items, avoid_channels FROM personas", owners).values())
    for pid, dont, avoid in owner_rows:
        personas[pid] = (tuple(json.loads(dont or "[]")), tuple(json.loads(avoid or "[]")))
    updates = []
    for mid, pid, cid, headline, body, cta, old in rows:
        dont, avoid = personas.get(pid, ((), ()))
        n = len(check.check_message({"headline": headline, "body": body, "call_to_action": cta}, pid,
                                    dont, channels.get(cid, ""), avoid))
        if n != old:
            updates.append((n, mid))
    if updates:
        raw.executemany("UPDATE messages SET breach_count = ? WHERE id = ?", updates)
    return [mid for _n, mid in updates]


def rebuild_search(raw: sqlite3.Connection) -> None:
    """Rebuild the whole search index from the tables (after a hand-off or a migration)."""
    search.clear(raw)
    docs: list[tuple[str, str, str, str]] = []
    for table, (kind, _cls) in SEARCHABLE.items():
        docs.extend((kind, row[0], *_search_doc(table, row)) for row in raw.execute(_SEARCH_SQL[table]))
    search.put_many(raw, docs)
