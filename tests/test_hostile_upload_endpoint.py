"""Streamlit's upload endpoint takes a file only into a session whose page asked for one,
for a user who may use that page's uploader, within what one session and the whole
server may hold, and forgets it with the session (issue 30, item 1)."""

from __future__ import annotations

import anyio
import pytest
from starlette.responses import Response

from coopplan.editing import auth, sessions, uploads
from coopplan.editing.auth import User
from coopplan.web import middleware
from tests.helpers import ADMIN, as_user, session_of

EDITOR = User("ivanova", "omsk")
FIVE_MB = 5 * 1024 * 1024


@pytest.fixture(autouse=True)
def _no_grants():
    uploads.clear()
    yield
    uploads.clear()


class Downstream:
    """Streamlit's side of the endpoint: notes what reached it, and reads the body."""

    def __init__(self, status: int = 204):
        self.reached = 0
        self.status = status

    async def __call__(self, scope, receive, send):
        self.reached += 1
        while (await receive()).get("more_body"):
            pass
        await Response(status_code=self.status)(scope, receive, send)


def put(
    gate,
    session_id: str,
    length: int | None = FIVE_MB,
    cookie: str | None = None,
    file_id: str = "f1",
    cookies: str | None = None,
) -> tuple[int, int]:
    """A PUT of ``length`` bytes through ``gate`` with the session ``cookie`` (or the raw
    ``cookies`` header): its status, and how many body messages the app asked for (0:
    refused before the body was read)."""
    headers = [(b"content-length", str(length).encode())] if length is not None else []
    if cookie is not None:
        cookies = f"{sessions.COOKIE}={cookie}"
    if cookies is not None:
        headers.append((b"cookie", cookies.encode()))
    scope = {
        "type": "http",
        "method": "PUT",
        "path": f"{uploads.PATH}{session_id}/{file_id}",
        "raw_path": b"",
        "query_string": b"",
        "headers": headers,
        "client": ("198.51.100.7", 4000),
        "server": ("127.0.0.1", 8501),
        "scheme": "http",
    }
    reads, answer = 0, {}

    async def receive():
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": reads < 3}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    anyio.run(gate, scope, receive, send)
    return answer["status"], reads


def gate_over(downstream, connected=lambda session_id: True, freed=None):
    return middleware.UploadGate(downstream, connected=connected, free=(freed.append if freed is not None else print))


def test_a_session_whose_page_asked_for_no_file_is_refused_before_its_body_is_read():
    downstream = Downstream()
    gate = gate_over(downstream)
    for attempt in range(100):  # the attack: one made-up file after another, 5 MB each
        assert put(gate, "anonymous-session", file_id=f"made-up-{attempt}") == (403, 0)
    assert downstream.reached == 0 and uploads.total_held() == 0


def test_an_editor_on_the_import_page_uploads_and_another_browser_cannot_use_that_session(tmp_path):
    downstream = Downstream()
    gate = gate_over(downstream)
    assert uploads.grant("editor-session", "import", EDITOR)
    cookie = session_of(EDITOR)
    assert put(gate, "editor-session", cookie=cookie) == (204, 3)
    assert put(gate, "editor-session", file_id="f2") == (403, 0)  # no sign-in: the session id alone is not one
    other = session_of(User("petrov", "pavlodar"))
    assert put(gate, "editor-session", cookie=other, file_id="f3") == (403, 0)
    assert downstream.reached == 1


def test_a_viewer_or_a_visitor_is_granted_no_upload_and_an_undeclared_uploader_is_an_error():
    assert not uploads.grant("s", "import", None)
    assert not uploads.grant("s", "import", User("observer", "viewer"))
    assert uploads.granted("s") is None
    with pytest.raises(KeyError):
        uploads.grant("s", "anything", ADMIN)


def test_a_session_holds_no_more_than_its_page_allows_and_the_server_no_more_than_its_cap(monkeypatch):
    gate = gate_over(Downstream())
    cookie = session_of(EDITOR)
    uploads.grant("one", "import", EDITOR)
    assert put(gate, "one", cookie=cookie)[0] == 204
    assert put(gate, "one", cookie=cookie, file_id="second") == (413, 0)  # the import page takes one file
    assert put(gate, "one", cookie=cookie, file_id="f1")[0] == 204  # the same file again replaces it
    assert put(gate, "one", length=None, cookie=cookie) == (411, 0)
    monkeypatch.setattr(uploads, "SERVER_BYTES", FIVE_MB + 1024)
    uploads.grant("two", "import", EDITOR)
    assert put(gate, "two", cookie=cookie) == (503, 0)  # the server's cap, whoever asks


def test_a_refused_upload_and_a_deleted_file_give_their_room_back():
    cookie = session_of(EDITOR)
    uploads.grant("s", "import", EDITOR)
    assert put(gate_over(Downstream(status=413)), "s", cookie=cookie)[0] == 413
    assert uploads.total_held() == 0
    assert put(gate_over(Downstream()), "s", cookie=cookie)[0] == 204
    assert uploads.total_held() == FIVE_MB
    uploads.release("s", "f1")
    assert uploads.total_held() == 0


def test_the_files_of_a_session_that_ended_are_freed_and_its_grant_forgotten():
    cookie = session_of(EDITOR)
    uploads.grant("gone", "import", EDITOR)
    uploads.grant("here", "import", EDITOR)
    for session_id in ("gone", "here"):
        assert put(gate_over(Downstream()), session_id, cookie=cookie)[0] == 204
    freed: list[str] = []
    alive = {"here"}
    assert uploads.sweep(alive.__contains__, freed.append, now=1000.0) == []  # just disconnected: may reconnect
    assert uploads.sweep(alive.__contains__, freed.append, now=1000.0 + uploads.ENDED_AFTER) == ["gone"]
    assert freed == ["gone"] and uploads.granted("gone") is None and uploads.granted("here") is not None
    assert uploads.total_held() == FIVE_MB


def test_the_import_page_opens_the_endpoint_to_an_editors_session_only_and_another_page_closes_it(data_dir):
    at = as_user("import", ADMIN, {"lang": "en"})
    assert at.file_uploader and [grant.user for grant in uploads._grants.values()] == ["admin"]
    viewer = as_user("import", User("observer", "viewer"), {"lang": "en"})  # AppTest: one session id for all
    assert not viewer.file_uploader and not uploads._grants
    as_user("import", ADMIN, {"lang": "en"})
    at = as_user("overview", ADMIN, {"lang": "en"})
    assert not at.exception and not uploads._grants


def test_a_session_keeps_its_grant_while_its_page_runs_again_and_loses_it_when_its_user_may_no_longer_upload():
    assert uploads.grant("s", "import", EDITOR)
    uploads.page_starts("s", "import")  # the rerun after an upload: the next upload may come meanwhile
    assert uploads.granted("s") is not None
    assert not uploads.grant("s", "import", User("ivanova", "viewer"))
    assert uploads.granted("s") is None
    assert uploads.grant("s", "import", EDITOR)
    uploads.page_starts("s", "overview")
    assert uploads.granted("s") is None


def test_every_declared_uploader_admits_editors_only_and_bounds_what_a_session_holds():
    for name, uploader in uploads.UPLOADERS.items():
        assert not uploader.may(None) and not uploader.may(User("observer", "viewer")), name
        assert uploader.may(ADMIN) and 0 < uploader.room <= uploads.SERVER_BYTES, name
    assert auth.may_edit(EDITOR)


def test_with_openid_connect_the_upload_must_come_from_the_pages_signed_in_browser(monkeypatch):
    from coopplan.web import internals

    monkeypatch.setattr(middleware, "_oidc", lambda: True)
    monkeypatch.setattr(internals, "oidc_email", lambda cookies: cookies.get("_streamlit_user"))
    auth.add_user("ivanova", "omsk", "a long password", email="ivanova@example.org")
    uploads.grant("oidc-session", "import", EDITOR)
    gate = gate_over(Downstream())
    assert put(gate, "oidc-session") == (403, 0)  # the session id alone
    assert put(gate, "oidc-session", cookies="_streamlit_user=someone@example.org") == (403, 0)  # no account
    assert put(gate, "oidc-session", cookies="_streamlit_user=ivanova@example.org") == (204, 3)
