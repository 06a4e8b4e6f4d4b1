"""The file format's identity and the current schema's tables, as plain data.

Checking that a file is ours — header, version, the exact columns of every table — must not need the
ORM: the command line's read-only commands and the window's first paint open files without importing
SQLAlchemy (it costs ≈ 0.3 s of start-up). ``workbench.schema.model`` imports these constants, and a test
proves :data:`CURRENT_COLUMNS` is exactly what the model creates, so the two cannot drift apart.
"""

from __future__ import annotations

#: The schema version written to ``PRAGMA user_version``. Bump it with every schema change and add
#: a numbered migration in ``workbench.store.sqlite.migrations`` plus a fixture file under ``tests/data/``.
SCHEMA_VERSION = 1

#: ``PRAGMA application_id`` marking a file as ours: "PWKB".
APPLICATION_ID = 0x50574B42

STAGES: tuple[str, ...] = ("awareness", "consideration", "decision", "retention")
MESSAGE_STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "retired")
PERSONA_STATUSES: tuple[str, ...] = ("draft", "approved")
TERM_KINDS: tuple[str, ...] = ("prefer", "avoid", "define")

_STAMPS = ("created_at", "created_by", "updated_at", "updated_by")

#: Table → its columns in order, as the current ``SCHEMA_VERSION`` creates them. When the schema
#: changes, freeze this list into ``migrations.COLUMNS[old version]`` and write the new one here.
CURRENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "channels": ("id", "name", "guidance", "position", *_STAMPS),
    "personas": ("id", "name", "role", "organization", "industry", "location", "story", "motivations",
                 "worries", "goals", "technology_comfort", "preferred_channels", "avoid_channels",
                 "gatekeepers", "do_items", "dont_items", "voice", "mql", "sql_criteria", "tags", "status",
                 "owner", "portrait", *_STAMPS),
    "workbench": ("id", "name", "organization", "narrative", "logo", *_STAMPS),
    "messages": ("id", "persona_id", "channel_id", "stage", "headline", "body", "call_to_action", "notes",
                 "status", "approved_by", "approved_at", "override_reason", "in_force_revision_id",
                 "breach_count", *_STAMPS),
    "objections": ("id", "persona_id", "objection", "response", "heard_count", "heard_by", "last_heard",
                   *_STAMPS),
    "terms": ("id", "term", "kind", "replacement", "note", "persona_id", *_STAMPS),
    "message_revisions": ("id", "message_id", "seq", "headline", "body", "call_to_action", "notes", "status",
                          "approved_by", "approved_at", "override_reason", "saved_at", "saved_by"),
}
