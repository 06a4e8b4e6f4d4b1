"""Start the desktop app: application identity, bundled fonts, the palette, the first file.

The palettes live in :mod:`ui.services.theme`; the window follows ``colorSchemeChanged`` there.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFileOpenEvent, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from workbench import resources
from workbench.store.sqlite import storage

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

APP_NAME = "Persona Workbench"
SAMPLE_NAME = "Sample.workbench"
_fonts_loaded = False


def load_fonts() -> list[str]:
    """Register the bundled TTFs so a bare machine shows text, not boxes; returns the families."""
    global _fonts_loaded
    families: list[str] = []
    if _fonts_loaded:
        return families
    for ttf in sorted(resources.path("fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(ttf))
        if fid >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(fid))
    _fonts_loaded = True
    return families


def configure(app: QApplication) -> None:
    """Identity, style, fonts and palette: everything a window needs before it is built."""
    from ui.services import icons, theme

    QCoreApplication.setOrganizationName("PersonaWorkbench")
    QCoreApplication.setApplicationName(APP_NAME)
    QGuiApplication.setApplicationDisplayName(APP_NAME)
    QGuiApplication.setDesktopFileName("persona-workbench")
    app.setStyle("Fusion")
    families = load_fonts()
    if "DejaVu Sans" in families and QFontDatabase.families().count("DejaVu Sans"):
        base = app.font()
        # Keep the platform's UI font where it exists; fall back to the bundled one on bare machines.
        if base.family() not in QFontDatabase.families():
            app.setFont(QFont("DejaVu Sans", base.pointSize()))
    app.setWindowIcon(icons.app_icon())
    theme.apply_scheme(app)


def _set_version() -> None:
    from workbench import __version__

    QCoreApplication.setApplicationVersion(__version__)


def initial_path(given: str | None) -> tuple[Path | None, bool]:
    """The file to open: the given one, else the last one if it still exists, else the sample.

    Returns (path, created): on the very first run the sample is created in the user's data folder.
    """
    from ui.services import settings

    if given:
        return Path(given), False
    last = settings.LAST_FILE.get()
    if last and Path(last).is_file():
        return Path(last), False
    sample = storage.data_dir() / SAMPLE_NAME
    if sample.exists():
        return sample, False
    from workbench.domain.values import Context
    from workbench.exchange.sample import create_sample

    sample.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_sample(sample, Context(user=settings.USER_NAME.get()), name="Sample")
    except Exception:  # a read-only home: start with an empty window rather than not at all
        return None, False
    return sample, True


def run_gui(path: str | None) -> int:
    """Run the desktop app on ``path`` (or the last file / the sample); returns the exit status."""
    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure(app)
    from ui.shell.main_window import MainWindow

    window = MainWindow()
    # Connected to the window's slot so the connection ends with the window.
    QGuiApplication.styleHints().colorSchemeChanged.connect(window.follow_color_scheme)
    window.restore_layout()
    window.show()
    _close_cleanly_on_sigterm(app, window)
    if sys.platform == "darwin":
        # An application-wide filter sees every event in Python: only where the event exists.
        app.installEventFilter(_FileOpenFilter(window))
    _auto_quit(window)
    _bench_hooks(window)
    QTimer.singleShot(0, _set_version)  # reading package metadata (≈ 30 ms) waits for the first paint
    target, _created = initial_path(path)
    if target is not None:
        window.open_path(target)
    return app.exec()


class _FileOpenFilter(QObject):
    """macOS hands a double-clicked .workbench to the running app as a QFileOpenEvent."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            self._window.open_path(event.file())
            return True
        return False


def _close_cleanly_on_sigterm(app: QApplication, window: MainWindow) -> None:
    """SIGTERM (logout, ``kill``) closes the window normally: final write-back, lock released.

    Python runs signal handlers only between bytecodes, so a no-op timer lets the interpreter look
    at pending signals while Qt's event loop runs.
    """
    if sys.platform == "win32":
        return
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, window.close))
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(300)


def _auto_quit(window: MainWindow) -> None:
    """``PERSONA_WORKBENCH_AUTOQUIT_MS``: close normally that long after the file opened (smoke tests,
    start-up benchmarks), or after twice that if nothing opens."""
    raw = os.environ.get("PERSONA_WORKBENCH_AUTOQUIT_MS", "")
    if not raw.isdigit():
        return
    delay = int(raw)
    window.file_opened.connect(lambda _path: QTimer.singleShot(delay, window.close))
    window.open_failed.connect(lambda _path: QTimer.singleShot(delay, window.close))
    QTimer.singleShot(max(2 * delay, 20_000), window.close)


class _FirstPaint(QObject):
    """Benchmark hook: after the persona list's first paint, optionally scroll it all, then close."""

    def __init__(self, window: MainWindow, scroll_all: bool) -> None:
        super().__init__(window)
        self._window = window
        self._scroll_all = scroll_all
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True

            # Process start → first paint of the persona list, for bench/run.py to read (closing
            # afterwards waits for the background preparation of the working copy).
            elapsed = _seconds_since_start()
            # Whether the editing core (SQLAlchemy) was needed for it: it should not be.
            core = "yes" if "sqlalchemy" in sys.modules else "no"
            print(f"persona-workbench: first paint after {elapsed:.3f} s (editing core loaded: {core})",
                  file=sys.stderr, flush=True)
            QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        if not self._scroll_all:
            self._window.close()
            return
        # The memory benchmark: once the file is editable (prepared, every view built), scroll the
        # persona list from top to bottom, let background work settle, report, close.
        if self._window.controller is None or self._window.controller.workbench.preparing:
            self._window.file_opened.connect(lambda _p: QTimer.singleShot(0, self._scroll))
        else:
            QTimer.singleShot(0, self._scroll)

    def _scroll(self) -> None:
        import time

        navigator = self._window.navigator
        if navigator is None:  # closed meanwhile
            return
        tree = navigator.tree
        model = tree.model()
        personas = model.index(1, 0)  # the "Personas" section
        bar = tree.verticalScrollBar()
        start = time.perf_counter()
        while True:  # a page at a time, painting each, until the lazy model has fetched every row
            bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
            tree.viewport().repaint()
            if bar.value() >= bar.maximum():
                if not model.canFetchMore(personas):
                    break
                model.fetchMore(personas)  # what the view asks for when its end comes into sight
            QApplication.processEvents()
        took = time.perf_counter() - start
        print(f"persona-workbench: scrolled {model.rowCount(personas)} personas in {took:.3f} s",
              file=sys.stderr, flush=True)
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(120_000)  # problems, counts: let them finish
        QApplication.processEvents()
        print(f"persona-workbench: memory after scrolling {_status_mb('VmRSS')} MB "
              f"(peak {_status_mb('VmHWM')} MB)", file=sys.stderr, flush=True)
        self._window.close()


def _status_mb(key: str) -> int:
    """A memory figure of this process from /proc/self/status, in MB (0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _bench_hooks(window: MainWindow) -> None:
    """``PERSONA_WORKBENCH_BENCH_EXIT_AFTER_PAINT=1``: close normally right after the persona list's
    first paint (start-up benchmark); with ``PERSONA_WORKBENCH_BENCH_SCROLL_ALL=1`` scroll it to the
    end first (memory benchmark). See bench/run.py."""
    if os.environ.get("PERSONA_WORKBENCH_BENCH_EXIT_AFTER_PAINT") != "1":
        return
    scroll_all = os.environ.get("PERSONA_WORKBENCH_BENCH_SCROLL_ALL") == "1"

    def attach(_path: str) -> None:
        navigator = window.navigator
        if navigator is None:
            return
        hook = _FirstPaint(window, scroll_all)
        navigator.tree.viewport().installEventFilter(hook)
        navigator.tree.viewport().update()

    window.file_shown.connect(attach)
    window.open_failed.connect(lambda _path: window.close())


def _seconds_since_start() -> float:
    """Seconds since this process started, from the kernel's own record where there is one.

    ``/proc/self/stat`` gives the start in clock ticks since boot, and ``CLOCK_BOOTTIME`` counts
    from the same boot (``btime`` in ``/proc/stat`` is rounded to whole seconds: not precise enough).
    """
    import time

    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.process_time()
