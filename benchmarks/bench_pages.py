"""Page speed at 2,000 and 10,000 actions: one filter change (the filter plus every
chart's data) and a full page run under AppTest with the data cached (the edit page
signed in as an administrator, whose picker lists every action). Prints medians."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import tempfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_plan  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.editing.auth import User  # noqa: E402
from coopplan.views import charts, filters, frame, summaries  # noqa: E402
from tests.helpers import TEST_SESSION, inject_test_cookies, session_of  # noqa: E402

SIZES = (2_000, 10_000)
ASOF = dt.date(2026, 11, 25)
CHOICES = [
    filters.Filters(areas=("tourism", "sport")),
    filters.Filters(years=(2027,), statuses=("planned", "in_progress")),
    filters.Filters(q="иртыш"),
    filters.Filters(leads=("omsk",), quarters=("2026-Q3", "2026-Q4")),
]


def filter_change(view, dataset) -> None:
    """What a filter change recomputes: the filtered rows and every chart's data."""
    for chosen in CHOICES:
        rows = filters.apply(view, chosen)
        summaries.headline(rows, ASOF)
        charts.per_area_by_lead(rows, dataset.memorandum, "ru")
        charts.area_year_heatmap(rows, dataset.memorandum, [2026, 2027, 2028], "ru")
        charts.status_breakdown(rows, "ru")
        charts.progress_by_area(rows, dataset.memorandum, "ru")
        charts.timeline(rows, dataset.memorandum, [2026, 2027, 2028], ASOF, "ru")


def page_run(page: str, query: dict, user=None) -> float:
    from streamlit.testing.v1 import AppTest

    # AppTest outside a server warns of a missing script context on each new test
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if user is not None:
        inject_test_cookies()
        at.session_state[TEST_SESSION] = session_of(user)
    at.run()  # fills the cache
    assert not at.exception, at.exception
    return median_ms(lambda: at.run(), runs=5)


def main() -> None:
    header = f"{'actions':>8} {'filter change':>14} {'overview run':>13} {'plan run':>9} {'timeline run':>13} {'edit run':>9}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COOPPLAN_USERS"] = str(Path(tmp) / "users.yaml")  # its sessions store too, not the project's
        for size in SIZES:
            folder = make_plan(Path(tmp) / str(size), size)
            os.environ["COOPPLAN_DATA"] = str(folder)
            dataset = loader.load(folder)
            view = frame.actions_frame(dataset.actions, dataset.bodies)
            change = median_ms(partial(filter_change, view, dataset), runs=7) / len(CHOICES)
            query = {"lang": "ru", "area": "tourism,sport"}
            runs = [page_run(page, query) for page in ("overview", "plan", "timeline")]
            runs.append(page_run("edit", {"lang": "ru"}, User("admin", "admin")))
            print(
                f"{size:>8,} {change:>11.0f} ms {runs[0]:>10.0f} ms {runs[1]:>6.0f} ms {runs[2]:>10.0f} ms {runs[3]:>6.0f} ms"
            )


if __name__ == "__main__":
    main()
