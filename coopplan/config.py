"""The deployment's settings, read from the environment: where the data, the
accounts and the sessions live, the interface language when nothing else chooses
one, whether the deployment is private, and how long a sign-in lasts."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument, else ``$COOPPLAN_DATA``, else ``<project>/data``."""
    chosen = explicit or os.environ.get("COOPPLAN_DATA")
    return Path(chosen) if chosen else PROJECT_ROOT / "data"


def accounts_path() -> Path:
    """The editors' accounts file: ``$COOPPLAN_USERS``, else ``<project>/.coopplan/users.yaml``."""
    chosen = os.environ.get("COOPPLAN_USERS")
    return Path(chosen) if chosen else PROJECT_ROOT / ".coopplan" / "users.yaml"


def default_lang() -> str:
    """``$COOPPLAN_LANG`` as set, default Russian (``i18n.negotiate`` keeps it only when
    it is kk, ru or en: the languages are the data's, a layer above this one)."""
    return os.environ.get("COOPPLAN_LANG", "ru")


def sessions_path() -> Path:
    """The sessions and tokens store (SQLite), beside the accounts file: outside the
    data folder, and shared by every app process that shares the accounts."""
    return accounts_path().with_name("sessions.sqlite3")


def outbox_path() -> Path:
    """The mail outbox log, beside the accounts file: outside the data folder, as it
    names people's addresses."""
    return accounts_path().with_name("outbox.jsonl")


def private() -> bool:
    """``$COOPPLAN_PRIVATE`` set to 1, true, yes or on: every page and route needs a sign-in."""
    return os.environ.get("COOPPLAN_PRIVATE", "").strip().lower() in ("1", "true", "yes", "on")


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(variable: str, default: int) -> int:
    """A duration from the environment: seconds, or a number with s, m, h or d
    (``90m``, ``8h``, ``7d``); the default when unset or not such a duration."""
    text = os.environ.get(variable, "").strip().lower()
    unit = _UNITS.get(text[-1:], 1) if text else 1
    number = text[:-1] if text[-1:] in _UNITS else text
    return int(number) * unit if number.isdigit() and int(number) > 0 else default


def session_idle() -> int:
    """Seconds a sign-in lasts unused: ``$COOPPLAN_SESSION_IDLE``, default 8 hours."""
    return _seconds("COOPPLAN_SESSION_IDLE", 8 * 3600)


def session_lifetime() -> int:
    """Seconds a sign-in lasts at most, used or not: ``$COOPPLAN_SESSION_LIFETIME``, default 7 days."""
    return _seconds("COOPPLAN_SESSION_LIFETIME", 7 * 86400)
