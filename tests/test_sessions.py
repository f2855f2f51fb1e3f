"""The sessions store: sign-ins that last, end on time, end on command, and are shared by
every process of the app; tokens for scripts and calendars; the settings that time them."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from coopplan import cli, config
from coopplan.editing import auth, sessions
from coopplan.editing.auth import User
from coopplan.web import server
from tests.helpers import ROOT, account_of

EDITOR = User("editor", "pavlodar")


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return sessions.Store(tmp_path / "private" / "sessions.sqlite3", idle=3600, lifetime=86400, clock=clock)


def stored_bytes(store) -> bytes:
    """Everything the store's files hold (the database and what SQLite keeps beside it)."""
    return b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))


def test_a_session_is_found_by_its_token_and_the_file_keeps_only_its_hash(store):
    token = store.start(EDITOR)
    assert len(token) >= 43 and store.user(token) == EDITOR
    assert store.user(token + "x") is None and store.user("") is None and store.user(None) is None
    assert store.user("x" * 100_000) is None
    assert token.encode() not in stored_bytes(store)
    assert oct(store.path.stat().st_mode)[-3:] == "600"
    with pytest.raises(ValueError):
        store.start(User("mallory", "root"))


def test_a_session_ends_when_unused_for_the_idle_time_and_at_its_lifetime_however_used(store, clock):
    idle, busy = store.start(EDITOR), store.start(EDITOR)
    for _ in range(24):  # a busy day: used every hour, never idle
        clock.now += 3500
        assert store.user(busy) == EDITOR
    assert store.user(idle) is None  # unused for more than an hour
    clock.now += 3500
    assert store.user(busy) is None  # more than a day since it began
    assert store.sessions_of("editor") == 0


def test_signing_out_ends_one_session_and_end_all_every_session_of_the_user(store):
    tabs = [store.start(EDITOR) for _ in range(3)]
    other = store.start(User("ivanova", "omsk"))
    store.end(tabs[0])
    assert store.user(tabs[0]) is None and store.user(tabs[1]) == EDITOR
    assert store.end_all("editor") == 2
    assert [store.user(t) for t in tabs] == [None, None, None] and store.user(other) == User("ivanova", "omsk")


def test_two_processes_share_sessions_and_failed_sign_ins(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPPLAN_USERS", str(tmp_path / "users.yaml"))
    account_of(EDITOR)
    here = sessions.store()
    waits = [here.attempt("editor", "10.0.0.1").wait for _ in range(4)]  # the next try is due 7.5 s on
    assert waits[0] == 0.0 and all(wait > 0 for wait in waits[1:])
    code = (
        "from coopplan.editing import sessions; from coopplan.editing.auth import User; s = sessions.store(); "
        "print(s.start(User('editor', 'pavlodar'))); print(s.attempt('editor', '10.0.0.2').wait)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=dict(os.environ)
    ).stdout.split()
    token, wait = out[0], float(out[1])
    assert here.user(token) == EDITOR  # started by the other process, known to this one
    assert 0 < wait <= 7.5  # the tries counted here space out the next one there, from another address too


def test_tries_at_a_name_from_one_address_are_spaced_out_then_locked_out_and_the_lock_ends(store, clock, caplog):
    waits = []
    for _ in range(auth.PAIR_LOCKOUT):
        clock.now += waits[-1] if waits else 0  # each try waited as it was told
        attempt = store.attempt("petrov", "10.0.0.1")
        assert attempt.locked_until is None
        waits.append(attempt.wait)
    assert waits[:5] == [0.0, 0.5, 1.0, 2.0, 4.0] and max(waits) == 8.0
    refused = store.attempt("petrov", "10.0.0.1")
    assert refused == sessions.Attempt(0.0, clock.now + auth.LOCKOUT_SECONDS)  # from the tenth failure on
    assert 'name "petrov" from "10.0.0.1" locked for 900 s after 10 failed tries' in caplog.text
    clock.now += 60
    assert store.attempt("ivanova", "10.0.0.1").locked_until is None  # another name is not locked
    assert store.attempt("petrov", "10.0.0.2").locked_until is None  # nor the name elsewhere
    clock.now += auth.LOCKOUT_SECONDS + 1
    assert store.attempt("petrov", "10.0.0.1").locked_until is None


def test_a_guessing_run_slows_a_name_everywhere_but_never_locks_its_owner_out_elsewhere(store, clock):
    for _ in range(5 * auth.PAIR_LOCKOUT):  # an attacker at one address, then locked there, going on
        attempt = store.attempt("admin", "203.0.113.66")
        clock.now += attempt.wait if attempt.locked_until is None else 30
    elsewhere = store.attempt("admin", "10.0.0.5")  # the real administrator, from the office
    assert elsewhere.locked_until is None and 0 < elsewhere.wait <= auth.MAX_DELAY
    store.succeeded("admin", "10.0.0.5")
    assert store.attempt("admin", "10.0.0.5") == sessions.Attempt(0.0, None)  # signed in: the name starts afresh
    assert store.attempt("admin", "203.0.113.66").locked_until is not None  # the attacker's address stays locked


def test_a_right_password_starts_the_name_afresh_and_a_new_password_unlocks_it(store, clock):
    for _ in range(3):
        clock.now += store.attempt("petrov", "10.0.0.1").wait
    store.succeeded("petrov", "10.0.0.1")
    assert store.attempt("petrov", "10.0.0.2") == sessions.Attempt(0.0, None)
    for _ in range(auth.PAIR_LOCKOUT):
        clock.now += store.attempt("petrov", "10.0.0.1").wait
    assert store.attempt("petrov", "10.0.0.1").locked_until is not None
    store.unlock("petrov")
    assert store.attempt("petrov", "10.0.0.1").locked_until is None


def test_an_address_trying_many_names_is_slowed_but_an_office_behind_it_is_never_locked_out(store, clock):
    waits = []
    for number in range(60):
        attempt = store.attempt(f"name{number}", "203.0.113.7")
        assert attempt.locked_until is None
        waits.append(attempt.wait)
        clock.now += attempt.wait
    assert max(waits) == auth.MAX_DELAY and store.attempt("admin", "203.0.113.7").locked_until is None


def test_parallel_tries_from_one_address_get_no_more_than_one_locks_worth(tmp_path):
    store = sessions.Store(tmp_path / "sessions.sqlite3", idle=3600, lifetime=86400)
    with ThreadPoolExecutor(40) as pool:
        attempts = list(pool.map(lambda n: store.attempt("victim", "10.0.9.1"), range(200)))
    let_through = [a for a in attempts if a.locked_until is None]
    # each let through is one password check, spaced out: a queue no longer than MAX_WAIT
    assert 1 <= len(let_through) <= auth.PAIR_LOCKOUT
    assert sorted(a.wait for a in let_through)[-1] <= auth.MAX_WAIT


def test_an_ipv6_client_counts_as_its_slash_64_and_old_tries_are_pruned(store, clock):
    from coopplan.web.routes import client_key

    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7" and client_key("198.51.100.7") == "198.51.100.7"
    for number in range(50):  # a spray over many names and one /64
        clock.now += store.attempt(f"n{number}", client_key(f"2001:db8:1:2::{number:x}")).wait
    assert store.attempts_kept() == 2 * 50 + 1  # each name and each pair, and the one /64
    clock.now += auth.THROTTLE_WINDOW + 1
    store.attempt("someone", "198.51.100.7")
    assert store.attempts_kept() == 3  # the old ones are gone; this try's name, address and pair


def cli_run(monkeypatch, *argv, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main(list(argv))


def test_a_new_password_ends_the_users_sessions_and_revokes_its_tokens(monkeypatch, capsys):
    auth.add_user("editor", "pavlodar", "a long password")
    store = sessions.store()
    tokens = [store.start(EDITOR) for _ in range(2)]
    api_token, feed = store.new_api_token(EDITOR), store.feed_token(EDITOR)
    assert cli_run(monkeypatch, "users", "passwd", "editor", "--password-stdin", stdin="another long one\n") == 0
    assert "2 session(s) ended, 2 token(s) revoked" in capsys.readouterr().err
    assert [store.user(t) for t in tokens] == [None, None]
    assert store.token_user(api_token) is None and store.token_user(feed, (sessions.FEED,)) is None


def test_a_session_and_a_token_have_the_role_the_accounts_file_says_now_also_when_edited_by_hand():
    auth.add_user("editor", "pavlodar", "a long password")
    store = sessions.store()
    token, api_token = store.start(EDITOR), store.new_api_token(EDITOR)
    accounts = auth.load_accounts()
    accounts["editor"]["role"] = "viewer"  # an administrator's edit of the file, by hand
    auth.save_accounts(accounts)
    assert store.user(token) == User("editor", "viewer") and store.token_user(api_token) == User("editor", "viewer")
    del accounts["editor"]
    auth.save_accounts(accounts)
    assert store.user(token) is None and store.token_user(api_token) is None
    auth.add_user("editor", "admin", "a new long password")  # a new account of the same name gets nothing back
    assert store.user(token) is None and store.token_user(api_token) is None


def test_removing_an_account_ends_its_sessions_and_revokes_its_tokens(monkeypatch, capsys):
    auth.add_user("editor", "pavlodar", "a long password")
    store = sessions.store()
    token, api_token, feed = store.start(EDITOR), store.new_api_token(EDITOR), store.feed_token(EDITOR)
    assert cli_run(monkeypatch, "users", "remove", "editor") == 0
    assert store.user(token) is None and store.token_user(api_token) is None
    assert store.token_user(feed, (sessions.FEED,)) is None


def test_an_api_token_is_shown_once_and_revoked_by_the_command_line(monkeypatch, capsys):
    auth.add_user("reader", "viewer", "a long password")
    assert cli_run(monkeypatch, "users", "token", "reader") == 0
    out = capsys.readouterr()
    token = out.out.strip()
    assert token.startswith("coopplan_") and "shown only this once" in out.err
    store = sessions.store()
    assert store.token_user(token) == User("reader", "viewer")
    assert token.encode() not in stored_bytes(store)
    assert store.token_user(token, (sessions.FEED,)) is None  # an API token is no calendar token
    assert cli_run(monkeypatch, "users", "token", "reader", "--revoke") == 0
    assert "revoked 1 token(s)" in capsys.readouterr().err and store.token_user(token) is None
    assert cli_run(monkeypatch, "users", "token", "nobody") == 1
    assert "no user nobody" in capsys.readouterr().err


def test_a_calendar_token_stays_the_same_until_renewed(store):
    first = store.feed_token(EDITOR)
    assert store.feed_token(EDITOR) == first and store.token_user(first, (sessions.FEED,)) == EDITOR
    assert store.token_user(first) is None  # a calendar token opens the calendar only
    renewed = store.feed_token(EDITOR, renew=True)
    assert renewed != first and store.token_user(first, (sessions.FEED,)) is None


def test_the_store_lies_beside_the_accounts_outside_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("COOPPLAN_USERS", str(tmp_path / "secret" / "users.yaml"))
    assert config.sessions_path() == tmp_path / "secret" / "sessions.sqlite3"
    assert not config.sessions_path().is_relative_to(config.data_dir())
    assert sessions.store().start(EDITOR)  # the file is made on first use
    with sqlite3.connect(sessions.store().path) as db:
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone() == (1,)


@pytest.mark.parametrize(
    "value, seconds",
    [("", 8 * 3600), ("90m", 5400), ("8h", 28800), ("7d", 604800), ("45", 45), ("45s", 45), ("soon", 8 * 3600)],
)
def test_session_lifetimes_come_from_the_environment(monkeypatch, value, seconds):
    monkeypatch.setenv("COOPPLAN_SESSION_IDLE", value)
    assert config.session_idle() == seconds
    monkeypatch.setenv("COOPPLAN_SESSION_LIFETIME", value or "")
    assert config.session_lifetime() == (seconds if value not in ("", "soon") else 7 * 86400)


@pytest.mark.parametrize("value, private", [("1", True), ("true", True), ("on", True), ("0", False), ("", False)])
def test_a_private_deployment_is_one_setting(monkeypatch, value, private):
    monkeypatch.setenv("COOPPLAN_PRIVATE", value)
    assert config.private() is private


def _while_started(look):
    """What ``look()`` sees inside the server's lifespan, run in a loop of its own (tests
    before may leave one running here); the heap it froze is thawed again after."""
    import asyncio
    import gc

    async def start():
        async with server.lifespan(None):
            return look()

    try:
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(lambda: asyncio.run(start())).result()
    finally:
        gc.unfreeze()


def test_the_server_leaves_streamlits_legacy_pages_mode_when_it_starts():
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = True  # as Streamlit sets it for an app beside a pages/ folder
    try:
        assert _while_started(lambda: PagesManager.uses_pages_directory) is False
    finally:
        PagesManager.uses_pages_directory = None


def test_the_server_starts_with_the_plan_loaded_and_what_lives_on_frozen(monkeypatch, data_dir):
    import gc

    from coopplan.views import snapshot

    monkeypatch.setenv("COOPPLAN_DATA", str(data_dir))
    loaded, frozen = _while_started(lambda: (str(data_dir) in snapshot._latest, gc.get_freeze_count()))
    assert loaded
    assert frozen > 10_000  # the modules and the plan: what the collector after each page run skips
