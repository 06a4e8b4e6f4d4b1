"""File menu work that is not opening or closing: new, save a copy, hand-off, import and exports.

Each action asks its question on the GUI thread (a file dialog) and does the disk work on a pool
thread through :class:`BackgroundQuery`, so the window keeps painting while a large file is copied,
vacuumed or serialised. The import's command runs through the controller, on a worker behind the
busy dialog (one command at a time, and its change must go on the undo stack); the flow emits
``task_finished`` only once everything, including the questions after a merge, is done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ui.services import settings
from ui.services.background import BackgroundQuery
from ui.shell import prompts
from ui.shell.export_dialog import ExportDialog, PlaybookExport, ask_open_pdf, open_pdf
from ui.shell.host import WindowHost
from workbench.domain import errors
from workbench.domain.values import Context
from workbench.exchange import interchange
from workbench.session import Workbench


def run_task(window: WindowHost, busy: str, fn: Callable[[], Any], on_done: Callable[[Any], None],
             error_title: str) -> BackgroundQuery:
    """Run ``fn`` on a pool thread; ``on_done(result)`` on the GUI thread, or an error dialog."""
    task = BackgroundQuery(window.window())
    window.statusBar().showMessage(busy)
    window.tasks.append(task)

    def finished(result: object) -> None:
        window.statusBar().clearMessage()
        _forget(window, task)
        on_done(result)
        window.task_finished.emit(error_title)

    def failed(message: str) -> None:
        window.statusBar().clearMessage()
        _forget(window, task)
        prompts.show_error(window.window(), error_title, message)
        window.task_finished.emit(error_title)

    task.finished.connect(finished)
    task.failed.connect(failed)
    task.start(fn)
    return task


def _forget(window: WindowHost, task: BackgroundQuery) -> None:
    if task in window.tasks:
        window.tasks.remove(task)
    task.deleteLater()


def _folder() -> str:
    return settings.EXPORT_FOLDER.get()


def _remember_folder(path: str) -> None:
    settings.EXPORT_FOLDER.set(str(Path(path).parent))


def new_workbench(window: WindowHost) -> None:
    """File › New: ask for a file name, create an empty workbench there, open it."""
    path = prompts.save_path(window.window(), "New Workbench", prompts.suggested(_folder(), "Untitled.workbench"),
                             prompts.WORKBENCH_FILTER, ".workbench")
    if not path:
        return
    if Path(path).exists():
        prompts.show_error(window.window(), "New Workbench", f"{Path(path).name} already exists. Choose a new name, "
                           "or open the existing file with File › Open.")
        return
    _remember_folder(path)
    ctx = Context(user=settings.USER_NAME.get())
    run_task(window, "Creating the workbench…", lambda: Workbench.create(path, ctx),
             lambda _r: window.open_path(path), "Could Not Create the Workbench")


def save_copy_as(window: WindowHost) -> None:
    """File › Save a Copy As…: a consistent copy of everything, including edits not yet written back."""
    c = window.controller
    if c is None:
        return
    wb = c.workbench
    path = prompts.save_path(window.window(), "Save a Copy As", prompts.suggested(
        _folder() or wb.path.parent, f"{wb.path.stem} copy.workbench"), prompts.WORKBENCH_FILTER, ".workbench")
    if not path:
        return
    if Path(path).resolve() == wb.path.resolve():
        prompts.show_error(window.window(), "Save a Copy As", "Choose a different file: this is the workbench itself.")
        return
    _remember_folder(path)
    run_task(window, "Saving a copy…", lambda: wb.save_copy_as(path),
             lambda _r: window.statusBar().showMessage(f"Saved a copy as {Path(path).name}.", 6000),
             "Could Not Save the Copy")


def handoff(window: WindowHost) -> None:
    """File › Hand-off Copy…: approved content only, no notes or history — for a client."""
    c = window.controller
    if c is None:
        return
    wb = c.workbench
    path = prompts.save_path(window.window(), "Hand-off Copy", prompts.suggested(
        _folder() or wb.path.parent, f"{wb.path.stem} (client).workbench"), prompts.WORKBENCH_FILTER, ".workbench")
    if not path:
        return
    if Path(path).resolve() == wb.path.resolve():
        prompts.show_error(window.window(), "Hand-off Copy", "Choose a different file: this is the workbench itself.")
        return
    _remember_folder(path)
    from workbench.exchange.handoff import make_handoff

    def done(summary: Any) -> None:
        s = summary or {}
        prompts.show_info(window.window(), "Hand-off Copy Ready",
                          f"{Path(path).name} holds {s.get('personas', 0)} personas, "
                          f"{s.get('messages', 0)} approved messages, {s.get('terms', 0)} lingo terms and "
                          f"{s.get('objections', 0)} objections — no drafts, internal notes or history.")

    run_task(window, "Writing the hand-off copy…", lambda: make_handoff(wb, path), done,
             "Could Not Write the Hand-off Copy")


def export_json(window: WindowHost) -> None:
    """File › Export JSON…: the full-fidelity interchange document."""
    c = window.controller
    if c is None:
        return
    wb = c.workbench
    path = prompts.save_path(window.window(), "Export JSON", prompts.suggested(_folder() or wb.path.parent,
                             f"{wb.path.stem}.json"), "JSON documents (*.json)", ".json")
    if not path:
        return
    _remember_folder(path)

    def work() -> None:
        interchange.write_json(wb.read, Path(path))

    run_task(window, "Exporting JSON…", work,
             lambda _r: window.statusBar().showMessage(f"Exported {Path(path).name}.", 6000),
             "Could Not Export JSON")


def import_file(window: WindowHost, source: str | None = None) -> None:
    """File › Import…: a JSON document (replace by id) or another workbench (merge; on conflicts the
    person chooses to keep theirs or take ours, the second choice being its own undo step)."""
    c = window.controller
    if c is None or c.readonly:
        return
    source = source or prompts.import_path(window.window(), _folder())
    if not source:
        return
    src = Path(source)

    def done(result: Any) -> None:
        if window.controller is not c:
            return  # the file was switched meanwhile
        document, mode = result
        try:
            change = c.run(interchange.ImportDocument(document, mode=mode, label=f"Import {src.name}"),
                           raise_errors=True, long=True, busy_text=busy_text(document, mode, src.name))
        except errors.WorkbenchError as exc:
            prompts.show_error(window.window(), "Import Failed", f"Nothing was changed.\n\n{exc}")
            return
        report = change.extra.get("report") if change is not None else None
        summary = report.summary() if report is not None else "Nothing to import."
        if mode == "merge" and report is not None and report.conflicts:
            # The merge kept ours; the person decides, and taking theirs is its own undo step.
            if prompts.ask_merge_conflicts(window.window(), src.name, summary) != prompts.TAKE_THEIRS:
                window.statusBar().showMessage(f"Merged {src.name}; your version kept where both changed.", 6000)
                return
            try:
                again = c.run(interchange.ImportDocument(document, mode="theirs",
                                                         label=f"Take Theirs from {src.name}"),
                              raise_errors=True, long=True, busy_text=busy_text(document, "theirs", src.name))
            except errors.WorkbenchError as exc:
                prompts.show_error(window.window(), "Import Failed", f"Your version was kept.\n\n{exc}")
                return
            report = again.extra.get("report") if again is not None else None
            summary = report.summary() if report is not None else summary
            prompts.show_info(window.window(), "Import Finished", f"Took their version from {src.name}.\n\n{summary}\n\n"
                              "Edit › Undo takes that back; undo again takes back the merge.")
            return
        prompts.show_info(window.window(), "Import Finished", f"Imported {src.name}.\n\n{summary}\n\n"
                          "Edit › Undo takes the whole import back.")

    run_task(window, f"Reading {src.name}…", lambda: interchange.load_source(src), done, "Import Failed")


def busy_text(document: object, mode: str, name: str) -> str:
    """What the busy dialog says during an import: "Importing 2,000 personas from x.json…"."""
    personas = document.get("personas") if isinstance(document, dict) else None
    what = f"{len(personas):,} persona{'s' if len(personas) != 1 else ''}" if isinstance(personas, list) else "everything"
    verb = {"merge": "Merging", "theirs": "Taking their version of"}.get(mode, "Importing")
    return f"{verb} {what} from {name}…"


def export_playbook(w: WindowHost) -> None:
    """File › Export Playbook…: options, file name, then a worker with progress and Cancel."""
    c = w.controller
    if c is None or (w.export is not None and w.export.running):
        return
    options, accepted = ExportDialog.get_options(w.window(), c.workbench, None)
    if not accepted or options is None:
        return
    folder = settings.EXPORT_FOLDER.get() or str(c.workbench.path.parent)
    path = prompts.save_path(w.window(), "Export Playbook", prompts.suggested(folder, f"{c.workbench.path.stem} playbook.pdf"),
                             "PDF documents (*.pdf)", ".pdf")
    if not path:
        return
    settings.EXPORT_FOLDER.set(str(Path(path).parent))
    start_export(w, Path(path), options)


def start_export(w: WindowHost, path: Path, options: Any, export_fn: Any = None) -> PlaybookExport:
    """Run a playbook export in the background (``export_fn`` replaces the core's, for tests)."""
    assert w.controller is not None
    w.export = PlaybookExport(w.window(), w.controller.workbench, path, options, export_fn)
    w.export.done.connect(lambda *args: _export_done(w, *args))
    w.export.start()
    return w.export


def _export_done(w: WindowHost, path: str, ok: bool, cancelled: bool, error: str) -> None:
    if w.export is not None:
        w.export.deleteLater()
        w.export = None
    w.export_finished.emit(path, ok)
    if cancelled:
        w.statusBar().showMessage("Export cancelled; no file was written.", 6000)
    elif error:
        prompts.show_error(w.window(), "Could Not Export the Playbook", error)
    elif ask_open_pdf(w.window(), path):
        open_pdf(path)
