"""What a hostile upload costs the server: the processor time of reading the crafted
workbook of issue 17 (a 9 KB export whose sheet declares A1:XFD1048576 and has a cell
on row 1,048,576) and its variants, against an honest export of the shipped plan, and
what the unbounded reader of before cost on it (measured on its first 20,000 rows of
1,048,576, projected)."""

from __future__ import annotations

import io
import itertools
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from openpyxl import load_workbook  # noqa: E402

from coopplan.data import workbooks  # noqa: E402
from coopplan.exchange import importer, spreadsheet  # noqa: E402
from tests.test_hostile_uploads import DATASET, ISSUE_17, REFUSED  # noqa: E402

RUNS = 7
SAMPLED_ROWS = 20_000
SHEET_ROWS = 1_048_576


def cpu_seconds(work) -> float:
    """The median processor time of ``work`` on this thread (what one upload holds a core for)."""
    times = []
    for _ in range(RUNS):
        started = time.thread_time()
        work()
        times.append(time.thread_time() - started)
    return statistics.median(times)


def refused(data: bytes) -> None:
    try:
        importer.read_rows(data, "plan.xlsx")
    except workbooks.UploadError:
        return
    raise AssertionError("the upload was read")


def unbounded_before() -> float:
    """The reader as it was: openpyxl trusting the dimension, every padded row walked."""
    started = time.thread_time()
    book = load_workbook(io.BytesIO(ISSUE_17), read_only=True, data_only=True)
    rows = enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
    spreadsheet._rows(itertools.islice(rows, SAMPLED_ROWS))
    return (time.thread_time() - started) * SHEET_ROWS / SAMPLED_ROWS


def main() -> None:
    honest = spreadsheet.to_xlsx(DATASET.actions, DATASET, "ru")
    big = spreadsheet.to_xlsx(DATASET.actions * 40, DATASET, "ru")
    base = cpu_seconds(lambda: importer.read_rows(honest, "plan.xlsx"))
    print(f"honest export, {len(DATASET.actions)} actions ({len(honest) / 1024:.0f} KB): median {base * 1000:.1f} ms")
    large = cpu_seconds(lambda: importer.read_rows(big, "plan.xlsx"))
    print(
        f"honest export, {len(DATASET.actions) * 40:,} actions ({len(big) / 1024:.0f} KB): median {large * 1000:.0f} ms"
    )
    for name, (data, _) in REFUSED.items():
        cost = cpu_seconds(lambda data=data: refused(data))
        print(
            f"{name} ({len(data) / 1024:.1f} KB), refused: median {cost * 1000:.1f} ms, {cost / base:.2f}× the honest one"
        )
    before = unbounded_before()
    print(f"the crafted workbook read as before (projected from {SAMPLED_ROWS:,} rows): {before:.0f} s of CPU")


if __name__ == "__main__":
    main()
