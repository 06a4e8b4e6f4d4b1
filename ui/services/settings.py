"""Every user setting declared once, typed, with its default — a small adapter over QSettings.

Tests point it at a temporary folder with :func:`use_path`; nothing else reads QSettings directly.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

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


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: key, type and default."""

    key: str
    default: T
    kind: type

    def get(self) -> T:
        """The stored value, or the default when missing or of the wrong type."""
        raw: Any = _store().value(self.key, None)
        if raw is None:
            return self.default
        try:
            if self.kind is bool:
                return (raw in (True, "true", "1", 1)) if not isinstance(raw, bool) else raw  # type: ignore[return-value]
            if self.kind is list:
                if isinstance(raw, str):
                    return [raw]  # type: ignore[return-value]
                return [str(x) for x in raw]  # type: ignore[return-value]
            if self.kind is QByteArray:
                return raw if isinstance(raw, QByteArray) else self.default
            return self.kind(raw)  # type: ignore[no-any-return]
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


USER_NAME: Setting[str] = Setting("user/name", _default_user(), str)
RECENT_FILES: Setting[list[str]] = Setting("files/recent", [], list)
LAST_FILE: Setting[str] = Setting("files/last", "", str)
WINDOW_GEOMETRY: Setting[QByteArray] = Setting("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE: Setting[QByteArray] = Setting("window/state", QByteArray(), QByteArray)
SPLITTER_STATE: Setting[QByteArray] = Setting("window/splitter", QByteArray(), QByteArray)
EXPORT_PAPER: Setting[str] = Setting("export/paper", "", str)
EXPORT_INCLUDE_DRAFTS: Setting[bool] = Setting("export/include_drafts", False, bool)
EXPORT_FOLDER: Setting[str] = Setting("export/folder", "", str)


def add_recent(path: str) -> list[str]:
    """Put ``path`` first in the recent-files list (deduplicated, capped) and return the list."""
    items = [p for p in RECENT_FILES.get() if p != path]
    items.insert(0, path)
    items = items[:MAX_RECENT]
    RECENT_FILES.set(items)
    return items
