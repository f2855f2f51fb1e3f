"""The plan's life at scale: the Reporting page's data (who owes what for a quarter, each
side's completeness, the table of reports owed, the disagreements) at 10,000 actions with
4 reports each; the comparison with the approved plan at 10,000 actions (a tenth of them
moved); and the implementation report of one quarter at 2,000 actions, as a Word document
and as a spreadsheet. Prints medians."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic import make_plan  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.data.model import Baseline, baseline_of  # noqa: E402
from coopplan.exchange import exports  # noqa: E402
from coopplan.reporting import amendments, duties  # noqa: E402
from coopplan.views import filters, reporting  # noqa: E402
from coopplan.views.frame import actions_frame  # noqa: E402
from coopplan.views.view import View  # noqa: E402

ASOF = dt.date(2026, 11, 30)


def page_data(dataset: loader.Dataset, frame) -> None:
    """What the Reporting page computes on each run, from a fresh view (filters as in its URL)."""
    view = View("ru", dataset, frame, filters.Filters(asof=ASOF))
    owed = reporting.owed(view, "2026-Q3")
    duties.completeness(owed)
    reporting.duties_table(view, owed)
    reporting.disagreements(view)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_plan(Path(tmp) / "big", 10_000, 4)
        dataset = loader.load(folder)
        frame = actions_frame(dataset.actions)
        took = median_ms(partial(page_data, dataset, frame))
        print(f"Reporting page's data, 10,000 actions, 40,000 reports: {took:.0f} ms")
        approved = Baseline(
            version=1,
            approved_on=dt.date(2026, 2, 27),
            approved_by="admin",
            actions=[
                baseline_of(a).model_copy(update={"end": "2028"}) if number % 10 == 0 else baseline_of(a)
                for number, a in enumerate(dataset.actions)
            ],
        )
        took = median_ms(partial(lambda: amendments.counts(amendments.compare(approved, dataset.actions))))
        print(f"changes since approval, 10,000 actions: {took:.0f} ms")
        folder = make_plan(Path(tmp) / "mid", 2_000, 4)
        dataset = loader.load(folder)
        for fmt, lang in (("docx", "kk+ru"), ("xlsx", "ru")):
            every = filters.Filters()
            took = median_ms(
                partial(exports.implementation, dataset, dataset.actions, "2026-Q3", every, ASOF, fmt, lang), 3
            )
            print(f"implementation report of 2026-Q3, 2,000 actions, {fmt}: {took / 1000:.1f} s")


if __name__ == "__main__":
    main()
