"""Open errors become a dialog that says what happened and what to do (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from ui.shell.open_errors import CLOSE, OPEN_OTHER, READ_ONLY, OpenErrorDialog, explain
from workbench.domain import errors
from workbench.session import Workbench

HOLDER = errors.Holder(user="jonah", host="jonah-laptop", pid=42, since="2026-11-23T14:02:00+00:00")


@pytest.mark.parametrize("error, words", [
    (errors.NotFound("/x/a.workbench", "/x/a.workbench does not exist."), "not there"),
    (errors.NotAFile("/x", "/x is a folder."), "not a file"),
    (errors.Unreadable("/x/a.workbench", "denied"), "cannot be read"),
    (errors.NotSQLite("/x/a.workbench", "not a database"), "not a workbench file"),
    (errors.NotAWorkbench("/x/a.workbench", "foreign"), "another application"),
    (errors.Damaged("/x/a.workbench", "damaged"), "damaged"),
    (errors.NewerVersion("/x/a.workbench", 7, 1), "newer"),
    (errors.CouldNotSave("/x/a.workbench", "disk full"), "Could not start"),
    (RuntimeError("boom"), "could not be opened"),
])
def test_every_error_has_a_headline_and_advice(error: Exception, words: str) -> None:
    info = explain(error)
    assert words.lower() in info.title.lower()
    assert info.advice and info.what
    assert "Traceback" not in info.what
    assert not info.offer_read_only


def test_newer_version_names_both_versions() -> None:
    info = explain(errors.NewerVersion("/x/a.workbench", 7, 1))
    assert "7" in info.what and "1" in info.what and "Update" in info.advice


def test_locked_names_the_holder_and_offers_read_only(qtbot: QtBot) -> None:
    dialog = OpenErrorDialog(errors.Locked("/x/a.workbench", HOLDER))
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "jonah" in text and "jonah-laptop" in text and "2026-11-23 14:02" in text
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    assert "Open Read-Only" in buttons
    buttons["Open Read-Only"].click()
    assert dialog.choice == READ_ONLY and dialog.result() == QDialog.DialogCode.Accepted


def test_damaged_offers_another_file(qtbot: QtBot) -> None:
    dialog = OpenErrorDialog(errors.Damaged("/x/a.workbench", "it is damaged"))
    qtbot.addWidget(dialog)
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    assert "Open Read-Only" not in buttons
    buttons["Open Another…"].click()
    assert dialog.choice == OPEN_OTHER


def test_ask_returns_choice_and_acceptance(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: OpenErrorDialog) -> int:
        self._finish(READ_ONLY)
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(OpenErrorDialog, "exec", run)
    assert OpenErrorDialog.ask(None, errors.Locked("/x/a.workbench", HOLDER)) == (READ_ONLY, True)

    def cancel(self: OpenErrorDialog) -> int:
        self._finish(CLOSE, accepted=False)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(OpenErrorDialog, "exec", cancel)
    assert OpenErrorDialog.ask(None, errors.NotSQLite("/x", "no")) == (CLOSE, False)


def test_real_files_produce_the_right_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.workbench"
    text.write_text("hello\n" * 100)
    with pytest.raises(errors.NotSQLite) as caught:
        Workbench.open(text, readonly=True)
    assert explain(caught.value).title == "This is not a workbench file"
    with pytest.raises(errors.NotFound) as missing:
        Workbench.open(tmp_path / "gone.workbench", readonly=True)
    assert explain(missing.value).title == "The file is not there"
