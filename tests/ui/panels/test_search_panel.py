"""Search: results as you type, in any script, hits in bold, Enter or click goes to the item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.panels.search_panel import SearchPanel, snippet_html
from ui.services.controller import WorkbenchController
from workbench.domain.values import HIT_END, HIT_START
from workbench.edit import commands


def make(qtbot: QtBot, controller: WorkbenchController) -> SearchPanel:
    panel = SearchPanel(controller.workbench)
    qtbot.addWidget(panel)
    panel.resize(320, 600)
    panel.show()
    return panel


def search(qtbot: QtBot, panel: SearchPanel, text: str) -> int:
    """Type ``text`` (Latin keys are typed; other scripts arrive as an input method would commit them)."""
    with qtbot.waitSignal(panel.searched, timeout=3000) as blocker:
        if text.isascii():
            qtbot.keyClicks(panel.field, text)
        else:
            panel.field.insert(text)  # QTest cannot synthesise non-Latin-1 key presses
    return int(blocker.args[0])


def test_results_as_you_type(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    assert not panel.results.isVisible()
    with qtbot.waitSignal(panel.active_changed) as active:
        n = search(qtbot, panel, "paperwork")
    assert active.args == [True]
    assert n > 0 and panel.model.rowCount() == n
    assert panel.results.isVisible()
    assert {h.kind for h in panel.model.hits} >= {"term", "message"}
    assert "result" in panel.status.text()


def test_enter_opens_the_first_hit(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    search(qtbot, panel, "Harlan")
    first = panel.model.hits[0]
    with qtbot.waitSignal(panel.open_requested) as blocker:
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert blocker.args == [first.kind, first.item_id]


def test_click_opens_a_hit(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    search(qtbot, panel, "paperwork")
    idx = panel.model.index(1)
    rect = panel.results.visualRect(idx)
    with qtbot.waitSignal(panel.open_requested) as blocker:
        qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[1] == panel.model.hits[1].item_id


def test_any_script(qtbot: QtBot, controller: WorkbenchController) -> None:
    controller.run(commands.CreatePersona({"name": "王小明", "story": "他不喜欢合同。 يحب الأوراق."}))
    panel = make(qtbot, controller)
    assert search(qtbot, panel, "合同") == 1
    assert panel.model.hits[0].title == "王小明"
    panel.clear()
    assert search(qtbot, panel, "الأوراق") == 1


def test_escape_clears_and_restores_the_navigator(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    search(qtbot, panel, "Harlan")
    with qtbot.waitSignal(panel.active_changed) as blocker:
        qtbot.keyClick(panel.field, Qt.Key.Key_Escape)
    assert blocker.args == [False]
    assert panel.field.text() == "" and panel.model.rowCount() == 0


def test_nothing_found_says_so(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    assert search(qtbot, panel, "zzzqqqxxx") == 0
    assert panel.status.text() == "Nothing found."


def test_odd_queries_do_not_crash(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    for text in ('"', "AND OR NOT", "*", "(", "NEAR(", "a" * 500):
        panel.field.setText(text)
        panel.run_query()
        panel.clear()


def test_snippets_are_escaped_before_bolding() -> None:
    raw = f"<script>alert(1)</script> and {HIT_START}paperwork{HIT_END} & more"
    out = snippet_html(raw)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<b>paperwork</b>" in out and "&amp; more" in out


def test_focus_field_selects_text(qtbot: QtBot, controller: WorkbenchController) -> None:
    panel = make(qtbot, controller)
    panel.field.setText("abc")
    panel.focus_field()
    assert panel.field.selectedText() == "abc"
    assert panel.field.accessibleName() == "Search"
    assert panel.results.accessibleName() == "Search results"
