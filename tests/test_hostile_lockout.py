"""A guessing attacker is slowed and locked out of the name at his own address only: the
real administrator signs in meanwhile from elsewhere; the first administrator's name is
nobody's guess; what a client types cannot forge the server's log (issue 30, items 3, 8
and 10)."""

from __future__ import annotations

import logging
import re

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from coopplan import cli, i18n
from coopplan.editing import auth, logtext, sessions
from coopplan.web import routes, server


def client(address: str) -> TestClient:
    app = Starlette(routes=routes.routes(), middleware=server.options()["middleware"])
    return TestClient(app, follow_redirects=False, client=(address, 40000))


def sign_in(address: str, name: str, password: str):
    with client(address) as http:
        page = http.get("/signin?lang=ru")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        return http.post("/signin", data={"csrf": csrf, "name": name, "password": password, "lang": "ru"})


def test_the_real_administrator_signs_in_from_the_office_while_someone_guesses_from_elsewhere(monkeypatch):
    name, password = auth.init_admin("chief")
    monkeypatch.setattr(auth, "throttle_delay", lambda count: 0.0)  # the waits are the store's test
    guesses = [sign_in("203.0.113.66", name, f"guess {n}").status_code for n in range(3 * auth.PAIR_LOCKOUT)]
    assert guesses[: auth.PAIR_LOCKOUT] == [200] * auth.PAIR_LOCKOUT  # the form again, «wrong password»
    assert set(guesses[auth.PAIR_LOCKOUT :]) == {429}  # the attacker's address is locked out of the name
    real = sign_in("10.20.30.40", name, password)
    assert real.status_code == 303 and sessions.COOKIE in real.cookies
    # the same guesses from one IPv6 /64 are one client, however many addresses it uses
    assert sign_in("2001:db8:5:6::1", name, "x").status_code == 200
    answers = [sign_in(f"2001:db8:5:6::{n:x}", name, "x").status_code for n in range(2, 2 + auth.PAIR_LOCKOUT)]
    assert answers[-1] == 429


def test_a_locked_out_attacker_is_told_when_to_come_back_in_the_readers_language(monkeypatch):
    auth.add_user("ivanova", "omsk", "the right password")
    monkeypatch.setattr(auth, "throttle_delay", lambda count: 0.0)
    for _ in range(auth.PAIR_LOCKOUT):
        sign_in("198.51.100.1", "ivanova", "wrong")
    locked = sign_in("198.51.100.1", "ivanova", "the right password")
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert i18n.t("ru", "signin.locked", minutes=15) in locked.text


def test_users_init_names_the_first_administrator_as_told_or_makes_a_name_up(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["users", "init", "--name", "chief"]) == 0
    assert "user name: chief" in capsys.readouterr().out and list(auth.load_accounts()) == ["chief"]
    assert cli.main(["users", "init"]) == 0 and capsys.readouterr().out == ""  # accounts exist: nothing new


def test_users_init_without_a_name_makes_one_up_never_admin(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COOPPLAN_USERS", str(tmp_path / "fresh" / "users.yaml"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert cli.main(["users", "init"]) == 0
    [name] = auth.load_accounts()
    assert name != "admin" and f"user name: {name}" in capsys.readouterr().out


def test_users_init_at_a_terminal_asks_for_the_name(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("COOPPLAN_USERS", str(tmp_path / "asked" / "users.yaml"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "omsk.chief")
    assert cli.main(["users", "init"]) == 0
    assert list(auth.load_accounts()) == ["omsk.chief"]


FORGED = "victim\n2026-12-07 12:00:00 sign-in: admin signed in from 10.0.0.1\x1b[2K\r"


@pytest.mark.parametrize("typed", [FORGED, "имя\u2028второе", "a" * 500])
def test_a_typed_name_with_newlines_or_escapes_stays_one_escaped_line_in_the_log(monkeypatch, caplog, typed):
    monkeypatch.setattr(auth, "throttle_delay", lambda count: 0.0)
    with caplog.at_level(logging.WARNING):
        for _ in range(auth.PAIR_LOCKOUT):
            sign_in("198.51.100.2", typed, "wrong")
    [line] = [r.getMessage() for r in caplog.records if "locked for" in r.getMessage()]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert line.isascii() and len(line) < 300
    assert logtext.shown(typed.strip().lower()) in line
