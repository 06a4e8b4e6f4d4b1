"""Read-side queries: rows in, frozen views out. Nothing here writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.lingo import Breach, Checker, LingoTerm
from workbench.domain.values import (
    COVERAGE_STATES,
    ChannelView,
    Counts,
    CoverageMatrix,
    CoverageSummary,
    MessageText,
    MessageView,
    ObjectionView,
    PersonaSummary,
    PersonaView,
    Problem,
    RevisionView,
    TermView,
    WorkbenchInfo,
)
from workbench.schema.model import (
    STAGES,
    Channel,
    Message,
    MessageRevision,
    Objection,
    Persona,
    Term,
    WorkbenchRow,
)
from workbench.store.sqlite import reader


def info(s: Session) -> WorkbenchInfo:
    """The workbench row."""
    return reader.info(_driver(s))


def logo(s: Session) -> bytes | None:
    """The workbench logo's bytes."""
    return s.execute(select(WorkbenchRow.logo)).scalar()


def channel_view(c: Channel) -> ChannelView:
    """ORM → view."""
    return ChannelView(c.id, c.name, c.guidance, c.position)


def channels(s: Session) -> list[ChannelView]:
    """All channels in their order."""
    return [channel_view(c) for c in s.scalars(select(Channel).order_by(Channel.position, Channel.name))]


def _driver(s: Session) -> sqlite3.Connection:
    """The DB-API connection under a session, for the few hot list queries.

    Building SQLAlchemy rows costs ~3× the SQLite work for 10,000-row lists; these queries are plain
    SQL (portable apart from the ``?`` parameter style) and return plain tuples.
    """
    conn = s.connection().connection.driver_connection
    assert conn is not None
    return conn  # type: ignore[no-any-return]


def persona_summaries(s: Session, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]:
    """Personas by name, without loading stories or portraits (paged; see :mod:`workbench.store.sqlite.reader`)."""
    return reader.persona_summaries(_driver(s), offset, limit)


def persona_order(s: Session) -> list[str]:
    """Every persona id in list order, for lazy list models (see :mod:`workbench.store.sqlite.reader`)."""
    return reader.persona_order(_driver(s))


def persona_summaries_for(s: Session, ids: Sequence[str]) -> list[PersonaSummary]:
    """Summaries of the given personas, in the order given (ids that no longer exist are skipped)."""
    return reader.persona_summaries_for(_driver(s), ids)


def persona_count(s: Session) -> int:
    """How many personas there are."""
    return reader.persona_count(_driver(s))


def persona_view(p: Persona, has_portrait: bool) -> PersonaView:
    """ORM → view."""
    return PersonaView(
        p.id, p.name, p.role, p.organization, p.industry, p.location, p.story,
        tuple(p.motivations or ()), tuple(p.worries or ()), tuple(p.goals or ()), p.technology_comfort,
        tuple(p.preferred_channels or ()), tuple(p.avoid_channels or ()), tuple(p.gatekeepers or ()),
        tuple(p.do_items or ()), tuple(p.dont_items or ()), p.voice, p.mql, p.sql_, tuple(p.tags or ()),
        p.status, p.owner, has_portrait, p.created_at, p.created_by, p.updated_at, p.updated_by)


def persona(s: Session, persona_id: str) -> PersonaView | None:
    """One persona with every field."""
    p = s.get(Persona, persona_id)
    if p is None:
        return None
    has = bool(s.execute(select(Persona.portrait.is_not(None)).where(Persona.id == persona_id)).scalar())
    return persona_view(p, has)


def personas(s: Session, ids: Sequence[str] | None = None) -> list[PersonaView]:
    """Full views of all personas (or the given ones), by name."""
    stmt = select(Persona, Persona.portrait.is_not(None)).order_by(func.lower(Persona.name), Persona.id)
    if ids is not None:
        stmt = stmt.where(Persona.id.in_(list(ids)))
    return [persona_view(p, bool(has)) for p, has in s.execute(stmt)]


def find_persona(s: Session, id_or_name: str) -> PersonaView | None:
    """A persona by id, or by exact name (case-insensitive when unique)."""
    found = persona(s, id_or_name)
    if found is not None:
        return found
    matches = list(s.scalars(select(Persona.id).where(Persona.name == id_or_name)))
    if not matches:
        matches = list(s.scalars(select(Persona.id).where(func.lower(Persona.name) == id_or_name.lower())))
    return persona(s, matches[0]) if len(matches) == 1 else None


def portrait(s: Session, persona_id: str) -> bytes | None:
    """A persona's portrait bytes."""
    return s.execute(select(Persona.portrait).where(Persona.id == persona_id)).scalar()


def _in_force(s: Session, m: Message, revisions: dict[str, MessageRevision] | None = None) -> MessageText | None:
    if m.status == "approved":
        return MessageText(m.headline, m.body, m.call_to_action, m.approved_by, m.approved_at,
                           m.override_reason)
    if m.in_force_revision_id:
        rev = (revisions or {}).get(m.in_force_revision_id) or s.get(MessageRevision, m.in_force_revision_id)
        if rev is not None:
            return MessageText(rev.headline, rev.body, rev.call_to_action, rev.approved_by,
                               rev.approved_at, rev.override_reason)
    return None


def message_view(s: Session, m: Message, channel_name: str,
                 revisions: dict[str, MessageRevision] | None = None) -> MessageView:
    """ORM → view, resolving the approved text in force."""
    return MessageView(
        m.id, m.persona_id, m.channel_id, channel_name, m.stage, m.headline, m.body, m.call_to_action,
        m.notes, m.status, m.approved_by, m.approved_at, m.override_reason, _in_force(s, m, revisions),
        m.breach_count, m.created_at, m.created_by, m.updated_at, m.updated_by)


def messages(s: Session, persona_id: str | None = None, channel_id: str | None = None,
             stage: str | None = None, persona_ids: Iterable[str] | None = None) -> list[MessageView]:
    """Messages, ordered by persona, channel order, stage order, then creation."""
    stmt = select(Message, Channel.name).join(Channel, Channel.id == Message.channel_id)
    if persona_id is not None:
        stmt = stmt.where(Message.persona_id == persona_id)
    if persona_ids is not None:
        stmt = stmt.where(Message.persona_id.in_(list(persona_ids)))
    if channel_id is not None:
        stmt = stmt.where(Message.channel_id == channel_id)
    if stage is not None:
        stmt = stmt.where(Message.stage == stage)
    rows = list(s.execute(stmt.order_by(Message.persona_id, Channel.position, Message.created_at,
                                        Message.id)))
    rev_ids = [m.in_force_revision_id for m, _ in rows if m.in_force_revision_id and m.status != "approved"]
    revs: dict[str, MessageRevision] = {}
    for start in range(0, len(rev_ids), 500):
        for rev in s.scalars(select(MessageRevision).where(MessageRevision.id.in_(rev_ids[start:start + 500]))):
            revs[rev.id] = rev
    order = {st: i for i, st in enumerate(STAGES)}
    views = [message_view(s, m, name, revs) for m, name in rows]
    views.sort(key=lambda v: order.get(v.stage, 9))  # stable: keeps persona/channel order within stage
    return views


def message(s: Session, message_id: str) -> MessageView | None:
    """One message."""
    row = s.execute(select(Message, Channel.name).join(Channel, Channel.id == Message.channel_id)
                    .where(Message.id == message_id)).first()
    return message_view(s, row[0], row[1]) if row else None


def revision_view(r: MessageRevision) -> RevisionView:
    """ORM → view."""
    return RevisionView(r.id, r.message_id, r.seq, r.headline, r.body, r.call_to_action, r.notes, r.status,
                        r.approved_by, r.approved_at, r.override_reason, r.saved_at, r.saved_by)


def revisions(s: Session, message_id: str) -> list[RevisionView]:
    """A message's earlier texts, oldest first."""
    return [revision_view(r) for r in s.scalars(
        select(MessageRevision).where(MessageRevision.message_id == message_id).order_by(MessageRevision.seq))]


def term_view(t: Term) -> TermView:
    """ORM → view."""
    return TermView(t.id, t.term, t.kind, t.replacement, t.note, t.persona_id)


def terms(s: Session) -> list[TermView]:
    """The vocabulary, alphabetically."""
    return [term_view(t) for t in s.scalars(select(Term).order_by(func.lower(Term.term), Term.id))]


def objection_view(o: Objection) -> ObjectionView:
    """ORM → view."""
    return ObjectionView(o.id, o.persona_id, o.objection, o.response, o.heard_count, o.heard_by, o.last_heard)


def objections(s: Session, persona_id: str | None = None) -> list[ObjectionView]:
    """Objections, most often heard first."""
    stmt = select(Objection)
    if persona_id is not None:
        stmt = stmt.where(Objection.persona_id == persona_id)
    return [objection_view(o) for o in s.scalars(
        stmt.order_by(Objection.persona_id, Objection.heard_count.desc(), Objection.created_at, Objection.id))]


def checker(s: Session) -> Checker:
    """A lingo checker over the current vocabulary."""
    return Checker(LingoTerm(t.id, t.term, t.kind, t.replacement, t.note, t.persona_id)
                   for t in s.scalars(select(Term).where(Term.kind == "avoid")))


def message_breaches(s: Session, m: MessageView | Message, check: Checker | None = None,
                     fields: dict[str, str] | None = None) -> list[Breach]:
    """Lingo breaches of a message's working text (or of ``fields`` typed but not yet saved)."""
    check = check or checker(s)
    p = s.get(Persona, m.persona_id)
    channel = s.get(Channel, m.channel_id)
    texts = fields if fields is not None else {
        "headline": m.headline, "body": m.body, "call_to_action": m.call_to_action}
    return check.check_message(texts, m.persona_id, tuple(p.dont_items or ()) if p else (),
                               channel.name if channel else "", tuple(p.avoid_channels or ()) if p else ())


#: Matrix cell states by code, best last, and one message's code in SQL (defined with the plain
#: read path, which counts cells for ``info`` without the ORM).
_CELL_STATES = reader.CELL_STATES
_CELL_CODE = reader.CELL_CODE


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
                dict.__setitem__(self, key, _CELL_STATES[code])

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

    __hash__ = None

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


_CELL_CODE_OF = {state: code for code, state in enumerate(_CELL_STATES) if state}


def coverage(s: Session) -> CoverageMatrix:
    """The whole persona × channel × stage matrix in one query over the covering index.

    A message counts for its cell as ``breach`` when it has blocking breaches (unless approved with
    an override), else ``approved`` when approved or an approved text is in force, else its status;
    the cell shows the best, and ``breach`` beats everything. Retired messages do not count.
    """
    summaries = tuple(persona_summaries(s))
    chans = tuple(channels(s))
    conn = _driver(s)
    channel_ids = [c.id for c in chans][:70]  # one printable character each; more take the plain path
    channel_case = " ".join(f"WHEN ? THEN char({48 + i})" for i in range(len(channel_ids)))
    stage_case = " ".join(f"WHEN '{st}' THEN char({48 + i})" for i, st in enumerate(STAGES))
    channel_expr = f"(CASE channel_id {channel_case} ELSE '~' END)" if channel_ids else "'~'"
    encoded: dict[str, str] = {}
    unusual: list[str] = []
    for pid, enc in conn.execute(
            f"SELECT persona_id, group_concat({channel_expr} || "
            f"(CASE stage {stage_case} ELSE '~' END) || {_CELL_CODE}, '') FROM messages "
            "WHERE status <> 'retired' GROUP BY persona_id", channel_ids):
        if "~" in enc:
            unusual.append(pid)
        else:
            encoded[pid] = enc
    # Personas with messages on a channel or stage the matrix does not list (only a hand-edited file
    # has them): read row by row, by the same rule.
    fallback: dict[tuple[str, str, str], str] = {}
    for start in range(0, len(unusual), 500):
        chunk = unusual[start:start + 500]
        for pid, cid, stage, code in conn.execute(
                f"SELECT persona_id, channel_id, stage, {_CELL_CODE} FROM messages WHERE status <> 'retired' "
                f"AND persona_id IN ({','.join('?' * len(chunk))})", chunk):
            key = (pid, cid, stage)
            if code and code > _CELL_CODE_OF.get(fallback.get(key, ""), 0):
                fallback[key] = _CELL_STATES[code]
    return CoverageMatrix(summaries, chans, STAGES, _CoverageCells(encoded, channel_ids, fallback))


def coverage_counts(s: Session) -> dict[str, int]:
    """How many matrix cells are in each state (see :func:`workbench.store.sqlite.reader.coverage_counts`)."""
    return reader.coverage_counts(_driver(s))


def coverage_for(s: Session, persona_ids: Sequence[str]) -> CoverageMatrix:
    """The matrix rows of some personas only, in the order given — what one screen of a view shows.

    The whole matrix of a 10,000-persona workbench costs a scan of every message (≈ 0.2 s); a screen
    shows a few dozen rows. Here the cells come from a search of the covering index by persona
    (``SEARCH … USING COVERING INDEX ix_messages_coverage (persona_id=?)``, a couple of ms for 50
    personas), grouped per cell in SQL by the same rule as :func:`coverage`; summaries are read by
    key. Ids that no longer exist are skipped (``personas`` is shorter); every channel is listed.
    """
    ids = list(dict.fromkeys(persona_ids))
    conn = _driver(s)
    summaries = tuple(reader.persona_summaries_for(conn, ids))
    chans = tuple(reader.channels(conn))  # plain SQL: no ORM statement to compile on first use
    cells: dict[tuple[str, str, str], str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for pid, cid, stage, code in conn.execute(
                f"SELECT persona_id, channel_id, stage, max({_CELL_CODE}) FROM messages "
                f"WHERE persona_id IN ({','.join('?' * len(chunk))}) AND status <> 'retired' "
                "GROUP BY persona_id, channel_id, stage", chunk):
            if 0 < code < len(_CELL_STATES):
                cells[(pid, cid, stage)] = _CELL_STATES[code]
    return CoverageMatrix(summaries, chans, STAGES, cells)


def coverage_summary(s: Session) -> CoverageSummary:
    """Cells per state for every stage filter of the matrix, counted in SQL in one pass.

    A view's totals line ("9 of 20 cells approved") must not need the matrix: one scan of the
    covering index groups messages per persona × channel pair and keeps each stage's cell code and
    the pair's all-stages code (the worst-wins rule of :meth:`CoverageMatrix.state`), then counts the
    pairs per combination — a few hundred rows reach Python. ≈ 0.2 s on 240,000 messages, so the
    app runs it on a worker; switching the stage filter then needs no new count. Messages on a
    channel or stage the matrix does not list (only a hand-edited file has them) do not count.
    """
    conn = _driver(s)
    channel_ids = {cid for (cid,) in conn.execute("SELECT id FROM channels")}
    personas = persona_count(s)
    per_stage = ", ".join(f"max(CASE WHEN stage = ? THEN {_CELL_CODE} ELSE 0 END) AS s{i}"
                          for i in range(len(STAGES)))
    stage_columns = ", ".join(f"s{i}" for i in range(len(STAGES)))
    by_stage = {st: dict.fromkeys(COVERAGE_STATES, 0) for st in STAGES}
    across = dict.fromkeys(COVERAGE_STATES, 0)
    for row in conn.execute(
            f"SELECT channel_id, {stage_columns}, count(*) FROM (SELECT channel_id, {per_stage} FROM messages "
            f"WHERE status <> 'retired' GROUP BY persona_id, channel_id) GROUP BY channel_id, {stage_columns}",
            STAGES):
        if row[0] not in channel_ids:
            continue
        codes = [c if 0 < c < len(_CELL_STATES) else 0 for c in row[1:-1]]
        n = int(row[-1])
        for st, code in zip(STAGES, codes, strict=True):
            by_stage[st][_CELL_STATES[code] or "none"] += n
        across[_CELL_STATES[max(codes)] or "none"] += n
    cells = personas * len(channel_ids)
    for counts in (*by_stage.values(), across):  # pairs without a single counted message
        counts["none"] += cells - sum(counts.values())
    return CoverageSummary(personas, len(channel_ids), by_stage, across)


def problems(s: Session, fresh: bool = False) -> list[Problem]:
    """Every lingo breach and coverage gap.

    By default only messages whose cached ``breach_count`` is non-zero are re-checked for the
    details (every command keeps the count current), so the problems panel stays fast on 240,000
    messages; ``fresh=True`` (the ``check`` command) re-checks every message from scratch.
    """
    check = checker(s)
    found: list[Problem] = []
    personas = {row[0]: row for row in s.execute(select(
        Persona.id, Persona.name, Persona.dont_items, Persona.avoid_channels, Persona.status,
        Persona.preferred_channels))}
    cmap = {c.id: c for c in s.scalars(select(Channel))}
    stmt = select(Message.id, Message.persona_id, Message.channel_id, Message.stage, Message.status,
                  Message.headline, Message.body, Message.call_to_action, Message.override_reason
                  ).where(Message.status != "retired")
    if not fresh:
        stmt = stmt.where(Message.breach_count > 0)
    for mid, pid, cid, stage, status, headline, body, cta, override in s.execute(
            stmt.order_by(Message.persona_id, Message.created_at)):
        p = personas.get(pid)
        c = cmap.get(cid)
        breaches = check.check_message(
            {"headline": headline, "body": body, "call_to_action": cta}, pid,
            tuple(p.dont_items or ()) if p else (), c.name if c else "", tuple(p.avoid_channels or ()) if p else ())
        where = f"{p.name if p else '?'} · {c.name if c else '?'} · {stage}"
        for b in breaches:
            accepted = status == "approved" and bool(override)
            kind = "accepted" if accepted else "breach"
            text = f"{where}: {b.describe()}"
            if accepted:
                text += f" (approved with override: {override})"
            found.append(Problem(kind, text, pid, cid, stage, mid, b))
    for pid, name, story, voice, mql, sql in s.execute(select(
            Persona.id, Persona.name, Persona.story, Persona.voice, Persona.mql, Persona.sql_)):
        for field_name, value in (("story", story), ("voice", voice), ("mql", mql), ("sql", sql)):
            for b in check.check_text(value or "", field_name, pid):
                found.append(Problem("persona", f"{name} ({b.field}): {b.describe()}", pid, breach=b))
    by_name = {c.name.casefold(): c for c in cmap.values()}
    wanted_pairs = []
    for p in personas.values():
        if p.status != "approved":
            continue
        for wanted in p.preferred_channels or ():
            c = by_name.get(wanted.strip().casefold())
            if c is not None:
                wanted_pairs.append((p, c))
    if wanted_pairs:
        matrix = coverage(s)
        for p, c in wanted_pairs:
            if not any(matrix.state(p.id, c.id, st) == "approved" for st in matrix.stages):
                found.append(Problem("gap", f"{p.name} prefers {c.name}, but has no approved "
                                     f"{c.name} message yet", p.id, c.id))
    return found


def message_counts_by_channel(s: Session) -> dict[str, int]:
    """Channel id → number of messages (one grouped query; the channel list shows it)."""
    return reader.message_counts_by_channel(_driver(s))


def counts(s: Session) -> Counts:
    """Totals for ``info`` and the status bar."""
    return reader.counts(_driver(s))


def search_texts(kind: str, row: object) -> tuple[str, str]:
    """(title, body) indexed for a searchable row."""
    if kind == "persona":
        p = row
        assert isinstance(p, Persona)
        lists = [*(p.motivations or ()), *(p.worries or ()), *(p.goals or ()), *(p.gatekeepers or ()),
                 *(p.do_items or ()), *(p.dont_items or ()), *(p.tags or ())]
        body = "\n".join([p.role, p.organization, p.industry, p.location, p.story, p.voice, p.mql, p.sql_,
                          *lists])
        return p.name, body
    if kind == "message":
        assert isinstance(row, Message)
        return row.headline, "\n".join([row.body, row.call_to_action, row.notes])
    if kind == "objection":
        assert isinstance(row, Objection)
        return row.objection, row.response
    if kind == "term":
        assert isinstance(row, Term)
        return row.term, "\n".join([row.replacement, row.note])
    raise ValueError(kind)



# --- objections for lazy lists ------------------------------------------------------------------

#: Display order of objections: most often heard first, then by text ignoring case, then id (stable).
OBJECTION_ORDER = "ORDER BY heard_count DESC, lower(objection), id"
_OBJECTION_COLUMNS = "id, persona_id, objection, response, heard_count, heard_by, last_heard"


def objection_order(s: Session, persona_id: str | None = None) -> list[str]:
    """Objection ids in display order (one persona's, or everyone's with ``None``) — for lazy lists.

    Reads only the id and the sort keys, never the responses: ≈ 30 ms for 20,000 objections, where
    building every :class:`ObjectionView` through the ORM took seconds. The rows on screen are then
    read by key with :func:`objection_rows_for`.
    """
    conn = _driver(s)
    if persona_id is None:
        rows = conn.execute(f"SELECT id FROM objections {OBJECTION_ORDER}")
    else:
        rows = conn.execute(f"SELECT id FROM objections WHERE persona_id = ? {OBJECTION_ORDER}", (persona_id,))
    return [r[0] for r in rows]


def objection_rows_for(s: Session, ids: Sequence[str]) -> list[ObjectionView]:
    """The given objections, in the order given (ids that no longer exist are skipped), 500 per query."""
    conn = _driver(s)
    found: dict[str, ObjectionView] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        for r in conn.execute(f"SELECT {_OBJECTION_COLUMNS} FROM objections WHERE id IN "
                              f"({','.join('?' * len(chunk))})", chunk):
            found[r[0]] = ObjectionView(r[0], r[1], r[2], r[3], int(r[4]), r[5], r[6])
    return [found[i] for i in ids if i in found]
