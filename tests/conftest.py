"""Shared fixtures: a private copy of the data, AppTest runs, a served app and a browser.

Browser tests are marked ``browser``. They skip with the reason shown when
Debian's chromium is missing, except where ``COOPPLAN_REQUIRE_BROWSER=1``
(set by ``.ci/run``): there a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coopplan.auth import User

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"
ADMIN = User("admin", "admin")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A writable copy of the shipped data, made the app's data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("COOPPLAN_DATA", str(target))
    return target


@pytest.fixture(autouse=True)
def _fresh_streamlit_cache():
    """Cached loads must not leak between tests that use different data."""
    if "streamlit" not in sys.modules:
        yield
        return
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run_page(page: str, query: dict | None = None, timeout: float = 30):
    """An AppTest of ``pages/<page>.py`` (or ``dashboard.py``) run once with ``query``."""
    from streamlit.testing.v1 import AppTest

    path = ROOT / (page if page.endswith(".py") else f"pages/{page}.py")
    at = AppTest.from_file(str(path), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def as_user(page: str, user, query: dict, timeout: float = 30):
    """An AppTest of ``pages/<page>.py`` run once with ``query``, ``user`` in the session
    as if signed in (whatever it is: a forged value tests what the page makes of it)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.session_state["_user"] = user
    return at.run()


def submit(at, form: str = "edit_form"):
    """Click the submit button of the form ``form`` and run the page again."""
    button = next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{form}"))
    return button.click().run()


def as_lines(text: str) -> str:
    """A text as Word and calendars keep it: CR LF and a lone CR are one line break
    (RFC 5545 text has no carriage return at all)."""
    return re.sub(r"\r\n?", "\n", text)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder with its bytes, by path inside it: the actions
    (hidden leftovers of a save included), the memorandum, the plan and the history,
    ``b""`` while there is none (an empty file left by a refused first write is no
    history either). The store's empty lock files under ``.locks/`` are not data."""
    from coopplan import history

    files = {p.relative_to(folder).as_posix(): p for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    state = {name: path.read_bytes() for name, path in files.items() if not name.startswith(".locks/")}
    state.setdefault(history.FILE, b"")
    return state


def rendered(markdown: str) -> str:
    """Markdown as a reader sees it: backslash escapes (``display.escape_md``) dropped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _browser_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason:
        if os.environ.get("COOPPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


class Server:
    """A ``streamlit run dashboard.py`` on a free loopback port, on its own data copy."""

    def __init__(self, data: Path, extra_env: dict | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "COOPPLAN_DATA": str(data), **(extra_env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                "--server.port", str(self.port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
            ],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the streamlit server did not become healthy within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """The app served on a module-private copy of the shipped data."""
    folder = tmp_path_factory.mktemp("served")
    data = folder / "data"
    shutil.copytree(DATA, data)
    served = Server(data, {"COOPPLAN_USERS": str(folder / "users.yaml")})
    served.data_dir = data
    served.users = folder / "users.yaml"
    yield served
    served.stop()


@pytest.fixture
def page(browser, server):
    """A fresh browser page (1280 px wide) with ``page.open(path)`` that waits for the script to finish."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    tab = context.new_page()

    def open_(path: str = "/") -> None:
        tab.goto(server.url + path)
        wait_idle(tab)
        # Streamlit's modal when a URL names no page (it then runs the default page)
        assert not tab.get_by_text("Page not found").count(), f"{path}: Streamlit says the page does not exist"

    tab.open = open_
    yield tab
    context.close()


def wait_idle(tab, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the page's script."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    tab.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
    tab.wait_for_timeout(500)  # let the last deltas and charts paint


def sign_in(tab, server, lang: str, name: str = "editor", password: str = "a long password", role: str = "pavlodar") -> None:
    """Sign in through the sidebar form of the page open in ``tab``, with the labels of
    ``lang``; the served app's account is made first if it has none by that name."""
    from coopplan import auth, i18n

    if name not in auth.load_accounts(server.users):
        auth.add_user(name, role, password, path=server.users)
    tab.get_by_role("textbox", name=i18n.t(lang, "account.name")).fill(name)
    tab.get_by_role("textbox", name=i18n.t(lang, "account.password")).fill(password)
    tab.get_by_role("button", name=i18n.t(lang, "account.sign_in")).click()
    wait_idle(tab)
    tab.get_by_text(i18n.t(lang, "account.signed_in", name=name, role=i18n.t(lang, f"role.{role}"))).wait_for()


def screenshot(tab, name: str) -> Path:
    """The whole page as a PNG: Streamlit scrolls inside its main block, so the
    viewport is grown to the content's height for the shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = tab.viewport_size
    height = tab.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    tab.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
    tab.wait_for_timeout(400)
    tab.screenshot(path=str(path))
    tab.set_viewport_size(size)
    return path


def valid_action(action_id: str = "t-001", **changes) -> dict:
    """A minimal valid action record; ``changes`` replace or add fields (None removes one)."""
    record = {
        "id": action_id,
        "area": "tourism",
        "title": {"kk": "Туристік маршрут", "ru": "Туристский маршрут", "en": "Tourist route"},
        "lead": "joint",
        "responsible": {"pavlodar": ["Управление туризма Павлодарской области"], "omsk": ["Министерство экономики Омской области"]},
        "start": "2026-Q2",
        "end": "2026-12",
        "status": "planned",
        "outcome": {"ru": "Маршрут запущен"},
    }
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


@pytest.fixture
def mini_data(tmp_path) -> Path:
    """A data folder with the shipped memorandum and plan and no actions yet."""
    target = tmp_path / "mini"
    (target / "actions").mkdir(parents=True)
    shutil.copy(DATA / "memorandum.yaml", target)
    shutil.copy(DATA / "plan.yaml", target)
    return target


def write_action(folder: Path, record: dict | str | bytes, name: str | None = None) -> Path:
    """Write an action file: a record is dumped as YAML, text and bytes are written as they are."""
    from coopplan import yamlio

    name = name or (record["id"] if isinstance(record, dict) else "t-001")
    path = folder / "actions" / f"{name}.yaml"
    if isinstance(record, dict):
        record = yamlio.dumps(record)
    path.write_bytes(record if isinstance(record, bytes) else record.encode("utf-8"))
    return path
