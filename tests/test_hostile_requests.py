"""Hostile requests are refused cleanly: crafted links, forged sessions, lying
uploads and direct HTTP requests to the served app."""

import io
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.editing import auth, history, store
from coopplan.editing.auth import User
from coopplan.exchange import importer, spreadsheet, workbooks
from coopplan.ui.account import TEST_SESSION
from coopplan.ui.navigation import PAGE_FILES
from coopplan.views.filters import PARAMS
from coopplan.web import routes
from tests.helpers import ADMIN, DATA, as_user, change, folder_state, rendered, run_page, session_of, submit, web_client

PAGES = tuple(PAGE_FILES)  # every page of the app
FILTER_PAGES = ("overview", "plan", "timeline", "areas")  # the others do not filter
OMSK = User("ivanova", "omsk")
SHIPPED_IDS = {a.id for a in loader.load(DATA).actions}
NOTICE = {
    "en": "Some values in the link were not recognised and were ignored: ",
    "ru": "Некоторые значения в ссылке не распознаны и не учтены: ",
}


# ---- 1. crafted links ----------------------------------------------------------------

ALL, FILTERING = PAGES, FILTER_PAGES
# name: (the pages it is tried on, the query, what the notice names, the filter widgets'
# values that remain). Filter values are tried where filters are read; the pages
# without filters (edit, history, import) ignore them all, tried at once below.
LINKS = {
    "lang-unknown": (ALL, {"lang": "xx", "area": "tourism"}, "lang=xx", {"area": ["tourism"]}),
    "lang-path": (ALL, {"lang": "../"}, "lang=../", {}),
    "lang-empty": (ALL, {"lang": "", "year": "2027"}, "", {"year": [2027]}),
    "area-path": (FILTERING, {"lang": "en", "area": "../../etc"}, "area=../../etc", {"area": []}),
    "area-part-valid": (FILTERING, {"lang": "en", "area": "tourism,,nonsense"}, "area=nonsense", {"area": ["tourism"]}),
    "year-huge": (FILTERING, {"lang": "en", "year": "99999"}, "year=99999", {"year": []}),
    "year-negative": (FILTERING, {"lang": "en", "year": "-1"}, "year=-1", {"year": []}),
    "year-fraction": (
        FILTERING,
        {"lang": "en", "year": "2027.5", "status": "done"},
        "year=2027.5",
        {"year": [], "status": ["done"]},
    ),
    "status-html": (FILTERING, {"lang": "en", "status": "<script>"}, "status=<script>", {"status": []}),
    "lead-empty": (FILTERING, {"lang": "en", "lead": ""}, "", {"lead": []}),
    # the search box takes 200 characters (max_chars): a longer q is cut there, not refused
    "q-10000-chars": (FILTERING, {"lang": "en", "q": "x" * 10_000}, "", {"q": "x" * 200}),
    "q-regex-group": (FILTERING, {"lang": "en", "q": ".*("}, "", {"q": ".*("}),
    "q-regex-bracket": (FILTERING, {"lang": "en", "q": "["}, "", {"q": "["}),
    "q-backslash": (FILTERING, {"lang": "en", "q": "\\"}, "", {"q": "\\"}),
    # a digit to str.isdigit is not one to int(); more than 4,300 digits int() refuses
    "baseline-superscript": (FILTERING, {"lang": "en", "baseline": "²"}, "baseline=²", {}),
    "baseline-5000-digits": (FILTERING, {"lang": "en", "baseline": "9" * 5000}, "baseline=" + "9" * 39 + "…", {}),
    # ``id`` is the edit page's and the plan's (the action shown in full); to the others it is unknown
    "id-no-such-action": (("edit", "plan"), {"lang": "en", "id": "po-999"}, "id=po-999", {}),
    "id-path": (("edit", "plan"), {"lang": "en", "id": "../../etc/passwd"}, "id=../../etc/passwd", {}),
    # control characters are named as � so the notice stays one readable line
    "id-nul-newlines": (("edit", "plan"), {"lang": "en", "id": "po-001\x00\n\r../x"}, "id=po-001���../x", {}),
    "id-5000-chars": (("edit", "plan"), {"lang": "en", "id": "x" * 5000}, "id=" + "x" * 39 + "…", {}),
    # parameters the app does not know (mail and messenger trackers add them) are not its business
    "unknown-parameters": (
        ALL,
        {"lang": "en", "utm_source": "mail", "fbclid": "x" * 500, "__proto__": "1", "year": "2026"},
        "",
        {"year": [2026]},
    ),
    "repeated-valid": (FILTERING, {"lang": "en", "year": ["2027"] * 999}, "", {"year": [2027]}),
    "repeated-invalid": (FILTERING, {"lang": "en", "area": ["nonsense"] * 999}, "area=nonsense", {"area": []}),
    "999-invalid": (
        FILTERING,
        {"lang": "en", "area": [f"x{n}" for n in range(999)]},
        ", ".join(f"area=x{n}" for n in range(10)) + ", … (+989)",
        {"area": []},
    ),
    # Streamlit drops a query string of more than 1000 parameters whole (its own limit):
    # the page is shown unfiltered in the default language
    "over-1000-parameters": (ALL, {"lang": "en", "year": ["2027"] * 1000}, "", {"year": []}),
    "every-filter-value-at-once": (
        ("edit", "history", "import"),
        {
            "lang": "en",
            "area": "../../etc,tourism,,x",
            "year": "99999,-1,2027.5",
            "status": "<script>",
            "lead": "",
            "q": ".*([\\" * 2000,
            "quarter": "2026-Q9",
            "body": "\x00",
            "asof": "2026-13-45",
        },
        "",
        {},
    ),
}


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory):
    """One copy of the shipped data for the read-only link runs (copied once: they change nothing)."""
    target = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def shipped(shipped_copy, monkeypatch):
    """The shipped copy made the app's data folder, the default language Russian, for this test only."""
    monkeypatch.setenv("COOPPLAN_DATA", str(shipped_copy))
    monkeypatch.delenv("COOPPLAN_LANG", raising=False)
    return shipped_copy


def reads(page: str, param: str) -> bool:
    """Whether ``page`` reads the URL parameter ``param`` (and so names it when it is wrong)."""
    return param == "lang" or (page in ("edit", "plan") if param == "id" else page in FILTER_PAGES)


def shown_language(query: dict) -> str:
    parameters = sum(len(v) if isinstance(v, list) else 1 for v in query.values())
    return query["lang"] if query["lang"] in NOTICE and parameters <= 1000 else "ru"


@pytest.mark.parametrize(
    "page, query, named, remaining",
    [
        pytest.param(page, query, named, remaining, id=f"{name}-{page}")
        for name, (pages, query, named, remaining) in LINKS.items()
        for page in pages
    ],
)
def test_a_crafted_link_is_ignored_with_a_notice_and_the_rest_shown(shipped, page, query, named, remaining):
    # the edit page shows its form, and so reads ``id``, only to an editor
    at = as_user("edit", ADMIN, query) if page == "edit" else run_page(page, query)
    assert not at.exception
    lang = shown_language(query)
    notices = [rendered(w.value) for w in at.warning if rendered(w.value).startswith(NOTICE[lang])]
    assert notices == ([NOTICE[lang] + named] if named and reads(page, named.split("=")[0]) else [])
    assert at.title[0].value == i18n.t(lang, f"{page}.title")  # the page itself is there
    if page in FILTER_PAGES:
        for param, value in remaining.items():
            assert at.session_state[f"filter_{param}"] == value, param
    if page == "edit":
        shown = query.get("id") if query.get("id") in SHIPPED_IDS else "po-001"
        assert at.selectbox(key="edit_pick").value == shown and at.text_input(key="f_title_ru").value


# ---- 2. editing without the right -------------------------------------------------------


def form_buttons(at, form):
    return [b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}")]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_viewer_on_the_edit_page_is_told_to_sign_in_and_gets_no_form(data_dir, lang):
    at = run_page("edit", {"lang": lang, "id": "po-002"})
    assert not at.exception
    # the action of the link, read-only, and how to change it
    assert [i.value for i in at.info] == [i18n.t(lang, "edit.read_only_viewer")]
    title = loader.load(data_dir).action("po-002").title(lang)
    assert any(rendered(m.value) == f"#### {title}" for m in at.markdown)
    assert not form_buttons(at, "edit_form") and not [t for t in at.text_input if t.key == "f_title_ru"]
    assert not [b for b in at.button if b.key == "delete_button"]
    without_link = run_page("edit", {"lang": lang})
    assert [i.value for i in without_link.info] == [i18n.t(lang, "account.viewer")]


# Whatever a browser presents as its session that the sessions store did not hand
# out is no one: not a dict, not a name, not a made-up token, not a User with a made-up role.
FORGED = [
    pytest.param({"name": "admin", "role": "admin"}, id="dict"),
    pytest.param("admin", id="string"),
    pytest.param("x" * 10_000, id="huge-token"),
    pytest.param(("admin", "admin"), id="tuple"),
    pytest.param(User("mallory", "root"), id="unknown-role"),
]


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_user_in_the_session_is_a_viewer(data_dir, forged):
    change(data_dir, "po-001", tags=["checked"])
    before = folder_state(data_dir)
    edit = as_user("edit", forged, {"lang": "en", "id": "po-001"})
    assert not edit.exception
    assert [i.value for i in edit.info] == [i18n.t("en", "edit.read_only_viewer")]  # what a viewer gets
    assert not form_buttons(edit, "edit_form")
    # offered to sign in, as any viewer
    assert [m.value for m in edit.markdown if m.value.startswith('<a href="/signin?')] == [
        '<a href="/signin?lang=en&amp;next=%2F%3Flang%3Den%26id%3Dpo-001" target="_self">Sign in</a>'
    ]
    past = as_user("history", forged, {"lang": "en"})
    assert not past.exception and past.expander and not [b for b in past.button if b.key and b.key.startswith("undo_")]
    upload = as_user("import", forged, {"lang": "en"})
    assert not upload.exception and not upload.file_uploader  # no file is read for a viewer
    assert i18n.t("en", "import.sign_in") in [i.value for i in upload.info] and not form_buttons(upload, "apply_import")
    assert folder_state(data_dir) == before


@pytest.mark.parametrize("forged", FORGED)
def test_the_store_refuses_a_forged_user(data_dir, forged):
    before = folder_state(data_dir)
    action = loader.load(data_dir).action("po-001")  # led jointly: a made-up role must not count as a side
    assert not auth.can_edit(forged, "joint")
    with pytest.raises(store.Forbidden) as refused:
        store.save(
            data_dir, action.model_copy(update={"progress": 99}), forged, store.read_version(data_dir, "po-001")[0]
        )
    assert refused.value.kind == ("not_your_side" if isinstance(forged, User) else "sign_in")
    with pytest.raises(store.Forbidden):
        store.delete(data_dir, "po-001", forged, store.read_version(data_dir, "po-001")[0])
    assert folder_state(data_dir) == before


def test_an_omsk_editor_gets_no_form_for_a_pavlodar_action(data_dir):
    at = as_user("edit", OMSK, {"lang": "kk", "id": "po-002"})
    assert not at.exception
    assert [w.value for w in at.warning] == [i18n.t("kk", "edit.not_allowed", lead=i18n.t("kk", "lead.pavlodar"))]
    assert not form_buttons(at, "edit_form") and not [b for b in at.button if b.key == "delete_button"]


def test_a_save_posted_after_the_session_changed_hands_writes_nothing(data_dir):
    before = folder_state(data_dir)
    at = as_user("edit", ADMIN, {"lang": "ru", "id": "po-002"})
    at.text_input(key="f_title_ru").input("Подменённое название")
    at.session_state[TEST_SESSION] = session_of(OMSK)  # the form was drawn for an admin; it is sent by an Omsk editor
    submit(at)
    assert not at.exception
    # the Omsk editor's picker offers only what Omsk may change: po-002 is gone from it, and nothing is written
    assert "po-002" not in at.selectbox(key="edit_pick").options
    assert at.text_input(key="f_title_ru").value != "Подменённое название"
    assert folder_state(data_dir) == before


def test_a_delete_clicked_after_the_session_changed_hands_deletes_nothing(data_dir):
    before = folder_state(data_dir)
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-002"})
    at.checkbox(key="delete_confirm").check().run()
    at.session_state[TEST_SESSION] = "admin"
    at.button(key="delete_button").click().run()
    assert not at.exception and [i.value for i in at.info] == [i18n.t("en", "edit.read_only_viewer")]
    assert folder_state(data_dir) == before


def test_a_bulk_update_of_actions_not_ones_own_is_refused_in_the_pages_language(data_dir):
    before = folder_state(data_dir)
    at = as_user("edit", ADMIN, {"lang": "ru"})
    at.segmented_control(key="edit_mode").set_value("bulk").run()
    at.multiselect[0].set_value(["po-002", "po-006"])
    at.selectbox[0].set_value("cancelled")
    at.session_state[TEST_SESSION] = session_of(OMSK)
    submit(at, "bulk")
    assert not at.exception
    # the Omsk editor is offered only actions led by Omsk or jointly: the Pavlodar ones drop out
    assert "po-002" not in at.multiselect[0].options and not at.success
    assert folder_state(data_dir) == before
    # and the store, the last line, refuses them, with a reason the page can say in its language
    saved, refused = store.bulk_update(loader.load(data_dir), ["po-002", "po-006"], {"status": "cancelled"}, OMSK)
    assert saved == [] and [(action_id, r.kind) for action_id, r in refused] == [
        ("po-002", "not_your_side"),
        ("po-006", "not_your_side"),
    ]
    assert i18n.problem("ru", "not_your_side", refused[0][1].message).startswith(
        i18n.t("ru", "problem.not_your_side") + " — "
    )
    assert folder_state(data_dir) == before


def test_an_undo_clicked_after_the_session_changed_hands_undoes_nothing(data_dir):
    change(data_dir, "po-002", tags=["checked"])
    before = folder_state(data_dir)
    [entry], _ = history.read(data_dir)
    assert not [b for b in as_user("history", OMSK, {"lang": "en"}).button if b.key == f"undo_{entry.id}"]
    at = as_user("history", ADMIN, {"lang": "en"})
    at.session_state[TEST_SESSION] = session_of(OMSK)
    at.button(key=f"undo_{entry.id}").click().run()
    assert not at.exception and folder_state(data_dir) == before
    with pytest.raises(store.Forbidden):
        store.undo(data_dir, entry, OMSK)
    assert folder_state(data_dir) == before


def changed_csv(folder, action_id: str) -> bytes:
    """A CSV of one action whose status was changed: a row the import would apply."""
    action = loader.load(folder).action(action_id)
    return spreadsheet.to_csv(
        [action.model_copy(update={"status": "cancelled" if action.status != "cancelled" else "planned"})]
    )


def test_an_import_applied_by_an_editor_of_the_other_side_is_refused(data_dir):
    before = folder_state(data_dir)
    at = as_user("import", OMSK, {"lang": "kk"})
    at.file_uploader[0].upload("plan.csv", changed_csv(data_dir, "po-002"), "text/csv").run()
    assert [m.value for m in at.metric] == ["0", "1", "0", "0"]
    submit(at, "apply_import")
    assert not at.exception
    [error] = [rendered(e.value) for e in at.error]
    assert error.startswith(
        i18n.t(
            "kk",
            "edit.refused",
            reason=i18n.t("kk", "import.row_reason", row=2, reason=i18n.t("kk", "problem.not_your_side")),
        )
    )
    assert "ivanova (omsk) may not change actions led by pavlodar" in error
    assert folder_state(data_dir) == before


# ---- 3. uploads that lie -------------------------------------------------------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb() -> bytes:
    """A workbook-shaped zip of ~100 KB whose shared strings unpack past MAX_UNPACKED_BYTES."""
    real = zipfile.ZipFile(io.BytesIO(spreadsheet.template_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in real.infolist():
            archive.writestr(item.filename, real.read(item.filename))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            chunk = b"<si><t>" + b"A" * (1024 * 1024) + b"</t></si>"
            for _ in range(workbooks.MAX_UNPACKED_BYTES // len(chunk) + 1):
                strings.write(chunk)
    return buffer.getvalue()


CSV_TEXT = "id,title_ru\npo-001,Кафе «Иртыш»\n"
# file name, its bytes, the page's language, the refusal's kind and the words of its message
UPLOADS = [
    pytest.param(
        "plan.csv",
        b"id,x\n" + b"x" * importer.MAX_UPLOAD_BYTES,
        "kk",
        "too_large",
        f"the limit is {importer.MAX_UPLOAD_BYTES:,}",
        id="over-the-limit",
    ),
    pytest.param("plan.xlsx", CSV_TEXT.encode("utf-8"), "ru", "not_xlsx", "not an Excel workbook", id="csv-named-xlsx"),
    pytest.param(
        "plan.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "en", "not_xlsx", "not an Excel workbook", id="png-named-xlsx"
    ),
    pytest.param(
        "plan.xlsx",
        zip_of({"readme.txt": b"hello"}),
        "kk",
        "not_xlsx",
        "cannot be read (KeyError)",
        id="zip-not-a-workbook",
    ),
    pytest.param("plan.xlsx", None, "ru", "too_large", "the workbook unpacks to", id="zip-bomb"),
    pytest.param("plan.csv", CSV_TEXT.encode("utf-16"), "en", "csv_not_utf8", "not UTF-8", id="csv-utf16"),
    pytest.param(
        "plan.csv", "id,title_ru\npo-001,Café\n".encode("latin-1"), "kk", "csv_not_utf8", "not UTF-8", id="csv-latin1"
    ),
    pytest.param("plan.xlsx", b"", "ru", "not_xlsx", "not an Excel workbook", id="empty-xlsx"),
]


@pytest.mark.parametrize("name, data, lang, kind, words", UPLOADS)
def test_an_upload_that_is_not_the_plan_is_refused_in_the_pages_language(data_dir, name, data, lang, kind, words):
    data = bomb() if data is None else data
    before = folder_state(data_dir)
    at = as_user("import", ADMIN, {"lang": lang})
    at.file_uploader[0].upload(name, data, "application/octet-stream").run()
    assert not at.exception
    [error] = [rendered(e.value) for e in at.error]
    assert error.startswith(i18n.t(lang, "import.error", reason=i18n.t(lang, f"problem.{kind}") + " — "))
    assert words in error
    assert not at.dataframe and not form_buttons(at, "apply_import")
    assert folder_state(data_dir) == before


def test_a_file_of_another_type_is_refused_before_the_page_reads_it(data_dir):
    with pytest.raises(importer.UploadError, match="upload an .xlsx or .csv") as caught:
        importer.read_rows(b"MZ\x90\x00", "plan.xlsx.exe")
    assert caught.value.kind == "wrong_type"
    # Streamlit 1.67 checks the uploader's ``type`` on the server too, before the page's
    # script runs, so the page cannot word it: a browser never sends such a file (its
    # picker offers .xlsx and .csv only), and a hand-made request gets Streamlit's
    # generic error, with neither details nor traceback (client.showErrorDetails = "none").
    before = folder_state(data_dir)
    at = as_user("import", ADMIN, {"lang": "en"})
    at.file_uploader[0].upload("plan.xlsx.exe", b"MZ\x90\x00", "application/octet-stream").run()
    [refused] = at.exception
    assert refused.message.startswith("This app has encountered an error. The original error message is redacted")
    assert not refused.stack_trace
    assert folder_state(data_dir) == before


def test_an_empty_csv_is_said_to_have_no_rows(data_dir):
    at = as_user("import", ADMIN, {"lang": "kk"})
    at.file_uploader[0].upload("plan.csv", b"", "text/csv").run()
    assert not at.exception and [w.value for w in at.warning] == [i18n.t("kk", "import.empty")]


def test_a_real_export_stays_well_inside_the_unpacked_limit():
    dataset = loader.load(DATA)
    workbook = spreadsheet.to_xlsx(dataset.actions * 10, dataset, "ru")
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(workbook)).infolist())
    assert unpacked / len(workbook) < 15  # the 20× limit leaves room
    assert len(importer.read_rows(workbook, "plan.xlsx")) == len(dataset.actions) * 10


# ---- 4. the served app over plain HTTP --------------------------------------------------------


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


DATA_PATHS = [
    "/data/actions/po-001.yaml",
    "/actions/po-001.yaml",
    "/app/static/../data/memorandum.yaml",
    "/app/static/memorandum.yaml",
    "/app/static/data/memorandum.yaml",
    "/media/../data/memorandum.yaml",
    "/media/..%2f..%2fdata%2fmemorandum.yaml",
    "/static/../../data/actions/po-001.yaml",
    "/component/../../data/memorandum.yaml",
    "/data/",
    "/data/actions/",
    "/history.jsonl",
    "/.coopplan/users.yaml",
]


@pytest.mark.browser
def test_the_data_folder_is_never_served(server):
    secrets = [
        (server.data_dir / "actions" / "po-001.yaml").read_bytes()[:40],
        (server.data_dir / "memorandum.yaml").read_bytes()[:40],
        b"po-002.yaml",  # a listing of the actions folder would name its files
    ]
    # the app's HTML page, which loads the rest over its WebSocket: as an address that is
    # no page's gets it, without the lines naming a page's code (web.preload)
    shell = fetch(server.url + "/no-such-page")[1]
    assert b"</html>" in shell and b"static/js/" in shell
    for path in DATA_PATHS:
        status, body = fetch(server.url + path)
        assert not any(secret in body for secret in secrets), path
        # a path climbing with ".." is refused (400); any other gets that same page
        # (Streamlit routes pages in the browser), never a file and never a listing
        if ".." in urllib.parse.unquote(path):
            assert status == 400, path
        else:
            assert status == 200 and body == shell, path


@pytest.mark.browser
def test_an_upload_without_the_xsrf_token_is_refused(server):
    # Streamlit 1.67 (Starlette) takes uploads only as PUT /_stcore/upload_file/<session>/<file>;
    # it checks the XSRF token first: the X-Xsrftoken header must match the _streamlit_xsrf
    # cookie (set by /_stcore/health), else 403, before the session is even looked at.
    upload = f"{server.url}/_stcore/upload_file/some-session/some-file"
    body = b'--b\r\nContent-Disposition: form-data; name="file"; filename="plan.csv"\r\n\r\nid\r\n--b--\r\n'
    form = {"Content-Type": "multipart/form-data; boundary=b"}
    assert fetch(upload, "POST", body, form)[0] == 405  # no POST route at all
    assert fetch(upload, "PUT", body, form)[0] == 403  # neither cookie nor token
    assert fetch(upload, "PUT", body, {**form, "X-Xsrftoken": "2|00|00|0"})[0] == 403  # a token without its cookie
    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as reply:
        cookie = re.search(r"_streamlit_xsrf=([^;]+)", reply.headers["Set-Cookie"]).group(1)
    assert fetch(upload, "PUT", body, {**form, "Cookie": f"_streamlit_xsrf={cookie}"})[0] == 403  # cookie, no token
    # with both the token passes, and only then is the made-up session refused (400):
    # so the 403s above are the XSRF check's
    assert fetch(upload, "PUT", body, {**form, "Cookie": f"_streamlit_xsrf={cookie}", "X-Xsrftoken": cookie})[0] == 400
    assert not list(server.data_dir.rglob("plan.csv"))


# ---- 5. the web routes (API, calendar, documents), in process ------------------------------------

FILTER_ROUTES = ["/api/v1/actions", "/calendar.ics", "/export/plan.csv", "/export/plan.xlsx", "/export/plan.docx"]


@pytest.fixture(scope="module")
def routes_client(shipped_copy):
    with web_client() as http:
        yield http


def refused_values(page_named: str) -> bool:
    """Whether a link's wrong values are ones the routes read (the filters and lang; ``id`` is the edit page's)."""
    return bool(page_named) and page_named.split("=")[0] in ("lang", *PARAMS)


@pytest.mark.parametrize(
    "route, query, named",
    [
        pytest.param(route, query, named, id=f"{name}-{route}")
        for name, (_, query, named, _) in LINKS.items()
        for route in FILTER_ROUTES
    ],
)
def test_every_route_refuses_a_crafted_link_as_the_pages_would_name_it(shipped, routes_client, route, query, named):
    reply = routes_client.get(route, params=query)
    parameters = sum(len(v) if isinstance(v, list) else 1 for v in query.values())
    too_long = len(urllib.parse.urlencode(query, doseq=True)) > routes.MAX_QUERY_BYTES
    if parameters > 1000 or too_long:  # what Streamlit drops whole (or cuts), the routes refuse whole
        assert reply.status_code == 414
    elif refused_values(named):
        assert reply.status_code == 400, reply.text[:200]
        message = NOTICE[shown_language(query)] + named  # the pages' notice, word for word
        assert (reply.json()["error"] if route.startswith("/api/") else reply.text) == (
            message if route.startswith("/api/") else message + "\n"
        )
    else:
        assert reply.status_code == 200, reply.text[:200]
    assert reply.headers["x-content-type-options"] == "nosniff"


CRAFTED_IDS = [
    "po-999",
    "..",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "po-001%00",
    "po-001%0A",
    "po-001%0D%0AX-Injected:%201",
    "x" * 5000,
    "по-001",
    "po-001.yaml",
    "%2e%2e",
    "po-001;rm%20-rf",
]


@pytest.mark.parametrize("crafted", CRAFTED_IDS, ids=lambda v: v[:30])
def test_an_unknown_or_path_like_id_gets_a_json_404_and_nothing_else(shipped, routes_client, crafted):
    reply = routes_client.get(f"/api/v1/actions/{crafted}", params={"lang": "en"})
    assert reply.status_code == 404 and reply.headers["content-type"] == "application/json"
    error = reply.json()["error"]
    assert error.startswith(("There is no «", "There is no such address")) and len(error) < 200
    assert "\n" not in error and "\x00" not in error and "X-Injected" not in reply.headers


@pytest.mark.parametrize(
    "query, status",
    [
        ("q=" + "x" * 20_000, 414),
        ("&".join(f"area=a{n}" for n in range(1001)), 414),
        ("&".join(["area=tourism"] * 999), 200),
        ("area=" + ",".join(["tourism"] * 2000), 200),
        ("lang=en&lang=kk&lang=ru", 200),
        ("year=2027&year=" + "9" * 400, 400),
        ("asof=" + "2026-01-01" * 100, 400),
        ("body=" + "%00" * 100, 400),
    ],
    ids=[
        "20k-query",
        "1001-params",
        "999-repeated",
        "2000-commas",
        "three-langs",
        "huge-year",
        "huge-date",
        "nul-body",
    ],
)
def test_huge_and_repeated_parameters_are_bounded(shipped, routes_client, query, status):
    for route in FILTER_ROUTES[:3]:
        reply = routes_client.get(f"{route}?{query}")
        assert reply.status_code == status, (route, reply.text[:200])
    if status == 200:
        assert routes_client.get(f"/api/v1/actions?{query}").json()["count"] > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_api_takes_no_writes(shipped, routes_client, method):
    before = folder_state(shipped)
    for path in ("/api/v1/actions", "/api/v1/actions/po-001", "/api/v1/memorandum"):
        reply = routes_client.request(method, path, content=b'{"id": "po-001"}')
        assert reply.status_code == 405 and reply.json() == {"error": "GET only"}, path
    assert folder_state(shipped) == before
