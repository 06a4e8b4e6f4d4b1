"""The content model laid out as one HTML page: cover, contents, narrative, personas, lingo.

Semantic and accessible: ``lang``, one ``h1`` (the playbook), an ``h2`` per persona and part, ``h3``
per section, ``h4`` per stage, ``h5`` per message (its channel); every image has ``alt``; user text
carries ``dir="auto"`` so right-to-left text reads right. Inert: every piece of user text goes through
:mod:`.blocks` (escaped, safe links only); the only URLs written are ``#anchors``, ``data:`` images
and the http(s)/mailto links users typed; a Content-Security-Policy forbids anything else, so even a
mistake here could not make the page fetch. No script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from workbench.publish.contents import Lingo, PersonaSection, Playbook, PrintedMessage, Section
from workbench.publish.html import blocks as hb
from workbench.publish.html import images
from workbench.publish.html.styles import CSS

#: Nothing but inline styles and data: images; no script, no frames, no forms, no base URL.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
#: Up to this many personas, the contents also lists each persona's sections.
NESTED_CONTENTS = 3

t = hb.text


def name(value: str) -> str:
    """A name or title, escaped and bounded (it is repeated: contents, heading, alt text)."""
    return hb.text(" ".join(value[:2_000].split())[:300])


def document(book: Playbook, portrait: Callable[[str], bytes | None]) -> Iterator[str]:
    """The page, in pieces: head and front matter, then one piece per persona, then lingo and the end.

    ``portrait(id)`` fetches a persona's portrait when its piece is made (never all at once).
    """
    yield _head(book) + _cover(book) + _contents(book) + '<main id="main"><div class="wrap">'
    if book.narrative:
        yield ('<section class="part" id="narrative" aria-labelledby="narrative-title">'
               '<p class="kicker">Who we are</p><h2 id="narrative-title">Brand narrative</h2>'
               + hb.render(book.narrative, heading_base=3) + _back() + "</section>")
    for section in book.personas:
        yield _persona(section, portrait(section.portrait_id) if section.portrait_id else None)
    if book.lingo is not None:
        yield _lingo(book.lingo)
    yield ("</div></main>" f'<footer class="page"><div class="wrap">{t(book.workbench_name)} · {t(book.footer)} · '
           "Made with Persona Workbench — this page works offline and loads nothing from the network."
           "</div></footer></body></html>")


def _head(book: Playbook) -> str:
    m = book.metadata
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark">'
            f'<meta name="generator" content="Persona Workbench"><meta name="author" content="{t(m.author)}">'
            f'<meta name="description" content="{t(m.subject)}"><meta name="keywords" content="{t(", ".join(m.keywords))}">'
            f"<title>{t(m.title)}</title><style>{CSS}</style></head>"
            + ('<body class="draft">' if book.draft else "<body>") + '<a class="skip" href="#main">Skip to the playbook</a>'
            + ('<p class="draft-banner">Includes drafts — not for distribution</p>' if book.draft else ""))


def _cover(book: Playbook) -> str:
    c = book.cover
    out = ['<header class="cover"><div class="wrap">']
    logo = images.data_uri(book.logo, images.LOGO_BOX)
    if logo is not None:
        uri, w, h = logo
        owner = (c.organization if c is not None and c.organization else book.workbench_name) or "the company"
        out.append(f'<img class="logo" src="{uri}" width="{w // 2}" height="{h // 2}" alt="Logo of {name(owner)}">')
    out.append('<p class="kicker">Persona playbook</p>')
    out.append(f'<h1 dir="auto">{t(c.title if c is not None else book.workbench_name or "Untitled workbench")}</h1>')
    if c is not None:
        if c.organization:
            out.append(f'<p class="org" dir="auto">{t(c.organization)}</p>')
        out.append('<ul class="figures">' + "".join(f"<li><strong>{f.value:,}</strong> <span>{t(f.label)}</span></li>"
                                                     for f in c.figures) + "</ul>")
        out.append(f'<p class="badge">{t(c.badge)}</p><p class="note">{t(c.note)}</p>')
    out.append("</div></header>")
    return "".join(out)


def _contents(book: Playbook) -> str:
    items: list[str] = []
    if book.narrative:
        items.append('<li><a href="#narrative">Brand narrative<small>Who we are and how we sound</small></a></li>')
    nested = len(book.personas) <= NESTED_CONTENTS
    for s in book.personas:
        sub = f"<small dir=\"auto\">{name(s.subtitle)}{' · DRAFT' if s.draft else ''}</small>" \
            if s.subtitle or s.draft else ""
        inner = ""
        if nested:
            inner = "<ul>" + "".join(f'<li><a href="#{x.key}">{t(x.title)}</a></li>' for x in s.sections) + "</ul>"
        items.append(f'<li dir="auto"><a href="#{s.key}"><span class="n">{s.number:02d}</span>'
                     f'<span dir="auto">{name(s.title)}</span>{sub}</a>{inner}</li>')
    if book.lingo is not None:
        items.append('<li><a href="#lingo">Lingo<small>Say this — not that, and definitions</small></a></li>')
    if not book.personas:
        items.append(f'<li class="empty">{t(book.cover.empty if book.cover else "No personas.")}</li>')
    return ('<nav class="toc" id="contents" aria-labelledby="contents-title"><div class="wrap">'
            '<h2 id="contents-title">Contents</h2><ol>' + "".join(items) + "</ol></div></nav>")


def _back() -> str:
    return '<p class="top"><a href="#contents">↑ Contents</a></p>'


def _persona(section: PersonaSection, portrait: bytes | None) -> str:
    p = section.persona
    title_id = f"{section.key}-title"
    out = [f'<article class="persona" id="{section.key}" aria-labelledby="{title_id}"><header class="persona-head">']
    picture = images.data_uri(portrait, (images.PORTRAIT_PIXELS, images.PORTRAIT_PIXELS))
    if picture is not None:
        out.append(f'<img class="portrait" src="{picture[0]}" width="112" height="112" alt="Portrait of {name(section.title)}">')
    else:
        out.append(f'<div class="initials" aria-hidden="true" dir="auto">{t(section.initials)}</div>')
    draft = '<span class="mark">DRAFT</span>' if section.draft else ""
    out.append(f'<div><p class="kicker">{t(section.kicker)}{draft}</p><h2 id="{title_id}" dir="auto">{name(section.title)}</h2>')
    if section.subtitle:
        out.append(f'<p class="subtitle" dir="auto">{t(section.subtitle)}</p>')
    if p.tags:
        out.append('<ul class="tags" aria-label="Tags">' + "".join(f'<li dir="auto">#{t(x)}</li>' for x in p.tags[:40]) + "</ul>")
    out.append("</div></header>")
    out.append(_glance(section))
    if p.voice.strip():
        out.append(f'<aside class="voice" aria-label="How to sound"><h3>How to sound</h3>{hb.render(p.voice, heading_base=6)}</aside>')
    for sub in section.sections:
        out.append(f'<section id="{sub.key}" aria-labelledby="{sub.key}-h"><h3 id="{sub.key}-h">{t(sub.title)}</h3>')
        out.append(_body(section, sub))
        out.append("</section>")
    out.append(_back() + "</article>")
    return "".join(out)


def _items(values: Sequence[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    # A right-to-left list puts its markers and indent on the right (decided by its first item).
    side = hb.direction(values[0][:500]) if values else "ltr"
    return f'<ul{cls} dir="{side}">' + "".join(f'<li dir="auto">{hb.inline(v)}</li>' for v in values[:200]) + "</ul>"


def _glance(section: PersonaSection) -> str:
    p = section.persona

    def row(label: str, value: str, wide: bool = False) -> str:
        # Only what is known: on a phone every empty row would cost a screen line for a dash.
        if not value:
            return ""
        cls = ' class="wide"' if wide else ""
        return f'<div{cls}><dt>{label}</dt><dd dir="auto">{value}</dd></div>'

    if p.technology_comfort is None:
        comfort = ""
    else:
        n = max(0, min(5, int(p.technology_comfort)))
        comfort = (f'<span class="dots" aria-hidden="true">{"●" * n}<span class="off">{"●" * (5 - n)}</span></span> '
                   f"{n} of 5")
    rows = [row("Role", t(p.role)), row("Organisation", t(p.organization)), row("Industry", t(p.industry)),
            row("Location", t(p.location)), row("Reach them through", t(", ".join(p.preferred_channels))),
            row("Avoid", t(", ".join(p.avoid_channels))), row("Technology comfort", comfort), row("Owner", t(p.owner))]
    if p.gatekeepers:
        rows.append(row("Gatekeepers", _items(p.gatekeepers), wide=True))
    if not any(rows):
        return ""
    return ('<section class="glance" aria-labelledby="' + section.key + '-glance"><h3 id="' + section.key
            + '-glance">At a glance</h3><dl>' + "".join(rows) + "</dl></section>")


def _body(section: PersonaSection, sub: Section) -> str:
    p = section.persona
    if sub.kind == "story":
        return hb.render(p.story, heading_base=4)
    if sub.kind == "drives":
        cols = [(title, values) for title, values in (("Motivations", p.motivations), ("Worries", p.worries))
                if values]
        out = '<div class="cols">' + "".join(f"<div><h4>{title}</h4>{_items(v)}</div>" for title, v in cols) + "</div>"
        return out + (f"<h4>Goals</h4>{_items(p.goals)}" if p.goals else "")
    if sub.kind == "do":
        lists = [(title, values, css) for title, values, css in (("Do", p.do, "do"), ("Don’t", p.dont, "dont"))
                 if values]
        return '<div class="cols">' + "".join(f"<div><h4>{title}</h4>{_items(v, css)}</div>"
                                              for title, v, css in lists) + "</div>"
    if sub.kind == "leads":
        parts = [(label, sub_label, text) for label, sub_label, text in (
            ("MQL", "marketing-qualified when", p.mql), ("SQL", "sales-qualified when", p.sql))]
        return '<div class="leads">' + "".join(
            f"<div><h4>{label} <span>{sub_label}</span></h4>{hb.render(text, heading_base=6) if text.strip() else '<p>—</p>'}"
            "</div>" for label, sub_label, text in parts) + "</div>"
    if sub.kind == "messages":
        return _messages(section)
    return _objections(section)


def _messages(section: PersonaSection) -> str:
    out: list[str] = []
    if section.left_out_note:
        out.append(f'<p class="empty">{t(section.left_out_note)}</p>')
    if not section.stages:
        return "".join(out) or f'<p class="empty">{t(section.no_messages)}</p>'
    for group in section.stages:
        out.append(f"<h4>{t(group.stage.capitalize())} stage</h4>")
        out.extend(_message(m) for m in group.messages)
    return "".join(out)


def _message(m: PrintedMessage) -> str:
    css = "message" + (" script" if m.script else "") + (" draft" if m.mark else "")
    label = '<span class="aloud"> · Read aloud</span>' if m.script else ""
    mark = f'<span class="mark">{t(m.mark)}</span>' if m.mark else ""
    out = [f'<article class="{css}"><h5 dir="auto">{t(m.channel_name)}{label}{mark}</h5>']
    if m.headline.strip():
        out.append(f'<p class="headline" dir="auto">{hb.inline(m.headline)}</p>')
    out.append(f'<div class="body">{hb.render(m.body, heading_base=6)}</div>')
    if m.call_to_action.strip():
        out.append(f'<p class="cta" dir="auto">→ {hb.inline(m.call_to_action)}</p>')
    if m.approval:
        out.append(f'<p class="approval">{t(m.approval)}</p>')
    out.append("</article>")
    return "".join(out)


def _objections(section: PersonaSection) -> str:
    rows = []
    for o in section.objections:
        heard = " · ".join(x for x in (o.heard, o.last_heard) if x)
        by = f'<span class="heard" dir="auto">{t(o.heard_by)}</span>' if o.heard_by else ""
        answer = hb.render(o.response, heading_base=6) if o.response.strip() else "—"
        rows.append(f'<tr><td data-label="When they say" dir="auto"><strong>“{t(o.objection)}”</strong></td>'
                    f'<td data-label="We answer" dir="auto">{answer}</td>'
                    f'<td data-label="Heard" dir="auto">{t(heard) or "—"}{by}</td></tr>')
    return ('<table class="rows obj"><thead><tr><th scope="col">When they say</th><th scope="col">We answer</th>'
            '<th scope="col">Heard</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _lingo(vocabulary: Lingo) -> str:
    out = ['<section class="part" id="lingo" aria-labelledby="lingo-title"><p class="kicker">How we talk</p>'
           '<h2 id="lingo-title">Lingo</h2>']
    if not vocabulary.say and not vocabulary.definitions:
        out.append(f'<p class="empty">{t(vocabulary.empty)}</p>')
    if vocabulary.say:
        out.append('<h3 id="lingo-say">Say this — not that</h3><table class="rows say"><thead><tr>'
                   '<th scope="col">Say</th><th scope="col">Not</th><th scope="col">Why</th><th scope="col">For</th>'
                   "</tr></thead><tbody>")
        for r in vocabulary.say:
            good = f"<strong>✓ {t(r.say)}</strong>" if r.say else "(rephrase)"
            bad = "<br>".join(f"✕ <s>{t(x)}</s>" for x in r.instead_of[:50]) or "—"
            why = "".join(f'<p dir="auto">{hb.inline(x)}</p>' for x in r.why[:20]) or "—"
            out.append(f'<tr><td data-label="Say" dir="auto">{good}</td><td data-label="Not" dir="auto">{bad}</td>'
                       f'<td data-label="Why" dir="auto">{why}</td><td data-label="For" dir="auto">{t(r.audience)}</td></tr>')
        out.append("</tbody></table>")
    if vocabulary.definitions:
        out.append('<h3 id="lingo-define">Definitions</h3><table class="rows defs"><thead><tr><th scope="col">Term</th>'
                   '<th scope="col">Meaning</th><th scope="col">For</th></tr></thead><tbody>')
        for d in vocabulary.definitions:
            out.append(f'<tr><td data-label="Term" dir="auto"><strong>{t(d.term)}</strong></td>'
                       f'<td data-label="Meaning" dir="auto">{hb.inline(d.meaning)}</td>'
                       f'<td data-label="For" dir="auto">{t(d.audience)}</td></tr>')
        out.append("</tbody></table>")
    out.append(_back() + "</section>")
    return "".join(out)
