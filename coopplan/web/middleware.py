"""What wraps every request: the security headers on every response, in a private
deployment the gate that lets through only who is signed in, and the pages' HTML
naming what the page will need (``preload``).

Both are plain ASGI middleware placed before Streamlit's own (``st.App``), so they
see the pages' HTML, Streamlit's files and the project's routes alike.
"""

from __future__ import annotations

import gzip
import logging
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import config, i18n
from ..editing import logtext, sessions, uploads
from . import api, internals, preload, routes

_log = logging.getLogger(__name__)

HSTS = "max-age=31536000"
SECURITY_HEADERS = {
    "content-security-policy": "frame-ancestors 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    """Adds the security headers to every HTTP response (HSTS when served over HTTPS)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = routes.is_https(Request(scope))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                added = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                if https and b"strict-transport-security" not in present:
                    added.append((b"strict-transport-security", HSTS.encode()))
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Reached without signing in, also in a private deployment: the sign-in page itself,
# what a load balancer asks, the app's static code (no data in it), its icon and
# manifest, the API's description, and Streamlit's OpenID Connect routes. Nothing else:
# not the media of a page's downloads, not the upload endpoint, not an address that
# Streamlit would answer with the app's HTML.
PUBLIC = (
    "/signin",
    "/signout",
    "/_stcore/health",
    "/_stcore/script-health-check",
    "/_stcore/host-config",
    "/favicon.png",
    "/manifest.json",
)
PUBLIC_PREFIXES = ("/static/", "/auth/", "/oauth2callback")


def _bearer(headers: Headers) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _oidc() -> bool:
    from ..ui.account import oidc_configured

    return oidc_configured()


class PrivateGate:
    """In a private deployment (``COOPPLAN_PRIVATE``): an HTTP request without a live
    session, API token or (for the calendar) calendar token gets the sign-in page if
    it is a browser's, else 401. The pages check for themselves too (``ui.page.setup``):
    a tab open when its session ends is signed out at its next step, so the app's
    WebSocket is let through. With OpenID Connect, whose sign-in button is on the pages,
    the pages' HTML is let through as well, and every other path needs that sign-in
    (Streamlit's signed cookie, of an account's e-mail address) or a token."""

    def __init__(self, app: ASGIApp):
        from ..ui.navigation import ROUTES

        self.app = app
        self.pages = {"/", *(f"/{route.url_path}" for route in ROUTES.values())}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not config.private():
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        public = path in PUBLIC or path.startswith(PUBLIC_PREFIXES) or path == api.PREFIX + "/openapi.json"
        request = Request(scope)
        oidc = _oidc()
        if (
            public
            or (oidc and (path.rstrip("/") or "/") in self.pages)
            or await routes.run_in_threadpool(self._allowed, request, path, oidc)
        ):
            await self.app(scope, receive, send)
            return
        await self._refuse(request)(scope, receive, send)

    @staticmethod
    def _allowed(request: Request, path: str, oidc: bool) -> bool:
        store = sessions.store()
        bearer = _bearer(request.headers)
        if bearer is not None:
            return store.token_user(bearer) is not None
        if path == "/calendar.ics" and "token" in request.query_params:
            return store.token_user(request.query_params["token"], (sessions.FEED,)) is not None
        if oidc:
            from ..editing import auth

            return auth.user_for_email(internals.oidc_email(request.cookies)) is not None
        return store.user(request.cookies.get(sessions.COOKIE)) is not None

    @staticmethod
    def _refuse(request: Request) -> Response:
        lang = routes.language(request)
        browser = "text/html" in request.headers.get("accept", "") and request.method in ("GET", "HEAD")
        if browser and not request.url.path.startswith("/api/"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/signin?next={quote(routes.safe_next(target), safe='')}", 303)
        message = i18n.t(lang, "api.bad_token" if _bearer(request.headers) else "api.sign_in")
        headers = {"WWW-Authenticate": 'Bearer realm="coopplan"'}
        if request.url.path.startswith("/api/"):
            return Response(api.encode({"error": message}), 401, headers=headers, media_type="application/json")
        return Response(message + "\n", 401, headers=headers, media_type="text/plain; charset=utf-8")


# What the page's own response headers said of Streamlit's file, which the HTML no longer is.
_REWRITTEN = (b"content-length", b"content-encoding", b"etag", b"last-modified", b"vary")


class Preload:
    """The HTML of a page's address (``/``, ``/plan``…) with the ``<head>`` lines of
    ``preload`` for what that page draws (``navigation.ROUTES``); every other response
    as it was."""

    def __init__(self, app: ASGIApp):
        from ..ui.navigation import DEFAULT, ROUTES

        self.app = app
        pages = tuple(route.url_path for route in ROUTES.values())
        self.heads = {f"/{route.url_path}": preload.links(route.draws, pages) for route in ROUTES.values()}
        self.heads["/"] = self.heads[f"/{ROUTES[DEFAULT].url_path}"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        head = self.heads.get(scope["path"].rstrip("/") or "/") if scope["type"] == "http" else None
        asked = Headers(scope=scope) if head is not None else None
        if asked is None or scope["method"] != "GET" or "range" in asked:
            await self.app(scope, receive, send)
            return
        # Asked for uncompressed, the HTML gets its lines here and is compressed again.
        plain = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]}
        start: Message = {}
        body: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                body.append(message.get("body", b""))

        await self.app(plain, receive, collect)
        if not start:  # the client hung up before the page's answer began: nothing to send, nothing wrong
            return
        headers = Headers(raw=start["headers"])
        html = b"".join(body)
        if start["status"] == 200 and headers.get("content-type", "").startswith("text/html"):
            html = preload.into_head(html, head)
            kept = [(k, v) for k, v in start["headers"] if k.lower() not in _REWRITTEN]
            kept.append((b"vary", b"Accept-Encoding"))
            if "gzip" in asked.get("accept-encoding", ""):
                html = gzip.compress(html, compresslevel=6)
                kept.append((b"content-encoding", b"gzip"))
            start = {**start, "headers": [*kept, (b"content-length", str(len(html)).encode())]}
        await send(start)
        await send({"type": "http.response.body", "body": html})


def _signed_in(request: Request):
    """Who the request's browser is signed in as, with either sign-in, as the accounts say now."""
    if _oidc():
        from ..editing import auth

        return auth.user_for_email(internals.oidc_email(request.cookies))
    return routes.session_user(request)


class UploadGate:
    """Streamlit's upload endpoint opened only to a session whose page asked for a file
    (``uploads``): any other PUT is refused before its body is read, and a session's
    files are forgotten with it. ``connected`` and ``free`` ask Streamlit's runtime
    whether a session is still connected and free its files (``server``)."""

    def __init__(self, app: ASGIApp, connected=None, free=None):
        self.app = app
        self.connected = connected or internals.session_connected
        self.free = free or internals.free_session_files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(uploads.PATH) or scope["method"] not in ("PUT", "DELETE"):
            await self.app(scope, receive, send)
            return
        session_id, _, file_id = path.removeprefix(uploads.PATH).partition("/")
        if scope["method"] == "DELETE":
            uploads.release(session_id, file_id)
            await self.app(scope, receive, send)
            return
        uploads.sweep(self.connected, self.free)
        request = Request(scope)
        try:
            length = int(request.headers["content-length"]) if "content-length" in request.headers else None
        except ValueError:
            length = None
        user = await routes.run_in_threadpool(_signed_in, request)
        try:
            uploads.reserve(session_id, file_id, length, user)
        except uploads.Refusal as refusal:
            _log.warning(
                "upload refused (%d) from %s to session %s: %s",
                refusal.status,
                logtext.shown(routes.client_address(request)),
                logtext.shown(session_id),
                refusal,
            )
            await Response(str(refusal) + "\n", refusal.status, media_type="text/plain")(scope, receive, send)
            return
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            if status >= 300:  # Streamlit did not keep it
                uploads.release(session_id, file_id)
