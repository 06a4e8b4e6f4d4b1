"""Lingo breaches underlined as you type, with a tooltip naming the preferred term and a quick fix.

The check itself is the core's pure :class:`workbench.domain.lingo.Checker` — the same rules the CLI's
``check`` and approval use — run per text block, which is fast enough for every keystroke. Underlines
are red and wavy like a spell checker's, so people recognise them without being told. QLineEdit
cannot draw them, so single-line fields (headline, call to action) are a :class:`LingoTextEdit` held
to one line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QFrame, QMenu, QPlainTextEdit, QSizePolicy, QToolTip, QWidget

from workbench.domain.lingo import Breach

#: Given one block of text, the breaches in it (positions relative to that text).
BreachFinder = Callable[[str], list[Breach]]
UNDERLINE_COLOR = QColor("#D32F2F")


def describe_breach(b: Breach) -> str:
    """Tooltip text: what is wrong, what to say instead, and why (the term's note)."""
    if b.kind == "avoid":
        text = f"Avoid “{b.found}”"
        text += f" — say “{b.replacement}” instead." if b.replacement else "."
    elif b.kind == "dont":
        text = f"“{b.found}” is on this persona's don't list."
    else:
        text = b.describe()
    if b.note:
        text += f"\n{b.note}"
    return text


def matched_case(found: str, replacement: str) -> str:
    """The replacement written in the found word's case ("Contract" → "Paperwork")."""
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class LingoHighlighter(QSyntaxHighlighter):
    """Underlines every breach that ``finder`` reports in a document, block by block."""

    def __init__(self, document: QTextDocument, finder: BreachFinder | None = None) -> None:
        super().__init__(document)
        self._finder: BreachFinder | None = finder
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self._format.setUnderlineColor(UNDERLINE_COLOR)

    def set_finder(self, finder: BreachFinder | None) -> None:
        """Use another finder (the vocabulary or the persona changed) and re-underline."""
        self._finder = finder
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Underline this block's breaches."""
        if self._finder is None or not text:
            return
        for b in self._finder(text):
            if b.end > b.start:
                self.setFormat(b.start, b.end - b.start, self._format)

    def breaches(self) -> list[Breach]:
        """Every breach in the document, with positions in document coordinates."""
        out: list[Breach] = []
        if self._finder is None:
            return out
        block = self.document().begin()
        while block.isValid():
            base = block.position()
            out.extend(dataclasses.replace(b, start=base + b.start, end=base + b.end)
                       for b in self._finder(block.text()))
            block = block.next()
        return out

    def breach_at(self, position: int) -> Breach | None:
        """The breach covering document ``position`` (or ending right at it), in document coordinates."""
        if self._finder is None:
            return None
        block = self.document().findBlock(position)
        if not block.isValid():
            return None
        rel = position - block.position()
        for b in self._finder(block.text()):
            if b.start <= rel <= b.end and b.end > b.start:
                return dataclasses.replace(b, start=block.position() + b.start, end=block.position() + b.end)
        return None


class LingoTextEdit(QPlainTextEdit):
    """A plain-text field that underlines lingo breaches; optionally held to a single line."""

    #: Enter pressed or focus left: the text is complete (single-line fields).
    editing_finished = Signal()
    #: A quick fix replaced a breach (editors commit at once: one undo step per fix).
    quick_fixed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, single_line: bool = False,
                 placeholder: str = "") -> None:
        super().__init__(parent)
        self.single_line = single_line
        self.highlighter = LingoHighlighter(self.document())
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setMouseTracking(True)
        if single_line:
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._fit_one_line()
        self.cursorPositionChanged.connect(self._cursor_moved)

    def _fit_one_line(self) -> None:
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        doc_margin = int(self.document().documentMargin())
        frame = 2 * self.frameWidth() if self.frameShape() != QFrame.Shape.NoFrame else 0
        self.setFixedHeight(line + 2 * doc_margin + margins.top() + margins.bottom() + frame + 4)

    def set_finder(self, finder: BreachFinder | None) -> None:
        """Set how breaches are found (see :class:`LingoHighlighter`)."""
        self.highlighter.set_finder(finder)

    # --- one line only -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """In a single-line field Enter finishes the edit instead of adding a line."""
        if self.single_line and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editing_finished.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        """Pasted line breaks become spaces in a single-line field."""
        if self.single_line and source.hasText():
            self.textCursor().insertText(" ".join(source.text().split()))
            return
        super().insertFromMimeData(source)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        """Leaving the field finishes the edit."""
        super().focusOutEvent(event)
        self.editing_finished.emit()

    # --- tooltips and quick fixes ------------------------------------------------------------

    def breach_at(self, position: int) -> Breach | None:
        """The breach at a document position, if any."""
        return self.highlighter.breach_at(position)

    def tooltip_at(self, position: int) -> str:
        """What the tooltip says at ``position`` ('' when there is no breach)."""
        b = self.breach_at(position)
        return describe_breach(b) if b is not None else ""

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Show the breach under the mouse as a tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(self.cursorForPosition(event.pos()).position())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _cursor_moved(self) -> None:
        # Keyboard users get the same tooltip when the text cursor enters an underlined word.
        if not self.hasFocus():
            return
        text = self.tooltip_at(self.textCursor().position())
        if text:
            QToolTip.showText(self.mapToGlobal(self.cursorRect().bottomLeft() + QPoint(0, 4)), text, self)

    def quick_fix_actions(self, position: int, parent: QWidget | None = None) -> list[QAction]:
        """Actions for the breach at ``position``: "Replace with ‘paperwork’" when there is a replacement."""
        b = self.breach_at(position)
        if b is None or self.isReadOnly():
            return []
        actions: list[QAction] = []
        if b.kind == "avoid" and b.replacement:
            new = matched_case(b.found, b.replacement)
            act = QAction(f"Replace with ‘{new}’", parent or self)
            act.triggered.connect(lambda _=False, br=b: self.replace_breach(br))
            actions.append(act)
        info = QAction(describe_breach(b).split("\n")[0], parent or self)
        info.setEnabled(False)
        actions.append(info)
        return actions

    def replace_breach(self, breach: Breach) -> None:
        """Replace the breach's text with its preferred term (one undoable edit in the field)."""
        if not breach.replacement or self.isReadOnly():
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(breach.start)
        cursor.setPosition(breach.end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != breach.found:
            return  # text moved on since the breach was found
        cursor.beginEditBlock()
        cursor.insertText(matched_case(breach.found, breach.replacement))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.quick_fixed.emit(self.toPlainText())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        """The standard menu, with the quick fix for an underlined word on top."""
        menu: QMenu = self.createStandardContextMenu(event.pos())
        fixes = self.quick_fix_actions(self.cursorForPosition(event.pos()).position(), menu)
        if fixes and menu.actions():
            first = menu.actions()[0]
            for act in fixes:
                menu.insertAction(first, act)
            menu.insertSeparator(first)
        elif fixes:
            menu.addActions(fixes)
        menu.exec(event.globalPos())
        menu.deleteLater()
