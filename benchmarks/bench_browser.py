"""Pages in a real browser (Debian's chromium) against the floor: a bare Streamlit app
drawing the same plotly charts or table over the same rows, served side by side in one
run. From navigation until the page is drawn and idle (the script done, no skeleton,
every chart drawn); medians of several cold loads (a fresh browser context each), at the
shipped 45 actions and at 2,000; and the first visit after the data changed (the cache
reloading the folder). Ours and the floor are loaded in turn, so a slower spell of a
shared machine falls on both. Prints the table and the ratios.

A second floor, «with controls», draws the same under the navigation and sidebar
widgets our pages carry (nine pages, language, the filters, the share links, the
sign-in): its ratio is what our pages cost beyond a Streamlit app with the same
controls, where the first ratio includes what those controls cost the framework.

``--link`` loads every page over an emulated distant connection (100 ms round trips,
20 Mbit/s down, 5 up: an office across the border from the server) instead of the
loopback, where what the page's HTML has the browser fetch early (``web.preload``)
shows.

Usage: ``python benchmarks/bench_browser.py [RUNS] [--link] [--sizes 45,2000,10000]``
(5 runs by default, at 45 and 2,000 actions unless ``--sizes`` names others).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import DATA, make_plan  # noqa: E402
from tests.browser import CHROMIUM, Server  # noqa: E402

PAGES = {"overview": 4, "timeline": 1, "plan": 0}  # the page and how many charts it draws
PATHS = {"overview": ""}  # the overview is the default page, at the root: /overview is «Page not found»
FLOOR = '''
"""The floor: what drawing the same charts and table over the same rows costs in
Streamlit. With COOPPLAN_FLOOR_CONTROLS set, the same under the controls our pages
carry: nine pages in the navigation and a sidebar of the same widgets, whose area
filter filters what is drawn, and the report form's widgets on the reporting page."""
import os
import plotly.graph_objects as go
import streamlit as st
from coopplan.data import loader
from coopplan.views.frame import actions_frame

@st.cache_resource
def loaded(stamp):
    dataset = loader.load(os.environ["COOPPLAN_DATA"])
    return actions_frame(dataset.actions), {area.id: area.name.ru for area in dataset.memorandum.areas}

everything, AREAS = loaded(loader.fingerprint(os.environ["COOPPLAN_DATA"]))
frame = everything

def draw(page, areas=()):
    global frame
    frame = everything[everything["area"].isin(areas)] if areas else everything
    st.title(page)
    if page == "overview":
        for column in ("area", "lead", "status", "start_year"):
            counts = frame[column].value_counts()
            st.plotly_chart(go.Figure(go.Bar(x=counts.index.astype(str), y=counts.to_numpy())))
        st.dataframe(frame[["id", "title_ru", "end"]].head(20))
    elif page == "timeline":
        days = (frame["end"] - frame["start"]).dt.days + 1
        st.plotly_chart(go.Figure(go.Bar(base=frame["start"], x=days * 86_400_000, y=frame["id"], orientation="h")))
    elif page == "reporting":
        report_form()
    else:
        st.dataframe(frame[["id", "title_ru", "period_ru", "status", "progress", "area", "lead"]])

def report_form():
    """The report form's widgets; a save writes the record as the store would (a
    synced temporary renamed into place) and says so."""
    import datetime as dt, json, tempfile
    with st.form("report_form", enter_to_submit=False):
        left, middle, right = st.columns(3)
        left.selectbox("Статус", ["planned", "in_progress", "done"])
        middle.slider("Выполнение, %", 0, 100, step=5)
        right.date_input("Дата", format="DD.MM.YYYY")
        texts = [
            column.text_area(f"Что сделано за квартал · {lang}", key=f"r_done_{lang.lower()}")
            for column, lang in zip(st.columns(3), ("KK", "RU", "EN"))
        ]
        st.text_area("Подтверждения")
        saved = st.form_submit_button("Представить отчёт", type="primary")
    if saved:
        folder = os.path.dirname(os.environ["COOPPLAN_DATA"])
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as out:
            json.dump({"done": texts, "at": dt.datetime.now().isoformat()}, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, os.path.join(folder, "floor-report.json"))
        st.success("Отчёт представлен")

def controls():
    bar = st.sidebar
    bar.segmented_control("Язык", ["Қазақша", "Русский", "English"], default="Русский")
    bar.header("Фильтры")
    bar.text_input("Поиск по тексту", help="?")
    bar.pills("Ведущая сторона", ["Павлодарская область", "Омская область", "Совместно"], selection_mode="multi")
    areas = bar.multiselect("Направление", list(AREAS), format_func=AREAS.get, placeholder="Все", key="filter_area")
    bar.pills("Год", sorted(set(frame["start_year"])), selection_mode="multi")
    bar.multiselect("Квартал", [f"{q} кв. {y}" for y in (2026, 2027, 2028) for q in (1, 2, 3, 4)], placeholder="Все")
    bar.pills("Статус", sorted(set(frame["status"])), selection_mode="multi")
    bar.pills("Сроки", ["Просроченные", "Начинаются в ближайшие 90 дней"], selection_mode="multi", help="?")
    bodies = sorted(set(frame["bodies_pavlodar"].explode().dropna()) | set(frame["bodies_omsk"].explode().dropna()))
    bar.multiselect("Исполнитель", bodies, placeholder="Все")
    bar.date_input("По состоянию на", help="?", format="DD.MM.YYYY")
    bar.selectbox("Версия", ["Последняя", "Версия 1"])
    bar.caption("Ссылка на этот вид")
    bar.markdown("`http://127.0.0.1/plan?lang=ru`")
    links = bar.container(horizontal=True)
    for label in ("Word", "Excel", "CSV"):
        links.link_button(label, "/", type="tertiary", icon=":material/download:")
    bar.link_button("Войти", "/", icon=":material/login:")
    return areas

if os.environ.get("COOPPLAN_FLOOR_CONTROLS"):
    NAVIGATION = ("overview", "plan", "timeline", "areas", "reporting", "changes", "edit", "history", "import")
    def page_of(name):
        def run():
            draw(name, controls())
        return st.Page(run, title=name, url_path=name, icon=":material/dashboard:", default=name == "overview")
    st.navigation([page_of(name) for name in NAVIGATION]).run()
else:
    draw(st.query_params.get("page", "overview"))
'''
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && document.querySelectorAll('.js-plotly-plot .main-svg').length >= %d;
}"""


class Floor(Server):
    """The bare app, started as the project's own server is (same Streamlit, same flags)."""

    def __init__(self, script: Path, data: Path, extra_env: dict | None = None):
        self._script = script
        super().__init__(data, extra_env)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "streamlit", "run", str(self._script)]


# Chromium's network emulation (DevTools protocol): round trip in ms, bytes per second.
DISTANT = {"offline": False, "latency": 100, "downloadThroughput": 2_500_000, "uploadThroughput": 625_000}
LINK: dict | None = None  # set by --link


def load_time(browser, url: str, charts: int) -> float:
    """Seconds from navigation until the page is drawn and idle, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    if LINK is not None:
        devtools = context.new_cdp_session(tab)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", LINK)
    started = time.perf_counter()
    tab.goto(url, wait_until="commit")
    tab.wait_for_function(IDLE % charts, timeout=120_000, polling=50)
    took = time.perf_counter() - started
    context.close()
    return took


def medians(browser, urls: list[str], charts: int, runs: int, before=lambda: None) -> list[float]:
    """The median load time of each address, loaded in turn run after run: a machine
    that slows down for a while slows all of them alike, not only the one measured then.
    ``before`` runs ahead of every measured load."""
    for url in urls:
        load_time(browser, url, charts)  # the server's own first run is not a reader's
    times = [[] for _ in urls]
    for _ in range(runs):
        for url, took in zip(urls, times, strict=True):
            before()
            took.append(load_time(browser, url, charts))
    return [statistics.median(took) for took in times]


def main(runs: int, sizes: tuple[int, ...] = (45, 2_000)) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        sys.exit(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    print(f"{'page':>9} {'actions':>8} {'ours':>7} {'floor':>7} {'ratio':>6} {'with controls':>14} {'ratio':>6}")
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
            ours = Server(data, {"COOPPLAN_USERS": str(data.parent / "users.yaml")})
            floor = Floor(script, data)
            controlled = Floor(script, data, {"COOPPLAN_FLOOR_CONTROLS": "1"})
            try:
                for page, charts in PAGES.items():
                    path = PATHS.get(page, page)
                    urls = [f"{ours.url}/{path}?lang=ru", f"{floor.url}/?page={page}", f"{controlled.url}/{path}"]
                    mine, bare, same = medians(browser, urls, charts, runs)
                    print(
                        f"{page:>9} {size:>8,} {mine:>6.2f}s {bare:>6.2f}s {mine / bare:>6.2f}"
                        f" {same:>13.2f}s {mine / same:>6.2f}"
                    )
                if size == 45:
                    mine, bare, same = medians(
                        browser,
                        [f"{ours.url}/?lang=ru", f"{floor.url}/?page=overview", controlled.url],
                        PAGES["overview"],
                        runs,
                        before=partial(os.utime, data / "plan.yaml"),  # the data changed: the next visit reloads it
                    )
                    print(
                        f"first visit after a data change: {mine:.2f}s / {bare:.2f}s = {mine / bare:.2f};"
                        f" with controls {same:.2f}s, {mine / same:.2f}"
                    )
            finally:
                for server in (ours, floor, controlled):
                    server.stop()
        browser.close()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    LINK = DISTANT if "--link" in arguments else None
    chosen = arguments[arguments.index("--sizes") + 1] if "--sizes" in arguments else "45,2000"
    counts = [a for a in arguments if a.isdigit() and a != chosen]
    main(int(counts[0]) if counts else 5, tuple(int(n) for n in chosen.split(",")))
