"""Writing actions: permission, validation, conflict detection, atomic save, history.

Every change goes through ``save`` or ``delete``; the rules are enforced here,
where data is written, whatever the page shows. Each action has its own lock,
so edits to different actions never wait on each other.

A version is the SHA-256 of the action's file as the editor opened it; a save
whose version no longer matches the file is refused as a conflict and tells
what the other person changed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import auth, history, loader, validate, yamlio
from .model import Action
from .validate import Problem

ABSENT = "absent"  # the version of an action that has no file (yet, or any more)
_ID_NUMBER = re.compile(r"^(.*?)(\d+)$")


class StoreError(Exception):
    """A refused change; ``message`` says why in English, ``kind`` names the
    reason as ``validate.Problem.kind`` does, for pages to say it in theirs."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.message = message
        self.kind = kind


class Forbidden(StoreError):
    pass


class Invalid(StoreError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems), "invalid")
        self.problems = problems


class Conflict(StoreError):
    """The file changed since the editor opened it: ``current`` is what is there now."""

    def __init__(self, current: dict | None, current_version: str):
        super().__init__("this action was changed by someone else since you opened it", "conflict")
        self.current = current
        self.current_version = current_version


@dataclass(frozen=True)
class Saved:
    action: Action | None
    version: str
    entry: history.Entry


def action_path(data_dir: Path, action_id: str) -> Path:
    return Path(data_dir) / loader.ACTIONS / f"{action_id}.yaml"


def read_version(data_dir: Path, action_id: str) -> tuple[str, dict | None]:
    """(version, record) of an action's file as it is now."""
    try:
        raw = action_path(data_dir, action_id).read_bytes()
    except FileNotFoundError:
        return ABSENT, None
    try:
        record = yamlio.loads(raw)
    except yamlio.YamlError:
        record = None
    return hashlib.sha256(raw).hexdigest(), record if isinstance(record, dict) else None


# Accepted by no save: the file no longer holds what the editor was shown.
STALE = "stale"


def version_as_loaded(data_dir: Path, action: Action) -> str:
    """The version of ``action``'s file if the file still holds ``action`` (as a
    page loaded it), else ``STALE``: a save on top of it is then a conflict,
    not a silent overwrite of a change made since."""
    version, record = read_version(data_dir, action.id)
    try:
        unchanged = record is not None and Action.model_validate(record) == action
    except ValidationError:
        unchanged = False
    return version if unchanged else STALE


@contextmanager
def _locked(data_dir: Path, action_id: str):
    folder = Path(data_dir) / ".locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{action_id}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, flushed and synced, then renamed over:
    a crash leaves the old file or the new one, never part of one."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # make the rename itself durable
    finally:
        os.close(folder)


def _check(action: Action, data_dir: Path, memorandum) -> None:
    """The loader's own rules, so a saved file always loads."""
    record = action.to_yaml_dict()
    text = yamlio.dumps(record)
    shown = loader.shown_path(action_path(data_dir, action.id))
    _, problems = validate.shape_problems(Action, yamlio.parse(text), shown, text)
    problems += validate.action_problems(record, f"{action.id}.yaml", shown, memorandum, text)
    if problems:
        raise Invalid(problems)


def save(data_dir: Path, action: Action, user: auth.User | None, version: str, *, memorandum=None, op: str | None = None, undoes: str | None = None) -> Saved:
    """Write ``action`` if ``user`` may and its file is still at ``version``
    (``ABSENT`` for a new action). Raises Forbidden, Invalid or Conflict."""
    data_dir = Path(data_dir)
    if user is None:
        raise Forbidden("sign in as an editor to change the plan", "sign_in")
    with _locked(data_dir, action.id):
        current_version, current = read_version(data_dir, action.id)
        current_lead = (current or {}).get("lead")
        if not auth.can_edit(user, action.lead) or (current_lead is not None and not auth.can_edit(user, str(current_lead))):
            raise Forbidden(f"{user.name} ({user.role}) may not change actions led by {current_lead or action.lead}", "not_your_side")
        if current_version != version:
            raise Conflict(current, current_version)
        if current is None and op != "undo" and action.id in history.used_ids(data_dir):
            raise StoreError(f"id {action.id} was used before; ids are never reused", "id_reused")
        stamped = action.model_copy(update={"updated": dt.datetime.now(dt.timezone.utc).replace(microsecond=0), "updated_by": user.name})
        _check(stamped, data_dir, memorandum)
        data = yamlio.dumps(stamped.to_yaml_dict()).encode("utf-8")
        write_atomically(action_path(data_dir, action.id), data)
        entry = history.new_entry(user.name, action.id, op or ("add" if current is None else "edit"), current, stamped.to_yaml_dict(), undoes)
        history.append(data_dir, entry)
    return Saved(stamped, hashlib.sha256(data).hexdigest(), entry)


def delete(data_dir: Path, action_id: str, user: auth.User | None, version: str, *, op: str = "delete", undoes: str | None = None) -> Saved:
    data_dir = Path(data_dir)
    if user is None:
        raise Forbidden("sign in as an editor to change the plan", "sign_in")
    with _locked(data_dir, action_id):
        current_version, current = read_version(data_dir, action_id)
        if current_version == ABSENT:
            raise StoreError(f"there is no action {action_id}", "no_such_action")
        if not auth.can_edit(user, str((current or {}).get("lead"))):
            raise Forbidden(f"{user.name} ({user.role}) may not delete actions led by {(current or {}).get('lead')}", "not_your_side")
        if current_version != version:
            raise Conflict(current, current_version)
        action_path(data_dir, action_id).unlink()
        entry = history.new_entry(user.name, action_id, op, current, None, undoes)
        history.append(data_dir, entry)
    return Saved(None, ABSENT, entry)


def undo(data_dir: Path, entry: history.Entry, user: auth.User | None, *, memorandum=None) -> Saved:
    """Put the action back as it was before ``entry``; refused when it has
    changed since (the later change must be undone first)."""
    version, current = read_version(data_dir, entry.action)
    if _comparable(current) != _comparable(entry.after):
        raise StoreError(f"{entry.action} has changed since this change; undo the later changes first", "undo_blocked")
    if entry.before is None:
        return delete(data_dir, entry.action, user, version, op="undo", undoes=entry.id)
    restored = Action.model_validate(entry.before)
    return save(data_dir, restored, user, version, memorandum=memorandum, op="undo", undoes=entry.id)


def _comparable(record: dict | None) -> dict | None:
    """The content of a state, without the save stamps."""
    if record is None:
        return None
    return {k: v for k, v in Action.model_validate(record).to_yaml_dict().items() if k not in ("updated", "updated_by")}


def next_id(data_dir: Path, existing: list[str]) -> str:
    """A fresh id in the plan's pattern (``po-046``), never used before."""
    taken = set(existing) | history.used_ids(data_dir)
    numbered = [m for m in (_ID_NUMBER.match(i) for i in taken) if m]
    if not numbered:
        return "po-001"
    prefix, width = max(((m.group(1), len(m.group(2))) for m in numbered), key=lambda pw: sum(1 for m in numbered if m.group(1) == pw[0]))
    highest = max((int(m.group(2)) for m in numbered if m.group(1) == prefix), default=0)
    candidate = highest + 1
    while f"{prefix}{candidate:0{width}d}" in taken:
        candidate += 1
    return f"{prefix}{candidate:0{width}d}"
