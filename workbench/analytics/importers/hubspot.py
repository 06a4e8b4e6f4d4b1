"""HubSpot contact exports: each contact counts on its Create Date as a lead, MQL or SQL by how far
its lifecycle stage has come (Subscriber < Lead < MQL < SQL < Opportunity < Customer < Evangelist)."""

from __future__ import annotations

from workbench.analytics.importers.spec import Header, Hook, SourceSpec
from workbench.analytics.rows import Number

#: Lifecycle stages in order, by their export label and internal value with every non-letter
#: removed and casefolded (``Marketing Qualified Lead`` and ``marketingqualifiedlead`` alike).
STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer",
          "evangelist")
RANK = {stage: rank for rank, stage in enumerate(STAGES)} | {"mql": 2, "sql": 3}
LEAD, MQL, SQL = RANK["lead"], RANK["mql"], RANK["sql"]


def stage_rank(text: str) -> int | None:
    """The stage's place in :data:`STAGES`; ``None`` for "Other", an empty cell or a custom stage
    (such contacts are kept as rows but count as nothing)."""
    return RANK.get("".join(c for c in text.casefold() if c.isalpha()))


def _hook(header: Header) -> Hook:
    stage_i = header.find(("lifecycle stage",))

    def count(cells: list[str], values: dict[str, Number]) -> None:
        if stage_i is None:  # never: the signature requires the column
            raise ValueError("no Lifecycle Stage column")
        rank = stage_rank(cells[stage_i])
        if rank is not None:
            values["leads"] = int(rank >= LEAD)
            values["mql"] = int(rank >= MQL)
            values["sql"] = int(rank >= SQL)

    return count


SPEC = SourceSpec(
    kind="hubspot",
    label="HubSpot",
    level="hard",
    signature=(("record id",), ("lifecycle stage",), ("create date",)),
    start=("create date",),
    campaign=("utm campaign", "original source drill-down 2"),
    names=("utm campaign", "original source drill-down 2", "deal name"),
    origin=("original source", "original traffic source"),
    record=("record id",),
    hook=_hook,
)
