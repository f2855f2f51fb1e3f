"""Twenty editing sessions at once lose no change (the short run CI makes; the
soak run with its figures is benchmarks/bench_load.py)."""

import os
import shutil

from coopplan.editing import history
from tests import load
from tests.helpers import DATA

SESSIONS = 20
SECONDS = float(os.environ.get("COOPPLAN_LOAD_SECONDS", "3"))


def test_twenty_sessions_editing_at_once_lose_no_change(data_dir, tmp_path):
    outcome = load.run(data_dir, SESSIONS, SECONDS)

    assert load.check(data_dir, outcome) == []
    assert len(outcome.sessions) == SESSIONS
    # nobody else edits a session's own action: none of those saves may be refused
    assert all(any(action == s.own for action, _ in s.saved) for s in outcome.sessions)
    assert not [pair for s in outcome.sessions for pair in s.conflicts if pair[0] == s.own]
    shared = [pair for s in outcome.sessions for pair in s.saved if pair[0] == load.SHARED]
    assert shared and len(shared) + outcome.conflicts >= SESSIONS  # every session tried the shared action

    # and the check is not blind: a lost history line or a lost file change is found
    for damage in ("history", "file"):
        copy = tmp_path / damage
        shutil.copytree(data_dir, copy)
        if damage == "history":
            lines = (copy / history.FILE).read_bytes().splitlines(keepends=True)
            (copy / history.FILE).write_bytes(b"".join(lines[:-1]))
        else:
            session = outcome.sessions[0]
            original = (DATA / "actions" / f"{session.own}.yaml").read_bytes()
            (copy / "actions" / f"{session.own}.yaml").write_bytes(original)
        assert load.check(copy, outcome), damage
