"""What a one-page persona sheet shows, chosen from the playbook's content model (no layout here).

A sheet is a persona at a glance, pinned by the desk: portrait and card, the story's first lines,
motivations and worries, do and don't, how to sound, MQL/SQL, the three objections heard most with
their answers, and one headline per channel. This module picks those from a
:class:`~workbench.publish.contents.PersonaSection`; a writer fits them on the page and shortens
what does not fit (the PDF: :mod:`workbench.publish.pdf.sheet`).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain import markup
from workbench.publish.contents import PersonaSection, PrintedObjection

#: Objections on a sheet: the ones heard most (the model already orders them so).
TOP_OBJECTIONS = 3
#: The story's first lines: the opening paragraphs up to about this many characters.
STORY_CHARS = 1_400


@dataclass(frozen=True)
class ChannelHeadline:
    """The headline a rep should know for one channel: its earliest stage's message."""

    channel: str
    stage: str
    headline: tuple[markup.Run, ...]
    mark: str  # "" for approved text, else DRAFT / IN REVIEW / DRAFT REVISION
    script: bool


@dataclass(frozen=True)
class SheetPersona:
    """One persona's sheet: the section (identity, lists, voice, MQL/SQL) and what was picked from it."""

    section: PersonaSection
    story: tuple[markup.Run, ...]
    objections: tuple[PrintedObjection, ...]
    headlines: tuple[ChannelHeadline, ...]


def first_lines(text: str, limit: int = STORY_CHARS) -> tuple[markup.Run, ...]:
    """The opening paragraphs of markdown ``text`` as inline runs (headings, code and tables skipped),
    joined with a space, up to about ``limit`` characters (the writer shortens further to fit)."""
    runs: list[markup.Run] = []
    size = 0
    for block in markup.parse(text[: 4 * limit]):
        if isinstance(block, markup.ListBlock):
            parts = [b for item in block.items for b in item.blocks if isinstance(b, markup.Paragraph)]
        else:
            parts = [block] if isinstance(block, markup.Paragraph) else []
        for para in parts:
            if runs:
                runs.append(markup.Run(" "))
            runs.extend(para.runs)
            size += sum(len(r.text) for r in para.runs)
            if size >= limit:
                return tuple(runs)
    return tuple(runs)


def sheet_persona(section: PersonaSection, channels: tuple[str, ...] = ()) -> SheetPersona:
    """What ``section``'s sheet shows; headlines follow ``channels`` (the workbench's channel order)."""
    seen: dict[str, ChannelHeadline] = {}
    for group in section.stages:  # funnel order, so the first message per channel is its earliest stage
        for m in group.messages:
            key = m.channel_name.casefold()
            if key in seen and not (seen[key].mark and not m.mark):
                continue  # the earliest approved text wins over a draft of the same stage or later
            text = m.headline if m.headline.strip() else m.body.strip().split("\n", 1)[0]
            seen[key] = ChannelHeadline(m.channel_name, m.stage, markup.parse_inline(text[:1_000]), m.mark, m.script)
    order = {name.casefold(): k for k, name in enumerate(channels)}
    headlines = sorted(seen.values(), key=lambda h: order.get(h.channel.casefold(), len(order)))
    return SheetPersona(section, first_lines(section.persona.story), section.objections[:TOP_OBJECTIONS],
                        tuple(headlines))
