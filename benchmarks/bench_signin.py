"""Password guesses per second that parallel sessions get against one account through
the sign-in route: each of SESSIONS clients has its own cookies (its own form token),
all guess at once for SECONDS. A guess counts when the server checked the password
(«wrong name or password»), not when it refused to look («try again later»).

Runs the app's routes on a real server (uvicorn, in a thread) over loopback, with a
fresh accounts file, so it measures any version of the routes the same way."""

from __future__ import annotations

import os
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SESSIONS = 40
SECONDS = 30.0
FAILED = "Wrong name or password."


def serve(port: int):
    import uvicorn
    from starlette.applications import Starlette

    from coopplan.web import routes

    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes.routes()), port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def guesser(base: str, deadline: float, number: int) -> list[tuple[float, bool]]:
    """One session's guesses until the deadline: (when answered, whether the password was checked)."""
    http = requests.Session()
    answers = []
    while time.monotonic() < deadline:
        form = http.get(f"{base}/signin?lang=en", timeout=120)
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        reply = http.post(
            f"{base}/signin",
            data={"csrf": csrf, "name": "victim", "password": f"guess-{number}-{len(answers)}", "lang": "en"},
            timeout=120,
        )
        answers.append((time.monotonic(), FAILED in reply.text))
    return answers


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COOPPLAN_USERS"] = str(Path(tmp) / "users.yaml")
        from coopplan.editing import auth

        auth.add_user("victim", "pavlodar", "the right password")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = serve(port)
        started = time.monotonic()
        deadline = started + SECONDS
        with ThreadPoolExecutor(SESSIONS) as pool:
            runs = list(pool.map(lambda n: guesser(f"http://127.0.0.1:{port}", deadline, n), range(SESSIONS)))
        server.should_exit = True
    answers = sorted(a for run in runs for a in run)
    checked = [at for at, was_checked in answers if was_checked]
    per_second = [sum(1 for at in checked if started + s <= at < started + s + 1) for s in range(int(SECONDS))]
    print(f"{SESSIONS} parallel sessions against one account for {SECONDS:.0f} s:")
    print(f"  answers: {len(answers)}, passwords checked: {len(checked)}")
    print(
        f"  guesses per second: mean {len(checked) / SECONDS:.2f}, median of each second {statistics.median(per_second)}"
    )


if __name__ == "__main__":
    main()
