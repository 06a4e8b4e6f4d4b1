"""The HTML playbook in a real browser: headless Chromium (Debian's ``chromium``) opens the exported file
at phone and desktop sizes. These tests fail, not skip, when Chromium is missing: the development
setup installs it (``packaging/dev.sh``), and a page never opened in a browser is not tested."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.workbench.publish.html.conftest import Page

#: Measured inside the page (a test copy with this script added): no sideways scrolling, every image
#: decoded, one h1, and how many columns the layout uses. Headless Chromium lays a page out at the
#: window's width only for screenshots, after a first layout at its 500-pixel minimum (``--dump-dom`` never
#: goes below it), so the probe runs again on every resize and shows its answers as coloured squares in
#: the top-left corner: green for yes, red for no, blue for "two columns".
PROBE = """<script>
function probe() {
  var old = document.getElementById("probe"); if (old) { old.remove(); }
  var imgs = Array.prototype.slice.call(document.images);
  var wide = Array.prototype.slice.call(document.querySelectorAll("body *")).filter(function (e) {
    var r = e.getBoundingClientRect();
    return r.width > 0 && r.right > document.documentElement.clientWidth + 1 && !e.closest(".table-scroll")
      && !e.closest(".skip") && e.id !== "probe" && !e.closest("#probe");
  });
  var cols = document.querySelector(".cols");
  var twoColumns = cols && getComputedStyle(cols).gridTemplateColumns.split(" ").length === 2;
  var answers = [document.documentElement.scrollWidth <= document.documentElement.clientWidth, wide.length === 0,
                 imgs.every(function (i) { return i.complete && i.naturalWidth > 0; }),
                 document.querySelectorAll("h1").length === 1, twoColumns ? "#0000ff" : "#00ff00"];
  var bar = document.createElement("div");
  bar.id = "probe";
  bar.style.cssText = "position:fixed;top:0;left:0;z-index:2147483647;display:flex";
  answers.forEach(function (a) {
    var cell = document.createElement("div");
    cell.style.cssText = "width:20px;height:20px;background:" + (a === true ? "#00ff00" : a === false ? "#ff0000" : a);
    bar.appendChild(cell);
  });
  document.body.appendChild(bar);
}
window.addEventListener("load", probe);
window.addEventListener("resize", probe);
</script>"""
GREEN, RED, BLUE = (0, 255, 0), (255, 0, 0), (0, 0, 255)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("Chromium is not installed (Debian: apt-get install chromium); the HTML playbook must be "
                "checked in a real browser.")


def run_chromium(tmp: Path, size: str, *args: str) -> str:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--disable-background-networking", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp / 'profile'}", f"--window-size={size}", "--virtual-time-budget=5000", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    return out.stdout


def probe(page: Page, tmp: Path, size: str) -> list[tuple[int, ...]]:
    """The probe's answers (colours) for ``page`` at ``size``."""
    html = page.path.read_text("utf-8")
    # The page forbids scripts itself (Content-Security-Policy); the test copy lifts that for the probe.
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace("</body>", PROBE + "</body>")
    copy = tmp / f"probe-{size.replace(',', 'x')}.html"
    copy.write_text(html, "utf-8")
    shot = tmp / "probe.png"
    run_chromium(tmp, size, f"--screenshot={shot}", copy.as_uri())
    png = shot.read_bytes()
    return [png_size_and_pixel(png, 10 + 20 * k, 10)[2] for k in range(5)]


@pytest.mark.parametrize("size", ["360,740", "390,844", "1280,800"])
def test_fits_every_screen_without_sideways_scrolling(sample_html: Page, tmp_path: Path, size: str) -> None:
    no_scroll, nothing_wide, images, one_h1, columns = probe(sample_html, tmp_path, size)
    assert no_scroll == GREEN and nothing_wide == GREEN, "the page scrolls sideways"
    assert images == GREEN and one_h1 == GREEN
    # Motivations beside worries only when there is room for two columns.
    assert columns == (GREEN if int(size.split(",")[0]) < 640 else BLUE)


def test_hostile_page_loads_and_stays_inert(hostile_html: Page, tmp_path: Path) -> None:
    dom = run_chromium(tmp_path, "390,844", "--dump-dom", hostile_html.path.as_uri())
    assert "<h1" in dom and dom.count("<script") == 0 and "Persona playbook" in dom
    no_scroll, nothing_wide, *_ = probe(hostile_html, tmp_path, "390,844")
    assert no_scroll == GREEN and nothing_wide == GREEN  # a 5,000-letter word and a 5,000-character URL wrap


def png_size_and_pixel(png: bytes, x: int, y: int) -> tuple[int, int, tuple[int, ...]]:
    """Width, height and one pixel's RGB of a PNG (8-bit RGB/RGBA, as Chromium writes), stdlib only."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for r in range(y + 1):
        line = raw[r * (stride + 1):(r + 1) * (stride + 1)]
        f, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            a = cur[i - channels] if i >= channels else 0
            b, c = prev[i], (prev[i - channels] if i >= channels else 0)
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(cur)
        prev = cur
    return width, height, tuple(rows[y][x * channels:x * channels + 3])


@pytest.mark.parametrize("size", ["390,844", "1280,800"])
def test_screenshot_shows_the_cover(sample_html: Page, tmp_path: Path, size: str) -> None:
    shot = tmp_path / "shot.png"
    run_chromium(tmp_path, size, f"--screenshot={shot}", sample_html.path.as_uri())
    width, height, pixel = png_size_and_pixel(shot.read_bytes(), 5, 120)
    assert (width, height) == tuple(int(v) for v in size.split(","))
    assert all(abs(a - b) < 12 for a, b in zip(pixel, (0x14, 0x23, 0x2E), strict=True)), pixel  # the cover band
