"""Long crash run: ``python bench/crash_harness.py --kills 1000`` SIGKILLs writers at random moments.

Splits the kills over the scenarios of tests/reliability/harness.py (command-layer edits with
write-backs, JSON imports, hand-off copies, migrations) and prints the figures: kills, acknowledged
work checked after each, write-backs and temps cleaned, and every broken promise. Exit 1 on any.
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
SHARES = {"edits": 0.45, "import": 0.25, "handoff": 0.15, "migrate": 0.15}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.6, help="longest wait before a kill (s)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pwkb-crash-bench-"))
    os.environ["PERSONA_WORKBENCH_DATA"] = str(work / "data")
    from tests.reliability import harness

    plan = {name: max(1, round(args.kills * share)) for name, share in SHARES.items()}
    plan["edits"] += args.kills - sum(plan.values())
    start = time.monotonic()
    figures = harness.run(work, plan, seed=args.seed, max_delay=args.max_delay, stop_on_problem=False,
                          progress=True)
    took = time.monotonic() - start
    print(f"\n{figures.kills} kills ({figures.finished_before_kill} children finished first) in {took:.0f}s "
          f"— {work}")
    print(f"per scenario: {figures.by_scenario}")
    print(f"acknowledged work checked after the kills: {figures.acknowledged} "
          f"(imports {figures.imports}, hand-offs {figures.handoffs}), write-backs {figures.write_backs}")
    print(f"working copies recovered: {figures.recovered}; temporary files cleaned up: {figures.temps_cleaned}")
    print(f"broken promises: {len(figures.problems)}")
    for line in figures.problems[:50]:
        print("  " + line)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
