"""A lingo edit that touches many messages re-checks them on a worker; the views catch up after."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.shell.test_main_window import open_window
from ui.services import controller as controller_module
from workbench.edit import commands


def test_vocabulary_edit_rechecks_in_the_background(qtbot: QtBot, sample_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(controller_module, "DEFER_RECHECKS_OVER", 0)  # every re-check goes to the worker
    w = open_window(qtbot, sample_path)
    c = w.controller
    panel = w.problems_panel
    assert c is not None and panel is not None
    before = len(panel.problems)
    messages = c.workbench.messages()
    assert any("the" in m.body.lower().split() for m in messages)
    states: list[bool] = []
    c.rechecking.connect(states.append)
    with qtbot.waitSignal(c.rechecked, timeout=20_000) as blocker:
        change = c.run(commands.CreateTerm("the", "avoid", "a"))
        assert change is not None and not change.empty
        # The command returned before the counts were made: the window never waited for them.
        assert c.workbench.recheck_pending or states == [True]
    changed = blocker.args[0]
    assert changed and states[0] is True
    qtbot.waitUntil(lambda: states[-1] is False, timeout=5_000)
    counts = {m.id: m.breach_count for m in c.workbench.messages()}
    assert {mid for mid, n in counts.items() if n} >= set(changed)
    # The problems panel re-checked after the counts changed and lists the new breaches.
    qtbot.waitUntil(lambda: not panel.busy and len(panel.problems) > before, timeout=20_000)
    assert any("“the”" in p.text or "the" in p.text.lower() for p in panel.problems)
    # Undo is re-checked the same way: back to where it was.
    with qtbot.waitSignal(c.rechecked, timeout=20_000):
        c.undo_stack.undo()
    qtbot.waitUntil(lambda: not panel.busy and len(panel.problems) == before, timeout=20_000)
    w.close()
