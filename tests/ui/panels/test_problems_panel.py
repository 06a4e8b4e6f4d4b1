"""The problems panel: every breach and gap, computed off the GUI thread, refreshed on change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.panels.problems_panel import ProblemsPanel, describe, summarise
from ui.services.controller import WorkbenchController
from workbench.domain.values import Problem
from workbench.edit import commands


def ready(qtbot: QtBot, controller: WorkbenchController) -> ProblemsPanel:
    """A panel whose first check has finished (results arrive through the event loop)."""
    panel = ProblemsPanel(controller)
    qtbot.addWidget(panel)
    if panel.busy:
        with qtbot.waitSignal(panel.counted, timeout=10_000):
            pass
    return panel


def test_lists_what_the_core_reports(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = ready(qtbot, controller)
    expected = controller.workbench.problems()
    assert panel.list.count() == len(expected) > 0
    assert [panel.list.item(i).text() for i in range(panel.list.count())] == [describe(p) for p in expected]
    assert all(panel.list.item(i).text().startswith(p.text) for i, p in enumerate(expected))
    assert panel.summary.text() == summarise(expected)


def test_click_requests_a_jump(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = ready(qtbot, controller)
    panel.resize(600, 300)
    panel.show()
    item = panel.list.item(0)
    with qtbot.waitSignal(panel.jump_requested) as blocker:
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualItemRect(item).center())
    assert isinstance(blocker.args[0], Problem)
    assert blocker.args[0].message_id


def test_refreshes_after_a_change(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = ready(qtbot, controller)
    before = panel.list.count()
    with qtbot.waitSignal(panel.counted, timeout=10_000):
        controller.run(commands.CreateTerm("buttons", "avoid", "controls"))
    assert panel.list.count() > before
    assert any("buttons" in panel.list.item(i).text() for i in range(panel.list.count()))


def test_summary_words() -> None:
    assert summarise([]) == "No lingo breaches and no coverage gaps."
    assert summarise([Problem("breach", "x"), Problem("gap", "y"), Problem("gap", "z")]) == \
        "1 lingo breach · 2 coverage gaps"


def test_items_are_readable_by_screen_readers(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = ready(qtbot, controller)
    assert panel.list.accessibleName() == "Problems"
    text = panel.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert text.startswith("Lingo breach:")
