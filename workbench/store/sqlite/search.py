"""The file's search index: SQLite FTS5 behind the store port's :class:`SearchIndex`.

FTS5 with the ``unicode61`` tokenizer (diacritics removed) handles every script that separates
words with spaces; text is segmented first (:mod:`workbench.domain.searchtext`) so Chinese and
Japanese are searchable by character. Rows are tied to FTS rows through ``search_docs`` (kind, item
id → rowid) so one item can be re-indexed or removed without scanning. Prefix indexes of two and
three characters (schema version 2) keep the search-as-you-type of a short prefix fast.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

from workbench.domain import errors, searchtext

FTS_TABLE = "search_index"
DOCS_TABLE = "search_docs"
FTS_SQL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
)
#: The index as schema version 1 created it (no prefix indexes), for checking older files.
FTS_SQL_V1 = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, "
    "tokenize='unicode61 remove_diacritics 2')"
)
DOCS_SQL = (
    f"CREATE TABLE {DOCS_TABLE} (rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
    "item_id TEXT NOT NULL UNIQUE)"
)
SHADOW_TABLES = tuple(f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config"))
#: Hits ranked per query at most; beyond this the first hits found are ranked (bounded time).
RANK_CAP = 3000
#: Distinct words of a query that are searched for; the rest are ignored.
MAX_QUERY_WORDS = 8
#: Wall-clock budget of one search; past it, what was found is returned (bounded time on any input).
SEARCH_BUDGET_S = 2.0

_WORD = searchtext.WORD
_cjk_char = searchtext.cjk_char


def create(conn: sqlite3.Connection) -> None:
    """Create the search tables (inside the caller's transaction)."""
    conn.execute(FTS_SQL)
    conn.execute(DOCS_SQL)


def validate(present: dict[str, str], name: str, version: int) -> None:
    """Refuse a file whose search tables are not exactly the ones its schema version creates."""
    fts = FTS_SQL_V1 if version < 2 else FTS_SQL
    if present.get(FTS_TABLE) != fts or present.get(DOCS_TABLE) != DOCS_SQL:
        raise errors.Damaged(name, f"{name} is damaged or altered: its search index is not ours.")
    for shadow in SHADOW_TABLES:
        if shadow not in present:
            raise errors.Damaged(name, f"{name} is damaged: its search index is incomplete.")


def put(conn: sqlite3.Connection, kind: str, item_id: str, title: str, body: str) -> None:
    """Index (or re-index) one item."""
    remove(conn, item_id)
    cur = conn.execute(f"INSERT INTO {DOCS_TABLE}(kind, item_id) VALUES (?, ?)", (kind, item_id))
    conn.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                 (cur.lastrowid, searchtext.index_text(title), searchtext.index_text(body)))


#: The largest rowid SQLite gives out in order; past it, it picks unused ones at random.
_MAX_ROWID = 2**63 - 1


def put_many(conn: sqlite3.Connection, docs: Iterable[tuple[str, str, str, str]]) -> None:
    """Index many items ``(kind, item_id, title, body)``: exactly what :func:`put` one by one does.

    When none of them is indexed yet (rows a command created, a rebuild after :func:`clear`) they
    are written with two ``executemany`` and the rowids ``put`` would get (each one more than the
    largest so far): a SELECT and two INSERTs per row were ≈ 10 % of a 48,000-message import.
    Otherwise (an item indexed already, or listed twice) each goes through ``put``.
    """
    docs = list(docs)
    if not docs:
        return
    ids = [doc[1] for doc in docs]
    indexed = len(set(ids)) != len(ids)
    for start in range(0, len(ids), 500):
        if indexed:
            break
        chunk = ids[start:start + 500]
        indexed = conn.execute(f"SELECT 1 FROM {DOCS_TABLE} WHERE item_id IN ({','.join('?' * len(chunk))}) "
                               "LIMIT 1", chunk).fetchone() is not None
    last = conn.execute(f"SELECT max(rowid) FROM {DOCS_TABLE}").fetchone()[0] or 0
    if indexed or last + len(docs) > _MAX_ROWID:
        for kind, item_id, title, body in docs:
            put(conn, kind, item_id, title, body)
        return
    conn.executemany(f"INSERT INTO {DOCS_TABLE}(rowid, kind, item_id) VALUES (?, ?, ?)",
                     [(last + n, kind, item_id) for n, (kind, item_id, _, _) in enumerate(docs, start=1)])
    conn.executemany(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                     [(last + n, searchtext.index_text(title), searchtext.index_text(body))
                      for n, (_, _, title, body) in enumerate(docs, start=1)])


def remove(conn: sqlite3.Connection, item_id: str) -> None:
    """Drop one item from the index (no-op when absent)."""
    row = conn.execute(f"SELECT rowid FROM {DOCS_TABLE} WHERE item_id = ?", (item_id,)).fetchone()
    if row is not None:
        conn.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", (row[0],))
        conn.execute(f"DELETE FROM {DOCS_TABLE} WHERE rowid = ?", (row[0],))


def clear(conn: sqlite3.Connection) -> None:
    """Empty the index (before a rebuild)."""
    conn.execute(f"DELETE FROM {FTS_TABLE}")
    conn.execute(f"DELETE FROM {DOCS_TABLE}")


def _query_parts(text: str) -> tuple[list[str], bool]:
    """Quoted FTS5 phrases for every word of ``text``, and whether the last one may be a prefix.

    Words are folded as the index is (:func:`workbench.domain.searchtext.fold_text`). Repeated words
    add nothing but FTS5 work (a pasted URL of 5,000 "a/" ran for minutes): each word counts once,
    and at most MAX_QUERY_WORDS of them (the last one, which may be a prefix, kept).
    """
    parts: list[str] = []
    words = searchtext.query_words(text, MAX_QUERY_WORDS)
    for word in words:
        tokens = [p for p in _cjk_char().split(word) if p]
        phrase = " ".join(tokens).replace('"', '""')
        parts.append(f'"{phrase}"')
    prefix = bool(parts) and not _cjk_char().search(words[-1]) and not text.endswith((" ", "\t"))
    return parts, prefix


def build_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must occur; the last may be a prefix.

    Words are quoted (FTS5 syntax in the input is taken literally); a run of CJK characters
    becomes a phrase of single characters.
    """
    parts, prefix = _query_parts(text)
    if not parts:
        return ""
    if prefix:
        parts[-1] += "*"
    return " ".join(parts)


def _bounded_query(conn: sqlite3.Connection, text: str) -> tuple[str, list[str], bool]:
    """The FTS5 query to rank: :func:`build_query`, unless its prefix expansion is needlessly costly.

    A prefix query makes FTS5 merge the full posting lists of every word starting with the prefix
    before it returns a single row (``the*`` → the, then, there, they … ≈ 100 ms on 270,000 items),
    whatever the ``LIMIT``. When the last word *as a whole word* already matches ``RANK_CAP`` items,
    only the first ``RANK_CAP`` matches would be ranked anyway, so the exact word answers instead
    (≈ 1 ms): the prefix cannot change what a bounded ranking shows for such a common word.
    """
    parts, prefix = _query_parts(text)
    if not parts or not prefix:
        return " ".join(parts), parts, False
    exact = " ".join(parts)
    try:
        found = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                             f"LIMIT {RANK_CAP})", (exact,)).fetchone()[0]
    except sqlite3.OperationalError:
        found = 0
    if found >= RANK_CAP:
        return exact, parts, False
    return exact + "*", parts, True




def query(conn: sqlite3.Connection, text: str, limit: int = 50,
          kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, float]]:
    """Ranked ``(kind, item_id, rank)`` for ``text``, best first; empty input gives none.

    At most ``RANK_CAP`` matches are ranked, so a word that occurs everywhere still answers fast,
    and the whole search is bounded in time (:data:`SEARCH_BUDGET_S`): past it, nothing rather than a
    hang. Snippets are made from the items' own text by :mod:`workbench.read.search`.
    """
    fts_query, _parts, _prefixed = _bounded_query(conn, text)
    if not fts_query:
        return []
    kind_filter = ""
    params: list[object] = [fts_query]
    if kinds:
        kind_filter = f" AND d.kind IN ({','.join('?' * len(kinds))})"
        params.extend(kinds)
    params.append(limit)
    ranked_sql = (
        f"SELECT d.kind, d.item_id, m.r FROM ("
        f"  SELECT rowid AS rid, rank AS r FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT {RANK_CAP}"
        f") AS m JOIN {DOCS_TABLE} AS d ON d.rowid = m.rid WHERE 1{kind_filter}"
        f" ORDER BY m.r, m.rid LIMIT ?"
    )
    deadline = time.monotonic() + SEARCH_BUDGET_S
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 20_000)
    try:
        return [(kind, item_id, float(rank)) for kind, item_id, rank in conn.execute(ranked_sql, params)]
    except sqlite3.OperationalError:
        return []  # unparseable, or over budget: nothing rather than a hang or an error
    finally:
        conn.set_progress_handler(None, 0)


def _candidate_phrase(term: str) -> str | None:
    """An FTS5 phrase matching at least every text where the lingo check could find ``term``."""
    words = _WORD.findall(searchtext.fold_text(term))
    if not words:
        return None
    tokens: list[str] = []
    for word in words:
        tokens.extend(p for p in _cjk_char().split(word) if p)
    last = tokens[-1]
    star = ""
    if not _cjk_char().fullmatch(last):
        # Simple plurals (lingo.term_pattern): "policy" → "policies", "box" → "boxes": a prefix
        # query on the word without a trailing "y" covers every form.
        if len(last) > 1 and last[-1] in "yY":
            tokens[-1] = last[:-1]
        star = "*"
    phrase = " ".join(tokens).replace('"', '""')
    return f'"{phrase}"{star}'


def candidate_ids(conn: sqlite3.Connection, terms: Iterable[str], kind: str | None = None) -> set[str] | None:
    """Ids of indexed items whose text may contain any of ``terms`` (a superset), or None for "any".

    For an incremental lingo re-check: when an avoid term changes, only items mentioning the old or
    the new wording can change their breach count. The search index is case- and accent-insensitive
    and splits words where the lingo check's word boundaries do, so its hits (with the last word as a
    prefix, for plurals) include every text the check can match. None means a term has no searchable
    word (only punctuation): the caller must re-check everything.
    """
    found: set[str] = set()
    kind_filter = " AND d.kind = ?" if kind else ""
    for term in terms:
        phrase = _candidate_phrase(term)
        if phrase is None:
            return None
        params: list[object] = [phrase, kind] if kind else [phrase]
        try:
            rows = conn.execute(
                f"SELECT d.item_id FROM {FTS_TABLE} AS f JOIN {DOCS_TABLE} AS d ON d.rowid = f.rowid "
                f"WHERE {FTS_TABLE} MATCH ?{kind_filter}", params).fetchall()
        except sqlite3.OperationalError:
            return None
        found.update(r[0] for r in rows)
    return found


class Fts5Index:
    """The store port's :class:`~workbench.store.port.SearchIndex` over one SQLite connection
    (inside whatever transaction the caller holds)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def put_many(self, docs: Iterable[tuple[str, str, str, str]]) -> None:
        """Index (or re-index) these documents."""
        put_many(self.conn, docs)

    def remove(self, item_ids: Iterable[str]) -> None:
        """Drop these items from the index."""
        for item_id in item_ids:
            remove(self.conn, item_id)

    def clear(self) -> None:
        """Empty the index."""
        clear(self.conn)

    def query(self, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, float]]:
        """Ranked ``(kind, item_id, rank)``, best first."""
        return query(self.conn, text, limit, kinds)

    def candidate_ids(self, terms: Iterable[str], kind: str | None = None) -> set[str] | None:
        """Ids of items whose text may contain any of ``terms``, or None for "any"."""
        return candidate_ids(self.conn, terms, kind)
