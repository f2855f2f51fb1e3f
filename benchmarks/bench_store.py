"""Median time to save one edited action at 300 and 10,000 actions: the cost of a
save must not grow with the plan (one file is written, one history line appended)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic import make_plan  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.editing import store  # noqa: E402
from coopplan.editing.auth import User  # noqa: E402

SIZES = (300, 10_000)
SAVES = 60
EDITOR = User("bench", "admin")


def median_save_ms(folder: Path) -> float:
    dataset = loader.load(folder)
    actions = dataset.actions[:SAVES]
    times = []
    for number, action in enumerate(actions):
        version, _ = store.read_version(folder, action.id)
        edited = action.model_copy(update={"progress": (number * 7) % 101})
        started = time.perf_counter()
        store.save(folder, edited, EDITOR, version, memorandum=dataset.memorandum)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            results[size] = median_save_ms(make_plan(Path(tmp) / str(size), size))
            print(f"{size:>8,} actions: median save {results[size]:.1f} ms")
    print(f"ratio {SIZES[-1]:,} / {SIZES[0]:,}: {results[SIZES[-1]] / results[SIZES[0]]:.2f}")


if __name__ == "__main__":
    main()
