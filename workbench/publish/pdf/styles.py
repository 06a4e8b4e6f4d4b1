"""The playbook's one stylesheet: palette, type scale, spacing and page geometry.

Every colour, size and paragraph style the writer uses is defined here, so the look can be changed in
one place. Body text is DejaVu Sans; display text (the cover, persona names, the read-aloud script) is
DejaVu Serif. The type scale steps by roughly 1.25: 7.5 · 8.5 · 9.5 · 11.5 · 14 · 18 · 24 · 34.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from workbench.publish.pdf import fonts

# --- palette -----------------------------------------------------------------------------------
INK = "#1b2330"
INK_SOFT = "#475262"
MUTED = "#7d8797"
RULE = "#d8dce2"
TINT = "#f5f2ec"  # warm paper for cards
TINT_COOL = "#eef3f3"
ACCENT = "#1f6f6b"  # deep teal: headings, numbers, rules
ACCENT_SOFT = "#d7e8e6"
WARM = "#b8572a"  # burnt orange: labels and the script's bar
DO = "#2e7a4d"
DONT = "#b23a2e"
COVER = "#14232e"  # the cover band
COVER_TEXT = "#f4efe6"
COVER_SUB = "#9fb3b8"
DRAFT = "#c0392b"
CODE_BG = "#f1efe9"
MD_HEAD_BG = "#e8eeee"
LINK = "#1f5f8b"

PAPERS = {"a4": A4, "letter": LETTER}


def color(hex_value: str) -> colors.Color:
    """A reportlab colour from a palette entry."""
    return colors.HexColor(hex_value)


@dataclass(frozen=True)
class Geometry:
    """Page size and the margins every page template shares (points)."""

    width: float
    height: float
    left: float = 19 * mm
    right: float = 19 * mm
    top: float = 25 * mm
    bottom: float = 21 * mm

    @property
    def frame_width(self) -> float:
        """Width of the text column."""
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        """Height of the text column."""
        return self.height - self.top - self.bottom


def _ps(name: str, **kw: object) -> ParagraphStyle:
    base: dict[str, object] = dict(fontName=fonts.SANS, fontSize=9.5, leading=14.2, textColor=color(INK),
                                   alignment=TA_LEFT, allowWidows=0, allowOrphans=0, splitLongWords=1,
                                   bulletFontName=fonts.SANS)
    base.update(kw)
    return ParagraphStyle(name, **base)


@dataclass
class Stylesheet:
    """Named paragraph styles plus geometry; ``rtl``/``cjk`` give the right-to-left / CJK variant."""

    geometry: Geometry
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    _variants: dict[tuple[str, bool, bool, bool], ParagraphStyle] = field(default_factory=dict)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]

    def variant(self, name: str, *, shaping: bool, rtl: bool, cjk: bool) -> ParagraphStyle:
        """The style with complex-script shaping on and/or right-to-left base direction (right
        aligned, ``bidi_base`` 1 for :class:`~workbench.publish.pdf.bidi.BidiParagraph`) and/or CJK
        line breaking."""
        if not (shaping or rtl or cjk):
            return self.styles[name]
        key = (name, shaping, rtl, cjk)
        found = self._variants.get(key)
        if found is None:
            base = self.styles[name]
            extra: dict[str, object] = {"shaping": 1 if shaping or rtl else 0}
            if rtl and base.alignment == TA_LEFT:
                extra["alignment"] = TA_RIGHT
            if cjk:
                extra["wordWrap"] = "CJK"
            found = ParagraphStyle(f"{name}-{int(shaping)}{int(rtl)}{int(cjk)}", parent=base, **extra)
            found.bidi_base = 1 if rtl else 0
            self._variants[key] = found
        return found


def stylesheet(paper: str) -> Stylesheet:
    """Build the stylesheet for ``paper`` ('a4' or 'letter')."""
    fonts.register()
    width, height = PAPERS[paper]
    sheet = Stylesheet(Geometry(width, height))
    s = sheet.styles
    s["body"] = _ps("body", spaceAfter=6)
    s["body_tight"] = _ps("body_tight")
    s["small"] = _ps("small", fontSize=8.5, leading=12, textColor=color(INK_SOFT))
    s["meta"] = _ps("meta", fontSize=7.5, leading=10, textColor=color(MUTED))
    s["label"] = _ps("label", fontName=fonts.SANS_BOLD, fontSize=7.5, leading=10, textColor=color(WARM),
                     spaceAfter=2, keepWithNext=1)
    s["label_muted"] = _ps("label_muted", fontName=fonts.SANS_BOLD, fontSize=7.5, leading=10,
                           textColor=color(MUTED))
    s["card_value"] = _ps("card_value", fontSize=9, leading=12.5)
    s["h1"] = _ps("h1", fontName=fonts.SERIF_BOLD, fontSize=24, leading=29, textColor=color(INK),
                  spaceAfter=4, keepWithNext=1)
    s["page_title"] = _ps("page_title", fontName=fonts.SERIF_BOLD, fontSize=24, leading=29,
                          textColor=color(INK), spaceAfter=16, keepWithNext=1)
    s["kicker"] = _ps("kicker", fontName=fonts.SANS_BOLD, fontSize=8, leading=11, textColor=color(ACCENT),
                      spaceAfter=3, keepWithNext=1)
    s["subtitle"] = _ps("subtitle", fontSize=11.5, leading=15, textColor=color(INK_SOFT), spaceAfter=2)
    s["h2"] = _ps("h2", fontName=fonts.SANS_BOLD, fontSize=14, leading=18, textColor=color(ACCENT),
                  spaceBefore=16, spaceAfter=6, keepWithNext=1)
    s["h3"] = _ps("h3", fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15, textColor=color(INK),
                  spaceBefore=10, spaceAfter=4, keepWithNext=1)
    s["stage"] = _ps("stage", fontName=fonts.SANS_BOLD, fontSize=9, leading=12, textColor=color(WARM),
                     spaceBefore=12, spaceAfter=6, keepWithNext=1)
    # Markdown headings inside user text sit below our own section headings in the hierarchy.
    s["md_h1"] = _ps("md_h1", fontName=fonts.SANS_BOLD, fontSize=12.5, leading=16, spaceBefore=10,
                     spaceAfter=4, keepWithNext=1)
    s["md_h2"] = _ps("md_h2", fontName=fonts.SANS_BOLD, fontSize=11, leading=14.5, spaceBefore=8,
                     spaceAfter=3, keepWithNext=1)
    s["md_h3"] = _ps("md_h3", fontName=fonts.SANS_BOLD, fontSize=9.5, leading=13, spaceBefore=6,
                     spaceAfter=2, keepWithNext=1, textColor=color(INK_SOFT))
    s["quote"] = _ps("quote", fontName=fonts.SERIF, fontSize=10.5, leading=15.5, textColor=color(INK_SOFT),
                     spaceAfter=4)
    # Code keeps its indentation and line breaks, in the monospace face, on a tinted band.
    s["code"] = _ps("code", fontName=fonts.mono(), fontSize=8, leading=10.8, textColor=color("#2b3440"),
                    backColor=color(CODE_BG), borderPadding=(4, 6, 4, 6), leftIndent=6, rightIndent=6,
                    spaceBefore=5, spaceAfter=9, splitLongWords=1, allowWidows=1, allowOrphans=1)
    s["code_more"] = ParagraphStyle("code_more", parent=s["code"], spaceBefore=0)
    # Markdown tables people paste: small type, a tinted header row.
    s["md_cell"] = _ps("md_cell", fontSize=8.3, leading=11.2)
    s["md_head"] = _ps("md_head", fontName=fonts.SANS_BOLD, fontSize=8, leading=10.5, textColor=color(INK))
    for base in ("md_cell", "md_head"):
        for align, enum in (("center", TA_CENTER), ("right", TA_RIGHT)):
            s[f"{base}_{align}"] = ParagraphStyle(f"{base}_{align}", parent=s[base], alignment=enum)
    s["list"] = _ps("list", spaceAfter=2)
    s["headline"] = _ps("headline", fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15, spaceAfter=4,
                        keepWithNext=1)
    s["cta"] = _ps("cta", fontName=fonts.SANS_BOLD, fontSize=9, leading=13, textColor=color(ACCENT),
                   spaceBefore=2)
    s["script"] = _ps("script", fontName=fonts.SERIF, fontSize=13.5, leading=23, spaceAfter=11,
                      textColor=color(INK))
    s["script_headline"] = _ps("script_headline", fontName=fonts.SERIF_BOLD, fontSize=15, leading=20,
                               spaceAfter=8, keepWithNext=1)
    s["script_list"] = _ps("script_list", fontName=fonts.SERIF, fontSize=13.5, leading=22, spaceAfter=4)
    s["script_cta"] = _ps("script_cta", fontName=fonts.SANS_BOLD, fontSize=10.5, leading=15,
                          textColor=color(WARM), spaceBefore=4)
    s["cell"] = _ps("cell", fontSize=8.8, leading=12.5)
    s["cell_bold"] = _ps("cell_bold", fontName=fonts.SANS_BOLD, fontSize=8.8, leading=12.5)
    s["cell_head"] = _ps("cell_head", fontName=fonts.SANS_BOLD, fontSize=7.5, leading=10,
                         textColor=colors.white)
    s["do"] = _ps("do", fontSize=9, leading=13, spaceAfter=4)
    s["toc_persona"] = _ps("toc_persona", fontName=fonts.SANS_BOLD, fontSize=10.5, leading=14)
    s["toc_section"] = _ps("toc_section", fontName=fonts.SANS_BOLD, fontSize=10.5, leading=14)
    s["toc_sub"] = _ps("toc_sub", fontSize=8.5, leading=11.5, textColor=color(MUTED))
    s["header"] = _ps("header", fontName=fonts.SANS_BOLD, fontSize=7.5, leading=9, textColor=color(INK_SOFT))
    s["header_right"] = _ps("header_right", fontSize=7.5, leading=9, textColor=color(MUTED),
                            alignment=TA_RIGHT)
    s["footer"] = _ps("footer", fontSize=7, leading=9, textColor=color(MUTED))
    s["cover_kicker"] = _ps("cover_kicker", fontName=fonts.SANS_BOLD, fontSize=9, leading=12,
                            textColor=color("#e3a27e"), spaceAfter=10)
    s["cover_title"] = _ps("cover_title", fontName=fonts.SERIF_BOLD, fontSize=34, leading=40,
                           textColor=color(COVER_TEXT), spaceAfter=10)
    s["cover_org"] = _ps("cover_org", fontSize=13, leading=17, textColor=color(COVER_SUB))
    s["cover_stat"] = _ps("cover_stat", fontName=fonts.SERIF_BOLD, fontSize=22, leading=26,
                          textColor=color(COVER_TEXT))
    s["cover_stat_label"] = _ps("cover_stat_label", fontName=fonts.SANS_BOLD, fontSize=7, leading=9,
                                textColor=color(COVER_SUB))
    s["cover_label"] = _ps("cover_label", fontName=fonts.SANS_BOLD, fontSize=8, leading=11,
                           textColor=color(WARM), spaceAfter=6, spaceBefore=4)
    s["cover_persona"] = _ps("cover_persona", fontName=fonts.SANS_BOLD, fontSize=11, leading=14)
    s["cover_persona_role"] = _ps("cover_persona_role", fontSize=8.5, leading=11.5, textColor=color(INK_SOFT))
    s["cover_meta"] = _ps("cover_meta", fontSize=8.5, leading=12, textColor=color(INK_SOFT))
    s["badge"] = _ps("badge", fontName=fonts.SANS_BOLD, fontSize=8, leading=10, textColor=colors.white)
    s["empty"] = _ps("empty", fontSize=9.5, leading=14, textColor=color(MUTED))
    s["approval"] = _ps("approval", fontSize=7.5, leading=10, textColor=color(MUTED), spaceBefore=4)
    # The one-page sheet: the same palette and faces, a size smaller, so a persona fits on a page.
    s["sheet_kicker"] = _ps("sheet_kicker", fontName=fonts.SANS_BOLD, fontSize=7.5, leading=10,
                            textColor=color(ACCENT))
    s["sheet_name"] = _ps("sheet_name", fontName=fonts.SERIF_BOLD, fontSize=19, leading=22.5)
    s["sheet_sub"] = _ps("sheet_sub", fontSize=9.5, leading=12.5, textColor=color(INK_SOFT))
    s["sheet_meta"] = _ps("sheet_meta", fontSize=7.8, leading=10.4, textColor=color(MUTED))
    s["sheet_label"] = _ps("sheet_label", fontName=fonts.SANS_BOLD, fontSize=7, leading=9.5,
                           textColor=color(WARM))
    s["sheet_key"] = _ps("sheet_key", fontName=fonts.SANS_BOLD, fontSize=6.5, leading=10.2,
                         textColor=color(MUTED))
    s["sheet_value"] = _ps("sheet_value", fontSize=8, leading=10.2)
    s["sheet_body"] = _ps("sheet_body", fontSize=8.6, leading=11.8)
    s["sheet_item"] = _ps("sheet_item", fontSize=8.3, leading=11)
    s["sheet_quote"] = _ps("sheet_quote", fontName=fonts.SERIF, fontSize=9, leading=12.4,
                           textColor=color(INK_SOFT))
    s["sheet_cell"] = _ps("sheet_cell", fontSize=8.1, leading=10.8)
    s["sheet_cell_bold"] = _ps("sheet_cell_bold", fontName=fonts.SANS_BOLD, fontSize=8.1, leading=10.8)
    s["sheet_channel"] = _ps("sheet_channel", fontName=fonts.SANS_BOLD, fontSize=7, leading=10.8,
                             textColor=color(ACCENT))
    s["sheet_footer"] = _ps("sheet_footer", fontSize=7, leading=9, textColor=color(MUTED))
    s["sheet_initials"] = _ps("sheet_initials", fontName=fonts.SERIF_BOLD, fontSize=28, leading=33,
                              textColor=color(ACCENT), alignment=TA_CENTER, splitLongWords=0)
    # The portrait placeholder's initials: 34 mm tile, letters about a third of it, centred.
    s["initials"] = _ps("initials", fontName=fonts.SERIF_BOLD, fontSize=34, leading=40, textColor=color(ACCENT),
                        alignment=TA_CENTER, splitLongWords=0)
    return sheet


def table_style(commands: list[tuple[object, ...]]) -> object:
    """A TableStyle whose default cell font is ours (reportlab's default, Helvetica, is not embedded)."""
    from reportlab.platypus import TableStyle

    return TableStyle([("FONT", (0, 0), (-1, -1), fonts.SANS, 8), *commands])
