"""Sign-ins that last, kept server-side: sessions, API and calendar tokens, and the
sign-in tries of each account name and each address, in one SQLite file beside the
accounts file.

Every app process that shares the accounts file shares this store, so a sign-in
made through one server counts on the others, and ending one (signing out,
``users passwd``, ``users remove``) ends it for all of them at once.

A browser holds only an opaque random token in its cookie; the store keeps its
SHA-256, so the file does not hand out sessions. A session ends after
``config.session_idle()`` seconds unused or ``config.session_lifetime()`` in all.
API tokens (``users token NAME``) are kept as hashes too. A calendar token is kept
as it is, so the Plan page can show its subscription link again: it opens the
calendar and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..editing import auth
from ..editing.auth import User
from . import logtext

COOKIE = "coopplan_session"
MAX_TOKEN_CHARS = 200  # longer is no token of ours: refused before it is hashed
API, FEED = "api", "feed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, created REAL NOT NULL, seen REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_name ON sessions (name);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, created REAL NOT NULL,
    token TEXT);
CREATE INDEX IF NOT EXISTS tokens_by_name ON tokens (name, kind);
CREATE TABLE IF NOT EXISTS attempts (
    key TEXT PRIMARY KEY, count INTEGER NOT NULL, last REAL NOT NULL, next REAL NOT NULL, locked REAL NOT NULL);
"""
_ready: set[Path] = set()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """A sign-in try as the throttle lets it: wait ``wait`` seconds, then check the
    password; or, when ``locked_until`` (a time of ``Store.clock``) is set, not at all."""

    wait: float
    locked_until: float | None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _usable(token: object) -> bool:
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_CHARS


class Store:
    """The sessions, tokens and sign-in failures of the app's processes."""

    def __init__(self, path: Path, idle: int, lifetime: int, clock=time.time, roles=None):
        self.path = Path(path)
        self.idle = idle
        self.lifetime = lifetime
        self.clock = clock
        # name -> the account's role now, or None once removed (``auth.current_role``);
        # without it, the role a session or token was made with
        self.roles = roles

    def _connect(self) -> sqlite3.Connection:
        if self.path not in _ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # made readable by its owner only, before SQLite opens it (its journal files follow suit)
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
            with closing(sqlite3.connect(self.path, timeout=10)) as db:
                db.execute("PRAGMA journal_mode=WAL")  # readers never wait for the other process's writer
                db.executescript(_SCHEMA)
            _ready.add(self.path)
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _run(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with closing(self._connect()) as db:
            return db.execute(sql, parameters).fetchall()

    # ---- sessions ------------------------------------------------------------------

    def start(self, user: User) -> str:
        """A new session of ``user``: the token for the browser's cookie."""
        if not auth.is_user(user):
            raise ValueError("a session is started for a signed-in user only")
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sessions WHERE seen < ? OR created < ?", (now - self.idle, now - self.lifetime))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (_hash(token), user.name, user.role, now, now))
        return token

    def user(self, token: object) -> User | None:
        """Who the session of ``token`` belongs to while it lasts; None for no session,
        an ended or an expired one. Each use keeps it from going idle."""
        if not _usable(token):
            return None
        key, now = _hash(token), self.clock()
        with closing(self._connect()) as db:
            row = db.execute("SELECT name, role, created, seen FROM sessions WHERE hash = ?", (key,)).fetchone()
            if row is None:
                return None
            name, role, created, seen = row
            if now - seen > self.idle or now - created > self.lifetime:
                db.execute("DELETE FROM sessions WHERE hash = ?", (key,))
                return None
            if self.roles is not None:
                role = self.roles(name)
                if role is None:  # the account is gone: so are its sessions
                    db.execute("DELETE FROM sessions WHERE name = ?", (name,))
                    return None
            if now - seen > min(60, self.idle / 10):  # written now and then, not on every page run
                db.execute("UPDATE sessions SET seen = ? WHERE hash = ?", (now, key))
        user = User(name, role)
        return user if auth.is_user(user) else None

    def end(self, token: object) -> None:
        """Sign out: the session of ``token`` ends, in every tab and on every server."""
        if _usable(token):
            self._run("DELETE FROM sessions WHERE hash = ?", (_hash(token),))

    def end_all(self, name: str) -> int:
        """End every session of ``name`` (a changed password, a removed account); how many."""
        with closing(self._connect()) as db:
            return db.execute("DELETE FROM sessions WHERE name = ?", (name,)).rowcount

    def sessions_of(self, name: str) -> int:
        now = self.clock()
        return self._run(
            "SELECT COUNT(*) FROM sessions WHERE name = ? AND seen >= ? AND created >= ?",
            (name, now - self.idle, now - self.lifetime),
        )[0][0]

    # ---- tokens -------------------------------------------------------------------------

    def new_api_token(self, user: User) -> str:
        """A token for scripts (``Authorization: Bearer``), shown once: only its hash is kept."""
        token = "coopplan_" + secrets.token_urlsafe(32)
        self._run(
            "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, NULL)", (_hash(token), API, user.name, user.role, self.clock())
        )
        return token

    def feed_token(self, user: User, renew: bool = False) -> str:
        """``user``'s calendar token, made on first use; ``renew`` replaces it (the old
        subscription links stop working)."""
        with closing(self._connect()) as db:
            if renew:
                db.execute("DELETE FROM tokens WHERE name = ? AND kind = ?", (user.name, FEED))
            row = db.execute("SELECT token FROM tokens WHERE name = ? AND kind = ?", (user.name, FEED)).fetchone()
            if row is not None:
                return row[0]
            token = secrets.token_urlsafe(24)
            db.execute(
                "INSERT INTO tokens VALUES (?, ?, ?, ?, ?, ?)",
                (_hash(token), FEED, user.name, user.role, self.clock(), token),
            )
            return token

    def token_user(self, token: object, kinds: tuple[str, ...] = (API,)) -> User | None:
        """Whose token ``token`` is, if it is a live one of ``kinds``."""
        if not _usable(token):
            return None
        rows = self._run("SELECT kind, name, role FROM tokens WHERE hash = ?", (_hash(token),))
        if not rows or rows[0][0] not in kinds:
            return None
        _, name, role = rows[0]
        if self.roles is not None:
            role = self.roles(name)
            if role is None:  # the account is gone: so are its tokens
                self.revoke_tokens(name)
                return None
        user = User(name, role)
        return user if auth.is_user(user) else None

    def revoke_tokens(self, name: str) -> int:
        """Revoke every API and calendar token of ``name``; how many."""
        with closing(self._connect()) as db:
            return db.execute("DELETE FROM tokens WHERE name = ?", (name,)).rowcount

    def forget(self, name: str) -> None:
        """An account removed: its sessions and tokens end."""
        self.end_all(name)
        self.revoke_tokens(name)

    # ---- sign-in tries, counted across sessions and processes (the rule: auth's throttle) ----

    def attempt(self, name: str, address: str) -> Attempt:
        """Reserve one try at ``name``'s password from ``address``, counted as failed
        until ``succeeded`` says otherwise: counting it before the password is checked
        is what keeps parallel tries from all slipping through before any is counted.

        The rule (``auth``'s throttle): the tries of one name from one address are
        spaced out and, after ``auth.PAIR_LOCKOUT`` failures, refused for a while
        (``locked_until``): the only lock, so that nobody elsewhere can lock an account
        or an office out. The tries from one address, at any names, are spaced out too;
        the failures at one name, from anywhere, make every try at it wait longer
        (``wait``), up to ``auth.MAX_DELAY``, and are never refused for it."""
        now = self.clock()
        pair, by_address, by_name = _pair_key(name, address), f"address:{address[:64]}", f"name:{name[:64]}"
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one try at a time is reserved, whichever process makes it
            try:
                # the table keeps only what still counts: it cannot grow without bound
                db.execute("DELETE FROM attempts WHERE last < ? AND locked <= ?", (now - auth.THROTTLE_WINDOW, now))
                found = {key: self._counter(db, key, now) for key in (pair, by_address, by_name)}
                start = max(now, found[pair][1], found[by_address][1])
                refused_until = found[pair][2]
                if refused_until <= now and start - now > auth.MAX_WAIT:
                    refused_until = start  # queued behind too many tries: said when, not kept waiting
                if refused_until > now:
                    return Attempt(0.0, refused_until)
                wait = max(start - now, auth.throttle_delay(found[by_name][0]))
                for key in (pair, by_address, by_name):
                    count = found[key][0] + 1
                    locked = now + auth.LOCKOUT_SECONDS if key == pair and count >= auth.PAIR_LOCKOUT else 0.0
                    if locked:
                        _log.warning(
                            "sign-in: name %s from %s locked for %d s after %d failed tries",
                            logtext.shown(name),
                            logtext.shown(address),
                            auth.LOCKOUT_SECONDS,
                            count,
                        )
                    db.execute(
                        "INSERT OR REPLACE INTO attempts VALUES (?, ?, ?, ?, ?)",
                        (key, count, now, start + auth.throttle_delay(count), locked),
                    )
            finally:
                db.execute("COMMIT")
        return Attempt(wait, None)

    @staticmethod
    def _counter(db: sqlite3.Connection, key: str, now: float) -> tuple[int, float, float]:
        """(failures lately, earliest next try, locked until) of a name, an address or the pair."""
        row = db.execute("SELECT count, last, next, locked FROM attempts WHERE key = ?", (key,)).fetchone()
        if row is None or (now - row[1] > auth.THROTTLE_WINDOW and row[3] <= now):
            return 0, now, 0.0
        return row[0], row[2], row[3]

    def succeeded(self, name: str, address: str) -> None:
        """The reserved try was right: the name starts afresh, from this address and
        elsewhere; the address's try is not held against it, nor are the next tries
        from it kept waiting (its other failures still count)."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM attempts WHERE key IN (?, ?)", (f"name:{name[:64]}", _pair_key(name, address)))
            db.execute(
                "UPDATE attempts SET count = MAX(count - 1, 0), next = MIN(next, ?) WHERE key = ?",
                (self.clock(), f"address:{address[:64]}"),
            )

    def unlock(self, name: str) -> None:
        """An administrator's new password for ``name`` ends its lockouts, from every address."""
        prefix = _pair_key(name, "")
        self._run(
            "DELETE FROM attempts WHERE key = ? OR substr(key, 1, ?) = ?",
            (f"name:{name[:64]}", len(prefix), prefix),
        )

    def attempts_kept(self) -> int:
        """How many names, addresses and pairs the throttle keeps now."""
        return self._run("SELECT COUNT(*) FROM attempts")[0][0]


def _pair_key(name: str, address: str) -> str:
    return f"pair:{name[:64]}\n{address[:64]}"  # a newline is in no name the form lets through to a check


def store() -> Store:
    """The store of this deployment, with its configured lifetimes."""
    return Store(config.sessions_path(), config.session_idle(), config.session_lifetime(), roles=auth.current_role)
