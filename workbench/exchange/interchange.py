"""JSON interchange version 1 and merging: the whole workbench as one document, and back.

Export → import into an empty workbench → export gives the same JSON (sorted keys, stable order).
Import validates everything first — unknown fields and wrong types are errors naming the field's
path (``personas[3].technology_comfort``) — and then runs as one command: all or nothing, undoable.
A ``.workbench`` file merges through the same path: its rows become a document, matched by UUID.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from workbench.domain import errors, images
from workbench.edit.commands.base import Command
from workbench.schema import fields
from workbench.schema.model import (
    MESSAGE_STATUSES,
    PERSONA_STATUSES,
    STAGES,
    TERM_KINDS,
    Channel,
    Message,
    MessageRevision,
    Objection,
    Persona,
    Term,
    WorkbenchRow,
)
from workbench.store.unit import Tx

FORMAT = "persona-workbench"
VERSION = 1
#: Largest JSON file ``import`` reads (read at most this + 1 bytes: a device never ends).
MAX_SOURCE_BYTES = 1024 * 1024 * 1024
#: Longest text a field may hold, in UTF-8 bytes — well inside what the file can store per value.
MAX_TEXT_BYTES = 100_000_000
#: Whole numbers (positions, counts) stay within 32 bits: the file stores 64, and "one more than the
#: largest" must still fit.
MAX_WHOLE_NUMBER = 2**31 - 1
TOP_KEYS = ("format", "version", "workbench", "channels", "personas", "messages", "terms", "objections")
STAMPS = ("created_at", "created_by", "updated_at", "updated_by")

# --- field checkers ---------------------------------------------------------------------------

Checker = Callable[[str, Any], Any]


def _shown(text: str) -> str:
    """A value quoted in a message: bounded, so a 100 MB field never becomes a 100 MB message."""
    return repr(text[:60] + "…") if len(text) > 60 else repr(text)


def _too_long(path: str, size: int) -> errors.InterchangeError:
    return errors.InterchangeError(path, f"is too long ({size / 1_000_000:.0f} MB; texts up to "
                                   f"{MAX_TEXT_BYTES // 1_000_000} MB are stored)")


def _text(path: str, value: Any) -> str:
    if not isinstance(value, str):
        raise errors.InterchangeError(path, f"expected text, got {type(value).__name__}")
    if value.isascii():
        if len(value) > MAX_TEXT_BYTES:
            raise _too_long(path, len(value))
        return value  # no surrogates possible: skip the encoding test (900,000 fields in a big import)
    try:
        encoded = len(value.encode("utf-8")) if len(value) > MAX_TEXT_BYTES // 4 else 0
    except UnicodeEncodeError:
        raise errors.InterchangeError(path, "contains an unpaired surrogate (not valid Unicode)") from None
    if encoded > MAX_TEXT_BYTES:
        raise _too_long(path, encoded)
    if encoded == 0:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise errors.InterchangeError(path, "contains an unpaired surrogate (not valid Unicode)") from None
    return value


def _required_text(path: str, value: Any) -> str:
    text = _text(path, value)
    if not text.strip():
        raise errors.InterchangeError(path, "must not be empty")
    return text


def _text_list(path: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise errors.InterchangeError(path, f"expected a list of texts, got {type(value).__name__}")
    for i, item in enumerate(value):
        _text(f"{path}[{i}]", item)
    return list(value)


#: A UUID already written the way ``str(uuid.UUID(...))`` writes it (what every export contains).
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(path: str, value: Any) -> str:
    text = _text(path, value)
    if _CANONICAL_UUID.fullmatch(text):
        return text  # str(uuid.UUID(text)) == text: skip building the object
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise errors.InterchangeError(path, f"{_shown(text)} is not a UUID") from None


def _timestamp(path: str, value: Any) -> str:
    text = _text(path, value)
    if text == "":
        return text
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise errors.InterchangeError(path, f"{_shown(text)} is not an ISO 8601 date and time") from None
    return text


def _int_range(low: int, high: int = MAX_WHOLE_NUMBER) -> Checker:
    def check(path: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise errors.InterchangeError(path, f"expected a whole number, got {type(value).__name__}")
        if not low <= value <= high:
            raise errors.InterchangeError(path, f"must be from {low} to {high}")
        return value
    return check


def _optional(check: Checker) -> Checker:
    def inner(path: str, value: Any) -> Any:
        return None if value is None else check(path, value)
    return inner


def _enum(options: tuple[str, ...]) -> Checker:
    def check(path: str, value: Any) -> str:
        text = _text(path, value)
        if text not in options:
            raise errors.InterchangeError(path, f"{_shown(text)} is not one of {', '.join(options)}")
        return text
    return check


def _image(path: str, value: Any) -> bytes | None:
    if value is None or value == "":  # tools write "" for "no picture" as often as null
        return None
    text = _text(path, value)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise errors.InterchangeError(path, "is not valid base64") from None
    try:
        images.validate(data)
    except errors.ValidationError as exc:
        raise errors.InterchangeError(path, str(exc)) from None
    return data


def _stamped(fields: dict[str, Checker]) -> dict[str, Checker]:
    return {**fields, "created_at": _timestamp, "created_by": _text, "updated_at": _timestamp,
            "updated_by": _text}


WORKBENCH_FIELDS: dict[str, Checker] = {"name": _text, "organization": _text, "narrative": _text,
                                        "logo": _image}
CHANNEL_FIELDS = _stamped({"id": _uuid, "name": _required_text, "guidance": _text,
                           "position": _int_range(0)})
#: How each kind of persona field is checked (:mod:`workbench.schema.fields`).
_PERSONA_CHECKS: dict[str, Checker] = {fields.TEXT: _text, fields.LIST: _text_list,
                                       fields.SCALE: _optional(_int_range(1, 5)),
                                       fields.STATUS: _enum(PERSONA_STATUSES)}
PERSONA_SCHEMA = _stamped({
    "id": _uuid,
    **{f.key: _required_text if f.key == "name" else _PERSONA_CHECKS[f.kind] for f in fields.PERSONA_FIELDS},
    "portrait": _image,
})
REVISION_SCHEMA: dict[str, Checker] = {
    "id": _uuid, "headline": _text, "body": _text, "call_to_action": _text, "notes": _text,
    "status": _enum(MESSAGE_STATUSES), "approved_by": _text, "approved_at": _timestamp,
    "override_reason": _text, "saved_at": _timestamp, "saved_by": _text,
}
MESSAGE_SCHEMA = _stamped({
    "id": _uuid, "persona": _required_text, "channel": _required_text, "stage": _enum(STAGES),
    "headline": _text, "body": _text, "call_to_action": _text, "notes": _text,
    "status": _enum(MESSAGE_STATUSES), "approved_by": _text, "approved_at": _timestamp,
    "override_reason": _text, "revisions": lambda p, v: v, "in_force_revision": _optional(_uuid),
})
TERM_SCHEMA = _stamped({"id": _uuid, "term": _required_text, "kind": _enum(TERM_KINDS), "replacement": _text,
                        "note": _text, "persona": _optional(_required_text)})
OBJECTION_SCHEMA = _stamped({"id": _uuid, "persona": _required_text, "objection": _required_text,
                             "response": _text, "heard_count": _int_range(0), "heard_by": _text,
                             "last_heard": _timestamp})
REQUIRED = {"channels": ("name",), "personas": ("name",), "messages": ("persona", "channel"),
            "terms": ("term",), "objections": ("persona", "objection")}


def _check_object(path: str, value: Any, schema: Mapping[str, Checker],
                  required: tuple[str, ...] = ()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise errors.InterchangeError(path, f"expected an object, got {type(value).__name__}")
    for key in value:
        if key not in schema:
            raise errors.InterchangeError(f"{path}.{key}", "unknown field")
    for key in required:
        if key not in value:
            raise errors.InterchangeError(f"{path}.{key}", "is required")
    out: dict[str, Any] = {}
    for key, v in value.items():
        check = schema[key]
        if check is _text and type(v) is str and v.isascii() and len(v) <= MAX_TEXT_BYTES:
            out[key] = v  # the common case, without formatting the path (900,000 fields in a big import)
        else:
            out[key] = check(f"{path}.{key}", v)
    return out


@dataclass
class Document:
    """A validated interchange document: plain dicts, ids filled in, references still by name/id."""

    workbench: dict[str, Any]
    channels: list[dict[str, Any]]
    personas: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    objections: list[dict[str, Any]]


def validate(data: Any, new_id: Callable[[], str]) -> Document:
    """Check a parsed JSON document against version 1; raise :class:`errors.InterchangeError`."""
    if not isinstance(data, dict):
        raise errors.InterchangeError("", "the file is not a Persona Workbench JSON document (not an object)")
    for key in data:
        if key not in TOP_KEYS:
            raise errors.InterchangeError(key, "unknown field")
    if data.get("format") != FORMAT:
        raise errors.InterchangeError("format", f"must be {FORMAT!r}")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise errors.InterchangeError("version", "must be a whole number")
    if version > VERSION:
        raise errors.InterchangeError(
            "version", f"this file uses interchange version {version}; this app reads version {VERSION}. "
            "Update the app to import it.")
    if version < 1:
        raise errors.InterchangeError("version", "must be 1")
    wb = _check_object("workbench", data.get("workbench", {}), WORKBENCH_FIELDS)

    def section(name: str, schema: Mapping[str, Checker]) -> list[dict[str, Any]]:
        items = data.get(name, [])
        if not isinstance(items, list):
            raise errors.InterchangeError(name, f"expected a list, got {type(items).__name__}")
        out = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            obj = _check_object(f"{name}[{i}]", item, schema, REQUIRED[name])
            if name != "channels" or "id" in obj:
                obj["id"] = obj.get("id") or new_id()
                if obj["id"] in seen:
                    raise errors.InterchangeError(f"{name}[{i}].id", "appears twice in the file")
                seen.add(obj["id"])
            out.append(obj)
        return out

    channels = section("channels", CHANNEL_FIELDS)
    names: set[str] = set()
    for i, c in enumerate(channels):
        key = c["name"].strip().casefold()
        if key in names:
            raise errors.InterchangeError(f"channels[{i}].name", f"{_shown(c['name'])} appears twice")
        names.add(key)
    personas = section("personas", PERSONA_SCHEMA)
    messages = section("messages", MESSAGE_SCHEMA)
    revision_ids: set[str] = set()
    for i, m in enumerate(messages):
        revs = m.get("revisions", [])
        if not isinstance(revs, list):
            raise errors.InterchangeError(f"messages[{i}].revisions", "expected a list")
        checked = []
        for j, rev in enumerate(revs):
            obj = _check_object(f"messages[{i}].revisions[{j}]", rev, REVISION_SCHEMA)
            obj["id"] = obj.get("id") or new_id()
            if obj["id"] in revision_ids:
                raise errors.InterchangeError(f"messages[{i}].revisions[{j}].id", "appears twice in the file")
            revision_ids.add(obj["id"])
            checked.append(obj)
        if "revisions" in m:
            m["revisions"] = checked
        target = m.get("in_force_revision")
        if target is not None and target not in {r["id"] for r in checked}:
            raise errors.InterchangeError(f"messages[{i}].in_force_revision", "names no revision of this message")
    terms = section("terms", TERM_SCHEMA)
    objections = section("objections", OBJECTION_SCHEMA)
    return Document(wb, channels, personas, messages, terms, objections)


# --- export -----------------------------------------------------------------------------------


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data is not None else None


def _stamps(row: Any) -> dict[str, str]:
    return {k: getattr(row, k) for k in STAMPS}


def persona_dict(p: Persona, portrait: bytes | None) -> dict[str, Any]:
    """A persona as an interchange object."""
    out: dict[str, Any] = {"id": p.id}
    for f in fields.PERSONA_FIELDS:
        value = getattr(p, f.key)
        out[f.key] = list(value or []) if f.kind == fields.LIST else value
    if portrait is not None:
        out["portrait"] = _b64(portrait)
    out.update(_stamps(p))
    return out


def export_document(s: Session, progress: Callable[[int, int], None] | None = None,
                    include_history: bool = True) -> dict[str, Any]:
    """The whole workbench as an interchange v1 document (deterministic order)."""
    wbrow = s.scalars(select(WorkbenchRow)).first()
    workbench: dict[str, Any] = {"name": wbrow.name if wbrow else "",
                                 "organization": wbrow.organization if wbrow else "",
                                 "narrative": wbrow.narrative if wbrow else ""}
    if wbrow is not None and wbrow.logo is not None:
        workbench["logo"] = _b64(wbrow.logo)
    chans = list(s.scalars(select(Channel).order_by(Channel.position, Channel.name)))
    channel_names = {c.id: c.name for c in chans}
    channels = [{"id": c.id, "name": c.name, "guidance": c.guidance, "position": c.position, **_stamps(c)}
                for c in chans]
    personas = []
    rows = list(s.execute(select(Persona, Persona.portrait).order_by(func.lower(Persona.name), Persona.id)
                          .execution_options(yield_per=500)))
    total = len(rows)
    persona_order = {}
    for i, (p, portrait) in enumerate(rows):
        personas.append(persona_dict(p, portrait))
        persona_order[p.id] = i
    if progress:
        progress(0, total)
    # Messages and revisions are read as plain rows, not ORM objects: for 240,000 messages building
    # and tracking ORM objects took longer than everything else in the export together.
    revisions: dict[str, list[Any]] = {}
    if include_history:
        rev_table = MessageRevision.__table__
        for rev in s.execute(select(rev_table).order_by(rev_table.c.message_id, rev_table.c.seq)):
            revisions.setdefault(rev.message_id, []).append(rev)
    stage_order = {st: i for i, st in enumerate(STAGES)}
    channel_pos = {c.id: c.position for c in chans}
    messages = []
    for m in s.execute(select(Message.__table__)):
        out: dict[str, Any] = {
            "id": m.id, "persona": m.persona_id, "channel": channel_names.get(m.channel_id, ""),
            "stage": m.stage, "headline": m.headline, "body": m.body, "call_to_action": m.call_to_action,
            "notes": m.notes, "status": m.status, "approved_by": m.approved_by, "approved_at": m.approved_at,
            "override_reason": m.override_reason, **_stamps(m),
            "revisions": [{"id": r.id, "headline": r.headline, "body": r.body,
                           "call_to_action": r.call_to_action, "notes": r.notes, "status": r.status,
                           "approved_by": r.approved_by, "approved_at": r.approved_at,
                           "override_reason": r.override_reason, "saved_at": r.saved_at,
                           "saved_by": r.saved_by} for r in revisions.get(m.id, [])],
        }
        if m.in_force_revision_id:
            out["in_force_revision"] = m.in_force_revision_id
        messages.append(((persona_order.get(m.persona_id, 0), channel_pos.get(m.channel_id, 0),
                          stage_order.get(m.stage, 9), m.created_at, m.id), out))
    messages.sort(key=lambda pair: pair[0])
    terms = [{"id": t.id, "term": t.term, "kind": t.kind, "replacement": t.replacement, "note": t.note,
              "persona": t.persona_id, **_stamps(t)}
             for t in s.scalars(select(Term).order_by(func.lower(Term.term), Term.id))]
    objections = sorted(
        ({"id": o.id, "persona": o.persona_id, "objection": o.objection, "response": o.response,
          "heard_count": o.heard_count, "heard_by": o.heard_by, "last_heard": o.last_heard, **_stamps(o)}
         for o in s.scalars(select(Objection))),
        key=lambda o: (persona_order.get(o["persona"], 0), o["created_at"], o["id"]))
    if progress:
        progress(total, total)
    return {"format": FORMAT, "version": VERSION, "workbench": workbench, "channels": channels,
            "personas": personas, "messages": [m for _, m in messages], "terms": terms,
            "objections": objections}


def dumps(document: Mapping[str, Any]) -> str:
    """Serialise a document the one stable way (sorted keys, two-space indent, UTF-8 text)."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- import and merge -------------------------------------------------------------------------


@dataclass
class Report:
    """What an import or merge did, per kind: added / updated / unchanged / conflicts."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        """Add one to a bucket."""
        bucket[kind] = bucket.get(kind, 0) + 1

    def summary(self) -> str:
        """One paragraph for people."""
        def fmt(bucket: dict[str, int]) -> str:
            return ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(bucket.items()) if n) or "nothing"
        lines = [f"Added {fmt(self.added)}.", f"Updated {fmt(self.updated)}.",
                 f"Unchanged {fmt(self.unchanged)}."]
        if self.conflicts:
            lines.append(f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''}:")
            lines.extend(f"  - {c}" for c in self.conflicts)
        return "\n".join(lines)


def _stamp_values(tx: Tx, obj: Mapping[str, Any]) -> dict[str, str]:
    now = tx.ctx.now()
    created_at = obj.get("created_at") or now
    created_by = obj.get("created_by") or tx.ctx.user
    return {"created_at": created_at, "created_by": created_by,
            "updated_at": obj.get("updated_at") or created_at, "updated_by": obj.get("updated_by") or created_by}


@dataclass(frozen=True)
class ImportDocument(Command):
    """Import an interchange document.

    ``mode``: ``replace`` (JSON import: the file's rows win — "import stores what the file says"),
    ``merge`` (another workbench: rows that differ are conflicts and the target keeps its version)
    or ``theirs`` (merge, but conflicting rows take the other file's version).
    """

    data: Any
    mode: str = "replace"
    label: str = "Import"

    def apply(self, tx: Tx) -> None:
        """Validate everything, then write every row; any error aborts the whole import."""
        doc = self.data if isinstance(self.data, Document) else validate(self.data, tx.ctx.new_id)
        report = Report()
        importer = _Importer(tx, doc, self.mode, report)
        importer.run()
        # The session's identity map holds rows weakly: keep the existing rows this import loaded
        # (and may have changed) alive until the transaction ends, so nothing reloads them one by one.
        tx.session.info.setdefault("pinned_rows", []).extend(importer.pinned)
        tx.extra["report"] = report


#: Persona attribute → column name (``do`` is stored as ``do_items`` …), for rows inserted without the ORM.
_PERSONA_COLUMNS: dict[str, str] = {prop.key: prop.columns[0].key for prop in Persona.__mapper__.column_attrs}


class _Importer:
    """Writes a validated document. New rows are inserted as plain rows, one ``executemany`` per
    table: building, instrumenting and flushing an ORM object per row (1.75 million tracked
    attribute sets for 48,000 messages) took half of a big import. Existing rows stay ORM objects
    (they are compared and changed field by field)."""

    def __init__(self, tx: Tx, doc: Document, mode: str, report: Report) -> None:
        self.tx, self.doc, self.mode, self.report = tx, doc, mode, report
        self.s = tx.session
        #: Every existing row loaded, kept alive until the command's transaction ends.
        self.pinned: list[Any] = []
        #: Persona names more than one persona has → their ids (a reference by such a name is an error).
        self.ambiguous: dict[str, list[str]] = {}

    def _insert(self, cls: Any, rows: list[dict[str, Any]]) -> None:
        """Insert new rows (every column given) in order, after pending ORM changes.

        The unit of work would have written pending changes and these rows in one flush, pending
        ones first (they were added first); flushing first keeps that order. Every id was recorded
        as "did not exist" by :meth:`_existing` (or ``touch_many``) beforehand, so undo deletes them.
        """
        if not rows:
            return
        self.s.flush()
        table = cls.__table__
        self.tx.touch_many(table.name, [row["id"] for row in rows])
        for row in rows:
            row["version"] = 1
        self.s.connection().execute(insert(table), rows)

    def _existing(self, cls: Any, ids: list[str]) -> dict[str, Any]:
        """The rows among ``ids`` that exist, loaded 500 per query, with their before-images recorded.

        Looking rows up one by one (``Session.get``) and letting the transaction read each new row's
        before-image as it is flushed cost two queries per row: ~100,000 queries for a 48,000-message
        import. Here both are one query per 500 ids; absent ids are recorded as "did not exist".
        """
        self.tx.touch_many(cls.__tablename__, ids)
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 500):
            for row in self.s.scalars(select(cls).where(cls.id.in_(ids[start:start + 500]))):
                found[row.id] = row
        self.pinned.extend(found.values())
        return found

    def _settle(self, kind: str, row: Any, values: dict[str, Any], label: str) -> None:
        """Apply ``values`` to an existing row according to the mode, counting the outcome."""
        differs = {k: v for k, v in values.items() if getattr(row, k) != v}
        if not differs:
            self.report.count(self.report.unchanged, kind)
            return
        if self.mode == "merge":
            self.report.conflicts.append(f"{kind} {label}: differs in {', '.join(sorted(differs))} "
                                         "(kept this workbench's version)")
            return
        if self.mode == "theirs":
            self.report.conflicts.append(f"{kind} {label}: differs in {', '.join(sorted(differs))} "
                                         "(took the other version)")
        for k, v in differs.items():
            setattr(row, k, v)
        self.report.count(self.report.updated, kind)

    def run(self) -> None:
        doc, s = self.doc, self.s
        wb = s.scalars(select(WorkbenchRow)).first()
        if wb is not None and self.mode == "replace":
            values = {k: v for k, v in doc.workbench.items() if v not in (None, "") or k == "logo"}
            if "logo" not in doc.workbench:
                values.pop("logo", None)
            changed = {k: v for k, v in values.items() if getattr(wb, k) != v}
            for k, v in changed.items():
                setattr(wb, k, v)
            if changed:
                wb.updated_at, wb.updated_by = self.tx.ctx.now(), self.tx.ctx.user
        channel_by_name = self._channels()
        persona_ids = self._personas()
        self._messages(channel_by_name, persona_ids)
        self._terms(persona_ids)
        self._objections(persona_ids)

    def _channels(self) -> dict[str, str]:
        s = self.s
        existing = {c.id: c for c in s.scalars(select(Channel))}
        by_name = {c.name.strip().casefold(): c for c in existing.values()}
        for i, obj in enumerate(self.doc.channels):
            key = obj["name"].strip().casefold()
            target = existing.get(obj.get("id", "")) or by_name.get(key)
            clash = by_name.get(key)
            if target is not None and clash is not None and clash.id != target.id and self.mode != "merge":
                # Renaming a channel onto another's name would leave two channels of one name: a
                # workbench whose own export no longer imports.
                raise errors.InterchangeError(f"channels[{i}].name", f"{_shown(clash.name)} is already the name "
                                              "of another channel in this workbench")
            values: dict[str, Any] = {k: obj[k] for k in ("name", "guidance", "position") if k in obj}
            values.update({k: obj[k] for k in STAMPS if obj.get(k)})
            if target is None:
                last = s.execute(select(func.max(Channel.position))).scalar()
                c = Channel(id=obj.get("id") or self.tx.ctx.new_id(), name=obj["name"],
                            guidance=obj.get("guidance", ""),
                            position=obj.get("position", (last + 1) if last is not None else 0),
                            **_stamp_values(self.tx, obj))
                s.add(c)
                s.flush()
                existing[c.id] = c
                by_name[c.name.strip().casefold()] = c
                self.report.count(self.report.added, "channel")
            else:
                old_key = target.name.strip().casefold()
                self._settle("channel", target, values, _shown(target.name))
                if target.name.strip().casefold() != old_key:  # renamed: messages find it by its new name
                    by_name.pop(old_key, None)
                    by_name[target.name.strip().casefold()] = target
        return {name: c.id for name, c in by_name.items()}

    def _personas(self) -> dict[str, str]:
        """Returns reference → persona id for every id and (unique) name in file and workbench."""
        s = self.s
        new_rows: list[dict[str, Any]] = []
        existing = self._existing(Persona, [obj["id"] for obj in self.doc.personas])
        for obj in self.doc.personas:
            values: dict[str, Any] = {f.key: obj[f.key] for f in fields.PERSONA_FIELDS if f.key in obj}
            if "portrait" in obj:
                values["portrait"] = obj["portrait"]
            values.update({k: obj[k] for k in STAMPS if obj.get(k)})
            target = existing.get(obj["id"])
            if target is None:
                row: dict[str, Any] = {"id": obj["id"], "portrait": None}
                row.update({f.key: f.default for f in fields.PERSONA_FIELDS})
                row.update(values)
                row.update(_stamp_values(self.tx, obj))
                new_rows.append({_PERSONA_COLUMNS[k]: v for k, v in row.items()})
                self.report.count(self.report.added, "persona")
            else:
                self._settle("persona", target, values, _shown(target.name))
        self._insert(Persona, new_rows)
        s.flush()
        # References by name go by the names as they are now (after this import's renames); a name two
        # personas share is ambiguous, and a reference by it an error naming both.
        refs: dict[str, str] = {}
        by_name: dict[str, list[str]] = {}
        for pid, name in s.execute(select(Persona.id, Persona.name).order_by(Persona.id)):
            refs[pid] = pid
            by_name.setdefault(name, []).append(pid)
        for name, ids in by_name.items():
            if len(ids) == 1:
                refs[f"name:{name}"] = ids[0]
            else:
                self.ambiguous[name] = ids
        return refs

    def _persona_ref(self, refs: dict[str, str], value: str, path: str) -> str:
        try:
            key = str(uuid.UUID(value))
            if key in refs:
                return refs[key]
        except ValueError:
            pass
        if value in self.ambiguous:
            ids = self.ambiguous[value]
            raise errors.InterchangeError(path, f"{len(ids)} personas are named {_shown(value)} ({', '.join(ids[:4])}"
                                          f"{' …' if len(ids) > 4 else ''}): give the persona's id instead")
        found = refs.get(f"name:{value}")
        if found is None:
            raise errors.InterchangeError(path, f"no persona with the id or name {_shown(value)}")
        return found

    def _messages(self, channel_by_name: dict[str, str], persona_refs: dict[str, str]) -> None:
        new_rows: list[dict[str, Any]] = []
        new_revisions: list[dict[str, Any]] = []
        existing = self._existing(Message, [obj["id"] for obj in self.doc.messages])
        self.tx.touch_many("message_revisions", [rev["id"] for obj in self.doc.messages
                                                 for rev in obj.get("revisions") or ()])
        for i, obj in enumerate(self.doc.messages):
            pid = self._persona_ref(persona_refs, obj["persona"], f"messages[{i}].persona")
            cid = channel_by_name.get(obj["channel"].strip().casefold())
            if cid is None:
                raise errors.InterchangeError(f"messages[{i}].channel",
                                              f"no channel named {_shown(obj['channel'])} in the file or workbench")
            values: dict[str, Any] = {"persona_id": pid, "channel_id": cid}
            for key in ("stage", "headline", "body", "call_to_action", "notes", "status", "approved_by",
                        "approved_at", "override_reason"):
                if key in obj:
                    values[key] = obj[key]
            if "in_force_revision" in obj or "revisions" in obj:
                values["in_force_revision_id"] = obj.get("in_force_revision")
            values.update({k: obj[k] for k in STAMPS if obj.get(k)})
            target = existing.get(obj["id"])
            revisions = obj.get("revisions")
            if target is None:
                row = {"id": obj["id"], "stage": "awareness", "headline": "", "body": "", "call_to_action": "",
                       "notes": "", "status": "draft", "approved_by": "", "approved_at": "", "override_reason": "",
                       "in_force_revision_id": None, "breach_count": 0, **_stamp_values(self.tx, obj)}
                row.update(values)
                new_rows.append(row)
                self.report.count(self.report.added, "message")
                if revisions:
                    new_revisions.extend(self._revision_values(obj["id"], revisions))
            else:
                before_conflicts = len(self.report.conflicts)
                self._settle("message", target, values, repr(target.headline or target.id))
                took = self.mode == "replace" or (self.mode == "theirs")
                if revisions is not None and took and len(self.report.conflicts) >= before_conflicts:
                    self._replace_revisions(target.id, revisions)
        self._insert(Message, new_rows)
        self._insert(MessageRevision, new_revisions)
        self.s.flush()

    def _revision_values(self, message_id: str, revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every column of a message's revisions, oldest first."""
        rows = []
        for seq, rev in enumerate(revisions, start=1):
            rows.append({
                "id": rev["id"], "message_id": message_id, "seq": seq, "headline": rev.get("headline", ""),
                "body": rev.get("body", ""), "call_to_action": rev.get("call_to_action", ""),
                "notes": rev.get("notes", ""), "status": rev.get("status", "draft"),
                "approved_by": rev.get("approved_by", ""), "approved_at": rev.get("approved_at", ""),
                "override_reason": rev.get("override_reason", ""),
                "saved_at": rev.get("saved_at") or self.tx.ctx.now(),
                "saved_by": rev.get("saved_by") or self.tx.ctx.user})
        return rows

    def _replace_revisions(self, message_id: str, revisions: list[dict[str, Any]]) -> None:
        s = self.s
        current = list(s.scalars(select(MessageRevision).where(MessageRevision.message_id == message_id)
                                 .order_by(MessageRevision.seq)))
        wanted = [MessageRevision(**values) for values in self._revision_values(message_id, revisions)]
        same = [(r.id, r.headline, r.body, r.call_to_action, r.notes, r.status, r.approved_by, r.approved_at,
                 r.override_reason, r.saved_at, r.saved_by) for r in current] == \
               [(r.id, r.headline, r.body, r.call_to_action, r.notes, r.status, r.approved_by, r.approved_at,
                 r.override_reason, r.saved_at, r.saved_by) for r in wanted]
        if same:
            return
        for r in current:
            s.delete(r)
        s.flush()
        s.add_all(wanted)

    def _terms(self, persona_refs: dict[str, str]) -> None:
        new_rows: list[dict[str, Any]] = []
        existing = self._existing(Term, [obj["id"] for obj in self.doc.terms])
        for i, obj in enumerate(self.doc.terms):
            values: dict[str, Any] = {k: obj[k] for k in ("term", "kind", "replacement", "note") if k in obj}
            if "persona" in obj:
                values["persona_id"] = (self._persona_ref(persona_refs, obj["persona"], f"terms[{i}].persona")
                                        if obj["persona"] is not None else None)
            values.update({k: obj[k] for k in STAMPS if obj.get(k)})
            target = existing.get(obj["id"])
            if target is None:
                new_rows.append({"id": obj["id"], "kind": "prefer", "replacement": "", "note": "", "persona_id": None,
                                 **_stamp_values(self.tx, obj), **values})
                self.report.count(self.report.added, "term")
            else:
                self._settle("term", target, values, repr(target.term))
        self._insert(Term, new_rows)

    def _objections(self, persona_refs: dict[str, str]) -> None:
        new_rows: list[dict[str, Any]] = []
        existing = self._existing(Objection, [obj["id"] for obj in self.doc.objections])
        for i, obj in enumerate(self.doc.objections):
            values: dict[str, Any] = {k: obj[k] for k in ("objection", "response", "heard_count", "heard_by",
                                                          "last_heard") if k in obj}
            values["persona_id"] = self._persona_ref(persona_refs, obj["persona"], f"objections[{i}].persona")
            values.update({k: obj[k] for k in STAMPS if obj.get(k)})
            target = existing.get(obj["id"])
            if target is None:
                new_rows.append({"id": obj["id"], "response": "", "heard_count": 0, "heard_by": "", "last_heard": "",
                                 **_stamp_values(self.tx, obj), **values})
                self.report.count(self.report.added, "objection")
            else:
                self._settle("objection", target, values, repr(target.objection[:40]))
        self._insert(Objection, new_rows)


# --- files ------------------------------------------------------------------------------------


def load_source(source: Path) -> tuple[Any, str]:
    """Read what ``import`` was given: ``(document, mode)`` — a JSON document (``replace``) or another
    workbench's rows as a document (``merge``). Typed errors for a missing, unreadable or invalid file;
    used by the command line and the app alike (the app calls it off the GUI thread)."""
    suffix = source.suffix.lower()
    if suffix == ".workbench":
        from workbench.session import Workbench

        with Workbench.open(source, readonly=True) as other:
            return other.read(export_document), "merge"
    if suffix != ".json":
        raise errors.InterchangeError("", f"cannot import {source.name}: use a .json or .workbench file")
    from workbench.store.sqlite import storage

    # A regular file only, opened without blocking (a FIFO never hangs us), and read to the limit + 1
    # bytes at most (``/dev/zero`` has no end).
    raw = storage.read_regular(source, MAX_SOURCE_BYTES)
    if len(raw) > MAX_SOURCE_BYTES:
        raise errors.InterchangeError("", f"{source.name} is larger than {MAX_SOURCE_BYTES // 1048576} MB; "
                                      "import it in parts")
    try:
        return json.loads(raw.decode("utf-8")), "replace"
    except RecursionError:
        raise errors.InterchangeError("", f"{source.name} is nested too deeply to be a Persona Workbench "
                                      "document") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.InterchangeError("", f"{source.name} is not valid JSON ({str(exc)[:200]})") from None


def write_json(read: Callable[..., Any], target: Path,
               progress: Callable[[int, int], None] | None = None) -> None:
    """Export through ``read`` (a session's :meth:`~workbench.session.Workbench.read`) to ``target``,
    written whole or not at all, with the mode of the file it replaces; a full disk or read-only place
    raises :class:`errors.CouldNotSave`, a workbench someone holds open :class:`errors.Locked`."""
    from workbench.store.sqlite import outputs

    outputs.prepare_output(target)  # refuse a held workbench or an unwritable file before the work
    document = read(export_document, progress)
    outputs.write_output(target, dumps(document).encode("utf-8"))
