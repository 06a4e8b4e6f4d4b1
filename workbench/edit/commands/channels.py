"""Commands on channels: create, rename or change guidance, reorder, delete with their messages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from workbench.domain import errors
from workbench.edit.commands.base import Command, get, stamp, stamp_new
from workbench.schema.model import Channel, Message, MessageRevision
from workbench.store.unit import Tx


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
        stamp_new(tx, c)
        tx.session.add(c)
        tx.extra["id"] = c.id


@dataclass(frozen=True)
class UpdateChannel(Command):
    """Rename a channel or change its guidance."""

    channel_id: str
    name: str | None = None
    guidance: str | None = None
    label: str = "Edit Channel"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Set what was given."""
        c = get(tx, Channel, self.channel_id, "channel", self.version)
        changed = False
        if self.name is not None:
            name = _check_channel_name(tx, self.name, c.id)
            if name != c.name:
                c.name, changed = name, True
        if self.guidance is not None and self.guidance != c.guidance:
            c.guidance, changed = self.guidance, True
        if changed:
            stamp(tx, c)


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
                stamp(tx, c)


@dataclass(frozen=True)
class DeleteChannel(Command):
    """Delete a channel and the messages written for it."""

    channel_id: str
    label: str = "Delete Channel"
    version: int | None = None

    def apply(self, tx: Tx) -> None:
        """Delete its messages (with revisions), then the channel."""
        c = get(tx, Channel, self.channel_id, "channel", self.version)
        s = tx.session
        for m in s.scalars(select(Message).where(Message.channel_id == c.id)):
            for rev in s.scalars(select(MessageRevision).where(MessageRevision.message_id == m.id)):
                s.delete(rev)
            s.delete(m)
        s.flush()
        s.delete(c)
