"""The offline HTML playbook (issue 16 item 4): self-contained, semantic, accessible, inert."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workbench.publish.html.conftest import Page, export_html
from tests.workbench.publish.pdf.builders import ARABIC_NAME
from workbench.domain import errors
from workbench.publish import PlaybookOptions, export_playbook
from workbench.publish.html.blocks import fragment
from workbench.session import Workbench

SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def assert_self_contained(page: Page) -> None:
    """No reference to anything outside the file but links a user typed: anchors, data: images only."""
    ids = {a["id"] for _, a in page.elements if "id" in a}
    for tag, attrs in page.elements:
        assert tag not in ("script", "iframe", "object", "embed", "link", "base", "form", "video", "audio",
                           "source", "frame"), tag
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "style" not in attrs or tag == "style"
        for key in ("src", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href"):
            if key in attrs:
                assert tag == "img" and key == "src" and attrs[key].startswith("data:image/"), (tag, key, attrs[key][:40])
        if "href" in attrs:
            href = attrs["href"]
            assert tag == "a", tag
            if href.startswith("#"):
                assert href[1:] in ids, f"anchor {href} has no target"
            else:
                assert SAFE_LINK.match(href), href
                assert "noopener" in attrs.get("rel", "")
    assert "url(" not in page.css and "@import" not in page.css and page.css


def test_self_contained(sample_html: Page) -> None:
    assert_self_contained(sample_html)
    meta = {a.get("http-equiv", "").lower(): a.get("content", "") for a in sample_html.tags("meta")}
    assert "default-src 'none'" in meta["content-security-policy"]  # the browser itself forbids requests


def test_semantic_and_accessible(sample_html: Page) -> None:
    assert sample_html.tags("html")[0]["lang"] == "en"
    assert [h for h in sample_html.headings if h[0] == "h1"] == [("h1", "Tillwright — Ag retail go-to-market")]
    h2 = [text for tag, text in sample_html.headings if tag == "h2"]
    for name in ("Dr. Renata Salgado", "Dwayne Tibbets", "Harlan Voss", "Priya Raman", "Contents", "Lingo",
                 "Brand narrative"):
        assert name in h2
    channels = [text for tag, text in sample_html.headings if tag == "h5"]
    assert "Sales script · Read aloud" in channels and "Direct mail" in channels and "Ads" in channels
    levels = [int(tag[1]) for tag, _ in sample_html.headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), "a heading level is skipped"
    assert all(a.get("alt") for a in sample_html.tags("img"))
    contents = [a["href"] for tag, a in sample_html.elements if tag == "a" and a.get("href", "").startswith("#persona")]
    assert {"#persona-1", "#persona-2", "#persona-3", "#persona-4"} <= set(contents)
    assert sample_html.tags("meta")[0].get("charset") == "utf-8"
    assert any(a.get("name") == "viewport" for a in sample_html.tags("meta"))
    assert "@media print" in Path(sample_html.path).read_text("utf-8")


def test_same_content_model_as_the_pdf(sample_html: Page) -> None:
    text = sample_html.text
    assert "First call after the guide" in text and "INCLUDES DRAFTS — NOT FOR DISTRIBUTION" in text
    assert "IN REVIEW" in text or "DRAFT" in text
    assert sample_html.tags("body")[0].get("class") == "draft"  # the watermark
    assert sample_html.summary is not None and sample_html.summary.kind == "html"
    assert sample_html.summary.headline == "an HTML page: 4 personas, 16 messages."


def test_approved_only_by_default(sample_workbench: Path, tmp_path: Path) -> None:
    page = export_html(sample_workbench, tmp_path / "approved.html")
    assert "Priya Raman" not in page.text and "APPROVED CONTENT" in page.text
    assert "class" not in page.tags("body")[0]
    assert "DRAFT" not in page.text


def test_hostile_text_stays_inert(hostile_html: Page) -> None:
    assert_self_contained(hostile_html)
    raw = hostile_html.path.read_text("utf-8")
    assert "<script" not in raw.lower() and "<img src=\"/etc" not in raw and "<b>" not in raw
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*(javascript|file|/etc)""", raw, re.IGNORECASE)
    # The text itself is all there, as text.
    assert '<img src="/etc/passwd"/>' in hostile_html.text and "<script>x</script>" in hostile_html.text
    assert "\x00" not in raw and "\u202e" not in raw
    assert len([h for h in hostile_html.headings if h[0] == "h1"]) == 1


def test_right_to_left_and_every_script(world_workbench: Path, tmp_path: Path) -> None:
    page = export_html(world_workbench, tmp_path / "world.html")
    h2 = {text: attrs for (tag, attrs), (_, text) in zip(
        [(t, a) for t, a in page.elements if t == "h2"], [h for h in page.headings if h[0] == "h2"], strict=True)}
    assert h2[ARABIC_NAME].get("dir") == "auto"
    for script in ("田中 宏", "김민준", "สมชาย ใจดี", "प्रिया शर्मा Priya", "דנה לוי"):
        assert script in page.text
    for tag in ("p", "li", "td"):
        user = [a for a in page.tags(tag) if a.get("class") not in ("kicker", "badge", "note", "top", "approval")]
        assert user and sum(1 for a in user if a.get("dir") == "auto") / len(user) > 0.8, tag


def test_portraits_are_embedded_at_the_size_shown(huge_workbench: Path, tmp_path: Path) -> None:
    pil = pytest.importorskip("PIL.Image")
    page = export_html(huge_workbench, tmp_path / "huge.html")
    portraits = [a for a in page.tags("img") if a.get("class") == "portrait"]
    assert len(portraits) == 2
    for p in portraits:
        data = base64.b64decode(p["src"].split(",", 1)[1])
        with pil.open(io.BytesIO(data)) as im:
            assert max(im.size) <= 224
        assert p["alt"].startswith("Portrait of Huge Persona")


def test_html_refuses_pdf_only_options(small_workbench: Path, tmp_path: Path) -> None:
    with Workbench.open(small_workbench, readonly=True) as wb:
        for opts in (PlaybookOptions(sheet=True), PlaybookOptions(pages=3)):
            with pytest.raises(errors.ValidationError):
                list(export_playbook(wb, tmp_path / "x.html", opts))
    assert not list(tmp_path.iterdir())


def test_cancelling_leaves_no_file(sample_workbench: Path, tmp_path: Path) -> None:
    with Workbench.open(sample_workbench, readonly=True) as wb:
        run = export_playbook(wb, tmp_path / "x.html", PlaybookOptions())
        next(run)
        next(run)
        run.close()
    assert not list(tmp_path.iterdir())


def test_markdown_fragment_for_the_preview() -> None:
    html = fragment("# Title\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n```\n  x\n```\n\n![cat](http://x/c.png) "
                    "<script>alert(1)</script> [js](javascript:alert(1))")
    assert "<h1" in html and '<table border="1"' in html and 'align="right"' in html
    assert "<pre" in html and "  x" in html and "[image: cat]" in html
    assert "<script>" not in html and "javascript:" not in html and "http://x/c.png" not in html


def test_html_export_does_not_import_reportlab(sample_workbench: Path, tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from workbench.session import Workbench;"
            "from workbench.publish import export_playbook;"
            f"wb = Workbench.open(Path({str(sample_workbench)!r}), readonly=True);"
            f"list(export_playbook(wb, Path({str(tmp_path / 'x.html')!r})));"
            "print(any(m.startswith('reportlab') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
