"""The hand-off copy: what an agency gives a client — approved content only, nothing internal.

Approved personas and the approved text in force of their messages; no internal notes, no revision
history, no drafts; the search index rebuilt from what remains and the file vacuumed, so no deleted
text survives in free pages or stale index segments. The copy opens as a normal workbench.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit.changes import Tx
from workbench.edit.derived import rebuild_search
from workbench.schema.model import Message, MessageRevision, Objection, Persona, Term
from workbench.session import FunctionCommand, Workbench
from workbench.store.sqlite import db, search, storage


def _strip(tx: Tx) -> None:
    s = tx.session
    keep = set(s.scalars(select(Persona.id).where(Persona.status == "approved")))
    for objection in s.scalars(select(Objection)):
        if objection.persona_id not in keep:
            s.delete(objection)
    for term in s.scalars(select(Term).where(Term.persona_id.is_not(None))):
        if term.persona_id not in keep:
            s.delete(term)
    revisions = {r.id: r for r in s.scalars(select(MessageRevision))}
    for m in s.scalars(select(Message)):
        if m.persona_id not in keep:
            s.delete(m)
            continue
        if m.status == "approved":
            pass
        elif m.in_force_revision_id and m.in_force_revision_id in revisions:
            rev = revisions[m.in_force_revision_id]
            m.headline, m.body, m.call_to_action = rev.headline, rev.body, rev.call_to_action
            m.approved_by, m.approved_at, m.override_reason = rev.approved_by, rev.approved_at, rev.override_reason
            m.status = "approved"
        else:
            s.delete(m)
            continue
        m.notes = ""
        m.in_force_revision_id = None
    for r in revisions.values():
        s.delete(r)
    s.flush()
    for p in s.scalars(select(Persona)):
        if p.id not in keep:
            s.delete(p)


def make_handoff(source: Workbench, target: Path | str, ctx: Context | None = None) -> dict[str, int]:
    """Write the client copy of ``source`` to ``target`` atomically; return what it contains."""
    target = Path(target)
    ctx = ctx or source.ctx
    try:
        with storage.temp_beside(target) as work, storage.temp_beside(target) as final:
            storage.backup_into(source.db_path, work, immutable=source.is_user_file)
            copy = Workbench(work, ctx, readonly=False, db_path=work)
            try:
                copy.execute(FunctionCommand(_strip, "Hand-off"))
                counts = copy.counts()
            finally:
                copy.engine.dispose()
            conn = db.connect(work, readonly=False)
            try:
                conn.execute("PRAGMA secure_delete=ON")
                conn.execute("BEGIN")
                search.clear(conn)
                conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES('optimize')")
                rebuild_search(conn)
                conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES('optimize')")
                conn.execute("COMMIT")
                conn.execute("VACUUM INTO ?", (str(final),))
            finally:
                conn.close()
            storage.finish_replace(final, target)
    except errors.WorkbenchError:
        raise
    except OSError as exc:
        raise storage.save_failure(target, exc, edits_kept=False) from None
    except Exception as exc:
        import sqlite3

        if isinstance(exc, sqlite3.Error):
            raise storage.save_failure(target, exc, edits_kept=False) from None
        raise
    return {"personas": counts.personas, "messages": sum(counts.messages.values()),
            "terms": counts.terms, "objections": counts.objections}
