"""Two app servers on one data folder and one sessions store, behind Debian's nginx in
round-robin, with the README's deployment section's own nginx configuration: a browser signs in,
reloads landing on either server, edits on one, sees the edit on the other, and stays
signed in throughout."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from coopplan import i18n
from tests import nginx
from tests.browser import Server, screenshot, sign_in, signed_in_text, wait_idle
from tests.helpers import DATA

pytestmark = pytest.mark.browser
RELOADS = 6


class Balanced:
    """Two app servers and nginx before them; ``url`` is nginx's."""

    def __init__(self, folder: Path):
        data = folder / "data"
        shutil.copytree(DATA, data)
        self.data_dir, self.users, self.folder = data, folder / "users.yaml", folder
        env = {"COOPPLAN_USERS": str(self.users)}
        self.servers = [Server(data, env), Server(data, env)]
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        conf = folder / "nginx.conf"
        conf.write_text(nginx.config(folder, port, [s.port for s in self.servers]), encoding="utf-8")
        self.nginx = subprocess.Popen([nginx.NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"])
        self.url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not answer within 10 s: " + (folder / "error.log").read_text())

    def upstreams(self, pattern: str) -> list[str]:
        """The app servers (ports) that answered the requests whose path matches ``pattern``, in order."""
        lines = (self.folder / "access.log").read_text().splitlines()
        return [line.split(":")[-1] for line in lines if re.search(pattern, line.split()[1])]

    def stop(self) -> None:
        self.nginx.terminate()
        self.nginx.wait(timeout=10)
        for served in self.servers:
            served.stop()


def socket_of_page_left(tab, balanced: Balanced) -> str:
    """The server whose WebSocket served the page open in ``tab``: left, its connection
    closes, and nginx logs a WebSocket when it closes."""
    before = len(balanced.upstreams(r"^/_stcore/stream$"))
    tab.goto("about:blank")
    for _ in range(50):
        sockets = balanced.upstreams(r"^/_stcore/stream$")
        if len(sockets) > before:
            return sockets[-1]
        time.sleep(0.1)
    raise AssertionError("nginx logged no WebSocket for the page left")


@pytest.fixture(scope="module")
def balanced(browser, tmp_path_factory):
    if not Path(nginx.NGINX).exists():
        if os.environ.get("COOPPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the load-balancer test is required here but nginx is not at {nginx.NGINX}")
        pytest.skip(f"Debian's nginx is not installed at {nginx.NGINX} (apt-get install nginx)")
    setup = Balanced(tmp_path_factory.mktemp("balanced"))
    yield setup
    setup.stop()


def test_two_servers_behind_nginx_keep_the_sign_in_and_share_the_edits(browser, balanced):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    tab = context.new_page()
    documents = []
    tab.on(
        "response", lambda r: r.request.resource_type == "document" and documents.append(r.headers.get("x-upstream"))
    )
    tab.goto(balanced.url + "/plan?lang=en&area=tourism")
    wait_idle(tab)
    sign_in(tab, balanced, "en", name="editor", role="pavlodar")
    signed_in = signed_in_text("en", "editor", "pavlodar")
    for reload in range(RELOADS):
        if reload % 2:  # round-robin counts every request: one more now and then, so the pages
            # land on both servers whatever the number of requests a page makes
            urllib.request.urlopen(balanced.url + "/_stcore/health", timeout=10).close()
        tab.reload()
        wait_idle(tab)
        assert tab.get_by_text(signed_in).count() == 1, "signed out after a reload"
    pages = balanced.upstreams(r"^/plan$")
    sockets = balanced.upstreams(r"^/_stcore/stream$")
    ports = {str(s.port) for s in balanced.servers}
    assert set(pages) == ports and set(sockets) == ports, (pages, sockets)  # both servers served the pages

    # an edit saved through one server ...
    tab.goto(balanced.url + "/edit?lang=en&id=po-002")
    wait_idle(tab)
    title = tab.get_by_label("Title · RU")
    title.fill("Отредактировано через балансировщик")
    tab.get_by_role("button", name=i18n.t("en", "edit.save")).click()
    wait_idle(tab)
    tab.get_by_test_id("stAlertContentSuccess").get_by_text(i18n.t("en", "edit.saved", id="po-002")).wait_for()
    edited_on = socket_of_page_left(tab, balanced)
    # ... is seen through the other, in a reload whose page runs there
    seen_on = None
    for _ in range(8):
        tab.goto(balanced.url + "/plan?lang=ru&q=po-002")
        wait_idle(tab)
        assert tab.get_by_text(signed_in_text("ru", "editor", "pavlodar")).count() == 1
        shown = tab.get_by_text("Отредактировано через балансировщик").count() > 0
        if shown:
            screenshot(tab, "replicas-plan-after-an-edit")
        ran_on = socket_of_page_left(tab, balanced)
        assert shown, f"the edit made on {edited_on} is not shown on {ran_on}"
        if ran_on != edited_on:
            seen_on = ran_on
            break
        # A page load makes about the same number of requests each time, so round-robin
        # can send its WebSocket to the same server every time: one request between shifts it.
        urllib.request.urlopen(balanced.url + "/_stcore/health", timeout=10).close()
    assert seen_on is not None, "no reload ran on the other server"
    counts = Counter(balanced.upstreams(r"^/_stcore/stream$"))
    print(f"\nwebsockets per server: {dict(counts)}; page loads per server: {dict(Counter(documents))}")
    context.close()


def test_nginx_answers_a_burst_of_sign_in_tries_from_one_address_with_429_and_serves_the_rest(balanced):
    # Last in this module: the address's tries stay counted for a minute.
    statuses = []
    for _ in range(25):
        try:
            with urllib.request.urlopen(balanced.url + "/signin?lang=en", timeout=10) as reply:
                statuses.append(reply.status)
        except urllib.error.HTTPError as refused:
            statuses.append(refused.code)
    assert statuses[0] == 200
    assert 429 in statuses, statuses
    with urllib.request.urlopen(balanced.url + "/_stcore/health", timeout=10) as reply:
        assert reply.read() == b"ok"
