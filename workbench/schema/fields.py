"""Every persona field declared once: its name, its kind, what people call it, whether it is searched.

Commands validate against these declarations, the interchange format reads and writes them, the read
side builds views in this order and the search index is made of the searchable ones — so adding a
field means adding one line here (and a column to the model and a schema step). The name is the
same everywhere in Python (views, commands, JSON, ORM attributes); only three SQL columns differ
(see :mod:`workbench.schema.model`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.schema.fileformat import PERSONA_STATUSES

#: Kinds of persona fields: free text, a list of short texts, the 1–5 comfort scale, a status.
TEXT, LIST, SCALE, STATUS = "text", "list", "scale", "status"


@dataclass(frozen=True)
class Field:
    """One persona field."""

    key: str
    kind: str
    label: str
    #: Part of the persona's search index entry (its name is the entry's title).
    searchable: bool = True

    @property
    def default(self) -> object:
        """The value of a persona that never set this field."""
        return {LIST: [], SCALE: None, STATUS: "draft"}.get(self.kind, "")


PERSONA_FIELDS: tuple[Field, ...] = (
    Field("name", TEXT, "Name"),
    Field("role", TEXT, "Role"),
    Field("organization", TEXT, "Organisation"),
    Field("industry", TEXT, "Industry"),
    Field("location", TEXT, "Location"),
    Field("story", TEXT, "Story"),
    Field("motivations", LIST, "Motivations"),
    Field("worries", LIST, "Worries"),
    Field("goals", LIST, "Goals"),
    Field("technology_comfort", SCALE, "Technology comfort", searchable=False),
    Field("preferred_channels", LIST, "Preferred channels", searchable=False),
    Field("avoid_channels", LIST, "Channels to avoid", searchable=False),
    Field("gatekeepers", LIST, "Gatekeepers and influencers"),
    Field("do", LIST, "Do"),
    Field("dont", LIST, "Don't"),
    Field("voice", TEXT, "Voice and tone"),
    Field("mql", TEXT, "Marketing-qualified when"),
    Field("sql", TEXT, "Sales-qualified when"),
    Field("tags", LIST, "Tags"),
    Field("status", STATUS, "Status", searchable=False),
    Field("owner", TEXT, "Owner", searchable=False),
)

BY_KEY: dict[str, Field] = {f.key: f for f in PERSONA_FIELDS}
#: The three persona fields whose SQL column has another name (for plain SQL; the ORM maps them).
COLUMN_OF: dict[str, str] = {"do": "do_items", "dont": "dont_items", "sql": "sql_criteria"}
LIST_FIELDS: frozenset[str] = frozenset(f.key for f in PERSONA_FIELDS if f.kind == LIST)
#: The searchable fields after the name, in index order: text fields first, then lists.
SEARCH_TEXT_FIELDS: tuple[str, ...] = tuple(f.key for f in PERSONA_FIELDS
                                            if f.searchable and f.kind == TEXT and f.key != "name")
SEARCH_LIST_FIELDS: tuple[str, ...] = tuple(f.key for f in PERSONA_FIELDS if f.searchable and f.kind == LIST)
STATUSES = PERSONA_STATUSES
