"""Markdown → a small, typed block model shared by the PDF playbook and the app's preview.

A deliberately small, linear-time parser for the subset people type (and paste) into personas and
messages: ATX/setext headings, paragraphs, bullet and numbered lists (nested), block quotes, rules,
fenced and indented code, pipe tables, and inline bold, italic, code, links, autolinks and images. It exists instead of python-markdown because that
passes raw HTML through, recurses without bound on nested lists and takes ~28 s on ``'[a' * 10000``.

Guarantees, whatever the input:

- raw HTML is never interpreted: ``<img src=…>`` stays the literal text ``<img src=…>``;
- nesting (lists, quotes) deeper than :data:`MAX_DEPTH` is flattened into plain paragraphs;
- input longer than :data:`MAX_CHARS` is cut, with a visible ``…(truncated)`` marker;
- a link keeps its target only when it is ``http``, ``https`` or ``mailto`` (:func:`safe_href`);
- an image is never a reference to anything: ``![alt](src)`` becomes a run of its alt text marked
  ``image`` (there is no image store in a workbench yet, and nothing is fetched from a disk or a network);
- tables keep at most :data:`MAX_TABLE_COLUMNS` columns and :data:`MAX_TABLE_ROWS` rows (a visible
  note says how many rows were left out);
- parsing time is linear in the input (every scan for a closing delimiter is cached and moves forward).

No Qt and no reportlab here: this module is imported by the core, the PDF writer and the UI preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

#: Longest text parsed per field; the rest is dropped and :data:`TRUNCATION_MARK` appended.
MAX_CHARS = 200_000
#: Deepest nesting of lists and quotes kept as structure; deeper content becomes paragraphs.
MAX_DEPTH = 8
TRUNCATION_MARK = "…(truncated)"
#: Widest table kept (further cells of a row are dropped, as GitHub does with cells beyond the header).
MAX_TABLE_COLUMNS = 16
#: Longest table kept; the rest is summarised in a paragraph after it.
MAX_TABLE_ROWS = 500
SAFE_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")


# --- the block model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of inline text with one set of styles. ``href`` is already known to be safe."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    #: An image's alt text (the image itself is never loaded): writers show :func:`image_label`.
    image: bool = False


@dataclass(frozen=True)
class Heading:
    """``# Title`` (level 1–6)."""

    level: int
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Paragraph:
    """Running text; soft line breaks are kept as spaces, hard breaks (two spaces, ``\\``) as ``\\n``."""

    runs: tuple[Run, ...]


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its own blocks (paragraphs, nested lists …)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; ``start`` is the first number."""

    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True)
class Quote:
    """``> quoted`` blocks."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CodeBlock:
    """A fenced or indented code block, shown verbatim in a monospace font (indentation kept)."""

    text: str
    language: str = ""


@dataclass(frozen=True)
class Rule:
    """A thematic break (``---``)."""


Cell: TypeAlias = tuple[Run, ...]


@dataclass(frozen=True)
class Table:
    """A pipe table: a header row, body rows of the same width, and each column's alignment.

    ``align`` holds ``"left"``, ``"center"``, ``"right"`` or ``""`` (not stated) per column.
    """

    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    align: tuple[str, ...]


Block: TypeAlias = Heading | Paragraph | ListBlock | Quote | CodeBlock | Rule | Table


# --- public functions --------------------------------------------------------------------------


def safe_href(url: str) -> str | None:
    """``url`` stripped, if its scheme is http(s) or mailto; otherwise None (relative, javascript:, file: …)."""
    cleaned = "".join(ch for ch in url.strip() if ch >= " " and ch != "\x7f")
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if not match or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    if match.group(1).lower() in ("http", "https") and not cleaned[match.end():].startswith("//"):
        return None
    if len(cleaned) > 2048 or any(ch.isspace() for ch in cleaned):
        return None
    return cleaned


def bound(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut to ``limit`` characters with a visible marker when it was longer."""
    if len(text) <= limit:
        return text
    return text[:limit] + TRUNCATION_MARK


def parse(text: str, *, max_chars: int = MAX_CHARS) -> list[Block]:
    """Parse markdown ``text`` into blocks (never raises on any ``str``)."""
    text = bound(text.replace("\r\n", "\n").replace("\r", "\n"), max_chars)
    return _parse_lines(text.split("\n"), 0)


def parse_inline(text: str) -> tuple[Run, ...]:
    """Parse one line's worth of inline markdown into runs (used for headlines and table cells)."""
    return _Inline(bound(text).replace("\n", " ")).runs()


def image_label(alt: str) -> str:
    """How every writer shows an image it does not load: ``[image: a tractor]``."""
    alt = " ".join(alt.split())
    return f"[image: {alt}]" if alt else "[image]"


def plain_text(blocks: list[Block] | tuple[Block, ...]) -> str:
    """The blocks as plain text, one paragraph per line: for search snippets and tests."""
    out: list[str] = []

    def walk(bs: list[Block] | tuple[Block, ...], prefix: str) -> None:
        for b in bs:
            if isinstance(b, (Heading, Paragraph)):
                out.append(prefix + "".join(r.text for r in b.runs))
            elif isinstance(b, ListBlock):
                for item in b.items:
                    walk(item.blocks, prefix + "  ")
            elif isinstance(b, Quote):
                walk(b.blocks, prefix + "> ")
            elif isinstance(b, CodeBlock):
                out.append(prefix + b.text)
            elif isinstance(b, Table):
                for row in (b.header, *b.rows):
                    out.append(prefix + " | ".join(runs_text(cell) for cell in row))

    walk(blocks, "")
    return "\n".join(out)


def runs_text(runs: tuple[Run, ...] | list[Run]) -> str:
    """The plain text of some runs."""
    return "".join(r.text for r in runs)


# --- blocks ------------------------------------------------------------------------------------

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"( {0,12})([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r" {0,3}> ?")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _parse_lines(lines: list[str], depth: int) -> list[Block]:
    """Blocks from lines. Each nesting level re-reads its own lines once: O(n × MAX_DEPTH)."""
    if depth > MAX_DEPTH:
        return _flat(lines)
    blocks: list[Block] = []
    para: list[str] = []
    i = 0
    n = len(lines)

    def flush() -> None:
        if para:
            blocks.append(Paragraph(_Inline(_join_para(para)).runs()))
            para.clear()

    while i < n:
        line = lines[i].expandtabs(4) if "\t" in lines[i] else lines[i]
        stripped = line.strip()
        if not stripped:
            flush()
            i += 1
            continue
        if not para and _indent(line) >= 4:
            code, i = _indented_code(lines, i)
            blocks.append(code)
            continue
        if para and _SETEXT.match(line):
            blocks.append(Heading(1 if stripped[0] == "=" else 2, _Inline(_join_para(para)).runs()))
            para.clear()
            i += 1
            continue
        m = _ATX.match(line)
        if m:
            flush()
            blocks.append(Heading(len(m.group(1)), _Inline(m.group(2) or "").runs()))
            i += 1
            continue
        if _RULE.match(line):
            flush()
            blocks.append(Rule())
            i += 1
            continue
        m = _FENCE.match(line)
        info = line[m.end():].strip() if m else ""
        if m and not (m.group(1)[0] == "`" and "`" in info):  # ```a``` on one line is inline code
            flush()
            fence, indent = m.group(1), _indent(line)
            body: list[str] = []
            i += 1
            while i < n and not _closes(lines[i], fence):
                raw = lines[i].expandtabs(4) if "\t" in lines[i] else lines[i]
                body.append(raw[min(indent, _indent(raw)):])
                i += 1
            i += 1  # the closing fence (or past the end)
            blocks.append(CodeBlock("\n".join(body), " ".join(info.split())[:40]))
            continue
        if "|" in line and i + 1 < n and "|" in lines[i + 1]:
            table = _table(lines, i)
            if table is not None:
                flush()
                found, i = table
                blocks.extend(found)
                continue
        if _QUOTE.match(line):
            flush()
            inner: list[str] = []
            while i < n:
                q = _QUOTE.match(lines[i])
                if q:
                    inner.append(lines[i][q.end():])
                elif lines[i].strip() and inner and inner[-1].strip():
                    inner.append(lines[i])  # lazy continuation of a quoted paragraph
                else:
                    break
                i += 1
            blocks.append(Quote(tuple(_parse_lines(inner, depth + 1))))
            continue
        m = _LIST.match(line)
        # A list interrupts a paragraph only with a bullet or "1." followed by text (as CommonMark).
        if m and (not para or (m.group(3) and (not m.group(2)[0].isdigit() or m.group(2)[:-1] == "1"))):
            flush()
            block, i = _parse_list(lines, i, depth)
            blocks.append(block)
            continue
        para.append(line)
        i += 1
    flush()
    return blocks


def _parse_list(lines: list[str], i: int, depth: int) -> tuple[ListBlock, int]:
    first = _LIST.match(lines[i].expandtabs(4))
    assert first is not None
    marker = first.group(2)
    ordered = marker[0].isdigit()
    kind = marker[-1] if ordered else marker
    base_indent = len(first.group(1))
    start = int(marker[:-1]) if ordered else 1
    items: list[ListItem] = []
    n = len(lines)
    while i < n:
        line = lines[i].expandtabs(4)
        m = _LIST.match(line)
        if not m or len(m.group(1)) > base_indent + 1 or (m.group(2)[-1] if ordered else m.group(2)) != kind \
                or m.group(2)[0].isdigit() != ordered:
            break
        content_indent = m.end() if m.group(3) else m.end() + 1
        body = [line[m.end():]]
        i += 1
        blank = False
        while i < n:
            nxt = lines[i].expandtabs(4)
            if not nxt.strip():
                blank = True
                body.append("")
                i += 1
                continue
            ind = _indent(nxt)
            if ind >= min(content_indent, base_indent + 2):
                body.append(nxt[min(ind, content_indent):])
                blank = False
                i += 1
                continue
            if blank or _LIST.match(nxt) or _ATX.match(nxt) or _QUOTE.match(nxt) or _RULE.match(nxt):
                break
            body.append(nxt.strip())  # lazy continuation line
            i += 1
        while body and not body[-1].strip():
            body.pop()
        items.append(ListItem(tuple(_parse_lines(body, depth + 1))))
        if blank and i < n:
            nm = _LIST.match(lines[i].expandtabs(4))
            if not nm or len(nm.group(1)) > base_indent + 1:
                break
    return ListBlock(ordered, tuple(items), start), i


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a code block opened by ``fence`` (the same character, at least as many)."""
    s = line.strip()
    return len(s) >= len(fence) and s[0] == fence[0] and s.count(s[0]) == len(s)


def _indented_code(lines: list[str], i: int) -> tuple[CodeBlock, int]:
    """Lines indented by four or more spaces (and blank lines between them) as one code block."""
    body: list[str] = []
    n = len(lines)
    while i < n:
        raw = lines[i].expandtabs(4) if "\t" in lines[i] else lines[i]
        if raw.strip():
            if _indent(raw) < 4:
                break
            body.append(raw[4:])
        else:
            body.append("")
        i += 1
    while body and not body[-1]:
        body.pop()
    return CodeBlock("\n".join(body)), i


#: Text per table cell is bounded separately from the whole field (cells are laid out side by side).
_CELL_CHARS = 1_000
_DELIMITER_CELL = re.compile(r":?-+:?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(line: str, limit: int) -> list[str]:
    """A table row's cells (at most ``limit + 1``: enough to tell a row is too wide), outer pipes dropped."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in _CELL_SPLIT.split(s, maxsplit=limit)]


def _width(line: str) -> int:
    """How many cells a table row has (one pass over the line, however many pipes it holds)."""
    s = line.strip()
    inner = len(_CELL_SPLIT.findall(s))
    return inner + 1 - (1 if s.startswith("|") else 0) - (1 if s.endswith("|") and not s.endswith("\\|") and len(s) > 1 else 0)


def _table(lines: list[str], i: int) -> tuple[list[Block], int] | None:
    """A pipe table starting at ``lines[i]`` (header, then a delimiter row with as many cells), or None.

    Rows run until a blank line, a line without a pipe or the start of another block. Work is linear:
    every row is split once, and at most :data:`MAX_TABLE_COLUMNS` + 1 cells are made per row.
    """
    delimiter = lines[i + 1].strip()
    if "-" not in delimiter or delimiter.strip(" \t|:-"):
        return None
    marks = _cells(delimiter, MAX_TABLE_COLUMNS)
    head = _cells(lines[i], MAX_TABLE_COLUMNS)
    if _width(delimiter) != _width(lines[i]) or not all(_DELIMITER_CELL.fullmatch(mk) for mk in marks[:MAX_TABLE_COLUMNS]):
        return None
    width = min(len(head), MAX_TABLE_COLUMNS)
    align = tuple("center" if mk.startswith(":") and mk.endswith(":") else "right" if mk.endswith(":")
                  else "left" if mk.startswith(":") else "" for mk in marks[:width])
    rows: list[tuple[Cell, ...]] = []
    more = 0
    n = len(lines)
    i += 2
    while i < n:
        line = lines[i]
        if not line.strip() or "|" not in line or _ATX.match(line) or _FENCE.match(line) or _QUOTE.match(line):
            break
        if len(rows) < MAX_TABLE_ROWS:
            cells = _cells(line, width)[:width]
            cells += [""] * (width - len(cells))
            rows.append(tuple(_Inline(bound(c, 4 * _CELL_CHARS)).runs() for c in cells))
        else:
            more += 1
        i += 1
    table: list[Block] = [Table(tuple(_Inline(bound(c, 4 * _CELL_CHARS)).runs() for c in head[:width]),
                                tuple(rows), align)]
    if more:
        table.append(Paragraph((Run(f"…({more:,} more table row{'s' if more != 1 else ''} not shown)",
                                    italic=True),)))
    return table, i



def _flat(lines: list[str]) -> list[Block]:
    """Too deep: keep the words, drop the structure (markers stripped), one paragraph per block of lines."""
    out: list[Block] = []
    para: list[str] = []
    for raw in lines:
        line = raw.strip()
        while True:
            m = _LIST.match(line) or _QUOTE.match(line)
            if not m or not m.group(0):
                break
            line = line[m.end():].strip()
        if not line:
            if para:
                out.append(Paragraph(_Inline(" ".join(para)).runs()))
                para = []
            continue
        para.append(line)
    if para:
        out.append(Paragraph(_Inline(" ".join(para)).runs()))
    return out


def _join_para(lines: list[str]) -> str:
    parts: list[str] = []
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        if not last and (line.endswith("  ") or line.endswith("\\")):
            parts.append(line.rstrip(" ").rstrip("\\").strip() + "\n")
        else:
            parts.append(line.strip() + ("" if last else " "))
    return "".join(parts)


# --- inline ------------------------------------------------------------------------------------

_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!<>|~\"'")
_BARE_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"]+", re.IGNORECASE)
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^\s<>]{1,2048})>", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?)]}'\""


@dataclass
class _Delim:
    char: str
    count: int
    can_open: bool
    can_close: bool
    # Filled by matching: how many of this run's characters open/close bold and italic.
    opens: tuple[int, int] = (0, 0)
    closes: tuple[int, int] = (0, 0)
    used: int = 0


_Token: TypeAlias = str | _Delim | tuple[str, str] | Run  # text | delimiter | ("code", text) | link run


class _Inline:
    """Tokenise once, match emphasis delimiters with a stack, emit runs. Linear time."""

    def __init__(self, text: str, links: bool = True) -> None:
        self.text = text
        self.links = links
        self._next: dict[str, int] = {}  # cached "next occurrence at or after" for closing scans

    def _find(self, needle: str, start: int) -> int:
        cached = self._next.get(needle)
        if cached is not None and (cached == -1 or cached >= start):
            return cached
        found = self.text.find(needle, start)
        self._next[needle] = found
        return found

    def tokens(self) -> list[_Token]:
        t = self.text
        n = len(t)
        out: list[_Token] = []
        buf: list[str] = []
        i = 0

        def flush() -> None:
            if buf:
                out.append("".join(buf))
                buf.clear()

        while i < n:
            ch = t[i]
            if ch == "\\" and i + 1 < n and t[i + 1] in _ESCAPABLE:
                buf.append(t[i + 1])
                i += 2
                continue
            if ch == "`":
                j = i
                while j < n and t[j] == "`":
                    j += 1
                ticks = t[i:j]
                close = self._find_ticks(ticks, j)
                if close < 0:
                    buf.append(ticks)
                    i = j
                    continue
                flush()
                out.append(("code", t[j:close].strip() or t[j:close]))
                i = close + len(ticks)
                continue
            if ch in "*_":
                j = i
                while j < n and t[j] == ch:
                    j += 1
                before = t[i - 1] if i else " "
                after = t[j] if j < n else " "
                left = not after.isspace()
                right = not before.isspace()
                if ch == "_":
                    left = left and not before.isalnum()
                    right = right and not after.isalnum()
                flush()
                out.append(_Delim(ch, j - i, left, right))
                i = j
                continue
            if ch == "!" and self.links and i + 1 < n and t[i + 1] == "[":
                link = self._link(i + 1)
                if link is not None:  # an image: only its alt text is kept, the source never is
                    label, _, _, i = link
                    flush()
                    out.append(Run(" ".join(label.split()), image=True))
                    continue
            if ch == "[" and self.links:
                link = self._link(i)
                if link is not None:
                    label, inner, target, i = link
                    flush()
                    out.append(Run(label or target, bold=any(r.bold for r in inner),
                                   italic=any(r.italic for r in inner), href=safe_href(target)))
                    continue
            if ch == "<" and self.links:
                m = _AUTOLINK.match(t, i)
                if m:
                    flush()
                    out.append(Run(m.group(1), href=safe_href(m.group(1))))
                    i = m.end()
                    continue
            if ch in "hHmM" and self.links and (i == 0 or not t[i - 1].isalnum()):
                m = _BARE_URL.match(t, i)
                if m:
                    url = m.group(0).rstrip(_TRAILING_PUNCT)
                    if len(url) > len("https://"):
                        flush()
                        out.append(Run(url, href=safe_href(url)))
                        i += len(url)
                        continue
            buf.append(ch)
            i += 1
        flush()
        return out

    def _find_ticks(self, ticks: str, start: int) -> int:
        # A closing run must be exactly as long; scan forward from cached positions only.
        pos = start
        while True:
            k = self._find(ticks, pos)
            if k < 0:
                return -1
            end = k + len(ticks)
            if end < len(self.text) and self.text[end] == "`":  # a longer run: not our closer
                while end < len(self.text) and self.text[end] == "`":
                    end += 1
                pos = end
                continue
            return k

    def _link(self, i: int) -> tuple[str, tuple[Run, ...], str, int] | None:
        """``[label](target)`` at ``i``: (label text, label runs, target, index after it), or None."""
        t = self.text
        close = self._find("]", i + 1)
        if close < 0:
            return None
        opener = self._find("[", i + 1)
        if 0 <= opener < close:
            return None  # nested brackets: the inner one may be a link; this "[" is literal
        if close + 1 >= len(t) or t[close + 1] != "(":
            return None
        end = self._find(")", close + 2)
        if end >= 0 and "(" in t[close + 2:end]:  # one level of parentheses inside a URL
            end = self._find(")", end + 1)
        if end < 0 or end - close > 2050:
            return None
        target = t[close + 2:end].strip()
        if " " in target:  # [text](url "title")
            target = target.split(" ", 1)[0]
        target = target.strip("<>")
        inner = _Inline(t[i + 1:close], links=False).runs()
        return runs_text(inner), inner, target, end + 1

    def runs(self) -> tuple[Run, ...]:
        tokens = self.tokens()
        _match(tokens)
        out = _RunBuilder()
        bold = italic = 0
        for tok in tokens:
            if isinstance(tok, str):
                out.add(tok, bold > 0, italic > 0)
            elif isinstance(tok, tuple):
                out.add(tok[1], bold > 0, italic > 0, code=True)
            elif isinstance(tok, Run):
                out.add(tok.text, tok.bold or bold > 0, tok.italic or italic > 0, href=tok.href, image=tok.image)
            else:
                cb, ci = tok.closes
                bold -= cb
                italic -= ci
                literal = tok.count - cb * 2 - ci - tok.opens[0] * 2 - tok.opens[1]
                if literal > 0:
                    out.add(tok.char * literal, bold > 0, italic > 0)
                bold += tok.opens[0]
                italic += tok.opens[1]
        return out.result()


class _RunBuilder:
    """Merges neighbouring pieces with the same style (joined once at the end: no quadratic copying)."""

    def __init__(self) -> None:
        self._runs: list[Run] = []
        self._key: tuple[bool, bool, bool] | None = None
        self._parts: list[str] = []

    def _flush(self) -> None:
        if self._parts and self._key is not None:
            b, i, c = self._key
            self._runs.append(Run("".join(self._parts), b, i, c))
        self._parts = []
        self._key = None

    def add(self, text: str, bold: bool, italic: bool, code: bool = False, href: str | None = None,
            image: bool = False) -> None:
        if not text and not image:
            return
        if href is not None or image:
            self._flush()
            self._runs.append(Run(text, bold, italic, code, href, image))
            return
        key = (bold, italic, code)
        if key != self._key:
            self._flush()
            self._key = key
        self._parts.append(text)

    def result(self) -> tuple[Run, ...]:
        self._flush()
        return tuple(self._runs)


def _match(tokens: list[_Token]) -> None:
    """Pair emphasis delimiters: each closer takes the nearest opener of the same character."""
    stacks: dict[str, list[_Delim]] = {"*": [], "_": []}
    for tok in tokens:
        if not isinstance(tok, _Delim):
            continue
        remaining = tok.count
        if tok.can_close:
            stack = stacks[tok.char]
            closes_b = closes_i = 0
            while remaining and stack:
                opener = stack[-1]
                avail = opener.count - opener.used
                use = 2 if (avail >= 2 and remaining >= 2) else 1
                ob, oi = opener.opens
                opener.opens = (ob + 1, oi) if use == 2 else (ob, oi + 1)
                opener.used += use
                remaining -= use
                if use == 2:
                    closes_b += 1
                else:
                    closes_i += 1
                if opener.count - opener.used <= 0:
                    stack.pop()
            tok.closes = (closes_b, closes_i)
        if remaining and tok.can_open:
            # Everything not used for closing may open; keep it on the stack.
            tok.used = tok.count - remaining
            stacks[tok.char].append(tok)
    # Openers never closed were credited with nothing, so runs() prints their characters literally.
