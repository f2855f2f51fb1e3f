"""What each hostile data folder of ``tests/corpus/`` costs to load and validate:
median time of 5 loads, and how much resident memory ``validate`` grows by in a
child process (libyaml's C allocations included), against the shipped data as
the baseline. A refused alias bomb or a 100,000-bracket file should cost about
what a good file costs."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from coopplan.data import loader  # noqa: E402
from tests.corpus import build, cases  # noqa: E402
from tests.helpers import DATA  # noqa: E402
from tests.test_corpus import validate_in_child  # noqa: E402

RUNS = 5


def cost(folder: Path) -> tuple[float, float, int]:
    """(median ms, MiB grown, problems) of loading ``folder``."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        dataset = loader.load(folder)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, validate_in_child(folder)["grew"] / 2**20, len(dataset.problems)


def main() -> None:
    base_ms, base_mib, _ = cost(DATA)
    print(f"{'case':<28} {'median ms':>10} {'× shipped':>10} {'MiB grown':>10} {'problems':>9}")
    print(f"{'(shipped data)':<28} {base_ms:>10.1f} {1:>10.2f} {base_mib:>10.1f} {0:>9}")
    worst = ("", 0.0, 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases():
            ms, mib, problems = cost(build(case.name, Path(tmp) / case.name))
            print(f"{case.name:<28} {ms:>10.1f} {ms / base_ms:>10.2f} {mib:>10.1f} {problems:>9}")
            if ms > worst[1]:
                worst = (case.name, ms, mib)
    print(
        f"slowest case: {worst[0]}, {worst[1]:.1f} ms ({worst[1] / base_ms:.2f}× the shipped data), {worst[2]:.1f} MiB grown"
    )


if __name__ == "__main__":
    main()
