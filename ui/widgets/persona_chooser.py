"""A persona chooser that stays cheap and usable with 10,000 personas.

A plain combo box of every persona name read the whole persona list each time it went stale (≈ 0.2 s
on a big workbench, on the GUI thread, for every editor that had one), and a drop-down of 10,000
names is no way to find one anyway. :class:`PersonaChooser` is an editable combo box: its text field
shows the chosen persona and finds others as you type (matching anywhere in the name, ignoring
case); the arrow opens the whole list in name order.

Nothing is read before it is needed:

- showing a persona costs its name only (given by the caller, or read by key);
- opening the list reads the persona order (ids only, ≈ 20 ms for 10,000), then names a page at a
  time as rows are shown — the navigator's pattern;
- the first key typed reads every name once (one query, ≈ 60 ms), so the completer can match
  anywhere; later keys filter in memory.

A change that adds, removes or renames a persona only forgets the order (and the renamed names):
nothing is read until the list is needed again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QListView, QWidget

from ui.widgets.editor_widgets import rows_added_removed_or_changed
from workbench.domain.values import PersonaSummary
from workbench.store.changes import Change

_ROOT = QModelIndex()
#: Names are read this many rows at a time (by key), as rows of the open list are shown.
PAGE = 100
#: The role a row's persona id is kept in (``QComboBox.itemData``'s default).
ROLE_ID = Qt.ItemDataRole.UserRole
#: The role the completer matches on: a row's text only if its name is already known, never a read.
#: A combo box hands every programmatic change of its current item to the completer as a new prefix,
#: and the completer then scans the rows — with the display role that read thousands of names.
ROLE_SEARCH = Qt.ItemDataRole.UserRole + 1
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                         Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole})
#: Keys that move through the list (they need the whole order).
_NAVIGATION_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})
#: Keys that never change what is typed.
_INERT_KEYS = frozenset({Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape, Qt.Key.Key_Return,
                         Qt.Key.Key_Enter, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
                         Qt.Key.Key_End, Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                         Qt.Key.Key_Meta, Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock})


class PersonaSource(Protocol):
    """Where the chooser reads personas (a :class:`workbench.session.Workbench`)."""

    def persona_order(self) -> list[str]: ...

    def persona_summaries_for(self, ids: Sequence[str]) -> list[PersonaSummary]: ...

    def persona_summaries(self, offset: int = 0, limit: int | None = None) -> list[PersonaSummary]: ...


def persona_list_changed(change: Change) -> bool:
    """Whether ``change`` adds, removes or renames a persona (so a list of names is stale), from
    the change's row images alone."""
    return rows_added_removed_or_changed(change, "persona", "name")


class PersonaChoices(QAbstractListModel):
    """An optional "everyone" row, then personas in list order, names read lazily by key.

    Before the order is needed (:meth:`ensure_loaded`) the model lists only the persona(s) it was
    asked to show (:meth:`show_only`), so a form can display its current persona without reading
    the list.
    """

    def __init__(self, source: Callable[[], PersonaSource], *, everyone: str | None = None,
                 label: str = "{name}", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._everyone = everyone
        self._fixed = 1 if everyone is not None else 0
        self._label = label
        self._order: list[str] | None = None
        self._row_of: dict[str, int] = {}
        self._seed: list[str] = []
        self._names: dict[str, str] = {}
        self._complete = False
        #: How many reads the model made (order, pages of names, every name): tests check laziness.
        self.reads = 0

    # --- structure ----------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the whole persona order is known (the list was opened or typed in)."""
        return self._order is not None

    def _ids(self) -> list[str]:
        return self._order if self._order is not None else self._seed

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else self._fixed + len(self._ids())

    def row_of(self, persona_id: str | None) -> int:
        """The row showing ``persona_id`` (``None``: the "everyone" row), or -1."""
        if persona_id is None:
            return 0 if self._fixed else -1
        if self._order is not None:
            found = self._row_of.get(persona_id)
            return -1 if found is None else self._fixed + found
        return self._fixed + self._seed.index(persona_id) if persona_id in self._seed else -1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = index.row() - self._fixed
        if row < 0:
            if role in _TEXT_ROLES or role == ROLE_SEARCH:
                return self._everyone
            return None
        ids = self._ids()
        if row >= len(ids):
            return None
        if role == ROLE_ID:
            return ids[row]
        if role == ROLE_SEARCH:
            name = self._names.get(ids[row])
            return None if name is None else self._label.format(name=name)
        if role in _TEXT_ROLES:
            return self._label.format(name=self._name_at(row))
        return None

    def _name_at(self, row: int) -> str:
        """The name in persona row ``row``, reading its page of names (by key) the first time."""
        ids = self._ids()
        pid = ids[row]
        name = self._names.get(pid)
        if name is None:
            start = row - row % PAGE
            missing = [i for i in ids[start:start + PAGE] if i not in self._names]
            self.reads += 1
            for summary in self._source().persona_summaries_for(missing):
                self._names[summary.id] = summary.name
            for i in missing:  # removed by someone else since the order was read
                self._names.setdefault(i, "")
            name = self._names[pid]
        return name

    # --- loading ------------------------------------------------------------------------------

    def remember(self, persona_id: str, name: str) -> None:
        """A persona's name the caller already knows (no read needed to show it)."""
        if self._names.get(persona_id) == name:
            return
        self._names[persona_id] = name
        row = self.row_of(persona_id)
        if row >= 0:  # shown already under an older name
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def show_only(self, persona_id: str) -> None:
        """List just this persona until the whole order is needed."""
        if self._order is None and self._seed != [persona_id]:
            self.beginResetModel()
            self._seed = [persona_id]
            self.endResetModel()

    def ensure_loaded(self) -> bool:
        """Read the persona order if it is not known yet; returns whether the rows changed."""
        if self._order is not None:
            return False
        order = self._source().persona_order()
        self.reads += 1
        self.beginResetModel()
        self._set_order(order)
        self.endResetModel()
        return True

    def load_all(self) -> bool:
        """Read every name (and the order) in one query, for matching as you type; returns whether
        the rows changed."""
        if self._complete and self._order is not None:
            return False
        summaries = self._source().persona_summaries()
        self.reads += 1
        self._names.update((p.id, p.name) for p in summaries)
        self._complete = True
        order = [p.id for p in summaries]
        if order == self._order:
            return False
        self.beginResetModel()
        self._set_order(order)
        self.endResetModel()
        return True

    def _set_order(self, order: list[str]) -> None:
        self._order = order
        self._row_of = {pid: row for row, pid in enumerate(order)}
        self._seed = []

    def invalidate(self, renamed: Iterable[str] = ()) -> None:
        """Personas were added, removed or renamed: forget the order (and those names); read again
        when next needed."""
        for pid in renamed:
            self._names.pop(pid, None)
        self._complete = False
        if self._order is None and not self._seed:
            return
        self.beginResetModel()
        self._order = None
        self._row_of = {}
        self._seed = []
        self.endResetModel()


class PersonaChooser(QComboBox):
    """An editable combo box over :class:`PersonaChoices`: type to find, or open the list.

    Emits :attr:`chosen` only when the person picks a persona (from the list, the completer, or by
    typing a name exactly); :meth:`set_persona` shows one without emitting anything. Text that
    matches no persona is put back to the current choice when the field is left.
    """

    #: The person picked a persona: its id (``None`` for the "everyone" row).
    chosen = Signal(object)

    def __init__(self, source: Callable[[], PersonaSource], *, everyone: str | None = None,
                 label: str = "{name}", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = PersonaChoices(source, everyone=everyone, label=label, parent=self)
        self._current: str | None = None
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sizing to the contents would read every name: size to a typical name instead.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        self.setMaxVisibleItems(16)
        self.setModel(self.choices)
        view = self.view()
        if isinstance(view, QListView):
            view.setUniformItemSizes(True)  # never measure 10,000 rows
        completer = QCompleter(self.choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionRole(ROLE_SEARCH)  # typing reads every name first (see eventFilter)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        popup = completer.popup()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)
        self.setCompleter(completer)
        line = self.line
        line.setPlaceholderText("Type to find a persona")
        line.installEventFilter(self)
        line.editingFinished.connect(self._settle_text)  # after QComboBox's own exact-match handling
        self.activated.connect(self._on_activated)

    @property
    def line(self) -> QLineEdit:
        """The text field (an editable combo box always has one)."""
        line = self.lineEdit()
        assert line is not None
        return line

    # --- showing ------------------------------------------------------------------------------

    def persona_id(self) -> str | None:
        """The chosen persona's id (``None``: nobody chosen, or the "everyone" row)."""
        return self._current

    def set_persona(self, persona_id: str | None, name: str | None = None) -> None:
        """Show ``persona_id`` as the current choice (``name`` saves reading it); emits nothing."""
        self._current = persona_id
        if persona_id is not None:
            if name is not None:
                self.choices.remember(persona_id, name)
            if self.choices.row_of(persona_id) < 0 and not self.choices.loaded:
                self.choices.show_only(persona_id)
        self._show_current()

    def _show_current(self) -> None:
        blocked = self.blockSignals(True)
        try:
            self.setCurrentIndex(self.choices.row_of(self._current))
        finally:
            self.blockSignals(blocked)

    def invalidate(self, renamed: Iterable[str] = ()) -> None:
        """Personas were added, removed or renamed: re-read the list when it is next needed."""
        with self._keeping_text(typing=False):
            self.choices.invalidate(renamed)
            if self._current is not None:
                self.choices.show_only(self._current)

    @contextmanager
    def _keeping_text(self, *, typing: bool) -> Iterator[None]:
        """Reset the model without losing the current choice, nor (``typing``) what is typed."""
        line = self.line
        text, cursor = line.text(), line.cursorPosition()
        start, length = line.selectionStart(), len(line.selectedText())
        yield
        self._show_current()
        if typing:
            if line.text() != text:
                line.setText(text)
            if start >= 0 and length:
                line.setSelection(start, length)
            else:
                line.setCursorPosition(cursor)

    def ensure_loaded(self, *, typing: bool = False) -> None:
        """Make the whole list available (opening it, stepping through it)."""
        with self._keeping_text(typing=typing):
            self.choices.ensure_loaded()

    def _load_all(self) -> None:
        with self._keeping_text(typing=True):
            self.choices.load_all()

    # --- events -------------------------------------------------------------------------------

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        """Open the whole list (read now, the first time)."""
        self.ensure_loaded()
        super().showPopup()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        """The wheel steps through the whole list, like any combo box."""
        if self.isEnabled():
            self.ensure_loaded()
        super().wheelEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Before the text field handles a key: read the order (stepping) or every name (typing)."""
        if obj is self.line and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in _NAVIGATION_KEYS:
                self.ensure_loaded(typing=True)
            elif key not in _INERT_KEYS and (event.text().strip() or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
                                             or event.matches(QKeySequence.StandardKey.Paste)):
                self._load_all()
        elif obj is self.line and event.type() == QEvent.Type.InputMethod:
            self._load_all()
        return super().eventFilter(obj, event)

    def _on_activated(self, _index: int) -> None:
        """The person picked a row (list, completer, arrow keys, or an exactly typed name)."""
        pid = self.currentData(ROLE_ID)
        self._current = pid if isinstance(pid, str) else None
        self.chosen.emit(self._current)

    def _settle_text(self) -> None:
        """Leaving the field with text that names no persona puts the current choice back."""
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible():
            return  # Return pressed in the completer's list: it picks the persona next
        row = self.choices.row_of(self._current)
        shown = self.itemText(row) if row >= 0 else ""
        if self.line.text() != shown:
            self._show_current()
            self.line.setText(shown)
