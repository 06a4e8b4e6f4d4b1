"""Desktop integration files: they validate, they agree with the package, and the MIME magic is right.

The name, version and ids live once, in the package metadata and ``workbench/__init__.py``; the
static files under ``packaging/`` repeat them, and these tests are what keeps the copies honest.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import workbench
from tests.packaging.magic import NS, magic_matches, unescape
from workbench.exchange.sample import create_sample
from workbench.schema.model import APPLICATION_ID

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
DESKTOP = LINUX / "persona-workbench.desktop"
MIME_XML = LINUX / "persona-workbench-mime.xml"
METAINFO = LINUX / f"{workbench.APP_REVERSE_DNS}.metainfo.xml"
ISS = PACKAGING / "windows" / "persona-workbench.iss"
SPEC = PACKAGING / "persona-workbench.spec"
MIME_TYPE = "application/x-persona-workbench"
MIME_ICON = MIME_TYPE.replace("/", "-")
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _desktop_entry(path: Path = DESKTOP) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _mime_type_element() -> ET.Element:
    root = ET.parse(MIME_XML).getroot()
    assert root.tag == f"{NS}mime-info"
    (element,) = root.findall(f"{NS}mime-type")
    return element


# --- one source of truth ----------------------------------------------------------------------


def test_version_agrees_with_pyproject() -> None:
    """pyproject takes the version from ``workbench.__version__``, and the installed metadata (what
    installers and the bundle read) says the same: reinstall if not."""
    from importlib import metadata

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    project = config["project"]
    assert project["name"] == workbench.APP_ID
    assert "version" in project["dynamic"] and "version" not in project
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "workbench.__version__"}
    assert metadata.version(workbench.APP_ID) == workbench.__version__


def test_desktop_file_agrees_with_package() -> None:
    entry = _desktop_entry()
    assert entry["Name"] == workbench.APP_NAME
    assert entry["Exec"].split()[0] == workbench.APP_ID
    assert entry["TryExec"] == workbench.APP_ID
    assert entry["Icon"] == workbench.APP_ID
    assert entry["StartupWMClass"] == workbench.APP_ID
    assert MIME_TYPE in entry["MimeType"].split(";")
    # Version is the desktop entry spec's version; Debian 12's validator rejects 1.5.
    assert entry["Version"] == "1.4"


def test_metainfo_agrees_with_package() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == workbench.APP_REVERSE_DNS
    assert root.findtext("name") == workbench.APP_NAME
    assert root.findtext("launchable") == f"{workbench.APP_ID}.desktop"
    assert root.findtext("provides/binary") == workbench.APP_ID
    assert root.findtext("provides/mediatype") == MIME_TYPE
    assert root.find("content_rating") is not None
    newest = root.find("releases/release")
    assert newest is not None, "the metainfo needs a <release> for the current version"
    assert newest.get("version") == workbench.__version__, "add a <release> for the new version first"


def test_inno_setup_script_agrees_with_package() -> None:
    text = ISS.read_text("utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', text, flags=re.M))
    assert defines["AppName"] == workbench.APP_NAME
    assert defines["AppIdName"] == workbench.APP_ID
    assert defines["AppExe"] == f"{workbench.APP_ID}.exe"
    assert defines["MimeType"] == MIME_TYPE
    assert "#ifndef AppVersion" in text and "#error" in text, "the version must be passed in, not written here"
    assert workbench.__version__ not in text
    assert 'Subkey: "Software\\Classes\\.workbench' in text


def test_spec_reads_identity_from_the_package() -> None:
    text = SPEC.read_text("utf-8")
    assert "metadata.version(" in text
    assert "workbench.APP_ID" in text and "workbench.APP_REVERSE_DNS" in text
    assert workbench.__version__ not in text
    assert "collect_data_files(\"reportlab\")" in text
    assert "CFBundleDocumentTypes" in text and "UTExportedTypeDeclarations" in text


# --- .desktop ---------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_file_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


# --- shared-mime-info -------------------------------------------------------------------------


def test_mime_xml_declares_the_type() -> None:
    element = _mime_type_element()
    assert element.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in element.findall(f"{NS}glob")] == ["*.workbench"]
    assert element.find(f"{NS}comment") is not None
    icon = element.find(f"{NS}icon")
    assert icon is not None and icon.get("name") == MIME_ICON


def test_mime_magic_is_sqlite_header_and_our_application_id() -> None:
    (magic,) = _mime_type_element().findall(f"{NS}magic")
    (outer,) = magic.findall(f"{NS}match")
    assert unescape(outer.get("value", "")) == b"SQLite format 3\x00"
    (inner,) = outer.findall(f"{NS}match")
    assert (inner.get("type"), inner.get("offset"), int(inner.get("value", ""), 0)) == (
        "big32", "68", APPLICATION_ID)
    assert int(magic.get("priority", "50")) > 50, "must outrank shared-mime-info's own SQLite rule"


def test_mime_magic_matches_a_real_workbench_file(tmp_path: Path) -> None:
    path = tmp_path / "real.workbench"
    create_sample(path)
    assert magic_matches(_mime_type_element(), path.read_bytes()[:4096])


def test_mime_magic_rejects_other_files(tmp_path: Path) -> None:
    element = _mime_type_element()
    plain = tmp_path / "plain.sqlite"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE t (x)")
    other_app = tmp_path / "other.sqlite"
    with sqlite3.connect(other_app) as conn:
        conn.execute("PRAGMA application_id = 0x46534C31")
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    fake = bytearray(b"Not SQLite at all, but PWKB at 68".ljust(100, b" "))
    fake[68:72] = struct.pack(">I", APPLICATION_ID)
    assert not magic_matches(element, plain.read_bytes())
    assert not magic_matches(element, other_app.read_bytes())
    assert not magic_matches(element, bytes(fake))
    assert not magic_matches(element, b"")


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="shared-mime-info is not installed")
def test_mime_xml_compiles(tmp_path: Path) -> None:
    """update-mime-database accepts the file (it rejects invalid XML and unknown elements)."""
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(MIME_XML, packages / "persona-workbench.xml")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}  # else it warns the folder is not searched
    result = subprocess.run(["update-mime-database", str(tmp_path / "mime")], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert MIME_TYPE in (tmp_path / "mime" / "types").read_text()


# --- AppStream --------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli is not installed (apt-get install appstream)")
def test_metainfo_validates() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", "--no-color", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # Zero errors and zero warnings; info/pedantic notes are allowed.
    assert not re.search(r"^[EW]: ", result.stdout, flags=re.M), result.stdout


# --- icons ------------------------------------------------------------------------------------


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(("kind", "name", "design"), [
    ("apps", workbench.APP_ID, "persona-workbench.svg"),
    ("mimetypes", MIME_ICON, "workbench-document.svg"),
])
def test_hicolor_icons_are_rendered_from_the_designs(kind: str, name: str, design: str) -> None:
    hicolor = PACKAGING / "icons" / "hicolor"
    scalable = hicolor / "scalable" / kind / f"{name}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "icons" / design).read_bytes(), (
        "stale icons: run packaging/render_icons.py")
    for size in ICON_SIZES:
        assert _png_size(hicolor / f"{size}x{size}" / kind / f"{name}.png") == (size, size)


def test_windows_and_macos_icons_exist() -> None:
    for stem in ("persona-workbench", "workbench-document"):
        assert (PACKAGING / "icons" / f"{stem}.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
        assert (PACKAGING / "icons" / f"{stem}.icns").read_bytes()[:4] == b"icns"


# --- install / uninstall ----------------------------------------------------------------------


def _fake_bundle(tmp_path: Path) -> Path:
    """A stand-in for a PyInstaller bundle: an executable that prints the version, plus share/."""
    bundle = tmp_path / "bundle" / workbench.APP_ID
    bundle.mkdir(parents=True)
    exe = bundle / workbench.APP_ID
    exe.write_text(f"#!/bin/sh\necho '{workbench.APP_ID} {workbench.__version__}'\n")
    exe.chmod(0o755)
    subprocess.run(["bash", str(LINUX / "stage.sh"), str(bundle)], check=True)
    return bundle


@pytest.mark.skipif(sys.platform != "linux", reason="the install scripts are for Linux")
def test_install_and_uninstall_for_the_user(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    home = tmp_path / "home with space"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(["bash", str(bundle / "install.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    local = home / ".local"
    share = local / "share"
    exe = local / "bin" / workbench.APP_ID
    assert exe.is_symlink()
    assert subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip() == (
        f"{workbench.APP_ID} {workbench.__version__}")
    desktop = share / "applications" / f"{workbench.APP_ID}.desktop"
    entry = _desktop_entry(desktop)
    assert entry["Exec"] == f'"{exe}" %f' and entry["TryExec"] == str(exe)
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
    assert (share / "mime" / "packages" / f"{workbench.APP_ID}.xml").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{workbench.APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "mimetypes" / f"{MIME_ICON}.svg").is_file()

    if shutil.which("update-mime-database"):
        assert MIME_TYPE in (share / "mime" / "types").read_text()
        # xdg-mime needs File::MimeInfo (libfile-mimeinfo-perl) to read the user's MIME database.
        if shutil.which("xdg-mime") and shutil.which("mimetype"):
            real = tmp_path / "Client plan.workbench"
            create_sample(real)
            no_suffix = tmp_path / "renamed"
            shutil.copy(real, no_suffix)
            for path in (real, no_suffix):  # by glob, then by magic alone
                query = subprocess.run(["xdg-mime", "query", "filetype", str(path)], env=env,
                                       capture_output=True, text=True)
                assert query.stdout.strip() == MIME_TYPE, (path, query.stdout, query.stderr)

    installed_uninstaller = local / "lib" / workbench.APP_ID / "uninstall.sh"
    result = subprocess.run(["bash", str(installed_uninstaller)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not exe.exists() and not exe.is_symlink()
    assert not (local / "lib" / workbench.APP_ID).exists()
    leftovers = [p for p in share.rglob("*") if p.is_file() and (
        workbench.APP_ID in p.name or MIME_ICON in p.name or workbench.APP_REVERSE_DNS in p.name)]
    assert leftovers == []


def test_install_refuses_a_missing_bundle(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    result = subprocess.run(["bash", str(LINUX / "install.sh"), str(tmp_path)], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "no bundle" in result.stderr
    assert not (tmp_path / ".local").exists()
