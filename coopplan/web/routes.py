"""The HTTP routes beside the pages: the sign-in page, sign-in and sign-out, the JSON
API, the live calendar and the direct document links.

Every route reads the pages' filters with ``views.filters.from_query`` (unknown
values refused with the pages' own message, 400) and draws from the same data as
the pages (``views.snapshot``). Who may reach a route is decided before it runs,
by ``middleware.PrivateGate``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from urllib.parse import parse_qsl, urlsplit

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from .. import config, i18n
from ..data import evidence
from ..data.model import ID_PATTERN, LANGS
from ..editing import auth, sessions
from ..exchange import exports
from ..views import filters, snapshot, summaries, texts
from ..views.view import View
from . import api, documents, signin_page

CSRF_COOKIE = "coopplan_csrf"
MAX_PARAMETERS = 1000  # as many as Streamlit reads from a page's URL
MAX_QUERY_BYTES = 16 * 1024
MAX_FORM_BYTES = 16 * 1024
DOCUMENTS = ("docx", "xlsx", "csv")
_ID = re.compile(ID_PATTERN)


class Refused(Exception):
    """A request the route answers with ``status`` and a message, not with data."""

    def __init__(self, status: int, message: str, invalid: list[filters.Invalid] | None = None):
        super().__init__(message)
        self.status, self.message, self.invalid = status, message, invalid or []


# ---- what a request asks for -------------------------------------------------------------


def is_https(request: Request) -> bool:
    """Served over HTTPS: by this server itself, or by the proxy in front (X-Forwarded-Proto)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def language(request: Request, requested: str | None = None) -> str:
    """``requested`` (else ``?lang=``) when it is kk, ru or en, else the browser's
    language, else the default."""
    return i18n.negotiate(requested or request.query_params.get("lang"), request.headers.get("accept-language"))


def browser_language(request: Request) -> str:
    """The browser's language, else the default: for a message about a ``?lang=`` that is wrong."""
    return i18n.negotiate(None, request.headers.get("accept-language"))


def parameters(request: Request) -> dict[str, list[str]]:
    """The query's parameters, each with all its values; bounded before anything is parsed."""
    raw = request.scope.get("query_string", b"")
    if len(raw) > MAX_QUERY_BYTES or raw.count(b"&") >= MAX_PARAMETERS:
        raise Refused(414, i18n.t(browser_language(request), "api.too_long"))
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    return found


def _ignored(lang: str, invalid: list[filters.Invalid]) -> Refused:
    """400 with the notice a page shows for the same link (which it would show, ignoring the values)."""
    return Refused(400, i18n.t(lang, "filters.invalid", values=texts.ignored_values(invalid, markdown=False)), invalid)


def _checked_lang(request: Request, params: dict[str, list[str]], allowed: tuple[str, ...]) -> str:
    values = params.get("lang", [])
    requested = values[-1] if values else None
    if requested == "kk ru":  # a «+» typed into a link arrives as a space
        requested = i18n.BILINGUAL
    if not requested:  # as the pages: no language, or an empty one, is the browser's
        return language(request)
    if requested not in allowed:
        raise _ignored(browser_language(request), [filters.Invalid("lang", requested)])
    return requested


def view_of(request: Request, languages: tuple[str, ...] = LANGS) -> View:
    """The view the request's filters choose, as a page with that URL would show it;
    Refused (400) naming the values the page would have ignored."""
    params = parameters(request)
    lang = _checked_lang(request, params, languages)
    dataset, frame = snapshot.current(config.data_dir())
    versions = [b.version for b in dataset.baselines]
    chosen, invalid = filters.from_query(params, dataset.period, summaries.all_bodies(frame), versions, dataset.bodies)
    if invalid:
        raise _ignored(lang if lang in LANGS else "ru", invalid)  # the bilingual document's messages: Russian
    return View(lang, dataset, frame, chosen)


# ---- answers ----------------------------------------------------------------------------------------


def _error_json(status: int, message: str, invalid: list[filters.Invalid] = (), headers: dict | None = None):
    body = {"error": message}
    if invalid:
        body["invalid"] = [{"param": i.param, "value": i.value} for i in invalid]
    return Response(api.encode(body), status, headers=headers, media_type="application/json")


def json_answer(request: Request, body: object) -> Response:
    """JSON with an ETag; 304 when the client has it already (If-None-Match). Without
    account names for a client not signed in (``auth.sees_names``)."""
    visitor = not auth.sees_names(request_user(request))
    data = api.encode(evidence.for_visitors(auth.without_names(body)) if visitor else body)
    tag = api.etag(data)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if api.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(data, headers=headers, media_type="application/json")


def _guarded(handler: Callable, as_json: bool = True) -> Callable:
    """Run ``handler`` in a worker thread (it reads files and makes documents); a
    Refused becomes its status with the message, as JSON or as text."""

    async def endpoint(request: Request) -> Response:
        try:
            return await run_in_threadpool(handler, request)
        except Refused as refused:
            if as_json:
                return _error_json(refused.status, refused.message, refused.invalid)
            return Response(refused.message + "\n", refused.status, media_type="text/plain; charset=utf-8")

    return endpoint


# ---- the JSON API -----------------------------------------------------------------------------------


def _collection(resource: api.Collection, request: Request) -> Response:
    view = view_of(request)
    records = resource.records(view)
    return json_answer(request, {"count": len(records), resource.name: records})


def _item(resource: api.Collection, request: Request) -> Response:
    view = view_of(request)
    wanted = request.path_params["id"]
    # an id that no file could have is not looked for (NUL, newlines, paths, 5,000 characters)
    record = resource.record(view, wanted) if _ID.fullmatch(wanted) else None
    if record is None:
        shown = texts.ignored_values([filters.Invalid("id", wanted)], markdown=False).removeprefix("id=")
        raise Refused(404, i18n.t(view.lang, "api.not_found", id=shown, resource=resource.name))
    return json_answer(request, record)


def _single(resource: api.Single, request: Request) -> Response:
    lang = _checked_lang(request, parameters(request), LANGS)
    record = resource.record(snapshot.current(config.data_dir())[0])
    if record is None:
        raise Refused(503, i18n.t(lang, "api.unavailable", file=f"{resource.name}.yaml"))
    return json_answer(request, record)


@cache
def _openapi_bytes() -> bytes:
    return api.encode(api.openapi())


async def openapi(request: Request) -> Response:
    return Response(_openapi_bytes(), media_type="application/json")


@cache
def _api_routes() -> tuple[BaseRoute, ...]:
    routes: list[BaseRoute] = [Route(f"{api.PREFIX}/openapi.json", openapi)]
    for resource in api.RESOURCES:
        path = f"{api.PREFIX}/{resource.name}"
        if isinstance(resource, api.Collection):
            routes.append(Route(path, _guarded(partial(_collection, resource))))
            routes.append(Route(path + "/{id}", _guarded(partial(_item, resource))))
        else:
            routes.append(Route(path, _guarded(partial(_single, resource))))
    return tuple(routes)


async def no_such_api_route(request: Request) -> Response:
    """Anything else under /api/: a JSON 405 for a method the address does not take,
    else a JSON 404, never the pages' HTML (which answers every other path)."""
    if any(r.path_regex.match(request.url.path) for r in _api_routes()):
        return _error_json(405, "GET only", headers={"Allow": "GET, HEAD"})
    return _error_json(404, i18n.t(language(request), "api.no_route"))


# ---- the calendar and the documents -------------------------------------------------------------


@dataclass(frozen=True)
class _Order:
    """A document asked for: what it is built from, its cache key, how to build it, how to send it."""

    dataset: object
    key: tuple
    build: Callable[[], bytes]
    media_type: str
    headers: dict


def _calendar(request: Request) -> _Order:
    view = view_of(request)
    return _Order(
        view.dataset,
        ("ics", view.lang, view.filters, dt.date.today()),
        partial(exports.export, view.dataset, view.filtered_actions, "ics", view.lang, view.filters),
        "text/calendar; charset=utf-8",
        {
            "Content-Disposition": f'inline; filename="{exports.file_name("ics", view.lang, view.filters)}"',
            "Cache-Control": "private, no-cache",
        },
    )


def _document(request: Request) -> _Order:
    fmt = request.path_params["format"]
    if fmt not in DOCUMENTS:
        raise Refused(404, i18n.t(language(request), "api.format"))
    view = view_of(request, i18n.DOCUMENT_LANGUAGES if fmt == "docx" else LANGS)
    user = request_user(request)
    readable = exports.for_reader(view.filtered_actions, user)

    def build() -> bytes:
        try:
            return exports.export(view.dataset, readable, fmt, view.lang, view.filters)
        except exports.ExportError as refused:
            raise Refused(503, str(refused)) from None

    return _Order(
        view.dataset,
        (fmt, view.lang, view.filters, auth.sees_names(user), dt.date.today()),
        build,
        exports.FORMATS[fmt].mime,
        {
            "Content-Disposition": f'attachment; filename="{exports.file_name(fmt, view.lang, view.filters)}"',
            "Cache-Control": "private, no-cache",
        },
    )


def _built(order: Callable[[Request], _Order]) -> Callable:
    """A document route: at most ``documents.PER_CLIENT`` requests of one client on their
    way (429 with Retry-After beyond), the request read in the shared pool (it is quick),
    the document built in the documents' own pool, once per change of the data."""

    async def endpoint(request: Request) -> Response:
        client = client_key(client_address(request))
        try:
            documents.enter(client)
        except documents.Busy:
            message = i18n.t(language(request), "export.busy", seconds=documents.RETRY_AFTER)
            headers = {"Retry-After": str(documents.RETRY_AFTER)}
            return Response(message + "\n", 429, headers=headers, media_type="text/plain; charset=utf-8")
        try:
            chosen = await run_in_threadpool(order, request)
            data = await documents.built(chosen.dataset, chosen.key, chosen.build)
        except Refused as refused:
            return Response(refused.message + "\n", refused.status, media_type="text/plain; charset=utf-8")
        finally:
            documents.leave(client)
        return Response(data, media_type=chosen.media_type, headers=chosen.headers)

    return endpoint


async def no_such_document(request: Request) -> Response:
    return Response(i18n.t(language(request), "api.format") + "\n", 404, media_type="text/plain; charset=utf-8")


# ---- signing in and out ----------------------------------------------------------------------------


def safe_next(target: str | None) -> str:
    """Where to go after signing in or out: a path of this site, never another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 4000:
        return "/"
    if any(ord(c) < 32 or c == "\\" for c in target) or urlsplit(target).netloc:
        return "/"
    return target


def session_user(request: Request) -> auth.User | None:
    return sessions.store().user(request.cookies.get(sessions.COOKIE))


def request_user(request: Request) -> auth.User | None:
    """Who asks: an API token's user (``Authorization: Bearer``), else the session cookie's."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return sessions.store().token_user(token.strip())
    return session_user(request)


def _set_cookie(response: Response, request: Request, name: str, value: str, max_age: int, same_site: str) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite=same_site, secure=is_https(request)
    )


def _page(request: Request, lang: str, status: int = 200, **fields) -> HTMLResponse:
    """The sign-in page, with a fresh form token when the browser has none."""
    csrf = request.cookies.get(CSRF_COOKIE) or ""
    fresh = not (16 <= len(csrf) <= 100 and csrf.isascii())
    csrf = secrets.token_urlsafe(24) if fresh else csrf
    html = signin_page.render(lang, csrf=csrf, **fields)
    response = HTMLResponse(html, status, headers={"Cache-Control": "no-store"})
    if fresh:
        _set_cookie(response, request, CSRF_COOKIE, csrf, 86400, "strict")
    return response


def _next_of(request: Request) -> str:
    return safe_next(request.query_params.get("next"))


async def signin_form(request: Request) -> Response:
    lang = language(request)
    user = await run_in_threadpool(session_user, request)
    notice = i18n.t(lang, "signin.private") if config.private() and user is None else None
    return _page(request, lang, next_url=_next_of(request), user=user, notice=notice)


async def _form(request: Request) -> tuple[dict[str, str], bool]:
    """The posted form (URL-encoded, at most MAX_FORM_BYTES; empty otherwise), and
    whether it is to be trusted: its token is the browser's own (double submit) and
    it comes from this site."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {}, False
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}, False
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20))
    except (UnicodeDecodeError, ValueError):
        return {}, False
    cookie = request.cookies.get(CSRF_COOKIE, "")
    origin = request.headers.get("origin")
    same_site = origin is None or urlsplit(origin).netloc == request.headers.get("host")
    return form, bool(cookie) and same_site and hmac.compare_digest(form.get("csrf", "").encode(), cookie.encode())


def client_address(request: Request) -> str:
    """Where a sign-in comes from, for its throttle: the peer, or, when the peer is a
    proxy on this machine (loopback), the address that proxy saw (the last entry of
    X-Forwarded-For, the one it wrote itself; earlier ones a client can forge)."""
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "").rpartition(",")[2].strip()
    try:
        behind_proxy = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        behind_proxy = False
    return forwarded[:64] if behind_proxy and forwarded else peer


def client_key(address: str) -> str:
    """Who a client is for the bounds that count clients: its address, or for IPv6 its
    /64 (one subscriber's network: every address in it is the same client's)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:198.51.100.7 is that IPv4 address
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


async def sign_in(request: Request) -> Response:
    form, trusted = await _form(request)
    lang = language(request, form.get("lang"))
    if not trusted:
        return _page(request, lang, 403, next_url=_next_of(request), error=i18n.t(lang, "signin.expired_form"))
    name, target = form.get("name", "")[:200], safe_next(form.get("next"))
    key, address = name.strip().lower(), client_key(client_address(request))
    store = sessions.store()
    attempt = await run_in_threadpool(store.attempt, key, address)
    if attempt.locked_until is not None:
        minutes = max(1, math.ceil((attempt.locked_until - store.clock()) / 60))
        error = i18n.t(lang, "signin.locked", minutes=minutes)
        page = _page(request, lang, 429, next_url=target, name=name, error=error)
        page.headers["Retry-After"] = str(minutes * 60)
        return page
    await anyio.sleep(attempt.wait)  # waits without holding a thread
    user = await run_in_threadpool(auth.check_credentials, name, form.get("password", ""))
    if user is None:
        return _page(request, lang, next_url=target, name=name, error=i18n.t(lang, "account.failed"))
    await run_in_threadpool(store.succeeded, key, address)
    # a new token at every sign-in: a token planted in the browser before is never the session's
    token = await run_in_threadpool(store.start, user)
    response = RedirectResponse(target, 303)
    _set_cookie(response, request, sessions.COOKIE, token, store.lifetime, "lax")
    return response


async def sign_out(request: Request) -> Response:
    form, trusted = await _form(request)
    lang = language(request, form.get("lang"))
    if not trusted:
        return _page(request, lang, 403, next_url=_next_of(request), error=i18n.t(lang, "signin.expired_form"))
    await run_in_threadpool(sessions.store().end, request.cookies.get(sessions.COOKIE))
    response = _page(request, lang, next_url=safe_next(form.get("next")), notice=i18n.t(lang, "signin.signed_out"))
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def routes() -> list[BaseRoute]:
    """Every route of the app besides Streamlit's own, in the order they are matched."""
    return [
        Route("/signin", signin_form, methods=["GET"]),
        Route("/signin", sign_in, methods=["POST"]),
        Route("/signout", sign_out, methods=["POST"]),
        *_api_routes(),
        Route("/api/{rest:path}", no_such_api_route, methods=ALL_METHODS),
        Route("/calendar.ics", _built(_calendar)),
        Route("/export/plan.{format}", _built(_document)),
        Route("/export/{rest:path}", no_such_document, methods=ALL_METHODS),
    ]
