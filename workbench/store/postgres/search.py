"""The server's search index: a ``tsvector`` per item with a GIN index, behind :class:`SearchIndex`.

The index stores exactly the words the file's FTS5 index sees: :func:`searchtext.index_text` (case and
accents folded, CJK characters set apart), split here into tokens of letters and digits and handed to
PostgreSQL's ``simple`` configuration (no stemming, no stop words) — so both stores find the same items.
Queries are built here from :func:`searchtext.query_words`, never by ``websearch_to_tsquery`` or
``to_tsquery`` on what was typed: each word becomes a phrase of its tokens (CJK characters adjacent),
every word must occur, the last may be a prefix — any typed text (quotes, ``-``, ``or``, ``:*``, ``!``)
is inert, exactly as on the file side. Ranked with ``ts_rank`` (title words weigh more), at most
:data:`RANK_CAP` matches ranked, and every query is bounded by ``statement_timeout`` inside a
savepoint, so a slow search answers "nothing" rather than hanging or breaking the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from workbench.domain import searchtext

SEARCH_TABLE = "pwkb_search"
SEARCH_DDL = (
    f"CREATE TABLE {SEARCH_TABLE} (item_id varchar(36) COLLATE \"C\" PRIMARY KEY, "
    "kind varchar(20) COLLATE \"C\" NOT NULL, doc tsvector NOT NULL)",
    f"CREATE INDEX {SEARCH_TABLE}_doc ON {SEARCH_TABLE} USING gin (doc)",
    f"CREATE INDEX {SEARCH_TABLE}_kind ON {SEARCH_TABLE} (kind)",
)
#: Matches ranked per query at most (as the file's index: a word found everywhere still answers fast).
RANK_CAP = 3000
#: Distinct words of a query searched for (the rest are ignored), as on the file side.
MAX_QUERY_WORDS = 8
#: Milliseconds one search may take; past it, no hits rather than a hang.
SEARCH_BUDGET_MS = 2000
#: A ``tsvector`` holds at most 1 MB; the tokens of a document are cut well before that.
_DOC_BUDGET = 900_000
#: Items written or removed per statement.
_BATCH = 1000

_PUT = text(
    f"INSERT INTO {SEARCH_TABLE} (item_id, kind, doc) VALUES (:id, :kind, "
    "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'B')) "
    "ON CONFLICT (item_id) DO UPDATE SET kind = EXCLUDED.kind, doc = EXCLUDED.doc")


def tokens(value: str) -> list[str]:
    """The index's tokens of ``value``: folded, CJK characters apart, runs of letters and digits."""
    return searchtext.TOKEN.findall(searchtext.index_text(value))


def _bounded(parts: Sequence[list[str]]) -> list[str]:
    """Each part's tokens joined by spaces, cut where the ``tsvector`` would outgrow its budget.

    The size counts each distinct token once (its bytes plus an entry) and two bytes per occurrence
    (PostgreSQL keeps 256 positions per token at most); what is cut is the tail of a huge text.
    """
    if sum(4 * len(t) + 12 for part in parts for t in part) <= _DOC_BUDGET:
        return [" ".join(part) for part in parts]  # cannot outgrow it (every text but a huge one)
    budget = _DOC_BUDGET
    seen: dict[str, int] = {}
    out: list[str] = []
    for part in parts:
        kept: list[str] = []
        for token in part:
            count = seen.get(token)
            cost = (len(token.encode("utf-8")) + 10) if count is None else (2 if count < 256 else 0)
            if cost > budget:
                break
            budget -= cost
            seen[token] = (count or 0) + 1
            kept.append(token)
        out.append(" ".join(kept))
    return out


def _quoted(token: str) -> str:
    """A token as a ``tsquery`` operand (tokens are letters and digits; quoting is belt and braces)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def build_query(typed: str) -> str:
    """What a person typed as a ``to_tsquery`` text: every word must occur (its tokens adjacent), the
    last word may be the start of a longer one (unless it is CJK or the text ends with a space)."""
    words: list[list[str]] = []
    for word in searchtext.query_words(typed, MAX_QUERY_WORDS):
        pieces = tokens(word)
        if pieces:
            words.append(pieces)
    if not words:
        return ""
    phrases = [" <-> ".join(_quoted(p) for p in pieces) for pieces in words]
    last = words[-1][-1]
    if not searchtext.cjk_char().search(last) and not typed.endswith((" ", "\t")):
        phrases[-1] += ":*"
    return " & ".join(f"({p})" for p in phrases)


def candidate_query(term: str) -> str | None:
    """A ``to_tsquery`` text matching at least every item where the lingo check could find ``term``
    (its words as one phrase, the last one a prefix for plurals, as the file's index does); None when
    the term has no searchable word."""
    pieces = tokens(term)
    if not pieces:
        return None
    last = pieces[-1]
    star = ""
    if not searchtext.cjk_char().fullmatch(last):
        if len(last) > 1 and last[-1] == "y":  # "policy" → "polic*" finds "policies"
            pieces[-1] = last[:-1]
        star = ":*"
    return " <-> ".join(_quoted(p) for p in pieces) + star


class PgSearchIndex:
    """The store port's :class:`~workbench.store.port.SearchIndex` on one connection (inside whatever
    transaction it holds)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def put_many(self, docs: Iterable[tuple[str, str, str, str]]) -> None:
        """Index (or re-index) these ``(kind, item_id, title, body)`` documents."""
        batch: list[dict[str, Any]] = []
        for kind, item_id, title, body in docs:
            title_text, body_text = _bounded([tokens(title), tokens(body)])
            batch.append({"id": item_id, "kind": kind, "title": title_text, "body": body_text})
            if len(batch) >= _BATCH:
                self.conn.execute(_PUT, batch)
                batch = []
        if batch:
            self.conn.execute(_PUT, batch)

    def remove(self, item_ids: Iterable[str]) -> None:
        """Drop these items (absent ones are ignored)."""
        ids = list(item_ids)
        for start in range(0, len(ids), _BATCH):
            self.conn.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE item_id = ANY(:ids)"),
                              {"ids": ids[start:start + _BATCH]})

    def clear(self) -> None:
        """Empty the index (before a rebuild)."""
        self.conn.execute(text(f"DELETE FROM {SEARCH_TABLE}"))

    def _bounded_rows(self, sql: str, params: dict[str, Any]) -> list[Any] | None:
        """Rows of ``sql`` within :data:`SEARCH_BUDGET_MS`, or None when it ran out of time or failed —
        in a savepoint, so the surrounding transaction (a command's) goes on unharmed."""
        previous = self.conn.execute(text("SELECT current_setting('statement_timeout')")).scalar()
        nested = self.conn.begin_nested()
        try:
            self.conn.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                              {"ms": str(SEARCH_BUDGET_MS)})
            rows = list(self.conn.execute(text(sql), params))
            self.conn.execute(text("SELECT set_config('statement_timeout', :ms, true)"), {"ms": previous})
        except DBAPIError:
            nested.rollback()  # also undoes the timeout
            return None
        nested.commit()
        return rows

    def query(self, text_: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[tuple[str, str, float]]:
        """Ranked ``(kind, item_id, rank)`` for what a person typed, best first (lower rank is better,
        as the file's FTS5 ranks); none for empty input or past the time budget."""
        query = build_query(text_)
        if not query or limit <= 0:
            return []
        kind_filter = " AND kind = ANY(:kinds)" if kinds else ""
        sql = (
            f"SELECT m.kind, m.item_id, -ts_rank(m.doc, q.q) AS r FROM "
            f"(SELECT to_tsquery('simple', :q) AS q) AS q, LATERAL ("
            f"  SELECT kind, item_id, doc FROM {SEARCH_TABLE} WHERE doc @@ q.q{kind_filter} LIMIT {RANK_CAP}"
            f") AS m ORDER BY r, m.item_id LIMIT :limit")
        params: dict[str, Any] = {"q": query, "limit": limit}
        if kinds:
            params["kinds"] = list(kinds)
        rows = self._bounded_rows(sql, params)
        return [(str(kind), str(item_id), float(rank)) for kind, item_id, rank in rows or ()]

    def candidate_ids(self, terms: Iterable[str], kind: str | None = None) -> set[str] | None:
        """Ids of items whose text may contain any of ``terms`` (a superset), or None for "any"."""
        found: set[str] = set()
        kind_filter = " AND kind = :kind" if kind else ""
        for term in terms:
            query = candidate_query(term)
            if query is None:
                return None
            rows = self._bounded_rows(
                f"SELECT item_id FROM {SEARCH_TABLE} WHERE doc @@ to_tsquery('simple', :q){kind_filter}",
                {"q": query, "kind": kind} if kind else {"q": query})
            if rows is None:
                return None  # could not tell in time: the caller re-checks everything
            found.update(str(r[0]) for r in rows)
        return found
