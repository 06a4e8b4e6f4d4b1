"""A picture slot for a persona portrait or the workbench logo: choose a file, drop one on it, remove it.

A phone photo is 8–12 MB and often HEIC or WebP; the core stores PNG/JPEG up to 5 MB, so whatever
Qt can read is scaled down and re-encoded here (:func:`ui.widgets.editor_widgets.prepare_image`) before it
becomes a command. The file dialog sits behind a classmethod so tests can stub it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.editor_widgets import prepare_image

#: Files bigger than this are refused before reading (nobody's portrait is 60 MB).
MAX_SOURCE_BYTES = 60 * 1024 * 1024
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff)"
_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic"}


def _local_image_path(mime: QMimeData) -> Path | None:
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in _SUFFIXES:
                return path
    return None


class ImageWell(QWidget):
    """Shows an image as a scaled thumbnail; emits the new bytes or a removal request."""

    #: Ready-to-store PNG/JPEG bytes (already scaled and converted).
    image_chosen = Signal(bytes)
    #: The person asked to remove the image.
    remove_requested = Signal()
    #: Something went wrong (unreadable file …): a sentence for a message.
    failed = Signal(str)

    def __init__(self, what: str = "portrait", size: QSize | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        size = size or QSize(120, 120)
        self.what = what
        self._size = size
        self._has_image = False
        self._read_only = False
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.picture = QLabel(self)
        self.picture.setFixedSize(size)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setWordWrap(True)
        self.picture.setAccessibleName(what.capitalize())
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.choose_button = QPushButton(f"Choose {what}…", self)
        self.choose_button.setAccessibleName(f"Choose {what} image")
        self.choose_button.setToolTip(f"Pick an image file, or drop one on the {what}")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setAccessibleName(f"Remove {what}")
        self.remove_button.clicked.connect(self.remove_requested)
        for b in (self.choose_button, self.remove_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            b.setFixedWidth(size.width())
            layout.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_image(None)

    # --- showing -----------------------------------------------------------------------------

    def set_image(self, data: bytes | None) -> None:
        """Show ``data`` scaled to fit, or a placeholder inviting a drop."""
        image = QImage()
        if data and image.loadFromData(QByteArray(data)) and not image.isNull():
            ratio = self.devicePixelRatioF() or 1.0
            pix = QPixmap.fromImage(image).scaled(
                int(self._size.width() * ratio), int(self._size.height() * ratio),
                Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            pix.setDevicePixelRatio(ratio)
            self.picture.setPixmap(pix)
            self.picture.setStyleSheet("border: 1px solid palette(mid); border-radius: 6px;")
            self.picture.setToolTip(f"Drop another image here to replace the {self.what}")
            self._has_image = True
        else:
            self.picture.clear()
            self.picture.setText(f"No {self.what}\n\nDrop an image here")
            self.picture.setStyleSheet("border: 2px dashed palette(mid); border-radius: 6px; "
                                       "color: palette(placeholder-text);")
            self.picture.setToolTip(f"Drop an image file here, or use Choose {self.what}…")
            self._has_image = False
        self.picture.setAccessibleDescription("has an image" if self._has_image else "empty")
        self._update_buttons()

    def has_image(self) -> bool:
        """Whether an image is shown."""
        return self._has_image

    def set_read_only(self, read_only: bool) -> None:
        """Switch choosing, dropping and removing off."""
        self._read_only = read_only
        self.setAcceptDrops(not read_only)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.choose_button.setEnabled(not self._read_only)
        self.remove_button.setEnabled(not self._read_only and self._has_image)

    # --- choosing ----------------------------------------------------------------------------

    @classmethod
    def choose_file(cls, parent: QWidget | None, title: str) -> tuple[str, bool]:
        """Ask for an image file: (path, accepted). Tests stub this classmethod."""
        path, _ = QFileDialog.getOpenFileName(parent, title, "", IMAGE_FILTER)
        return path, bool(path)

    def choose(self) -> None:
        """Pick a file with the dialog and use it."""
        if self._read_only:
            return
        path, ok = self.choose_file(self, f"Choose {self.what}")
        if ok and path:
            self.use_file(Path(path))

    def use_file(self, path: Path) -> bool:
        """Read, scale and convert an image file, then emit ``image_chosen``. Returns success."""
        try:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                raise ValueError(f"{path.name} is too large to use as a {self.what}.")
            data = prepare_image(path.read_bytes())
        except (OSError, ValueError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else \
                f"Could not read {path.name}: {exc.strerror or exc}."
            self.failed.emit(message)
            return False
        self.image_chosen.emit(data)
        return True

    # --- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        """Accept one image file (or raw image data) when editable."""
        mime = event.mimeData()
        if not self._read_only and (_local_image_path(mime) is not None or mime.hasImage()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        """Use the dropped file or image."""
        mime = event.mimeData()
        path = _local_image_path(mime)
        if path is not None:
            self.use_file(path)
            event.acceptProposedAction()
            return
        if mime.hasImage():
            from PySide6.QtCore import QBuffer, QIODevice

            image = QImage(mime.imageData())
            buf = QBuffer()
            buf.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buf, "PNG")  # type: ignore[call-overload]  # the stub says bytes, PySide6 6.11 takes only str
            try:
                self.image_chosen.emit(prepare_image(bytes(buf.data().data())))
            except ValueError as exc:
                self.failed.emit(str(exc))
            event.acceptProposedAction()
