"""Commands on messages: create, edit (an approved text stays in force while a new draft waits),
move through draft → in review → approved → retired, delete with its history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from workbench.domain import errors
from workbench.domain.lingo import Breach
from workbench.edit.commands.base import Command, get, stamp, stamp_new
from workbench.schema.model import MESSAGE_STATUSES, STAGES, Channel, Message, MessageRevision, Persona
from workbench.store.unit import Tx

TEXT_FIELDS = ("headline", "body", "call_to_action")
#: Draft edits by the same person within this many seconds update the same revision.
REVISION_COALESCE_S = 600


def _check_message_values(values: Mapping[str, Any]) -> None:
    allowed = {"headline", "body", "call_to_action", "notes", "stage", "channel_id", "persona_id"}
    for key, value in values.items():
        if key not in allowed:
            raise errors.ValidationError(f"Messages have no field called {key!r}.")
        if not isinstance(value, str):
            raise errors.ValidationError(f"{key} must be text.")
    if "stage" in values and values["stage"] not in STAGES:
        raise errors.ValidationError(f"A stage is one of {', '.join(STAGES)}.")


@dataclass(frozen=True)
class CreateMessage(Command):
    """Add a draft message for persona × channel × stage."""

    persona_id: str
    channel_id: str
    stage: str = "awareness"
    values: Mapping[str, str] = field(default_factory=dict)
    message_id: str | None = None
    label: str = "New Message"

    def apply(self, tx: Tx) -> None:
        """Insert a draft."""
        get(tx, Persona, self.persona_id, "persona")
        get(tx, Channel, self.channel_id, "channel")
        _check_message_values({"stage": self.stage, **self.values})
        m = Message(id=self.message_id or tx.ctx.new_id(), persona_id=self.persona_id,
                    channel_id=self.channel_id, stage=self.stage, status="draft",
                    headline=self.values.get("headline", ""), body=self.values.get("body", ""),
                    call_to_action=self.values.get("call_to_action", ""), notes=self.values.get("notes", ""),
                    approved_by="", approved_at="", override_reason="", breach_count=0)
        stamp_new(tx, m)
        tx.session.add(m)
        tx.extra["id"] = m.id


def _next_seq(tx: Tx, message_id: str) -> int:
    last = tx.session.execute(select(func.max(MessageRevision.seq))
                              .where(MessageRevision.message_id == message_id)).scalar()
    return (last or 0) + 1


def snapshot(tx: Tx, m: Message) -> MessageRevision:
    """Keep the message's current text as a revision."""
    rev = MessageRevision(
        id=tx.ctx.new_id(), message_id=m.id, seq=_next_seq(tx, m.id), headline=m.headline, body=m.body,
        call_to_action=m.call_to_action, notes=m.notes, status=m.status, approved_by=m.approved_by,
        approved_at=m.approved_at, override_reason=m.override_reason, saved_at=m.updated_at,
        saved_by=m.updated_by)
    tx.session.add(rev)
    return rev


def _needs_snapshot(tx: Tx, m: Message) -> bool:
    if m.status != "draft":
        return True
    if not any((m.headline, m.body, m.call_to_action)):
        return False
    last = tx.session.scalars(select(MessageRevision).where(MessageRevision.message_id == m.id)
                              .order_by(MessageRevision.seq.desc())).first()
    if last is None or m.updated_by != tx.ctx.user:
        return True
    # Coalesce a burst of draft edits by one person into one revision.
    try:
        age = (tx.ctx.clock() - datetime.fromisoformat(m.updated_at)).total_seconds()
    except ValueError:
        return True
    return age > REVISION_COALESCE_S


@dataclass(frozen=True)
class UpdateMessage(Command):
    """Edit a message. Editing approved text starts a new draft; the approved text stays in force."""

    message_id: str
    values: Mapping[str, str]
    label: str = "Edit Message"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Snapshot the previous text when needed, then set the fields."""
        m = get(tx, Message, self.message_id, "message", self.version)
        _check_message_values(self.values)
        if "channel_id" in self.values:
            get(tx, Channel, self.values["channel_id"], "channel")
        if "persona_id" in self.values:
            get(tx, Persona, self.values["persona_id"], "persona")
        text_changed = any(k in TEXT_FIELDS and self.values[k] != getattr(m, k) for k in self.values)
        other_changed = any(k not in TEXT_FIELDS and self.values[k] != getattr(m, k) for k in self.values)
        if not (text_changed or other_changed):
            return
        if text_changed:
            if _needs_snapshot(tx, m):
                rev = snapshot(tx, m)
                if m.status == "approved":
                    m.in_force_revision_id = rev.id
            if m.status != "draft":
                m.status = "draft"
                m.approved_by = m.approved_at = m.override_reason = ""
        for key, value in self.values.items():
            setattr(m, key, value)
        stamp(tx, m)


@dataclass(frozen=True)
class SetMessageStatus(Command):
    """Move a message through draft → in review → approved → retired (or back to draft).

    Approving text with lingo breaches needs ``override_reason``; it is recorded with the approval.
    """

    message_id: str
    status: str
    override_reason: str = ""
    label: str = ""
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Check the transition and the lingo, then set status and approval."""
        from workbench.read.lingo import message_breaches

        if self.status not in MESSAGE_STATUSES:
            raise errors.ValidationError(f"A message's status is one of {', '.join(MESSAGE_STATUSES)}.")
        m = get(tx, Message, self.message_id, "message", self.version)
        if m.status == self.status:
            return
        if self.status == "approved":
            breaches: list[Breach] = message_breaches(tx.session, m)
            if breaches and not self.override_reason.strip():
                words = "; ".join(b.describe() for b in breaches[:3])
                raise errors.ApprovalBlocked(
                    f"This message breaks the lingo ({words}). Fix it, or approve with a reason "
                    "for the override.", tuple(breaches))
            m.approved_by = tx.ctx.user
            m.approved_at = tx.ctx.now()
            m.override_reason = self.override_reason.strip() if breaches else ""
            m.in_force_revision_id = None
        elif self.status == "retired":
            if m.status == "approved":
                snapshot(tx, m)
            m.in_force_revision_id = None
        elif m.status == "approved":  # withdrawing an approval: keep the approved text in history
            snapshot(tx, m)
            m.approved_by = m.approved_at = m.override_reason = ""
        m.status = self.status
        stamp(tx, m)

    def __post_init__(self) -> None:
        if not self.label:
            names = {"draft": "Return Message to Draft", "in_review": "Send Message for Review",
                     "approved": "Approve Message", "retired": "Retire Message"}
            object.__setattr__(self, "label", names.get(self.status, "Change Message Status"))


@dataclass(frozen=True)
class DeleteMessage(Command):
    """Delete a message and its revision history."""

    message_id: str
    label: str = "Delete Message"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Delete revisions, then the message."""
        m = get(tx, Message, self.message_id, "message", self.version)
        for rev in tx.session.scalars(select(MessageRevision).where(MessageRevision.message_id == m.id)):
            tx.session.delete(rev)
        tx.session.flush()
        tx.session.delete(m)
