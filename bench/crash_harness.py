"""Long crash run: ``python bench/crash_harness.py --kills 1000`` SIGKILLs writers at random moments.

Splits the kills over the scenarios of tests/reliability/harness.py (command-layer edits with
write-backs, JSON imports, hand-off copies racing a holder of their target, migrations) and
tests/reliability/races.py (write-backs racing a colleague who replaces the file, JSON exports racing
another writer of their target), and prints the figures: kills, acknowledged work checked after
each, write-backs, races won by the other writer, temps cleaned, and every broken promise. Exit 1 on
any.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Share of the kills per scenario.
SHARES = {"edits": 0.3, "import": 0.15, "handoff": 0.15, "migrate": 0.1, "race": 0.2, "export": 0.1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.6, help="longest wait before a kill (s)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pwkb-crash-bench-"))
    os.environ["PERSONA_WORKBENCH_DATA"] = str(work / "data")
    from tests.reliability import harness, races

    plan = {name: max(1, round(args.kills * share)) for name, share in SHARES.items()}
    plan["edits"] += args.kills - sum(plan.values())
    start = time.monotonic()
    figures = harness.run(work, plan, seed=args.seed, max_delay=args.max_delay, stop_on_problem=False,
                          progress=True, kinds=races.KINDS)
    took = time.monotonic() - start
    print(f"\n{figures.kills} kills ({figures.finished_before_kill} children finished first) in {took:.0f}s "
          f"— {work}")
    print(f"per scenario: {figures.by_scenario}")
    print(f"acknowledged work checked after the kills: {figures.acknowledged} "
          f"(imports {figures.imports}, hand-offs {figures.handoffs}), write-backs {figures.write_backs}")
    print(f"working copies recovered or set aside: {figures.recovered}; temporary files cleaned up: "
          f"{figures.temps_cleaned}")
    print(f"races with another writer: ours kept beside theirs {figures.kept_both} times; exports/hand-offs "
          f"refused over a held target {figures.refused}; holds respected {figures.races_held}, "
          f"writes that slipped in before a hold caught by the holder {figures.races_detected}")
    print(f"broken promises: {len(figures.problems)}")
    for line in figures.problems[:50]:
        print("  " + line)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
