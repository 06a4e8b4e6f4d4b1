"""Problems: lingo breaches, messages on avoided channels, a persona's own text using an avoided
term, and coverage gaps — the one list the problems panel, the status bar and ``check`` show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.values import Problem
from workbench.read.coverage import coverage
from workbench.read.lingo import checker
from workbench.schema.model import Channel, Message, Persona

if TYPE_CHECKING:
    from workbench.store.port import Rows

#: How each field is named where a problem says where it is.
FIELD_NAMES = {"headline": "headline", "body": "body", "call_to_action": "call to action", "channel": "channel",
               "story": "story", "voice": "voice", "mql": "marketing-qualified", "sql": "sales-qualified"}


def problems(s: Session, rows: Rows, fresh: bool = False) -> list[Problem]:
    """Every lingo breach, avoided channel and coverage gap, each saying where it is.

    By default only messages whose cached ``breach_count`` is non-zero are re-checked for the
    details (every command keeps the count current), so the problems panel stays fast on 240,000
    messages; ``fresh=True`` (the ``check`` command) re-checks every message from scratch.
    """
    check = checker(s)
    found: list[Problem] = []
    by_name = (func.lower(Persona.name), Persona.id)  # the same order in every store
    personas = {row[0]: row for row in s.execute(select(
        Persona.id, Persona.name, Persona.dont, Persona.avoid_channels, Persona.status,
        Persona.preferred_channels).order_by(*by_name))}
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
            tuple(p.dont or ()) if p else (), c.name if c else "", tuple(p.avoid_channels or ()) if p else ())
        where = f"{p.name if p else '?'} · {c.name if c else '?'} · {stage}"
        for b in breaches:
            accepted = status == "approved" and bool(override)
            kind = "accepted" if accepted else ("channel" if b.kind == "channel" else "breach")
            text = f"{where}: {b.describe()}" if b.kind == "channel" else \
                f"{where} ({FIELD_NAMES.get(b.field, b.field)}): {b.describe()}"
            if accepted:
                text += f" (approved with override: {override})"
            found.append(Problem(kind, text, pid, cid, stage, mid, b))
    for pid, name, story, voice, mql, sql in s.execute(select(
            Persona.id, Persona.name, Persona.story, Persona.voice, Persona.mql, Persona.sql).order_by(*by_name)):
        for field_name, value in (("story", story), ("voice", voice), ("mql", mql), ("sql", sql)):
            for b in check.check_text(value or "", field_name, pid):
                found.append(Problem("persona", f"{name} ({FIELD_NAMES.get(b.field, b.field)}): {b.describe()}",
                                     pid, breach=b))
    found.extend(_gaps(s, rows, personas, cmap))
    return found


def _gaps(s: Session, rows: Rows, personas: dict[str, Any], cmap: dict[str, Channel]) -> list[Problem]:
    """A gap for each preferred channel of an approved persona whose cells — one per stage, as the
    matrix counts them — are not all approved; it names the stages still missing (a channel the
    persona also avoids has no cells, so no gap)."""
    by_name = {c.name.strip().casefold(): c for c in cmap.values()}
    wanted = []
    for p in personas.values():
        if p.status != "approved":
            continue
        for name in dict.fromkeys(n.strip().casefold() for n in p.preferred_channels or ()):
            c = by_name.get(name)
            if c is not None:
                wanted.append((p, c))
    if not wanted:
        return []
    matrix = coverage(s, rows)
    gaps = []
    for p, c in wanted:
        missing = [st for st in matrix.stages if matrix.state(p.id, c.id, st) not in ("approved", "avoided")]
        if missing:
            what = "at any stage" if len(missing) == len(matrix.stages) else f"for {', '.join(missing)}"
            gaps.append(Problem("gap", f"{p.name} · {c.name}: {p.name} prefers {c.name}, but there is no "
                                f"approved message {what}", p.id, c.id, missing[0]))
    return gaps
