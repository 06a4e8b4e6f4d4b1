"""Generate a large, realistic, deterministic workbench for benchmarks (bypasses commands for speed).

    python bench/generate.py /tmp/pwb-bench/big.workbench                  # 10,000 personas, 240,000 messages
    python bench/generate.py /tmp/pwb-bench/p2000.workbench --personas 2000 --json /tmp/pwb-bench/p2000.json

The file is created by :meth:`Workbench.create` (schema, application id, default channels), then
filled with ``executemany`` through a hardened connection from :mod:`workbench.store.sqlite.db` — going through
commands would take hours for 240k rows. The search index is built with
:func:`workbench.edit.derived.rebuild_search` and the cached breach counts with
:func:`workbench.edit.derived.recompute_breaches`, so derived data is exactly what the core would compute.
The result is checked by opening it with :meth:`Workbench.open` (schema validation, integrity check).

Text is drawn from a Zipf-distributed vocabulary (commonest word: ``the``, present in every document),
with some Greek and CJK personas, avoid terms sprinkled so the coverage matrix has breaches, and one
rare word (:data:`RARE_WORD`) in exactly :data:`RARE_COUNT` messages. Same seed, same rows (only the
workbench row made by ``Workbench.create`` gets a fresh id and timestamp).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from workbench.schema.model import STAGES, Base, default_channel_id  # noqa: E402
from workbench.store.sqlite import db  # noqa: E402

#: The word every benchmark uses as "the commonest word" (rank 1 of the Zipf vocabulary).
COMMON_WORD = "the"
#: A word that occurs in exactly RARE_COUNT messages.
RARE_WORD = "quillwort"
RARE_COUNT = 3
EXTRA_CHANNELS = ("Email", "Social", "Events", "Webinar")
USED_STAGES = STAGES[:3]  # awareness, consideration, decision → 8 channels × 3 stages per persona
STORY_WORDS = 600
BODY_WORDS = 100
EPOCH = "2025-01-06T09:00:00+00:00"

FUNCTION_WORDS = (
    "the of and to a in that is for it on with as was at by this be from or have an are not but they "
    "we you what all their can more when your which there one so if about our who will up out them do "
    "he she his her been has would could should than then into only over also after most its just "
    "like any how very even well because through where still before each much those while"
).split()
DOMAIN_WORDS = (
    "customer dealer grower farm field season delivery truck driver dispatch invoice ticket paperwork "
    "office board team family business legacy owner manager assistant schedule spring harvest fertilizer "
    "seed product price budget margin risk trust proof story call visit letter meeting demo trial "
    "onboarding support training rollout plan report numbers spreadsheet phone email signal river yard "
    "plant load route order account guarantee "
    "simple clear honest practical steady reliable local hands experience years decades generation "
    "children school hours weekend worry motivation goal value savings time error mistake record "
    "compliance audit application regulation inspector county state region co-op distributor retail "
    "network partner vendor software cab paper whiteboard memory habit change tool workflow "
    "agronomist agronomy soil acre yield weather rain drought forecast inventory warehouse shed pallet"
).split()
GREEK = "ο πελάτης η εμπιστοσύνη το χαρτί η παράδοση η οικογένεια ο αγρός η εποχή το συμβόλαιο".split()
CJK = ["合同", "客户", "信任", "家族", "农场", "季节", "配送", "司机", "账单", "经验", "传统", "品质"]
FIRST = ("Ada Ben Carla Dmitri Elena Farah Gus Hana Ivan Jun Kofi Lena Mateo Nadia Omar Priya Quinn Rosa "
         "Sven Tomoko Uma Viktor Wen Ximena Yusuf Zoe Agnes Bruno Chiara Dev").split()
LAST = ("Abbott Baker Castillo Dubois Eriksen Fischer Garcia Hoffman Ito Jensen Kowalski Larsen Moreau "
        "Nakamura Okafor Petrov Quintero Rossi Schmidt Tanaka Ueda Vargas Weber Xu Yilmaz Zhang "
        "Papadopoulos Lindqvist Mbeki Novak").split()
ROLES = ("CEO Owner Operations manager Dispatcher Agronomist Office manager CFO Sales lead "
         "IT coordinator Plant manager").split(" ")
INDUSTRIES = ("Fertilizer", "Seed", "Crop protection", "Co-op", "Feed", "Equipment", "Logistics")
LOCATIONS = ("Knoxville, Tennessee", "Ames, Iowa", "Fresno, California", "Lyon, France", "Thessaloniki, Greece",
             "Hokkaido, Japan", "Shandong, China", "Saskatoon, Canada", "Córdoba, Argentina", "Nairobi, Kenya")
GLOBAL_AVOID = (("contract", "paperwork"), ("cheap", "good value"), ("synergy", ""), ("disrupt", "improve"),
                ("revolutionary", "practical"), ("QR code", "phone number"), ("leverage", "use"),
                ("合同", "协议"))
#: Words only ever placed on purpose (never drawn from the vocabulary), so breaches stay rare.
SCOPED_AVOID = ("QR code", "app", "cloud", "tablet")
AVOID_POOL = tuple(t for t, _ in GLOBAL_AVOID) + SCOPED_AVOID
PREFER = ("paperwork", "season", "grower", "dispatch board", "delivery ticket", "co-op", "field day")
DEFINE = (("MQL", "Marketing-qualified lead"), ("SQL", "Sales-qualified lead"), ("SKU", "Stock keeping unit"))


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    syllables = ("ka ro mi tel an vor sen dal qu ix be tra lo mun ce fa ru pel gor hin sta wen bri "
                 "dro ny ul zo cha per lin").split()
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if w not in seen and w != RARE_WORD:
            seen.add(w)
            out.append(w)
    return out


class TextMaker:
    """Zipf-distributed prose: function words first (rank 1 = ``the``), then domain and invented words."""

    def __init__(self, rng: random.Random, vocabulary: int = 12000) -> None:
        self.rng = rng
        words = list(dict.fromkeys(FUNCTION_WORDS + DOMAIN_WORDS))
        words += _pseudo_words(rng, vocabulary - len(words))
        self.words = words
        weights = [1.0 / (rank + 1) for rank in range(len(words))]
        self.cum = list(itertools.accumulate(weights))

    def words_n(self, n: int) -> list[str]:
        """``n`` words drawn from the distribution."""
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def prose(self, n: int, extra: list[str] | None = None) -> str:
        """Sentences and paragraphs of about ``n`` words, with ``extra`` words placed at random."""
        words = self.words_n(n)
        for w in extra or ():
            words[self.rng.randrange(len(words))] = w
        out: list[str] = []
        i = 0
        sentence_no = 0
        while i < len(words):
            k = self.rng.randint(7, 18)
            chunk = words[i:i + k]
            i += k
            chunk[0] = chunk[0][:1].upper() + chunk[0][1:]
            out.append(" ".join(chunk) + ".")
            sentence_no += 1
            if sentence_no % 5 == 0:
                out.append("\n\n")
        return " ".join(out).replace(" \n\n ", "\n\n")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(i: int, user: str = "bench") -> dict[str, str]:
    day = 1 + i % 28
    stamp = f"2025-{1 + (i // 28) % 12:02d}-{day:02d}T{8 + i % 10:02d}:{i % 60:02d}:00+00:00"
    return {"created_at": EPOCH, "created_by": user, "updated_at": stamp, "updated_by": user}


def _columns(table: str) -> list[str]:
    return [c.name for c in Base.metadata.tables[table].columns]


def _insert_sql(table: str) -> str:
    """The INSERT of one generated row; every row starts at version 1, as a command's insert does."""
    cols = _columns(table)
    values = ["1" if c == "version" else ":" + c for c in cols]
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(values)})"


def generate_rows(personas: int, seed: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield ``(table, rows)`` batches: channels, personas, messages (+ revisions), terms, objections."""
    rng = random.Random(seed)
    text = TextMaker(rng)
    channel_ids = [default_channel_id(n) for n in ("Ads", "PR", "Direct mail", "Sales script")]
    extra_channels = []
    for pos, name in enumerate(EXTRA_CHANNELS, start=4):
        cid = default_channel_id(name)
        channel_ids.append(cid)
        extra_channels.append({"id": cid, "name": name, "guidance": f"Guidance for {name}.", "position": pos,
                               **_stamp(pos)})
    yield "channels", extra_channels
    channel_names = ["Ads", "PR", "Direct mail", "Sales script", *EXTRA_CHANNELS]
    rare_targets = set(rng.sample(range(personas * len(channel_ids) * len(USED_STAGES)), RARE_COUNT))
    persona_ids: list[str] = []
    batch_p: list[dict[str, Any]] = []
    batch_m: list[dict[str, Any]] = []
    batch_r: list[dict[str, Any]] = []
    batch_o: list[dict[str, Any]] = []
    n_msg = 0
    for i in range(personas):
        pid = _uuid(rng)
        persona_ids.append(pid)
        script = "greek" if i % 50 == 7 else ("cjk" if i % 50 == 23 else "")
        extra = []
        if script == "greek":
            extra = rng.sample(GREEK, 6)
        elif script == "cjk":
            extra = rng.sample(CJK, 6)
        avoid = [channel_names[rng.randrange(8)]] if rng.random() < 0.15 else []
        dont = ["Don't say \"cheap\"", "No jargon"] if rng.random() < 0.3 else ["Avoid hype"]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:05d}"
        if script == "greek":
            name = f"Γιώργος Παπαδόπουλος {i:05d}"
        elif script == "cjk":
            name = f"王伟 {i:05d}"
        batch_p.append({
            "id": pid, "name": name, "role": rng.choice(ROLES),
            "organization": f"{rng.choice(LAST)} {rng.choice(INDUSTRIES)} Co.", "industry": rng.choice(INDUSTRIES),
            "location": rng.choice(LOCATIONS), "story": text.prose(STORY_WORDS, extra),
            "motivations": json.dumps([text.prose(8) for _ in range(3)]),
            "worries": json.dumps([text.prose(8) for _ in range(3)]),
            "goals": json.dumps([text.prose(8) for _ in range(2)]),
            "technology_comfort": 1 + i % 5,
            "preferred_channels": json.dumps(rng.sample(channel_names, 2)),
            "avoid_channels": json.dumps(avoid), "gatekeepers": json.dumps(["Executive assistant"]),
            "do_items": json.dumps(["Send a letter", "Mention the season"]), "dont_items": json.dumps(dont),
            "voice": text.prose(20), "mql": text.prose(15), "sql_criteria": text.prose(15),
            "tags": json.dumps([rng.choice(INDUSTRIES).lower(), f"tier-{1 + i % 3}"]),
            "status": "approved" if rng.random() < 0.6 else "draft", "owner": rng.choice(FIRST),
            "portrait": None, **_stamp(i),
        })
        for k in range(2):
            batch_o.append({"id": _uuid(rng), "persona_id": pid, "objection": text.prose(12),
                            "response": text.prose(40), "heard_count": rng.randint(0, 30),
                            "heard_by": rng.choice(FIRST), "last_heard": "2025-03-01T10:00:00+00:00",
                            **_stamp(i + k)})
        for cid in channel_ids:
            for stage in USED_STAGES:
                extras = []
                if rng.random() < 0.04:
                    extras.append(rng.choice(AVOID_POOL))
                if script:
                    extras.extend(rng.sample(GREEK if script == "greek" else CJK, 2))
                if n_msg in rare_targets:
                    extras.append(RARE_WORD)
                roll = rng.random()
                status = ("approved" if roll < 0.5 else "in_review" if roll < 0.68 else
                          "draft" if roll < 0.95 else "retired")
                mid = _uuid(rng)
                row = {
                    "id": mid, "persona_id": pid, "channel_id": cid, "stage": stage,
                    "headline": text.prose(7), "body": text.prose(BODY_WORDS, extras),
                    "call_to_action": text.prose(6), "notes": text.prose(12) if rng.random() < 0.3 else "",
                    "status": status, "approved_by": "", "approved_at": "", "override_reason": "",
                    "in_force_revision_id": None, "breach_count": 0, **_stamp(n_msg),
                }
                if status == "approved":
                    row["approved_by"], row["approved_at"] = "bench", "2025-02-01T10:00:00+00:00"
                    if extras and rng.random() < 0.3:
                        row["override_reason"] = "Customer's own wording"
                if rng.random() < 0.05:  # an earlier approved text still in force
                    rid = _uuid(rng)
                    batch_r.append({"id": rid, "message_id": mid, "seq": 1, "headline": text.prose(7),
                                    "body": text.prose(BODY_WORDS), "call_to_action": text.prose(6), "notes": "",
                                    "status": "approved", "approved_by": "bench",
                                    "approved_at": "2024-11-01T10:00:00+00:00", "override_reason": "",
                                    "saved_at": "2024-12-01T10:00:00+00:00", "saved_by": "bench"})
                    if status != "approved":
                        row["in_force_revision_id"] = rid
                batch_m.append(row)
                n_msg += 1
        if len(batch_m) >= 4800:
            yield "personas", batch_p
            yield "messages", batch_m
            yield "message_revisions", batch_r
            yield "objections", batch_o
            batch_p, batch_m, batch_r, batch_o = [], [], [], []
    yield "personas", batch_p
    yield "messages", batch_m
    yield "message_revisions", batch_r
    yield "objections", batch_o
    terms = []
    for t, (term, repl) in enumerate(GLOBAL_AVOID):
        terms.append({"id": _uuid(rng), "term": term, "kind": "avoid", "replacement": repl, "note": "",
                      "persona_id": None, **_stamp(t)})
    for t, term in enumerate(PREFER):
        terms.append({"id": _uuid(rng), "term": term, "kind": "prefer", "replacement": "", "note": "",
                      "persona_id": None, **_stamp(t)})
    for t, (term, note) in enumerate(DEFINE):
        terms.append({"id": _uuid(rng), "term": term, "kind": "define", "replacement": "", "note": note,
                      "persona_id": None, **_stamp(t)})
    for t, pid in enumerate(rng.sample(persona_ids, min(200, len(persona_ids)))):
        terms.append({"id": _uuid(rng), "term": rng.choice(SCOPED_AVOID), "kind": "avoid",
                      "replacement": "", "note": "This persona dislikes it", "persona_id": pid, **_stamp(t)})
    yield "terms", terms


def generate(path: Path, personas: int = 10_000, seed: int = 20250106, log: Any = print) -> Path:
    """Create ``path`` (must not exist) and fill it; returns the path."""
    from workbench.domain.values import Context
    from workbench.edit.derived import rebuild_search, recompute_breaches
    from workbench.session import Workbench
    from workbench.store.sqlite.store import SqliteStore
    from workbench.store.unit import Tx

    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    Workbench.create(path, name=f"Benchmark — {personas} personas")
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-200000")
        conn.execute("BEGIN")
        counts: dict[str, int] = {}
        for table, rows in generate_rows(personas, seed):
            if rows:
                conn.executemany(_insert_sql(table), rows)
                counts[table] = counts.get(table, 0) + len(rows)
        conn.execute("COMMIT")
        log(f"rows inserted in {time.perf_counter() - t0:.1f} s: {counts}")
    finally:
        conn.close()
    # Derived data through the core's own functions, on the store port the app uses.
    store = SqliteStore(path, label=str(path), readonly=False)
    ctx = Context(user="bench")
    try:
        t1 = time.perf_counter()
        with store.session(write=True) as s:
            rebuild_search(Tx(s, ctx, search=store.search(s), rows=store.rows(s)))
        log(f"search index built in {time.perf_counter() - t1:.1f} s")
        t1 = time.perf_counter()
        with store.session(write=True) as s:
            changed = recompute_breaches(Tx(s, ctx, search=store.search(s), rows=store.rows(s)), None)
        log(f"breach counts ({changed} messages with breaches) in {time.perf_counter() - t1:.1f} s")
    finally:
        store.dispose()
    t1 = time.perf_counter()
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    finally:
        conn.close()
    log(f"search index optimised in {time.perf_counter() - t1:.1f} s")
    t1 = time.perf_counter()
    conn = db.connect(path, readonly=False)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        # No ANALYZE: the app never writes planner statistics, and a file carrying sqlite_stat1 is
        # refused as altered (statistics change how queries run) — the bench file must be one the
        # app could have written.
        conn.execute("VACUUM")
    finally:
        conn.close()
    log(f"vacuum in {time.perf_counter() - t1:.1f} s")
    verify(path, log)
    log(f"{path}: {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
    return path


def verify(path: Path, log: Any = print) -> None:
    """Open the file the way the app does (validation + integrity check) and report its counts."""
    from workbench.session import Workbench

    t = time.perf_counter()
    with Workbench.open(path, readonly=True) as wb:
        counts = wb.counts()
    log(f"verified (Workbench.open + counts) in {time.perf_counter() - t:.1f} s: {counts.personas} personas, "
        f"{sum(counts.messages.values())} messages, {counts.terms} terms, {counts.objections} objections")


def export_json(path: Path, out: Path, log: Any = print) -> None:
    """Export a generated workbench to interchange JSON (the import benchmark's input)."""
    from workbench.exchange import interchange
    from workbench.session import Workbench

    t = time.perf_counter()
    with Workbench.open(path, readonly=True) as wb:
        document = wb.read(interchange.export_document)
    out.write_text(interchange.dumps(document), encoding="utf-8")
    log(f"{out}: {out.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", type=Path, help="the .workbench file to create (must not exist)")
    ap.add_argument("--personas", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20250106)
    ap.add_argument("--json", type=Path, help="also export it to this interchange JSON file")
    ap.add_argument("--force", action="store_true", help="replace the output if it exists")
    args = ap.parse_args(argv)
    if args.output.exists():
        if not args.force:
            print(f"{args.output} exists (use --force)", file=sys.stderr)
            return 2
        args.output.unlink()
    generate(args.output, args.personas, args.seed)
    if args.json:
        export_json(args.output, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
