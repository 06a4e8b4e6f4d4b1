"""Fixtures for HTML playbook tests: pages exported once per session, read back with html.parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.workbench.publish.pdf.builders import build_hostile
from workbench.publish import ExportSummary, PlaybookOptions, export_playbook
from workbench.session import Workbench


@dataclass
class Page(HTMLParser):
    """An HTML page as its elements: ``(tag, attributes)`` in order, the text, heading texts."""

    path: Path
    summary: ExportSummary | None = None
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    css: str = ""
    _heading: list[str] | None = None
    _stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self._parts: list[str] = []
        self.feed(self.path.read_text("utf-8"))
        self.close()
        self.text = "".join(self._parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = [tag]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if self._heading is not None and tag == self._heading[0]:
            self.headings.append((tag, " ".join("".join(self._heading[1:]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if getattr(self, "_in_style", False):
            self.css += data
            return
        self._parts.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def tags(self, name: str) -> list[dict[str, str]]:
        """The attributes of every element called ``name``."""
        return [a for t, a in self.elements if t == name]


def export_html(path: Path, out: Path, **kw: object) -> Page:
    """Export ``path`` to ``out`` as HTML and parse it."""
    with Workbench.open(path, readonly=True) as wb:
        run = export_playbook(wb, out, PlaybookOptions(export_date=date(2026, 11, 23), **kw))  # type: ignore[arg-type]
        for _ in run:
            pass
    page = Page(out)
    page.summary = run.summary
    return page


@pytest.fixture(scope="session")
def sample_html(sample_workbench: Path, tmp_path_factory: pytest.TempPathFactory) -> Page:
    """The sample workbench with drafts, as an HTML page."""
    return export_html(sample_workbench, tmp_path_factory.mktemp("sample-html") / "playbook.html", include_drafts=True)


@pytest.fixture(scope="session")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> Page:
    """Every field of every row holding hostile text, as an HTML page."""
    d = tmp_path_factory.mktemp("hostile-html")
    return export_html(build_hostile(d), d / "hostile.html")
