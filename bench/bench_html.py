"""Benchmark the offline HTML playbook (not a test): export time and size for the bench content.

    .venv/bin/python bench/bench_html.py [--personas 100]

Figures: the HTML playbook of N personas (the bench content of ``bench_playbook.py``, with 480×480
JPEG portraits) — wall and CPU seconds (target ≤ 2 s), the file's size and the share of it that is
portraits; next to it, the PDF playbook of the same content as the baseline a rep has today.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_playbook import make_workbench  # noqa: E402

from workbench.session import Workbench  # noqa: E402


def timed(path: Path, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to export ``path`` to ``out`` (the format from the name)."""
    from workbench.publish import PlaybookOptions, export_playbook

    with Workbench.open(path, readonly=True) as wb:
        start, cpu = time.perf_counter(), time.process_time()
        for _ in export_playbook(wb, out, PlaybookOptions()):
            pass
        return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--personas", type=int, default=100)
    args = ap.parse_args()
    os.environ.setdefault("PERSONA_WORKBENCH_DATA", tempfile.mkdtemp(prefix="pwkb-bench-data-"))
    with tempfile.TemporaryDirectory(prefix="pwkb-html-") as d:
        tmp = Path(d)
        path = tmp / "bench.workbench"
        make_workbench(path, args.personas)
        timed(path, tmp / "warm.pdf")  # fonts registered once, as in a running app
        best = min((timed(path, tmp / "bench.html") for _ in range(3)), key=lambda t: t[0])
        page = (tmp / "bench.html").read_text("utf-8")
        images = sum(len(m) for m in re.findall(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", page))
        size = len(page.encode("utf-8"))
        print(f"1. HTML playbook, {args.personas} personas: {best[0]:.2f} s wall, {best[1]:.2f} CPU s, best of 3 "
              f"(target ≤ 2 s); {size / 1e6:.1f} MB, {images / size:.0%} of it portraits")
        wall, cpu = timed(path, tmp / "bench.pdf")
        print(f"   baseline, the PDF playbook of the same content: {wall:.2f} s wall, {cpu:.2f} CPU s")


if __name__ == "__main__":
    main()
