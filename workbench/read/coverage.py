"""The coverage matrix: persona × channel × stage, and where approved messaging exists.

The one definition (see :class:`~workbench.domain.values.CoverageMatrix`): a cell is persona ×
channel × stage, channels a persona avoids are not cells, and one rule decides a cell — here in SQL
(:data:`CELL_CODE`) so the whole matrix is one indexed query: a message counts for its cell as
``breach`` when it has blocking lingo breaches (unless approved with an override), else ``approved``
when approved or an approved text is still in force while a new draft waits, else its status; the
cell shows the best, and ``breach`` beats everything. Retired messages do not count. The matrix,
its totals, ``info``, ``check``, the problems panel and the status bar all count these cells.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from workbench.domain.values import COVERAGE_STATES, ChannelView, CoverageMatrix, CoverageSummary
from workbench.read.personas import persona_count, persona_summaries, persona_summaries_for
from workbench.read.rows import chunks, in_list
from workbench.read.workbench import channels
from workbench.schema.fileformat import STAGES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.store.port import Rows

#: Coverage cell states by code (0: no message, or none that counts), best last but ``breach``.
CELL_STATES = ("", "draft", "in_review", "approved", "breach")


def _cell_rule(breach: str, approved: str, in_review: str, draft: str, other: str) -> str:
    """The cell rule as a portable SQL ``CASE`` giving one of the five results."""
    return (f"(CASE WHEN breach_count <> 0 AND NOT (status = 'approved' AND override_reason <> '') THEN {breach}"
            " WHEN status = 'approved' OR (in_force_revision_id IS NOT NULL AND in_force_revision_id <> '')"
            f" THEN {approved} WHEN status = 'in_review' THEN {in_review} WHEN status = 'draft' THEN {draft}"
            f" ELSE {other} END)")


#: One message's contribution to its cell, as a code into :data:`CELL_STATES`.
CELL_CODE = _cell_rule("4", "3", "2", "1", "0")
#: The same code as one digit of text, for the encoded whole matrix.
_CELL_CHAR = _cell_rule("'4'", "'3'", "'2'", "'1'", "'0'")
_CELL_CODE_OF = {state: code for code, state in enumerate(CELL_STATES) if state}


def _as_list(value: Any) -> list[str]:
    """A list column as read by plain SQL: JSON text (SQLite) or already a list (other drivers)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [v for v in value or () if isinstance(v, str)]


def avoided_channels(rows: Rows, chans: Sequence[ChannelView],
                     persona_ids: Sequence[str] | None = None) -> dict[str, frozenset[str]]:
    """Persona id → ids of the channels it avoids (named in its ``avoid_channels``, any case);
    personas avoiding none are left out. All personas, or the given ones."""
    by_name = {c.name.strip().casefold(): c.id for c in chans}
    found: list[Sequence[Any]] = []
    if persona_ids is None:
        found = rows("SELECT id, avoid_channels FROM personas")
    else:
        for chunk in chunks(list(persona_ids)):
            sql, params = in_list(chunk)
            found.extend(rows(f"SELECT id, avoid_channels FROM personas WHERE id IN ({sql})", params))
    avoided: dict[str, frozenset[str]] = {}
    for pid, names in found:
        ids = frozenset(cid for name in _as_list(names) if (cid := by_name.get(name.strip().casefold())))
        if ids:
            avoided[pid] = ids
    return avoided


def coverage_counts(rows: Rows) -> dict[str, int]:
    """How many coverage cells are in each state, every stage together (``none`` included) — for
    ``info``: counted in SQL, no matrix built; the same cells as the matrix's totals."""
    summary = coverage_summary(rows)
    return {state: summary.count(state) for state in COVERAGE_STATES}


def _decoding_first(name: str) -> Any:
    """A ``dict`` method for :class:`_CoverageCells` that decodes every cell before it runs."""
    def method(self: _CoverageCells, *args: Any, **kwargs: Any) -> Any:
        self._decode_all()
        return getattr(dict, name)(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"dict.{name}, after decoding every cell."
    return method


class _CoverageCells(dict[tuple[str, str, str], str]):
    """The matrix cells, decoded one persona at a time on first use.

    :func:`coverage` reads the whole matrix in one indexed query, but as one compact string per
    persona (channel number, stage number, state code per message) instead of 240,000 rows: building
    a quarter of a million Python keys costs more than the query. A view that looks up the rows on
    screen decodes only those personas; anything that walks the whole mapping (``values()``,
    iteration, ``len``, comparison, mutation) decodes everything first. It is a real ``dict``.
    """

    def __init__(self, encoded: dict[str, str], channel_ids: Sequence[str],
                 fallback: dict[tuple[str, str, str], str]) -> None:
        super().__init__(fallback)
        self._encoded = encoded
        self._channels = {chr(48 + i): cid for i, cid in enumerate(channel_ids)}
        self._stages = {chr(48 + i): st for i, st in enumerate(STAGES)}

    def _decode(self, persona_id: str) -> None:
        enc = self._encoded.pop(persona_id, None)
        if not enc:
            return
        best: dict[tuple[str, str, str], int] = {}
        for i in range(0, len(enc) - 2, 3):
            code = ord(enc[i + 2]) - 48
            if code <= 0:
                continue
            key = (persona_id, self._channels[enc[i]], self._stages[enc[i + 1]])
            if code > best.get(key, 0):
                best[key] = code
        for key, code in best.items():
            if code > _CELL_CODE_OF.get(dict.get(self, key, ""), 0):
                dict.__setitem__(self, key, CELL_STATES[code])

    def _decode_all(self) -> None:
        for pid in list(self._encoded):
            self._decode(pid)

    def __getitem__(self, key: tuple[str, str, str]) -> str:
        self._decode(key[0])
        return dict.__getitem__(self, key)

    def get(self, key: tuple[str, str, str], default: Any = None) -> Any:
        """A cell's state, or ``default``."""
        if isinstance(key, tuple) and key:
            self._decode(key[0])
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, tuple) and key:
            self._decode(key[0])
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        self._decode_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._decode_all()
        return dict.__len__(self)

    def __eq__(self, other: object) -> bool:
        self._decode_all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # a mutable mapping, like dict

    __repr__ = _decoding_first("__repr__")
    keys = _decoding_first("keys")
    values = _decoding_first("values")
    items = _decoding_first("items")

    def copy(self) -> dict[tuple[str, str, str], str]:
        """A plain dict of every cell."""
        self._decode_all()
        return dict(dict.items(self))

    def __reduce__(self) -> Any:
        return (dict, (self.copy(),))

    __setitem__ = _decoding_first("__setitem__")
    __delitem__ = _decoding_first("__delitem__")
    update = _decoding_first("update")
    pop = _decoding_first("pop")
    popitem = _decoding_first("popitem")
    setdefault = _decoding_first("setdefault")
    clear = _decoding_first("clear")
    __ior__ = _decoding_first("__ior__")
    __or__ = _decoding_first("__or__")


#: Channels encoded one printable character each (``chr(48 + i)``); more take the plain path.
_ENCODED_CHANNELS = 70


def coverage(s: Session, rows: Rows) -> CoverageMatrix:
    """The whole persona × channel × stage matrix in one query over the covering index."""
    from sqlalchemy import String, case, func, literal, literal_column, select

    from workbench.schema.model import Message

    summaries = tuple(persona_summaries(rows))
    chans = tuple(channels(rows))
    channel_ids = [c.id for c in chans][:_ENCODED_CHANNELS]
    channel_char = case({cid: literal(chr(48 + i), String) for i, cid in enumerate(channel_ids)},
                        value=Message.channel_id, else_=literal("~", String)) if channel_ids else literal("~", String)
    stage_char = case({st: literal(chr(48 + i), String) for i, st in enumerate(STAGES)},
                      value=Message.stage, else_=literal("~", String))
    code_char = literal_column(_CELL_CHAR, String)
    encoded: dict[str, str] = {}
    unusual: list[str] = []
    stmt = (select(Message.persona_id, func.aggregate_strings(channel_char.concat(stage_char).concat(code_char), ""))
            .where(Message.status != "retired").group_by(Message.persona_id))
    for pid, enc in s.execute(stmt):
        if "~" in enc:
            unusual.append(pid)
        else:
            encoded[pid] = enc
    # Personas with messages on a channel or stage the matrix does not list (only a hand-edited file
    # has them): read row by row, by the same rule.
    fallback: dict[tuple[str, str, str], str] = {}
    for chunk in chunks(unusual):
        sql, params = in_list(chunk)
        for pid, cid, stage, code in rows(
                f"SELECT persona_id, channel_id, stage, {CELL_CODE} FROM messages WHERE status <> 'retired' "
                f"AND persona_id IN ({sql})", params):
            key = (pid, cid, stage)
            if code and code > _CELL_CODE_OF.get(fallback.get(key, ""), 0):
                fallback[key] = CELL_STATES[code]
    return CoverageMatrix(summaries, chans, STAGES, _CoverageCells(encoded, channel_ids, fallback),
                          avoided_channels(rows, chans))


def coverage_for(rows: Rows, persona_ids: Sequence[str]) -> CoverageMatrix:
    """The matrix rows of some personas only, in the order given — what one screen of a view shows.

    The whole matrix of a 10,000-persona workbench costs a scan of every message (≈ 0.2 s); a screen
    shows a few dozen rows, found through the covering index by persona and grouped per cell in SQL
    by the same rule as :func:`coverage`. Ids that no longer exist are skipped; every channel is listed.
    """
    ids = list(dict.fromkeys(persona_ids))
    summaries = tuple(persona_summaries_for(rows, ids))
    chans = tuple(channels(rows))
    cells: dict[tuple[str, str, str], str] = {}
    for chunk in chunks(ids):
        sql, params = in_list(chunk)
        for pid, cid, stage, code in rows(
                f"SELECT persona_id, channel_id, stage, max({CELL_CODE}) FROM messages "
                f"WHERE persona_id IN ({sql}) AND status <> 'retired' "
                "GROUP BY persona_id, channel_id, stage", params):
            if 0 < code < len(CELL_STATES):
                cells[(pid, cid, stage)] = CELL_STATES[code]
    return CoverageMatrix(summaries, chans, STAGES, cells, avoided_channels(rows, chans, ids))


def _stage_codes(rows: Rows, where: str = "", params: dict[str, Any] | None = None,
                 by_persona: bool = False) -> Iterable[Sequence[Any]]:
    """Per persona × channel pair, each stage's cell code (``s0`` … in :data:`STAGES` order) — grouped
    again by channel and codes (a few hundred rows) unless ``by_persona``; the last column counts."""
    per_stage = ", ".join(f"max(CASE WHEN stage = :st{i} THEN {CELL_CODE} ELSE 0 END) AS s{i}"
                          for i in range(len(STAGES)))
    stage_columns = ", ".join(f"s{i}" for i in range(len(STAGES)))
    keys = "persona_id, channel_id" if by_persona else "channel_id"
    return rows(
        f"SELECT {keys}, {stage_columns}, count(*) FROM (SELECT persona_id, channel_id, {per_stage} "
        f"FROM messages WHERE status <> 'retired' {where} GROUP BY persona_id, channel_id) AS pairs "
        f"GROUP BY {keys}, {stage_columns}", {**{f"st{i}": st for i, st in enumerate(STAGES)}, **(params or {})})


def coverage_summary(rows: Rows) -> CoverageSummary:
    """Cells per state for every stage, counted in SQL.

    A view's totals line ("9 of 20 cells approved") must not need the matrix: one scan of the
    covering index groups messages per persona × channel pair and keeps each stage's cell code, then
    counts the pairs per combination — a few hundred rows reach Python (≈ 0.2 s on 240,000 messages:
    the app runs it on a worker). The pairs of avoided channels are then taken out again (they are
    few). Messages on a channel or stage the matrix does not list (only a hand-edited file has them)
    do not count.
    """
    chans = channels(rows)
    channel_ids = {c.id for c in chans}
    personas = persona_count(rows)
    avoided = avoided_channels(rows, chans)
    by_stage = {st: dict.fromkeys(COVERAGE_STATES, 0) for st in STAGES}

    def add(codes: Sequence[Any], n: int) -> None:
        for st, code in zip(STAGES, codes, strict=True):
            code = code if 0 < code < len(CELL_STATES) else 0
            by_stage[st][CELL_STATES[code] or "none"] += n

    for row in _stage_codes(rows):
        if row[0] in channel_ids:
            add(row[1:-1], int(row[-1]))
    for chunk in chunks(sorted(avoided)):
        sql, params = in_list(chunk)
        for row in _stage_codes(rows, f"AND persona_id IN ({sql})", params, by_persona=True):
            if row[1] in avoided.get(row[0], ()) and row[1] in channel_ids:
                add(row[2:-1], -int(row[-1]))
    avoided_pairs = sum(len(ids & channel_ids) for ids in avoided.values())
    cells = personas * len(channel_ids) - avoided_pairs
    for counts in by_stage.values():  # cells without a single counted message
        counts["none"] += cells - sum(counts.values())
    return CoverageSummary(personas, len(channel_ids), by_stage, avoided_pairs)
