"""The vocabulary and checking text against it (the rules themselves are :mod:`workbench.domain.lingo`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.lingo import Breach, Checker, LingoTerm
from workbench.domain.values import MessageView, TermView
from workbench.schema.model import Channel, Message, Persona, Term


def term_view(t: Term) -> TermView:
    """ORM → view."""
    return TermView(t.id, t.term, t.kind, t.replacement, t.note, t.persona_id, t.version)


def terms(s: Session) -> list[TermView]:
    """The vocabulary, alphabetically."""
    return [term_view(t) for t in s.scalars(select(Term).order_by(func.lower(Term.term), Term.id))]


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
    return check.check_message(texts, m.persona_id, tuple(p.dont or ()) if p else (),
                               channel.name if channel else "", tuple(p.avoid_channels or ()) if p else ())
