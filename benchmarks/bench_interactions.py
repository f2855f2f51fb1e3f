"""What people feel most, in a real browser (Debian's chromium): a filter click until
the table is drawn again, a page switch until its chart is drawn, and the report
form's save until its confirmation, at 45, 2,000 and 10,000 actions, each against the
floor with controls of ``bench_browser`` (a bare Streamlit app with the same
navigation and sidebar widgets, whose area filter only filters and draws, and the
same report form, whose save only writes the record and says so).

Each measure starts with the click and ends when the page shows its outcome with the
script done: the table's rows are those of the chosen area; the timeline's chart is
drawn; the confirmation is on the page. A page switch is timed twice: the first in a
fresh browser context (plotly's code still to fetch and compile), then again after
going back. Ours and the floor are measured in turn, run after run, so a slower spell
of a shared machine falls on both; medians.

Usage: ``python benchmarks/bench_interactions.py [RUNS] [--sizes 45,2000,10000]``
(3 runs by default).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_browser import FLOOR, Floor  # noqa: E402
from benchmarks.synthetic import DATA, make_plan  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.editing import auth  # noqa: E402
from tests.browser import CHROMIUM, Server, fill_sign_in  # noqa: E402

AREA, AREA_ID = "Туризм", "tourism"
DONE = "Что сделано за квартал · RU"
SAVE = "Представить отчёт"
QUARTER = "period=2026-Q3&asof=2026-11-30"
PASSWORD = "a long password"
# The script has finished, nothing is left stale or a skeleton, and ``%s`` holds.
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-stale="true"]')
    && (%s);
}"""
# The table's rows (glide's grid counts its header row too).
ROWS = """[...document.querySelectorAll('[data-testid="stDataFrame"] [aria-rowcount]')]
  .some(grid => Number(grid.getAttribute('aria-rowcount')) === %d)"""
CHART = """location.pathname.endsWith('/timeline')
  && document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1"""
CONFIRMED = """!!document.querySelector('[data-testid="stAlertContentSuccess"]')"""


def settled(tab, condition: str) -> float:
    """Seconds until ``condition`` holds on a settled page, polling every 20 ms."""
    started = time.perf_counter()
    tab.wait_for_function(SETTLED % condition, timeout=180_000, polling=20)
    return time.perf_counter() - started


def open_page(browser, url: str, condition: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(url, wait_until="commit")
    tab.wait_for_function(SETTLED % condition, timeout=180_000, polling=50)
    return context, tab


def filter_and_switch(browser, plan: str, rows: int, chosen: int) -> tuple[float, float, float]:
    """(the filter click, the first switch to the timeline, a later one), in seconds."""
    context, tab = open_page(browser, plan, ROWS % (rows + 1))
    sidebar = tab.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Направление").locator("input").click()
    option = tab.get_by_role("option", name=AREA, exact=True)
    option.wait_for()
    option.click()
    took = settled(tab, ROWS % (chosen + 1))
    tab.keyboard.press("Escape")
    link = sidebar.locator('[data-testid="stSidebarNav"] a[href*="/timeline"]')
    link.click()
    first = settled(tab, CHART)
    sidebar.locator('[data-testid="stSidebarNav"] a[href*="/plan"]').click()
    tab.wait_for_function(SETTLED % "location.pathname.endsWith('/plan')", timeout=180_000, polling=50)
    link.click()
    again = settled(tab, CHART)
    context.close()
    return took, first, again


def save_report(browser, server, url: str, signed: bool) -> float:
    """The report form's save until its confirmation, signed in first on our app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    if signed:
        tab.goto(f"{server.url}/signin?lang=ru&next=/reporting", wait_until="load")
        fill_sign_in(tab, "ru", "ivanova", PASSWORD)
    tab.goto(url, wait_until="commit")
    tab.wait_for_function(SETTLED % "true", timeout=180_000, polling=50)
    box = tab.get_by_role("textbox", name=DONE)
    box.wait_for(timeout=180_000)
    box.fill(f"Проведена рабочая встреча ({time.time_ns()})")
    tab.get_by_role("button", name=SAVE).click()
    took = settled(tab, CONFIRMED)
    context.close()
    return took


def main(runs: int, sizes: tuple[int, ...]) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    print(f"medians of {runs} runs, seconds; ours / floor with controls (ratio)")
    print(f"{'actions':>8} {'filter':>20} {'first switch':>20} {'page switch':>20} {'report save':>20}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        script = Path(tmp) / "floor.py"
        script.write_text(FLOOR, encoding="utf-8")
        for size in sizes:
            data = Path(tmp) / f"data-{size}" / "data"
            if size == 45:
                shutil.copytree(DATA, data)
            else:
                make_plan(data, size)
            actions = loader.load(data).actions
            chosen = sum(1 for a in actions if a.area == AREA_ID)
            users = data.parent / "users.yaml"
            auth.add_user("ivanova", "omsk", PASSWORD, path=users)
            ours = Server(data, {"COOPPLAN_USERS": str(users)})
            floor = Floor(script, data, {"COOPPLAN_FLOOR_CONTROLS": "1"})
            try:
                targets = [
                    (f"{ours.url}/plan?lang=ru", f"{ours.url}/reporting?lang=ru&{QUARTER}", True),
                    (f"{floor.url}/plan", f"{floor.url}/reporting", False),
                ]
                measured = [[[] for _ in range(4)] for _ in targets]
                for run in range(runs + 1):  # the first run of each fills the servers' caches
                    for (plan, reporting, signed), into in zip(targets, measured, strict=True):
                        figures = filter_and_switch(browser, plan, len(actions), chosen)
                        figures += (save_report(browser, ours, reporting, signed),)
                        if run:
                            for column, value in zip(into, figures, strict=True):
                                column.append(value)
                mine, bare = ([statistics.median(c) for c in m] for m in measured)
                cells = [f"{a:.2f} / {b:.2f} ({a / b:.2f})" for a, b in zip(mine, bare, strict=True)]
                print(f"{size:>8,} " + " ".join(f"{c:>20}" for c in cells), flush=True)
            finally:
                for server in (ours, floor):
                    server.stop()
        browser.close()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    chosen = arguments[arguments.index("--sizes") + 1] if "--sizes" in arguments else "45,2000,10000"
    counts = [a for a in arguments if a.isdigit() and a != chosen]
    main(int(counts[0]) if counts else 3, tuple(int(n) for n in chosen.split(",")))
