"""How many people one server holds: N simulated users on one app server, speaking
Streamlit's own WebSocket protocol as a browser does (a ``BackMsg`` asking for a run,
``ForwardMsg`` deltas back until the run has finished), with no browser in the way to
share the two cores with the server.

Each user opens a page, then acts every 5–15 s (10 s on average, a person reading
between clicks): switches to another page (overview, plan, timeline, areas) or changes
the area filter of the page open. A tenth of them are editors, signed in through the
sign-in page as a person is (its cookie on their WebSocket), who save their side's
report on the Reporting page's form and wait for its confirmation. For N = 10, 25,
50, 100 and 200 users it prints the p50 and p95 of a run (from the message sent until
the run finished, each kind apart and all together), the server's CPU time a run
(which the rest of a shared machine hardly changes, unlike the waits), and its
resident memory:
before anyone came, with the N sessions open and idle, and after they left (the
server here drops a left session after 10 s, ``server.disconnectedSessionTTL``; the
deployment's default keeps it 120 s for a browser that comes back).

Loopback only, on a copy of the shipped data (45 actions); each N runs for
``SECONDS`` and then stops. Each N runs on our app and then on the floor with controls
of ``bench_browser`` (the same navigation, sidebar widgets and report form, which only
filter, draw and write), so that the figures of a shared machine can be read as ratios. Usage: ``python benchmarks/bench_capacity.py [SECONDS]``
(20 by default), or ``… SECONDS 10,50`` for other numbers of users.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.bench_browser import FLOOR, Floor  # noqa: E402
from benchmarks.synthetic import DATA  # noqa: E402
from coopplan.editing import auth  # noqa: E402
from tests.browser import Server  # noqa: E402

USERS = tuple(int(n) for n in sys.argv[2].split(",")) if len(sys.argv) > 2 else (10, 25, 50, 100, 200)
PAGES = ("overview", "plan", "timeline", "areas")
AREAS = ("Туризм", "Спорт", "Здравоохранение", "Образование и наука", "Культура и искусство")
THINK = (5.0, 15.0)  # seconds between one person's actions
TTL = 10  # seconds a left session is kept here
PASSWORD = "a long password"
RUN_TIMEOUT = 60  # seconds: a run that takes longer counts as an error, and that person leaves
EARLY = 2  # ScriptFinishedStatus FINISHED_EARLY_FOR_RERUN: another run follows


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user and system), whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def signed_in_cookie(port: int, name: str) -> str:
    """Sign in on the sign-in page as a browser does: its form and CSRF cookie, then the
    session cookie the answer sets."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/signin?lang=ru")
    reply = connection.getresponse()
    page = reply.read().decode()
    cookies = dict(c.split(";")[0].split("=", 1) for c in reply.headers.get_all("Set-Cookie") or [])
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urlencode({"csrf": csrf, "next": "/reporting", "lang": "ru", "name": name, "password": PASSWORD})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    connection.request("POST", "/signin", body=form, headers=headers)
    reply = connection.getresponse()
    reply.read()
    cookies |= dict(c.split(";")[0].split("=", 1) for c in reply.headers.get_all("Set-Cookie") or [])
    connection.close()
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


class Person:
    """One browser tab's session: runs the pages as asked and times each run."""

    def __init__(self, url: str, cookie: str | None, times: dict[str, list[float]], errors: list[str]):
        self.url, self.cookie, self.times, self.errors = url, cookie, times, errors
        self.query = "lang=ru"
        self.page = ""  # its script hash, once the navigation named them
        self.hashes: dict[str, str] = {}
        self.widgets: dict[str, str] = {}  # widget ids by their key's end, of the page open
        self.saved = False
        self.socket = None

    async def connect(self) -> None:
        headers = {"Cookie": self.cookie} if self.cookie else None
        self.socket = await websockets.connect(
            self.url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=120,
            ping_timeout=None,  # a busy server may be slow to answer; it is what is measured
        )

    async def run(self, kind: str, page: str | None = None, widgets: list | None = None) -> None:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        if page is not None:
            state.page_script_hash = self.hashes.get(page, "")
            state.page_name = "" if page == "overview" else page
        else:
            state.page_script_hash = self.page
        for setter in widgets or []:
            setter(state.widget_states.widgets.add())
        self.widgets, self.saved = ({} if page is not None else self.widgets), False
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        async with asyncio.timeout(RUN_TIMEOUT):
            await self._finished()
        self.times[kind].append(time.perf_counter() - started)

    async def _finished(self) -> None:
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self.socket.recv())
            kind_of = reply.WhichOneof("type")
            if kind_of == "navigation":
                self.hashes = {p.url_pathname or "overview": p.page_script_hash for p in reply.navigation.app_pages}
                self.page = reply.navigation.page_script_hash
            elif kind_of == "page_info_changed":
                self.query = reply.page_info_changed.query_string
            elif kind_of == "delta" and reply.delta.WhichOneof("type") == "new_element":
                self._note(reply.delta.new_element)
            elif kind_of == "script_finished" and reply.script_finished != EARLY:
                return

    def _note(self, element) -> None:
        inner = getattr(element, element.WhichOneof("type") or "empty", None)
        ident = getattr(inner, "id", "") if inner is not None else ""
        if isinstance(ident, str) and ident.startswith("$$ID-"):
            self.widgets[ident.rsplit("-", 1)[1]] = ident
        if element.WhichOneof("type") == "alert" and element.alert.format == 4:  # SUCCESS
            self.saved = True
        if element.WhichOneof("type") == "toast":
            self.saved = True

    async def browse(self, until: float) -> None:
        await self.connect()
        await asyncio.sleep(random.uniform(0, THINK[1]))  # people do not all arrive at once
        await self.run("open", random.choice(PAGES))
        while time.monotonic() < until:
            await asyncio.sleep(random.uniform(*THINK))
            if "filter_area" in self.widgets and random.random() < 0.5:
                ident, picked = self.widgets["filter_area"], random.sample(AREAS, random.randint(1, 2))

                def area(widget, ident=ident, picked=picked):
                    widget.id = ident
                    widget.string_array_value.data.extend(picked)

                await self.run("filter", widgets=[area])
            else:
                await self.run("page", random.choice(PAGES))

    async def report(self, until: float) -> None:
        await self.connect()
        await asyncio.sleep(random.uniform(0, THINK[1]))
        await self.run("open", "reporting")
        while time.monotonic() < until:
            await asyncio.sleep(random.uniform(*THINK))
            done = self.widgets.get("r_done_ru")
            save = next((v for v in self.widgets.values() if "FormSubmitter:report_form" in v), None)
            if not (done and save):
                self.errors.append("no report form on the Reporting page")
                await self.run("open", "reporting")
                continue

            def text(widget, ident=done):
                widget.id = ident
                widget.string_value = f"Проведено совещание рабочей группы ({time.time_ns()})."

            def press(widget, ident=save):
                widget.id = ident
                widget.trigger_value = True

            await self.run("save", widgets=[text, press])
            if not self.saved:
                self.errors.append("a save without its confirmation")

    async def leave(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def warm_up(server: Server) -> None:
    """Each page run once, by one visitor who then leaves: the caches filled before anyone is counted."""
    visitor = Person(server.url, None, defaultdict(list), [])
    await visitor.connect()
    for page in (*PAGES, "reporting"):
        await visitor.run("open", page)
    await visitor.leave()


def main(seconds: float) -> None:
    print(f"each user acts every {THINK[0]:.0f}–{THINK[1]:.0f} s for {seconds:.0f} s; a tenth save reports; runs in s")
    print("each number of users on our app, then on the floor with controls (bench_browser's) on the same data")
    print(
        f"{'users':>6} {'app':>5} {'runs':>5} {'p50':>6} {'p95':>6} {'open p95':>9} {'page p95':>9} {'filter p95':>10}"
        f" {'save p95':>9} {'CPU ms/run':>10} {'MiB before':>10} {'idle':>6} {'per session':>11} {'after':>6}"
        f" {'errors':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)
        users = Path(tmp) / "users.yaml"
        auth.add_user("pavlodar-editor", "pavlodar", PASSWORD, path=users)
        auth.add_user("omsk-editor", "omsk", PASSWORD, path=users)
        script = Path(tmp) / "floor.py"
        script.write_text(FLOOR, encoding="utf-8")
        drop = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL)}
        ours = Server(data, {"COOPPLAN_USERS": str(users), **drop})
        floor = Floor(script, data, {"COOPPLAN_FLOOR_CONTROLS": "1", **drop})
        try:
            for count in USERS:
                for name, server in (("ours", ours), ("floor", floor)):
                    editors = ("pavlodar-editor", "omsk-editor") if server is ours else ()
                    cookies = [signed_in_cookie(server.port, n) for n in editors] or [None]  # the floor has no sign-in
                    asyncio.run(warm_up(server))
                    before, spent = rss_mib(server.process.pid), cpu_seconds(server.process.pid)
                    times, errors, (idle, after) = asyncio.run(_spell(server, count, seconds, cookies))
                    every = [t for kind in times.values() for t in kind]
                    cpu = (cpu_seconds(server.process.pid) - spent) / max(len(every), 1) * 1000
                    cell = lambda kind, times=times: f"{percentile(times.get(kind, []), 0.95):.2f}"  # noqa: E731
                    print(
                        f"{count:>6} {name:>5} {len(every):>5} {statistics.median(every):>6.2f}"
                        f" {percentile(every, 0.95):>6.2f} {cell('open'):>9} {cell('page'):>9} {cell('filter'):>10}"
                        f" {cell('save'):>9} {cpu:>10.0f} {before:>10.0f} {idle:>6.0f} {(idle - before) / count:>11.2f}"
                        f" {after:>6.0f} {len(errors):>6}",
                        flush=True,
                    )
                    for error in sorted(set(errors))[:3]:
                        print(f"       {error}")
        finally:
            ours.stop()
            floor.stop()


async def _spell(server: Server, count: int, seconds: float, cookies: list[str | None]):
    """The crowd's busy spell; then the resident memory with their sessions open and
    idle, and after they left and the server dropped their sessions."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    editors = max(1, count // 10)
    people = [
        Person(server.url, cookies[n % len(cookies)] if n < editors else None, times, errors) for n in range(count)
    ]
    until = time.monotonic() + seconds
    work = [p.report(until) if n < editors else p.browse(until) for n, p in enumerate(people)]
    outcomes = await asyncio.gather(*work, return_exceptions=True)
    errors += [repr(o) for o in outcomes if isinstance(o, BaseException)]
    await asyncio.sleep(5)  # the last runs' leftovers collected
    idle = rss_mib(server.process.pid)
    await asyncio.gather(*(p.leave() for p in people), return_exceptions=True)
    await asyncio.sleep(TTL + 10)  # dropped after the TTL, on the server's next sweep
    return times, errors, (idle, rss_mib(server.process.pid))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 20)
