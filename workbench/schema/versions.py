"""The tables and indexes of every released schema version, as plain data.

A file of an older version is checked against exactly what that version wrote before it is
migrated (a hostile old file is refused as surely as a current one), so each release's columns
and indexes are frozen here when the next version changes them. Plain data, no ORM: files are
checked before SQLAlchemy is imported.
"""

from __future__ import annotations

from workbench.schema.fileformat import CURRENT_COLUMNS, CURRENT_INDEXES, SCHEMA_VERSION

_STAMPS = ("created_at", "created_by", "updated_at", "updated_by")

#: Version → table → columns in order.
COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    1: {
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
        "message_revisions": ("id", "message_id", "seq", "headline", "body", "call_to_action", "notes",
                              "status", "approved_by", "approved_at", "override_reason", "saved_at", "saved_by"),
    },
    SCHEMA_VERSION: CURRENT_COLUMNS,
}

#: Version → index name → (table, the statement SQLite stores).
INDEXES: dict[int, dict[str, tuple[str, str]]] = {
    1: {name: spec for name, spec in CURRENT_INDEXES.items() if name != "ix_personas_list"},
    SCHEMA_VERSION: CURRENT_INDEXES,
}


def released(version: int) -> bool:
    """Whether ``version`` is a schema version some release of the app wrote."""
    return version in COLUMNS
