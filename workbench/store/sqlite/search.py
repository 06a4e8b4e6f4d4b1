"""Full-text search over personas, messages, objections and lingo — the one SQLite-only corner.

SQLite FTS5 with the ``unicode61`` tokenizer handles every script that separates words with spaces.
Chinese and Japanese do not, so before indexing (and querying) each CJK/kana character is set apart
as its own token; a CJK query becomes a phrase of adjacent characters, which finds "合同" inside a
sentence. Rows are tied to FTS rows through ``search_docs`` (kind, item id → rowid) so one item can
be re-indexed or removed without scanning. A team server (PostgreSQL) would swap this module only.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workbench.domain import errors

FTS_TABLE = "search_index"
DOCS_TABLE = "search_docs"
FTS_SQL = (
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
HIT_START = "\ue000"
HIT_END = "\ue001"

_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff\U00030000-\U0003134f"
)
_WORD = re.compile(r"\w+", re.UNICODE)


@functools.cache
def _cjk_char() -> re.Pattern[str]:
    # Compiled on first use (≈ 5 ms): opening a file checks its search tables without searching.
    return re.compile(f"([{_CJK}])")


@dataclass(frozen=True)
class SearchHit:
    """One ranked result. Snippets mark matches with ``HIT_START``/``HIT_END``."""

    kind: str
    item_id: str
    title: str
    snippet: str
    rank: float


def segment(text: str) -> str:
    """Set every CJK character apart so the tokenizer sees it as a word of its own."""
    return _cjk_char().sub(r" \1 ", text)


def unsegment(text: str) -> str:
    """Undo :func:`segment` for display (snippets come back segmented, with hit markers)."""
    marks = f"{HIT_START}{HIT_END}"
    spaces = re.compile(
        f"(?:(?<=[{_CJK}])|(?<=[{_CJK}][{marks}])) +(?=[{_CJK}]|[{marks}][{_CJK}])")
    joined = spaces.sub("", text).replace(HIT_END + HIT_START, "")
    return re.sub(r" {2,}", " ", joined).strip()


def create(conn: sqlite3.Connection) -> None:
    """Create the search tables (inside the caller's transaction)."""
    conn.execute(FTS_SQL)
    conn.execute(DOCS_SQL)


def validate(present: dict[str, str], name: str) -> None:
    """Refuse a file whose search tables are not exactly the ones we create."""
    if present.get(FTS_TABLE) != FTS_SQL or present.get(DOCS_TABLE) != DOCS_SQL:
        raise errors.Damaged(name, f"{name} is damaged or altered: its search index is not ours.")
    for shadow in SHADOW_TABLES:
        if shadow not in present:
            raise errors.Damaged(name, f"{name} is damaged: its search index is incomplete.")


def _segmented(text: str) -> str:
    """:func:`segment`, skipped for ASCII text (it has no CJK character to set apart)."""
    return text if text.isascii() else segment(text)


def put(conn: sqlite3.Connection, kind: str, item_id: str, title: str, body: str) -> None:
    """Index (or re-index) one item."""
    remove(conn, item_id)
    cur = conn.execute(f"INSERT INTO {DOCS_TABLE}(kind, item_id) VALUES (?, ?)", (kind, item_id))
    conn.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                 (cur.lastrowid, _segmented(title), _segmented(body)))


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
                     [(last + n, _segmented(title), _segmented(body))
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
    """Quoted FTS5 phrases for every word of ``text``, and whether the last one may be a prefix."""
    parts: list[str] = []
    words = _WORD.findall(text)
    # Repeated words add nothing but FTS5 work (a pasted URL of 5,000 "a/" ran for minutes): keep
    # each word once, and at most MAX_QUERY_WORDS of them (the last one, which may be a prefix, kept).
    unique = list(dict.fromkeys(w.lower() for w in words))
    if len(unique) > MAX_QUERY_WORDS:
        unique = unique[:MAX_QUERY_WORDS - 1] + [unique[-1]]
    words = [next(w for w in words if w.lower() == u) for u in unique]
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


def _fold(token: str) -> str:
    """Fold a token the way the index does (``unicode61 remove_diacritics 2``): lower case, no accents."""
    if token.isascii():
        return token.lower()
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def _snippet_queries(conn: sqlite3.Connection, parts: list[str], rowids: list[int]) -> dict[int, str]:
    """Per shown item, the prefix query rewritten with the whole words it matches in that item.

    FTS5 re-merges a prefix's posting lists for every ``rowid =`` probe (50 probes of ``th*`` take
    seconds), so each item's snippet is made with ``… AND ("then" OR "there")`` — the words starting
    with the prefix in its own text — which highlights exactly the same tokens. Items where no such
    word is found (the index folds text in ways this does not) keep the prefix query.
    """
    last = parts[-1][1:-1].replace('""', '"')
    head = " ".join(last.split(" ")[:-1]).replace('"', '""')
    prefix = _fold(last.split(" ")[-1])
    out: dict[int, str] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start:start + 500]
        for rid, title, body in conn.execute(
                f"SELECT rowid, title, body FROM {FTS_TABLE} WHERE rowid IN ({','.join('?' * len(chunk))})",
                chunk):
            words = sorted({t for text in (title or "", body or "") for t in _TOKEN.findall(text)
                            if _fold(t).startswith(prefix)})
            if words:
                options = " OR ".join('"' + (head + " " if head else "") + w.replace('"', '""') + '"'
                                      for w in words)
                out[rid] = " AND ".join([*parts[:-1], f"({options})"])
    return out


def query(conn: sqlite3.Connection, text: str, limit: int = 50,
          kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
    """Ranked hits for ``text`` with snippets; empty input gives no hits.

    At most ``RANK_CAP`` matches are ranked, so a word that occurs everywhere still answers fast.
    Ranking reads only rowids and scores; snippets (the costly part: each re-reads and re-tokenises
    a document) are made afterwards for the ``limit`` hits shown, not for every ranked match.
    """
    fts_query, parts, prefixed = _bounded_query(conn, text)
    if not fts_query:
        return []
    kind_filter = ""
    params: list[object] = [fts_query]
    if kinds:
        kind_filter = f" AND d.kind IN ({','.join('?' * len(kinds))})"
        params.extend(kinds)
    params.append(limit)
    ranked_sql = (
        f"SELECT m.rid, d.kind, d.item_id, m.r FROM ("
        f"  SELECT rowid AS rid, rank AS r FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT {RANK_CAP}"
        f") AS m JOIN {DOCS_TABLE} AS d ON d.rowid = m.rid WHERE 1{kind_filter}"
        f" ORDER BY m.r, m.rid LIMIT ?"
    )
    deadline = time.monotonic() + SEARCH_BUDGET_S
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 20_000)
    snippets: dict[int, tuple[str, str]] = {}
    try:
        try:
            ranked = conn.execute(ranked_sql, params).fetchall()
        except sqlite3.OperationalError:
            return []  # unparseable, or over budget: nothing rather than a hang or an error
        _fill_snippets(conn, snippets, ranked, parts, fts_query, prefixed)
    except sqlite3.OperationalError:
        pass  # over budget while making snippets: show the ranked hits with what we have
    finally:
        conn.set_progress_handler(None, 0)
    hits = []
    for rid, kind, item_id, rank in ranked:
        title_snip, body_snip = snippets.get(rid, ("", ""))
        title = unsegment(title_snip).replace(HIT_START, "").replace(HIT_END, "")
        snippet = unsegment(body_snip if HIT_START in body_snip else title_snip)
        hits.append(SearchHit(kind, item_id, title, snippet, float(rank)))
    return hits


def _fill_snippets(conn: sqlite3.Connection, snippets: dict[int, tuple[str, str]], ranked: list[Any],
                   parts: list[str], fts_query: str, prefixed: bool) -> None:
    """Snippets for the ranked hits (the costly part: each re-reads and re-tokenises a document)."""
    snippet_sql = (f"SELECT rowid,"
                   f" snippet({FTS_TABLE}, 0, '{HIT_START}', '{HIT_END}', '…', 12),"
                   f" snippet({FTS_TABLE}, 1, '{HIT_START}', '{HIT_END}', '…', 14)"
                   f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? AND rowid ")
    rowids = [row[0] for row in ranked]
    if prefixed:
        rewritten = _snippet_queries(conn, parts, rowids)
        for rid in rowids:
            for _rid, title_snip, body_snip in conn.execute(snippet_sql + "= ?",
                                                            (rewritten.get(rid, fts_query), rid)):
                snippets[rid] = (title_snip or "", body_snip or "")
    else:
        for start in range(0, len(rowids), 500):
            chunk = rowids[start:start + 500]
            for rid, title_snip, body_snip in conn.execute(
                    snippet_sql + f"IN ({','.join('?' * len(chunk))})", [fts_query, *chunk]):
                snippets[rid] = (title_snip or "", body_snip or "")


def _candidate_phrase(term: str) -> str | None:
    """An FTS5 phrase matching at least every text where the lingo check could find ``term``."""
    words = _WORD.findall(term)
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
