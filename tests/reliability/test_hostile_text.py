"""Hostile text through every text field of every entity: stored and returned exactly, exported to
JSON and re-imported identically, searched without error, printed to PDF in bounded time.

Decisions (documented here and in the report):

- Every string a person can type is stored exactly — markup, scripts, ``javascript:``/``file:``
  links, NUL and control characters, bidi and zero-width characters, 1 MB of text. Names of channels
  and terms are the only normalisation: they are stored stripped of surrounding white space.
- A lone surrogate (``"\\ud800"``) is not text: it cannot be encoded as UTF-8, so it can never reach
  the file, the JSON or the PDF. It is refused with a :class:`ValidationError` naming the problem
  (today it escapes as a raw ``UnicodeEncodeError``: marked xfail, fix described in the report).
- Timestamps (``last_heard``) are not free text: the JSON import requires ISO 8601, so the command
  layer must refuse other text too, or a workbench would export JSON it cannot import again (xfail).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

from workbench.domain import errors
from workbench.domain.values import Context
from workbench.edit import commands as C
from workbench.exchange import interchange
from workbench.schema import fields
from workbench.schema.model import default_channel_id
from workbench.session import Workbench

NESTED = "\n".join("  " * i + "- level " + str(i) for i in range(1000))
CORPUS: dict[str, str] = {
    "reportlab-markup": '<para><b>bold</b><font name="Courier" size="300">x</font><img src="/etc/passwd"/>'
                        '<a href="javascript:alert(1)">a</a>&amp; & < > <br/> <seq id="x"/></para>',
    "html-script": '<script>alert("x")</script><img src=x onerror=alert(1)><iframe src="file:///etc/passwd">',
    "markdown-links": "[click](javascript:alert(1)) [local](file:///etc/passwd) ![remote](https://evil.example/"
                      "pixel.png) ![local](/etc/passwd) <http://x.y/> [ref][r]\n\n[r]: javascript:void(0)",
    "long-word": "Donaudampfschifffahrts" * 2000,
    "long-url": "https://example.com/" + "a/" * 5000 + "?q=" + "x" * 5000,
    "nested-list": NESTED,
    "cjk": "合同を確認してください。书面材料。서류를 검토해 주세요。",
    "arabic": "يرجى مراجعة الأوراق قبل الاجتماع ١٢٣",
    "hebrew": "אנא עיינו במסמכים לפני הפגישה 123",
    "mixed-bidi": "Paperwork \u202eevil\u202c \u2067עברית\u2069 and العربية 42",
    "emoji-zwj": "👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 👍🏽 \ufe0f\u200b\u200c\u200d\u2060",
    "nul-and-controls": "a\x00b\x01\x07\x08\x0b\x0c\x1b[31mred\x1b[0m\x7f\x85\u2028\u2029 end",
    "crlf-and-tabs": "line1\r\nline2\rline3\n\ttabbed\t",
    "fts-syntax": 'NEAR(a b) OR "quote AND * ^col: -minus (',
    "sql-ish": "'; DROP TABLE personas; -- \" ) OR 1=1",
    "percent-format": "%s %d %(x)s {0} {x} ${x} %n",
    "whitespace-only-inner": "x \u00a0\u2003\u3000 y",
    "combining": "e\u0301\u0301\u0301\u0301 Z\u0351\u0352\u0353\u0354\u0355",
    "astral": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𓀀 𠀀",
    "one-megabyte": ("The quick brown fox jumps over the lazy dog. " * 23_302)[:1_000_000],
}
BIG = {"one-megabyte", "nested-list", "long-url", "long-word"}
#: Fields that get the big strings too (a handful: every field × 1 MB would only test the disk).
BIG_FIELDS = {"story", "body", "narrative", "response"}


def fill(wb: Workbench, text: str, big: bool) -> dict[str, Any]:
    """Put ``text`` into every text field of every entity through commands; return the ids."""
    def t(field: str) -> str:
        return text if (not big or field in BIG_FIELDS) else "small"

    wb.execute(C.UpdateWorkbench({"name": t("name") or "x", "organization": t("organization"),
                                  "narrative": t("narrative")}))
    channel = wb.execute(C.CreateChannel("Chan " + t("channel"), guidance=t("guidance"))).extra["id"]
    persona_values: dict[str, Any] = {f.key: t(f.key) for f in fields.PERSONA_FIELDS if f.kind == fields.TEXT}
    persona_values.update({f.key: [t(f.key), t(f.key) + "2"] for f in fields.PERSONA_FIELDS if f.kind == fields.LIST})
    persona = wb.execute(C.CreatePersona(persona_values)).extra["id"]
    message = wb.execute(C.CreateMessage(persona, default_channel_id("Ads"), "decision",
                                         {"headline": t("headline"), "body": t("body"),
                                          "call_to_action": t("cta"), "notes": t("notes")})).extra["id"]
    term = wb.execute(C.CreateTerm("term " + t("term"), kind="avoid", replacement=t("replacement"),
                                   note=t("note"), persona_id=persona)).extra["id"]
    objection = wb.execute(C.CreateObjection(persona, "obj " + t("objection"), response=t("response"),
                                             values={"heard_by": t("heard_by")})).extra["id"]
    wb.execute(C.SetMessageStatus(message, "approved", override_reason="why " + t("override")))
    return {"channel": channel, "persona": persona, "message": message, "term": term,
            "objection": objection, "persona_values": persona_values, "t": t}


def check_stored(wb: Workbench, ids: dict[str, Any]) -> None:
    t = ids["t"]
    info = wb.info()
    assert (info.name, info.organization, info.narrative) == (t("name") or "x", t("organization"), t("narrative"))
    channel = next(c for c in wb.channels() if c.id == ids["channel"])
    assert channel.name == ("Chan " + t("channel")).strip() and channel.guidance == t("guidance")
    p = wb.persona(ids["persona"])
    assert p is not None
    for key, value in ids["persona_values"].items():
        expected = tuple(value) if isinstance(value, list) else value
        assert getattr(p, key) == expected, key
    m = wb.message(ids["message"])
    assert m is not None
    assert (m.headline, m.body, m.call_to_action, m.notes) == (t("headline"), t("body"), t("cta"), t("notes"))
    assert m.override_reason in (("why " + t("override")).strip(), "")  # reasons are stored stripped
    term = next(x for x in wb.terms() if x.id == ids["term"])
    assert term.term == ("term " + t("term")).strip() and term.replacement == t("replacement")
    assert term.note == t("note")
    o = next(x for x in wb.objections() if x.id == ids["objection"])
    assert (o.objection, o.response, o.heard_by) == ("obj " + t("objection"), t("response"), t("heard_by"))


@pytest.mark.parametrize("label", sorted(CORPUS))
def test_hostile_text_round_trips_exactly(label: str, tmp_path: Path, ctx: Context) -> None:
    text = CORPUS[label]
    big = label in BIG
    path = tmp_path / "h.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as wb:
        ids = fill(wb, text, big)
        check_stored(wb, ids)
        exported = interchange.dumps(wb.read(interchange.export_document))
        # Search with the start of the hostile text itself, a word from it, and plain words: no error.
        # (Long queries against long repetitive documents are slow today: see the xfail below.)
        words = re.findall(r"\w+", text)
        queries = ["persona", '"'] if big else [words[0][:40] if words else text[:10], "persona", '"', text[:12]]
        for query in queries:  # big repetitive texts: only non-matching queries (see the xfail below)
            wb.search(query)
    assert json.loads(exported)  # valid JSON, whatever the text held
    with Workbench.open(path, ctx, readonly=True) as ro:  # and what reached the user's file
        check_stored(ro, ids)
    empty = tmp_path / "e.workbench"
    Workbench.create(empty, ctx)
    with Workbench.open(empty, ctx) as target:
        target.execute(interchange.ImportDocument(json.loads(exported)))
        again = interchange.dumps(target.read(interchange.export_document))
    assert again == exported


@pytest.mark.parametrize("label", sorted(set(CORPUS) - {"one-megabyte"}) + [
    pytest.param("one-megabyte", marks=pytest.mark.slow)])
def test_hostile_persona_prints_to_pdf_in_bounded_time(label: str, tmp_path: Path, ctx: Context) -> None:
    playbook = pytest.importorskip("workbench.publish")
    if not hasattr(playbook, "export_playbook"):
        pytest.skip("the playbook export is not there yet")
    path = tmp_path / "h.workbench"
    Workbench.create(path, ctx)
    with Workbench.open(path, ctx) as wb:
        fill(wb, CORPUS[label], label in BIG)
        out = tmp_path / "h.pdf"
        start = time.monotonic()
        for _ in playbook.export_playbook(wb, out, playbook.PlaybookOptions(include_drafts=True, invariant=True)):
            assert time.monotonic() - start < 60, "the playbook export is taking unbounded time"
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("where", ["persona", "message", "workbench"])
def test_lone_surrogates_are_refused_clearly(where: str, wb: Workbench) -> None:
    bad = "paper\ud800work"
    with pytest.raises(errors.ValidationError, match="(?i)surrogate|not valid"):
        if where == "persona":
            wb.execute(C.CreatePersona({"name": "P", "story": bad}))
        elif where == "message":
            pid = wb.execute(C.CreatePersona({"name": "P"})).extra["id"]
            wb.execute(C.CreateMessage(pid, default_channel_id("Ads"), values={"body": bad}))
        else:
            wb.execute(C.UpdateWorkbench({"narrative": bad}))
    assert wb.persona_count() == (1 if where == "message" else 0)


def test_lone_surrogate_in_json_import_names_the_field(wb: Workbench) -> None:
    document = json.loads('{"format": "persona-workbench", "version": 1, '
                          '"personas": [{"name": "P", "story": "a\\ud800b"}]}')
    with pytest.raises(errors.InterchangeError, match=r"personas\[0\]\.story"):
        wb.execute(interchange.ImportDocument(document))
    assert wb.persona_count() == 0


def test_last_heard_must_be_a_timestamp(wb: Workbench) -> None:
    pid = wb.execute(C.CreatePersona({"name": "P"})).extra["id"]
    with pytest.raises(errors.ValidationError):
        wb.execute(C.CreateObjection(pid, "Too dear", values={"last_heard": "<script>"}))


SLOW_SEARCH = """
import os, sys, tempfile, time
from pathlib import Path
os.environ["PERSONA_WORKBENCH_DATA"] = tempfile.mkdtemp()
from workbench.edit import commands as C
from workbench.session import Workbench
path = Path(tempfile.mkdtemp()) / "s.workbench"
Workbench.create(path)
with Workbench.open(path) as wb:
    text = "https://example.com/" + "a/" * 5000
    wb.execute(C.CreatePersona({"name": "Long URL", "story": text}))
    start = time.monotonic()
    wb.search(text[:100])
    print(round(time.monotonic() - start, 2))
"""


def test_search_answers_in_bounded_time_for_hostile_queries() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    try:
        out = subprocess.run([sys.executable, "-c", SLOW_SEARCH], cwd=root, capture_output=True, text=True,
                             timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("search did not answer within 8 s")
    assert out.returncode == 0, out.stderr
    assert float(out.stdout) < 2.0
