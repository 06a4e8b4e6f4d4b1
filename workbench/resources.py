"""Where the shipped resources (sample, fonts, icons) are: the checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The ``resources/`` folder."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def path(*parts: str) -> Path:
    """A file under ``resources/``."""
    return root().joinpath(*parts)
