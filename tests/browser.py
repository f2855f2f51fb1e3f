"""Helpers of the browser tests: the app served on a free port, waiting for a page
to be drawn, signing in on the sign-in page, and full-page screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.helpers import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def browser_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


class Server:
    """A ``streamlit run dashboard.py`` on a free loopback port, on its own data copy."""

    def __init__(self, data: Path, extra_env: dict | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "COOPPLAN_DATA": str(data), **(extra_env or {})}
        self.log = open(data.parent / f"server-{self.port}.log", "wb")  # closed in stop()
        self.process = subprocess.Popen(
            [
                *self.command(),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            # a file, not a pipe nobody reads: a full pipe would stop the server mid-test
            stdout=self.log,
            stderr=subprocess.STDOUT,
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

    def command(self) -> list[str]:
        """What starts the app (the flags that bind it follow)."""
        return [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py")]

    def stop(self) -> None:
        self.log.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# Every plotly chart on the page has drawn its figure (plotly draws after the element arrives)
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .every(chart => chart.querySelector('.main-svg'))"""
# Resolves once the browser has painted two more frames: what arrived last is on the screen
PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Resolves once the page's finite animations have run (an expander just clicked opens
# over a few frames; its height counts only when it is open)
SETTLED = """() => Promise.all(document.getAnimations()
  .filter(motion => motion.effect && motion.effect.getComputedTiming().iterations !== Infinity)
  .map(motion => motion.finished.catch(() => null)))"""


def wait_idle(tab, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the page's script."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    tab.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
    # let the last deltas and charts paint; and, right after a click, the rerun it asks for
    # may not have begun when the state above is read: the tests that read the store after
    # a click lean on this pause (without it the quarter walk-through failed once)
    tab.wait_for_timeout(500)


def sign_in(
    tab, server, lang: str, name: str = "editor", password: str = "a long password", role: str = "pavlodar"
) -> None:
    """Sign in on the sign-in page, come back to the page open in ``tab`` and wait for it,
    with the labels of ``lang``; the served app's account is made first if it has none
    by that name. (The sidebar's «Sign in» opens the same page in the same tab.)"""
    from coopplan.editing import auth

    if name not in auth.load_accounts(server.users):
        auth.add_user(name, role, password, path=server.users)
    here = urlsplit(tab.url)
    back = here.path + (f"?{here.query}" if here.query else "")
    tab.goto(f"{server.url}/signin?{urlencode({'lang': lang, 'next': back})}")
    fill_sign_in(tab, lang, name, password)
    wait_idle(tab)
    tab.get_by_text(signed_in_text(lang, name, role)).wait_for()


def fill_sign_in(tab, lang: str, name: str, password: str = "a long password") -> None:
    """Fill in and send the sign-in page open in ``tab``."""
    from coopplan import i18n

    tab.get_by_label(i18n.t(lang, "account.name")).fill(name)
    tab.get_by_label(i18n.t(lang, "account.password")).fill(password)
    tab.get_by_role("button", name=i18n.t(lang, "account.sign_in")).click()


def signed_in_text(lang: str, name: str, role: str) -> str:
    from coopplan import i18n

    return i18n.t(lang, "account.signed_in", name=name, role=i18n.t(lang, f"role.{role}"))


def view_shot(tab, name: str) -> Path:
    """What the person sees now, the window only (a toast sits on the window, not the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path))
    return path


def document_picture(pdf: Path, name: str, page: int = 1) -> Path:
    """One page of a PDF (an export as LibreOffice prints it) as a PNG beside the screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target)],
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")


def screenshot(tab, name: str) -> Path:
    """The whole page as a PNG: Streamlit scrolls inside its main block, so the
    viewport is grown to the content's height for the shot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = tab.viewport_size
    tab.evaluate(SETTLED)
    height = tab.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    tab.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 8000)})
    tab.wait_for_function(CHARTS_DRAWN)
    tab.evaluate(PAINTED)  # the page laid out and painted again at its new height
    tab.screenshot(path=str(path))
    tab.set_viewport_size(size)
    return path
