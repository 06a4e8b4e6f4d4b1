"""Search results as people see them: each hit's title and a snippet of its own text, matches marked.

Any store's index ranks (:meth:`workbench.store.port.SearchIndex.query`); the snippets are made here
from the items' text as written — so accents, CJK spacing ("田中 宏") and every script show as
typed, a snippet never cuts a word, and the same code serves every store. What is indexed for each
kind of item is declared once here (:data:`SEARCHABLE`); ``workbench.edit.derived`` indexes it.
Bounded work on any input: at most :data:`SCAN_CHARS` of a text are looked at and a snippet is at
most :data:`SNIPPET_CHARS` long.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from workbench.domain import searchtext
from workbench.domain.values import HIT_END, HIT_START, SearchHit
from workbench.read.rows import chunks, in_list
from workbench.schema import fields

if TYPE_CHECKING:
    from workbench.store.port import Rows, SearchIndex

#: Table → (kind, fields of its search document: the title first, then the body's parts).
SEARCHABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "personas": ("persona", ("name", *fields.SEARCH_TEXT_FIELDS, *fields.SEARCH_LIST_FIELDS)),
    "messages": ("message", ("headline", "body", "call_to_action", "notes")),
    "objections": ("objection", ("objection", "response")),
    "terms": ("term", ("term", "replacement", "note")),
}
TABLE_OF_KIND = {kind: table for table, (kind, _keys) in SEARCHABLE.items()}
#: Words of context around the first match.
CONTEXT_WORDS = 14
#: A text is searched for matches only this far in (a 100 MB field must not stall a search).
SCAN_CHARS = 200_000
#: The longest snippet shown.
SNIPPET_CHARS = 300


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return [str(v) for v in value or ()]


def search_doc(table: str, row: Sequence[Any]) -> tuple[str, str]:
    """(title, body) of a row of ``(id, *SEARCHABLE fields)``: the title is the first field; the body
    joins the other texts, then every item of the list fields, one per line."""
    keys = SEARCHABLE[table][1]
    parts: list[str] = []
    for key, value in zip(keys[1:], row[2:], strict=True):
        if table == "personas" and key in fields.LIST_FIELDS:
            parts.extend(_as_list(value))
        else:
            parts.append(value or "")
    return row[1] or "", "\n".join(parts)


def documents(rows: Rows, items: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """(title, body) of the given ``(kind, item_id)`` items that exist, by id (plain SQL)."""
    by_kind: dict[str, list[str]] = {}
    for kind, item_id in items:
        by_kind.setdefault(kind, []).append(item_id)
    found: dict[str, tuple[str, str]] = {}
    for kind, ids in by_kind.items():
        table = TABLE_OF_KIND.get(kind)
        if table is None:
            continue
        columns = ", ".join(fields.COLUMN_OF.get(k, k) if table == "personas" else k for k in SEARCHABLE[table][1])
        for chunk in chunks(ids):
            sql, params = in_list(chunk)
            for row in rows(f"SELECT id, {columns} FROM {table} WHERE id IN ({sql})", params):
                found[row[0]] = search_doc(table, row)
    return found


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _tokens(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every word of ``text``: a run of letters, digits and marks (marks belong to
    their letter — a Devanagari word stays whole), each CJK character a word of its own."""
    cjk = searchtext.cjk_char()
    start = -1
    for i, ch in enumerate(text):
        if cjk.match(ch):
            if start >= 0:
                yield start, i
                start = -1
            yield i, i + 1
        elif _is_word_char(ch):
            if start < 0:
                start = i
        elif start >= 0:
            yield start, i
            start = -1
    if start >= 0:
        yield start, len(text)


class _Matcher:
    """Whether a word of a text matches what was typed (folded as the index folds)."""

    def __init__(self, text: str) -> None:
        words = searchtext.query_words(text)
        self.pieces = {p for w in words for p in searchtext.pieces(w)}
        last = searchtext.pieces(words[-1]) if words else []
        ends_word = text.endswith((" ", "\t")) or (last and searchtext.cjk_char().match(last[-1]))
        self.prefix = "" if ends_word or not last else last[-1]

    def __call__(self, word: str) -> bool:
        found = searchtext.pieces(searchtext.fold_text(word))
        if not found:
            return False
        if all(p in self.pieces for p in found):
            return True
        return bool(self.prefix) and all(p in self.pieces for p in found[:-1]) and found[-1].startswith(self.prefix)


def snippet(text: str, matches: _Matcher) -> str | None:
    """A short passage of ``text`` around its first match, matches marked with :data:`HIT_START` /
    :data:`HIT_END`, "…" where it was cut; None when nothing in ``text`` matches."""
    scanned = text[:SCAN_CHARS]
    spans = list(_tokens(scanned))
    hits = [i for i, (a, b) in enumerate(spans) if matches(scanned[a:b])]
    if not hits:
        return None
    first = max(0, hits[0] - 3)
    last = min(len(spans), first + CONTEXT_WORDS)
    start, end = spans[first][0], spans[last - 1][1]
    marked = set(hits)
    out: list[str] = []
    pos = start
    for i in range(first, last):
        a, b = spans[i]
        out.append(scanned[pos:a])
        out.append(f"{HIT_START}{scanned[a:b]}{HIT_END}" if i in marked else scanned[a:b])
        pos = b
    body = " ".join("".join(out).split()).replace(HIT_END + HIT_START, "")  # "田中" marked as one
    if len(body) > SNIPPET_CHARS:
        body = body[:SNIPPET_CHARS].rstrip() + "…"
        if body.count(HIT_START) > body.count(HIT_END):
            body += HIT_END
    cut_before = bool(text[:start].strip())
    cut_after = len(text) - end > SCAN_CHARS or bool(text[end:end + SCAN_CHARS].strip())
    return ("…" if cut_before else "") + body + ("…" if cut_after else "")


def search(index: SearchIndex, rows: Rows, text: str, limit: int = 50,
           kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
    """Ranked hits for what a person typed, each with its title and a snippet of its own text."""
    ranked = index.query(text, limit, kinds)
    if not ranked:
        return []
    docs = documents(rows, [(kind, item_id) for kind, item_id, _rank in ranked])
    matcher = _Matcher(text)
    hits = []
    for kind, item_id, rank in ranked:
        title, body = docs.get(item_id, ("", ""))
        shown = snippet(body, matcher) or snippet(title, matcher) or " ".join(title.split())[:SNIPPET_CHARS]
        hits.append(SearchHit(kind, item_id, " ".join(title.split())[:SNIPPET_CHARS], shown, rank))
    return hits
