"""A private deployment's gate covers every path but the sign-in and what it needs,
whatever sign-in is configured: the media of a page's downloads, the upload endpoint
and addresses Streamlit would answer with the app's HTML included (issue 30, item 9)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from coopplan.editing.auth import User
from coopplan.web import internals, middleware, server
from tests.helpers import account_of, session_of

# What Streamlit itself would answer: its shell for any address, its media, its uploads.
STREAMLIT = [
    "/media/0123456789abcdef0123456789abcdef0123456789abcdef01234567.xlsx",
    "/_stcore/upload_file/some-session/some-file",
    "/favicon-anything",
    "/favicon.ico",
    "/_stcore/metrics",
    "/_stcore/message",
    "/some/made-up/address",
]
NEEDED = ["/signin", "/_stcore/health", "/_stcore/host-config", "/favicon.png", "/manifest.json", "/static/js/x.js"]
PAGES = ["/", "/plan", "/overview", "/import"]


def streamlit_stand_in(request):
    return PlainTextResponse("what Streamlit answers")


@pytest.fixture
def gate(monkeypatch):
    monkeypatch.setenv("COOPPLAN_PRIVATE", "1")
    app = Starlette(
        routes=[Route("/{path:path}", streamlit_stand_in, methods=["GET", "PUT", "POST"])],
        middleware=server.options()["middleware"],
    )
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def oidc(monkeypatch):
    monkeypatch.setattr(middleware, "_oidc", lambda: True)
    signed_in: dict[str, str] = {}
    monkeypatch.setattr(internals, "oidc_email", lambda cookies: signed_in.get(cookies.get("_streamlit_user")))
    return signed_in


@pytest.mark.parametrize("path", STREAMLIT)
@pytest.mark.parametrize("sign_in", ["offline", "oidc"])
def test_nothing_but_the_sign_in_and_what_it_needs_is_served_without_a_sign_in(gate, request, path, sign_in):
    if sign_in == "oidc":
        request.getfixturevalue("oidc")
    for method in ("GET", "PUT"):
        reply = gate.request(method, path)
        assert reply.status_code in (303, 401) and reply.text != "what Streamlit answers", (method, path)


@pytest.mark.parametrize("sign_in", ["offline", "oidc"])
def test_the_sign_in_and_what_it_needs_stay_open(gate, request, sign_in):
    if sign_in == "oidc":
        request.getfixturevalue("oidc")
    for path in NEEDED:
        assert gate.get(path).status_code == 200, path


def test_with_openid_connect_the_pages_shell_is_open_for_its_sign_in_button_and_the_rest_needs_that_sign_in(gate, oidc):
    for path in PAGES:
        assert gate.get(path).text == "what Streamlit answers", path
    account_of(User("ivanova", "omsk"))
    from coopplan.editing import auth

    accounts = auth.load_accounts()
    accounts["ivanova"]["email"] = "ivanova@example.org"
    auth.save_accounts(accounts)
    oidc["signed-cookie"] = "ivanova@example.org"
    oidc["stranger-cookie"] = "someone@example.org"  # signed in with the provider, but no account here
    gate.cookies.set("_streamlit_user", "signed-cookie")
    assert gate.get(STREAMLIT[0]).text == "what Streamlit answers"
    gate.cookies.set("_streamlit_user", "stranger-cookie")
    assert gate.get(STREAMLIT[0]).status_code == 401


def test_offline_a_signed_in_browser_reaches_its_media_and_an_ended_session_does_not(gate):
    from coopplan.editing import sessions

    token = session_of(User("ivanova", "omsk"))
    gate.cookies.set(sessions.COOKIE, token)
    assert gate.get(STREAMLIT[0]).text == "what Streamlit answers"
    sessions.store().end(token)
    assert gate.get(STREAMLIT[0]).status_code == 401


def test_streamlits_signed_sign_in_cookie_is_read_as_its_websocket_reads_it(monkeypatch):
    """``internals.oidc_email`` leans on Streamlit internals: a cookie Streamlit signs is read back."""
    from streamlit.web.server.starlette import starlette_app_utils

    monkeypatch.setattr("streamlit.auth_util.get_origin_from_redirect_uri", lambda: "https://plan.example.org")
    secret = "a cookie secret long enough for the test"
    monkeypatch.setattr("streamlit.web.server.starlette.starlette_websocket.get_cookie_secret", lambda: secret)
    payload = '{"origin": "https://plan.example.org", "is_logged_in": true, "email": "ivanova@example.org"}'
    signed = starlette_app_utils.create_signed_value(secret, "_streamlit_user", payload).decode("latin-1")
    assert internals.oidc_email({"_streamlit_user": signed}) == "ivanova@example.org"
    assert internals.oidc_email({"_streamlit_user": signed[:-4] + "AAAA"}) is None  # forged
    assert internals.oidc_email({}) is None
