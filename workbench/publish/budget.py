"""What a page budget leaves out, and in which order: a pocket playbook keeps the personas first.

A writer cannot know how many pages a playbook takes until it has laid it out, so a budget is met by
trying smaller and smaller playbooks: :func:`trimmed` yields them, each leaving out one more part.
The order is a content decision, made here once for every format: the cover, the contents, the brand
narrative and the lingo go first (they are about the workbench, not the persona in front of the rep),
then the buying stages from the last one back (retention before decision before consideration before
awareness) — everywhere at once, so every persona in a pocket playbook has the same stages. What is
left when every stage is gone is a persona's essentials: identity, at a glance, story, drives, do and
don't, lead qualification and objection handling.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from workbench.publish.contents import Playbook
from workbench.schema.fileformat import STAGES


def trimmed(book: Playbook) -> Iterator[Playbook]:
    """``book`` itself, then smaller and smaller versions of it; each has ``left_out`` naming the parts
    it no longer has (only parts that were there to leave out count)."""
    yield book
    for part in ("cover", "contents", "narrative", "lingo"):
        if part == "cover" and book.cover is not None:
            book = replace(book, cover=None, left_out=(*book.left_out, "the cover"))
        elif part == "contents" and book.contents:
            book = replace(book, contents=(), left_out=(*book.left_out, "the contents"))
        elif part == "narrative" and book.narrative:
            book = replace(book, narrative="", left_out=(*book.left_out, "the brand narrative"))
        elif part == "lingo" and book.lingo is not None:
            book = replace(book, lingo=None, left_out=(*book.left_out, "the lingo"))
        else:
            continue
        yield book
    dropped: list[str] = []
    for stage in reversed(STAGES):
        if not any(g.stage == stage for s in book.personas for g in s.stages):
            continue
        dropped.insert(0, stage)
        note = _note(dropped)
        book = replace(book, left_out=(*book.left_out, f"the {stage} stage"), personas=tuple(
            replace(s, stages=tuple(g for g in s.stages if g.stage not in dropped), left_out_note=note)
            for s in book.personas))
        yield book


def _note(stages: list[str]) -> str:
    """``Messages for the decision and retention stages are left out of this pocket playbook.``"""
    names = stages[0] if len(stages) == 1 else ", ".join(stages[:-1]) + " and " + stages[-1]
    return f"Messages for the {names} stage{'s' if len(stages) > 1 else ''} are left out of this pocket playbook."
