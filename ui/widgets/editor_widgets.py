"""Small pieces every editor shares: committing a field as one undo step, headers, icons, images.

Editors write through :class:`~ui.services.controller.WorkbenchController` commands. A text field commits
when the person leaves it (editingFinished / focus-out) or pauses typing for a moment, so Edit ▸
Undo takes back one field edit, never one keystroke. While a field holds uncommitted text, a refresh
from ``controller.changed`` leaves it alone: nothing the person is typing is ever clobbered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QIcon, QImage, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain import images
from workbench.store.changes import Change

#: Milliseconds of typing pause after which a text field commits on its own.
IDLE_COMMIT_MS = 1500
#: Longest side of a stored portrait or logo; bigger photos are scaled down before storing.
MAX_IMAGE_SIDE = 1024

STAGE_LABELS: dict[str, str] = {"awareness": "Awareness", "consideration": "Consideration",
                                "decision": "Decision", "retention": "Retention"}
STATUS_LABELS: dict[str, str] = {"draft": "Draft", "in_review": "In review", "approved": "Approved",
                                 "retired": "Retired", "breach": "Lingo breach"}
_STATUS_ICON = {"draft": "draft", "in_review": "in-review", "approved": "approved", "retired": "retired",
                "breach": "breach", "none": "missing"}

TextWidget = QLineEdit | QPlainTextEdit | QTextEdit


def status_icon(state: str) -> QIcon:
    """The icon for a message/persona status or a breach (shared look with the navigator)."""
    try:
        from ui.services import icons

        return icons.icon(_STATUS_ICON.get(state, "draft"))
    except Exception:  # icons module missing or changed: fall back to the raw SVG
        from workbench import resources

        return QIcon(str(resources.path("icons", f"{_STATUS_ICON.get(state, 'draft')}.svg")))


def widget_text(w: TextWidget) -> str:
    """Plain text of a line or text edit."""
    return w.text() if isinstance(w, QLineEdit) else w.toPlainText()


def set_widget_text(w: TextWidget, text: str) -> None:
    """Replace the text without emitting edit signals and only when it differs (keeps the cursor)."""
    if widget_text(w) == text:
        return
    blocked = w.blockSignals(True)
    try:
        if isinstance(w, QLineEdit):
            w.setText(text)
            w.setCursorPosition(0)
        else:
            w.setPlainText(text)
    finally:
        w.blockSignals(blocked)


class FieldCommitter(QObject):
    """Commits one text field: on editingFinished, on focus-out, or after a pause in typing.

    ``commit(text)`` is called only when the text differs from what was last loaded or committed,
    so tabbing through a form records nothing.
    """

    def __init__(self, widget: TextWidget, commit: Callable[[str], None],
                 idle_ms: int = IDLE_COMMIT_MS) -> None:
        super().__init__(widget)
        self.widget = widget
        self._commit = commit
        self._saved = widget_text(widget)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.flush)
        widget.installEventFilter(self)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
            widget.editingFinished.connect(self.flush)
        else:
            widget.textChanged.connect(self._edited)

    def _edited(self, *_: object) -> None:
        self._timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Commit when focus leaves the field."""
        if obj is self.widget and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    @property
    def dirty(self) -> bool:
        """Whether the field holds text not yet committed."""
        return widget_text(self.widget) != self._saved

    def flush(self) -> None:
        """Commit now if the text changed."""
        self._timer.stop()
        text = widget_text(self.widget)
        if text != self._saved:
            self._saved = text
            self._commit(text)

    def load(self, text: str, *, force: bool = False) -> None:
        """Show ``text`` from the workbench unless the person is editing this field (or ``force``)."""
        if not force and self.dirty:
            return
        self._timer.stop()
        set_widget_text(self.widget, text)
        self._saved = text


def section_header(title: str, subtitle: str = "") -> QWidget:
    """A section title with a hairline rule and an optional one-line explanation."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 14, 0, 4)
    layout.setSpacing(2)
    row = QHBoxLayout()
    row.setSpacing(8)
    label = QLabel(title)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    label.setAccessibleName(title)
    row.addWidget(label)
    rule = QFrame()
    rule.setFrameShape(QFrame.Shape.HLine)
    rule.setFrameShadow(QFrame.Shadow.Plain)
    rule.setStyleSheet("color: palette(mid);")
    row.addWidget(rule, 1)
    layout.addLayout(row)
    if subtitle:
        sub = QLabel(subtitle)
        sub.setWordWrap(True)
        sub.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(sub)
    return box


def new_delete_row(noun: str, on_new: Callable[[], None],
                   on_delete: Callable[[], None]) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """The "New X / Delete X" button row under a table editor: (layout, new button, delete button)."""
    row = QHBoxLayout()
    new_button = QPushButton(f"New {noun.title()}")
    new_button.setAccessibleName(f"New {noun}")
    new_button.clicked.connect(on_new)
    delete_button = QPushButton(f"Delete {noun.title()}")
    delete_button.setAccessibleName(f"Delete selected {noun}")
    delete_button.clicked.connect(on_delete)
    row.addWidget(new_button)
    row.addWidget(delete_button)
    row.addStretch(1)
    return row, new_button, delete_button


def title_label(text: str = "") -> QLabel:
    """A large page title (editor headings)."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def hint_label(text: str = "") -> QLabel:
    """A muted explanatory line."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def set_editable(widgets: list[QWidget], editable: bool) -> None:
    """Make inputs read-only (text stays selectable) or disable buttons and choosers."""
    for w in widgets:
        if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
            w.setReadOnly(not editable)
        elif isinstance(w, QComboBox):
            w.setEnabled(editable)
        else:
            w.setEnabled(editable)


def prepare_image(data: bytes) -> bytes:
    """Bytes we can store: PNG/JPEG within the limits as given; anything else Qt can read is
    scaled to at most :data:`MAX_IMAGE_SIDE` and re-encoded (PNG, or JPEG if PNG is too big).

    Raises ``ValueError`` with a sentence for people when the data is not an image at all.
    """
    if images.kind(data) is not None and len(data) <= images.MAX_IMAGE_BYTES:
        try:
            w, h = images.validate(data)
            if max(w, h) <= 4 * MAX_IMAGE_SIDE:
                return data
        except Exception:
            pass  # damaged header: let Qt try to read it below
    image = QImage()
    if not image.loadFromData(QByteArray(data)) or image.isNull():
        raise ValueError("That file is not an image Persona Workbench can read.")
    if max(image.width(), image.height()) > MAX_IMAGE_SIDE:
        image = image.scaled(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    for fmt, quality in (("PNG", -1), ("JPEG", 88), ("JPEG", 70)):
        out = QByteArray()
        buf = QBuffer(out)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        img = image if fmt == "PNG" else image.convertToFormat(QImage.Format.Format_RGB32)
        img.save(buf, fmt, quality)  # type: ignore[call-overload]  # the stub says bytes, PySide6 6.11 takes only str
        buf.close()
        raw = bytes(out.data())
        if raw and len(raw) <= images.MAX_IMAGE_BYTES:
            return raw
    raise ValueError("That image is too large to store, even scaled down.")


class RefreshWhenShown(QWidget):
    """The base of editor pages: a change that arrives while the page is hidden behind another one
    only marks it stale; the page refreshes when it is shown again.

    A page on its own (no parent, as in a unit test or a dialog) always refreshes at once. The
    refresh after showing runs from the event loop, so a ``show_…`` call that follows the show
    (the main window's navigation) clears the flag first and nothing is read twice.
    """

    _stale = False

    def on_screen_or_defer(self) -> bool:
        """True when a refresh should run now; otherwise remember it for :meth:`showEvent`."""
        if self._retired:
            return False
        if self.parentWidget() is None or self.isVisible():
            return True
        self._stale = True
        return False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Run a refresh held back while hidden."""
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self, self._refresh_if_stale)

    def retire(self) -> None:
        """The page is being thrown away (its file closes): never refresh again."""
        self._stale = False
        self._retired = True

    _retired = False

    def _refresh_if_stale(self) -> None:
        if self._stale and not self._retired:
            self._stale = False
            self.refresh_stale()

    def refresh_stale(self) -> None:
        """Re-read what the page shows (subclasses)."""


def rows_added_removed_or_changed(change: Change, kind: str, column: str) -> bool:
    """Whether ``change`` adds or removes a row of ``kind`` or changes its ``column`` — read from the
    change's row images alone: no query, whatever the size of the workbench."""
    if kind not in change.kinds:
        return False
    if change.created(kind) or change.deleted(kind):
        return True
    table = f"{kind}s"
    before = {b.id: b.values for b in change.before if b.table == table}
    for image in change.after:
        if image.table == table and image.values is not None:
            old = before.get(image.id)
            if old is None or old.get(column) != image.values.get(column):
                return True
    return False


def messages_moved(change: Change) -> bool:
    """Whether ``change`` adds or removes a message or moves one to another channel (so counts of
    messages per channel are stale). A text edit is not: typing never recounts."""
    return rows_added_removed_or_changed(change, "message", "channel_id")


def personas_of_messages(change: Change) -> set[str]:
    """Personas whose messages ``change`` touched, read from its row images (no query)."""
    found: set[str] = set()
    for image in (*change.before, *change.after):
        if image.table == "messages" and image.values is not None:
            pid = image.values.get("persona_id")
            if isinstance(pid, str):
                found.add(pid)
    return found


#: Status colours for (light, dark) palettes: readable on the window colour of each.
_STATUS_COLOURS = {"approved": ("#2E7D32", "#81C784"), "in_review": ("#B26A00", "#FFB74D"),
                   "draft": ("#616161", "#BDBDBD"), "retired": ("#8A8A8A", "#9E9E9E"),
                   "breach": ("#C62828", "#FF8A80")}


def palette_is_dark(widget: QWidget) -> bool:
    """Whether ``widget``'s palette is a dark one (its window darker than its text)."""
    pal = widget.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < pal.color(QPalette.ColorRole.WindowText).lightness()


def status_colour(widget: QWidget, status: str) -> str:
    """A status colour (approved green, in-review amber …) readable on ``widget``'s palette."""
    light, dark = _STATUS_COLOURS.get(status, _STATUS_COLOURS["draft"])
    return dark if palette_is_dark(widget) else light


@contextmanager
def filling(table: QTableWidget) -> Iterator[None]:
    """Fill a table quickly: with "resize to contents" columns, every ``setItem`` re-measures the
    whole column (seconds for a few thousand rows), so measure once at the end instead."""
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(i) for i in range(header.count())]
    auto = QHeaderView.ResizeMode.ResizeToContents
    blocked = table.blockSignals(True)
    table.setUpdatesEnabled(False)
    for i, mode in enumerate(modes):
        if mode == auto:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
    try:
        yield
    finally:
        for i, mode in enumerate(modes):
            if mode == auto:
                header.setSectionResizeMode(i, auto)
        table.setUpdatesEnabled(True)
        table.blockSignals(blocked)
