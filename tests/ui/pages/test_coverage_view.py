"""The coverage matrix: one row per persona, one column per channel, state as colour + icon + words."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.pages import coverage_view
from ui.pages.coverage_view import COUNTING, PAGE, ROLE_STATE, CoverageView
from ui.services import icons
from ui.services.controller import WorkbenchController
from workbench.domain.values import AVOIDED, PARTIAL, Context, CoverageMatrix, CoverageSummary
from workbench.edit import commands
from workbench.exchange import interchange
from workbench.read import coverage as coverage_queries
from workbench.session import Workbench


def make(qtbot: QtBot, controller: WorkbenchController) -> CoverageView:
    view = CoverageView(controller)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    return view


def double_click(qtbot: QtBot, view: CoverageView, pos: QPoint) -> None:
    """A real double-click: Qt 6 item views need the press of a first click before the double one."""
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_enter_key_activates_the_cell(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount())
                if m.state_at(r, c) in ("approved", PARTIAL))
    view.table.setCurrentIndex(m.index(r, c))
    view.table.setFocus()
    with qtbot.waitActive(view):
        view.activateWindow()
    with qtbot.waitSignal(view.open_message_requested):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)


def test_rows_are_personas_and_columns_channels(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    assert m.rowCount() == 4 and m.columnCount() == 5
    assert m.headerData(0, Qt.Orientation.Horizontal) == "Ads"
    assert m.headerData(0, Qt.Orientation.Vertical) == controller.workbench.persona_summaries()[0].name


def test_every_state_has_colour_icon_and_words(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    seen = set()
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            idx = m.index(r, c)
            state = idx.data(ROLE_STATE)
            seen.add(state)
            assert isinstance(idx.data(Qt.ItemDataRole.DecorationRole), QIcon)
            assert isinstance(idx.data(Qt.ItemDataRole.BackgroundRole), QColor)
            assert idx.data() == icons.STATE_LABEL[state]
            assert icons.STATE_LABEL[state] in idx.data(Qt.ItemDataRole.AccessibleTextRole)
    assert {PARTIAL, "breach", "none"} <= seen  # all stages: a pair is approved only when every stage is
    view.set_stage("awareness")
    assert "approved" in {m.index(r, c).data(ROLE_STATE) for r in range(m.rowCount()) for c in range(m.columnCount())}
    assert {icons.STATE_LABEL[s] for s in (PARTIAL, AVOIDED)} <= set(icons.STATE_LABEL.values())
    states = ("none", "draft", "in_review", "approved", "breach", PARTIAL, AVOIDED)
    assert len({icons.state_colour(s).name() for s in states}) == len(states)
    assert len({icons.STATE_ICON[s] for s in states}) == len(states)  # a shape of its own, not colour alone


def test_legend_names_every_state(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    texts = {label.text() for label in view.findChildren(QLabel)}
    for state in ("none", "draft", "in_review", "approved", "breach"):
        assert icons.STATE_LABEL[state] in texts


def test_stage_filter(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    matrix = m.matrix
    view.set_stage("retention")
    assert m.stage == "retention"
    for r, p in enumerate(matrix.personas):
        for c, ch in enumerate(matrix.channels):
            assert m.state_at(r, c) == matrix.state(p.id, ch.id, "retention")
    view.set_stage(None)
    assert view.stage_combo.currentText() == "All stages"


def test_double_click_on_empty_cell_requests_creation(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.state_at(r, c) == "none")
    view.set_stage("decision")
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.state_at(r, c) == "none")
    rect = view.table.visualRect(m.index(r, c))
    requests: list[tuple[str, str, str]] = []
    view.create_message_requested.connect(lambda *args: requests.append(args))
    with qtbot.waitSignal(view.create_message_requested) as blocker:
        double_click(qtbot, view, rect.center())
    assert blocker.args == [m.matrix.personas[r].id, m.matrix.channels[c].id, "decision"]
    assert len(requests) == 1  # one double-click, one message


def test_double_click_on_filled_cell_requests_opening(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.state_at(r, c) == "breach")
    rect = view.table.visualRect(m.index(r, c))
    with qtbot.waitSignal(view.open_message_requested) as blocker:
        double_click(qtbot, view, rect.center())
    message = controller.workbench.message(blocker.args[0])
    assert message is not None and message.breach_count > 0


def test_matrix_follows_changes(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.state_at(r, c) == "none")
    p, ch = m.matrix.personas[r], m.matrix.channels[c]
    controller.run(commands.CreateMessage(p.id, ch.id, "awareness", {"headline": "Hello"}))
    qtbot.waitUntil(lambda: m.state_at(r, c) == PARTIAL, timeout=3000)  # one stage of four has a message
    assert m.matrix.state(p.id, ch.id, "awareness") == "draft"


def test_select_cell(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    m = view.model
    view.select_cell(m.matrix.personas[2].id, m.matrix.channels[3].id)
    idx = view.table.currentIndex()
    assert (idx.row(), idx.column()) == (2, 3)


def test_accessible_names(qtbot: QtBot, controller: WorkbenchController) -> None:
    view = make(qtbot, controller)
    assert view.table.accessibleName() == "Coverage matrix"
    assert view.stage_combo.accessibleName()


# --- lazy loading on a big workbench -----------------------------------------------------------

MANY = 600


@pytest.fixture
def many(wb_path: Path, ctx: Context) -> Iterator[WorkbenchController]:
    """600 personas (twelve pages of rows); every other one has a message in some state."""
    with Workbench.open(wb_path, ctx) as wb:
        channels = [c.name for c in wb.channels()]
        doc = {"format": "persona-workbench", "version": 1,
               "personas": [{"name": f"Persona {i:04d}"} for i in range(MANY)],
               "messages": [{"persona": f"Persona {i:04d}", "channel": channels[i % len(channels)],
                             "stage": "awareness", "status": ("draft", "in_review", "approved")[i % 3]}
                            for i in range(0, MANY, 2)]}
        wb.execute(interchange.ImportDocument(doc))
    c = WorkbenchController(Workbench.open(wb_path, ctx))
    yield c
    c.close()


class Reads:
    """The rows the view asks the core for; reading the whole matrix fails the test."""

    def __init__(self, wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[str]] = []
        original = wb.coverage_for

        def coverage_for(persona_ids: Sequence[str]) -> CoverageMatrix:
            self.calls.append(list(persona_ids))
            return original(persona_ids)

        def whole_matrix() -> CoverageMatrix:
            raise AssertionError("the view read the whole matrix")

        monkeypatch.setattr(wb, "coverage_for", coverage_for)
        monkeypatch.setattr(wb, "coverage", whole_matrix)

    @property
    def ids(self) -> set[str]:
        return {pid for call in self.calls for pid in call}

    @property
    def rows(self) -> list[list[str]]:
        """The calls that asked for rows (an empty one only lists the channels)."""
        return [call for call in self.calls if call]


def counted(view: CoverageView) -> bool:
    return view.summary.text() not in (COUNTING, "")


def test_opening_reads_only_the_rows_on_screen(qtbot: QtBot, many: WorkbenchController,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    wb = many.workbench
    order = wb.persona_order()
    full = wb.coverage()
    reads = Reads(wb, monkeypatch)
    view = make(qtbot, many)
    qtbot.waitUntil(lambda: counted(view), timeout=5000)
    m = view.model
    assert m.rowCount() == MANY and m.columnCount() == len(full.channels)
    assert len(reads.calls) == 1 and reads.ids <= set(order[:PAGE])  # one small query for the first screen
    last_on_screen = view.table.rowAt(view.table.viewport().height() - 1)
    assert 0 < last_on_screen < PAGE
    assert {order[r] for r in range(last_on_screen + 1)} <= reads.ids
    assert m.headerData(0, Qt.Orientation.Vertical) == "Persona 0000"

    view.table.scrollToBottom()
    view.table.viewport().repaint()
    assert order[-1] in reads.ids  # read as it scrolled into view …
    assert not reads.ids & set(order[PAGE:MANY - PAGE])  # … and nothing in between
    for row in (*range(0, 12), *range(MANY - 12, MANY)):
        assert m.headerData(row, Qt.Orientation.Vertical) == full.personas[row].name
        for col, ch in enumerate(full.channels):
            assert m.index(row, col).data(ROLE_STATE) == full.state(order[row], ch.id), (row, col)


def test_totals_are_counted_on_a_worker(qtbot: QtBot, many: WorkbenchController,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    on_gui_thread: list[bool] = []
    original = coverage_queries.coverage_summary

    def coverage_summary(rows: Any) -> CoverageSummary:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return original(rows)

    monkeypatch.setattr(coverage_queries, "coverage_summary", coverage_summary)
    full = many.workbench.coverage()
    view = make(qtbot, many)
    assert view.summary.text() == COUNTING  # the rows are there; the totals are not counted yet
    assert view.model.state_at(0, 0) == full.state(full.personas[0].id, full.channels[0].id)
    qtbot.waitUntil(lambda: counted(view), timeout=5000)
    assert on_gui_thread == [False]

    def expected(stage: str | None) -> str:
        stages = [stage] if stage is not None else list(full.stages)  # all stages: every stage's cells
        approved = sum(full.state(p.id, c.id, st) == "approved"
                       for st in stages for p in full.personas for c in full.channels)
        return f"{approved} of {MANY * len(full.channels) * len(stages)} cells approved"

    assert view.summary.text() == expected(None)
    for stage in ("awareness", "decision", None):  # every stage's totals came with the one count
        view.set_stage(stage)
        assert view.summary.text() == expected(stage)
    assert on_gui_thread == [False]


def test_an_edit_rereads_only_the_rows_it_touched(qtbot: QtBot, many: WorkbenchController,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    wb = many.workbench
    order = wb.persona_order()
    channel = wb.channels()[0]
    reads = Reads(wb, monkeypatch)
    view = make(qtbot, many)
    qtbot.waitUntil(lambda: counted(view), timeout=5000)
    before = view.summary.text()
    assert view.model.state_at(1, 0) == "none"
    reads.calls.clear()

    many.run(commands.CreateMessage(order[1], channel.id, "decision", {"headline": "Hello"}))
    assert view.summary.text() == COUNTING  # never the total from before the edit
    qtbot.waitUntil(lambda: view.model.state_at(1, 0) == PARTIAL, timeout=5000)
    assert counted(view) and view.summary.text() == before  # the cells and totals arrive together
    assert reads.rows == [[order[1]]]  # that row alone

    reads.calls.clear()
    far = order[MANY - 3]  # off screen, never read: nothing to read again now
    assert view.model.matrix.is_loaded(order[1]) and not view.model.matrix.is_loaded(far)
    many.run(commands.CreateMessage(far, channel.id, "retention", {"headline": "Later"}))
    qtbot.waitUntil(lambda: counted(view), timeout=5000)
    assert reads.calls == []
    view.select_cell(far, channel.id)  # scrolls there: that page is read now, fresh
    assert far in reads.ids and order[MANY // 2] not in reads.ids
    assert view.model.state_at(MANY - 3, 0) == PARTIAL

    view.table.scrollToTop()
    reads.calls.clear()
    new = many.run(commands.CreatePersona({"name": "Persona 0000½"}))
    assert new is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == MANY + 1 and counted(view), timeout=5000)
    new_id = new.extra["id"]
    assert view.model.matrix.order[1] == new_id
    assert reads.rows == [[new_id]]  # the order is read again, but only the new row
    assert view.model.headerData(1, Qt.Orientation.Vertical) == "Persona 0000½"
    cells = (MANY + 1) * len(wb.channels()) * len(view.model.matrix.stages)  # all stages: every stage's cells
    assert view.summary.text().endswith(f"of {cells} cells approved")


def test_rows_far_from_the_screen_are_forgotten(qtbot: QtBot, many: WorkbenchController,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coverage_view, "MAX_ROWS_KEPT", 2 * PAGE)
    view = make(qtbot, many)
    m = view.model.matrix
    order = m.order
    for row in range(0, MANY, PAGE // 2):
        view.table.scrollTo(view.model.index(row, 0))
        view.table.viewport().repaint()
    assert len(m.loaded_ids()) <= 3 * PAGE
    assert not m.is_loaded(order[0]) and m.is_loaded(order[-1])
    view.table.scrollToTop()
    view.table.viewport().repaint()
    assert m.is_loaded(order[0]) and view.model.headerData(0, Qt.Orientation.Vertical) == "Persona 0000"
