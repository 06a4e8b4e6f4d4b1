"""Every script prints (issue 14 item 5) and right-to-left text reads in order (item 6).

Checked on the PDF itself: words and their boxes from ``pdftotext -bbox`` (characters of a word come
in visual order there), and reading-order text from plain ``pdftotext`` (what a reader's search sees).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from bidi.algorithm import get_display

from tests.workbench.publish.pdf.builders import ARABIC_NAME, TAMIL
from tests.workbench.publish.pdf.conftest import Printed
from tests.workbench.publish.pdf.pdfcheck import Word, bookmarks, page_text, words
from workbench.publish import PlaybookOptions, export_playbook
from workbench.publish.pdf.bidi import reorder_words
from workbench.session import Workbench

MARGIN = 53.86  # 19 mm: the left margin of every page
TILE = 34 * 72 / 25.4  # the portrait tile is 34 mm square


def persona_page(printed: Printed, name: str) -> int:
    return next(page for level, title, page in bookmarks(printed.pdf) if level == 0 and title == name)


def on_page(printed: Printed, page: int) -> list[Word]:
    return [w for w in words(printed.pdf) if w.page == page]


def logical(word: Word) -> str:
    """A right-to-left word's letters in reading order (poppler gives them in visual order; NFKC makes
    the check independent of how the letters extract — that is tested on its own)."""
    return unicodedata.normalize("NFKC", word.text)[::-1]


def biggest(found: list[Word]) -> list[Word]:
    """The words set in the largest type among ``found`` (a heading rather than body text)."""
    top = max(w.y1 - w.y0 for w in found)
    return [w for w in found if w.y1 - w.y0 > 0.9 * top]


def all_text(printed: Printed) -> str:
    return "\n".join(page_text(printed.pdf, n) for n in range(1, 1 + max(w.page for w in words(printed.pdf))))


def test_every_script_is_printed(world_pdf: Printed) -> None:
    text = all_text(world_pdf)
    for sample in ("समय की बचत", "สมชาย", "김민준", "구매 담당 이사", "田中", "דנה", "Harlan Voss"):
        assert sample in text, sample
    for emoji in ("🚚", "📦", "🚜"):  # monochrome, from the bundled symbol font
        assert emoji in text, emoji
    if shutil.which("pdffonts"):
        embedded = subprocess.run(["pdffonts", str(world_pdf.pdf)], capture_output=True, text=True,
                                  check=True).stdout
        for family in ("NotoSansDevanagari", "NotoSansThai", "NanumGothic", "Symbola"):
            assert family in embedded, family


def test_initials_tile_shows_letters_of_every_script(world_pdf: Printed) -> None:
    def tile(name: str) -> list[Word]:
        page = persona_page(world_pdf, name)
        # The persona may begin below a short narrative on the same page: look beside its kicker only.
        kicker = [w for w in on_page(world_pdf, page) if w.text == "PERSONA" and w.x0 > MARGIN + TILE][-1]
        found = [w for w in on_page(world_pdf, page) if w.x1 < MARGIN + TILE and w.y1 - w.y0 > 20
                 and kicker.y0 - TILE < w.y0 < kicker.y0 + TILE]
        return sorted(found, key=lambda w: w.x0)

    assert [w.text for w in tile("田中 宏")] == ["田"]
    assert [w.text for w in tile("김민준")] == ["김"]
    assert [w.text for w in tile("Harlan Voss")] == ["HV"]
    assert [w.text for w in tile(ARABIC_NAME)] == ["ع", "م"]  # the first initial on the right
    assert len(tile("प्रिया शर्मा Priya")) == 2  # two Devanagari graphemes, shaped


def test_text_that_cannot_be_printed_is_reported(world_pdf: Printed) -> None:
    assert world_pdf.summary is not None
    lost = world_pdf.summary.unprintable
    assert [(u.where, u.characters) for u in lost] == [("Persona “प्रिया शर्मा Priya”, worries", "வணக்ம")]
    assert "U+0BB5" in world_pdf.summary.warnings[0]
    assert "Partner in Chennai writes" in all_text(world_pdf)  # the rest of the field is printed
    assert TAMIL not in all_text(world_pdf)


def test_right_to_left_words_run_right_to_left(world_pdf: Printed) -> None:
    page = on_page(world_pdf, persona_page(world_pdf, ARABIC_NAME))
    first, last = ARABIC_NAME.split()
    heading = biggest([w for w in page if logical(w) in (first, last)])  # the 24 pt name
    by_word = {logical(w): w for w in heading}
    assert set(by_word) == {first, last}
    assert by_word[first].x0 > by_word[last].x1  # the first word stands on the right
    hebrew = biggest([w for w in on_page(world_pdf, persona_page(world_pdf, "דנה לוי"))
                      if logical(w) in ("דנה", "לוי")])
    by_word = {logical(w): w for w in hebrew}
    assert by_word["דנה"].x0 > by_word["לוי"].x1


def test_numbers_keep_their_order(world_pdf: Printed) -> None:
    page = on_page(world_pdf, persona_page(world_pdf, ARABIC_NAME))
    texts = [w.text for w in page]
    assert "2012" in texts and "٢٥" in texts  # European and Arabic-Indic digits, left to right
    assert "2102" not in texts and "٥٢" not in texts
    year = next(w for w in page if w.text == "2012")
    middle = (year.y0 + year.y1) / 2
    word_before = next(w for w in page if logical(w) == "عام" and w.y0 < middle < w.y1)
    assert year.x1 < word_before.x0  # "… منذ عام 2012": the year follows, to the left


def test_arabic_extracts_as_letters(world_pdf: Printed) -> None:
    text = all_text(world_pdf)
    assert ARABIC_NAME in text and "مدير المشتريات" in text  # what a reader's search finds
    forms = sorted({f"U+{ord(ch):04X}" for ch in text if 0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF})
    assert not forms, forms
    assert not any(0xE000 <= ord(ch) <= 0xF8FF for ch in unicodedata.normalize("NFC", text) if ch in "محمد")


@pytest.mark.parametrize(("line", "base"), [
    ("Hello محمد علي world", 0),  # Arabic inside English
    ("שלום 123 עולם, (טקסט) 4.5%", 1),  # numbers and brackets inside Hebrew
    ("منذ عام 2010. Priya Sharma تمام", 1),  # a sentence-final full stop, a Latin name
])
def test_line_order_is_the_unicode_bidi_algorithm(line: str, base: int) -> None:
    # The same line through python-bidi's own complete implementation (rules L1–L4 included).
    assert reorder_words(line.split(" "), base) == [get_display(line, base_dir="LR"[base])]


def test_complex_scripts_print_the_same_every_time(world_workbench: Path, world_pdf: Printed,
                                                   tmp_path: Path) -> None:
    # Shaped glyphs get code points and ToUnicode entries as they are met: still byte for byte stable.
    again = tmp_path / "again.pdf"
    with Workbench.open(world_workbench, readonly=True) as wb:
        for _ in export_playbook(wb, again, PlaybookOptions(invariant=True, export_date=date(2026, 11, 23))):
            pass
    assert again.read_bytes() == world_pdf.pdf.read_bytes()
