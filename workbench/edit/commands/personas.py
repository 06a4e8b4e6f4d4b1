"""Commands on personas: create, change fields, set the portrait, delete with everything of theirs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from workbench.domain import errors, images
from workbench.edit.commands.base import Command, get, set_fields, stamp, stamp_new
from workbench.schema import fields
from workbench.schema.model import Message, MessageRevision, Objection, Persona, Term
from workbench.store.unit import Tx


def _clean_list(name: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise errors.ValidationError(f"{name} must be a list of texts.")
    return list(value)


def check_persona_value(name: str, value: Any) -> Any:
    """Validate one persona field's value (see :mod:`workbench.schema.fields`); return it as stored."""
    declared = fields.BY_KEY.get(name)
    if declared is None:
        raise errors.ValidationError(f"Personas have no field called {name!r}.")
    if declared.kind == fields.LIST:
        return _clean_list(name, value)
    if declared.kind == fields.SCALE:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise errors.ValidationError("Technology comfort is a whole number from 1 to 5.")
        return value
    if not isinstance(value, str):
        raise errors.ValidationError(f"{name} must be text.")
    if name == "name" and not value.strip():
        raise errors.ValidationError("A persona needs a name.")
    if declared.kind == fields.STATUS and value not in fields.STATUSES:
        raise errors.ValidationError(f"A persona's status is one of {', '.join(fields.STATUSES)}.")
    return value


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
        for f in fields.PERSONA_FIELDS:
            setattr(p, f.key, values.get(f.key, f.default))
        stamp_new(tx, p)
        tx.session.add(p)
        tx.extra["id"] = p.id


@dataclass(frozen=True)
class UpdatePersona(Command):
    """Change some fields of a persona."""

    persona_id: str
    values: Mapping[str, Any]
    label: str = "Edit Persona"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Validate and set."""
        p = get(tx, Persona, self.persona_id, "persona", self.version)
        values = {k: check_persona_value(k, v) for k, v in self.values.items()}
        if set_fields(p, values):
            stamp(tx, p)


@dataclass(frozen=True)
class SetPortrait(Command):
    """Set or clear a persona's portrait (PNG or JPEG bytes, stored as given)."""

    persona_id: str
    data: bytes | None
    label: str = "Change Portrait"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Validate and store."""
        p = get(tx, Persona, self.persona_id, "persona", self.version)
        if self.data is not None:
            images.validate(self.data)
        p.portrait = self.data
        stamp(tx, p)


@dataclass(frozen=True)
class DeletePersona(Command):
    """Delete a persona with its messages, revisions, objections and scoped terms."""

    persona_id: str
    label: str = "Delete Persona"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Delete children first, then the persona."""
        p = get(tx, Persona, self.persona_id, "persona", self.version)
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
