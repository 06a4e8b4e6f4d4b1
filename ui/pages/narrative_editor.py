"""The workbench's own page: its name, the organisation, the logo and the brand narrative.

The narrative is the foundational messaging every persona's messages build on; it opens the playbook,
so it is written in markdown beside a live preview like a persona's story.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.services.controller import WorkbenchController
from ui.widgets.editor_widgets import FieldCommitter, hint_label, section_header, set_editable, title_label
from ui.widgets.image_well import ImageWell
from ui.widgets.markdown_view import MarkdownView
from workbench.edit import commands
from workbench.store.changes import Change

_LABELS = {"name": "Rename Workbench", "organization": "Edit Organisation", "narrative": "Edit Brand Narrative"}


class NarrativeEditor(QWidget):
    """Edits the workbench name, organisation, logo and brand narrative."""

    def __init__(self, controller: WorkbenchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        layout.addWidget(title_label("Brand narrative"))
        layout.addWidget(hint_label("Who we are and what we promise, in words every persona's messaging builds "
                                    "on. It opens every playbook."))
        top = QHBoxLayout()
        top.setSpacing(18)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.name = QLineEdit()
        self.name.setAccessibleName("Workbench name")
        self.name.setPlaceholderText("e.g. Tillwright Go-to-Market")
        self.organization = QLineEdit()
        self.organization.setAccessibleName("Organisation")
        self.organization.setPlaceholderText("e.g. Tillwright, Inc.")
        form.addRow("&Workbench name:", self.name)
        form.addRow("&Organisation:", self.organization)
        top.addLayout(form, 1)
        self.logo = ImageWell("logo", QSize(150, 80), self)
        self.logo.image_chosen.connect(lambda data: self._set_logo(data))
        self.logo.remove_requested.connect(lambda: self._set_logo(None))
        self.logo.failed.connect(lambda msg: self.controller.failed.emit("Logo", msg))
        top.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(section_header("Narrative", "Markdown: headings with #, *italic*, **bold**, lists "
                                        "with “-”."))
        self.narrative = QPlainTextEdit()
        self.narrative.setAccessibleName("Brand narrative (markdown)")
        self.narrative.setTabChangesFocus(True)
        self.narrative.setPlaceholderText(
            "Start with the problem your customers live with, in their words. Then what you believe, what you "
            "promise, and the proof. End with the three words every message should feel like.")
        self.preview = MarkdownView(placeholder="The narrative preview appears here as you write.")
        self.preview.setAccessibleName("Narrative preview")
        self.narrative.textChanged.connect(lambda: self.preview.set_markdown(self.narrative.toPlainText()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("narrativeSplitter")
        split.addWidget(self.narrative)
        split.addWidget(self.preview)
        split.setChildrenCollapsible(False)
        split.setSizes([1, 1])
        layout.addWidget(split, 1)
        self._committers = {
            "name": FieldCommitter(self.name, lambda t: self._commit("name", t)),
            "organization": FieldCommitter(self.organization, lambda t: self._commit("organization", t)),
            "narrative": FieldCommitter(self.narrative, lambda t: self._commit("narrative", t)),
        }
        controller.changed.connect(self._on_changed)
        self.show_narrative()

    def show_narrative(self) -> None:
        """Load everything from the workbench (forced: discards nothing, everything was committed)."""
        for c in self._committers.values():
            c.flush()
        self._load(force=True)
        self.logo.set_image(self.controller.workbench.logo())
        self.preview.set_markdown_now(self.narrative.toPlainText())

    def _load(self, force: bool = False) -> None:
        info = self.controller.workbench.info()
        for key, c in self._committers.items():
            c.load(getattr(info, key), force=force)
        ro = self.controller.readonly
        set_editable([self.name, self.organization, self.narrative], not ro)
        self.logo.set_read_only(ro)

    def _commit(self, key: str, text: str) -> None:
        if self.controller.readonly:
            return
        if key == "name" and not text.strip():
            self._committers["name"].load(self.controller.workbench.info().name, force=True)
            return
        self.controller.run(commands.UpdateWorkbench({key: text}, label=_LABELS[key]))

    def _set_logo(self, data: bytes | None) -> None:
        if not self.controller.readonly:
            self.controller.run(commands.SetLogo(data, label="Remove Logo" if data is None else "Change Logo"))

    def _on_changed(self, change: Change) -> None:
        if "workbench" in change.kinds:
            self._load()
            self.logo.set_image(self.controller.workbench.logo())
