"""Benchmark the PDF playbook (not a test): prints figures for the issue's performance targets.

    .venv/bin/python bench/bench_playbook.py [--personas 100] [--memory-personas 1000] [--skip-weasyprint]

Figures:
1. a 100-persona playbook (≈ 4–5 pages per persona, with portraits): seconds (wall and CPU) and pages
   per second;
2. a one-persona playbook end to end through the command line (``main.py export``), wall time;
3. peak memory (max RSS of a child process) exporting 1,000 personas;
4. WeasyPrint on equivalent HTML for the same 100 personas, in the same run, pages per CPU-second
   (in this process if WeasyPrint imports here, else with ``--weasyprint-python``, default
   ``/tmp/wpvenv/bin/python``; skipped with a message if neither has it). CPU seconds, not wall time,
   make the comparison fair on a machine other work shares;
5. pocket playbooks (issue 16): one sample persona with no budget (9 pages before issue 16: cover,
   contents, narrative, five persona pages with a near-empty objection page, lingo) and with
   ``pages=4``; and print preview — a 30-page playbook exported and its first page rendered (target ≤ 1 s).

The synthetic workbench is the sample's personas, messages and objections repeated under new names,
each with a 480×480 JPEG portrait, imported in one command.
"""

from __future__ import annotations

import argparse
import copy
import html
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench import resources  # noqa: E402
from workbench.session import Workbench  # noqa: E402


def portrait(seed: int) -> bytes:
    """A 480×480 JPEG with some structure (so it compresses like a photo, not like a flat colour)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    im = Image.new("RGB", (480, 480), (rnd.randrange(80, 200), rnd.randrange(80, 200), rnd.randrange(80, 200)))
    d = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = rnd.randrange(480), rnd.randrange(480)
        r = rnd.randrange(10, 90)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def synthetic_document(n: int) -> dict:
    """The sample document with ``n`` personas (sample personas cycled, renamed, with portraits)."""
    import base64

    sample = json.loads(resources.path("sample", "sample.json").read_text("utf-8"))
    base_personas = sample["personas"]
    out = copy.deepcopy(sample)
    out["personas"], out["messages"], out["objections"] = [], [], []
    out["terms"] = [t for t in sample["terms"] if "persona" not in t]
    pics = [base64.b64encode(portrait(k)).decode() for k in range(8)]
    for i in range(n):
        src = base_personas[i % len(base_personas)]
        pid = str(uuid.UUID(int=i + 1))
        p = copy.deepcopy(src)
        p["id"] = pid
        p["name"] = f"{src['name']} {i + 1:04d}"
        p["status"] = "approved"
        p["portrait"] = pics[i % len(pics)]
        out["personas"].append(p)
        for m in sample["messages"]:
            if m["persona"] == src["id"]:
                mm = copy.deepcopy(m)
                mm["id"] = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{pid}/{m['id']}"))
                mm["persona"] = pid
                out["messages"].append(mm)
        for o in sample["objections"]:
            if o["persona"] == src["id"]:
                oo = copy.deepcopy(o)
                oo["id"] = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{pid}/{o['id']}"))
                oo["persona"] = pid
                out["objections"].append(oo)
    return out


def make_workbench(path: Path, n: int) -> None:
    """Create ``path`` holding ``n`` synthetic personas."""
    from workbench.exchange import interchange

    data_dir = path.parent / "data"
    Workbench.create(path)
    wb = Workbench.open(path, data_dir=data_dir)
    try:
        wb.execute(interchange.ImportDocument(synthetic_document(n)))
    finally:
        wb.close()


def export(path: Path, out: Path) -> tuple[float, int, float]:
    """Export every persona; (wall seconds, pages, CPU seconds)."""
    from pypdf import PdfReader

    from workbench.publish import PlaybookOptions, export_playbook

    wb = Workbench.open(path, readonly=True)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        for _ in export_playbook(wb, out, PlaybookOptions()):
            pass
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        wb.close()
    return elapsed, len(PdfReader(out).pages), cpu


# --- WeasyPrint on equivalent HTML -----------------------------------------------------------------

CSS = """
@page { size: A4; margin: 25mm 19mm 21mm 19mm;
  @top-left { content: string(persona); font: bold 7.5pt 'DejaVu Sans'; color: #475262 }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 7pt 'DejaVu Sans'; color: #7d8797 } }
body { font: 9.5pt/14.2pt 'DejaVu Sans'; color: #1b2330 }
h1 { font: bold 24pt 'DejaVu Serif'; string-set: persona content(); page-break-before: always; margin: 0 0 4pt }
h2 { font: bold 14pt 'DejaVu Sans'; color: #1f6f6b; margin: 16pt 0 6pt; page-break-after: avoid }
.card { background: #f5f2ec; padding: 10pt; border-left: 3pt solid #1f6f6b; margin-bottom: 10pt }
.script { font: 13.5pt/23pt 'DejaVu Serif' }
table { border-collapse: collapse; width: 100% } th { background: #1f6f6b; color: white; font-size: 7.5pt }
td, th { padding: 6pt 7pt; border-bottom: 0.5pt solid #d8dce2; vertical-align: top; font-size: 8.8pt }
img { width: 34mm; height: 34mm; object-fit: cover; border-radius: 6pt; float: left; margin-right: 14pt }
"""


def equivalent_html(path: Path, tmp: Path) -> str:
    """The same personas, messages and objections as HTML (markdown converted with python-markdown)."""
    import markdown

    wb = Workbench.open(path, readonly=True)
    parts = [f"<html><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    try:
        info = wb.info()
        parts.append(f"<h1>{html.escape(info.name)}</h1>{markdown.markdown(info.narrative)}")
        for p in wb.personas():
            pic = wb.portrait(p.id)
            img = ""
            if pic:
                f = tmp / f"{p.id}.jpg"
                f.write_bytes(pic)
                img = f"<img src='{f.as_uri()}'>"
            parts.append(f"<h1>{html.escape(p.name)}</h1>{img}<p>{html.escape(p.role)} · "
                         f"{html.escape(p.organization)}</p><div class='card'><table>"
                         f"<tr><td>Location</td><td>{html.escape(p.location)}</td></tr>"
                         f"<tr><td>Channels</td><td>{html.escape(', '.join(p.preferred_channels))}</td></tr>"
                         f"<tr><td>Gatekeepers</td><td><ul>{''.join(f'<li>{html.escape(g)}</li>' for g in p.gatekeepers)}</ul></td></tr>"
                         "</table></div>")
            parts.append(f"<h2>Their story</h2>{markdown.markdown(p.story)}")
            for title, items in (("Motivations", p.motivations), ("Worries", p.worries), ("Do", p.do),
                                 ("Don't", p.dont)):
                parts.append(f"<h2>{title}</h2><ul>{''.join(f'<li>{html.escape(x)}</li>' for x in items)}</ul>")
            parts.append(f"<h2>Lead qualification</h2><p>{html.escape(p.mql)}</p><p>{html.escape(p.sql)}</p>")
            parts.append("<h2>Messaging</h2>")
            for m in wb.messages(persona_id=p.id):
                if m.in_force is None:
                    continue
                cls = "card script" if m.channel_name == "Sales script" else "card"
                parts.append(f"<div class='{cls}'><b>{html.escape(m.channel_name)}</b>"
                             f"<h3>{html.escape(m.in_force.headline)}</h3>{markdown.markdown(m.in_force.body)}"
                             f"<p>→ {html.escape(m.in_force.call_to_action)}</p></div>")
            parts.append("<h2>Objection handling</h2><table><thead><tr><th>They say</th><th>We answer</th>"
                         "</tr></thead>")
            for o in wb.objections(persona_id=p.id):
                parts.append(f"<tr><td>{html.escape(o.objection)}</td><td>{html.escape(o.response)}</td></tr>")
            parts.append("</table>")
    finally:
        wb.close()
    parts.append("</body></html>")
    return "".join(parts)


WEASY_CHILD = """
import json, sys, time, weasyprint
source = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
doc = weasyprint.HTML(string=source, base_url=sys.argv[2]).render()
doc.write_pdf(sys.argv[3])
print(json.dumps({"pages": len(doc.pages), "cpu": time.process_time() - start, "version": weasyprint.__version__}))
"""


def weasyprint_figure(path: Path, tmp: Path, python: str = "/tmp/wpvenv/bin/python") -> str:
    """Render the equivalent HTML with WeasyPrint; a line of figures, or why it was skipped."""
    try:
        import weasyprint
    except Exception as exc:  # not installed here, or its system libraries (pango) are missing
        if not Path(python).exists():
            return f"WeasyPrint: not available in this environment ({type(exc).__name__}: {exc}); skipped."
        source = tmp / "equivalent.html"
        source.write_text(equivalent_html(path, tmp), "utf-8")
        res = subprocess.run([python, "-c", WEASY_CHILD, str(source), str(tmp), str(tmp / "weasy.pdf")],
                             capture_output=True, text=True, check=True)
        w = json.loads(res.stdout.strip().splitlines()[-1])
        return (f"WeasyPrint {w['version']} ({python}): {w['pages']} pages in {w['cpu']:.2f} CPU s = "
                f"{w['pages'] / w['cpu']:.1f} pages/s")
    source = equivalent_html(path, tmp)
    start = time.process_time()
    doc = weasyprint.HTML(string=source, base_url=str(tmp)).render()
    doc.write_pdf(tmp / "weasy.pdf")
    elapsed = time.process_time() - start
    pages = len(doc.pages)
    return (f"WeasyPrint {weasyprint.__version__}: {pages} pages in {elapsed:.2f} CPU s = "
            f"{pages / elapsed:.1f} pages/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--personas", type=int, default=100)
    ap.add_argument("--memory-personas", type=int, default=1000)
    ap.add_argument("--skip-weasyprint", action="store_true")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--weasyprint-python", default="/tmp/wpvenv/bin/python")
    ap.add_argument("--child-export", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_export:  # memory measurement runs in a fresh process
        seconds, pages, _ = export(Path(args.child_export[0]), Path(args.child_export[1]))
        print(json.dumps({"seconds": seconds, "pages": pages}))
        return
    os.environ.setdefault("PERSONA_WORKBENCH_DATA", tempfile.mkdtemp(prefix="pwkb-bench-data-"))
    with tempfile.TemporaryDirectory(prefix="pwkb-bench-") as d:
        tmp = Path(d)
        wb_path = tmp / "bench.workbench"
        make_workbench(wb_path, args.personas)

        export(wb_path, tmp / "warm.pdf")  # warm the font caches once, like a running app would
        seconds, pages, cpu = export(wb_path, tmp / "bench.pdf")
        ppp = pages / args.personas
        print(f"1. {args.personas}-persona playbook: {pages} pages ({ppp:.1f}/persona) in {seconds:.2f} s "
              f"= {pages / seconds:.1f} pages/s (target ≤ 6 s); {cpu:.2f} CPU s = {pages / cpu:.1f} pages/CPU s")

        from reportlab.lib import rl_accel

        accel = "C accelerators (rl-accel)" if not rl_accel.fp_str.__module__.startswith("reportlab") else \
            "pure-Python reportlab (install rl-accel for ~1.5× speed)"
        print(f"   reportlab {__import__('reportlab').Version}, {accel}")
        if args.skip_cli:
            print("2. command-line figure skipped (--skip-cli).")
        else:
            one = tmp / "one.workbench"
            make_workbench(one, 1)
            name = json.loads(json.dumps(synthetic_document(1)["personas"][0]["name"]))
            cmd = [sys.executable, str(ROOT / "main.py"), "export", str(one), "-o", str(tmp / "one.pdf"),
                   "--persona", name]
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                best = min(best, time.perf_counter() - start)
            print(f"2. one-persona playbook through the command line: {best:.2f} s wall, best of 3 "
                  f"(target ≤ 1 s)\n   command: python main.py export ONE.workbench -o one.pdf --persona NAME")

        if args.memory_personas:
            big = tmp / "big.workbench"
            make_workbench(big, args.memory_personas)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            res = subprocess.run([sys.executable, __file__, "--child-export", str(big), str(tmp / "big.pdf")],
                                 check=True, capture_output=True, text=True)
            peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            info = json.loads(res.stdout.strip().splitlines()[-1])
            note = "" if peak_kb > before else " (upper bound: an earlier child peaked higher)"
            print(f"3. {args.memory_personas} personas: {info['pages']} pages in {info['seconds']:.1f} s, "
                  f"peak memory {peak_kb / 1024:.0f} MB{note} (target ≤ 500 MB)")

        if args.skip_weasyprint:
            print("4. WeasyPrint comparison skipped (--skip-weasyprint).")
        else:
            line = weasyprint_figure(wb_path, tmp, args.weasyprint_python)
            print(f"4. {line}")
            if "pages/s" in line:
                wp = float(line.rsplit("=", 1)[1].split()[0])
                print(f"   reportlab playbook / WeasyPrint = {pages / cpu / wp:.1f}× pages per CPU second "
                      "(target ≥ 4×)")
        pocket_figures(tmp)


def pocket_figures(tmp: Path) -> None:
    """Issue 16: a one-persona playbook with and without a page budget, and the print preview's first page."""
    from workbench.exchange.sample import create_sample
    from workbench.publish import PlaybookOptions, export_playbook, preview

    sample = tmp / "sample.workbench"
    create_sample(sample)
    with Workbench.open(sample, readonly=True) as wb:
        harlan = wb.find_persona("Harlan Voss")
        assert harlan is not None
        for label, opts in (("no budget", PlaybookOptions(persona_ids=[harlan.id])),
                            ("pages=4", PlaybookOptions(persona_ids=[harlan.id], pages=4))):
            run = export_playbook(wb, tmp / "pocket.pdf", opts)
            for _ in run:
                pass
            assert run.summary is not None
            before = " (9 pages before issue 16)" if label == "no budget" else ""
            print(f"5. one-persona playbook, {label}: {run.summary.headline}{before}")
    big = tmp / "thirty.workbench"
    make_workbench(big, 7)
    with Workbench.open(big, readonly=True) as wb:
        start = time.perf_counter()
        for _ in export_playbook(wb, tmp / "thirty.pdf", PlaybookOptions()):
            pass
        preview.render_page(tmp / "thirty.pdf", 0, width=900)
        elapsed = time.perf_counter() - start
    print(f"   print preview: {preview.page_count(tmp / 'thirty.pdf')}-page playbook exported and its first page "
          f"rendered in {elapsed:.2f} s (target ≤ 1 s)")


if __name__ == "__main__":
    main()
