"""Helpers of the tests: the plan they run over, AppTest runs of the pages as a viewer or
as a signed-in user, and records and data folders to test with."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from coopplan.editing.auth import User

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data"  # the app's own data: only tests/test_shipped_data.py looks at it
# A frozen copy of the shipped plan as it was when the tests were written
# (``make freeze-test-data`` copies data/ again): the tests own their data, so the
# official plan replacing data/ leaves them green. Tests that name its ids or figures
# are marked ``frozen_plan``.
FROZEN = ROOT / "tests" / "data" / "plan"
# The plan the tests run over: the frozen copy, or the generated second plan under
# ``COOPPLAN_TEST_PLAN`` (``python -m tests.second_plan``: the tests not marked
# ``frozen_plan``, over a plan with other ids).
DATA = Path(os.environ.get("COOPPLAN_TEST_PLAN") or FROZEN)
ADMIN = User("admin", "admin")


def page_path(page: str) -> Path:
    """The file of a page by its key (``ui.navigation.ROUTES``), or ``dashboard.py``."""
    from coopplan.ui.navigation import PAGE_FILES

    return ROOT / (page if page.endswith(".py") else PAGE_FILES[page])


def run_page(page: str, query: dict | None = None, timeout: float = 30):
    """An AppTest of the page ``page`` (or ``dashboard.py``) run once with ``query``."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(page_path(page)), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


# Where a test puts a tab's session token: AppTest cannot send cookies, so the tests
# read the session cookie from here (``inject_test_cookies``); the app never does.
TEST_SESSION = "_test_session"


def _test_cookies() -> dict:
    import streamlit as st

    from coopplan.editing import sessions

    token = st.session_state.get(TEST_SESSION)
    return {} if token is None else {sessions.COOKIE: token}


def inject_test_cookies() -> None:
    """Let AppTest runs of this process read their tab's session cookie from ``TEST_SESSION``."""
    from coopplan.ui import account

    account.read_cookies_from(_test_cookies)


def session_of(user) -> object:
    """What a browser of ``user`` would present: the token of a new session in the
    sessions store for a real user; anything else (a forged value) as it is."""
    from coopplan.editing import auth, sessions

    if not auth.is_user(user):
        return user
    account_of(user)
    return sessions.store().start(user)


def account_of(user) -> None:
    """``user``'s account in the accounts file (a session is as good as its account, read
    at each use), with a hash no password matches, when it has none with that role."""
    from coopplan.editing import auth

    accounts = auth.load_accounts()
    if accounts.get(user.name, {}).get("role") != user.role:
        accounts[user.name] = {"role": user.role, "password": NO_PASSWORD}
        auth.save_accounts(accounts)


NO_PASSWORD = "scrypt$n=2,r=1,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


def as_user(page: str, user, query: dict, timeout: float = 30):
    """An AppTest of the page ``page`` run once with ``query``, signed in as ``user``:
    a session of ``user`` in the sessions store, its token where AppTest lets a test put
    it (``TEST_SESSION``, as a cookie would carry it). A forged value is put
    there as it is, to test what the page makes of it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(page_path(page)), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state[TEST_SESSION] = session_of(user)
    return at.run()


def web_client():
    """The app's own routes and middleware in process (Starlette's TestClient), redirects not followed."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from coopplan.web import server

    options = server.options()
    return TestClient(Starlette(routes=options["routes"], middleware=options["middleware"]), follow_redirects=False)


def submit(at, form: str = "edit_form"):
    """Click the submit button of the form ``form`` and run the page again."""
    button = next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}"))
    return button.click().run()


def details(at) -> str:
    """The exact rules a page shows behind its «details» toggle (after the advice)."""
    from coopplan import i18n

    labels = {i18n.t(lang, "edit.details") for lang in ("kk", "ru", "en")}
    return "\n".join(block.value for box in at.expander if box.label in labels for block in box.code)


def as_lines(text: str) -> str:
    """A text as Word and calendars keep it: CR LF and a lone CR are one line break
    (RFC 5545 text has no carriage return at all)."""
    return re.sub(r"\r\n?", "\n", text)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder with its bytes, by path inside it: the actions
    (hidden leftovers of a save included), the memorandum, the plan and the history,
    ``b""`` while there is none (an empty file left by a refused first write is no
    history either). The store's empty lock files under ``.locks/`` are not data, nor is
    the history's index under ``.index/`` (built from the log whenever it is missing)."""
    from coopplan.editing import history

    files = {p.relative_to(folder).as_posix(): p for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    state = {name: path.read_bytes() for name, path in files.items() if not name.startswith((".locks/", ".index/"))}
    state.setdefault(history.FILE, b"")
    return state


def rendered(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes (``texts.escape_md``) dropped, and
    the invisible word joiners that keep bare addresses from becoming links."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def with_changes(record: dict, changes: dict) -> dict:
    """``record`` with ``changes`` laid over it; a change to None removes the key."""
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def valid_action(action_id: str = "t-001", **changes) -> dict:
    """A minimal valid action record; ``changes`` replace or add fields (None removes one)."""
    record = {
        "id": action_id,
        "area": "tourism",
        "title": {"kk": "Туристік маршрут", "ru": "Туристский маршрут", "en": "Tourist route"},
        "lead": "joint",
        "responsible": {
            "pavlodar": ["Управление туризма Павлодарской области"],
            "omsk": ["Министерство экономики Омской области"],
        },
        "start": "2026-Q2",
        "end": "2026-12",
        "status": "planned",
        "outcome": {"ru": "Маршрут запущен"},
    }
    return with_changes(record, changes)


def write_action(folder: Path, record: dict | str | bytes, name: str | None = None) -> Path:
    """Write an action file: a record is dumped as YAML, text and bytes are written as they are."""
    from coopplan.data import yamlio

    name = name or (record["id"] if isinstance(record, dict) else "t-001")
    path = folder / "actions" / f"{name}.yaml"
    if isinstance(record, dict):
        record = yamlio.dumps(record)
    path.write_bytes(record if isinstance(record, bytes) else record.encode("utf-8"))
    return path


def view_of(dataset, lang: str, **chosen):
    """The view a page of ``dataset`` would draw from, in ``lang`` with the filters ``chosen``."""
    from coopplan.views import filters
    from coopplan.views.frame import actions_frame
    from coopplan.views.view import View

    return View(lang, dataset, actions_frame(dataset.actions, dataset.bodies), filters.Filters(**chosen))


def change(data_dir: Path, action_id: str, user=ADMIN, **fields):
    """Save ``fields`` of an action as ``user`` at its current version: someone
    else's edit, made through the store. The store's ``Saved``."""
    from coopplan.data import loader
    from coopplan.editing import store

    action = loader.load(data_dir).action(action_id)
    return store.save(data_dir, action.model_copy(update=fields), user, store.read_version(data_dir, action_id)[0])


def edited_csv(actions) -> bytes:
    """The CSV export of ``actions`` with po-001 renamed, as an editor would change it."""
    from coopplan.exchange import spreadsheet

    text = spreadsheet.to_csv(actions).decode("utf-8-sig")
    return text.replace("Создание совместной", "Учреждение совместной").encode("utf-8-sig")


def frame_of(*records: dict):
    """The actions frame of ``records`` (see ``valid_action``), as pages filter and count it."""
    from coopplan.data.model import Action
    from coopplan.views.frame import actions_frame

    return actions_frame([Action.model_validate(r) for r in records])


def valid_report(action_id: str = "t-001", side: str = "omsk", period: str = "2026-Q3", **changes) -> dict:
    """A minimal valid report record (on ``valid_action``'s joint action by default);
    ``changes`` replace or add fields (None removes one)."""
    import datetime as dt

    from coopplan.data import periods

    record = {
        "action": action_id,
        "side": side,
        "period": period,
        # a few days after the quarter, or today while it runs: the store takes no report from the future
        "date": max(
            periods.parse(period).first_day, min(periods.parse(period).last_day + dt.timedelta(days=5), dt.date.today())
        ),
        "status": "in_progress",
        "progress": 40,
        "done": {"ru": "Проведено заседание рабочей группы", "kk": "Жұмыс тобының отырысы өткізілді"},
    }
    return with_changes(record, changes)


def write_report(folder: Path, record: dict | str, quarter: str | None = None, name: str | None = None) -> Path:
    """Write a report file where it belongs (or under ``quarter``/``name``): a record is
    dumped as YAML, text written as it is."""
    from coopplan.data import yamlio

    if isinstance(record, dict):
        quarter = quarter or record["period"]
        name = name or f"{record['action']}-{record['side']}"
        record = yamlio.dumps(record)
    path = folder / "reports" / quarter / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(record, encoding="utf-8")
    return path


def begin_now(data_dir: Path, action_id: str = "po-045", quarter: str = "2026-Q4") -> None:
    """Move ``action_id``'s start to ``quarter``: a report is accepted only for a quarter
    its action has begun, and the tests report on 2026-Q4 (the shipped po-045 starts later)."""
    path = data_dir / "actions" / f"{action_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^start: .*$", f"start: {quarter}", text, count=1), encoding="utf-8")


def without_evidence_or_closes(data_dir: Path) -> Path:
    """``data_dir`` without its example evidence (a test counts what it attaches) and
    without its quarters' closes (whose reports take no file: tested on their own)."""
    for folder in ("evidence", "files", "quarters"):
        shutil.rmtree(data_dir / folder)
    return data_dir
