"""The markdown preview is safe (no HTML, no fetching, no unsafe links) and fast on hostile input."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from pytestqt.qtbot import QtBot

from ui.widgets.markdown_view import MarkdownView, bound_markdown, is_safe_link, render_markdown


@pytest.fixture
def view(qtbot: QtBot) -> MarkdownView:
    v = MarkdownView()
    qtbot.addWidget(v)
    return v


def test_raw_html_and_scripts_are_shown_as_text() -> None:
    out = render_markdown("<script>alert(1)</script> <b onclick='x()'>bold</b> <iframe src='http://e'>")
    assert "<script" not in out and "<b " not in out and "<iframe" not in out
    assert "&lt;script&gt;" in out


def test_images_become_alt_text_and_nothing_is_fetched(view: MarkdownView, qtbot: QtBot) -> None:
    out = render_markdown("![a tractor](http://evil.example/x.png) ![local](/etc/passwd)")
    assert "<img" not in out and "[image: a tractor]" in out
    with qtbot.waitSignal(view.rendered):
        view.set_markdown("![a](file:///etc/passwd)")
    assert view.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl("file:///etc/passwd")) is None


@pytest.mark.parametrize("text", ["[x](javascript:alert(1))", "[x](file:///etc/passwd)", "[x](data:text/html,hi)",
                                  "[x](/relative/path)", "[x](vbscript:msgbox)"])
def test_unsafe_links_are_inert(text: str) -> None:
    out = render_markdown(text)
    assert "href" not in out


def test_safe_links_survive() -> None:
    out = render_markdown("[site](https://example.com) [mail](mailto:a@b.c)")
    assert 'href="https://example.com"' in out and 'href="mailto:a@b.c"' in out


def test_link_opens_only_after_confirmation(view: MarkdownView, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    monkeypatch.setattr(MarkdownView, "confirm_open_link", classmethod(lambda cls, p, a: asked.append(a) or False))
    assert not view.open_link(QUrl("https://example.com/path?q=1"))
    assert asked == ["https://example.com/path?q=1"] and opened == []
    monkeypatch.setattr(MarkdownView, "confirm_open_link", classmethod(lambda cls, p, a: True))
    assert view.open_link(QUrl("https://example.com/"))
    assert opened == ["https://example.com/"]
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "relative/page"):
        assert not view.open_link(QUrl(bad))
    assert len(opened) == 1
    assert not is_safe_link("file:///etc/passwd") and is_safe_link("mailto:a@b.c")


def test_anchor_click_routes_through_confirmation(view: MarkdownView, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(MarkdownView, "confirm_open_link", classmethod(lambda cls, p, a: asked.append(a) or False))
    view.anchorClicked.emit(QUrl("http://example.org/a"))
    assert asked == ["http://example.org/a"]
    assert not view.openLinks() and not view.openExternalLinks()


HOSTILE = {
    "1 MB of prose": "Lorem *ipsum* dolor [sit](http://a.b) amet.\n\n" * 25_000,
    "1,000 nested lists": "\n".join("  " * i + "- item" for i in range(1000)),
    "1,000 nested quotes": ">" * 1000 + " deep",
    "unclosed brackets": "[a" * 10_000,
    "unclosed links": "[a](" * 10_000,
    "image brackets": "![a" * 10_000,
    "many headings": "# h\n" * 50_000,
    "emphasis soup": "*_[`<!" * 50_000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_renders_fast(name: str) -> None:
    start = time.perf_counter()
    render_markdown(HOSTILE[name])
    assert time.perf_counter() - start < 2.0, name


def test_huge_text_is_bounded_and_noted() -> None:
    text, truncated = bound_markdown("x" * 1_000_000)
    assert truncated and len(text) < 100_000
    assert "preview stops here" in render_markdown("word " * 200_000)


def test_code_spans_keep_brackets_and_angle_brackets() -> None:
    out = render_markdown("`arr[0] <b>` and [not a link] and [ref]\n\n[ref]: https://r.example")
    assert "<code>arr[0] &lt;b&gt;</code>" in out
    assert "[not a link]" in out and 'href="https://r.example"' in out


def test_render_is_debounced(view: MarkdownView, qtbot: QtBot) -> None:
    with qtbot.waitSignal(view.rendered, timeout=2000):
        for ch in "typing fast":
            view.set_markdown(ch)
    assert view.toPlainText().strip() == "t"  # one render, of the last text
