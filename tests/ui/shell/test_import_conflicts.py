"""Merging another workbench: on conflicts the person keeps theirs or takes the other file's version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.shell.test_main_window import open_window
from ui.shell import file_actions, prompts
from workbench.domain.values import Context
from workbench.edit import commands
from workbench.session import Workbench


def _two_versions(sample_path: Path, tmp_path: Path, ctx: Context) -> Path:
    """A copy of the sample where Harlan Voss got another role."""
    theirs = tmp_path / "theirs.workbench"
    shutil.copy(sample_path, theirs)
    with Workbench.open(theirs, ctx) as wb:
        harlan = wb.find_persona("Harlan Voss")
        assert harlan is not None
        wb.execute(commands.UpdatePersona(harlan.id, {"role": "Their role"}))
    return theirs


@pytest.mark.parametrize("choice", [prompts.KEEP_MINE, prompts.TAKE_THEIRS])
def test_merge_conflicts_offer_keep_mine_or_take_theirs(qtbot: QtBot, sample_path: Path, tmp_path: Path,
                                                       ctx: Context, monkeypatch: pytest.MonkeyPatch,
                                                       choice: str) -> None:
    theirs = _two_versions(sample_path, tmp_path, ctx)
    w = open_window(qtbot, sample_path)
    c = w.controller
    assert c is not None
    harlan = c.workbench.find_persona("Harlan Voss")
    assert harlan is not None
    c.run(commands.UpdatePersona(harlan.id, {"role": "My role"}))
    asked: list[str] = []
    infos: list[str] = []
    monkeypatch.setattr(prompts, "ask_merge_conflicts",
                        lambda _p, source, summary: asked.append(summary) or choice)
    monkeypatch.setattr(prompts, "show_info", lambda _p, title, text: infos.append(text))
    with qtbot.waitSignal(w.task_finished, timeout=15_000):
        file_actions.import_file(w, str(theirs))
    assert len(asked) == 1 and "conflict" in asked[0]
    role = c.workbench.persona(harlan.id).role  # type: ignore[union-attr]
    if choice == prompts.KEEP_MINE:
        assert role == "My role" and infos == []
        assert not c.undo_stack.undoText().startswith("Take Theirs")
    else:
        assert role == "Their role" and infos and "Took their version" in infos[0]
        assert c.undo_stack.undoText() == "Take Theirs from theirs.workbench"
        c.undo_stack.undo()  # the second step alone: back to the merge, mine kept
        assert c.workbench.persona(harlan.id).role == "My role"  # type: ignore[union-attr]
    w.close()


def test_merge_without_conflicts_just_reports(qtbot: QtBot, sample_path: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    same = tmp_path / "same.workbench"
    shutil.copy(sample_path, same)
    w = open_window(qtbot, sample_path)
    infos: list[str] = []
    monkeypatch.setattr(prompts, "show_info", lambda _p, title, text: infos.append(title))
    with qtbot.waitSignal(w.task_finished, timeout=15_000):
        file_actions.import_file(w, str(same))
    assert infos == ["Import Finished"]
    w.close()
