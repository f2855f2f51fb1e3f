"""In a real browser: a sign-in that lasts through reloads and new tabs, signing out in
one tab, the Plan page's calendar subscription and the share box's document links."""

from __future__ import annotations

import datetime as dt
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import sessions
from coopplan.exchange import calendar_ics
from tests import pick
from tests.browser import fill_sign_in, screenshot, sign_in, signed_in_text, wait_idle

pytestmark = pytest.mark.browser
SIGNED_IN = signed_in_text("en", "editor", "pavlodar")


def test_signing_in_from_the_sidebar_in_the_same_tab_comes_back_and_lasts_through_reloads_and_new_tabs(page, server):
    from coopplan.editing import auth

    if "editor" not in auth.load_accounts(server.users):
        auth.add_user("editor", "pavlodar", "a long password", path=server.users)
    page.open("/plan?lang=en&area=tourism")
    tabs = len(page.context.pages)
    page.get_by_role("link", name=i18n.t("en", "account.sign_in_link")).click()
    signin = page  # the same tab, not a new one
    signin.wait_for_url("**/signin?**")
    assert len(page.context.pages) == tabs
    assert urlsplit(signin.url).path == "/signin"
    screenshot_path = screenshot_plain(signin, "signin-page-en")
    fill_sign_in(signin, "en", "editor", "wrong password")
    signin.get_by_text(i18n.t("en", "account.failed")).wait_for()
    fill_sign_in(signin, "en", "editor")
    wait_idle(signin)
    assert urlsplit(signin.url).path == "/plan" and dict(parse_qsl(urlsplit(signin.url).query)) == {
        "lang": "en",
        "area": "tourism",
    }
    signin.get_by_text(SIGNED_IN).wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == sessions.COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    for _ in range(3):
        signin.reload()
        wait_idle(signin)
        assert signin.get_by_text(SIGNED_IN).count() == 1
    fresh = page.context.new_page()  # a link opened in a new tab of the same browser
    theirs = pick.action(loader.load(server.data_dir), "led by Pavlodar", lambda a: a.lead == "pavlodar")
    fresh.goto(f"{server.url}/edit?lang=en&id={theirs.id}")  # one the Pavlodar editor may change
    wait_idle(fresh)
    assert fresh.get_by_text(SIGNED_IN).count() == 1 and fresh.get_by_label("Title · RU").count() == 1
    screenshot(fresh, "signed-in-new-tab-edit")
    assert screenshot_path.exists()


def screenshot_plain(tab, name: str):
    """A page that is not Streamlit's (the sign-in page), whole."""
    from tests.browser import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def test_signing_out_in_one_tab_signs_out_the_other_at_its_next_step(page, server):
    page.open("/?lang=en")
    sign_in(page, server, "en")
    other = page.context.new_page()
    other.goto(server.url + "/plan?lang=en")
    wait_idle(other)
    assert other.get_by_text(SIGNED_IN).count() == 1
    page.get_by_role("button", name=i18n.t("en", "account.sign_out")).click()
    wait_idle(page)
    page.get_by_role("link", name=i18n.t("en", "account.sign_in_link")).wait_for()
    # the other tab's next step: a filter chosen
    search = other.get_by_role("textbox", name=i18n.t("en", "filters.q"))
    search.fill("forum")
    search.press("Enter")
    wait_idle(other)
    other.get_by_text(i18n.t("en", "signin.ended")).wait_for()
    assert other.get_by_text(SIGNED_IN).count() == 0
    screenshot(other, "signed-out-in-another-tab")
    other.close()


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=30) as reply:
        return reply.status, reply.headers, reply.read()


def test_the_plan_offers_a_calendar_subscription_for_its_filters(page, server):
    from icalendar import Calendar

    page.open("/plan?lang=en&area=sport")
    page.get_by_text(i18n.t("en", "calendar.header")).click()
    link = page.get_by_role("link", name=i18n.t("en", "calendar.subscribe"))
    link.wait_for()
    webcal = link.get_attribute("href")
    assert webcal.startswith("webcal://127.0.0.1:") and "/calendar.ics?" in webcal
    assert dict(parse_qsl(urlsplit(webcal).query)) == {"lang": "en", "area": "sport"}
    status, headers, body = fetch("http://" + webcal.removeprefix("webcal://"))
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    uids = [str(e["uid"]) for e in Calendar.from_ical(body).walk("VEVENT")]
    sport = [a.id for a in loader.load(server.data_dir).actions if a.area == "sport"]
    assert uids == [calendar_ics.uid(i) for i in sport]
    screenshot(page, "plan-calendar-subscription")


def test_the_share_box_offers_the_view_as_documents(page, server):
    page.open("/timeline?lang=ru&lead=omsk")
    hrefs = {}
    for label in ("Word", "Excel", "CSV"):
        hrefs[label] = page.get_by_role("link", name=label, exact=True).get_attribute("href")
    assert hrefs["CSV"] == f"{server.url}/export/plan.csv?lang=ru&lead=omsk"
    status, headers, body = fetch(hrefs["Word"])
    assert (
        status == 200
        and body[:2] == b"PK"
        and f"pavlodar-omsk-plan_omsk_{dt.date.today()}_ru.docx" in headers["Content-Disposition"]
    )
    assert fetch(hrefs["CSV"])[2].decode("utf-8-sig").count("\n") > 1
