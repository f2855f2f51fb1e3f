"""Real browser: on a phone (390 px wide) the overview, the plan and an action's detail
fit the screen's width (nothing scrolls the page sideways; a wide table scrolls inside
itself). (At 1280 px the plan table's whole titles, wrapped, are in the keyboard test's picture.)"""

import pytest

from coopplan.data import loader
from tests import pick
from tests.browser import screenshot, wait_idle

pytestmark = pytest.mark.browser

# How much wider than the window the page and its main column are (0: they fit)
OVERFLOW = """() => { const root = document.documentElement, main = document.querySelector('[data-testid="stMain"]');
  return Math.max(root.scrollWidth - root.clientWidth, main.scrollWidth - main.clientWidth) }"""


def test_a_phone_reads_the_overview_the_plan_and_an_action_without_scrolling_sideways(browser, server):
    charted = pick.action(
        loader.load(server.data_dir), "with an indicator (a chart in its detail)", lambda a: a.indicators
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    pages = (("overview", "/?lang=ru"), ("plan", "/plan?lang=kk"), ("detail", f"/plan?lang=en&id={charted.id}"))
    try:
        for name, path in pages:
            phone.goto(server.url + path)
            wait_idle(phone)
            assert phone.evaluate(OVERFLOW) <= 0, f"{path} scrolls sideways at 390 px"
            screenshot(phone, f"phone-{name}")
    finally:
        context.close()
