"""Load-and-validate time against the floor of libyaml alone, at 300, 2,000 and 10,000
actions, and at 10,000 actions with 4 progress reports each.

Prints medians; run with ``make bench``. Timed on a shared machine: read the
ratios, not single figures.
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic import make_plan  # noqa: E402
from coopplan.data import loader  # noqa: E402

SIZES = ((300, 0), (2_000, 0), (10_000, 0), (10_000, 4))  # (actions, reports on each)
RUNS = 5


def libyaml_floor(folder: Path) -> list:
    """Read and parse every file with CSafeLoader, GC paused: the least any loader must do."""
    gc.disable()
    try:
        paths = [
            *sorted((folder / "actions").glob("*.yaml")),
            *sorted((folder / "reports").glob("*/*.yaml")),
            folder / "memorandum.yaml",
            folder / "plan.yaml",
        ]
        return [yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader) for path in paths]
    finally:
        gc.enable()


def median_seconds(work, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
        del result  # freeing what was loaded is not part of loading it, on either side
    return statistics.median(times)


def main() -> None:
    print(f"{'actions':>8} {'reports':>8} {'load+validate':>14} {'libyaml floor':>14} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size, reports in SIZES:
            folder = make_plan(Path(tmp) / f"{size}-{reports}", size, reports)
            assert not loader.load(folder).problems
            full = median_seconds(partial(loader.load, folder))
            floor = median_seconds(partial(libyaml_floor, folder))
            count = size * reports
            print(f"{size:>8,} {count:>8,} {full * 1000:>11.0f} ms {floor * 1000:>11.0f} ms {full / floor:>6.2f}")


if __name__ == "__main__":
    main()
