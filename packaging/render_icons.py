"""Render the product's SVG icons into the PNG/ICO/ICNS files that installers and desktops want.

The SVGs in ``resources/icons/`` are the designs; everything under ``packaging/icons/`` is derived
from them by this script and is checked in so that a build needs neither Qt's offscreen platform
nor Pillow. Re-run it after changing an icon:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Output:
    packaging/icons/hicolor/<N>x<N>/apps/persona-workbench.png          N = 16 … 512
    packaging/icons/hicolor/<N>x<N>/mimetypes/application-x-persona-workbench.png
    packaging/icons/hicolor/scalable/apps/persona-workbench.svg
    packaging/icons/hicolor/scalable/mimetypes/application-x-persona-workbench.svg
    packaging/icons/persona-workbench.ico, persona-workbench.icns      (Windows, macOS; needs Pillow)
    packaging/icons/workbench-document.ico, workbench-document.icns    (the document icon)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ICONS = ROOT / "resources" / "icons"
OUT = HERE / "icons"

#: hicolor sizes we ship (the freedesktop icon theme spec's usual set).
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
#: Icon names as installed: the app icon is named after the app id, the document icon after the
#: MIME type (``application/x-persona-workbench`` → ``application-x-persona-workbench``).
APP_ICON = "persona-workbench"
MIME_ICON = "application-x-persona-workbench"

SOURCES = {
    ("apps", APP_ICON): ICONS / "persona-workbench.svg",
    ("mimetypes", MIME_ICON): ICONS / "workbench-document.svg",
}


def render_png(svg: Path, size: int, target: Path) -> None:
    """Draw ``svg`` into a transparent ``size``×``size`` PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"cannot write {target}")


def write_ico_icns(png_dir: Path, stem: str, kind: str, name: str) -> list[Path]:
    """Windows .ico and macOS .icns from the largest PNG (Pillow downsamples for the smaller sizes)."""
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: skipping .ico/.icns (pip install -r packaging/requirements-build.txt)")
        return []
    big = Image.open(png_dir / "512x512" / kind / f"{name}.png").convert("RGBA")
    ico = OUT / f"{stem}.ico"
    big.save(ico, format="ICO", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    icns = OUT / f"{stem}.icns"
    big.save(icns, format="ICNS")
    return [ico, icns]


def main() -> int:
    """Render everything; print what was written."""
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QImage painting needs one
    hicolor = OUT / "hicolor"
    written: list[Path] = []
    for (kind, name), svg in SOURCES.items():
        for size in SIZES:
            target = hicolor / f"{size}x{size}" / kind / f"{name}.png"
            render_png(svg, size, target)
            written.append(target)
        scalable = hicolor / "scalable" / kind / f"{name}.svg"
        scalable.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(svg, scalable)
        written.append(scalable)
    written += write_ico_icns(hicolor, "persona-workbench", "apps", APP_ICON)
    written += write_ico_icns(hicolor, "workbench-document", "mimetypes", MIME_ICON)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
