"""Test data for playbook tests: small workbenches built through commands, and hostile text."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from workbench.domain.values import Context
from workbench.edit import commands as c
from workbench.schema.model import default_channel_id
from workbench.session import Workbench

HOSTILE: dict[str, str] = {
    "markup": 'Tom & Jerry <b>bold</b> </para> <font name="Courier" size=40>big</font> &amp; &lt; &#0; <br/>',
    "img": '<img src="/etc/passwd"/> <a href="javascript:alert(1)">js</a> [f](file:///etc/passwd) <script>x</script>',
    "longword": "Supercalifragilistic" * 250,
    "longurl": "https://example.com/" + "path/" * 1000,
    "nested": "\n".join("  " * i + "- level " + str(i) for i in range(60)),
    "quotes": ">" * 300 + " deep quote",
    "cjk": "中文字符测试：客户说价格太高。日本語のテキスト。한국어 텍스트",
    "arabic": "مرحبا بالعالم، هذا نص عربي للاختبار 2024",
    "hebrew": "שלום עולם, זה טקסט בעברית 123",
    "emoji": "Emoji 👩‍👩‍👧‍👦 family 🎉 party ✨ sparkle 🇺🇸 flag ❤️ heart",
    "controls": "NUL\x00here ctrl\x01\x02 esc\x1b[31m del\x7f c1\x85 \u202eoverride\u202c bom\ufeff",
    "greek_cyrillic": "Ελληνικά κείμενο — Кириллица текст",
    "brackets": "[a" * 3000 + " **unclosed *nested _mixed `code",
}

def tiny_png(width: int = 4, height: int = 4, rgb: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    """A PNG written by hand (no Pillow needed to make test data)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_context() -> Context:
    ids = count(1)
    return Context(user="tester", clock=lambda: datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
                   new_id=lambda: f"00000000-0000-0000-0000-{next(ids):012d}")


def add_message(wb: Workbench, persona_id: str, channel: str, stage: str, headline: str, body: str,
                cta: str = "", notes: str = "", status: str = "approved") -> str:
    change = wb.execute(c.CreateMessage(persona_id, default_channel_id(channel), stage,
                                        {"headline": headline, "body": body, "call_to_action": cta,
                                         "notes": notes}))
    mid: str = change.extra["id"]
    if status != "draft":
        wb.execute(c.SetMessageStatus(mid, status, override_reason="test"))
    return mid


def build_small(tmp_path: Path) -> Path:
    """Two personas (one approved, one draft), approved/draft/retired messages, lingo, objections."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    path = tmp_path / "small.workbench"
    Workbench.create(path, make_context(), name="Acme")
    wb = Workbench.open(path, make_context(), data_dir=data_dir)
    try:
        wb.execute(c.UpdateWorkbench({"organization": "Acme Corp", "narrative": "# Who we are\n\nWe **sell** things."}))
        wb.execute(c.SetLogo(tiny_png(12, 6)))
        a = wb.execute(c.CreatePersona({"name": "Alice Approved", "role": "Buyer", "status": "approved",
                                        "story": "Alice *buys* things.", "do": ["Be brief"],
                                        "dont": ["Ramble"], "motivations": ["Save time"],
                                        "worries": ["Risk"], "mql": "Downloads a guide",
                                        "sql": "Agrees to a call", "technology_comfort": 4,
                                        "gatekeepers": ["Bob"], "preferred_channels": ["Email"]})).extra["id"]
        wb.execute(c.SetPortrait(a, tiny_png(8, 8)))
        d = wb.execute(c.CreatePersona({"name": "Dora Draft", "role": "Planner", "status": "draft"})).extra["id"]
        add_message(wb, a, "Ads", "awareness", "APPROVED-AD-HEADLINE", "Approved ad body text.",
                    notes="INTERNAL-NOTE-SECRET")
        add_message(wb, a, "Sales script", "consideration", "SCRIPT-HEADLINE",
                    "Hello, this is the script body to read aloud.", cta="Book a call")
        add_message(wb, a, "PR", "decision", "DRAFT-PR-HEADLINE", "Draft body.", status="draft")
        retired = add_message(wb, a, "PR", "retention", "RETIRED-HEADLINE", "Old body.")
        wb.execute(c.SetMessageStatus(retired, "retired"))
        edited = add_message(wb, a, "Direct mail", "awareness", "IN-FORCE-HEADLINE", "In force body.")
        wb.execute(c.UpdateMessage(edited, {"headline": "REWORKED-HEADLINE"}))
        add_message(wb, d, "Ads", "awareness", "DORA-AD-HEADLINE", "Dora body.")
        wb.execute(c.CreateTerm("contract", "avoid", "paperwork", "Sounds like lawyers."))
        wb.execute(c.CreateTerm("season", "prefer", note="How customers plan."))
        wb.execute(c.CreateTerm("MQL", "define", note="Marketing-qualified lead."))
        wb.execute(c.CreateObjection(a, "Too expensive", "It pays for itself."))
    finally:
        wb.close()
    return path


MEGABYTE = ("A long paragraph word " * 48_000)[:1_000_000]


def build_hostile(tmp_path: Path) -> Path:
    """A workbench where every field of every kind of row holds hostile text; one persona per string."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    path = tmp_path / "hostile.workbench"
    Workbench.create(path, make_context(), name=HOSTILE["markup"])
    wb = Workbench.open(path, make_context(), data_dir=data_dir)
    try:
        everything = "\n\n".join(HOSTILE.values())
        wb.execute(c.UpdateWorkbench({"organization": HOSTILE["img"], "narrative": everything}))
        # Every field of one persona holds every hostile string; others carry a name in each script
        # (running headers, contents, bookmarks) and one carries a 1 MB story.
        personas = [("everything", everything, everything)]
        personas += [(key, HOSTILE[key], HOSTILE[key]) for key in ("arabic", "hebrew", "cjk")]
        personas.append(("mega", MEGABYTE, HOSTILE["longword"]))
        for k, (key, story, text) in enumerate(personas):
            values: dict[str, object] = {name: text for name in ("role", "organization", "industry", "location",
                                                                 "voice", "mql", "sql", "owner")}
            values.update({name: [text, key] for name in ("motivations", "worries", "goals", "preferred_channels",
                                                          "avoid_channels", "gatekeepers", "do", "dont", "tags")})
            values.update(name=f"{text[:300]}", story=story, status="approved", technology_comfort=k % 5 + 1)
            pid = wb.execute(c.CreatePersona(values)).extra["id"]
            add_message(wb, pid, "Sales script", "awareness", text[:500], text, cta=text[:500], notes=text)
            add_message(wb, pid, "Ads", "decision", f"HEADLINE-{key}", text)
            wb.execute(c.CreateObjection(pid, text, MEGABYTE if key == "cjk" else text))
            wb.execute(c.CreateTerm(f"{key}-{text[:200]}", "avoid", text[:200], text, persona_id=pid))
        wb.execute(c.CreateTerm("define-" + HOSTILE["markup"], "define", note=everything))
    finally:
        wb.close()
    return path


# --- a realistic workbench in many scripts ------------------------------------------------------

#: A two-word Arabic name: its first word must print on the right.
ARABIC_NAME = "محمد العلي"
#: Text no bundled font covers (Tamil): the export must report it, field by field.
TAMIL = "வணக்கம்"

_LETTER = """Dear Mr. Voss,

Your mother started Voss Farm Supply with one truck and a Quonset hut. Fifty-five years later you run
eleven trucks, two plants and a spring run that would test anyone’s patience.

What changes in the first month:

1. Every delivery on one board, visible in the cab.
2. Bin and tank levels at both plants, without driving over.
   - Alerts when a tank drops below the level you set.
   - A weekly summary for Cole and Dana.
3. Your paperwork moved over for you — no retyping.

We would like to send you a short printed guide, *How three family dealers got through the spring run
with fewer phone calls*. No sales call unless you ask for one.

- Printed, not emailed
- Twelve pages, with photographs from three dealers
  1. Faber Ag Supply, Hastings
  2. Kessler Seed & Feed, Hays

With respect,

Marcus Bell — Territory Manager, Kansas and Missouri — (785) 555-0143"""

_SCRIPT = ("Mr. Voss, this is Marcus Bell with Tillwright — Dana tells me the guide reached you, so I won’t "
           "keep you long. Most owners I talk to say the spring run lives in their head and on a legal pad. "
           "We put every truck, every load and every bin on one board your whole crew can see.\n\n"
           "Three things I would ask about:\n\n1. How many trucks run on a busy April morning?\n"
           "2. Who answers the phone before seven?\n3. What happens when a driver calls in sick?\n\n"
           "Would it be worth an hour this winter, with Cole at the table, to see it on your own deliveries?")


def _persona(wb: Workbench, values: dict[str, object], portrait: bytes | None = None) -> str:
    values = {"status": "approved", **values}
    pid: str = wb.execute(c.CreatePersona(values)).extra["id"]
    if portrait is not None:
        wb.execute(c.SetPortrait(pid, portrait))
    return pid


def build_world(tmp_path: Path, *, name: str = "Tillwright — Q3 playbook", organization: str = "") -> Path:
    """Seven personas in Latin, Arabic, Hebrew, Devanagari, Thai, Hangul and CJK, with emoji, lists
    inside messages, long letters and scripts that cross pages, objections and lingo in every script."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    path = tmp_path / "world.workbench"
    Workbench.create(path, make_context(), name=name)
    wb = Workbench.open(path, make_context(), data_dir=data_dir)
    try:
        wb.execute(c.UpdateWorkbench({"organization": organization,
                                      "narrative": "# Who we are\n\nWe help family dealers run the spring "
                                                   "rush 🚚📦 without the phone ringing at five.\n\n"
                                                   "1. Plain words\n2. Printed when it matters\n"}))
        harlan = _persona(wb, {
            "name": "Harlan Voss", "role": "Owner and President", "organization": "Voss Farm Supply",
            "industry": "Farm supply", "location": "Salina, Kansas", "technology_comfort": 2,
            "story": "Harlan’s mother started the business in 1971. " * 12,
            "motivations": ["Hand the business to the next generation", "Keep the growers his mother won"],
            "worries": ["A consolidator buying dealers around him", "Losing his two best drivers"],
            "goals": ["Fewer missed deliveries in the spring run"],
            "do": ["Send a printed letter first", "Talk about his growers"], "dont": ["Cold-call before eight"],
            "mql": "Returns the reply card", "sql": "Agrees to a winter visit with Cole",
            "tags": ["🚚📦 logistics", "family-owned"], "gatekeepers": ["Dana Voss — opens all mail"],
            "preferred_channels": ["Direct mail", "Sales script"], "voice": "Plain, unhurried, respectful."})
        add_message(wb, harlan, "Direct mail", "awareness", "From one family business to another", _LETTER,
                    cta="Call (785) 555-0143 or return the enclosed card")
        add_message(wb, harlan, "Sales script", "consideration", "First call after the guide", _SCRIPT,
                    cta="Book a winter visit with Harlan and Cole")
        for k in range(3):
            add_message(wb, harlan, "Ads", "decision", f"Spring run, sorted #{k + 1}",
                        "Every truck on one board. " * 30, cta="Ask for the guide")
        # Longer than a page: it must cross a page break (and say it continues).
        add_message(wb, harlan, "PR", "retention", "A season on one board, in the dealer’s words",
                    "\n\n".join(f"Paragraph {k + 1}. " + "Lorna Faber’s eight trucks ran the spring without a "
                                  "whiteboard for the first time. " * 5 for k in range(14)),
                    cta="Read the full story")
        wb.execute(c.CreateObjection(harlan, "We have always done it on paper.",
                                     "Paper still works — we print the board every morning if you want it."))

        ali = _persona(wb, {
            "name": ARABIC_NAME, "role": "مدير المشتريات", "organization": "شركة النور للتجارة",
            "location": "دبي", "story": "يعمل محمد في الشركة منذ عام 2012 ويدير ٢٥ موردا. "
                                       "يريد تقارير واضحة كل أسبوع (بالعربية).",
            "motivations": ["توفير الوقت", "تقارير شهرية 2024"], "worries": ["التأخير في التسليم"],
            "tags": ["مشتريات", "الخليج"], "technology_comfort": 4})
        add_message(wb, ali, "Direct mail", "awareness", "مرحبا بكم في تيلرايت",
                    "نحن نساعد الشركات العائلية منذ عام 2010.\n\n1. لوحة واحدة لكل الشاحنات\n2. تقارير أسبوعية",
                    cta="اتصل بنا على 555-0143")
        wb.execute(c.CreateObjection(ali, "السعر مرتفع جدا", "يوفر النظام ١٠ ساعات كل أسبوع."))

        levi = _persona(wb, {"name": "דנה לוי", "role": "מנהלת רכש", "organization": "לוי ובניו",
                             "story": "דנה מנהלת את הרכש מאז 2015 ועובדת עם 40 ספקים."})
        add_message(wb, levi, "PR", "awareness", "שלום דנה", "אנחנו עוזרים לעסקים משפחתיים 24 שעות ביממה.")

        priya = _persona(wb, {
            "name": "प्रिया शर्मा Priya", "role": "खरीद प्रबंधक", "organization": "शर्मा ट्रेडर्स",
            "story": "प्रिया दिल्ली में एक पारिवारिक व्यवसाय चलाती हैं। वे हर सुबह क्षेत्रीय आपूर्तिकर्ताओं से बात करती हैं।",
            "tags": ["खुदरा", "दिल्ली", "परिवार"], "motivations": ["समय की बचत"],
            "worries": [f"Partner in Chennai writes {TAMIL}"]})
        add_message(wb, priya, "Ads", "awareness", "नमस्ते प्रिया जी", "हम पारिवारिक व्यवसायों की मदद करते हैं।",
                    cta="आज ही कॉल करें")

        somchai = _persona(wb, {"name": "สมชาย ใจดี", "role": "ผู้จัดการฝ่ายจัดซื้อ",
                                "organization": "บริษัท ใจดี จำกัด", "story": "สมชายดูแลการจัดซื้อ มาตั้งแต่ปี 2018"})
        add_message(wb, somchai, "Ads", "consideration", "สวัสดีครับ คุณสมชาย", "เราช่วยธุรกิจครอบครัว ทุกวัน")

        kim = _persona(wb, {"name": "김민준", "role": "구매 담당 이사", "organization": "한빛 물류",
                            "story": "김민준 이사는 2019년부터 구매를 맡고 있습니다. 봄철 성수기가 가장 바쁩니다."})
        add_message(wb, kim, "Direct mail", "awareness", "안녕하세요 김민준 이사님", "가족 기업의 배송을 한 화면에서 관리하세요.")

        tanaka = _persona(wb, {"name": "田中 宏", "role": "購買部長", "organization": "田中物流株式会社",
                               "story": "田中さんは毎朝、倉庫の在庫を確認します。春の繁忙期が一番忙しい。"})
        add_message(wb, tanaka, "PR", "decision", "春の繁忙期を一つの画面で", "すべてのトラックを一つのボードに。")

        wb.execute(c.CreateTerm("contract", "avoid", "agreement", "Sounds like lawyers."))
        wb.execute(c.CreateTerm("عقد", "avoid", "اتفاقية", "أكثر ودية", persona_id=ali))
        wb.execute(c.CreateTerm("अनुबंध", "avoid", "समझौता", persona_id=priya))
        wb.execute(c.CreateTerm("계약", "avoid", "약속", persona_id=kim))
        wb.execute(c.CreateTerm("spring run", "define", note="The March–May delivery peak 🚜."))
    finally:
        wb.close()
    return path


# --- markdown people paste ------------------------------------------------------------------------

#: What people paste from a wiki or a chat: a table, fenced and indented code, images, nested lists.
PASTED = """Pricing we quote:

| Plan | Trucks | Price per month |
|:-----|:------:|----------------:|
| Starter | up to 5 | $400 |
| **Fleet** | 6–25 | $1,150 |
| Co-op | 26+ | call us |

The import file looks like this:

```csv
order_id,grower,acres
  1001,Faber,320
    1002,Kessler,145
```

Or the old way, indented:

    SELECT grower, SUM(acres)
        FROM orders
        GROUP BY grower;

![A tractor at the Hastings plant](https://example.com/tractor.png) and ![](/etc/passwd)

- First level
  - Second level
    - Third level
- Back at the first
"""


def build_pasted(tmp_path: Path) -> Path:
    """One approved persona whose story, message and objection answer hold :data:`PASTED`."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    path = tmp_path / "pasted.workbench"
    Workbench.create(path, make_context(), name="Pasted")
    wb = Workbench.open(path, make_context(), data_dir=data_dir)
    try:
        pid = wb.execute(c.CreatePersona({"name": "Paula Paste", "role": "Buyer", "status": "approved",
                                          "story": PASTED})).extra["id"]
        add_message(wb, pid, "Direct mail", "awareness", "Pasted pricing", PASTED)
        wb.execute(c.CreateObjection(pid, "Show me the numbers", PASTED))
    finally:
        wb.close()
    return path


# --- a persona bigger than any page -----------------------------------------------------------------

#: A long paragraph with words (so cuts fall on word boundaries) and a marker word at its start.
HUGE_TEXT = "HUGEWORD " + "The quick brown fox jumps over the lazy dog again and again. " * 800


def build_huge(tmp_path: Path, personas: int = 2) -> Path:
    """Personas with every field enormous: long strings, 150 list items, ten objections, a message on
    every channel and stage — far more than one page can hold."""
    data_dir = tmp_path / "data"
    data_dir.mkdir(exist_ok=True)
    path = tmp_path / "huge.workbench"
    Workbench.create(path, make_context(), name="Huge " + "name " * 200)
    wb = Workbench.open(path, make_context(), data_dir=data_dir)
    try:
        for k in range(personas):
            values: dict[str, object] = {name: HUGE_TEXT for name in ("role", "organization", "industry", "location",
                                                                       "story", "voice", "mql", "sql", "owner")}
            values.update({name: [f"{name} item {i} " + HUGE_TEXT[:2_000] for i in range(150)]
                           for name in ("motivations", "worries", "goals", "preferred_channels", "avoid_channels",
                                        "gatekeepers", "do", "dont", "tags")})
            values.update(name=f"Huge Persona {k} " + "Longname " * 60, status="approved", technology_comfort=3)
            pid = wb.execute(c.CreatePersona(values)).extra["id"]
            wb.execute(c.SetPortrait(pid, tiny_png(40, 30)))
            for channel in ("Ads", "PR", "Direct mail", "Sales script"):
                for stage in ("awareness", "consideration", "decision", "retention"):
                    add_message(wb, pid, channel, stage, f"{channel} {stage} " + HUGE_TEXT[:3_000], HUGE_TEXT)
            for i in range(10):
                wb.execute(c.CreateObjection(pid, f"Objection {i} " + HUGE_TEXT[:5_000], HUGE_TEXT))
    finally:
        wb.close()
    return path
