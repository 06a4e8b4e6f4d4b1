"""The file format's identity and the current schema's tables, as plain data.

Checking that a file is ours — header, version, the exact columns of every table — must not need the
ORM: the command line's read-only commands and the window's first paint open files without importing
SQLAlchemy (it costs ≈ 0.3 s of start-up). ``workbench.schema.model`` imports these constants, and a test
proves :data:`CURRENT_COLUMNS` is exactly what the model creates, so the two cannot drift apart.
"""

from __future__ import annotations

#: The schema version written to ``PRAGMA user_version``. Bump it with every schema change: freeze
#: the old columns into ``workbench.schema.versions``, add a numbered step to
#: ``workbench.store.sqlite.migrations`` and a fixture file ``tests/data/vN.workbench``.
#: Version 2 gave every row a ``version`` (bumped on every write) and added two indexes.
SCHEMA_VERSION = 2

#: ``PRAGMA application_id`` marking a file as ours: "PWKB".
APPLICATION_ID = 0x50574B42

STAGES: tuple[str, ...] = ("awareness", "consideration", "decision", "retention")
MESSAGE_STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "retired")
PERSONA_STATUSES: tuple[str, ...] = ("draft", "approved")
TERM_KINDS: tuple[str, ...] = ("prefer", "avoid", "define")

#: Table name → the kind named in change records and search results.
KIND_OF_TABLE: dict[str, str] = {
    "workbench": "workbench",
    "channels": "channel",
    "personas": "persona",
    "messages": "message",
    "message_revisions": "revision",
    "terms": "term",
    "objections": "objection",
}

_STAMPS = ("created_at", "created_by", "updated_at", "updated_by")
#: Every row's version: 1 when written first, one more with every change (optimistic concurrency).
VERSION_COLUMN = "version"

#: Table → its columns in order, as the current ``SCHEMA_VERSION`` creates them. When the schema
#: changes, freeze this list (and :data:`CURRENT_INDEXES`) into ``workbench.schema.versions``.
CURRENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "channels": ("id", "name", "guidance", "position", *_STAMPS, VERSION_COLUMN),
    "personas": ("id", "name", "role", "organization", "industry", "location", "story", "motivations",
                 "worries", "goals", "technology_comfort", "preferred_channels", "avoid_channels",
                 "gatekeepers", "do_items", "dont_items", "voice", "mql", "sql_criteria", "tags", "status",
                 "owner", "portrait", *_STAMPS, VERSION_COLUMN),
    "workbench": ("id", "name", "organization", "narrative", "logo", *_STAMPS, VERSION_COLUMN),
    "messages": ("id", "persona_id", "channel_id", "stage", "headline", "body", "call_to_action", "notes",
                 "status", "approved_by", "approved_at", "override_reason", "in_force_revision_id",
                 "breach_count", *_STAMPS, VERSION_COLUMN),
    "objections": ("id", "persona_id", "objection", "response", "heard_count", "heard_by", "last_heard",
                   *_STAMPS, VERSION_COLUMN),
    "terms": ("id", "term", "kind", "replacement", "note", "persona_id", *_STAMPS, VERSION_COLUMN),
    "message_revisions": ("id", "message_id", "seq", "headline", "body", "call_to_action", "notes", "status",
                          "approved_by", "approved_at", "override_reason", "saved_at", "saved_by",
                          VERSION_COLUMN),
}

#: Our own indexes (name → table and the exact statement SQLite stores for it). Opening a file
#: compares every index of ours with this text, so an altered index (an expression that runs code)
#: is refused; a test proves the model creates exactly these.
CURRENT_INDEXES: dict[str, tuple[str, str]] = {
    "ix_personas_name": ("personas", "CREATE INDEX ix_personas_name ON personas (name)"),
    # The persona list's order (``ORDER BY lower(name), id``) read straight from an index.
    "ix_personas_list": ("personas", "CREATE INDEX ix_personas_list ON personas (lower(name), id)"),
    "ix_messages_coverage": ("messages", "CREATE INDEX ix_messages_coverage ON messages (persona_id, channel_id, "
                             "stage, status, breach_count, override_reason, in_force_revision_id)"),
    "ix_objections_persona": ("objections", "CREATE INDEX ix_objections_persona ON objections (persona_id)"),
    "ix_revisions_message": ("message_revisions",
                             "CREATE INDEX ix_revisions_message ON message_revisions (message_id, seq)"),
}
