"""A client that hangs up before its page's answer is normal: the app logs nothing and
raises nothing (issue 30, item 11)."""

from __future__ import annotations

import shutil
import socket
import time

import anyio

from coopplan.web import middleware
from tests.browser import Server
from tests.helpers import DATA


async def hung_up(scope, receive, send):
    """Streamlit's answer to a client that left: it reads the disconnect and sends nothing."""
    assert (await receive())["type"] == "http.disconnect"


def test_the_pages_html_of_a_client_that_hung_up_is_dropped_quietly():
    scope = {"type": "http", "method": "GET", "path": "/plan", "query_string": b"", "headers": []}
    sent = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    anyio.run(middleware.Preload(hung_up), scope, receive, send)
    assert sent == []


def test_a_served_page_whose_clients_hang_up_leaves_no_traceback_in_the_log(tmp_path):
    shutil.copytree(DATA, tmp_path / "data")
    served = Server(tmp_path / "data", {"COOPPLAN_USERS": str(tmp_path / "users.yaml")})
    try:
        for path in ("/", "/plan", "/timeline?lang=kk") * 5:
            with socket.create_connection(("127.0.0.1", served.port)) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode())
                sock.shutdown(socket.SHUT_RDWR)  # gone before the answer
        time.sleep(1.0)  # let the server finish with them (a bounded wait, not a measurement)
    finally:
        served.stop()
    log = (tmp_path / f"server-{served.port}.log").read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "KeyError" not in log, log[-2000:]
