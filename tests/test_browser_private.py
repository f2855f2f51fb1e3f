"""In a real browser, a private deployment (``COOPPLAN_PRIVATE=1``) end to end, with a
short configured idle time: nothing before signing in, everything after, a viewer who
cannot edit, a calendar link with its own token, and a sign-in that ends on time."""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import auth
from tests.browser import Server, fill_sign_in, screenshot, signed_in_text, wait_idle
from tests.helpers import DATA

pytestmark = pytest.mark.browser
IDLE = 8  # seconds: COOPPLAN_SESSION_IDLE of this module's server


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """The app served privately, sign-ins ending after IDLE seconds unused."""
    folder = tmp_path_factory.mktemp("private")
    data = folder / "data"
    shutil.copytree(DATA, data)
    env = {"COOPPLAN_USERS": str(folder / "users.yaml"), "COOPPLAN_PRIVATE": "1", "COOPPLAN_SESSION_IDLE": f"{IDLE}s"}
    served = Server(data, env)
    served.data_dir, served.users = data, folder / "users.yaml"
    auth.add_user("reader", "viewer", "a long password", path=served.users)
    auth.add_user("editor", "omsk", "a long password", path=served.users)
    yield served
    served.stop()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_a_private_deployment_end_to_end(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    tab = context.new_page()
    tab.goto(server.url + "/plan?area=sport")
    assert urlsplit(tab.url).path == "/signin"  # the sign-in page, not the plan
    tab.get_by_text(i18n.t("ru", "signin.private")).wait_for()
    assert tab.get_by_text("Спорт").count() == 0
    tab.screenshot(path=str(screenshot_path("private-signin-ru")), full_page=True)
    assert status_of(server.url + "/api/v1/actions") == 401 and status_of(server.url + "/export/plan.csv") == 401

    fill_sign_in(tab, "ru", "reader")
    wait_idle(tab)
    assert urlsplit(tab.url).path == "/plan" and "area=sport" in tab.url
    tab.get_by_text(signed_in_text("ru", "reader", "viewer")).wait_for()
    screenshot(tab, "private-plan-viewer")
    tab.get_by_text(i18n.t("ru", "calendar.header")).click()
    feed = tab.get_by_role("link", name=i18n.t("ru", "calendar.subscribe")).get_attribute("href")
    assert "token=" in feed
    assert status_of("http://" + feed.removeprefix("webcal://")) == 200  # no cookie: the token opens the calendar
    assert status_of("http://" + feed.removeprefix("webcal://").replace("token=", "token=x")) == 401

    tab.goto(f"{server.url}/edit?id={loader.load(server.data_dir).actions[0].id}")
    wait_idle(tab)
    tab.get_by_text(i18n.t("ru", "account.read_only")).wait_for()
    assert tab.get_by_label("Название · RU").count() == 0
    context.close()


def test_a_sign_in_ends_after_its_idle_time(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    tab = context.new_page()
    tab.goto(server.url + "/timeline?lang=en")
    fill_sign_in(tab, "en", "editor")
    wait_idle(tab)
    tab.get_by_text(signed_in_text("en", "editor", "omsk")).wait_for()
    time.sleep(IDLE + 2)  # unused for longer than the idle time
    search = tab.get_by_role("textbox", name=i18n.t("en", "filters.q"))
    search.fill("forum")
    search.press("Enter")  # the next step
    wait_idle(tab)
    tab.get_by_text(i18n.t("en", "signin.ended")).wait_for()
    assert tab.get_by_role("heading", name=i18n.t("en", "signin.title")).count() == 1
    assert tab.get_by_role("textbox", name=i18n.t("en", "filters.q")).count() == 0  # nothing of the plan is left
    screenshot(tab, "private-sign-in-ended")
    tab.reload()
    assert urlsplit(tab.url).path == "/signin"
    context.close()


def screenshot_path(name: str):
    from tests.browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
