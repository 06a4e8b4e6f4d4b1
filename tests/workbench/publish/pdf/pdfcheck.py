"""Reading a PDF back for tests: words with their boxes (``pdftotext -bbox``), bookmarks with pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

_PAGE = re.compile(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    """A word as poppler sees it: 1-based page, box in points from the top-left, text (visual order)."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: Path) -> list[Word]:
    """Every word of the document with its box (skips the test when poppler-utils is missing)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found: list[Word] = []
    for n, page in enumerate(_PAGE.finditer(out), start=1):
        for m in _WORD.finditer(page.group(3)):
            found.append(Word(n, float(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                              unescape(m.group(5))))
    return found


def page_text(pdf: Path, page: int) -> str:
    """One page's text in reading (logical) order, as a PDF reader's search sees it."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def line_of(found: list[Word], phrase: str, *, page: int | None = None) -> list[Word]:
    """The words of the first line (same page and baseline) that reads ``phrase``, left to right."""
    parts = phrase.split()
    for i, w in enumerate(found):
        if w.text != parts[0] or (page is not None and w.page != page):
            continue
        run = found[i:i + len(parts)]
        if [x.text for x in run] == parts and all(x.page == w.page and abs(x.y1 - w.y1) < 1 for x in run):
            return run
    return []


def bookmarks(pdf: Path) -> list[tuple[int, str, int]]:
    """``(level, title, 1-based page)`` of every bookmark, in order."""
    reader = PdfReader(pdf)
    out: list[tuple[int, str, int]] = []

    def walk(items: Sequence[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), int(reader.get_destination_page_number(item) or 0) + 1))

    walk(reader.outline, 0)
    return out
