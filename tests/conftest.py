"""Fixtures: a private copy of the data, a fresh Streamlit cache, a served app and a browser,
and LibreOffice to open the exports as a person would.

Browser tests are marked ``browser``. They skip with the reason shown when
Debian's chromium is missing, except where ``COOPPLAN_REQUIRE_BROWSER=1``
(set by ``.ci/run``): there a missing browser fails the run. LibreOffice is
required in the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, Server, browser_missing_reason, wait_idle
from tests.helpers import DATA, inject_test_cookies

# The test modules that name the frozen plan's ids, figures or texts: they run over the
# frozen copy only, and the second plan's run (``tests/second_plan.py``, which sets
# COOPPLAN_TEST_PLAN) does not collect them. Every other module must pass over any valid plan.
FROZEN_PLAN_MODULES = {
    "test_alternatives",
    "test_bodies",
    "test_browser_edit",
    "test_browser_everyday",
    "test_browser_evidence",
    "test_browser_keyboard",
    "test_browser_pages",
    "test_browser_replicas",
    "test_browser_reporting",
    "test_browser_review",
    "test_changes",
    "test_charts",
    "test_corpus",
    "test_everyday_pages",
    "test_evidence",
    "test_evidence_pages",
    "test_evidence_web",
    "test_faults",
    "test_filters",
    "test_history",
    "test_hostile_export_flood",
    "test_hostile_file_modes",
    "test_hostile_requests",
    "test_hostile_writes",
    "test_implementation_report",
    "test_load",
    "test_no_english",
    "test_pages",
    "test_plan_document",
    "test_report_documents",
    "test_report_forms",
    "test_reporting",
    "test_reporting_pages",
    "test_review",
    "test_review_pages",
    "test_security",
    "test_snapshot",
    "test_store",
    "test_tables",
    "test_texts",
    "test_web",
}
collect_ignore = [f"{name}.py" for name in FROZEN_PLAN_MODULES] if os.environ.get("COOPPLAN_TEST_PLAN") else []


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A writable copy of the tests' plan, made the app's data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("COOPPLAN_DATA", str(target))
    return target


@pytest.fixture(autouse=True)
def _tests_plan(monkeypatch):
    """The app reads the tests' plan (never data/) unless a test names another folder."""
    monkeypatch.setenv("COOPPLAN_DATA", str(DATA))


@pytest.fixture(autouse=True, scope="session")
def _test_cookies():
    """AppTest runs read their tab's session cookie where the tests put it."""
    inject_test_cookies()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Cached loads must not leak between tests that use different data."""
    from coopplan.views import snapshot

    snapshot.clear()
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_resource.clear()
    yield
    snapshot.clear()


@pytest.fixture(autouse=True)
def _private_accounts(tmp_path_factory, monkeypatch):
    """Each test's own accounts file and sessions store (never the project's ``.coopplan/``);
    a test that names its own COOPPLAN_USERS replaces it."""
    monkeypatch.setenv("COOPPLAN_USERS", str(tmp_path_factory.mktemp("accounts") / "users.yaml"))
    monkeypatch.delenv("COOPPLAN_PRIVATE", raising=False)


@pytest.fixture(scope="session")
def browser():
    reason = browser_missing_reason()
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


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """The app served on a module-private copy of the tests' plan."""
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


@pytest.fixture
def mini_data(tmp_path) -> Path:
    """A data folder with the tests' memorandum and plan and no actions yet."""
    target = tmp_path / "mini"
    (target / "actions").mkdir(parents=True)
    shutil.copy(DATA / "memorandum.yaml", target)
    shutil.copy(DATA / "plan.yaml", target)
    return target


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """``convert(paths, to)``: files converted by LibreOffice, headless (``to`` is
    ``xlsx``, ``pdf``…), into a folder of their own; the converted paths. LibreOffice
    runs with a profile of its own, so that other LibreOffice processes on the
    machine do not block it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        reason = "LibreOffice is not installed (apt-get install libreoffice-calc-nogui libreoffice-writer-nogui)"
        if os.environ.get("COOPPLAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LibreOffice is required here but {reason}")
        pytest.skip(reason)
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def convert(paths: list[Path], to: str) -> list[Path]:
        folder = paths[0].parent / f"by-libreoffice-{to}"
        folder.mkdir(exist_ok=True)
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to]
            + ["--outdir", str(folder), *map(str, paths)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return [folder / f"{path.stem}.{to}" for path in paths]

    return convert
