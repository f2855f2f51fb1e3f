"""The web routes over HTTP, in process (Starlette's TestClient, the app's own routes
and middleware): the JSON API against its OpenAPI description, the calendar, the
document links, signing in and out, private deployments, the security headers, and the
pages' HTML naming the code the page draws with."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import zipfile
from contextlib import asynccontextmanager

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from coopplan import config, i18n
from coopplan.data import loader, model, yamlio
from coopplan.data.model import Action
from coopplan.editing import auth, sessions
from coopplan.editing.auth import User
from coopplan.exchange import calendar_ics, exports, spreadsheet
from coopplan.ui.navigation import ROUTES
from coopplan.views import filters, texts
from coopplan.views.frame import actions_frame
from coopplan.views.view import View
from coopplan.web import api, preload, routes, server
from tests.helpers import change, web_client

PASSWORD = "a long password"


@pytest.fixture
def web(data_dir):
    with web_client() as http:
        yield http


@pytest.fixture
def editor():
    auth.add_user("editor", "pavlodar", PASSWORD)
    return User("editor", "pavlodar")


def view(data_dir, lang="en", **query) -> View:
    dataset = loader.load(data_dir)
    frame = actions_frame(dataset.actions, dataset.bodies)
    chosen, invalid = filters.from_query(query, dataset.period, registry=dataset.bodies)
    assert not invalid
    return View(lang, dataset, frame, chosen)


def as_in_file(data_dir, action_id: str) -> dict:
    """An action's file as JSON would carry it (dates as ISO text)."""
    record = yamlio.loads((data_dir / "actions" / f"{action_id}.yaml").read_bytes())
    return json.loads(json.dumps(record, default=lambda d: d.isoformat()))


# ---- the JSON API ----------------------------------------------------------------------------


def test_the_actions_are_served_as_in_their_files_in_the_plans_order(web, data_dir):
    reply = web.get("/api/v1/actions")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    body = reply.json()
    ids = [a.id for a in loader.load(data_dir).actions]
    assert body["count"] == len(ids) == len(body["actions"]) and [a["id"] for a in body["actions"]] == ids
    for record in body["actions"]:  # as in the file, without account names: no one is signed in
        assert record == auth.without_names(as_in_file(data_dir, record["id"]))
    assert "Павлодар" in reply.text  # Cyrillic as it is, not \u escapes


QUERIES = [
    {"area": "tourism,sport"},
    {"lead": "omsk", "year": "2027"},
    {"quarter": "2026-Q2", "status": "in_progress,planned"},
    {"q": "форум"},
    {"body": "Министерство экономики Омской области"},  # a name, read as its id
    {"body": "omsk-economy"},
    {"year": ["2026", "2028"], "asof": "2026-09-01"},
    {},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(q) or "none")
def test_the_api_filters_as_the_pages_do(web, data_dir, query):
    expected = [a.id for a in view(data_dir, **query).filtered_actions]
    body = web.get("/api/v1/actions", params=query).json()
    assert [a["id"] for a in body["actions"]] == expected and body["count"] == len(expected)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_invalid_filter_values_get_400_with_the_pages_own_message(web, lang):
    reply = web.get("/api/v1/actions", params={"lang": lang, "area": "nonsense", "year": "1999"})
    assert reply.status_code == 400
    invalid = [filters.Invalid("area", "nonsense"), filters.Invalid("year", "1999")]
    assert reply.json() == {
        "error": i18n.t(lang, "filters.invalid", values=texts.ignored_values(invalid, markdown=False)),
        "invalid": [{"param": "area", "value": "nonsense"}, {"param": "year", "value": "1999"}],
    }


def test_an_action_by_its_id_and_an_unknown_one(web, data_dir):
    assert web.get("/api/v1/actions/po-002").json() == auth.without_names(as_in_file(data_dir, "po-002"))
    reply = web.get("/api/v1/actions/po-999", params={"lang": "kk"})
    assert reply.status_code == 404
    assert reply.json() == {"error": i18n.t("kk", "api.not_found", id="po-999", resource="actions")}


def test_the_memorandum_is_served_as_in_its_file(web, data_dir):
    record = yamlio.loads((data_dir / "memorandum.yaml").read_bytes())
    assert web.get("/api/v1/memorandum").json() == json.loads(json.dumps(record, default=str))


def test_the_memorandum_that_does_not_load_gets_503_saying_what_to_fix(web, data_dir):
    (data_dir / "memorandum.yaml").write_text("id: [", encoding="utf-8")
    reply = web.get("/api/v1/memorandum", params={"lang": "en"})
    assert reply.status_code == 503 and "memorandum.yaml cannot be read" in reply.json()["error"]


def test_an_unchanged_answer_is_not_sent_again_and_a_saved_change_is(web, data_dir):
    first = web.get("/api/v1/actions", params={"area": "tourism"})
    tag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', tag) and "no-cache" in first.headers["cache-control"]
    again = web.get("/api/v1/actions", params={"area": "tourism"}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert web.get("/api/v1/actions", headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 200
    item = web.get("/api/v1/actions/po-028")
    assert web.get("/api/v1/actions/po-028", headers={"If-None-Match": item.headers["etag"]}).status_code == 304
    change(data_dir, "po-028", tags=["river"])
    changed = web.get("/api/v1/actions", params={"area": "tourism"}, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert next(a for a in changed.json()["actions"] if a["id"] == "po-028")["tags"] == ["river"]


def schema_validator(document: dict, name: str) -> Draft202012Validator:
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(document, DRAFT202012))
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry)


def test_every_json_answer_matches_the_openapi_description(web, editor):
    document = web.get("/api/v1/openapi.json").json()
    assert document == json.loads(api.encode(api.openapi()))
    checks = [
        ("/api/v1/actions", {}, "ActionList", 200),
        ("/api/v1/actions", {"area": "sport", "lang": "ru"}, "ActionList", 200),
        ("/api/v1/actions/po-001", {}, "Action", 200),
        ("/api/v1/memorandum", {}, "Memorandum", 200),
        ("/api/v1/reports", {"quarter": "2026-Q3"}, "ReportList", 200),
        ("/api/v1/changes", {}, "ChangeList", 200),
        ("/api/v1/baselines", {}, "BaselineList", 200),
        ("/api/v1/changes", {"baseline": "7"}, "Error", 400),
        ("/api/v1/actions", {"status": "<script>"}, "Error", 400),
        ("/api/v1/actions/nope", {}, "Error", 404),
        ("/api/v1/nothing", {}, "Error", 404),
    ]
    for path, query, name, status in checks:
        reply = web.get(path, params=query)
        assert reply.status_code == status, path
        schema_validator(document, name).validate(reply.json())
        described = document["paths"].get(path.replace("po-001", "{id}"))
        assert described is None or str(status) in described["get"]["responses"], (path, status)


def test_the_openapi_description_names_every_resource_route_and_filter(web):
    document = api.openapi()
    for resource in api.RESOURCES:
        assert f"/api/v1/{resource.name}" in document["paths"]
        assert resource.model.__name__ in document["components"]["schemas"]
    assert {"/calendar.ics", "/export/plan.{format}", "/api/v1/actions/{id}"} <= set(document["paths"])
    listed = [p["name"] for p in document["paths"]["/api/v1/actions"]["get"]["parameters"]]
    assert listed == ["lang", *filters.PARAMS]
    Draft202012Validator.check_schema(document["components"]["schemas"]["Action"])


def test_the_reports_of_the_filtered_actions_and_one_by_its_id(web, data_dir):
    dataset = loader.load(data_dir)
    body = web.get("/api/v1/reports", params={"area": "environment", "quarter": "2026-Q3"}).json()
    expected = [
        r for a in dataset.actions if a.area == "environment" for r in dataset.reports_of(a.id) if r.period == "2026-Q3"
    ]
    assert body["count"] == len(expected) > 0
    assert [(r["action"], r["side"]) for r in body["reports"]] == [(r.action, r.side) for r in expected]
    one = web.get("/api/v1/reports/po-011-omsk-2026-Q3").json()
    assert (one["action"], one["side"], one["period"], one["progress"]) == ("po-011", "omsk", "2026-Q3", 40)
    for wrong in ("po-011-omsk-2031-Q3", "po-011-kazan-2026-Q3", "short", "..%2F..%2Fetc"):
        assert web.get(f"/api/v1/reports/{wrong}").status_code == 404, wrong


def test_the_changes_since_approval_and_the_approved_versions(web):
    body = web.get("/api/v1/changes", params={"lang": "ru"}).json()
    moved = next(c for c in body["changes"] if c["action"] == "po-014")
    assert moved == {
        "action": "po-014",
        "baseline": 1,
        "kinds": ["later"],
        "text": "срок окончания: было — 2026-Q4, стало — 2027-Q4 (позже на 4 квартала)",
        "field": "end",
        "before": "2026-Q4",
        "after": "2027-Q4",
        "quarters": 4,
    }
    assert web.get("/api/v1/changes/po-045").json()["kinds"] == ["added"]
    # one action's change speaks the language and names the version the link asks for
    assert web.get("/api/v1/changes/po-014", params={"lang": "ru", "baseline": "1"}).json() == moved
    assert web.get("/api/v1/changes/po-014", params={"baseline": "7"}).status_code == 400
    assert web.get("/api/v1/changes/po-002").status_code == 404  # unchanged since approval
    versions = web.get("/api/v1/baselines").json()
    assert versions["count"] == 1 and versions["baselines"][0]["approved_on"] == "2026-02-27"
    assert web.get("/api/v1/baselines/1").json()["version"] == 1 and web.get("/api/v1/baselines/2").status_code == 404


def test_a_new_kind_of_data_joins_the_api_by_one_entry(monkeypatch, web):
    # what the reports and baselines issues will do: one entry, and its routes and description follow
    plan = api.Single("plan", model.Plan, lambda dataset: dataset.plan.model_dump(mode="json"), "The plan")
    monkeypatch.setattr(api, "RESOURCES", [*api.RESOURCES, plan])
    monkeypatch.setattr(routes, "_api_routes", routes._api_routes.__wrapped__)
    with web_client() as fresh:
        assert fresh.get("/api/v1/plan").json()["status"] in ("draft", "approved")
    assert "/api/v1/plan" in api.openapi()["paths"]


# ---- documents and the calendar ---------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES[:4], ids=lambda q: "&".join(q))
def test_the_csv_link_and_the_json_agree_row_for_row(web, data_dir, query):
    rows = spreadsheet.read_csv(web.get("/export/plan.csv", params=query).content)
    actions = web.get("/api/v1/actions", params=query).json()["actions"]
    assert [r["id"] for r in rows] == [a["id"] for a in actions]
    registry = loader.load(data_dir).bodies  # the CSV names the bodies, the JSON gives their ids
    for row, record in zip(rows, actions, strict=True):
        from_csv = Action.model_validate(spreadsheet.row_record(row)).to_yaml_dict()
        from_csv["responsible"] = {
            side: list(map(registry.key_for, names)) for side, names in from_csv["responsible"].items()
        }
        from_json = Action.model_validate(record).to_yaml_dict()
        assert from_csv == {k: v for k, v in from_json.items() if k in from_csv}, row["id"]


def zip_parts(data: bytes) -> dict[str, bytes]:
    """A docx or xlsx as its parts, less the one that says when it was made."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize(
    "fmt, lang, query",
    [("csv", "ru", {"area": "tourism"}), ("xlsx", "kk", {"year": "2027"}), ("docx", "kk+ru", {"lead": "omsk"})],
)
def test_a_document_link_gives_the_file_of_the_download_button(web, data_dir, fmt, lang, query):
    reply = web.get(f"/export/plan.{fmt}", params={"lang": lang, **query})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(exports.FORMATS[fmt].mime)
    shown = view(data_dir, **query)
    named = exports.file_name(fmt, lang, shown.filters)
    assert reply.headers["content-disposition"] == f'attachment; filename="{named}"'
    # what components.downloads hands out to a visitor
    readable = exports.for_reader(shown.filtered_actions, None)
    button = exports.export(shown.dataset, readable, fmt, lang, shown.filters)
    assert (reply.content == button) if fmt == "csv" else zip_parts(reply.content) == zip_parts(button)


def test_a_plus_typed_into_the_link_still_means_both_languages(web):
    reply = web.get("/export/plan.docx?lang=kk+ru&area=sport")
    assert reply.status_code == 200 and "kk-ru" in reply.headers["content-disposition"]
    assert web.get("/export/plan.xlsx?lang=kk%2Bru").status_code == 400  # a spreadsheet has one language
    assert web.get("/export/plan.pdf").status_code == 404 and web.get("/export/other.csv").status_code == 404


def test_the_calendar_feed_holds_the_filtered_actions(web, data_dir):
    from icalendar import Calendar

    reply = web.get("/calendar.ics", params={"area": "culture_arts", "lang": "kk"})
    assert reply.status_code == 200 and reply.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(reply.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [
        calendar_ics.uid(a.id) for a in view(data_dir, area="culture_arts").filtered_actions
    ]
    assert str(events[0]["summary"]) == view(data_dir, area="culture_arts").filtered_actions[0].title("kk")


# ---- signing in and out ------------------------------------------------------------------------


def form_token(http, lang="en") -> str:
    page = http.get("/signin", params={"lang": lang, "next": "/plan?area=sport"})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    return http.cookies[routes.CSRF_COOKIE]


def sign_in(http, name="editor", password=PASSWORD, **extra):
    fields = {"name": name, "password": password, "csrf": form_token(http), "next": "/plan?area=sport", "lang": "en"}
    fields.update(extra)
    return http.post("/signin", data=fields)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_sign_in_page_speaks_the_readers_language(web, lang):
    page = web.get("/signin", params={"lang": lang})
    assert f'<html lang="{lang}">' in page.text and i18n.t(lang, "account.password") in page.text
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{routes.CSRF_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    by_browser = web.get("/signin", headers={"Accept-Language": "kk-KZ,kk;q=0.9"})
    assert '<html lang="kk">' in by_browser.text


def test_signing_in_sets_an_opaque_session_cookie_and_goes_back_to_the_view(web, editor):
    reply = sign_in(web)
    assert reply.status_code == 303 and reply.headers["location"] == "/plan?area=sport"
    cookie = reply.headers["set-cookie"]
    token = re.match(rf"{sessions.COOKIE}=([^;]+);", cookie).group(1)
    assert {"HttpOnly", "Path=/", "SameSite=lax", f"Max-Age={7 * 86400}"} <= set(cookie.split("; "))
    assert "Secure" not in cookie and "editor" not in token
    assert sessions.store().user(token) == editor
    assert "Signed in: editor" in web.get("/signin", params={"lang": "en"}).text


def test_over_https_the_cookie_is_secure_and_hsts_is_sent(web, editor):
    proxied = {"X-Forwarded-Proto": "https"}
    page = web.get("/signin", headers=proxied)
    assert "Secure" in page.headers["set-cookie"] and page.headers["strict-transport-security"] == "max-age=31536000"
    fields = {"name": "editor", "password": PASSWORD, "csrf": web.cookies[routes.CSRF_COOKIE], "next": "/"}
    reply = web.post("/signin", data=fields, headers=proxied)
    assert "Secure" in reply.headers["set-cookie"].split("; ")
    assert "strict-transport-security" not in web.get("/signin").headers


def test_a_wrong_password_keeps_the_name_sets_no_session_and_slows_the_next_try(web, editor, monkeypatch):
    waits = []

    async def wait(seconds):
        waits.append(seconds)

    monkeypatch.setattr(routes.anyio, "sleep", wait)
    still = sessions.Store(config.sessions_path(), 3600, 86400, clock=lambda: 1_000_000.0)  # no time passes
    monkeypatch.setattr(sessions, "store", lambda: still)
    for _ in range(3):
        reply = sign_in(web, password="guess")
        assert reply.status_code == 200 and "Wrong name or password." in reply.text
        assert 'value="editor"' in reply.text and "guess" not in reply.text
        assert sessions.COOKIE not in reply.headers.get("set-cookie", "")
    assert waits == [0.0, 0.5, 1.5]  # each try due after the one before and its wait
    assert sign_in(web).status_code == 303 and waits[-1] == 3.5
    assert sign_in(web).status_code == 303 and waits[-1] == 0.0


def test_a_sign_in_without_the_forms_token_or_from_another_site_is_refused(web, editor):
    token = form_token(web)
    good = {"name": "editor", "password": PASSWORD, "csrf": token, "next": "/", "lang": "en"}
    attempts = [
        ({**good, "csrf": "forged-but-long-enough-token"}, {}),
        ({k: v for k, v in good.items() if k != "csrf"}, {}),
        (good, {"Origin": "https://evil.example"}),
        ({**good, "lang": "ru", "padding": "x" * 20_000}, {"Accept-Language": "en"}),
    ]
    for fields, headers in attempts:
        reply = web.post("/signin", data=fields, headers=headers)
        assert reply.status_code == 403 and "The sign-in page was open too long" in reply.text
        assert sessions.COOKIE not in reply.headers.get("set-cookie", "")
    assert web.post("/signin", json=good).status_code == 403  # only the form's own encoding
    web.cookies.clear()
    assert web.post("/signin", data=good).status_code == 403  # a token without its cookie


@pytest.mark.parametrize(
    "target, landing",
    [
        ("/plan?area=sport&lang=kk", "/plan?area=sport&lang=kk"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/plan\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_after_signing_in_the_browser_goes_back_only_to_this_site(web, editor, target, landing):
    assert sign_in(web, next=target).headers["location"] == landing


def test_signing_out_ends_the_session_and_clears_the_cookie(web, editor):
    token = re.search(rf"{sessions.COOKIE}=([^;]+)", sign_in(web).headers["set-cookie"]).group(1)
    forged = web.post("/signout", data={"csrf": "x" * 30, "next": "/"})
    assert forged.status_code == 403 and sessions.store().user(token) == editor
    reply = web.post("/signout", data={"csrf": web.cookies[routes.CSRF_COOKIE], "next": "/plan", "lang": "en"})
    assert reply.status_code == 200 and "You have signed out." in reply.text
    assert f'{sessions.COOKIE}=""' in reply.headers["set-cookie"] and "Max-Age=0" in reply.headers["set-cookie"]
    assert sessions.store().user(token) is None


# ---- private deployments ------------------------------------------------------------------------


@pytest.fixture
def private(web, monkeypatch):
    monkeypatch.setenv("COOPPLAN_PRIVATE", "1")
    return web


DATA_ROUTES = ["/api/v1/actions", "/api/v1/actions/po-001", "/api/v1/memorandum", "/calendar.ics", "/export/plan.csv"]


def test_a_private_deployment_lets_no_one_in_without_signing_in(private):
    for path in DATA_ROUTES:
        reply = private.get(path, params={"lang": "en"})
        assert reply.status_code == 401 and reply.headers["www-authenticate"] == 'Bearer realm="coopplan"', path
        assert "This plan is not public" in reply.text
    assert private.get("/api/v1/actions").headers["content-type"] == "application/json"
    browser = {"Accept": "text/html,application/xhtml+xml"}
    for path, landing in [("/", "/signin?next=%2F"), ("/plan?area=sport", "/signin?next=%2Fplan%3Farea%3Dsport")]:
        reply = private.get(path, headers=browser)
        assert reply.status_code == 303 and reply.headers["location"] == landing
    assert private.get("/export/plan.docx", headers=browser).headers["location"].startswith("/signin?next=")
    page = private.get("/signin", params={"lang": "ru"})
    assert page.status_code == 200 and "Доступ к плану ограничен" in page.text
    assert private.get("/api/v1/openapi.json").status_code == 200  # the description holds no data


def test_a_private_deployment_serves_a_signed_in_browser_api_tokens_and_calendar_tokens(private, editor):
    sign_in(private)
    for path in DATA_ROUTES:
        assert private.get(path).status_code == 200, path
    private.cookies.clear()
    store = sessions.store()
    api_token = store.new_api_token(editor)
    feed = store.feed_token(editor)
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert all(private.get(p, headers=bearer).status_code == 200 for p in DATA_ROUTES)
    assert private.get("/calendar.ics", params={"token": feed, "year": "2027"}).status_code == 200
    assert private.get("/api/v1/actions", params={"token": feed}).status_code == 401  # a calendar token: calendar only
    assert private.get("/api/v1/actions", headers={"Authorization": f"Bearer {feed}"}).status_code == 401
    wrong = private.get("/api/v1/actions", headers={"Authorization": "Bearer nonsense"}, params={"lang": "en"})
    assert wrong.status_code == 401 and wrong.json() == {"error": i18n.t("en", "api.bad_token")}
    store.revoke_tokens("editor")
    assert private.get("/api/v1/actions", headers=bearer).status_code == 401
    assert private.get("/calendar.ics", params={"token": feed}).status_code == 401


def test_a_viewer_account_reads_a_private_deployment(private):
    auth.add_user("reader", "viewer", PASSWORD)
    assert sign_in(private, name="reader").status_code == 303
    assert private.get("/api/v1/actions").json()["count"] > 0


# ---- headers ----------------------------------------------------------------------------------------


def test_every_answer_carries_the_security_headers(web, editor):
    answers = [
        web.get("/api/v1/actions"),
        web.get("/api/v1/actions", params={"area": "x"}),
        web.get("/api/v1/actions/nope"),
        web.get("/calendar.ics"),
        web.get("/export/plan.csv"),
        web.get("/export/nothing"),
        web.get("/signin"),
        sign_in(web),
        web.post("/api/v1/actions"),
        web.get("/api/v1/openapi.json"),
    ]
    for reply in answers:
        assert reply.headers["content-security-policy"] == "frame-ancestors 'self'", reply.url
        assert (
            reply.headers["x-content-type-options"] == "nosniff" and reply.headers["referrer-policy"] == "same-origin"
        )
        assert "strict-transport-security" not in reply.headers  # plain HTTP: no HSTS
    assert answers[8].status_code == 405 and answers[8].headers["allow"] == "GET, HEAD"


def test_dates_are_written_as_iso_text():
    assert api.encode({"on": dt.date(2026, 5, 15)}) == b'{"on":"2026-05-15"}'


# ---- what a page's HTML asks for at once ----------------------------------------------------------

STREAMLIT_HTML = b"<!DOCTYPE html><html><head><title>Streamlit</title></head><body></body></html>"


def streamlits_files():
    """A stand-in for Streamlit's own answers: its HTML at any page's address (gzipped
    when the browser accepts it, with the file's validators), text elsewhere."""

    def html(request):
        zipped = "gzip" in request.headers.get("accept-encoding", "")
        body = gzip.compress(STREAMLIT_HTML) if zipped else STREAMLIT_HTML
        headers = {"etag": '"file"', "last-modified": "Mon, 30 Nov 2026 12:37:29 GMT"}
        if zipped:
            headers |= {"content-encoding": "gzip", "vary": "Accept-Encoding"}
        return Response(body, headers=headers, media_type="text/html")

    return Starlette(
        routes=[Route("/_stcore/health", lambda request: PlainTextResponse("ok")), Route("/{path:path}", html)],
        middleware=server.options()["middleware"],
    )


def test_a_pages_html_names_the_code_of_what_the_page_draws():
    with TestClient(streamlits_files()) as http:
        plan, overview, elsewhere = http.get("/plan?lang=ru"), http.get("/"), http.get("/_stcore/health")
    table, chart = preload.modules(("DataFrame",)), preload.modules(("PlotlyChart",))
    assert table and chart
    for name in table:
        assert f'rel="modulepreload" fetchpriority="low" crossorigin href="./static/js/{name}"' in plan.text
    assert not any(name in plan.text for name in chart if name not in table)  # a table page: no chart code
    assert all(name in overview.text for name in chart)
    assert "BACKEND_BASE_URL" in plan.text and plan.text.endswith("</head><body></body></html>")
    assert plan.headers["content-encoding"] == "gzip" and "etag" not in plan.headers  # not the file's any more
    assert "last-modified" not in plan.headers
    assert elsewhere.text == "ok"


def test_a_page_asked_for_uncompressed_is_sent_so_with_its_true_length():
    with TestClient(streamlits_files()) as http:
        plain = http.get("/timeline", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(plain.content) > len(STREAMLIT_HTML)


def test_the_preloading_passes_the_servers_start_through():
    """The start (ASGI lifespan) goes through every middleware: one that failed it
    made Streamlit skip the app's own start, and the first page opened found no page."""
    started = []

    @asynccontextmanager
    async def lifespan(app):
        started.append(True)
        yield

    with TestClient(Starlette(lifespan=lifespan, middleware=server.options()["middleware"])):
        assert started == [True]


def test_the_code_to_fetch_follows_static_imports_only_and_leaves_out_the_pages_own(tmp_path):
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text('<script src="./static/js/index.AAAAAAAA.js"></script>')
    files = {
        "index.AAAAAAAA.js": "",
        "Table.BBBBBBBB.js": 'import{a}from"./grid.CCCCCCCC.js";import"./index.AAAAAAAA.js";import("./later.DDDDDDDD.js")',
        "grid.CCCCCCCC.js": 'export{x}from"./cells.EEEEEEEE.js"',
        "cells.EEEEEEEE.js": "",
        "later.DDDDDDDD.js": "",
        "TableView.FFFFFFFF.js": "",
    }
    for name, text in files.items():
        (js / name).write_text(text)
    assert preload.modules(("Table",), tmp_path) == ["Table.BBBBBBBB.js", "cells.EEEEEEEE.js", "grid.CCCCCCCC.js"]
    assert preload.modules(("Chart",), tmp_path) == []  # a kind this Streamlit does not have: nothing guessed


def test_every_kind_a_page_draws_is_built_by_this_streamlit():
    for key, route in ROUTES.items():
        for kind in route.draws:
            assert preload.modules((kind,)), f"{key}: this Streamlit builds no code named {kind}"
