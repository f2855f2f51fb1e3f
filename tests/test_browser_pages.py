"""Real browser (Playwright driving Debian's chromium): every page in each language, filters
through a widget and through the URL, a chart click, and screenshots to look at."""

import re

import pytest

from coopplan.ui.navigation import DEFAULT, ROUTES
from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser
PAGES = ["overview", "plan", "timeline", "areas", "import"]
COUNT = re.compile(r"(\d+)\D+(\d+)")


def matching(page) -> tuple[int, int]:
    """(shown, total) from the «N of M match» line of the plan page."""
    text = page.locator("strong").filter(has_text=re.compile(r"\d+\D+\d+")).first.inner_text()
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    return (numbers[0], numbers[1]) if "of" in text else (numbers[1], numbers[0])


def click_point(
    page, chart: int, lands_on: str, points: str = "g.point path", start: str = "/?lang=en", index: int = 0
) -> None:
    """Click a bar (or tile), the first unless ``index`` says, of the ``chart``-th chart
    of the page at ``start`` (the overview); wait for the plan at ``lands_on``."""
    page.open(start)
    figure = page.locator('[data-testid="stPlotlyChart"]').nth(chart)
    figure.scroll_into_view_if_needed()
    boxes = [b for b in (p.bounding_box() for p in figure.locator(points).all()) if b and b["width"] > 10]
    box = boxes[index]
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(lands_on), timeout=20_000)
    wait_idle(page)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_each_language(page, name, lang):
    page.open(f"/{'' if name == 'overview' else name}?lang={lang}")  # the default page lives at /
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").count() == 1
    screenshot(page, f"{name}-{lang}")
    width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert width <= 1280


def test_a_filter_in_the_url_narrows_the_table(page):
    page.open("/plan?lang=en")
    shown_all, total = matching(page)
    assert shown_all == total > 0
    page.open("/plan?lang=en&area=tourism,sport&year=2027")
    shown, total2 = matching(page)
    assert total2 == total and 0 < shown < total
    rows = page.locator('[data-testid="stDataFrame"]').first.get_attribute("aria-rowcount")
    assert rows is None or int(rows) == shown + 1
    screenshot(page, "plan-filtered-en")


def test_a_filter_widget_changes_the_count_and_the_url(page):
    page.open("/plan?lang=en")
    _, total = matching(page)
    search = page.get_by_role("textbox", name="Search text")
    search.fill("Irtysh")
    search.press("Enter")
    wait_idle(page)
    page.wait_for_function("location.search.includes('q=Irtysh')")
    shown, _ = matching(page)
    assert 0 < shown < total
    assert "q=Irtysh" in page.url


def test_filters_follow_to_other_pages(page):
    page.open("/plan?lang=ru&status=done")
    page.get_by_role("link", name="Временная шкала").click()
    wait_idle(page)
    page.wait_for_function("location.search.includes('status=done')")
    assert "/timeline" in page.url


def test_an_area_opens_its_actions_in_the_plan(page):
    page.open("/areas?lang=ru&status=done")
    page.get_by_role("link", name="Открыть эти мероприятия в плане").first.click()
    page.wait_for_url(re.compile(r"/plan\?.*area=investment_trade"), timeout=20_000)
    wait_idle(page)
    assert "status=done" in page.url  # the other filters come along
    assert matching(page) == (3, 45)


def test_clicking_a_timeline_bar_opens_that_action_in_the_plan(page):
    click_point(page, 0, r"/plan\?.*status=postponed", start="/timeline?lang=en&status=postponed", index=1)
    assert matching(page) == (3, 45)
    page.get_by_role(
        "heading", name="Joint freestyle wrestling training camps"
    ).wait_for()  # po-034 in full, not the first
    screenshot(page, "plan-from-timeline-en")


def test_invalid_url_values_give_a_notice_not_an_error(page):
    page.open("/plan?lang=en&area=atlantis&year=1999&asof=yesterday")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("were not recognised").count() == 1


def test_clicking_a_bar_narrows_the_plan(page):
    click_point(page, 0, r"/plan\?.*area=")
    shown, total = matching(page)
    assert 0 < shown < total
    screenshot(page, "plan-after-click-en")


def test_the_plan_downloads_as_a_word_document(page, tmp_path):
    page.open("/plan?lang=ru&area=tourism")
    page.get_by_text("Скачать").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Документ плана (Word)").click()
    path = tmp_path / "plan.docx"
    download.value.save_as(path)
    from docx import Document

    rows = Document(str(path)).tables[0].rows
    assert len(rows) == 1 + 1 + 4  # header, the tourism heading, its four actions
    screenshot(page, "plan-downloads-ru")


def test_uploading_a_spreadsheet_previews_it(page, server, tmp_path):
    from coopplan.data import loader
    from coopplan.exchange import spreadsheet

    dataset = loader.load(server.data_dir)
    rows = spreadsheet.to_csv(dataset.actions).decode("utf-8-sig").replace("sez, investors", "sez, investors, expo")
    rows = rows.replace(",planned,", ",finished,", 1)  # po-003, now invalid
    upload = tmp_path / "plan.csv"
    upload.write_bytes(rows.encode("utf-8-sig"))
    page.open("/import?lang=kk")
    sign_in(page, server, "kk")  # the import page reads files of editors only
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    page.get_by_text("po-002 іс-шарасындағы өзгерістер (3-жол)").wait_for()
    wait_idle(page)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics == ["0", "1", str(len(dataset.actions) - 2), "1"]
    screenshot(page, "import-preview-kk")
    warning = page.locator('[data-testid="stAlertContentWarning"]')
    assert (
        "4-жол: po-003 · Тізімнен таңдаңыз (көрсетілгені: «finished»)" in warning.inner_text()
    )  # the advice in Kazakh


def test_clicking_a_heat_map_tile_narrows_the_plan_to_its_area_and_year(page):
    click_point(page, 1, r"/plan\?.*area=\w+.*year=20\d\d", points="g.points path.point")
    shown, total = matching(page)
    assert 0 < shown < total


def test_clicking_a_status_bar_narrows_the_plan_to_that_status(page):
    click_point(page, 2, r"/plan\?.*status=\w+")
    shown, total = matching(page)
    assert 0 < shown < total


@pytest.mark.parametrize("name", list(ROUTES))
def test_every_page_names_in_its_html_the_code_it_draws_with_and_finds_the_server_at_once(page, server, name):
    """Code fetched only when its first element arrives, or a look for the server under
    the page's own address, is a wait of its own on every load (web.preload): every
    module a page loads is named in the HTML of its address, and the server is asked
    for where it is. The editors' pages are loaded signed in."""
    path = f"/{'' if name == DEFAULT else ROUTES[name].url_path}?lang=en"
    if name in ("edit", "history", "import"):
        page.open(path)
        sign_in(page, server, "en")
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    served = page.goto(server.url + path)
    wait_idle(page)
    named = set(re.findall(r"\./static/js/([\w.\-]+\.js)", served.text()))
    late = sorted({url.rsplit("/", 1)[-1] for url in fetched if "/static/js/" in url} - named)
    assert not late, f"{name}: add the kinds of element of these modules to its Route.draws: {late}"
    assert [url for url in fetched if url.endswith("/_stcore/health")] == [f"{server.url}/_stcore/health"]
