"""Benchmark the one-page persona sheet (not a test): ours against WeasyPrint on the same content.

    .venv/bin/python bench/bench_sheet.py [--personas 100] [--weasyprint-python /tmp/wpvenv/bin/python]

Figures, each next to its baseline from the same run:
1. one-page sheets for N personas (the bench content of ``bench_playbook.py``: the sample's personas
   cycled, with 480×480 JPEG portraits): pages, CPU seconds, pages per CPU-second;
2. WeasyPrint rendering equivalent HTML — one page per persona with the same fields (portrait, at a
   glance, the story's first lines, motivations and worries, do and don't, how to sound, MQL/SQL, three
   objections, a headline per channel), forced onto one page each — pages per CPU-second, in its own
   process (WeasyPrint lives in a throwaway virtualenv, not in the app's). Target: ours ≥ 4×.

CPU seconds, not wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_playbook import make_workbench  # noqa: E402

from workbench.session import Workbench  # noqa: E402

CSS = """
@page { size: A4; margin: 13mm 15mm 17mm 15mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 7pt 'DejaVu Sans'; color: #7d8797 } }
body { font: 8.6pt/11.8pt 'DejaVu Sans'; color: #1b2330; margin: 0 }
.sheet { page-break-after: always; height: 265mm; overflow: hidden }
header { display: flex; gap: 12pt } header img { width: 30mm; height: 30mm; object-fit: cover; border-radius: 5pt }
h1 { font: bold 19pt/22.5pt 'DejaVu Serif'; margin: 0 } .sub { font-size: 9.5pt; color: #475262 }
.glance { background: #f5f2ec; border-radius: 5pt; padding: 6pt; font-size: 8pt; flex: 1 }
h2 { font: bold 7pt 'DejaVu Sans'; color: #b8572a; margin: 8pt 0 2pt; text-transform: uppercase }
.cols { display: flex; gap: 16pt } .cols > div { flex: 1 } ul { margin: 0; padding-left: 12pt }
.story, li { overflow: hidden; text-overflow: ellipsis } .story { max-height: 95pt }
.quote { font: 9pt/12.4pt 'DejaVu Serif'; color: #475262 }
table { border-collapse: collapse; width: 100% } td { vertical-align: top; padding: 2pt 4pt; border-bottom: 0.5pt solid #d8dce2 }
"""


def sheet_html(path: Path, tmp: Path) -> str:
    """The same sheets as HTML: every field a sheet shows, each persona forced onto its page."""
    from workbench.publish import PlaybookOptions
    from workbench.publish.contents import build
    from workbench.publish.sheet import sheet_persona

    parts = [f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    e = html.escape
    with Workbench.open(path, readonly=True) as wb:
        book = build(wb, PlaybookOptions())
        for section in book.personas:
            sp = sheet_persona(section, book.channels)
            p = section.persona
            pic = wb.portrait(section.portrait_id) if section.portrait_id else None
            img = ""
            if pic:
                f = tmp / f"{p.id}.jpg"
                f.write_bytes(pic)
                img = f"<img src='{f.as_uri()}'>"
            story = e("".join(r.text for r in sp.story))[:900]

            def items(values: tuple[str, ...]) -> str:
                return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values[:12]) + "</ul>"

            objections = "".join(f"<tr><td><b>“{e(o.objection)}”</b></td><td>{e(o.response)}</td></tr>"
                                 for o in sp.objections)
            headlines = "".join(f"<tr><td>{e(h.channel)}<br>{e(h.stage)}</td><td><b>{e(''.join(r.text for r in h.headline))}"
                                "</b></td></tr>" for h in sp.headlines)
            parts.append(
                f"<div class='sheet'><header>{img}<div><p>{e(section.kicker)}</p><h1>{e(section.title)}</h1>"
                f"<p class='sub'>{e(section.subtitle)}</p><p>{e(p.location)} · {e(p.industry)}</p></div>"
                f"<div class='glance'>Reach through: {e(', '.join(p.preferred_channels))}<br>Avoid: "
                f"{e(', '.join(p.avoid_channels))}<br>Gatekeepers: {e('; '.join(p.gatekeepers))}</div></header>"
                f"<h2>Their story</h2><p class='story'>{story}</p>"
                f"<div class='cols'><div><h2>Motivations</h2>{items(p.motivations)}</div>"
                f"<div><h2>Worries</h2>{items(p.worries)}</div></div>"
                f"<div class='cols'><div><h2>Do</h2>{items(p.do)}</div><div><h2>Don’t</h2>{items(p.dont)}</div></div>"
                f"<div class='cols'><div><h2>How to sound</h2><p class='quote'>{e(p.voice)}</p></div>"
                f"<div><h2>Lead qualification</h2><p>MQL {e(p.mql)}</p><p>SQL {e(p.sql)}</p></div></div>"
                f"<h2>Top objections</h2><table>{objections}</table>"
                f"<h2>Headline per channel</h2><table>{headlines}</table></div>")
    parts.append("</body></html>")
    return "".join(parts)


WEASY = """
import json, sys, time, weasyprint
source = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
doc = weasyprint.HTML(string=source, base_url=sys.argv[2]).render()
doc.write_pdf(sys.argv[3])
print(json.dumps({"pages": len(doc.pages), "cpu": time.process_time() - start, "version": weasyprint.__version__}))
"""


def ours(path: Path, out: Path) -> tuple[int, float, float, int]:
    """(pages, CPU seconds, wall seconds, sheets shortened)."""
    from workbench.publish import PlaybookOptions, export_playbook

    with Workbench.open(path, readonly=True) as wb:
        for _ in export_playbook(wb, out.with_name("warm.pdf"), PlaybookOptions(sheet=True, persona_ids=[
                wb.personas()[0].id])):
            pass  # fonts registered once, as in a running app
        start, cpu = time.perf_counter(), time.process_time()
        run = export_playbook(wb, out, PlaybookOptions(sheet=True))
        for _ in run:
            pass
        cpu, wall = time.process_time() - cpu, time.perf_counter() - start
    assert run.summary is not None
    return run.summary.pages, cpu, wall, len(run.summary.shortened)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--personas", type=int, default=100)
    ap.add_argument("--weasyprint-python", default="/tmp/wpvenv/bin/python",
                    help="a Python with WeasyPrint installed (default: /tmp/wpvenv/bin/python)")
    args = ap.parse_args()
    os.environ.setdefault("PERSONA_WORKBENCH_DATA", tempfile.mkdtemp(prefix="pwkb-bench-data-"))
    with tempfile.TemporaryDirectory(prefix="pwkb-sheet-") as d:
        tmp = Path(d)
        path = tmp / "bench.workbench"
        make_workbench(path, args.personas)
        pages, cpu, wall, cut = ours(path, tmp / "sheets.pdf")
        rate = pages / cpu
        print(f"1. one-page sheets, {args.personas} personas: {pages} pages in {cpu:.2f} CPU s ({wall:.2f} s wall) "
              f"= {rate:.1f} pages/CPU s; {cut} sheets shortened to fit")
        python = Path(args.weasyprint_python)
        if not python.exists():
            print(f"2. WeasyPrint: no Python with WeasyPrint at {python} (python -m venv /tmp/wpvenv && "
                  "/tmp/wpvenv/bin/pip install weasyprint); skipped.")
            return
        source = tmp / "sheets.html"
        source.write_text(sheet_html(path, tmp), "utf-8")
        res = subprocess.run([str(python), "-c", WEASY, str(source), str(tmp), str(tmp / "weasy.pdf")],
                             capture_output=True, text=True, check=True)
        w = json.loads(res.stdout.strip().splitlines()[-1])
        w_rate = w["pages"] / w["cpu"]
        print(f"2. WeasyPrint {w['version']}, the same sheets as HTML: {w['pages']} pages in {w['cpu']:.2f} CPU s "
              f"= {w_rate:.1f} pages/CPU s")
        print(f"   sheets / WeasyPrint = {rate / w_rate:.1f}× pages per CPU second (target ≥ 4×)")


if __name__ == "__main__":
    main()
