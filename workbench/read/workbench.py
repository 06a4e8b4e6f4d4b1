"""The workbench's own row, its channels, and the totals ``info`` and the status bar show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.domain.values import ChannelView, Counts, WorkbenchInfo
from workbench.schema.fileformat import MESSAGE_STATUSES, TERM_KINDS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.store.port import Rows


def info(rows: Rows) -> WorkbenchInfo:
    """The workbench row (name, organisation, narrative; whether it has a logo; last change)."""
    found = rows("SELECT id, name, organization, narrative, CASE WHEN logo IS NULL THEN 0 ELSE 1 END, "
                 "updated_at, updated_by, version FROM workbench ORDER BY id LIMIT 1")
    if not found:
        return WorkbenchInfo("", "", "", "", False, "", "")
    r = found[0]
    return WorkbenchInfo(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], int(r[7]))


def logo(s: Session) -> bytes | None:
    """The workbench logo's bytes."""
    from sqlalchemy import select

    from workbench.schema.model import WorkbenchRow

    return s.execute(select(WorkbenchRow.logo)).scalar()


def channels(rows: Rows) -> list[ChannelView]:
    """All channels in their order."""
    return [ChannelView(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in
            rows("SELECT id, name, guidance, position, version FROM channels ORDER BY position, name, id")]


def _count(rows: Rows, sql: str) -> int:
    return int(rows(sql)[0][0] or 0)


#: A message whose approved text is in force: approved itself, or edited since with the approved
#: text kept (a retired message has nothing in force).
IN_FORCE = ("(status = 'approved' OR (status <> 'retired' AND in_force_revision_id IS NOT NULL "
            "AND in_force_revision_id <> ''))")


def counts(rows: Rows) -> Counts:
    """Totals for ``info`` and the status bar; messages by what is in force (see :class:`Counts`)."""
    by_status = dict.fromkeys(MESSAGE_STATUSES, 0)
    pending = 0
    for status, in_force, n in rows(f"SELECT status, CASE WHEN {IN_FORCE} THEN 1 ELSE 0 END, count(*) "
                                    "FROM messages GROUP BY status, CASE WHEN " + IN_FORCE + " THEN 1 ELSE 0 END"):
        if in_force:
            by_status["approved"] += int(n)
            if status != "approved":
                pending += int(n)
        elif status in by_status:
            by_status[status] += int(n)
    return Counts(
        personas=_count(rows, "SELECT count(*) FROM personas"),
        approved_personas=_count(rows, "SELECT count(*) FROM personas WHERE status = 'approved'"),
        channels=_count(rows, "SELECT count(*) FROM channels"),
        messages=by_status,
        terms=_count(rows, "SELECT count(*) FROM terms"),
        objections=_count(rows, "SELECT count(*) FROM objections"),
        revisions=_count(rows, "SELECT count(*) FROM message_revisions"),
        pending_drafts=pending,
    )


def term_kinds(rows: Rows) -> dict[str, int]:
    """How many lingo terms of each kind (``prefer``/``avoid``/``define``)."""
    found = dict.fromkeys(TERM_KINDS, 0)
    for kind, n in rows("SELECT kind, count(*) FROM terms GROUP BY kind"):
        if kind in found:
            found[kind] = int(n)
    return found


def message_counts_by_channel(rows: Rows) -> dict[str, int]:
    """Channel id → number of messages (one grouped query; the channel list shows it)."""
    return {cid: int(n) for cid, n in rows("SELECT channel_id, count(*) FROM messages GROUP BY channel_id")}
