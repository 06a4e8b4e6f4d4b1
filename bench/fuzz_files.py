"""Long fuzz run over hostile workbench files: ``python bench/fuzz_files.py --cases 5000``.

Mutates a valid file (truncation, flipped bytes, page size, schema SQL, planted triggers/views/
indexes, generated columns, user_version, application_id, a foreign hot journal, combinations) and
opens each read-only and read-write; prints the figures and every broken promise. Exit 1 on any.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pwkb-fuzz-bench-"))
    os.environ["PERSONA_WORKBENCH_DATA"] = str(work / "data")
    from tests.reliability import fuzzing

    base = fuzzing.make_base(work)
    rng = random.Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    kinds: collections.Counter[str] = collections.Counter()
    broken: list[str] = []
    slowest = 0.0
    start = time.monotonic()
    for i in range(args.cases):
        recipe = fuzzing.draw_recipe(lambda lo, hi: rng.randint(lo, hi), len(base.data))
        kinds[str(recipe[0])] += 1
        data, journal = fuzzing.apply_recipe(base, recipe, work)
        t = time.monotonic()
        try:
            outcomes[fuzzing.check_case(data, journal, work / "data")] += 1
        except fuzzing.Broken as exc:
            broken.append(f"case {i} {recipe!r}: {exc}")
        slowest = max(slowest, time.monotonic() - t)
        if (i + 1) % 500 == 0:
            print(f"  {i + 1}/{args.cases} cases, {len(broken)} broken", flush=True)
    took = time.monotonic() - start
    print(f"\n{args.cases} hostile files in {took:.0f}s (slowest case {slowest:.2f}s for both opens)")
    print("mutations:", dict(sorted(kinds.items())))
    print("outcomes (read-only/read-write):")
    for outcome, n in outcomes.most_common():
        print(f"  {n:6}  {outcome}")
    print(f"broken promises: {len(broken)}")
    for line in broken[:50]:
        print("  " + line)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
