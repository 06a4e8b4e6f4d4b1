"""The HTML playbook's one stylesheet: the PDF's palette, set for a phone first, then wider screens,
dark mode and print. Inline in the page (no request); fonts are the reader's own — a stack that names
the Noto and DejaVu families Linux and Android ship, and the system fonts of macOS, iOS and Windows,
so every script finds a face without a font being embedded.
"""

from __future__ import annotations

SANS = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, '
        '"Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans CJK SC", '
        '"Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans SC", "Noto Sans JP", "Noto Sans KR", "NanumGothic", '
        '"Droid Sans Fallback", "PingFang SC", "Hiragino Sans", "Microsoft YaHei", "Malgun Gothic", '
        '"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Symbola", sans-serif')
SERIF = ('Georgia, "Noto Serif", "DejaVu Serif", "Times New Roman", "Noto Naskh Arabic", "Noto Serif Hebrew", '
         '"Noto Serif Devanagari", "Noto Serif Thai", "Noto Serif CJK SC", "Noto Serif CJK JP", serif')
MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Noto Sans Mono", monospace'

CSS = """
:root{--ink:#1b2330;--soft:#475262;--muted:#67717f;--rule:#d8dce2;--paper:#fff;--tint:#f5f2ec;--cool:#eef3f3;
--accent:#1f6f6b;--accent-soft:#d7e8e6;--warm:#b0501f;--do:#2e7a4d;--dont:#b23a2e;--draft:#c0392b;
--cover:#14232e;--cover-text:#f4efe6;--cover-sub:#a9bcc1;--link:#1f5f8b;--code:#f1efe9;
--sans:@SANS;--serif:@SERIF;--mono:@MONO}
@media (prefers-color-scheme:dark){:root{--ink:#e6e9ee;--soft:#c3cad3;--muted:#9aa4b1;--rule:#3a4450;
--paper:#12181f;--tint:#1c232b;--cool:#18242a;--accent:#5cc1b9;--accent-soft:#1f3b3a;--warm:#e39a6f;
--do:#6cc08c;--dont:#ee8a7f;--draft:#ff8a7a;--link:#8cc4f0;--code:#1b2229}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--paper);color:var(--ink);font:16px/1.55 var(--sans);overflow-wrap:break-word}
th,td,dd,li,p,h1,h2,h5{overflow-wrap:anywhere}
a{color:var(--link)}
ul,ol{padding-inline-start:1.4rem}li li,li ul,li ol{padding-inline-start:1rem}
:focus-visible{outline:3px solid var(--warm);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--paper);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.wrap{max-width:58rem;margin:0 auto;padding:0 1rem}
.cover{background:var(--cover);color:var(--cover-text);border-bottom:5px solid #b8572a}
.cover .wrap{padding-top:1.75rem;padding-bottom:1.5rem}
.cover .logo{display:block;background:#fff;border-radius:6px;padding:6px;max-width:12rem;height:auto;margin-bottom:1rem}
.kicker{font:700 .75rem/1.3 var(--sans);letter-spacing:.08em;text-transform:uppercase;color:var(--accent);margin:0 0 .25rem}
.cover .kicker{color:#e3a27e}
h1{font:700 clamp(1.75rem,7vw,2.6rem)/1.15 var(--serif);margin:.2rem 0 .4rem}
.cover .org{color:var(--cover-sub);font-size:1.05rem;margin:0 0 1rem}
.figures{display:flex;flex-wrap:wrap;gap:.5rem 1.75rem;list-style:none;padding:.75rem 0 0;margin:0;border-top:1px solid #3a4b57}
.figures strong{display:block;font:700 1.5rem/1.1 var(--serif)}
.figures span{font-size:.72rem;letter-spacing:.06em;text-transform:uppercase;color:var(--cover-sub)}
.badge{display:inline-block;margin:1.1rem 0 .3rem;padding:.2rem .6rem;border-radius:3px;background:var(--do);color:#fff;font:700 .75rem/1.5 var(--sans);letter-spacing:.05em}
.draft .badge{background:var(--draft)}
.cover .note{color:var(--cover-sub);font-size:.85rem;margin:.3rem 0 0}
nav.toc{background:var(--tint);border-bottom:1px solid var(--rule)}
nav.toc .wrap{padding-top:1rem;padding-bottom:1rem}
nav.toc h2{font:700 .8rem/1.3 var(--sans);letter-spacing:.08em;text-transform:uppercase;color:var(--warm);margin:0 0 .5rem}
nav.toc ol{margin:0;padding:0;list-style:none;columns:16rem 3;column-gap:1.5rem}
nav.toc li{break-inside:avoid;padding:.35rem 0;border-bottom:1px solid var(--rule)}
nav.toc a{display:block;text-decoration:none;font-weight:700;color:var(--ink);min-height:1.5rem}
nav.toc .n{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:.4rem}
nav.toc small{display:block;color:var(--muted);font-weight:400;font-size:.8rem}
main{padding-bottom:2rem}
section.part,article.persona{padding:1.75rem 0 1rem;border-bottom:1px solid var(--rule)}
h2{font:700 clamp(1.5rem,5.5vw,2rem)/1.2 var(--serif);margin:.1rem 0 .3rem}
h3{font:700 1.2rem/1.3 var(--sans);color:var(--accent);margin:1.6rem 0 .5rem}
h4{font:700 .78rem/1.3 var(--sans);letter-spacing:.07em;text-transform:uppercase;color:var(--warm);margin:1.1rem 0 .4rem}
h5{font:700 .72rem/1.3 var(--sans);letter-spacing:.07em;text-transform:uppercase;color:var(--accent);margin:0 0 .35rem}
h6,.md-heading{font-size:1rem;margin:.8rem 0 .3rem}
.persona-head{display:flex;gap:1rem;align-items:center}
.portrait,.initials{flex:none;width:6rem;height:6rem;border-radius:10px;object-fit:cover}
.initials{display:flex;align-items:center;justify-content:center;background:var(--accent-soft);color:var(--accent);font:700 2rem/1 var(--serif)}
.subtitle{color:var(--soft);margin:0;font-size:1.05rem}
.tags{list-style:none;padding:0;margin:.3rem 0 0;display:flex;flex-wrap:wrap;gap:.25rem .6rem;color:var(--accent);font-size:.85rem}
.mark{display:inline-block;color:var(--draft);font:700 .72rem/1.4 var(--sans);letter-spacing:.06em;border:1px solid var(--draft);border-radius:3px;padding:0 .35rem;margin-left:.4rem;vertical-align:middle}
.glance{background:var(--tint);border-radius:8px;padding:.75rem 1rem;margin-top:1rem}
.glance h3{margin:0 0 .4rem;font-size:.78rem;letter-spacing:.07em;text-transform:uppercase;color:var(--warm)}
.glance dl{margin:0;display:grid;grid-template-columns:1fr;gap:.15rem 1rem}
.glance dl>div{display:grid;grid-template-columns:8.5rem 1fr;gap:.5rem;padding:.35rem 0;border-top:1px solid var(--rule)}
.glance dt{font:700 .7rem/1.6 var(--sans);letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.glance dd{margin:0}
.glance ul{margin:0;padding-inline-start:1.1rem}
.dots{color:var(--accent);letter-spacing:.1em}.dots .off{color:var(--rule)}
.voice{border-left:4px solid var(--accent);padding:.4rem 0 .4rem 1rem;margin:1.25rem 0 0;font:1.08rem/1.6 var(--serif);color:var(--soft)}
.voice h3{font:700 .72rem/1.3 var(--sans);letter-spacing:.07em;text-transform:uppercase;color:var(--warm);margin:0 0 .2rem}
.cols{display:grid;grid-template-columns:1fr;gap:0 2rem}
ul.do,ul.dont{list-style:none;padding:0;margin:0}
ul.do li,ul.dont li{position:relative;padding-inline-start:1.5rem;margin:.3rem 0}
ul.do li::before{content:"\\2713";position:absolute;inset-inline-start:0;color:var(--do);font-weight:700}
ul.dont li::before{content:"\\2715";position:absolute;inset-inline-start:0;color:var(--dont);font-weight:700}
.leads>div{background:var(--cool);border-top:3px solid var(--accent);padding:.6rem .9rem;margin:.5rem 0}
.leads h4{margin:0 0 .2rem;color:var(--accent)}
.leads h4 span{color:var(--muted);font-weight:400;text-transform:none;letter-spacing:0}
.message{background:var(--tint);border-left:4px solid var(--accent);border-radius:0 8px 8px 0;padding:.85rem 1rem;margin:.75rem 0}
.message.script{border-left-color:var(--warm)}
.message.script .body{font:1.15rem/1.75 var(--serif)}
.message.script h5{color:var(--warm)}
.message.draft{border-left-color:var(--draft)}
.headline{font-weight:700;font-size:1.1rem;line-height:1.35;margin:.1rem 0 .5rem}
.message.script .headline{font:700 1.25rem/1.35 var(--serif)}
.cta{font-weight:700;color:var(--accent);margin:.6rem 0 0}
.message.script .cta{color:var(--warm)}
.approval{font-size:.78rem;color:var(--muted);margin:.4rem 0 0}
.empty{color:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .55rem;border-bottom:1px solid var(--rule)}
th.center,td.center{text-align:center}th.right,td.right{text-align:right}
thead th{background:var(--accent);color:#fff;font:700 .72rem/1.4 var(--sans);letter-spacing:.06em;text-transform:uppercase}
.table-scroll{overflow-x:auto;margin:.6rem 0;-webkit-overflow-scrolling:touch}
.table-scroll table{width:auto;min-width:100%}
.table-scroll thead th{background:var(--accent-soft);color:var(--ink);text-transform:none;letter-spacing:0;font-size:.85rem}
.table-scroll th,.table-scroll td{border:1px solid var(--rule);white-space:normal;min-width:5rem;overflow-wrap:break-word}
td .heard{display:block;font-size:.78rem;color:var(--muted)}
td>:first-child{margin-top:0}td>:last-child{margin-bottom:0}
.say s{color:var(--dont)}
pre{background:var(--code);padding:.6rem .8rem;border-radius:6px;overflow-x:auto;white-space:pre-wrap;font:.85rem/1.5 var(--mono);tab-size:4}
code{font-family:var(--mono);font-size:.9em}
blockquote{margin:.6rem 0;padding-inline-start:.9rem;border-inline-start:3px solid var(--accent-soft);color:var(--soft);font-family:var(--serif)}
.img-alt{font-style:italic;color:var(--muted)}
.top{font-size:.85rem;margin:1.25rem 0 0}
footer.page{color:var(--muted);font-size:.8rem;padding:1rem 0 2rem}
.draft-banner{margin:0;background:var(--draft);color:#fff;text-align:center;font:700 .85rem/1.4 var(--sans);padding:.4rem 1rem;letter-spacing:.04em}
body.draft::after{content:"DRAFT";position:fixed;left:50%;top:50%;transform:translate(-50%,-50%) rotate(-38deg);font:700 min(28vw,12rem)/1 var(--sans);color:var(--draft);opacity:.07;pointer-events:none;z-index:5}
@media (max-width:39.99rem){
  table.rows thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.rows,table.rows tbody,table.rows tr,table.rows td{display:block;width:100%}
  table.rows tr{border:1px solid var(--rule);border-radius:8px;padding:.3rem .75rem;margin:.6rem 0;background:var(--paper)}
  table.rows td{border:0;padding:.3rem 0}
  table.rows td::before{content:attr(data-label);display:block;font:700 .68rem/1.4 var(--sans);letter-spacing:.07em;text-transform:uppercase;color:var(--muted)}
  .glance dl>div{grid-template-columns:1fr;gap:0}
}
@media (min-width:40rem){
  .wrap{padding:0 1.5rem}
  .portrait,.initials{width:7rem;height:7rem}
  .glance dl{grid-template-columns:1fr 1fr}
  .glance dl>div.wide{grid-column:1/-1}
  .cols{grid-template-columns:1fr 1fr}
  .leads{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}
  table.rows{table-layout:fixed}
  table.obj th:nth-child(1){width:32%}table.obj th:nth-child(3){width:16%}
  table.say th:nth-child(1),table.say th:nth-child(2){width:20%}table.say th:nth-child(4){width:16%}
  table.defs th:nth-child(1){width:22%}table.defs th:nth-child(3){width:18%}
}
@media print{
  :root{--paper:#fff;--ink:#000}
  body{font-size:10.5pt}
  .skip,.top,nav.toc a::after{display:none}
  .cover{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  nav.toc{break-after:page}
  article.persona,section.part{break-before:page;border:0}
  .message,.glance,tr,.leads>div{break-inside:avoid}
  h2,h3,h4,h5{break-after:avoid}
  a[href^="http"]::after,a[href^="mailto"]::after{content:" (" attr(href) ")";font-size:.8em;color:var(--muted)}
  .table-scroll{overflow:visible}
  pre{white-space:pre-wrap}
}
""".replace("@SANS", SANS).replace("@SERIF", SERIF).replace("@MONO", MONO)

CSS = " ".join(line.strip() for line in CSS.strip().splitlines())
