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


# --- issue 16: markdown people paste -------------------------------------------------------------


def test_pipe_tables() -> None:
    blocks = m.parse("Intro\n| Plan | Price |\n|:--|--:|\n| **Fleet** | $1 \\| $2 |\n| Co-op |\nafter text")
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph"]
    table = blocks[1]
    assert isinstance(table, m.Table)
    assert [m.runs_text(c) for c in table.header] == ["Plan", "Price"] and table.align == ("left", "right")
    assert [[m.runs_text(c) for c in row] for row in table.rows] == [["Fleet", "$1 | $2"], ["Co-op", ""]]
    assert table.rows[0][0][0].bold
    # Not tables: a delimiter row of another width, and a setext heading under a line with a pipe.
    assert not any(isinstance(b, m.Table) for b in m.parse("a | b\n|---|\n"))
    assert isinstance(m.parse("a | b\n---")[0], m.Heading)


def test_tables_are_bounded() -> None:
    wide = "|".join(f"c{k}" for k in range(100)) + "\n" + "|".join("-" for _ in range(100)) + "\n" + \
        "|".join("x" for _ in range(100))
    table = m.parse(wide)[0]
    assert isinstance(table, m.Table) and len(table.header) == m.MAX_TABLE_COLUMNS
    assert all(len(row) == m.MAX_TABLE_COLUMNS for row in table.rows)
    long = "|a|b|\n|-|-|\n" + "|1|2|\n" * (m.MAX_TABLE_ROWS + 7)
    blocks = m.parse(long)
    assert isinstance(blocks[0], m.Table) and len(blocks[0].rows) == m.MAX_TABLE_ROWS
    assert m.plain_text(blocks[1:]) == "…(7 more table rows not shown)"


def test_fenced_and_indented_code_keep_their_text() -> None:
    blocks = m.parse("```python\n  def f():\n      return 1\n```\n\npara\n\n    indented\n        deeper\n\n    more\nend")
    code = blocks[0]
    assert isinstance(code, m.CodeBlock) and code.language == "python"
    assert code.text == "  def f():\n      return 1"
    assert isinstance(blocks[2], m.CodeBlock) and blocks[2].text == "indented\n    deeper\n\nmore"
    # Indented lines continue a paragraph; ```inline``` on one line is inline code, not a fence.
    assert isinstance(m.parse("para\n    still para")[0], m.Paragraph)
    runs = m.parse("```a``` and text")[0]
    assert isinstance(runs, m.Paragraph) and runs.runs[0].code
    # A fence closes only on the same character, at least as long.
    assert m.parse("````\n```\nx\n````")[0] == m.CodeBlock("```\nx")


def test_images_are_alt_text_and_never_a_reference() -> None:
    runs = m.parse_inline("see ![a tractor](https://example.com/t.png) and ![](file:///etc/passwd) [ok](https://a.b)")
    images = [r for r in runs if r.image]
    assert [r.text for r in images] == ["a tractor", ""] and all(r.href is None for r in images)
    assert m.image_label("a tractor") == "[image: a tractor]" and m.image_label("") == "[image]"
    assert [r.href for r in runs if r.href] == ["https://a.b"]
    assert "t.png" not in m.runs_text(runs) and "passwd" not in m.runs_text(runs)


def test_nested_lists_keep_their_levels() -> None:
    lst = m.parse("- one\n  - two\n    - three\n- back")[0]
    assert isinstance(lst, m.ListBlock) and len(lst.items) == 2
    inner = lst.items[0].blocks[1]
    assert isinstance(inner, m.ListBlock) and isinstance(inner.items[0].blocks[1], m.ListBlock)


@pytest.mark.parametrize("text", [
    "|" * 200_000, ("|" * 100_000) + "\n" + ("|-" * 50_000), "|a|b|\n|-|-|\n" + "|x|y|\n" * 60_000,
    "a|b\n|-|\n" * 40_000, "|" + "\\|" * 70_000 + "\n|-|\n", "```\n" * 60_000, "```\n" + "a\n" * 100_000,
    "~~~~\n" + "~~~\n" * 60_000, "    x\n" * 60_000, "    x\n\n" * 50_000, "![a" * 50_000, "![a](" * 40_000,
    "| `a | b` |\n|---|---|\n" * 20_000,
])
def test_pathological_tables_and_code_are_fast(text: str) -> None:
    start = time.perf_counter()
    m.parse(text)
    assert time.perf_counter() - start < 2.0


def test_table_work_is_linear() -> None:
    """Doubling the rows of a table roughly doubles the time (never squares it)."""
    def cost(rows: int) -> float:
        text = "|a|b|c|\n|-|-|-|\n" + "|x *y* z|`q`|[l](https://a.b)|\n" * rows
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            m.parse(text, max_chars=10_000_000)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = cost(min(m.MAX_TABLE_ROWS, 200)), cost(m.MAX_TABLE_ROWS)
    assert large < small * (m.MAX_TABLE_ROWS / 200) * 3
