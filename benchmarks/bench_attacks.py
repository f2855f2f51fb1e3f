"""The three figures of the second attack (issue 30), on the real app served over loopback:

1. the server's resident memory before and after 100 anonymous 5 MB uploads to a live
   session whose page asked for no file (target: unchanged);
2. the plan page's draw time in a real browser, idle and while 80 requests for the
   Word document arrive at once, again and again: from one client, and from 80 clients
   (a proxy's X-Forwarded-For) each with other filters, so that no cache helps
   (target: within 1.5× of idle); and, to compare, under the same flood of health
   checks (what any flood of that rate costs a 2-core machine, whatever it asks);
3. the real administrator's sign-in from the office while 40 sessions guess at the
   same name from another address (target: succeeds), and how long it took.

Usage: python benchmarks/bench_attacks.py [RUNS]   (needs Debian's chromium and playwright)
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, Server, wait_idle  # noqa: E402

FIVE_MB = 5 * 1024 * 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_pid(served: Server) -> int:
    """The Streamlit process (``streamlit run`` is the process started)."""
    return served.process.pid


def live_session_id(browser, url: str) -> tuple[str, str]:
    """A live browser session's id (read from the server's first message) and its XSRF cookie."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    context = browser.new_context()
    tab = context.new_page()
    found: list[str] = []

    def on_socket(socket):
        def frame(payload):
            if isinstance(payload, bytes) and not found:
                message = ForwardMsg.FromString(payload)
                if message.HasField("new_session"):
                    found.append(message.new_session.initialize.session_id)

        socket.on("framereceived", frame)

    tab.on("websocket", on_socket)
    tab.goto(url + "/?lang=en")
    wait_idle(tab)
    xsrf = next(c["value"] for c in context.cookies() if c["name"] == "_streamlit_xsrf")
    tab._keep = context  # the session stays connected while the attack runs
    return found[0], xsrf


def upload_attack(port: int, session_id: str, xsrf: str, count: int = 100) -> dict[int | str, int]:
    """``count`` anonymous 5 MB PUTs of made-up files to ``session_id``: the answers' statuses."""
    body = b"x" * FIVE_MB
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"\r\n\r\n'
    payload = head + body + b"\r\n--b--\r\n"

    def one(number: int) -> int | str:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                "PUT",
                f"/_stcore/upload_file/{session_id}/made-up-{number}",
                body=payload,
                headers={
                    "Content-Type": "multipart/form-data; boundary=b",
                    "Cookie": f"_streamlit_xsrf={xsrf}",
                    "X-Xsrftoken": xsrf,
                },
            )
            return connection.getresponse().status
        except OSError as error:  # refused before the body was read: the server closed the connection
            return type(error).__name__
        finally:
            connection.close()

    statuses: dict[int | str, int] = {}
    with ThreadPoolExecutor(10) as pool:
        for status in pool.map(one, range(count)):
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


def draw_time(tab, url: str) -> float:
    start = time.perf_counter()
    tab.goto(url)
    wait_idle(tab, timeout=120_000)
    return time.perf_counter() - start - 0.5  # wait_idle's own pause


def flood(base: str, stop: threading.Event, kind: str, answers: dict) -> None:
    """80 parallel requests, again until ``stop``: for the Word document (``same``: one
    client, one document; ``distinct``: 80 clients, other filters each) or, to compare,
    for the health check (``health``: what any flood of that rate costs)."""

    def one(number: int) -> None:
        distinct = kind in ("distinct", "burst")
        headers = {"X-Forwarded-For": f"203.0.113.{number}"} if distinct else {}
        query = f"lang=ru&q=x{number}-{time.monotonic_ns()}" if distinct else "lang=ru"
        path = "/_stcore/health" if kind == "health" else f"/export/plan.docx?{query}"
        try:
            status = requests.get(f"{base}{path}", headers=headers, timeout=120).status_code
        except requests.RequestException:
            status = "error"
        answers[status] = answers.get(status, 0) + 1

    with ThreadPoolExecutor(80) as pool:
        while not stop.is_set():
            list(pool.map(one, range(80)))
            if kind.startswith("burst"):  # the case: 80 at once, as the page starts to load
                return


def page_under_flood(browser, base: str, runs: int) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    url = f"{base}/plan?lang=ru"
    draw_time(tab, url)  # warm
    idle = statistics.median(draw_time(tab, url) for _ in range(runs))
    print(f"plan page, idle: {idle:.2f} s (median of {runs})")
    for kind in ("burst", "same", "distinct", "health"):
        stop, answers = threading.Event(), {}
        if kind == "burst":  # a new burst with each draw
            times = []
            for _ in range(runs):
                flooder = threading.Thread(target=flood, args=(base, stop, kind, answers))
                flooder.start()
                times.append(draw_time(tab, url))
                flooder.join()
            busy = statistics.median(times)
        else:
            flooder = threading.Thread(target=flood, args=(base, stop, kind, answers))
            flooder.start()
            time.sleep(1.0)
            try:
                busy = statistics.median(draw_time(tab, url) for _ in range(runs))
            finally:
                stop.set()
                flooder.join()
        who = {
            "burst": "one burst of 80 with each draw, 80 clients, other filters each: the issue's case",
            "same": "the Word document, one client",
            "distinct": "the Word document, 80 clients, other filters each",
            "health": "the health check, to compare",
        }[kind]
        print(f"plan page, 80-request flood ({who}): {busy:.2f} s = {busy / idle:.2f}× idle; answers {answers}")
    context.close()


def admin_during_guessing(base: str, seconds: float = 20.0, sessions: int = 40) -> None:
    from coopplan.editing import auth

    name, password = auth.init_admin("chief")
    deadline = time.monotonic() + seconds

    def guesser(number: int) -> dict:
        client, seen = requests.Session(), {}
        while time.monotonic() < deadline:
            form = client.get(f"{base}/signin?lang=en", timeout=120)
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
            reply = client.post(
                f"{base}/signin",
                data={"csrf": csrf, "name": name, "password": f"guess-{number}", "lang": "en"},
                timeout=120,
                allow_redirects=False,
            )
            seen[reply.status_code] = seen.get(reply.status_code, 0) + 1
        return seen

    with ThreadPoolExecutor(sessions) as pool:
        guesses = [pool.submit(guesser, n) for n in range(sessions)]
        time.sleep(seconds / 2)
        office = requests.Session()
        office.headers["X-Forwarded-For"] = "10.20.30.40"  # the proxy's word: the office's address
        start = time.perf_counter()
        form = office.get(f"{base}/signin?lang=en", timeout=120)
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        reply = office.post(
            f"{base}/signin",
            data={"csrf": csrf, "name": name, "password": password, "lang": "en"},
            timeout=120,
            allow_redirects=False,
        )
        took = time.perf_counter() - start
        totals: dict = {}
        for future in guesses:
            for status, count in future.result().items():
                totals[status] = totals.get(status, 0) + count
    outcome = "signed in" if reply.status_code == 303 else f"refused ({reply.status_code})"
    print(f"real administrator during a guessing run: {outcome} in {took:.1f} s; guessers' answers {totals}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-attacks-"))
    shutil.copytree(ROOT / "data", folder / "data")
    import os

    os.environ["COOPPLAN_USERS"] = str(folder / "users.yaml")
    served = Server(folder / "data", {"COOPPLAN_USERS": str(folder / "users.yaml")})
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            session_id, xsrf = live_session_id(browser, served.url)
            time.sleep(2)
            before = rss_mb(server_pid(served))
            statuses = upload_attack(served.port, session_id, xsrf)
            time.sleep(2)
            after = rss_mb(server_pid(served))
            print(f"100 anonymous 5 MB uploads: resident memory {before:.0f} → {after:.0f} MB; answers {statuses}")
            page_under_flood(browser, served.url, runs)
            browser.close()
        admin_during_guessing(served.url)
    finally:
        served.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
