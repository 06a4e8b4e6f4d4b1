"""The typed SQLAlchemy model of a workbench — the one place that knows the tables.

Portable SQL only (SQLAlchemy types, JSON for lists, ISO-8601 strings for timestamps) so the same
model lives in a ``.workbench`` file and on a team server; engine features (SQLite's FTS5) sit behind
the store port. Every row carries a ``version`` that the ORM bumps on every UPDATE and checks in
its WHERE clause (``version_id_col``), so a write based on a stale read fails instead of overwriting.
Python attribute names are the field names used everywhere else (``do``, ``dont``, ``sql``); only
three columns are named differently in SQL (``do_items``, ``dont_items``, ``sql_criteria``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, deferred, mapped_column

from workbench.schema import fileformat

# The format's constants live in fileformat (files are checked without the ORM); named here too.
SCHEMA_VERSION = fileformat.SCHEMA_VERSION
APPLICATION_ID = fileformat.APPLICATION_ID
STAGES = fileformat.STAGES
MESSAGE_STATUSES = fileformat.MESSAGE_STATUSES
PERSONA_STATUSES = fileformat.PERSONA_STATUSES
TERM_KINDS = fileformat.TERM_KINDS

DEFAULT_CHANNELS: tuple[tuple[str, str], ...] = (
    ("Ads", "Short and concrete: headline up to 40 characters, one idea, one call to action."),
    ("PR", "Newsworthy angle first; quotable lines; no superlatives we cannot prove."),
    ("Direct mail", "Personal, unhurried, printed: a letter worth keeping on the desk."),
    ("Sales script", "Written to be read aloud: short sentences, pauses, questions that invite a story."),
)

#: Namespace for the stable ids of the default channels: every workbench shares them, so files
#: created apart still merge channel by channel.
CHANNEL_NAMESPACE = uuid.UUID("6f1d7a52-4c0e-4d6e-9d0b-3b4f5e8a9c21")


def default_channel_id(name: str) -> str:
    """The well-known UUID of a default channel (same in every workbench)."""
    return str(uuid.uuid5(CHANNEL_NAMESPACE, name.casefold()))


class Base(DeclarativeBase):
    """Declarative base; ``type_annotation_map`` keeps list columns JSON everywhere."""

    type_annotation_map = {list[str]: JSON, dict[str, Any]: JSON}


class Versioned:
    """A row version: 1 when inserted, bumped by every UPDATE, checked by the ORM on write.

    Declared after a table's own columns (and its stamps), so it is every table's last column.
    """

    version: Mapped[int] = mapped_column(Integer, sort_order=100)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy calls it on the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Stamped(Versioned):
    """Who created and last changed a row, and when (ISO 8601 UTC)."""

    created_at: Mapped[str] = mapped_column(String(40), sort_order=50)
    created_by: Mapped[str] = mapped_column(String(200), sort_order=50)
    updated_at: Mapped[str] = mapped_column(String(40), sort_order=50)
    updated_by: Mapped[str] = mapped_column(String(200), sort_order=50)


class WorkbenchRow(Stamped, Base):
    """The single row describing the workbench: name, organisation, brand narrative, logo."""

    __tablename__ = "workbench"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    organization: Mapped[str] = mapped_column(Text, default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))


class Channel(Stamped, Base):
    """A channel messages are written for (Ads, PR, Direct mail, Sales script, …)."""

    __tablename__ = "channels"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Persona(Stamped, Base):
    """A storied persona. List fields are JSON arrays of strings."""

    __tablename__ = "personas"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text, default="")
    organization: Mapped[str] = mapped_column(Text, default="")
    industry: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    story: Mapped[str] = mapped_column(Text, default="")
    motivations: Mapped[list[str]] = mapped_column(default=list)
    worries: Mapped[list[str]] = mapped_column(default=list)
    goals: Mapped[list[str]] = mapped_column(default=list)
    technology_comfort: Mapped[int | None] = mapped_column(Integer, nullable=True)
    preferred_channels: Mapped[list[str]] = mapped_column(default=list)
    avoid_channels: Mapped[list[str]] = mapped_column(default=list)
    gatekeepers: Mapped[list[str]] = mapped_column(default=list)
    do: Mapped[list[str]] = mapped_column("do_items", default=list)
    dont: Mapped[list[str]] = mapped_column("dont_items", default=list)
    voice: Mapped[str] = mapped_column(Text, default="")
    mql: Mapped[str] = mapped_column(Text, default="")
    sql: Mapped[str] = mapped_column("sql_criteria", Text, default="")
    tags: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    owner: Mapped[str] = mapped_column(Text, default="")
    portrait: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))

    __table_args__ = (Index("ix_personas_name", "name"),
                      # The list order, ``ORDER BY lower(name), id``, walked straight from the index.
                      Index("ix_personas_list", func.lower(name), "id"))


class Message(Stamped, Base):
    """Approved messaging for persona × channel × stage.

    The row holds the *working* text and its status. When an approved message is edited, its
    approved text is kept as a revision and ``in_force_revision_id`` points at it: that text stays
    in force (playbook, hand-off) until the new working text is approved.
    """

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    persona_id: Mapped[str] = mapped_column(ForeignKey("personas.id"))
    channel_id: Mapped[str] = mapped_column(ForeignKey("channels.id"))
    stage: Mapped[str] = mapped_column(String(20), default="awareness")
    headline: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    call_to_action: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_by: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[str] = mapped_column(String(40), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    in_force_revision_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    #: Derived: blocking lingo breaches in the working text (kept current by every command so the
    #: coverage matrix is one indexed query). Not part of undo images; recomputed instead.
    breach_count: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        # Covering index for the coverage matrix: one scan, no table lookups.
        Index("ix_messages_coverage", "persona_id", "channel_id", "stage", "status", "breach_count",
              "override_reason", "in_force_revision_id"),
    )


class MessageRevision(Versioned, Base):
    """An earlier text of a message, oldest first by ``seq``."""

    __tablename__ = "message_revisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"))
    seq: Mapped[int] = mapped_column(Integer)
    headline: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    call_to_action: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    approved_by: Mapped[str] = mapped_column(Text, default="")
    approved_at: Mapped[str] = mapped_column(String(40), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    saved_at: Mapped[str] = mapped_column(String(40))
    saved_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_revisions_message", "message_id", "seq"),)


class Term(Stamped, Base):
    """A shared-vocabulary entry: prefer / avoid (with a replacement) / define; global or per persona."""

    __tablename__ = "terms"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    term: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), default="prefer")
    replacement: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    persona_id: Mapped[str | None] = mapped_column(ForeignKey("personas.id"), nullable=True)


class Objection(Stamped, Base):
    """What prospects of a persona say, and the approved response."""

    __tablename__ = "objections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    persona_id: Mapped[str] = mapped_column(ForeignKey("personas.id"))
    objection: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    heard_count: Mapped[int] = mapped_column(Integer, default=0)
    heard_by: Mapped[str] = mapped_column(Text, default="")
    last_heard: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (Index("ix_objections_persona", "persona_id"),)


KIND_OF_TABLE = fileformat.KIND_OF_TABLE

#: Columns that are derived data, recomputed rather than restored by undo.
DERIVED_COLUMNS: dict[str, frozenset[str]] = {"messages": frozenset({"breach_count"})}
