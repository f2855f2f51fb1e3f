"""What the app writes is readable by the server's user and group only, the accounts and
the sessions by its user only, whatever the umask (issue 30, item 12)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat

import pytest

from coopplan.data.model import Report
from coopplan.editing import auth, sessions, store
from tests.helpers import ADMIN, begin_now, change, valid_report


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The most open umask a system may have: what the app makes must not depend on it."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_a_save_leaves_the_action_the_history_and_the_locks_to_the_servers_user_and_group(data_dir, open_umask):
    change(data_dir, "po-002", tags=["modes"])
    assert mode(data_dir / "actions" / "po-002.yaml") == 0o640
    assert mode(data_dir / "history.jsonl") == 0o640
    assert mode(data_dir / ".locks") == 0o750 and mode(data_dir / ".locks" / "po-002.lock") == 0o640


def test_a_report_and_a_new_quarters_folder_are_the_servers_only(data_dir, open_umask):
    shutil.rmtree(data_dir / "reports" / "2026-Q4", ignore_errors=True)
    begin_now(data_dir)  # po-045 owes a report for 2026-Q4
    report = Report.model_validate(valid_report("po-045", "omsk", "2026-Q4", date=dt.date(2026, 11, 20)))
    store.save_report(data_dir, report, ADMIN, store.ABSENT)
    folder = data_dir / "reports" / "2026-Q4"
    assert mode(folder) == 0o750 and mode(folder / "po-045-omsk.yaml") == 0o640


def test_the_accounts_and_the_sessions_are_the_servers_user_only(open_umask):
    auth.add_user("ivanova", "omsk", "a long password")
    store_ = sessions.store()
    store_.start(auth.User("ivanova", "omsk"))
    folder = auth.accounts_path().parent
    assert mode(auth.accounts_path()) == 0o600
    for path in folder.glob("sessions.sqlite3*"):
        assert mode(path) == 0o600, path
