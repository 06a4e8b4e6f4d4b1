"""Hostile portraits and logos: the format is decided from the bytes (PNG and JPEG only — an SVG named
.png is refused), the pixel count is read from the header before anything is decoded, truncated and
header-only files are refused, and image files are read without blocking on a FIFO or a device."""

from __future__ import annotations

import base64
import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.conftest import make_png
from workbench.domain import errors, images
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange.interchange import FORMAT, ImportDocument
from workbench.session import Workbench

ROOT = Path(__file__).resolve().parents[2]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int, height: int) -> bytes:
    """A small file that claims a huge picture: one compressed row of zeros repeated."""
    raw = zlib.compress(b"\0" * (width * 3 + 1) * 64, 9)
    return (images.PNG_MAGIC + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", raw) + png_chunk(b"IEND", b""))


def jpeg(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 30)).save(buf, "JPEG")
    return buf.getvalue()


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
       b'xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">'
       b'<image xlink:href="/etc/hostname" width="64" height="64"/></svg>')


def hostile() -> dict[str, bytes]:
    good = make_png(6, 5)
    iend = good.rindex(b"IEND") - 4
    return {
        "svg-named-png": SVG,
        "header-only-png": good[:33],
        "png-cut-in-idat": good[:iend - 6],
        "png-without-iend": good[:iend],
        "png-bad-crc": good[:29] + bytes([good[29] ^ 0xFF]) + good[30:],
        "png-no-idat": images.PNG_MAGIC + good[8:33] + png_chunk(b"IEND", b""),
        "png-bomb-8000": bomb_png(8000, 8000),
        "png-bomb-wide": bomb_png(60_000, 400),
        "png-zero-size": bomb_png(0, 10),
        "jpeg-truncated": jpeg()[:-40],
        "jpeg-header-only": jpeg()[:200],
        "gif": b"GIF89a" + b"\0" * 100,
        "empty": b"",
    }


@pytest.mark.parametrize("name", sorted(hostile()))
def test_hostile_images_are_refused(name: str) -> None:
    with pytest.raises(errors.ValidationError) as info:
        images.validate(hostile()[name])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["svg-named-png", "png-bomb-8000", "png-cut-in-idat", "header-only-png"])
def test_hostile_images_are_refused_at_import_and_as_portraits(name: str, wb_path: Path, ctx: Context) -> None:
    data = hostile()[name]
    encoded = base64.b64encode(data).decode("ascii")
    with Workbench.open(wb_path, ctx) as wb:
        with pytest.raises(errors.InterchangeError, match=r"personas\[0\]\.portrait"):
            wb.execute(ImportDocument({"format": FORMAT, "version": 1,
                                       "personas": [{"name": "P", "portrait": encoded}]}))
        hank = wb.execute(C.CreatePersona({"name": "Hank"})).extra["id"]
        with pytest.raises(errors.ValidationError):
            wb.execute(C.SetPortrait(hank, data))
        with pytest.raises(errors.ValidationError):
            wb.execute(C.SetLogo(data))


def test_the_pixel_limit_is_read_from_the_header() -> None:
    assert images.MAX_PIXELS <= 4096 * 4096
    side = int(images.MAX_PIXELS ** 0.5)
    assert images.validate(bomb_png(side, side)) == (side, side)
    with pytest.raises(errors.ValidationError, match="pixels"):
        images.validate(bomb_png(side + 1, side + 1))


def test_good_images_are_accepted() -> None:
    assert images.validate(make_png(4, 3)) == (4, 3)
    assert images.validate(jpeg(40, 30)) == (40, 30)
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (50, 20)).save(buf, "JPEG", progressive=True)
    assert images.validate(buf.getvalue()) == (50, 20)
    buf = io.BytesIO()
    Image.new("RGBA", (7, 9)).save(buf, "PNG")
    assert images.validate(buf.getvalue()) == (7, 9)


READ = ("import sys, time\n"
        "from pathlib import Path\n"
        "from workbench.domain import errors\n"
        "from workbench.store.sqlite import storage\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    data = storage.read_regular(Path(sys.argv[1]), 60 * 1024 * 1024)\n"
        "    print('read', len(data))\n"
        "except errors.WorkbenchError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
        "print(round(time.monotonic() - start))\n")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder"])
def test_image_files_that_are_not_files_are_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "portrait.png"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    out = subprocess.run([sys.executable, "-c", READ, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stderr
    outcome, seconds = out.stdout.splitlines()
    assert outcome.startswith("NotAFile") and int(seconds) < 5, outcome


def test_reading_stops_after_the_limit(tmp_path: Path) -> None:
    from workbench.store.sqlite import storage

    path = tmp_path / "big.png"
    with open(path, "wb") as fh:
        fh.truncate(3 * 1024**3)  # 3 GB, sparse
    data = storage.read_regular(path, 1000)
    assert len(data) == 1001  # limit + 1: the caller knows it is too big without reading it all
