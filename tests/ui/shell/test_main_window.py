"""The main window: opening files, creation flows, undo, navigation, errors, close and layout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from ui.services import settings
from ui.shell import file_actions, prompts
from ui.shell.main_window import MainWindow
from ui.shell.open_errors import CLOSE, READ_ONLY, OpenErrorDialog
from workbench.domain import errors
from workbench.domain.values import PARTIAL, Problem
from workbench.edit import commands
from workbench.session import Workbench


def open_window(qtbot: QtBot, path: Path, readonly: bool = False) -> MainWindow:
    """A shown window with ``path`` open (waiting for the background open and first checks)."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.restore_layout()
    w.show()
    with qtbot.waitSignal(w.file_opened, timeout=15_000):
        w.open_path(path, readonly=readonly)
    assert w.problems_panel is not None
    if w.problems_panel.busy:
        with qtbot.waitSignal(w.problems_panel.counted, timeout=15_000):
            pass
    return w


@pytest.fixture
def window(qtbot: QtBot, sample_path: Path) -> Iterator[MainWindow]:
    """The main window over the sample."""
    yield open_window(qtbot, sample_path)


def test_open_shows_file_in_title_status_and_navigator(window: MainWindow, sample_path: Path) -> None:
    assert window.windowTitle().startswith("sample.workbench")
    assert window.status.file.text() == "sample.workbench"
    assert "held by you" in window.status.mode.text()
    assert window.navigator is not None and window.controller is not None
    assert window.navigator.model.loaded == window.controller.workbench.persona_count() == 4
    assert settings.LAST_FILE.get() == str(sample_path)
    assert settings.RECENT_FILES.get()[0] == str(sample_path)
    assert window.stack.currentWidget() is window.nav.page("persona")
    assert not window.readonly_bar.isVisible()


def test_counts_reach_the_status_bar(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: "4 personas" in window.status.counts.text(), timeout=5000)
    assert "problem" in window.status.problems.text()


def test_new_persona_is_created_shown_and_undoable(window: MainWindow, qtbot: QtBot) -> None:
    c = window.controller
    assert c is not None
    window.actions_["new_persona"].trigger()
    assert c.workbench.persona_count() == 5
    assert window.stack.currentWidget() is window.nav.page("persona")
    assert window.current_persona is not None
    assert c.workbench.persona(window.current_persona).name == "New persona"  # type: ignore[union-attr]
    undo, redo = window._undo_actions
    assert undo.text().replace("&", "") == "Undo New Persona"
    undo.trigger()
    assert c.workbench.persona_count() == 4
    assert redo.text().replace("&", "") == "Redo New Persona"
    redo.trigger()
    assert c.workbench.persona_count() == 5


def test_undo_names_the_last_edit(window: MainWindow) -> None:
    c = window.controller
    assert c is not None
    pid = c.workbench.persona_summaries()[0].id
    c.run(commands.UpdatePersona(pid, {"name": "Renata S."}, label="Rename Persona"))
    assert window._undo_actions[0].text().replace("&", "") == "Undo Rename Persona"
    assert window.navigator is not None
    idx = window.navigator.model.persona_index(pid)
    assert idx.data() == "Renata S."


def test_matrix_double_click_on_empty_cell_creates_message(window: MainWindow, qtbot: QtBot) -> None:
    c = window.controller
    view = window.nav.coverage_view
    assert c is not None and view is not None
    window.show_coverage()
    model = view.model
    empty = next((r, col) for r in range(model.rowCount()) for col in range(model.columnCount())
                 if model.state_at(r, col) == "none")
    before = len(c.workbench.messages())
    view._activate(model.index(*empty))
    assert len(c.workbench.messages()) == before + 1
    assert window.stack.currentWidget() is window.nav.page("message")
    created = c.workbench.message(window.current_message or "")
    assert created is not None and created.status == "draft"
    assert created.persona_id == model.matrix.personas[empty[0]].id
    assert window._undo_actions[0].text().replace("&", "") == "Undo New Message"


def test_matrix_double_click_on_filled_cell_opens_message(window: MainWindow) -> None:
    view = window.nav.coverage_view
    assert view is not None
    window.show_coverage()
    model = view.model
    filled = next((r, col) for r in range(model.rowCount()) for col in range(model.columnCount())
                  if model.state_at(r, col) in ("approved", PARTIAL))  # all stages: some or all approved
    view._activate(model.index(*filled))
    assert window.stack.currentWidget() is window.nav.page("message")
    assert window.current_message is not None


def test_new_message_for_current_persona(window: MainWindow) -> None:
    c = window.controller
    assert c is not None
    pid = c.workbench.persona_summaries()[0].id
    window.show_persona(pid)
    before = len(c.workbench.messages(persona_id=pid))
    window.actions_["new_message"].trigger()
    assert len(c.workbench.messages(persona_id=pid)) == before + 1
    assert window.stack.currentWidget() is window.nav.page("message")


def test_problem_click_jumps_to_message(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.problems_panel
    assert panel is not None
    item = panel.list.item(0)
    problem = item.data(Qt.ItemDataRole.UserRole)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_message == problem.message_id
    assert window.stack.currentWidget() is window.nav.page("message")


def test_gap_problem_jumps_to_matrix_cell(window: MainWindow) -> None:
    c = window.controller
    assert c is not None and window.nav.coverage_view is not None
    matrix = c.workbench.coverage()
    p, ch = matrix.personas[1], matrix.channels[2]
    window.nav.jump_to_problem(Problem("gap", "gap", p.id, ch.id))
    assert window.stack.currentWidget() is window.nav.coverage_view
    idx = window.nav.coverage_view.table.currentIndex()
    assert (idx.row(), idx.column()) == (1, 2)


def test_search_enter_opens_the_hit(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.search_panel
    assert panel is not None
    window.actions_["find"].trigger()
    with qtbot.waitSignal(panel.searched, timeout=3000):
        qtbot.keyClicks(panel.field, "Harlan")
    assert window.navigator is not None and not window.navigator.isVisible()  # results replace the tree
    first = panel.model.hits[0]
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    if first.kind == "persona":
        assert window.current_persona == first.item_id
    elif first.kind == "message":
        assert window.current_message == first.item_id


def test_search_hits_of_every_kind_navigate(window: MainWindow) -> None:
    c = window.controller
    assert c is not None
    term = c.workbench.terms()[0]
    window.nav.open_item("term", term.id)
    assert window.stack.currentWidget() is window.nav.page("lingo")
    objection = c.workbench.objections()[0]
    window.nav.open_item("objection", objection.id)
    assert window.stack.currentWidget() is window.nav.page("objections")


def test_sections_show_their_pages(window: MainWindow) -> None:
    for key in ("narrative", "channels", "lingo", "objections", "coverage"):
        window.show_section(key)
        assert window.stack.currentWidget() is window.nav.built[key]


def test_delete_persona_after_confirmation_and_undo(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    c = window.controller
    assert c is not None
    pid = c.workbench.persona_summaries()[0].id
    window.show_persona(pid)
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, _t, _ok: asked.append(title) or True)
    window.actions_["delete"].trigger()
    assert asked == ["Delete Persona"]
    assert c.workbench.persona(pid) is None
    window._undo_actions[0].trigger()
    assert c.workbench.persona(pid) is not None


def test_delete_is_cancelled_without_confirmation(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    c = window.controller
    assert c is not None
    pid = c.workbench.persona_summaries()[0].id
    window.show_persona(pid)
    monkeypatch.setattr(prompts, "confirm", lambda *_a: False)
    window.delete_current()
    assert c.workbench.persona(pid) is not None


def test_unopenable_file_shows_the_error_dialog(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, sample_path: Path) -> None:
    bad = tmp_path / "notes.workbench"
    bad.write_text("just some text, not a database\n" * 20)
    seen: list[Exception] = []
    monkeypatch.setattr(OpenErrorDialog, "ask", classmethod(lambda cls, parent, e: (seen.append(e), (CLOSE, False))[1]))
    with qtbot.waitSignal(window.open_failed, timeout=10_000):
        window.open_path(bad)
    assert isinstance(seen[0], errors.NotSQLite)
    assert window.controller is not None and window.controller.workbench.path == sample_path
    assert bad.read_text().startswith("just some text")


def test_locked_file_offers_read_only(qtbot: QtBot, sample_path: Path, ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = Workbench.open(sample_path, ctx)
    try:
        monkeypatch.setattr(OpenErrorDialog, "ask", classmethod(lambda cls, parent, e: (READ_ONLY, True)))
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        with qtbot.waitSignal(w.file_opened, timeout=15_000):
            w.open_path(sample_path)
        assert w.controller is not None and w.controller.readonly
        assert w.readonly_bar.isVisible()
        assert "read-only" in w.windowTitle()
        assert w.status.mode.text() == "Read-only"
        assert not w.actions_["new_persona"].isEnabled()
        assert not w.actions_["import"].isEnabled()
        assert w.actions_["export_pdf"].isEnabled()
        w.new_persona()  # ignored, no error dialog
        assert w.controller.workbench.persona_count() == 4
        w.close()
    finally:
        holder.close()


def test_opening_another_file_rebuilds_views_and_releases_the_first(window: MainWindow, qtbot: QtBot,
                                                                     wb_path: Path, sample_path: Path) -> None:
    old_nav = window.navigator
    with qtbot.waitSignal(window.file_opened, timeout=15_000):
        window.open_path(wb_path)
    assert window.navigator is not old_nav
    assert window.controller is not None and window.controller.workbench.path == wb_path
    assert window.controller.workbench.persona_count() == 0
    assert not (sample_path.parent / f".~lock.{sample_path.name}#").exists()
    assert window.windowTitle().startswith("test.workbench")


def test_dropping_a_workbench_file_opens_it(window: MainWindow, qtbot: QtBot, wb_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(wb_path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.file_opened, timeout=15_000):
        window.dropEvent(event)
    assert window.controller is not None and window.controller.workbench.path == wb_path


def test_close_writes_back_and_releases(window: MainWindow, sample_path: Path) -> None:
    c = window.controller
    assert c is not None
    c.run(commands.CreatePersona({"name": "Written on close"}))
    window.close()
    with Workbench.open(sample_path, readonly=True) as wb:
        assert any(p.name == "Written on close" for p in wb.persona_summaries())
    assert settings.WINDOW_GEOMETRY.get().size() > 0


def test_failed_final_save_can_keep_the_window_open(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    c = window.controller
    assert c is not None

    def refuse(**_kw: object) -> bool:
        raise errors.ChangedOnDisk(str(c.workbench.path), "changed by someone else")

    monkeypatch.setattr(c.workbench, "write_back", refuse)
    monkeypatch.setattr(prompts, "ask_unsaved_close", lambda _p, _e: prompts.KEEP_OPEN)
    assert not window.close()
    assert window.isVisible() and window.controller is c
    monkeypatch.setattr(prompts, "ask_unsaved_close", lambda _p, _e: prompts.CLOSE_ANYWAY)
    assert window.close()


def test_failed_final_save_offers_a_copy(window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    c = window.controller
    assert c is not None
    c.run(commands.CreatePersona({"name": "Only in my copy"}))

    def refuse(**_kw: object) -> bool:
        raise errors.CouldNotSave(str(c.workbench.path), "disk full")

    monkeypatch.setattr(c.workbench, "write_back", refuse)
    monkeypatch.setattr(prompts, "ask_unsaved_close", lambda _p, _e: prompts.SAVE_COPY)
    target = tmp_path / "rescued.workbench"
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(target))
    assert window.close()
    with Workbench.open(target, readonly=True) as wb:
        assert any(p.name == "Only in my copy" for p in wb.persona_summaries())


def test_layout_is_remembered(qtbot: QtBot, sample_path: Path) -> None:
    w = open_window(qtbot, sample_path)
    w.resize(760, 560)  # within the offscreen screen (800×600), which restoreGeometry clamps to
    w.splitter.setSizes([300, 460])
    size = (w.width(), w.height())
    w.close()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.restore_layout()
    assert (w2.width(), w2.height()) == size
    assert not settings.SPLITTER_STATE.get().isEmpty()


def test_menus_have_standard_shortcuts(window: MainWindow) -> None:
    a = window.actions_
    assert not a["new"].shortcut().isEmpty()
    assert not a["open"].shortcut().isEmpty()
    assert not a["quit"].shortcut().isEmpty()
    assert not a["find"].shortcut().isEmpty()
    assert window._undo_actions[0].shortcut().toString() == "Ctrl+Z"


def test_recent_menu_lists_opened_files(window: MainWindow, sample_path: Path) -> None:
    menu = window.recent_menu
    menu.aboutToShow.emit()
    assert any(act.toolTip() == str(sample_path) for act in menu.actions())


def test_controller_failure_is_reported(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(prompts, "show_error", lambda _p, title, _t: shown.append(title))
    assert window.controller is not None
    window.controller.run(commands.CreatePersona({"name": ""}))
    assert shown == ["New Persona"]


def test_export_json_and_save_copy_run_in_background(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.json"
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(out))
    with qtbot.waitSignal(window.task_finished, timeout=10_000):
        file_actions.export_json(window)
    doc = json.loads(out.read_text("utf-8"))
    assert doc["format"] == "persona-workbench" and len(doc["personas"]) == 4
    copy = tmp_path / "copy.workbench"
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(copy))
    with qtbot.waitSignal(window.task_finished, timeout=10_000):
        file_actions.save_copy_as(window)
    with Workbench.open(copy, readonly=True) as wb:
        assert wb.persona_count() == 4


def test_handoff_and_import(window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    infos: list[str] = []
    monkeypatch.setattr(prompts, "show_info", lambda _p, title, _t: infos.append(title))
    client = tmp_path / "client.workbench"
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(client))
    with qtbot.waitSignal(window.task_finished, timeout=15_000):
        file_actions.handoff(window)
    assert client.exists() and infos == ["Hand-off Copy Ready"]
    source = tmp_path / "more.json"
    source.write_text(json.dumps({"format": "persona-workbench", "version": 1,
                                  "personas": [{"name": "Imported Iris"}]}), "utf-8")
    with qtbot.waitSignal(window.task_finished, timeout=15_000):
        file_actions.import_file(window, str(source))
    assert infos[-1] == "Import Finished"
    assert window.controller is not None and window.controller.workbench.persona_count() == 5
    window._undo_actions[0].trigger()
    assert window.controller.workbench.persona_count() == 4


def test_export_playbook_flow_with_a_fake_generator(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ui.shell.test_export_dialog import FakePlaybook

    fake = FakePlaybook(steps=3)
    monkeypatch.setattr("ui.shell.export_dialog._playbook", lambda: fake)
    options = fake.PlaybookOptions(None, None, False, "a4")
    monkeypatch.setattr(file_actions.ExportDialog, "get_options", classmethod(lambda cls, p, wb, pre=None: (options, True)))
    pdf = tmp_path / "book.pdf"
    monkeypatch.setattr(prompts, "save_path", lambda *_a: str(pdf))
    offered: list[str] = []
    monkeypatch.setattr(file_actions, "ask_open_pdf", lambda _p, path: offered.append(path) or False)
    with qtbot.waitSignal(window.export_finished, timeout=10_000) as blocker:
        window.export_playbook()
    assert blocker.args == [str(pdf), True]
    assert pdf.read_bytes().startswith(b"%PDF")
    assert offered == [str(pdf)]


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    frame = [window.navigator, window.search_panel, window.problems_panel, window.nav.coverage_view]
    missing = []
    for root in frame:
        assert root is not None
        for kind in (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit):
            for widget in root.findChildren(kind):
                if isinstance(widget.parent(), (QComboBox, QLineEdit)):
                    continue  # Qt's own sub-controls (clear button, popup list)
                if not widget.accessibleName() and widget.isVisibleTo(window):
                    missing.append(widget)
    assert not missing, missing


def test_tab_order_runs_search_navigator_editor_problems(window: MainWindow) -> None:
    assert window.search_panel is not None and window.navigator is not None and window.problems_panel is not None
    order = []
    widget = window.search_panel.field.nextInFocusChain()
    for _ in range(5000):
        order.append(widget)
        if widget is window.search_panel.field:
            break
        widget = widget.nextInFocusChain()
    def position(target: object) -> int:
        return next(i for i, w in enumerate(order) if w == target)

    editor = window.nav.page("persona")
    first_in_editor = min(i for i, w in enumerate(order) if editor.isAncestorOf(w))
    assert position(window.navigator.tree) < first_in_editor < position(window.problems_panel.list)


def test_read_only_session_shows_it_everywhere(qtbot: QtBot, sample_path: Path) -> None:
    w = open_window(qtbot, sample_path, readonly=True)
    assert w.readonly_bar.isVisible() and "read-only" in w.readonly_bar.text.text()
    assert w.status.save.text() == "Nothing to save"
    assert all(not a.isEnabled() for a in w._undo_actions)
    for key in ("new_persona", "new_message", "delete", "import"):
        assert not w.actions_[key].isEnabled(), key
    w.close()


def test_file_close_returns_to_the_welcome_page(window: MainWindow, qtbot: QtBot, sample_path: Path) -> None:
    with qtbot.waitSignal(window.file_closed):
        window.actions_["close"].trigger()
    assert window.controller is None and window.stack.currentWidget() is window.welcome
    assert window.windowTitle() == "Persona Workbench"
    assert not window.actions_["export_pdf"].isEnabled() and not window.actions_["new_persona"].isEnabled()
    assert window.status.file.text() == "No workbench open"
    assert not (sample_path.parent / f".~lock.{sample_path.name}#").exists()


def test_window_closed_while_opening_releases_the_file(qtbot: QtBot, sample_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.open_path(sample_path)
    w.open_path(sample_path)  # a second request while the first is in flight is ignored
    w.close()
    qtbot.waitUntil(lambda: not w.opening.opener.running, timeout=15_000)
    assert w.controller is None
    assert not (sample_path.parent / f".~lock.{sample_path.name}#").exists()
