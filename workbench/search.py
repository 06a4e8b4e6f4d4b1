"""Full-text search over personas, messages, objections and lingo — the one SQLite-only corner.

SQLite FTS5 with the ``unicode61`` tokenizer handles every script that separates words with spaces.
Chinese and Japanese do not, so before indexing (and querying) each CJK/kana character is set apart
as its own token; a CJK query becomes a phrase of adjacent characters, which finds "合同" inside a
sentence. Rows are tied to FTS rows through ``search_docs`` (kind, item id → rowid) so one item can
be re-indexed or removed without scanning. A team server (PostgreSQL) would swap this module only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from . import errors

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
HIT_START = "\ue000"
HIT_END = "\ue001"

_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff\U00030000-\U0003134f"
)
_CJK_CHAR = re.compile(f"([{_CJK}])")
_SPACED_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_WORD = re.compile(r"\w+", re.UNICODE)


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
    return _CJK_CHAR.sub(r" \1 ", text)


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


def put(conn: sqlite3.Connection, kind: str, item_id: str, title: str, body: str) -> None:
    """Index (or re-index) one item."""
    remove(conn, item_id)
    cur = conn.execute(f"INSERT INTO {DOCS_TABLE}(kind, item_id) VALUES (?, ?)", (kind, item_id))
    conn.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                 (cur.lastrowid, segment(title), segment(body)))


def put_many(conn: sqlite3.Connection, docs: Iterable[tuple[str, str, str, str]]) -> None:
    """Index many new items ``(kind, item_id, title, body)`` quickly (none may be indexed yet)."""
    for kind, item_id, title, body in docs:
        cur = conn.execute(f"INSERT INTO {DOCS_TABLE}(kind, item_id) VALUES (?, ?)", (kind, item_id))
        conn.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (?, ?, ?)",
                     (cur.lastrowid, segment(title), segment(body)))


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


def build_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must occur; the last may be a prefix.

    Words are quoted (FTS5 syntax in the input is taken literally); a run of CJK characters
    becomes a phrase of single characters.
    """
    parts: list[str] = []
    for word in _WORD.findall(text):
        tokens = [p for p in _CJK_CHAR.split(word) if p]
        phrase = " ".join(tokens).replace('"', '""')
        parts.append(f'"{phrase}"')
    if not parts:
        return ""
    last_word = _WORD.findall(text)[-1]
    if not _CJK_CHAR.search(last_word) and not text.endswith((" ", "\t")):
        parts[-1] += "*"
    return " ".join(parts)


def query(conn: sqlite3.Connection, text: str, limit: int = 50,
          kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
    """Ranked hits for ``text`` with snippets; empty input gives no hits.

    At most ``RANK_CAP`` matches are ranked, so a word that occurs everywhere still answers fast.
    """
    fts_query = build_query(text)
    if not fts_query:
        return []
    kind_filter = ""
    params: list[object] = [fts_query]
    if kinds:
        kind_filter = f" AND d.kind IN ({','.join('?' * len(kinds))})"
        params.extend(kinds)
    params.append(limit)
    sql = (
        f"SELECT d.kind, d.item_id, m.title_snip, m.body_snip, m.r FROM ("
        f"  SELECT rowid AS rid, rank AS r,"
        f"   snippet({FTS_TABLE}, 0, '{HIT_START}', '{HIT_END}', '…', 12) AS title_snip,"
        f"   snippet({FTS_TABLE}, 1, '{HIT_START}', '{HIT_END}', '…', 14) AS body_snip"
        f"  FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT {RANK_CAP}"
        f") AS m JOIN {DOCS_TABLE} AS d ON d.rowid = m.rid WHERE 1{kind_filter}"
        f" ORDER BY m.r LIMIT ?"
    )
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []  # a query FTS5 cannot parse finds nothing rather than failing
    hits = []
    for kind, item_id, title_snip, body_snip, rank in rows:
        title = unsegment(title_snip).replace(HIT_START, "").replace(HIT_END, "")
        snippet = unsegment(body_snip if HIT_START in body_snip else title_snip)
        hits.append(SearchHit(kind, item_id, title, snippet, float(rank)))
    return hits
