"""The export generator: read the workbench, lay the playbook out persona by persona, write atomically."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain import errors
from workbench.domain.values import ChannelView, PersonaView
from workbench.publish import PAPERS, PlaybookOptions
from workbench.publish.pdf import front, styles
from workbench.publish.pdf.document import Meta, PlaybookDoc
from workbench.publish.pdf.persona import PersonaPages
from workbench.store.sqlite import storage

if TYPE_CHECKING:
    from workbench.session import Workbench


def date_label(d: date) -> str:
    """``23 November 2026`` (English month names whatever the locale: the playbook is in English)."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    return f"{d.day} {months[d.month - 1]} {d.year}"


def select_personas(wb: Workbench, opts: PlaybookOptions) -> list[PersonaView]:
    """The personas to print, in order; raises ValidationError for unknown or (without drafts) draft ones."""
    if opts.persona_ids is None:
        return [p for p in wb.personas() if opts.include_drafts or p.status == "approved"]
    wanted = list(dict.fromkeys(opts.persona_ids))
    found = {p.id: p for p in wb.personas(ids=wanted)}
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise errors.ValidationError(f"No persona with id {missing[0]!r} in this workbench.")
    drafts = [found[pid].name for pid in wanted if found[pid].status != "approved"]
    if drafts and not opts.include_drafts:
        raise errors.ValidationError(
            f"{drafts[0]} is a draft persona; include drafts to print it.")
    return [found[pid] for pid in wanted]


def run(wb: Workbench, out: Path, opts: PlaybookOptions) -> Iterator[tuple[int, int]]:
    """The generator behind :func:`workbench.publish.export_playbook`."""
    if opts.paper not in PAPERS:
        raise errors.ValidationError(f"Paper is one of {', '.join(PAPERS)}, not {opts.paper!r}.")
    channels = wb.channels()
    channel_filter: set[str] | None = None
    if opts.channel_names is not None:
        known = {c.name.casefold() for c in channels}
        for name in opts.channel_names:
            if name.casefold() not in known:
                raise errors.ValidationError(f"No channel named {name!r} in this workbench.")
        channel_filter = {n.casefold() for n in opts.channel_names}
    personas = select_personas(wb, opts)
    info = wb.info()
    total = len(personas) + 3
    yield 0, total

    when = opts.export_date or date.today()
    label = date_label(when)
    title = opts.title or f"{info.name} — Persona playbook"
    subject = "Persona playbook: " + (", ".join(p.name for p in personas[:20]) or "no personas")
    if len(personas) > 20:
        subject += f" and {len(personas) - 20} more"
    meta = Meta(title=title[:500], author=info.organization[:500], subject=subject[:1000],
                workbench_name=info.name[:300], date_label=f"Exported {label}", draft=opts.include_drafts)
    sheet = styles.stylesheet(opts.paper)
    tmp = out.with_name(f".{out.name}{storage.TMP_MARK}{secrets.token_hex(6)}")
    doc = PlaybookDoc(str(tmp), sheet, meta, invariant=opts.invariant)
    finished = False
    try:
        doc.begin()
        doc.feed(front.cover(sheet, name=info.name, organization=info.organization, logo=wb.logo(),
                             personas=personas, date_label=label, draft=opts.include_drafts,
                             stats=_stats(wb, personas, channels, channel_filter)))
        entries: list[front.TocEntry] = []
        if info.narrative.strip():
            entries.append(front.TocEntry("narrative", "Brand narrative", "Who we are and how we sound", False))
        keys = [f"persona-{i + 1}" for i in range(len(personas))]
        for key, p in zip(keys, personas, strict=True):
            sub = " · ".join(x for x in (p.role, p.organization) if x.strip())
            if p.status != "approved":
                sub = (sub + " · " if sub else "") + "DRAFT"
            entries.append(front.TocEntry(key, p.name, sub, True))
        entries.append(front.TocEntry("lingo", "Lingo", "Say this — not that, and definitions", False))
        flow = front.contents(sheet, entries)
        if info.narrative.strip():
            flow += front.narrative(sheet, info.narrative)
        doc.feed(flow)
        yield 1, total

        pages = PersonaPages(sheet, channels, opts.include_drafts, channel_filter)
        for n, (key, p) in enumerate(zip(keys, personas, strict=True), start=1):
            # One persona at a time: its portrait and flowables are dropped once laid out.
            doc.feed(pages.build(p, n, key, wb.portrait(p.id) if p.has_portrait else None,
                                 wb.messages(persona_id=p.id), wb.objections(persona_id=p.id)))
            yield 1 + n, total

        selected = {p.id for p in personas}
        terms = [t for t in wb.terms() if t.persona_id is None or t.persona_id in selected]
        doc.feed(front.lingo(sheet, terms, {p.id: p.name for p in personas}))
        yield total - 1, total

        try:
            doc.finish()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, out)
        except OSError as exc:
            raise storage.save_failure(out, exc, edits_kept=False) from None
        finished = True
        yield total, total
    finally:
        if not finished:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _stats(wb: Workbench, personas: list[PersonaView], channels: list[ChannelView], channel_filter: set[str] | None
           ) -> list[tuple[int, str]]:
    """The cover's key figures."""
    shown = [c for c in channels if channel_filter is None or c.name.casefold() in channel_filter]
    selected = {p.id for p in personas}
    terms = sum(1 for t in wb.terms() if t.persona_id is None or t.persona_id in selected)
    return [(len(personas), "personas" if len(personas) != 1 else "persona"),
            (len(shown), "channels" if len(shown) != 1 else "channel"),
            (terms, "lingo terms" if terms != 1 else "lingo term")]
