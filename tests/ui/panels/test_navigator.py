"""The navigator: sections, lazily paged personas with portraits and status, refresh from changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from pytestqt.qtbot import QtBot

from ui.panels.navigator import PAGE, PERSONAS_ROW, ROLE_ID, ROLE_KIND, SECTIONS, Navigator, NavigatorModel
from ui.services.controller import WorkbenchController
from workbench.domain.values import Context
from workbench.edit import commands
from workbench.exchange import interchange
from workbench.session import Workbench


def png(colour: str = "#ff0000", size: int = 64) -> bytes:
    """A small PNG of one colour."""
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


@pytest.fixture
def big_controller(wb_path: Path, ctx: Context) -> Iterator[WorkbenchController]:
    """A workbench with 450 personas (more than two pages)."""
    with Workbench.open(wb_path, ctx) as wb:
        doc = {"format": "persona-workbench", "version": 1,
               "personas": [{"name": f"Persona {i:04d}", "role": "Buyer"} for i in range(450)]}
        wb.execute(interchange.ImportDocument(doc))
    c = WorkbenchController(Workbench.open(wb_path, ctx))
    yield c
    c.close()


def test_sections_are_listed(qtbot: QtBot, controller: WorkbenchController) -> None:
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    model = nav.model
    assert model.rowCount() == len(SECTIONS)
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert labels[0] == "Brand narrative" and labels[1] == "Personas (4)"
    assert {"Channels", "Lingo", "Objections", "Coverage matrix"} <= set(labels)
    assert nav.tree.accessibleName() == "Navigator"


def test_every_row_is_known_but_summaries_are_read_as_shown(qtbot: QtBot, big_controller: WorkbenchController) -> None:
    model = NavigatorModel(big_controller.workbench)
    parent = model.personas_index()
    assert model.rowCount(parent) == 450 and model.hasChildren(parent)
    assert model.loaded == 0  # nothing read yet but the order
    assert model.index(0, 0, parent).data(ROLE_KIND) == "persona"  # sizing needs no read
    assert model.loaded == 0
    assert model.index(449, 0, parent).data() == "Persona 0449"
    assert model.loaded == 450 - 400  # the last page only (rows 400-449)
    assert model.index(0, 0, parent).data() == "Persona 0000"
    assert model.loaded == 50 + PAGE


def test_finding_a_persona_needs_no_paging(qtbot: QtBot, big_controller: WorkbenchController) -> None:
    model = NavigatorModel(big_controller.workbench)
    last = big_controller.workbench.persona_summaries(449, 1)[0]
    idx = model.persona_index(last.id)
    assert idx.isValid() and idx.row() == 449 and idx.data(ROLE_ID) == last.id
    assert model.loaded == 0
    assert idx.data() == "Persona 0449"


def test_tree_view_reads_only_what_it_shows(qtbot: QtBot, big_controller: WorkbenchController) -> None:
    nav = Navigator(big_controller.workbench, controller=big_controller)
    qtbot.addWidget(nav)
    nav.resize(300, 600)
    nav.show()
    qtbot.waitUntil(lambda: nav.model.loaded >= 1)
    assert nav.model.loaded == PAGE  # the first page; the view sized all 450 rows without reading them
    nav.tree.scrollToBottom()
    qtbot.waitUntil(lambda: nav.model.loaded > PAGE)
    assert nav.model.loaded <= 3 * PAGE


def test_selection_emits_persona_and_section(qtbot: QtBot, controller: WorkbenchController) -> None:
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    first = nav.model.index(0, 0, nav.model.personas_index())
    with qtbot.waitSignal(nav.persona_selected) as blocker:
        nav.tree.setCurrentIndex(first)
    assert blocker.args == [first.data(ROLE_ID)]
    with qtbot.waitSignal(nav.section_selected) as blocker:
        nav.tree.setCurrentIndex(nav.model.section_index("lingo"))
    assert blocker.args == ["lingo"]


def test_programmatic_selection_is_quiet(qtbot: QtBot, controller: WorkbenchController) -> None:
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    pid = controller.workbench.persona_summaries()[2].id
    with qtbot.assertNotEmitted(nav.persona_selected):
        nav.select_persona(pid)
    assert nav.tree.currentIndex().data(ROLE_ID) == pid


def test_rename_updates_the_row_in_place(qtbot: QtBot, controller: WorkbenchController) -> None:
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    pid = controller.workbench.persona_summaries()[0].id
    controller.run(commands.UpdatePersona(pid, {"name": "Zed Renamed", "status": "draft"}))
    idx = nav.model.persona_index(pid)
    assert idx.data() == "Zed Renamed"
    assert "Draft" in idx.data(Qt.ItemDataRole.AccessibleTextRole)


def test_create_and_delete_refresh_the_list(qtbot: QtBot, controller: WorkbenchController) -> None:
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    change = controller.run(commands.CreatePersona({"name": "Aaron First"}))
    assert change is not None
    new_id = change.extra["id"]
    assert nav.model.rowCount(nav.model.personas_index()) == 5
    assert nav.model.index(0, 0, nav.model.personas_index()).data() == "Aaron First"
    assert nav.model.index(PERSONAS_ROW, 0).data() == "Personas (5)"
    controller.run(commands.DeletePersona(new_id))
    assert nav.model.rowCount(nav.model.personas_index()) == 4
    controller.undo_stack.undo()
    assert nav.model.persona_index(new_id).isValid()


def test_portrait_thumbnail_is_loaded_lazily(qtbot: QtBot, controller: WorkbenchController) -> None:
    pid = controller.workbench.persona_summaries()[0].id
    controller.run(commands.SetPortrait(pid, png("#00ff00")))
    nav = Navigator(controller.workbench, controller=controller)
    qtbot.addWidget(nav)
    idx = nav.model.persona_index(pid)
    placeholder = idx.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(placeholder, QPixmap)
    with qtbot.waitSignal(nav.model.dataChanged, timeout=3000):
        pass
    thumb = idx.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumb, QPixmap) and thumb is not placeholder
    centre = thumb.toImage().pixelColor(thumb.width() // 2, thumb.height() // 2)
    assert centre.green() > 200 and centre.red() < 60


def test_kinds_and_ids_roles(qtbot: QtBot, controller: WorkbenchController) -> None:
    model = NavigatorModel(controller.workbench)
    assert model.index(0, 0).data(ROLE_KIND) == "section"
    assert model.index(0, 0).data(ROLE_ID) == "narrative"
    persona = model.persona_index(controller.workbench.persona_summaries()[0].id)
    assert persona.data(ROLE_KIND) == "persona"
    assert persona.parent() == model.personas_index()


def test_a_damaged_page_leaves_a_blank_row_not_a_traceback(qtbot: QtBot, controller: WorkbenchController,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.domain import errors

    model = NavigatorModel(controller.workbench)

    def damaged(_ids: object) -> list[object]:
        raise errors.Damaged("x.workbench", "x.workbench is damaged: database disk image is malformed.")

    monkeypatch.setattr(controller.workbench, "persona_summaries_for", damaged)
    row = model.index(0, 0, model.personas_index())
    assert row.data() is None and row.data(ROLE_KIND) == "persona"
