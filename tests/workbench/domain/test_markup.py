"""The markdown block model: structure, safety (raw HTML, links, nesting, size) and linear time."""

from __future__ import annotations

import time

import pytest

from workbench.domain import markup as m


def test_blocks_and_inline_runs() -> None:
    blocks = m.parse("# Title\n\nSome **bold**, *italic*, `code` and [a link](https://example.com).\n\n"
                     "- one\n- two\n  1. nested\n\n> quoted\n\n---\n\nSetext\n===")
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Heading", "Paragraph", "ListBlock", "Quote", "Rule", "Heading"]
    para = blocks[1]
    assert isinstance(para, m.Paragraph)
    styled = {(r.text, r.bold, r.italic, r.code, r.href) for r in para.runs}
    assert ("bold", True, False, False, None) in styled
    assert ("italic", False, True, False, None) in styled
    assert ("code", False, False, True, None) in styled
    assert ("a link", False, False, False, "https://example.com") in styled
    lst = blocks[2]
    assert isinstance(lst, m.ListBlock) and not lst.ordered and len(lst.items) == 2
    inner = lst.items[1].blocks[1]
    assert isinstance(inner, m.ListBlock) and inner.ordered


def test_raw_html_is_literal_text() -> None:
    text = '<img src="/etc/passwd"> <script>alert(1)</script> <b onclick="x">b</b>'
    blocks = m.parse(text)
    assert m.plain_text(blocks) == text
    assert all(r.href is None for b in blocks if isinstance(b, m.Paragraph) for r in b.runs)


@pytest.mark.parametrize("url,ok", [
    ("https://example.com/a", True), ("http://x.y", True), ("mailto:a@b.c", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("file:///etc/passwd", False),
    ("/relative/path", False), ("data:text/html,x", False), ("https:no-slashes", False),
    ("java\x00script:alert(1)", False),
])
def test_only_safe_links_keep_their_target(url: str, ok: bool) -> None:
    runs = m.parse_inline(f"[label]({url})")
    hrefs = [r.href for r in runs if r.href]
    assert (hrefs != []) is ok


def test_unmatched_emphasis_stays_literal() -> None:
    assert m.runs_text(m.parse_inline("**unclosed *and _this")) == "**unclosed *and _this"
    assert m.runs_text(m.parse_inline("snake_case_name")) == "snake_case_name"
    runs = m.parse_inline("***both***")
    assert runs == (m.Run("both", bold=True, italic=True),)


def test_nesting_is_bounded() -> None:
    deep = "\n".join("  " * i + "- level" for i in range(300))
    blocks = m.parse(deep)

    def depth(bs: tuple[m.Block, ...] | list[m.Block]) -> int:
        best = 0
        for b in bs:
            if isinstance(b, m.ListBlock):
                best = max(best, 1 + max(depth(i.blocks) for i in b.items))
            elif isinstance(b, m.Quote):
                best = max(best, 1 + depth(b.blocks))
        return best

    assert depth(blocks) <= m.MAX_DEPTH + 1
    assert m.plain_text(blocks).count("level") == 300
    assert depth(m.parse(">" * 5000 + " deep")) <= m.MAX_DEPTH + 1


def test_size_is_bounded_with_a_visible_marker() -> None:
    blocks = m.parse("x " * 300_000)
    text = m.plain_text(blocks)
    assert text.endswith(m.TRUNCATION_MARK)
    assert len(text) <= m.MAX_CHARS + len(m.TRUNCATION_MARK)


@pytest.mark.parametrize("text", ["[a" * 10000, "[a](" * 10000, "*a" * 50000, "`a ``b " * 20000, "_a" * 50000,
                                  "[x](" + "(a" * 50000, "<" * 100000, "\\" * 100000])
def test_pathological_inputs_are_fast(text: str) -> None:
    start = time.perf_counter()
    m.parse(text)
    assert time.perf_counter() - start < 2.0


def test_markup_module_stays_light() -> None:
    import subprocess
    import sys

    code = "import sys, workbench.domain.markup; print(sorted(k for k in ('reportlab', 'PySide6', 'markdown') if k in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
