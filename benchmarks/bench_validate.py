"""``python -m coopplan validate`` as a whole process against a process that only parses
the same files with libyaml (GC paused): what a person waits for at the command line,
start-up and imports included. Prints medians and ratios at 2,000 and 10,000 actions, and at
10,000 with 4 progress reports each, with one process reading the files (``--jobs 1``)
and with the default (one a CPU)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_plan  # noqa: E402

SIZES = ((2_000, 0), (10_000, 0), (10_000, 4))  # (actions, reports on each)
RUNS = 7
FLOOR = """
import gc, sys, yaml
from pathlib import Path
folder = Path(sys.argv[1])
gc.disable()
for path in [*sorted((folder / "actions").glob("*.yaml")), *sorted((folder / "reports").glob("*/*.yaml")),
             folder / "memorandum.yaml", folder / "plan.yaml"]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def median_ms(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    header = f"{'libyaml process':>16} {'validate --jobs 1':>18} {'ratio':>6} {'validate':>9} {'ratio':>6}"
    print(f"{'actions':>8} {'reports':>8} {header}")
    with tempfile.TemporaryDirectory() as tmp:
        for size, reports in SIZES:
            folder = make_plan(Path(tmp) / f"{size}-{reports}", size, reports)
            validate = [sys.executable, "-m", "coopplan", "validate", str(folder)]
            floor = median_ms([sys.executable, "-c", FLOOR, str(folder)])
            alone = median_ms([*validate, "--jobs", "1"])
            default = median_ms(validate)
            print(
                f"{size:>8,} {size * reports:>8,} {floor:>13.0f} ms {alone:>15.0f} ms {alone / floor:>6.2f}"
                f" {default:>6.0f} ms {default / floor:>6.2f}"
            )


if __name__ == "__main__":
    main()
