"""The coverage matrix: one row per persona, one column per channel, state as colour + icon + words."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui import icons
from ui.controller import WorkbenchController
from ui.coverage_view import ROLE_STATE, CoverageView
from workbench import commands


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
    r, c = next((r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.state_at(r, c) == "approved")
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
    assert {"approved", "breach", "none"} <= seen
    colours = {icons.state_colour(s).name() for s in ("none", "draft", "in_review", "approved", "breach")}
    assert len(colours) == 5


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
    qtbot.waitUntil(lambda: m.state_at(r, c) == "draft", timeout=3000)


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
