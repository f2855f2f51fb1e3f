"""Timing shared by the benchmarks: the median of several runs, in milliseconds."""

from __future__ import annotations

import statistics
import time


def median_ms(work, runs: int = 5) -> float:
    """The median wall time of ``runs`` calls of ``work``, in milliseconds; a median
    because the machines are shared and a single run says little."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000
