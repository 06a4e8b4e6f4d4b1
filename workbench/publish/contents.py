"""What a playbook contains, whatever its format: the content model and the one function that builds it.

Every decision about *what* is printed lives here — which personas, which text is in force or a draft
and how it is marked, the channel filter, grouping by stage and channel, the sales script, the lingo
in scope, the cover's figures, the contents, dates and the document's metadata. A writer (the PDF in
:mod:`workbench.publish.pdf`, an HTML page later) only lays the model out. Pure Python: no reportlab.

The model reads the workbench only through :class:`workbench.session.Workbench`'s read methods.
Portraits are not held here (a thousand of them would not fit comfortably in memory): a writer
fetches each one with ``wb.portrait(section.portrait_id)`` while it lays that persona out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from workbench.domain import errors
from workbench.domain.values import MessageView, ObjectionView, PersonaView, TermView
from workbench.publish.options import PlaybookOptions
from workbench.schema.fileformat import STAGES

if TYPE_CHECKING:
    from workbench.session import Workbench

#: The channel whose messages are read aloud (printed large, marked READ ALOUD).
SCRIPT_CHANNEL = "sales script"
#: Personas listed by name on the cover; the rest are counted.
COVER_PERSONAS = 8
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


# --- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """The document's own properties (PDF info dictionary, HTML ``<head>``)."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ("persona", "playbook")


@dataclass(frozen=True)
class Figure:
    """A key figure on the cover: ``5 personas``."""

    value: int
    label: str


@dataclass(frozen=True)
class CoverPersona:
    """A persona listed on the cover."""

    name: str
    subtitle: str
    draft: bool


@dataclass(frozen=True)
class Cover:
    """The cover: title band, key figures, the personas inside, and what kind of content this is."""

    title: str
    organization: str
    figures: tuple[Figure, ...]
    personas: tuple[CoverPersona, ...]
    more_personas: int
    badge: str
    note: str
    empty: str


@dataclass(frozen=True)
class ContentsEntry:
    """A line in the contents: the section's key, title, second line and persona number (if any)."""

    key: str
    title: str
    subtitle: str
    number: int | None


@dataclass(frozen=True)
class PrintedMessage:
    """A message as it will be printed: which text, and how it is marked."""

    channel_name: str
    stage: str
    headline: str
    body: str
    call_to_action: str
    approved_by: str
    approved_at: str
    mark: str  # "" for approved text, else "DRAFT", "IN REVIEW" or "DRAFT REVISION"
    script: bool = False

    @property
    def approval(self) -> str:
        """``Approved by Claire · 14 Oct 2026`` with what is known; empty for drafts or when nothing is."""
        if self.mark:
            return ""
        who, when = self.approved_by.strip(), nice_date(self.approved_at)
        if who and when:
            return f"Approved by {who} · {when}"
        if who:
            return f"Approved by {who}"
        return f"Approved · {when}" if when else ""


@dataclass(frozen=True)
class StageGroup:
    """The messages of one buying stage, in channel order."""

    stage: str
    title: str
    messages: tuple[PrintedMessage, ...]


@dataclass(frozen=True)
class PrintedObjection:
    """An objection and the answer, with how often and when it was heard."""

    objection: str
    response: str
    heard: str
    last_heard: str
    heard_by: str


@dataclass(frozen=True)
class Section:
    """A sub-section of a persona's pages (a bookmark under the persona)."""

    key: str
    kind: str  # story, drives, do, leads, messages, objections
    title: str


@dataclass(frozen=True)
class PersonaSection:
    """One persona's pages."""

    key: str
    number: int
    persona: PersonaView
    title: str
    kicker: str
    subtitle: str
    draft: bool
    initials: str
    portrait_id: str | None
    sections: tuple[Section, ...]
    stages: tuple[StageGroup, ...]
    no_messages: str
    objections: tuple[PrintedObjection, ...]
    #: Said under the messaging when a page budget left stages out ("" otherwise).
    left_out_note: str = ""

    @property
    def messages(self) -> Iterator[PrintedMessage]:
        """Every printed message, in order."""
        for group in self.stages:
            yield from group.messages


@dataclass(frozen=True)
class LingoRow:
    """Say this — not that: the word to use, the words it replaces, why, and for whom."""

    say: str
    instead_of: tuple[str, ...]
    why: tuple[str, ...]
    audience: str


@dataclass(frozen=True)
class Definition:
    """A term and what it means, and for whom."""

    term: str
    meaning: str
    audience: str


@dataclass(frozen=True)
class Lingo:
    """The vocabulary pages."""

    say: tuple[LingoRow, ...]
    definitions: tuple[Definition, ...]
    empty: str = "No vocabulary has been recorded yet."


@dataclass(frozen=True)
class Playbook:
    """Everything a playbook shows, in order; ``personas`` are in print order.

    A part that is not printed is empty: no ``cover`` or ``lingo`` (None), no ``contents`` (a playbook
    of one persona has none: the cover already names it), no ``narrative``. ``left_out`` names what a
    page budget dropped (:mod:`workbench.publish.budget`).
    """

    metadata: Metadata
    workbench_name: str
    export_date: date
    date_label: str
    footer: str
    draft: bool
    logo: bytes | None
    cover: Cover | None
    contents: tuple[ContentsEntry, ...]
    narrative: str
    personas: tuple[PersonaSection, ...]
    lingo: Lingo | None
    left_out: tuple[str, ...] = ()
    #: The channels printed, in the workbench's order.
    channels: tuple[str, ...] = ()

    def texts(self) -> Iterator[tuple[str, str]]:
        """``(where, text)`` for every piece of user text printed — what a writer must be able to show."""
        yield "Workbench name", self.workbench_name
        if self.cover is not None:
            yield "Organisation", self.cover.organization
        yield "Brand narrative", self.narrative
        for section in self.personas:
            yield from _persona_texts(section)
        for row in self.lingo.say if self.lingo is not None else ():
            where = f"Lingo, “{_short(row.say or '(rephrase)')}”"
            yield where, " ".join((row.say, *row.instead_of, *row.why))
        for d in self.lingo.definitions if self.lingo is not None else ():
            yield f"Lingo, definition of “{_short(d.term)}”", f"{d.term} {d.meaning}"


def _persona_texts(section: PersonaSection) -> Iterator[tuple[str, str]]:
    p = section.persona
    who = f"Persona “{_short(section.title)}”"
    for label, value in (("name", p.name), ("role", p.role), ("organisation", p.organization),
                         ("industry", p.industry), ("location", p.location), ("owner", p.owner),
                         ("story", p.story), ("how to sound", p.voice), ("MQL", p.mql), ("SQL", p.sql)):
        yield f"{who}, {label}", value
    for label, items in (("motivations", p.motivations), ("worries", p.worries), ("goals", p.goals),
                         ("channels to reach them", p.preferred_channels), ("channels to avoid", p.avoid_channels),
                         ("gatekeepers", p.gatekeepers), ("do", p.do), ("don’t", p.dont), ("tags", p.tags)):
        yield f"{who}, {label}", "\n".join(items)
    for m in section.messages:
        where = f"{who}, {m.channel_name} message ({m.stage})"
        yield f"{where}, headline", m.headline
        yield f"{where}, body", m.body
        yield f"{where}, call to action", m.call_to_action
        yield f"{where}, approver", m.approved_by
    for o in section.objections:
        where = f"{who}, objection “{_short(o.objection)}”"
        yield where, o.objection
        yield f"{where}, response", o.response
        yield f"{where}, heard by", o.heard_by


def _short(text: str, limit: int = 40) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1].rstrip() + "…"


# --- small decisions ---------------------------------------------------------------------------


def date_label(d: date) -> str:
    """``23 November 2026`` (English month names whatever the locale: the playbook is in English)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def nice_date(iso: str) -> str:
    """``2026-10-14T09:30:00+00:00`` → ``14 Oct 2026`` (the text itself if it is not a date)."""
    text = iso.strip()
    if not text:
        return ""
    try:
        d = datetime.fromisoformat(text)
    except ValueError:
        return text[:40]
    return f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return word if n == 1 else (plural or word + "s")


def document_title(name: str, title: str | None) -> str:
    """The document's title: the one asked for, else the workbench's name — with "Persona playbook"
    added only when the name does not already say playbook (no "Q3 playbook — Persona playbook")."""
    if title and title.strip():
        return " ".join(title.split())[:500]
    base = " ".join(name.split()) or "Untitled workbench"
    if "playbook" in base.casefold():
        return base[:500]
    return f"{base} — Persona playbook"[:500]


def initials(name: str) -> str:
    """Up to two initials for a portrait placeholder, in any script.

    Ideographic and Hangul names give their first character (the family name: 田中 宏 → 田); other
    names the first grapheme of the first word and of the last word in the same script (प्रिया शर्मा
    Priya → प्रि श). Words that start with no letter (emoji, punctuation) are skipped, and so is the
    Arabic article (العلي → ع). Letters of scripts without capitals are set apart by a space, so
    they do not join into a word (Arabic م ع, not the word مع).
    """
    words = [w for w in name.split() if w[:1].isalnum()]
    if not words:
        return "•"
    first = words[0]
    if _ideographic(first[0]):
        return first[0]
    script = _script(first[0])
    same = [w for w in words[1:] if _script(w[0]) == script]
    letters = [_grapheme(_without_article(w)).upper() for w in [first, *same[-1:]]]
    cased = first[0].upper() != first[0].lower()
    return ("" if cased else " ").join(letters)


def _script(ch: str) -> str:
    """The script of a letter, roughly: the first word of its Unicode name (LATIN, ARABIC, …)."""
    return unicodedata.name(ch, "?").split(" ", 1)[0]


def _without_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _ideographic(ch: str) -> bool:
    cp = ord(ch)
    return (0x1100 <= cp <= 0x11FF or 0x3040 <= cp <= 0x30FF or 0x3130 <= cp <= 0x318F
            or 0x3400 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF)


def _grapheme(word: str) -> str:
    """The first user-perceived character: a letter with its marks, and consonants joined by a virama."""
    out = word[0]
    for ch in word[1:]:
        joined = unicodedata.combining(out[-1]) == 9  # a virama joins the next consonant
        if unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d" or joined:
            out += ch
        else:
            break
    return out


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
        raise errors.ValidationError(f"{drafts[0]} is a draft persona; include drafts to print it.")
    return [found[pid] for pid in wanted]


def printable_messages(messages: Sequence[MessageView], include_drafts: bool,
                       channels: set[str] | None) -> list[PrintedMessage]:
    """The texts to print: approved text in force by default; with drafts, working text marked as such.

    Retired messages and internal notes never appear. A message whose approved text stays in force
    while a rework is drafted prints the approved text (and, with drafts, the rework marked DRAFT
    REVISION).
    """
    out: list[PrintedMessage] = []
    for m in messages:
        if m.status == "retired":
            continue
        if channels is not None and m.channel_name.casefold() not in channels:
            continue
        script = m.channel_name.casefold() == SCRIPT_CHANNEL
        f = m.in_force
        if f is not None:
            out.append(PrintedMessage(m.channel_name, m.stage, f.headline, f.body, f.call_to_action,
                                      f.approved_by, f.approved_at, "", script))
        if include_drafts and m.status != "approved":
            mark = "DRAFT REVISION" if f is not None else {"in_review": "IN REVIEW"}.get(m.status, "DRAFT")
            out.append(PrintedMessage(m.channel_name, m.stage, m.headline, m.body, m.call_to_action,
                                      "", "", mark, script))
    return out


def group_by_stage(printed: Sequence[PrintedMessage], channel_order: dict[str, int]) -> tuple[StageGroup, ...]:
    """Messages grouped by buying stage (in funnel order), each stage in the channels' order."""
    order = {st: i for i, st in enumerate(STAGES)}
    ranked = sorted(printed, key=lambda m: (order.get(m.stage, 99), channel_order.get(m.channel_name.casefold(), 99)))
    groups: list[StageGroup] = []
    for m in ranked:
        if not groups or groups[-1].stage != m.stage:
            groups.append(StageGroup(m.stage, f"{m.stage.upper()} STAGE", ()))
        last = groups[-1]
        groups[-1] = StageGroup(last.stage, last.title, (*last.messages, m))
    return tuple(groups)


def lingo(terms: Sequence[TermView], persona_names: dict[str, str]) -> Lingo:
    """The vocabulary in scope, as rows: one per word to say (with every word it replaces and every
    reason gathered), then definitions; persona-scoped terms say whom they apply to."""

    def scope(t: TermView) -> str:
        if t.persona_id is None:
            return "Everyone"
        return persona_names.get(t.persona_id, "").strip() or "One persona"

    rows: dict[tuple[str, str], tuple[str, list[str], list[str], str]] = {}
    for t in terms:
        if t.kind not in ("avoid", "prefer"):
            continue
        good = (t.replacement if t.kind == "avoid" else t.term).strip()
        key = (good.casefold(), scope(t))
        row = rows.setdefault(key, (good, [], [], scope(t)))
        if t.kind == "avoid":
            row[1].append(t.term)
        if t.note.strip():
            row[2].append(t.note)
    say = sorted(rows.values(), key=lambda r: (r[0] or "~").casefold())
    defs = sorted((t for t in terms if t.kind == "define"), key=lambda t: t.term.casefold())
    return Lingo(tuple(LingoRow(r[0], tuple(r[1]), tuple(r[2]), r[3]) for r in say),
                 tuple(Definition(t.term, t.note or t.replacement, scope(t)) for t in defs))


def _sections(p: PersonaView, objections: Sequence[ObjectionView], key: str) -> tuple[Section, ...]:
    """Which sub-sections a persona has, in order (messaging always: it says when there is none)."""
    found: list[tuple[str, str]] = []
    if p.story.strip():
        found.append(("story", "Their story"))
    if p.motivations or p.worries or p.goals:
        found.append(("drives", "What drives them"))
    if p.do or p.dont:
        found.append(("do", "Do and don’t"))
    if p.mql.strip() or p.sql.strip():
        found.append(("leads", "Lead qualification"))
    found.append(("messages", "Messaging"))
    if objections:
        found.append(("objections", "Objection handling"))
    return tuple(Section(f"{key}-{kind}", kind, title) for kind, title in found)


def persona_section(wb: Workbench, p: PersonaView, number: int, include_drafts: bool,
                    channel_filter: set[str] | None, channel_order: dict[str, int]) -> PersonaSection:
    """One persona's printed content."""
    key = f"persona-{number}"
    objections = wb.objections(persona_id=p.id)
    printed = printable_messages(wb.messages(persona_id=p.id), include_drafts, channel_filter)
    draft = p.status != "approved"
    subtitle = " · ".join(x.strip() for x in (p.role, p.organization) if x.strip())
    return PersonaSection(
        key=key, number=number, persona=p, title=p.name.strip() or "Untitled persona",
        kicker=f"PERSONA {number:02d}", subtitle=subtitle, draft=draft, initials=initials(p.name),
        portrait_id=p.id if p.has_portrait else None, sections=_sections(p, objections, key),
        stages=group_by_stage(printed, channel_order),
        no_messages=f"No {'messages' if include_drafts else 'approved messages'} for this persona yet.",
        objections=tuple(PrintedObjection(o.objection, o.response, f"{o.heard_count}×" if o.heard_count else "",
                                          nice_date(o.last_heard), o.heard_by) for o in objections))


# --- building ----------------------------------------------------------------------------------


def build(wb: Workbench, opts: PlaybookOptions) -> Playbook:
    """The playbook for ``opts``; raises ValidationError for an unknown persona id or channel name."""
    steps = build_steps(wb, opts)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: Playbook = done.value
            return result


def build_steps(wb: Workbench, opts: PlaybookOptions) -> Generator[tuple[int, int], None, Playbook]:
    """:func:`build` as a generator: yields ``(personas done, personas)`` and returns the playbook."""
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
    yield 0, len(personas)
    channel_order = {c.name.casefold(): c.position for c in channels}
    sections: list[PersonaSection] = []
    for n, p in enumerate(personas, start=1):
        sections.append(persona_section(wb, p, n, opts.include_drafts, channel_filter, channel_order))
        yield n, len(personas)

    when = opts.export_date or date.today()
    selected = {p.id for p in personas}
    terms = [t for t in wb.terms() if t.persona_id is None or t.persona_id in selected]
    shown_channels = [c for c in channels if channel_filter is None or c.name.casefold() in channel_filter]
    subject = "Persona playbook: " + (", ".join(p.name for p in personas[:20]) or "no personas")
    if len(personas) > 20:
        subject += f" and {len(personas) - 20} more"
    name = " ".join(info.name.split())
    # Without an organisation the author is whoever last shaped the workbench, else its name.
    author = " ".join((info.organization or info.updated_by or name).split())
    metadata = Metadata(document_title(info.name, opts.title), author[:500], subject[:1000])
    figures = tuple(Figure(n, _plural(n, word, plural)) for n, word, plural in (
        (len(personas), "persona", None), (len(shown_channels), "channel", None),
        (len(terms), "lingo term", None)))
    note = ("Draft and in-review text is printed and marked DRAFT. Internal notes are never included."
            if opts.include_drafts else "Only approved messages are printed. Internal notes are never included.")
    cover = Cover(
        title=name or "Untitled workbench", organization=info.organization.strip(), figures=figures,
        personas=tuple(CoverPersona(s.title, s.subtitle, s.draft) for s in sections[:COVER_PERSONAS]),
        more_personas=max(0, len(sections) - COVER_PERSONAS),
        badge="INCLUDES DRAFTS — NOT FOR DISTRIBUTION" if opts.include_drafts else "APPROVED CONTENT",
        note=f"Prepared {date_label(when)}. {note}",
        empty="No personas selected." if opts.persona_ids is not None else "No approved personas yet.")
    # One persona: the cover names it, and a contents page would be a page of overhead.
    entries: list[ContentsEntry] = []
    if len(sections) > 1:
        if info.narrative.strip():
            entries.append(ContentsEntry("narrative", "Brand narrative", "Who we are and how we sound", None))
        for s in sections:
            sub = s.subtitle + (" · DRAFT" if s.subtitle and s.draft else "DRAFT" if s.draft else "")
            entries.append(ContentsEntry(s.key, s.title, sub, s.number))
        entries.append(ContentsEntry("lingo", "Lingo", "Say this — not that, and definitions", None))
    return Playbook(
        metadata=metadata, workbench_name=name, export_date=when, date_label=date_label(when),
        footer=f"Exported {date_label(when)}", draft=opts.include_drafts,
        logo=wb.logo() if info.has_logo else None, cover=cover, contents=tuple(entries),
        narrative=info.narrative if info.narrative.strip() else "", personas=tuple(sections),
        lingo=lingo(terms, {p.id: p.name for p in personas}),
        channels=tuple(c.name for c in sorted(shown_channels, key=lambda c: c.position)))
