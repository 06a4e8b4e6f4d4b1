"""The few small modal questions the main window asks, each one function so tests can stub it.

Keeping every ``QMessageBox``/``QFileDialog`` call here (instead of inline in the window) is what
lets the window's tests run offscreen without ever reaching a real modal.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from workbench.domain import errors

WORKBENCH_FILTER = "Persona Workbench files (*.workbench)"
IMPORT_FILTER = "Workbench or JSON (*.workbench *.json);;JSON documents (*.json);;Workbench files (*.workbench)"
SAVE_COPY = "save_copy"
KEEP_OPEN = "keep"
CLOSE_ANYWAY = "close"
KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    """A warning the person must acknowledge (a command or a file operation failed)."""
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """An informational message (an import report, a finished hand-off)."""
    QMessageBox.information(parent, title, text)


def ask_merge_conflicts(parent: QWidget | None, source: str, summary: str) -> str:
    """A merge kept our version where both files changed a row: keep that, or take theirs?

    Returns :data:`KEEP_MINE` or :data:`TAKE_THEIRS`; closing the box keeps mine (nothing more changes).
    """
    box = QMessageBox(QMessageBox.Icon.Question, "Merge Conflicts",
                      f"{source} was merged in. Where both files changed the same thing, your version "
                      "was kept.", parent=parent)
    box.setInformativeText(f"{summary}\n\nTake Theirs replaces those with the version from {source}; "
                           "Edit › Undo takes that back on its own.")
    mine = box.addButton("Keep Mine", QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton("Take Theirs", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(mine)
    box.setEscapeButton(mine)
    box.exec()
    return TAKE_THEIRS if box.clickedButton() is theirs else KEEP_MINE


def confirm(parent: QWidget | None, title: str, text: str, ok_label: str) -> bool:
    """A yes/no question with a verb on the button; True when confirmed."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(ok_label, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def ask_unsaved_close(parent: QWidget | None, error: Exception) -> str:
    """The final write-back failed: save a copy, keep the file open, or close (edits are recovered later)."""
    changed = isinstance(error, errors.ChangedOnDisk)
    box = QMessageBox(QMessageBox.Icon.Warning, "Edits Not Saved to the File",
                      "Someone else changed the file since you opened it, so your edits were not written "
                      "over theirs." if changed else "Your latest edits could not be written to the file.",
                      parent=parent)
    box.setInformativeText(f"{error}\n\nSave a copy to keep your edits in a file of their own. "
                           "If you close anyway, your edits stay safe and are offered again the next time "
                           "you open this workbench.")
    save = box.addButton("Save a Copy As…", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("Keep Open", QMessageBox.ButtonRole.RejectRole)
    box.addButton("Close Anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE_COPY
    if clicked is keep:
        return KEEP_OPEN
    return CLOSE_ANYWAY


def open_path(parent: QWidget | None, folder: str = "") -> str:
    """Ask for a workbench to open; '' when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open Workbench", folder, f"{WORKBENCH_FILTER};;All files (*)")
    return path


def import_path(parent: QWidget | None, folder: str = "") -> str:
    """Ask for a JSON document or another workbench to import; '' when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, "Import", folder, IMPORT_FILTER)
    return path


def save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str, suffix: str) -> str:
    """Ask where to save; the suffix is added when missing; '' when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return path


def about(parent: QWidget | None, version: str) -> None:
    """Help › About."""
    QMessageBox.about(parent, "About Persona Workbench",
                      f"<h3>Persona Workbench {version}</h3>"
                      "<p>Storied personas, approved messaging per channel, shared lingo and printable "
                      "playbooks — in one file you can email, sync or hand to a client.</p>"
                      "<p>Fonts: DejaVu (Bitstream Vera licence), Noto (OFL), Droid Sans Fallback (Apache 2.0).</p>")


def suggested(folder: str | Path, name: str) -> str:
    """A suggested path for a save dialog."""
    return str(Path(folder) / name) if folder else name
