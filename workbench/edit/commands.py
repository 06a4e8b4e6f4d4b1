"""Every edit to a workbench is one of these commands.

A command is a small frozen dataclass with a ``label`` (what the Edit menu says: "Undo Rename
Persona") and ``apply(tx)``, which changes rows through the ORM inside the transaction. The
:class:`~workbench.session.Workbench` runs it, recomputes derived data, and returns a
:class:`~workbench.edit.changes.Change` that can be undone and redone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from workbench.domain import errors, images
from workbench.domain.lingo import Breach
from workbench.edit.changes import RowImage, Tx, restore
from workbench.schema.model import (
    MESSAGE_STATUSES,
    PERSONA_STATUSES,
    STAGES,
    TERM_KINDS,
    Channel,
    Message,
    MessageRevision,
    Objection,
    Persona,
    Term,
    WorkbenchRow,
)

#: Persona fields a command may set: view name → ORM attribute.
PERSONA_FIELDS: dict[str, str] = {
    "name": "name", "role": "role", "organization": "organization", "industry": "industry",
    "location": "location", "story": "story", "motivations": "motivations", "worries": "worries",
    "goals": "goals", "technology_comfort": "technology_comfort",
    "preferred_channels": "preferred_channels", "avoid_channels": "avoid_channels",
    "gatekeepers": "gatekeepers", "do": "do_items", "dont": "dont_items", "voice": "voice", "mql": "mql",
    "sql": "sql_", "tags": "tags", "status": "status", "owner": "owner",
}
LIST_FIELDS = frozenset({"motivations", "worries", "goals", "preferred_channels", "avoid_channels",
                         "gatekeepers", "do", "dont", "tags"})
TEXT_FIELDS = ("headline", "body", "call_to_action")
#: Draft edits by the same person within this many seconds update the same revision.
REVISION_COALESCE_S = 600


def _stamp_new(tx: Tx, row: Any) -> None:
    now = tx.ctx.now()
    row.created_at = row.updated_at = now
    row.created_by = row.updated_by = tx.ctx.user


def _stamp(tx: Tx, row: Any) -> None:
    row.updated_at = tx.ctx.now()
    row.updated_by = tx.ctx.user


def _get(tx: Tx, cls: type[Any], row_id: str, what: str) -> Any:
    row = tx.session.get(cls, row_id)
    if row is None:
        raise errors.NotFoundInWorkbench(f"That {what} no longer exists.")
    return row


def _clean_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise errors.ValidationError(f"{name} must be a list of texts.")
    return [v for v in value]


def check_persona_value(name: str, value: Any) -> Any:
    """Validate one persona field's value; return it as stored."""
    if name not in PERSONA_FIELDS:
        raise errors.ValidationError(f"Personas have no field called {name!r}.")
    if name in LIST_FIELDS:
        return _clean_list(name, value)
    if name == "technology_comfort":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise errors.ValidationError("Technology comfort is a whole number from 1 to 5.")
        return value
    if not isinstance(value, str):
        raise errors.ValidationError(f"{name} must be text.")
    if name == "name" and not value.strip():
        raise errors.ValidationError("A persona needs a name.")
    if name == "status" and value not in PERSONA_STATUSES:
        raise errors.ValidationError(f"A persona's status is one of {', '.join(PERSONA_STATUSES)}.")
    return value


def _set_fields(row: Any, values: Mapping[str, Any], mapping: Mapping[str, str]) -> bool:
    changed = False
    for key, value in values.items():
        attr = mapping[key]
        if getattr(row, attr) != value:
            setattr(row, attr, list(value) if isinstance(value, (list, tuple)) else value)
            changed = True
    return changed


# ---------------------------------------------------------------------------------------------


class Command:
    """Base: ``label`` for menus, ``apply`` to change rows inside a transaction."""

    label: str = "Edit"

    def apply(self, tx: Tx) -> None:  # pragma: no cover - abstract
        """Change rows; raise a :class:`errors.WorkbenchError` to abort without changing anything."""
        raise NotImplementedError


@dataclass(frozen=True)
class Restore(Command):
    """Put rows back as images say: undo and redo of any other command."""

    images: tuple[RowImage, ...]
    label: str = "Edit"

    def apply(self, tx: Tx) -> None:
        """Restore the images."""
        restore(tx, self.images)


@dataclass(frozen=True)
class UpdateWorkbench(Command):
    """Change the workbench's name, organisation or brand narrative."""

    values: Mapping[str, str]
    label: str = "Edit Workbench"

    def apply(self, tx: Tx) -> None:
        """Set the given fields."""
        row = tx.session.scalars(select(WorkbenchRow)).first()
        if row is None:
            raise errors.NotFoundInWorkbench("The workbench row is missing.")
        mapping = {"name": "name", "organization": "organization", "narrative": "narrative"}
        for key, value in self.values.items():
            if key not in mapping:
                raise errors.ValidationError(f"The workbench has no field called {key!r}.")
            if not isinstance(value, str):
                raise errors.ValidationError(f"{key} must be text.")
        if "name" in self.values and not self.values["name"].strip():
            raise errors.ValidationError("The workbench needs a name.")
        if _set_fields(row, self.values, mapping):
            _stamp(tx, row)


@dataclass(frozen=True)
class SetLogo(Command):
    """Set or clear the workbench logo (PNG or JPEG bytes)."""

    data: bytes | None
    label: str = "Change Logo"

    def apply(self, tx: Tx) -> None:
        """Validate and store."""
        row = tx.session.scalars(select(WorkbenchRow)).first()
        if row is None:
            raise errors.NotFoundInWorkbench("The workbench row is missing.")
        if self.data is not None:
            images.validate(self.data)
        row.logo = self.data
        _stamp(tx, row)


# --- personas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatePersona(Command):
    """Add a persona."""

    values: Mapping[str, Any]
    persona_id: str | None = None
    label: str = "New Persona"

    def apply(self, tx: Tx) -> None:
        """Insert with defaults for everything not given."""
        values = {k: check_persona_value(k, v) for k, v in self.values.items()}
        if not str(values.get("name", "")).strip():
            raise errors.ValidationError("A persona needs a name.")
        p = Persona(id=self.persona_id or tx.ctx.new_id())
        for key in PERSONA_FIELDS:
            default: Any = [] if key in LIST_FIELDS else ("draft" if key == "status" else "")
            if key == "technology_comfort":
                default = None
            setattr(p, PERSONA_FIELDS[key], values.get(key, default))
        _stamp_new(tx, p)
        tx.session.add(p)
        tx.extra["id"] = p.id


@dataclass(frozen=True)
class UpdatePersona(Command):
    """Change some fields of a persona."""

    persona_id: str
    values: Mapping[str, Any]
    label: str = "Edit Persona"

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        p = _get(tx, Persona, self.persona_id, "persona")
        values = {k: check_persona_value(k, v) for k, v in self.values.items()}
        if _set_fields(p, values, PERSONA_FIELDS):
            _stamp(tx, p)


@dataclass(frozen=True)
class SetPortrait(Command):
    """Set or clear a persona's portrait (PNG or JPEG bytes, stored as given)."""

    persona_id: str
    data: bytes | None
    label: str = "Change Portrait"

    def apply(self, tx: Tx) -> None:
        """Validate and store."""
        p = _get(tx, Persona, self.persona_id, "persona")
        if self.data is not None:
            images.validate(self.data)
        p.portrait = self.data
        _stamp(tx, p)


@dataclass(frozen=True)
class DeletePersona(Command):
    """Delete a persona with its messages, revisions, objections and scoped terms."""

    persona_id: str
    label: str = "Delete Persona"

    def apply(self, tx: Tx) -> None:
        """Delete children first, then the persona."""
        p = _get(tx, Persona, self.persona_id, "persona")
        s = tx.session
        msg_ids = list(s.scalars(select(Message.id).where(Message.persona_id == p.id)))
        for start in range(0, len(msg_ids), 500):
            chunk = msg_ids[start:start + 500]
            for rev in s.scalars(select(MessageRevision).where(MessageRevision.message_id.in_(chunk))):
                s.delete(rev)
        for cls in (Message, Objection, Term):
            for row in s.scalars(select(cls).where(cls.persona_id == p.id)):
                s.delete(row)
        s.flush()
        s.delete(p)


# --- channels ---------------------------------------------------------------------------------


def _check_channel_name(tx: Tx, name: str, own_id: str | None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise errors.ValidationError("A channel needs a name.")
    clash = tx.session.scalars(select(Channel).where(func.lower(Channel.name) == name.strip().lower())).first()
    if clash is not None and clash.id != own_id:
        raise errors.ValidationError(f"There is already a channel called {clash.name!r}.")
    return name.strip()


@dataclass(frozen=True)
class CreateChannel(Command):
    """Add a channel at the end of the list."""

    name: str
    guidance: str = ""
    channel_id: str | None = None
    label: str = "New Channel"

    def apply(self, tx: Tx) -> None:
        """Insert after the last channel."""
        name = _check_channel_name(tx, self.name, None)
        last = tx.session.execute(select(func.max(Channel.position))).scalar()
        c = Channel(id=self.channel_id or tx.ctx.new_id(), name=name, guidance=self.guidance,
                    position=(last + 1) if last is not None else 0)
        _stamp_new(tx, c)
        tx.session.add(c)
        tx.extra["id"] = c.id


@dataclass(frozen=True)
class UpdateChannel(Command):
    """Rename a channel or change its guidance."""

    channel_id: str
    name: str | None = None
    guidance: str | None = None
    label: str = "Edit Channel"

    def apply(self, tx: Tx) -> None:
        """Set what was given."""
        c = _get(tx, Channel, self.channel_id, "channel")
        changed = False
        if self.name is not None:
            name = _check_channel_name(tx, self.name, c.id)
            if name != c.name:
                c.name, changed = name, True
        if self.guidance is not None and self.guidance != c.guidance:
            c.guidance, changed = self.guidance, True
        if changed:
            _stamp(tx, c)


@dataclass(frozen=True)
class MoveChannel(Command):
    """Move a channel to another place in the order."""

    channel_id: str
    position: int
    label: str = "Move Channel"

    def apply(self, tx: Tx) -> None:
        """Renumber every channel 0…n-1 with this one at ``position``."""
        ordered = list(tx.session.scalars(select(Channel).order_by(Channel.position, Channel.name)))
        moving = next((c for c in ordered if c.id == self.channel_id), None)
        if moving is None:
            raise errors.NotFoundInWorkbench("That channel no longer exists.")
        ordered.remove(moving)
        ordered.insert(max(0, min(self.position, len(ordered))), moving)
        for i, c in enumerate(ordered):
            if c.position != i:
                c.position = i
                _stamp(tx, c)


@dataclass(frozen=True)
class DeleteChannel(Command):
    """Delete a channel and the messages written for it."""

    channel_id: str
    label: str = "Delete Channel"

    def apply(self, tx: Tx) -> None:
        """Delete its messages (with revisions), then the channel."""
        c = _get(tx, Channel, self.channel_id, "channel")
        s = tx.session
        for m in s.scalars(select(Message).where(Message.channel_id == c.id)):
            for rev in s.scalars(select(MessageRevision).where(MessageRevision.message_id == m.id)):
                s.delete(rev)
            s.delete(m)
        s.flush()
        s.delete(c)


# --- messages ---------------------------------------------------------------------------------


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
        _get(tx, Persona, self.persona_id, "persona")
        _get(tx, Channel, self.channel_id, "channel")
        _check_message_values({"stage": self.stage, **self.values})
        m = Message(id=self.message_id or tx.ctx.new_id(), persona_id=self.persona_id,
                    channel_id=self.channel_id, stage=self.stage, status="draft",
                    headline=self.values.get("headline", ""), body=self.values.get("body", ""),
                    call_to_action=self.values.get("call_to_action", ""), notes=self.values.get("notes", ""),
                    approved_by="", approved_at="", override_reason="", breach_count=0)
        _stamp_new(tx, m)
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

    def apply(self, tx: Tx) -> None:
        """Snapshot the previous text when needed, then set the fields."""
        m = _get(tx, Message, self.message_id, "message")
        _check_message_values(self.values)
        if "channel_id" in self.values:
            _get(tx, Channel, self.values["channel_id"], "channel")
        if "persona_id" in self.values:
            _get(tx, Persona, self.values["persona_id"], "persona")
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
        _stamp(tx, m)


@dataclass(frozen=True)
class SetMessageStatus(Command):
    """Move a message through draft → in review → approved → retired (or back to draft).

    Approving text with lingo breaches needs ``override_reason``; it is recorded with the approval.
    """

    message_id: str
    status: str
    override_reason: str = ""
    label: str = ""

    def apply(self, tx: Tx) -> None:
        """Check the transition and the lingo, then set status and approval."""
        from workbench.read import queries

        if self.status not in MESSAGE_STATUSES:
            raise errors.ValidationError(f"A message's status is one of {', '.join(MESSAGE_STATUSES)}.")
        m = _get(tx, Message, self.message_id, "message")
        if m.status == self.status:
            return
        if self.status == "approved":
            breaches: list[Breach] = queries.message_breaches(tx.session, m)
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
        _stamp(tx, m)

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

    def apply(self, tx: Tx) -> None:
        """Delete revisions, then the message."""
        m = _get(tx, Message, self.message_id, "message")
        for rev in tx.session.scalars(select(MessageRevision).where(MessageRevision.message_id == m.id)):
            tx.session.delete(rev)
        tx.session.flush()
        tx.session.delete(m)


# --- lingo ------------------------------------------------------------------------------------


def _check_term_values(tx: Tx, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key not in ("term", "kind", "replacement", "note", "persona_id"):
            raise errors.ValidationError(f"Terms have no field called {key!r}.")
        if key == "persona_id":
            if value is not None:
                _get(tx, Persona, value, "persona")
        elif not isinstance(value, str):
            raise errors.ValidationError(f"{key} must be text.")
    if "term" in values and not values["term"].strip():
        raise errors.ValidationError("A term needs some text.")
    if "kind" in values and values["kind"] not in TERM_KINDS:
        raise errors.ValidationError(f"A term is one of {', '.join(TERM_KINDS)}.")


@dataclass(frozen=True)
class CreateTerm(Command):
    """Add a vocabulary entry."""

    term: str
    kind: str = "prefer"
    replacement: str = ""
    note: str = ""
    persona_id: str | None = None
    term_id: str | None = None
    label: str = "New Term"

    def apply(self, tx: Tx) -> None:
        """Insert."""
        _check_term_values(tx, {"term": self.term, "kind": self.kind, "replacement": self.replacement,
                                "note": self.note, "persona_id": self.persona_id})
        t = Term(id=self.term_id or tx.ctx.new_id(), term=self.term.strip(), kind=self.kind,
                 replacement=self.replacement, note=self.note, persona_id=self.persona_id)
        _stamp_new(tx, t)
        tx.session.add(t)
        tx.extra["id"] = t.id


@dataclass(frozen=True)
class UpdateTerm(Command):
    """Change a vocabulary entry."""

    term_id: str
    values: Mapping[str, Any]
    label: str = "Edit Term"

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        t = _get(tx, Term, self.term_id, "term")
        _check_term_values(tx, self.values)
        changed = False
        for key, value in self.values.items():
            value = value.strip() if key == "term" else value
            if getattr(t, key) != value:
                setattr(t, key, value)
                changed = True
        if changed:
            _stamp(tx, t)


@dataclass(frozen=True)
class DeleteTerm(Command):
    """Delete a vocabulary entry."""

    term_id: str
    label: str = "Delete Term"

    def apply(self, tx: Tx) -> None:
        """Delete."""
        tx.session.delete(_get(tx, Term, self.term_id, "term"))


# --- objections -------------------------------------------------------------------------------


def _check_objection_values(tx: Tx, values: Mapping[str, Any]) -> None:
    for key, value in values.items():
        if key not in ("persona_id", "objection", "response", "heard_count", "heard_by", "last_heard"):
            raise errors.ValidationError(f"Objections have no field called {key!r}.")
        if key == "heard_count":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise errors.ValidationError("How often heard is a whole number, 0 or more.")
        elif not isinstance(value, str):
            raise errors.ValidationError(f"{key} must be text.")
        elif key == "last_heard" and value:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                raise errors.ValidationError("When it was last heard must be a date and time "
                                             "(ISO 8601, e.g. 2026-11-23T14:00:00+00:00).") from None
    if "persona_id" in values:
        _get(tx, Persona, values["persona_id"], "persona")
    if "objection" in values and not values["objection"].strip():
        raise errors.ValidationError("An objection needs some text.")


@dataclass(frozen=True)
class CreateObjection(Command):
    """Add an objection heard from a persona's prospects."""

    persona_id: str
    objection: str
    response: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    objection_id: str | None = None
    label: str = "New Objection"

    def apply(self, tx: Tx) -> None:
        """Insert."""
        allv = {"persona_id": self.persona_id, "objection": self.objection, "response": self.response,
                **self.values}
        _check_objection_values(tx, allv)
        o = Objection(id=self.objection_id or tx.ctx.new_id(), persona_id=self.persona_id,
                      objection=self.objection, response=self.response,
                      heard_count=allv.get("heard_count", 0), heard_by=allv.get("heard_by", ""),
                      last_heard=allv.get("last_heard", ""))
        _stamp_new(tx, o)
        tx.session.add(o)
        tx.extra["id"] = o.id


@dataclass(frozen=True)
class UpdateObjection(Command):
    """Change an objection or its response."""

    objection_id: str
    values: Mapping[str, Any]
    label: str = "Edit Objection"

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        o = _get(tx, Objection, self.objection_id, "objection")
        _check_objection_values(tx, self.values)
        changed = False
        for key, value in self.values.items():
            if getattr(o, key) != value:
                setattr(o, key, value)
                changed = True
        if changed:
            _stamp(tx, o)


@dataclass(frozen=True)
class RecordObjectionHeard(Command):
    """A rep heard this objection again: count it, with who and when."""

    objection_id: str
    label: str = "Record Objection Heard"

    def apply(self, tx: Tx) -> None:
        """Increment and stamp."""
        o = _get(tx, Objection, self.objection_id, "objection")
        o.heard_count += 1
        o.heard_by = tx.ctx.user
        o.last_heard = tx.ctx.now()
        _stamp(tx, o)


@dataclass(frozen=True)
class DeleteObjection(Command):
    """Delete an objection."""

    objection_id: str
    label: str = "Delete Objection"

    def apply(self, tx: Tx) -> None:
        """Delete."""
        tx.session.delete(_get(tx, Objection, self.objection_id, "objection"))
