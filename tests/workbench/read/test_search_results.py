"""Search finds what people type however they type it (case, accents, Greek tonos, ß), and shows a
snippet of the item's own text: every script as written, CJK spacing kept, words never cut,
bounded on huge fields."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.values import HIT_END, HIT_START, Context
from workbench.edit import commands as C
from workbench.session import Workbench
from workbench.store.sqlite.reader import Reader

STORY = ("Σωκράτης lives in Ελλάδα with Jürgen Müller. 田中 宏 is a friend; प्रिया शर्मा too. "
         "The Straße has a co-op and a naïve café.")


@pytest.fixture
def wb(tmp_path: Path, ctx: Context) -> Iterator[Workbench]:
    path = tmp_path / "w.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as bench:
        bench.execute(C.CreatePersona({"name": "Eleni", "story": STORY}))
        yield bench


def _marked(snippet: str) -> list[str]:
    return [part.split(HIT_END)[0] for part in snippet.split(HIT_START)[1:]]


@pytest.mark.parametrize(("typed", "shown"), [
    ("muller", "Müller"), ("MÜLLER", "Müller"), ("jurgen", "Jürgen"),
    ("σωκρατης", "Σωκράτης"), ("ΕΛΛΑΔΑ", "Ελλάδα"), ("ελλ", "Ελλάδα"),
    ("strasse", "Straße"), ("straße", "Straße"), ("naive cafe", "naïve"),
    ("शर्मा", "शर्मा"), ("宏", "宏"),
])
def test_case_and_accents_never_matter(wb: Workbench, typed: str, shown: str) -> None:
    hits = wb.search(typed)
    assert [h.title for h in hits] == ["Eleni"]
    assert shown in _marked(hits[0].snippet)


def test_snippets_show_the_text_as_written(wb: Workbench) -> None:
    hit = wb.search("田中")[0]
    assert f"{HIT_START}田中{HIT_END} 宏" in hit.snippet  # one mark for the phrase, its space kept
    story_words = set(re.findall(r"\w+", STORY))
    for shown in (hit.snippet, *(h.snippet for h in wb.search("co-op")), *(h.snippet for h in wb.search("cafe"))):
        plain = shown.replace(HIT_START, "").replace(HIT_END, "")
        assert set(re.findall(r"\w+", plain)) <= story_words, plain  # no word cut in half


def test_a_huge_field_gives_a_short_snippet_quickly(wb: Workbench) -> None:
    pid = wb.persona_order()[0]
    wb.execute(C.UpdatePersona(pid, {"story": "findme " + "x" * 2_000_000 + " words " * 200_000}))
    start = time.monotonic()
    hits = wb.search("findme")
    assert time.monotonic() - start < 2.0
    assert hits and len(hits[0].snippet) <= 310


def test_the_command_line_reader_gives_the_same_hits(wb: Workbench) -> None:
    wb.write_back()
    with Reader.open(wb.path) as look:
        assert [(h.item_id, h.snippet) for h in look.search("muller")] == \
            [(h.item_id, h.snippet) for h in wb.search("muller")]
