"""The playbook's content model: what is printed, decided without any writer (no reportlab here)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Generator
from datetime import date
from pathlib import Path

import pytest

from tests.workbench.publish.pdf.builders import ARABIC_NAME, TAMIL
from workbench.domain import errors
from workbench.publish import ExportRun, ExportSummary, PlaybookOptions, Unprintable
from workbench.publish.contents import Playbook, build, build_steps, document_title, initials, nice_date
from workbench.publish.summary import SHOWN_FIELDS, unprintable
from workbench.session import Workbench

DAY = date(2026, 11, 23)


def built(path: Path, **kw: object) -> Playbook:
    with Workbench.open(path, readonly=True) as wb:
        return build(wb, PlaybookOptions(export_date=DAY, **kw))  # type: ignore[arg-type]


def headlines(book: Playbook) -> list[tuple[str, str, str]]:
    return [(m.headline, m.mark, m.stage) for s in book.personas for m in s.messages]


def test_building_the_model_needs_no_writer() -> None:
    code = ("import sys; from workbench.publish import contents, summary;"
            "print(any(m.startswith(('reportlab', 'sqlalchemy')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_approved_text_in_force_by_default(small_workbench: Path) -> None:
    book = built(small_workbench)
    assert [s.title for s in book.personas] == ["Alice Approved"]
    printed = headlines(book)
    assert ("APPROVED-AD-HEADLINE", "", "awareness") in printed
    assert ("IN-FORCE-HEADLINE", "", "awareness") in printed  # approved text stays while a rework is drafted
    assert not any(h in ("REWORKED-HEADLINE", "DRAFT-PR-HEADLINE", "RETIRED-HEADLINE") for h, _, _ in printed)
    # Stages in funnel order; the sales script is flagged as read aloud.
    assert [g.stage for g in book.personas[0].stages] == ["awareness", "consideration"]
    script = next(m for m in book.personas[0].messages if m.headline == "SCRIPT-HEADLINE")
    assert script.script and script.approval == "Approved by tester · 23 Nov 2026"
    texts = "\n".join(t for _, t in book.texts())
    assert "INTERNAL-NOTE-SECRET" not in texts


def test_drafts_are_marked(small_workbench: Path) -> None:
    book = built(small_workbench, include_drafts=True)
    assert [(s.title, s.draft) for s in book.personas] == [("Alice Approved", False), ("Dora Draft", True)]
    marks = {h: mark for h, mark, _ in headlines(book)}
    assert marks["REWORKED-HEADLINE"] == "DRAFT REVISION" and marks["IN-FORCE-HEADLINE"] == ""
    assert marks["DRAFT-PR-HEADLINE"] == "DRAFT" and "RETIRED-HEADLINE" not in marks
    assert book.cover.badge.startswith("INCLUDES DRAFTS") and book.draft
    assert any(e.subtitle.endswith("DRAFT") for e in book.contents if e.title == "Dora Draft")


def test_channel_filter_and_selection(small_workbench: Path) -> None:
    book = built(small_workbench, channel_names=["sales SCRIPT"])
    assert [h for h, _, _ in headlines(book)] == ["SCRIPT-HEADLINE"]
    assert [(f.value, f.label) for f in book.cover.figures][1] == (1, "channel")
    with pytest.raises(errors.ValidationError):
        built(small_workbench, channel_names=["Carrier pigeon"])
    with pytest.raises(errors.ValidationError):
        built(small_workbench, persona_ids=["no-such-id"])
    with Workbench.open(small_workbench, readonly=True) as wb:
        dora = next(p.id for p in wb.personas() if p.name == "Dora Draft")
    with pytest.raises(errors.ValidationError, match="draft persona"):
        built(small_workbench, persona_ids=[dora])


def test_cover_contents_lingo_and_metadata(small_workbench: Path) -> None:
    book = built(small_workbench)
    assert book.metadata.title == "Acme — Persona playbook" and book.metadata.author == "Acme Corp"
    assert [(f.value, f.label) for f in book.cover.figures] == [(1, "persona"), (4, "channels"), (3, "lingo terms")]
    assert book.contents == ()  # one persona: the cover names it, a contents page would be overhead
    both = built(small_workbench, include_drafts=True)
    assert [e.key for e in both.contents] == ["narrative", "persona-1", "persona-2", "lingo"]
    assert book.date_label == "23 November 2026" and book.footer == "Exported 23 November 2026"
    assert [s.kind for s in book.personas[0].sections] == ["story", "drives", "do", "leads", "messages",
                                                           "objections"]
    say = {r.say: r for r in book.lingo.say}
    assert say["paperwork"].instead_of == ("contract",) and say["paperwork"].audience == "Everyone"
    assert [d.term for d in book.lingo.definitions] == ["MQL"]


def test_title_does_not_repeat_itself_and_author_is_never_empty(world_workbench: Path) -> None:
    assert document_title("Tillwright — Q3 playbook", None) == "Tillwright — Q3 playbook"
    assert document_title("Acme", None) == "Acme — Persona playbook"
    assert document_title("Acme", "  Field guide ") == "Field guide"
    book = built(world_workbench)  # no organisation: the author is who shaped the workbench
    assert book.metadata.title == "Tillwright — Q3 playbook"
    assert book.metadata.author == "tester"


def test_initials_in_every_script() -> None:
    assert initials("Harlan Voss") == "HV"
    assert initials(ARABIC_NAME) == "م ع"  # the article ال is skipped; letters kept apart
    assert initials("प्रिया शर्मा Priya") == "प्रि श"  # a whole grapheme; last word in the same script
    assert initials("田中 宏") == "田" and initials("김민준") == "김"
    assert initials("🚚 Logistics Co") == "LC" and initials("—") == "•"


def test_dates() -> None:
    assert nice_date("2026-10-14T09:30:00+00:00") == "14 Oct 2026"
    assert nice_date("") == "" and nice_date("last spring") == "last spring"


def test_unprintable_text_is_reported_by_field(world_workbench: Path) -> None:
    book = built(world_workbench)
    lost = unprintable(book, lambda text: "".join(ch for ch in dict.fromkeys(text) if ch in TAMIL))
    assert [u.where for u in lost] == ["Persona “प्रिया शर्मा Priya”, worries"]
    assert lost[0].characters == "வணக்ம"
    assert "U+0BB5" in str(lost[0]) and "5 characters" in str(lost[0])
    many = ExportSummary(Path("x.pdf"), 3, 1, 2, tuple(Unprintable(f"field {k}", "ሀ") for k in range(25)))
    assert len(many.warnings) == SHOWN_FIELDS + 1 and many.warnings[-1].startswith("… and 5 more fields")
    assert many.headline == "3 pages: 1 persona, 2 messages."


def test_build_steps_report_progress(small_workbench: Path) -> None:
    with Workbench.open(small_workbench, readonly=True) as wb:
        steps = list(build_steps(wb, PlaybookOptions(include_drafts=True)))
    assert steps == [(0, 2), (1, 2), (2, 2)]


def test_export_run_keeps_the_summary() -> None:
    def steps() -> Generator[tuple[int, int], None, ExportSummary]:
        yield 1, 2
        yield 2, 2
        return ExportSummary(Path("out.pdf"), 5, 1, 3)

    run = ExportRun(steps())
    assert list(run) == [(1, 2), (2, 2)]
    assert run.summary is not None and run.summary.pages == 5

    def outer() -> Generator[tuple[int, int], None, int]:
        summary: ExportSummary = yield from ExportRun(steps())
        return summary.pages

    gen = outer()
    assert list(gen) == [(1, 2), (2, 2)]
