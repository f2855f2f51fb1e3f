"""No request leaves the deployment: every request each page makes in a real browser,
signed in and not, in Kazakh, Russian and English, goes to the app's own host (a closed
government network reaches no other, and each outside request would tell a third party
who opens which page) (issue 30, item 13)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from coopplan.ui.navigation import ROUTES
from tests.browser import sign_in, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_asks_the_apps_own_host_only(browser, server, lang, signed_in):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    asked: list[tuple[str, str]] = []
    own = urlsplit(server.url).netloc
    # nothing may go out; what would is recorded, and answered here, not by the internet
    context.route(
        lambda url: urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own,
        lambda route: route.abort(),
    )
    tab = context.new_page()
    tab.on("request", lambda request: asked.append((tab.url, request.url)))
    tab.on("websocket", lambda socket: asked.append((tab.url, socket.url)))
    try:
        if signed_in:
            tab.goto(f"{server.url}/?lang={lang}")
            wait_idle(tab)
            sign_in(tab, server, lang, name=f"reader-{lang}", role="admin")
        for route in ROUTES.values():
            tab.goto(f"{server.url}/{route.url_path}?lang={lang}")
            wait_idle(tab)
            tab.wait_for_timeout(500)  # the tab's icon is set after the page's first messages
    finally:
        context.close()
    foreign = sorted(
        {
            (page, url)
            for page, url in asked
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
        }
    )
    assert asked and not foreign, foreign
