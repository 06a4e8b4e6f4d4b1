"""The hand-off copy: what an agency gives a client — approved content only, nothing internal.

Built by allow-list, never by copy-then-delete: the source's content is read as an interchange
document, only what a client may see is kept (approved personas, the approved text in force of
their messages, global lingo and theirs, their objections; no internal notes, no revision history,
no drafts), and that goes into a brand-new workbench file. So the copy — and any temporary file a
killed hand-off leaves — never holds a byte of internal text, and nothing the app does not know
(another tool's table) can travel with it. Works from any store (a file or a team server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.exchange.interchange import ImportDocument, export_document, validate
from workbench.session import Workbench
from workbench.store.sqlite import outputs, storage
from workbench.store.sqlite.host import FileHost

#: What a message keeps of the text in force (the rest is the message's own identity and stamps).
_TEXT = ("headline", "body", "call_to_action", "approved_by", "approved_at", "override_reason")


def client_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The part of an interchange document a client may see (see the module's docstring)."""
    keep = {p["id"] for p in doc["personas"] if p.get("status") == "approved"}
    messages = []
    for m in doc["messages"]:
        if m["persona"] not in keep:
            continue
        source: dict[str, Any] | None = m if m.get("status") == "approved" else None
        if source is None and m.get("in_force_revision"):
            source = next((r for r in m.get("revisions", ()) if r["id"] == m["in_force_revision"]), None)
        if source is None:
            continue  # a draft with nothing approved in force
        out = {k: v for k, v in m.items() if k not in ("revisions", "in_force_revision", *_TEXT)}
        out.update({k: source.get(k, "") for k in _TEXT})
        out["status"] = "approved"
        out["notes"] = ""
        messages.append(out)
    return {
        **{k: doc[k] for k in ("format", "version", "workbench", "channels")},
        "personas": [p for p in doc["personas"] if p["id"] in keep],
        "messages": messages,
        "terms": [t for t in doc["terms"] if t.get("persona") is None or t["persona"] in keep],
        "objections": [o for o in doc["objections"] if o["persona"] in keep],
    }


def make_handoff(source: Workbench, target: Path | str, ctx: Context | None = None) -> dict[str, int]:
    """Write the client copy of ``source`` to ``target`` atomically; return what it contains.

    ``target`` may be a link (the real file is replaced; the link stays); it must not be the source
    itself, a workbench someone holds open, or a file the person may not write — each a typed error.
    """
    ctx = ctx or source.ctx
    target = outputs.prepare_output(Path(target))
    if isinstance(source.host, FileHost) and target == source.file.path:
        raise errors.AlreadyExists(str(target), f"{target} is the workbench the hand-off copy is made from; "
                                   "choose another name.")
    document = client_document(source.read(export_document))
    counts: dict[str, int] = {}

    def fill(copy: Workbench) -> None:
        copy.execute(ImportDocument(validate(document, ctx.new_id), label="Hand-off"))
        c = copy.counts()
        counts.update(personas=c.personas, messages=sum(c.messages.values()), terms=c.terms,
                      objections=c.objections)

    try:
        with storage.temp_beside(target) as tmp:
            Workbench.create(tmp, ctx, name=document["workbench"].get("name") or target.stem, fill=fill,
                             default_channels=False)
            storage.finish_replace(tmp, target)
    except errors.WorkbenchError:
        raise
    except OSError as exc:
        raise storage.save_failure(target, exc, edits_kept=False) from None
    return counts
