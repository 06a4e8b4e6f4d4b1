"""The PDF playbook: structure, selection, drafts, hostile text, fonts, determinism and cancelling."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.workbench.publish.pdf.builders import build_hostile
from workbench.domain import errors
from workbench.publish import PlaybookOptions, default_paper, export_playbook
from workbench.session import Workbench

DAY = date(2026, 11, 23)


def export(path: Path, out: Path, **kw: object) -> list[tuple[int, int]]:
    opts = PlaybookOptions(invariant=True, export_date=DAY, **kw)  # type: ignore[arg-type]
    with Workbench.open(path, readonly=True) as wb:
        return list(export_playbook(wb, out, opts))


def text_of(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def outline_titles(reader: PdfReader) -> list[str]:
    out: list[str] = []

    def walk(items: Sequence[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(str(item.title))

    walk(reader.outline)
    return out


@pytest.fixture()
def default_pdf(small_workbench: Path, tmp_path: Path) -> Path:
    out = tmp_path / "playbook.pdf"
    export(small_workbench, out)
    return out


def test_structure_metadata_and_bookmarks(default_pdf: Path) -> None:
    reader = PdfReader(default_pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Acme — Persona playbook"
    assert meta.author == "Acme Corp"
    assert "Alice Approved" in (meta.subject or "")
    titles = outline_titles(reader)
    for expected in ("Cover", "Brand narrative", "Alice Approved", "Their story", "Messaging",
                     "Objection handling", "Lingo", "Say this — not that", "Definitions"):
        assert expected in titles
    assert "Dora Draft" not in titles
    assert "Contents" not in titles  # one persona: no contents page
    assert len(reader.pages) >= 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_contents_links_and_page_numbers(small_workbench: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "two.pdf"
    export(small_workbench, pdf, include_drafts=True)  # two personas: a contents page
    reader = PdfReader(pdf)
    assert "Contents" in outline_titles(reader)
    text = text_of(pdf)
    total = len(reader.pages)
    assert f"page 2 of {total}" in text and f"page {total} of {total}" in text
    contents_page = reader.pages[1]
    links = [a.get_object() for a in contents_page.get("/Annots", [])]
    assert sum(1 for a in links if a.get("/Subtype") == "/Link") >= 3
    # The contents row for the persona names the page its bookmark points at.
    dest = next(o for o in reader.outline if not isinstance(o, list) and o.title == "Alice Approved")
    page_no = int(reader.get_destination_page_number(dest) or 0) + 1
    contents_text = contents_page.extract_text()
    assert "Alice Approved" in contents_text and str(page_no) in contents_text
    assert "Exported 23 November 2026" in text


def test_approved_only_by_default(default_pdf: Path) -> None:
    text = text_of(default_pdf)
    assert "APPROVED-AD-HEADLINE" in text and "Approved ad body text." in text
    assert "SCRIPT-HEADLINE" in text and "READ ALOUD" in text
    assert "IN-FORCE-HEADLINE" in text  # approved text stays in force while a rework is drafted
    for absent in ("REWORKED-HEADLINE", "DRAFT-PR-HEADLINE", "RETIRED-HEADLINE", "INTERNAL-NOTE-SECRET",
                   "DORA-AD-HEADLINE", "Dora Draft", "DRAFT"):
        assert absent not in text, absent
    assert "APPROVED CONTENT" in text
    assert "Approved by tester" in text


def test_include_drafts_marks_and_watermarks(small_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts.pdf"
    export(small_workbench, out, include_drafts=True)
    reader = PdfReader(out)
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()  # the diagonal watermark is on every page
    text = text_of(out)
    for present in ("DRAFT-PR-HEADLINE", "REWORKED-HEADLINE", "IN-FORCE-HEADLINE", "DRAFT REVISION",
                    "Dora Draft", "DORA-AD-HEADLINE", "NOT FOR DISTRIBUTION"):
        assert present in text, present
    for absent in ("RETIRED-HEADLINE", "INTERNAL-NOTE-SECRET"):
        assert absent not in text


def test_persona_and_channel_selection(small_workbench: Path, tmp_path: Path) -> None:
    with Workbench.open(small_workbench, readonly=True) as wb:
        ids = {p.name: p.id for p in wb.personas()}
    out = tmp_path / "dora.pdf"
    export(small_workbench, out, persona_ids=[ids["Dora Draft"]], include_drafts=True)
    text = text_of(out)
    assert "Dora Draft" in text and "Alice Approved" not in text
    out2 = tmp_path / "script.pdf"
    export(small_workbench, out2, channel_names=["sales SCRIPT"])
    text2 = text_of(out2)
    assert "SCRIPT-HEADLINE" in text2 and "APPROVED-AD-HEADLINE" not in text2
    with pytest.raises(errors.ValidationError):
        export(small_workbench, tmp_path / "x.pdf", persona_ids=["no-such-id"])
    with pytest.raises(errors.ValidationError):
        export(small_workbench, tmp_path / "x.pdf", channel_names=["Carrier pigeon"])
    with pytest.raises(errors.ValidationError):  # a draft persona without include_drafts
        export(small_workbench, tmp_path / "x.pdf", persona_ids=[ids["Dora Draft"]])
    assert not (tmp_path / "x.pdf").exists()


def test_letter_paper_and_default_paper(small_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    export(small_workbench, out, paper="letter")
    box = PdfReader(out).pages[3].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert default_paper({"LANG": "en_US.UTF-8"}) == "letter"
    assert default_paper({"LC_PAPER": "fr_CA.UTF-8", "LANG": "de_DE.UTF-8"}) == "letter"
    assert default_paper({"LANG": "en_GB.UTF-8"}) == "a4"
    assert default_paper({"LC_ALL": "C"}) == "a4"
    with pytest.raises(errors.ValidationError):
        export(small_workbench, tmp_path / "x.pdf", paper="a3")


def test_fonts_are_all_embedded(default_pdf: Path, tmp_path: Path, hostile_pdf: Path) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    for pdf in (default_pdf, hostile_pdf):
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = lines.splitlines()[2:]
        assert rows
        assert all(" yes yes yes " in row for row in rows), lines
        assert "Helvetica" not in lines and "Times" not in lines


def test_invariant_output_is_deterministic(small_workbench: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    export(small_workbench, a)
    export(small_workbench, b)
    assert a.read_bytes() == b.read_bytes()


def test_progress_and_cancel_leave_no_files(small_workbench: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "cancelled.pdf"
    out.parent.mkdir()
    with Workbench.open(small_workbench, readonly=True) as wb:
        gen = export_playbook(wb, out, PlaybookOptions(invariant=True))
        first = next(gen)
        second = next(gen)
        gen.close()
    assert first[0] <= second[0] <= second[1]
    assert list(out.parent.iterdir()) == []
    steps = export(small_workbench, out)
    assert steps[-1][0] == steps[-1][1] and out.exists()
    assert [p.name for p in out.parent.iterdir()] == ["cancelled.pdf"]


def test_core_does_not_import_reportlab() -> None:
    code = ("import sys, workbench, workbench.session, workbench.domain.markup, workbench.publish;"
            "print(any(m.startswith('reportlab') for m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"


# --- hostile text ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    path = build_hostile(tmp)
    out = tmp / "hostile.pdf"
    export(path, out)
    return out


def test_hostile_text_prints_literally(hostile_pdf: Path) -> None:
    text = text_of(hostile_pdf)
    flat = " ".join(text.split())
    assert "Tom & Jerry <b>bold</b> </para>" in flat
    assert '<img src="/etc/passwd"/>' in flat
    assert "<script>x</script>" in flat
    assert "(truncated)" in flat
    reader = PdfReader(hostile_pdf)
    uris = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots", [])]
    uris = [u for u in uris if u]
    assert all(str(u).startswith(("http://", "https://", "mailto:")) for u in uris), uris
    assert not any("javascript" in str(u).lower() or "file:" in str(u).lower() for u in uris)


def test_every_script_is_extractable(hostile_pdf: Path) -> None:
    flat = " ".join(text_of(hostile_pdf).split())
    for sample in ("中文字符测试", "日本語のテキスト", "Ελληνικά", "Кириллица", "Supercalifragilistic"):
        assert sample in flat, sample
    # Right-to-left text: every word is there (pdftotext may give them in visual order).
    import unicodedata

    normal = unicodedata.normalize("NFKC", flat)
    for word in ("שלום", "עולם", "בעברית", "123"):
        assert word in normal or word[::-1] in normal, word
    for word in ("مرحبا", "عربي", "2024"):
        assert word in normal or word[::-1] in normal, word
    assert "\x00" not in flat and "\x1b" not in flat
    assert "family" in flat and "party" in flat  # emoji dropped, the words around them kept


def test_hostile_pdf_is_well_formed(hostile_pdf: Path) -> None:
    reader = PdfReader(hostile_pdf)
    assert len(reader.pages) > 20
    assert "Lingo" in outline_titles(reader)
