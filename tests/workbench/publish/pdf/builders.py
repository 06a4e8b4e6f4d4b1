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
            values = {name: text for name in ("role", "organization", "industry", "location", "voice",
                                              "mql", "sql", "owner")}
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
