"""Concurrent editing sessions on the edit page, and the proof that nothing was lost.

Each session is an AppTest of ``pages/edit.py`` in a process of its own, signed
in as an editor of one side. (Not threads: AppTest swaps process-wide state
for each run, ``Runtime._instance`` and config options, so two runs at once in
one process break each other; see the note on issue 6.) Processes also make the
saves truly simultaneous, as several app servers on one data folder would.

Once every session has its page open, each in turns writes a unique mark into
the English location of its own action and of one action every session shares,
through the form as a person would, and records what the page told it: saved,
or a conflict, after which it reloads as the page offers. ``check`` then proves
that every saved mark is in the files and in the history once, and that no
refused mark is anywhere.

Run as ``python -m tests.load DATA NAME ROLE OWN SYNC`` it is one session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

from coopplan import i18n
from coopplan.data import loader, yamlio
from coopplan.editing import history
from coopplan.editing.auth import User
from tests.helpers import ROOT, TEST_SESSION, account_of, inject_test_cookies, session_of

SHARED = "po-001"  # a joint action: editors of both sides may change it
LANG = "en"
OPEN_TIMEOUT = 300  # seconds for all sessions to start on a busy machine
FINISH_TIMEOUT = 300  # seconds past the editing time for the last turns to end


@dataclass
class Session:
    name: str
    role: str
    own: str
    saved: list[list[str]] = field(default_factory=list)  # [action, mark] the page said were saved
    conflicts: list[list[str]] = field(default_factory=list)  # [action, mark] it said were conflicts
    failures: list[str] = field(default_factory=list)  # anything else the page showed
    peak_mib: float = 0.0  # the session process's peak resident memory


@dataclass
class Outcome:
    sessions: list[Session]
    seconds: float

    @property
    def saves(self) -> int:
        return sum(len(s.saved) for s in self.sessions)

    @property
    def conflicts(self) -> int:
        return sum(len(s.conflicts) for s in self.sessions)


def editors(data_dir: Path, count: int) -> list[Session]:
    """Half Pavlodar, half Omsk editors, each with an action of their side (or joint) of their own."""
    actions = [a for a in loader.load(data_dir).actions if a.id != SHARED]
    sessions, taken = [], set()
    for number in range(count):
        side = ("pavlodar", "omsk")[number % 2]
        own = next(a.id for a in actions if a.id not in taken and a.lead in (side, "joint"))
        taken.add(own)
        sessions.append(Session(f"load-{number:02d}", side, own))
    return sessions


def _edit(session: Session, action_id: str, mark: str, at) -> None:
    """Type ``mark`` into the form of ``action_id`` and save; note what the page said."""
    if at.selectbox(key="edit_pick").value != action_id:
        at.selectbox(key="edit_pick").set_value(action_id).run()
    at.text_input(key="f_location_en").input(mark)
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:edit_form")).click().run()
    said = [e.value for e in at.success] + [e.value for e in at.error]
    if i18n.t(LANG, "edit.saved", id=action_id) in said:
        session.saved.append([action_id, mark])
    elif i18n.t(LANG, "edit.conflict") in said:
        session.conflicts.append([action_id, mark])
        at.button(key="conflict_reload").click().run()  # take the other person's version, as offered
    else:
        session.failures.append(f"{action_id} {mark}: {said or [e.value for e in at.exception]}")


def _session(session: Session, sync: Path) -> None:
    """One session: open the page, say so, wait for the start, edit until the deadline."""
    from streamlit.testing.v1 import AppTest

    inject_test_cookies()
    at = AppTest.from_file(str(ROOT / "pages" / "edit.py"), default_timeout=120)
    at.query_params["lang"] = LANG
    at.query_params["id"] = session.own
    at.session_state[TEST_SESSION] = session_of(User(session.name, session.role))
    at.run()
    (sync / f"{session.name}.ready").touch()
    _wait_for((sync / "go").exists, OPEN_TIMEOUT)  # never forever: the parent may be gone
    deadline = float((sync / "go").read_text())
    turn = 0
    while turn == 0 or time.time() < deadline:  # at least one turn, then until the deadline
        for action_id in (session.own, SHARED):
            _edit(session, action_id, f"{session.name} turn {turn} {action_id}", at)
        turn += 1


def run(data_dir: Path, count: int, seconds: float) -> Outcome:
    """``count`` sessions which, once all are open, edit for ``seconds``; each
    finishes the turn it is in (its own action, then the shared one). A session
    that does not open, or does not finish within FINISH_TIMEOUT after that, is
    killed and reported as failed."""
    sessions = editors(data_dir, count)
    for s in sessions:  # the accounts first: twenty sessions starting at once must not each rewrite the file
        account_of(User(s.name, s.role))
    env = {**os.environ, "COOPPLAN_DATA": str(data_dir), "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as sync_dir:
        sync = Path(sync_dir)
        children = {}
        for s in sessions:
            command = [sys.executable, "-m", "tests.load", str(data_dir), s.name, s.role, s.own, str(sync)]
            with open(sync / f"{s.name}.out", "wb") as out, open(sync / f"{s.name}.err", "wb") as err:
                children[s.name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        ended: dict[str, tuple] = {}  # name: (wait status, resource usage) of each session that ended

        def reap() -> int:
            for name, process in children.items():
                if name not in ended:
                    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                    if pid:
                        ended[name] = status, usage
                        process.returncode = os.waitstatus_to_exitcode(status)
            return len(ended)

        _wait_for(lambda: len(list(sync.glob("*.ready"))) == count or reap(), OPEN_TIMEOUT)
        started = time.time()
        (sync / "go.tmp").write_text(str(started + seconds))
        os.replace(sync / "go.tmp", sync / "go")  # never read half-written
        _wait_for(lambda: reap() == count, seconds + FINISH_TIMEOUT)
        finished = [_report(s, sync, children[s.name], ended.get(s.name)) for s in sessions]
        return Outcome(finished, time.time() - started)


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def _report(session: Session, sync: Path, process: subprocess.Popen, ended: tuple | None) -> Session:
    """What the session process printed, with its peak memory; or why it has none."""
    if ended is None:  # still running past every deadline
        process.kill()
        _, *ended = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(ended[0])
    status, usage = ended
    lines = (sync / f"{session.name}.out").read_text(encoding="utf-8", errors="replace").strip().splitlines()
    try:
        done = Session(**json.loads(lines[-1]))
    except (IndexError, ValueError, TypeError):
        error = (sync / f"{session.name}.err").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        done = Session(
            session.name,
            session.role,
            session.own,
            failures=[f"the session process ended ({os.waitstatus_to_exitcode(status)}) without a report: {error}"],
        )
    done.peak_mib = usage.ru_maxrss / 1024
    return done


def check(data_dir: Path, outcome: Outcome) -> list[str]:
    """Every way the outcome could have lost or invented a change; empty when none."""
    wrong = [f"{s.name}: {f}" for s in outcome.sessions for f in s.failures]
    entries, notices = history.read(data_dir)
    wrong += [str(n) for n in notices]
    dataset = loader.load(data_dir)
    wrong += [str(p) for p in dataset.problems]
    logged = Counter((e.action, ((e.after or {}).get("location") or {}).get("en")) for e in entries)
    saved = [tuple(pair) for s in outcome.sessions for pair in s.saved]
    refused = [tuple(pair) for s in outcome.sessions for pair in s.conflicts]
    wrong += [f"saved but not in the history once: {pair}" for pair in saved if logged[pair] != 1]
    wrong += [f"refused but in the history: {pair}" for pair in refused if logged[pair]]
    if sum(logged.values()) != len(saved):
        wrong.append(f"{sum(logged.values())} history entries for {len(saved)} saves")
    for session in outcome.sessions:  # each own action holds its session's last saved mark
        mine = [mark for action, mark in session.saved if action == session.own]
        location = dataset.action(session.own).location
        if mine and (location is None or location.en != mine[-1]):
            wrong.append(f"{session.own}: the file has {location and location.en!r}, the last save was {mine[-1]!r}")
    chain = [e for e in entries if e.action == SHARED]  # every save built on the state it replaced
    wrong += [
        f"{SHARED}: entry {b.id} replaced a state its editor never saw"
        for a, b in pairwise(chain)
        if a.after != b.before
    ]
    if chain and chain[-1].after != yamlio.loads(Path(data_dir, "actions", f"{SHARED}.yaml").read_bytes()):
        wrong.append(f"{SHARED}: the file is not the last saved state")
    return wrong


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # Streamlit's bare-mode warnings would drown the report
    _, data, name, role, own, sync_dir = sys.argv
    me = Session(name, role, own)
    try:
        _session(me, Path(sync_dir))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the check
        me.failures.append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(asdict(me)))
