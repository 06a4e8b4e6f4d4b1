"""Render every main view on the sample workbench to PNG at 1280×800: ``python -m ui.shell.screenshots OUTDIR``.

Used to *look* at the app (reviews, docs, the release page) without a display. It runs offscreen
unless told otherwise, with settings and working copies in a temporary folder, so it never touches
the user's real files or preferences. Two sample personas get a generated portrait (initials on a
gradient) so the portrait paths are visible too; nothing else differs from the shipped sample.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QBuffer,
    QByteArray,
    QEventLoop,
    QIODevice,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    SignalInstance,
)
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZE = (1280, 800)


def _wait(signal: SignalInstance, timeout_ms: int = 15_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _settle(ms: int = 250) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    QApplication.processEvents()


def portrait_png(initials: str, top: str, bottom: str, size: int = 320) -> bytes:
    """A generated portrait: initials on a two-colour gradient, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(size, size))
    gradient.setColorAt(0, QColor(top))
    gradient.setColorAt(1, QColor(bottom))
    painter.fillRect(image.rect(), gradient)
    font = QFont("DejaVu Sans", int(size * 0.32))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#FFFFFF"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub says bytes, PySide6 6.11 takes only str
    return bytes(data.data())


def _composite(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window with a dialog drawn centred over it, with a plain title bar (offscreen dialogs
    are separate surfaces without window decorations)."""
    shot = window.grab()
    dialog.adjustSize()
    over = dialog.grab()
    bar = 30
    painter = QPainter(shot)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(shot.rect(), QColor(0, 0, 0, 70))
    x = (shot.width() - over.width()) // 2
    y = (shot.height() - over.height() - bar) // 3
    painter.fillRect(x - 1, y - 1, over.width() + 2, over.height() + bar + 2, QColor(0, 0, 0, 90))
    title_bg = dialog.palette().color(dialog.backgroundRole()).darker(112)
    painter.fillRect(x, y, over.width(), bar, title_bg)
    font = QFont(dialog.font())
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(dialog.palette().color(dialog.foregroundRole()))
    painter.drawText(QRectF(x, y, over.width(), bar), Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
    painter.drawPixmap(x, y + bar, over)
    painter.end()
    return shot


def render_all(outdir: Path) -> list[Path]:
    """Render every view into ``outdir``; returns the files written."""
    work = Path(tempfile.mkdtemp(prefix="pwkb-shots-"))
    os.environ["PERSONA_WORKBENCH_DATA"] = str(work / "data")
    from ui.services import settings

    settings.use_path(work / "settings.ini")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from ui.services.theme import apply_scheme
    from ui.shell.app import configure

    configure(app)
    apply_scheme(app, dark=False)
    from ui.shell.export_dialog import ExportDialog
    from ui.shell.main_window import MainWindow
    from ui.shell.open_errors import OpenErrorDialog
    from workbench.domain import errors
    from workbench.domain.values import Context
    from workbench.edit import commands
    from workbench.exchange.sample import create_sample
    from workbench.session import Workbench

    sample = work / "Tillwright.workbench"
    ctx = Context(user="maria")
    create_sample(sample, ctx, name="Tillwright")
    with Workbench.open(sample, ctx) as wb:
        people = wb.persona_summaries()
        colours = [("#3B3F8F", "#7A5FB8"), ("#2E7D32", "#81A84B"), ("#B5532B", "#F2A541")]
        for p, (top, bottom) in zip(people[:3], colours, strict=False):
            initials = "".join(part[0] for part in p.name.replace("Dr. ", "").split()[:2])
            wb.execute(commands.SetPortrait(p.id, portrait_png(initials, top, bottom)))

    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    window.open_path(sample)
    _wait(window.file_opened)
    assert window.controller is not None and window.problems_panel is not None
    if window.problems_panel.busy:
        _wait(window.problems_panel.counted)
    _settle(400)
    wb = window.controller.workbench
    people = wb.persona_summaries()

    def shot(name: str, prepare: Callable[[], None] | None = None, grab: Callable[[], QPixmap] | None = None) -> None:
        if prepare is not None:
            prepare()
        _settle()
        pixmap = grab() if grab is not None else window.grab()
        path = outdir / f"{name}.png"
        pixmap.save(str(path))
        written.append(path)

    harlan = next((p for p in people if p.name.startswith("Harlan")), people[0])
    shot("01-persona-editor", lambda: window.show_persona(harlan.id))
    breach = next((pr for pr in wb.problems() if pr.kind == "breach" and pr.message_id), None)
    message_id = breach.message_id if breach else wb.messages()[0].id
    shot("02-message-editor", lambda: window.show_message(str(message_id)))
    shot("03-coverage-matrix", window.show_coverage)

    def problems() -> None:
        window.problems_dock.show()
        window.resizeDocks([window.problems_dock], [260], Qt.Orientation.Vertical)
        assert window.problems_panel is not None
        window.problems_panel.list.setCurrentRow(0)
        window.problems_panel.list.setFocus()
        window.show_coverage()

    shot("04-problems", problems)
    window.resizeDocks([window.problems_dock], [125], Qt.Orientation.Vertical)
    window.problems_panel.list.clearSelection()
    window.problems_panel.list.setCurrentRow(-1)

    def search() -> None:
        assert window.search_panel is not None
        window.focus_search()
        window.search_panel.field.setText("paperwork")
        window.search_panel.run_query()
        window.show_persona(harlan.id)

    shot("05-search-results", search)
    assert window.search_panel is not None
    window.search_panel.clear()
    shot("06-lingo", lambda: window.show_section("lingo"))
    shot("07-objections", lambda: window.show_section("objections"))
    shot("08-channels", lambda: window.show_section("channels"))
    shot("09-brand-narrative", lambda: window.show_section("narrative"))
    window.show_persona(harlan.id)
    _settle()
    dialog = ExportDialog(wb, window)
    shot("10-export-dialog", grab=lambda: _composite(window, dialog))
    dialog.deleteLater()
    holder = errors.Holder(user="jonah", host="jonah-laptop", pid=4242, since="2026-11-23T14:02:00+00:00")
    error_dialog = OpenErrorDialog(errors.Locked(str(sample), holder), window)
    shot("11-open-error-locked", grab=lambda: _composite(window, error_dialog))
    error_dialog.deleteLater()
    damaged = OpenErrorDialog(errors.NewerVersion(str(work / "From the future.workbench"), 9, 1), window)
    shot("12-open-error-newer", grab=lambda: _composite(window, damaged))
    damaged.deleteLater()

    apply_scheme(app, dark=True)
    window.palette_changed()
    shot("13-dark-persona", lambda: window.show_persona(people[0].id))
    shot("14-dark-coverage", window.show_coverage)
    shot("16-dark-message-editor", lambda: window.show_message(str(message_id)))
    apply_scheme(app, dark=False)
    window.palette_changed()

    # Read-only: the same file opened again while "someone else" holds it.
    window.close_file()
    window.open_path(sample, readonly=True)
    _wait(window.file_opened)
    _settle(400)
    shot("15-read-only", lambda: window.show_persona(harlan.id))
    window.close()
    window.deleteLater()
    settings.use_path(None)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m ui.shell.screenshots OUTDIR``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m ui.shell.screenshots OUTDIR", file=sys.stderr)
        return 2
    for path in render_all(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
