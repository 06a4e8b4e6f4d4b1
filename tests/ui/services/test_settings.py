"""Settings come back as the type they were declared with, or their default — never a surprise."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.services import settings


def _raw(tmp_path: Path, key: str, value: object) -> None:
    """Store a value behind the adapter's back, as another version or a hand edit might."""
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue(key, value)
    store.sync()


def test_values_round_trip_with_their_types() -> None:
    settings.EXPORT_INCLUDE_DRAFTS.set(True)
    settings.RECENT_FILES.set(["/a.workbench", "/b.workbench"])
    settings.WINDOW_GEOMETRY.set(QByteArray(b"\x01\x02"))
    settings.EXPORT_FOLDER.set("/exports")
    assert settings.EXPORT_INCLUDE_DRAFTS.get() is True
    assert settings.RECENT_FILES.get() == ["/a.workbench", "/b.workbench"]
    assert settings.WINDOW_GEOMETRY.get() == QByteArray(b"\x01\x02")
    assert settings.EXPORT_FOLDER.get() == "/exports"


def test_ini_quirks_are_read_back(tmp_path: Path) -> None:
    _raw(tmp_path, "files/recent", "/only.workbench")  # an INI file keeps a one-item list as text
    _raw(tmp_path, "export/include_drafts", "true")  # and a flag as the word
    assert settings.RECENT_FILES.get() == ["/only.workbench"]
    assert settings.EXPORT_INCLUDE_DRAFTS.get() is True


def test_a_value_of_the_wrong_type_gives_the_default(tmp_path: Path) -> None:
    _raw(tmp_path, "window/geometry", "not bytes")
    _raw(tmp_path, "files/last", ["a", "list"])
    assert settings.WINDOW_GEOMETRY.get() == QByteArray()
    assert settings.LAST_FILE.get() == ""
    assert settings.USER_NAME.get()  # missing: the login name
