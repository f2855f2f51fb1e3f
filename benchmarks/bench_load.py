"""Soak: many editing sessions at once on a copy of the shipped data, then the
proof that no change was lost. Prints sessions, saves per second, conflicts
and peak memory.

    python benchmarks/bench_load.py [SESSIONS] [SECONDS]   (default 20 sessions, 60 s)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import load  # noqa: E402


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(load.ROOT / "data", data)
        outcome = load.run(data, sessions, seconds)
        wrong = load.check(data, outcome)
    tried = outcome.saves + outcome.conflicts
    peaks = sorted(s.peak_mib for s in outcome.sessions)
    print(f"sessions:            {len(outcome.sessions)} (one process each), editing for {outcome.seconds:.1f} s")
    print(f"saves tried:         {tried} ({tried / outcome.seconds:.2f} per second)")
    print(f"saved:               {outcome.saves} ({outcome.saves / outcome.seconds:.2f} per second)")
    print(f"refused, conflicts:  {outcome.conflicts} (all on the shared action {load.SHARED})")
    print(
        f"peak memory:         {peaks[len(peaks) // 2]:.0f} MiB median, {peaks[-1]:.0f} MiB highest per session; {sum(peaks):.0f} MiB all together"
    )
    print(f"changes lost:        {len(wrong)}" + "".join(f"\n  {w}" for w in wrong))
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
