"""Every user setting declared once, typed, with its default — a small adapter over QSettings.

Tests point it at a temporary folder with :func:`use_path`; nothing else reads QSettings directly.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")
_path: Path | None = None
MAX_RECENT = 10


def use_path(path: Path | None) -> None:
    """Store settings in an INI file at ``path`` (tests), or the platform's default (None)."""
    global _path
    _path = path


def _store() -> QSettings:
    if _path is not None:
        return QSettings(str(_path), QSettings.Format.IniFormat)
    return QSettings("PersonaWorkbench", "Persona Workbench")


def _text(raw: object) -> str:
    if isinstance(raw, (list, dict, QByteArray)):
        raise TypeError("not text")
    return str(raw)


def _flag(raw: object) -> bool:
    # QSettings' INI files give booleans back as the strings "true" / "false".
    return raw if isinstance(raw, bool) else raw in ("true", "1", 1)


def _paths(raw: object) -> list[str]:
    # An INI file gives a one-item list back as a plain string.
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, (list, tuple)):
        raise TypeError("not a list")
    return [str(x) for x in raw]


def _bytes(raw: object) -> QByteArray:
    if not isinstance(raw, QByteArray):
        raise TypeError("not bytes")
    return raw


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: key, default, and how a stored value becomes a ``T`` (raising on a wrong type)."""

    key: str
    default: T
    convert: Callable[[object], T]

    def get(self) -> T:
        """The stored value, or the default when missing or of the wrong type."""
        raw: object = _store().value(self.key, None)
        if raw is None:
            return self.default
        try:
            return self.convert(raw)
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T) -> None:
        """Store a value."""
        store = _store()
        store.setValue(self.key, value)
        store.sync()


def _default_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:
        return "unknown"


USER_NAME = Setting("user/name", _default_user(), _text)
RECENT_FILES: Setting[list[str]] = Setting("files/recent", [], _paths)
LAST_FILE = Setting("files/last", "", _text)
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), _bytes)
WINDOW_STATE = Setting("window/state", QByteArray(), _bytes)
SPLITTER_STATE = Setting("window/splitter", QByteArray(), _bytes)
EXPORT_PAPER = Setting("export/paper", "", _text)
EXPORT_INCLUDE_DRAFTS = Setting("export/include_drafts", False, _flag)
EXPORT_FOLDER = Setting("export/folder", "", _text)


def add_recent(path: str) -> list[str]:
    """Put ``path`` first in the recent-files list (deduplicated, capped) and return the list."""
    items = [p for p in RECENT_FILES.get() if p != path]
    items.insert(0, path)
    items = items[:MAX_RECENT]
    RECENT_FILES.set(items)
    return items
