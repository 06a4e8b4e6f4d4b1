"""Messages with the approved text in force, and their revision history."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.values import MessageText, MessageView, RevisionView
from workbench.schema.model import STAGES, Channel, Message, MessageRevision


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
        m.breach_count, m.created_at, m.created_by, m.updated_at, m.updated_by, m.version)


def messages(s: Session, persona_id: str | None = None, channel_id: str | None = None,
             stage: str | None = None, persona_ids: Iterable[str] | None = None) -> list[MessageView]:
    """Messages, ordered by stage, then persona, channel order and creation."""
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
                        r.approved_by, r.approved_at, r.override_reason, r.saved_at, r.saved_by, r.version)


def revisions(s: Session, message_id: str) -> list[RevisionView]:
    """A message's earlier texts, oldest first."""
    return [revision_view(r) for r in s.scalars(
        select(MessageRevision).where(MessageRevision.message_id == message_id).order_by(MessageRevision.seq))]
