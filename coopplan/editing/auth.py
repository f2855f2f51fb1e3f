"""Editors' accounts, their roles, and who may change which action.

Accounts live in a YAML file outside the data folder (``$COOPPLAN_USERS``,
default ``<project>/.coopplan/users.yaml``). Passwords are hashed with scrypt
(memory-hard, in the standard library) and compared in constant time; failed
sign-ins are slowed down and then locked out, per
account and per address. When the deployment signs people in with
OpenID Connect, the same file maps their e-mail addresses to accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeGuard

from ..config import accounts_path
from ..data import yamlio
from ..data.model import LEADS

# A side's coordinator edits and reports as its editors do, and also accepts or returns
# its side's reports and closes its side's half of a quarter (``reporting.review``).
COORDINATOR_ROLES = ("pavlodar-coordinator", "omsk-coordinator")
ROLES = ("admin", "pavlodar", "omsk", *COORDINATOR_ROLES, "viewer")
EDITOR_ROLES = ("admin", "pavlodar", "omsk", *COORDINATOR_ROLES)  # a viewer sees the plan, never edits
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
MAIL_LANGS = ("kk", "ru", "en")  # the language of an account's mails
# The kinds of mail an account can turn off one by one (``notices``): the reminders before
# and after a quarter's due date, and the notices of what happened.
NOTICE_KINDS = ("reminder", "returned", "submitted", "accepted", "disagreement", "closed", "plan")
# An address as people type it into a form: a dot-atom local part and a domain of
# letter-digit-hyphen labels with a top-level name of letters; stricter than RFC 5322 on
# purpose (no quoted parts, comments or IP literals), which no official's address needs.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class AuthError(ValueError):
    """A refused account operation, with the reason for the user."""


@dataclass(frozen=True)
class User:
    name: str
    role: str  # one of ROLES


def side_of(user: User | None) -> str | None:
    """The side an editor or a coordinator works for; None for an administrator or a viewer."""
    if not is_user(user):
        return None
    side = user.role.removesuffix("-coordinator")
    return side if side in LEADS and side != "joint" else None


def can_review(user: User | None, side: str) -> bool:
    """Accepting or returning ``side``'s reports and closing its half of a quarter:
    that side's coordinator, or an administrator."""
    return is_user(user) and user.role in ("admin", f"{side}-coordinator")


def bodies_of(user: User | None, path: Path | None = None) -> tuple[str, ...]:
    """The executing bodies an account reports for, read from the accounts file at each
    use; none: the whole side."""
    if not is_user(user):
        return ()
    try:
        named = load_accounts(path).get(user.name, {}).get("bodies")
    except (AuthError, AttributeError):
        return ()
    return tuple(str(b) for b in named) if isinstance(named, list) else ()


def is_user(user: object) -> TypeGuard[User]:
    """Whether ``user`` is someone signed in: a User with a known role. Anything
    else (None, a value forged into a session, a made-up role) is no one."""
    return isinstance(user, User) and user.role in ROLES


def can_edit(user: User | None, lead: str) -> bool:
    """Admins change everything; a side's editors change actions led by their side or
    jointly; viewers change nothing."""
    if not is_user(user) or user.role not in EDITOR_ROLES:
        return False
    return user.role == "admin" or lead in (side_of(user), "joint")


def can_approve(user: User | None) -> bool:
    """Approving the plan, and undoing an approval, is an administrator's act."""
    return is_user(user) and user.role == "admin"


def can_report(user: User | None, side: str) -> bool:
    """Admins report for either side; a side's editors for their own side only."""
    if not is_user(user):
        return False
    return user.role == "admin" or side_of(user) == side


def can_attach(user: User | None, side: str) -> bool:
    """Attaching evidence for ``side`` (and changing or removing it): its editors and
    coordinators, and administrators."""
    return is_user(user) and user.role in ("admin", side, f"{side}-coordinator")


def can_change(user: User | None, before: dict | None, after: dict | None) -> bool:
    """Whether ``user`` may change an action record from ``before`` to ``after`` (None:
    no such action yet, or deleted). Who may edit both leads (``can_edit``); and a
    joint action stays both sides': its leading side, and the other side's executing
    bodies, are changed by an administrator only, so one side cannot take it over (a
    side's editor may still make an action of its own joint, or delete a joint one,
    which the other side can undo)."""
    if not all(can_edit(user, str(record.get("lead"))) for record in (before, after) if record is not None):
        return False
    if before is None or after is None or not joint_fields_locked(user, str(before.get("lead"))):
        return True
    other = next(side for side in LEADS if side not in (side_of(user), "joint"))
    return after.get("lead") == "joint" and _bodies(before, other) == _bodies(after, other)


def _bodies(record: dict, side: str) -> object:
    """A record's executing bodies of ``side`` (the record may be a hand-written history line)."""
    responsible = record.get("responsible")
    return (responsible.get(side) or []) if isinstance(responsible, dict) else responsible


def joint_fields_locked(user: User | None, lead: str) -> bool:
    """Whether, on an action led by ``lead``, its leading side and the other side's
    executing bodies are beyond ``user`` (``can_change``): a joint action's, to all but
    an administrator."""
    return lead == "joint" and not (is_user(user) and user.role == "admin")


def can_undo_change(user: User | None, before: dict | None, after: dict | None) -> bool:
    """Whether ``user`` may put an action back from ``after`` to ``before``: whoever may
    make that change; and a change to a joint action by anyone who may edit joint
    actions, whatever it did, so that neither side can keep the other out of it."""
    if before is not None and before.get("lead") == "joint" and can_edit(user, "joint"):
        return True
    return can_change(user, after, before)


def can_undo(user: User | None, entry) -> bool:
    """Whether ``user`` may undo a change of the history (``history.Entry``): whoever may
    make it, by the side of the action or the report, an administrator the approval."""
    if entry.path and entry.path.startswith("evidence/"):
        return can_attach(user, str((entry.after or entry.before or {}).get("side")))
    if entry.path:
        return can_approve(user)
    if entry.report:
        return can_report(user, entry.report.rpartition("-")[2])
    before, after = (r if isinstance(r, dict) else None for r in (entry.before, entry.after))
    return can_undo_change(user, before, after)


# Account names are sign-in names, half of what a password guess needs: the pages, the
# API and the exports show who changed or approved what to signed-in users only.
NAME_FIELDS = ("updated_by", "approved_by", "closed_by", "opened_by", "by")


def sees_names(user: User | None) -> bool:
    """Whether ``user`` is shown account names (who changed, who approved)."""
    return is_user(user)


def without_names(data: object) -> object:
    """``data`` (records as JSON or YAML hold them) without the fields that name accounts."""
    if isinstance(data, dict):
        return {k: without_names(v) for k, v in data.items() if k not in NAME_FIELDS}
    if isinstance(data, list):
        return [without_names(v) for v in data]
    return data


def may_edit(user: User | None) -> bool:
    """Whether ``user`` may change any action at all (by ``can_edit``): editors and admins."""
    return any(can_edit(user, lead) for lead in LEADS)


# ---- passwords ------------------------------------------------------------------


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **_SCRYPT)
    params = f"n={_SCRYPT['n']},r={_SCRYPT['r']},p={_SCRYPT['p']}"
    return f"scrypt${params}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, params, salt, digest = stored.split("$")
        settings = {k: int(v) for k, v in (part.split("=") for part in params.split(","))}
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), dklen=len(expected), maxmem=64 * 1024 * 1024, **settings
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# ---- the accounts file ---------------------------------------------------------------


def load_accounts(path: Path | None = None) -> dict[str, dict]:
    path = path or accounts_path()
    try:
        data = yamlio.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, yamlio.YamlError) as exc:
        raise AuthError(f"cannot read the accounts file {path}: {exc}") from None
    users = (data or {}).get("users") if isinstance(data, dict) else None
    return users if isinstance(users, dict) else {}


_read: dict[Path, tuple[tuple[int, int], dict[str, dict]]] = {}  # path -> (its stat when read, accounts)


def current_role(name: str, path: Path | None = None) -> str | None:
    """``name``'s role as the accounts file says now (None: no such account, or no known
    role): what a session or a token may do is asked here at each use, so an account
    changed or removed by hand or by the command line counts at once. The file is read
    again only when its size or time changed."""
    path = path or accounts_path()
    try:
        stat = path.stat()
        seen = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return None
    cached = _read.get(path)
    if cached is None or cached[0] != seen:
        try:
            cached = _read[path] = (seen, load_accounts(path))
        except AuthError:
            return None
    account = cached[1].get(name)
    role = account.get("role") if isinstance(account, dict) else None
    return role if role in ROLES else None


def save_accounts(users: dict[str, dict], path: Path | None = None) -> None:
    """Atomically, readable only by the owner (it holds password hashes)."""
    path = path or accounts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(yamlio.dumps({"users": users}))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def _valid_name(name: str) -> str:
    name = name.strip().lower()
    if not name or len(name) > 64 or not set(name) <= _NAME_CHARS:
        raise AuthError("a user name uses letters a–z, digits, '.', '_' and '-' only")
    return name


def valid_email(email: str) -> str:
    """``email`` as stored (lower case), or AuthError saying what is wrong with its form."""
    email = email.strip()
    local, at, domain = email.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or len(email) > 254
        or len(local) > 64
        or not _LOCAL.fullmatch(local)
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not labels[-1].isalpha()
        or len(labels[-1]) < 2
    ):
        raise AuthError(
            f"{email!r} is not an e-mail address: write it as name@example.kz (latin letters, digits and . _ - + "
            "before the @, a domain with a dot after it)"
        )
    return email.lower()


def _valid_lang(lang: str) -> str:
    if lang not in MAIL_LANGS:
        raise AuthError(f"the language of an account's mails is one of {', '.join(MAIL_LANGS)}")
    return lang


def _valid_kinds(kinds: list[str]) -> list[str]:
    unknown = sorted(set(kinds) - set(NOTICE_KINDS))
    if unknown:
        raise AuthError(f"no kind of mail {', '.join(unknown)}; the kinds are {', '.join(NOTICE_KINDS)}")
    return kinds


def add_user(
    name: str,
    role: str,
    password: str,
    email: str | None = None,
    path: Path | None = None,
    bodies: list[str] | None = None,
    lang: str | None = None,
) -> User:
    """A new account; ``bodies`` limits an editor to the executing bodies it reports for;
    ``email`` and ``lang`` are where its mails go and the language they speak."""
    name = _valid_name(name)
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise AuthError("a password needs at least 10 characters")
    email = valid_email(email) if email else None
    lang = _valid_lang(lang) if lang else None
    users = load_accounts(path)
    if name in users:
        raise AuthError(f"user {name} exists already")
    users[name] = {
        "role": role,
        "password": hash_password(password),
        **({"email": email} if email else {}),
        **({"lang": lang} if lang else {}),
        **({"bodies": [b.strip() for b in bodies if b.strip()]} if bodies else {}),
    }
    save_accounts(users, path)
    return User(name, role)


def set_user(
    name: str,
    *,
    email: str | None = None,
    lang: str | None = None,
    off: Sequence[str] = (),
    on: Sequence[str] = (),
    path: Path | None = None,
) -> dict:
    """Change an account's address, language, and the kinds of mail it turned off
    (``off``) or on again (``on``); the account as stored."""
    email = valid_email(email) if email else None
    lang = _valid_lang(lang) if lang else None
    users = load_accounts(path)
    if name not in users:
        raise AuthError(f"no user {name}")
    account = users[name]
    if email:
        account["email"] = email
    if lang:
        account["lang"] = lang
    muted = (set(account.get("notices_off") or []) | set(_valid_kinds(list(off)))) - set(_valid_kinds(list(on)))
    if muted:
        account["notices_off"] = [k for k in NOTICE_KINDS if k in muted]
    else:
        account.pop("notices_off", None)
    save_accounts(users, path)
    return account


def remove_user(name: str, path: Path | None = None) -> None:
    users = load_accounts(path)
    if name not in users:
        raise AuthError(f"no user {name}")
    del users[name]
    save_accounts(users, path)


def set_password(name: str, password: str, path: Path | None = None) -> None:
    if len(password) < 10:
        raise AuthError("a password needs at least 10 characters")
    users = load_accounts(path)
    if name not in users:
        raise AuthError(f"no user {name}")
    users[name]["password"] = hash_password(password)
    save_accounts(users, path)


def suggested_admin_name() -> str:
    """A first administrator's name nobody can guess ahead: ``admin-`` and six random
    letters and digits (a name is half of what a password guess needs)."""
    return "admin-" + "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(6))


def init_admin(name: str | None = None, path: Path | None = None) -> tuple[str, str] | None:
    """On a fresh checkout: the first administrator, named ``name`` (else a name of
    ``suggested_admin_name``), with a random password; its name and password (to be
    shown once), or None when accounts exist already."""
    if load_accounts(path):
        return None
    password = secrets.token_urlsafe(12)
    user = add_user(name or suggested_admin_name(), "admin", password, path=path)
    return user.name, password


# ---- signing in ---------------------------------------------------------------------
# The throttle's rule. Its counters live in the sessions store (``editing.sessions``), which
# every app process sharing the accounts file shares, so parallel sessions, tabs and
# servers count against the same account and the same address.

THROTTLE_WINDOW = 900  # failures older than this (seconds) are forgotten
LOCKOUT_SECONDS = 900  # how long a name locked at one address waits
PAIR_LOCKOUT = 10  # failed sign-ins of one name from one address within the window lock that pair
MAX_DELAY = 8.0  # the longest a try waits for its name's or its address's failures
MAX_WAIT = 10.0  # a try that would wait longer than this is refused at once, with when to try again


def throttle_delay(count: int) -> float:
    """The wait after ``count`` failures lately (of a name, an address or the pair):
    doubling with each failure, up to MAX_DELAY."""
    return min(0.5 * 2 ** (count - 1), MAX_DELAY) if count else 0.0


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against; made once, when first needed (scrypt is slow on purpose)."""
    return hash_password(secrets.token_hex(8))


def check_credentials(name: str, password: str, path: Path | None = None) -> User | None:
    """The user when the password is right, else None. Whoever calls it throttles the
    tries first (``editing.sessions.Store.attempt``)."""
    name = name.strip().lower()
    account = load_accounts(path).get(name)
    # Hash even for unknown names, so timing does not tell which names exist.
    ok = check_password(password, account.get("password", "") if account else _dummy_hash()) and account is not None
    if not ok or account.get("role") not in ROLES:
        return None
    return User(name, account["role"])


def user_for_email(email: str | None, path: Path | None = None) -> User | None:
    """The account an OpenID Connect e-mail address belongs to, if any."""
    if not email:
        return None
    for name, account in load_accounts(path).items():
        if str(account.get("email", "")).lower() == email.lower() and account.get("role") in ROLES:
            return User(name, account["role"])
    return None
