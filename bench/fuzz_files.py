"""Long fuzz run over hostile files: ``python bench/fuzz_files.py --cases 5000 --locks 500 --images 5000``.

Mutates a valid workbench (truncation, flipped bytes, page size, schema SQL, planted triggers/views/
tables/indexes, generated columns, user_version, application_id, hot and cold foreign journals,
combinations) and opens each read-only and read-write; plants hostile lock files beside a valid one
(garbage, folders, links, FIFOs, huge or impossible pids, control characters) and opens it for
editing; puts special files (FIFOs, devices, folders, loops) where a workbench, an import source or
an image is expected; and feeds cut, flipped, resized and foreign images to the image check. Prints
the figures and every broken promise. Exit 1 on any.
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
    parser.add_argument("--locks", type=int, default=200)
    parser.add_argument("--images", type=int, default=2000)
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
    broken += _locks_specials_images(args, base, rng, work)
    print(f"broken promises: {len(broken)}")
    for line in broken[:50]:
        print("  " + line)
    return 1 if broken else 0


def _locks_specials_images(args: argparse.Namespace, base: object, rng: random.Random, work: Path) -> list[str]:
    """The lock-file, special-file and image parts of the run; their broken promises."""
    from tests.reliability import fuzzing

    def draw(low: int, high: int) -> int:
        return rng.randint(low, high)

    def lock_case() -> str:
        return fuzzing.check_lock_case(base, fuzzing.draw_lock_recipe(draw), work / "data")  # type: ignore[arg-type]

    def image_case() -> str:
        return fuzzing.check_image_case(fuzzing.make_image(fuzzing.draw_image_recipe(draw)))

    broken: list[str] = []
    for name, count, case in (("lock files", args.locks, lock_case), ("images", args.images, image_case)):
        outcomes: collections.Counter[str] = collections.Counter()
        start = time.monotonic()
        for i in range(count):
            try:
                outcomes[case()] += 1
            except fuzzing.Broken as exc:
                broken.append(f"{name} case {i}: {exc}")
        print(f"\n{count} hostile {name} in {time.monotonic() - start:.0f}s: {dict(outcomes.most_common())}")
    specials: collections.Counter[str] = collections.Counter()
    for kind in fuzzing.SPECIALS:
        for role in ("workbench", "source", "image"):
            try:
                specials[f"{role}: {fuzzing.check_special_case(kind, role, work / 'data')}"] += 1
            except fuzzing.Broken as exc:
                broken.append(f"special file {kind} as the {role}: {exc}")
    print(f"special files (FIFO, /dev/zero, /dev/null, folder, loop, dangling link) × 3 roles: {dict(specials)}")
    return broken


if __name__ == "__main__":
    sys.exit(main())
