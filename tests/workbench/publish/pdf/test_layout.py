"""Layout a reader can trust (issue 14 items 7–10): bookmarks, lists in cards, page breaks, PDF details."""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from tests.workbench.publish.pdf.conftest import Printed
from tests.workbench.publish.pdf.pdfcheck import Word, bookmarks, line_of, words
from workbench.publish.pdf.breaking import Card, keep_with_previous

MARGIN = 53.86  # 19 mm, left and right
BAR = 3.0  # a message card's coloured side bar


def page_words(printed: Printed, page: int) -> list[Word]:
    return [w for w in words(printed.pdf) if w.page == page]


# --- item 7: bookmarks -------------------------------------------------------------------------


def test_section_bookmarks_land_on_their_headings(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    persona_page = 1
    checked = 0
    for level, title, page in bookmarks(world_pdf.pdf):
        if level == 0:
            persona_page = page
            continue
        pages = sorted({w.page for w in found if w.page >= persona_page
                        and line_of([x for x in found if x.page == w.page], title)})
        assert pages, title
        assert page == pages[0], f"bookmark {title!r} points at page {page}; the heading is on {pages[0]}"
        checked += 1
    assert checked >= 20


# --- item 8: lists inside message cards --------------------------------------------------------


def test_list_markers_stay_inside_the_card(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    first = line_of(found, "Every delivery on one board,")
    assert first
    page = page_words(world_pdf, first[0].page)
    markers = [w for w in page if w.text in ("1.", "2.", "3.") and abs(w.y1 - first[0].y1) < 40]
    assert markers
    for m in markers:
        assert m.x0 >= MARGIN + BAR + 6, f"{m.text} at x={m.x0:.1f} runs into the card's bar"
        item = min((w for w in page if abs(w.y1 - m.y1) < 1 and w.x0 > m.x1), key=lambda w: w.x0)
        assert item.x0 - m.x1 >= 3  # a gap between the number and its text


def test_nested_lists_keep_their_indent(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    outer, inner = line_of(found, "Bin and tank levels"), line_of(found, "Alerts when a tank")
    assert inner[0].x0 >= outer[0].x0 + 8
    outer, inner = line_of(found, "Twelve pages, with photographs"), line_of(found, "Faber Ag Supply,")
    assert inner[0].x0 >= outer[0].x0 + 8


def test_no_gap_opens_before_a_numbered_list(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    lead, item = line_of(found, "What changes in the first month:"), line_of(found, "Every delivery on one board,")
    para, bullet = line_of(found, "With respect,"), line_of(found, "Marcus Bell — Territory Manager,")
    before_list = item[0].y0 - lead[0].y0
    between_paragraphs = bullet[0].y0 - para[0].y0
    assert before_list <= between_paragraphs + 0.5  # no more room than between two paragraphs


# --- item 9: page breaks -----------------------------------------------------------------------


def _label() -> Paragraph:
    return Paragraph("ADS", ParagraphStyle("label", fontSize=7, leading=10, keepWithNext=1))


def _card(*, body_lines: int, cta: bool = True) -> Card:
    body = ParagraphStyle("body", fontSize=9, leading=12, allowOrphans=0, allowWidows=0)
    content = [_label(), Paragraph("Headline", ParagraphStyle("h", fontSize=11, leading=15, keepWithNext=1)),
               Paragraph(" ".join(["word"] * 12 * body_lines), body)]
    if cta:
        content.append(keep_with_previous(Paragraph("→ Call us", body)))
    return Card(content, background="#f5f2ec", bar="#1f6f6b", padding=12, top=11, page_height=700,
                keep_whole=280, continued=lambda: Paragraph("ADS · CONTINUED", ParagraphStyle("c", fontSize=7)))


def test_short_cards_are_kept_whole() -> None:
    c = _card(body_lines=6)
    _, height = c.wrap(480, 700)
    assert height < 280
    assert c.split(480, height - 20) == []  # moves to the next page whole


def test_a_headline_never_ends_a_page() -> None:
    c = _card(body_lines=60)
    c.wrap(480, 700)
    # Room for the label, the headline and one line of body text (orphans are not allowed): move.
    assert c.split(480, 11 + 10 + 15 + 12 + 12) == []
    parts = c.split(480, 150)
    assert len(parts) == 2
    first, rest = parts
    assert isinstance(first, Card) and isinstance(rest, Card)
    assert len(first.content) == 3 and first.content[-1].getKeepWithNext() == 0  # ends in body text


def test_a_continued_card_says_so_and_never_starts_with_its_call_to_action() -> None:
    c = _card(body_lines=60)
    _, height = c.wrap(480, 700)
    parts = c.split(480, 300)
    rest = parts[1]
    assert isinstance(rest, Card)
    assert "CONTINUED" in rest.content[0].text
    # Room for everything but the call to action: the last lines of text go with it.
    parts = c.split(480, height - 14)
    rest = parts[1]
    assert isinstance(rest, Card)
    assert len(rest.content) >= 3 and "CONTINUED" in rest.content[0].text


def test_continued_cards_in_the_playbook(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    headline = line_of(found, "A season on one board,")
    cont = line_of(found, "PR · CONTINUED")
    assert headline and cont and cont[0].page == headline[0].page + 1
    assert cont[0].y0 < 100  # at the top of the page, above the text it continues
    header_bottom = 25 * 72 / 25.4 - 5
    for page in range(2, 1 + max(w.page for w in found)):
        body = sorted((w for w in found if w.page == page and w.y0 > header_bottom), key=lambda w: (w.y0, w.x0))
        if body:
            assert body[0].text != "→", f"page {page} starts with a call to action"


# --- item 10: PDF details ----------------------------------------------------------------------


def test_document_properties(world_pdf: Printed) -> None:
    reader = PdfReader(world_pdf.pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Tillwright — Q3 playbook"  # not "… — Q3 playbook — Persona playbook"
    assert meta.author == "tester"  # no organisation: who shaped the workbench
    root: Any = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"  # opens with the bookmarks panel


def test_footer_reaches_the_margin_the_header_reaches(world_pdf: Printed) -> None:
    found = words(world_pdf.pdf)
    pages = max(w.page for w in found)
    for page in (2, pages):
        on_page = page_words(world_pdf, page)
        header = max((w for w in on_page if w.y1 < 60), key=lambda w: w.x1)
        footer = max((w for w in on_page if w.y0 > 780), key=lambda w: w.x1)
        assert footer.text == str(pages)
        assert abs(footer.x1 - header.x1) < 0.5, (footer.x1, header.x1)
        assert abs(header.x1 - (595.28 - MARGIN)) < 1
