"""Writing actions: permission, validation, conflict detection, atomic save, history.

Every change goes through ``save`` or ``delete``; the rules are enforced here,
where data is written, whatever the page shows. Each action has its own lock,
so edits to different actions never wait on each other.

A version is the SHA-256 of the action's file as the editor opened it; a save
whose version no longer matches the file is refused as a conflict and tells
what the other person changed.

A change is all or nothing: the new file is written to a hidden temporary
and synced, the old one stays reachable under a hidden ``.bak`` name (a hard
link, or the renamed file for a delete; a ``.new`` mark when there was none),
then the new file is renamed into place and the history line appended. If a
step fails, the old file is put back and the history left as it was, and the
refusal says so (``write_failed``). If the process dies between the rename and
the history line, the next change of that action finds the backup and puts
the old file back first.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import os
import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..data import loader, validate, yamlio
from ..data.files import NotAFile, open_regular, shown_path
from ..data.model import Action
from ..data.validate import Problem
from . import auth, history

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
    """What a change left: the action and its file's version; ``entry`` is None when
    the save changed nothing (then nothing was written or recorded)."""

    action: Action | None
    version: str
    entry: history.Entry | None

    @property
    def changed(self) -> bool:
        return self.entry is not None


def action_path(data_dir: Path, action_id: str) -> Path:
    return Path(data_dir) / loader.ACTIONS / f"{action_id}.yaml"


def read_version(data_dir: Path, action_id: str) -> tuple[str, dict | None]:
    """(version, record) of an action's file as it is now; StoreError when the
    name holds something that is not a readable file."""
    path = action_path(data_dir, action_id)
    try:
        handle, _ = open_regular(path)
        with handle:
            raw = handle.read()
    except FileNotFoundError:
        return ABSENT, None
    except NotAFile:
        raise StoreError(f"{shown_path(path)} is not a regular file; remove it", "not_a_file") from None
    except OSError as error:
        raise StoreError(f"cannot read {shown_path(path)}: {error.strerror or error}", "unreadable") from error
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
    try:
        version, record = read_version(data_dir, action.id)
        unchanged = record is not None and Action.model_validate(record) == action
    except (StoreError, ValidationError):  # the save itself will say what is wrong with the file
        return STALE
    return version if unchanged else STALE


def _write_failed(path: Path, error: OSError) -> StoreError:
    return StoreError(
        f"cannot write {shown_path(path)}: {error.strerror or error}; nothing was changed", "write_failed"
    )


@contextmanager
def _locked(data_dir: Path, action_id: str):
    lock = Path(data_dir) / ".locks" / f"{action_id}.lock"
    try:  # the first write of a save: a read-only or full data folder is refused here
        lock.parent.mkdir(exist_ok=True)
        handle = open(lock, "a+b")
    except OSError as error:
        raise _write_failed(lock, error) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _commit(data_dir: Path, path: Path, data: bytes | None, entry: history.Entry) -> None:
    """Put ``data`` at ``path`` (``None`` removes the file) and record ``entry``:
    both or neither. Runs under the action's lock, which makes the hidden names
    below this commit's alone."""
    temporary, backup, marker = _hidden(path)
    existed, moved, failing = path.exists(), False, path
    try:
        if data is not None:
            with open(temporary, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if not existed:
            open(marker, "xb").close()  # says: there was no file before
        elif data is None:
            os.replace(path, backup)
        else:
            _keep(path, backup)
        if data is not None:
            os.replace(temporary, path)
        moved = True
        _sync_folder(path.parent)
        failing = Path(data_dir) / history.FILE
        history.append(data_dir, entry)
    except BaseException as error:  # an interrupt too: never a change without its record
        try:
            _put_back(path, moved)
        except OSError as undoing:
            if not isinstance(error, OSError):
                raise
            raise StoreError(
                f"cannot write {shown_path(failing)}: {error.strerror or error}; putting the old state back failed too"
                f" ({undoing.strerror or undoing}); it is put back before the next change of this action",
                "write_failed",
            ) from error
        if isinstance(error, OSError):
            raise _write_failed(failing, error) from error
        raise
    with suppress(OSError):  # made and recorded; were this left, the next commit would clear it
        backup.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)


def _hidden(path: Path) -> tuple[Path, Path, Path]:
    """The new file being written, the old file kept, the mark that there was none.
    Hidden (the loader skips them) and fixed, so a crash's leftovers are found
    without listing the folder."""
    return tuple(path.with_name(f".{path.name}.{suffix}") for suffix in ("tmp", "bak", "new"))


def _keep(path: Path, backup: Path) -> None:
    """The old file under a second name until the change is recorded: a hard link
    (no space, no copy), or a synced copy where the file system has no links."""
    try:
        os.link(path, backup)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        with open(path, "rb") as source, open(backup, "xb") as copy:
            copy.write(source.read())
            copy.flush()
            os.fsync(copy.fileno())


def _put_back(path: Path, moved: bool) -> None:
    """Undo a commit: drop the new file, and if it was already moved into place,
    bring the old one back (or remove the file there was none of)."""
    temporary, backup, marker = _hidden(path)
    temporary.unlink(missing_ok=True)
    if moved and backup.exists():
        os.replace(backup, path)
    elif moved and marker.exists():
        path.unlink(missing_ok=True)
    backup.unlink(missing_ok=True)
    marker.unlink(missing_ok=True)


def _recover(data_dir: Path, path: Path) -> None:
    """A crash between moving a file and writing its history line leaves the
    backup or the marker behind: the change is put back unless its line was
    written after all (then only the leftovers go)."""
    temporary, backup, marker = _hidden(path)
    if not (temporary.exists() or backup.exists() or marker.exists()):
        return
    try:
        # moved=False only clears the leftovers
        _put_back(path, moved=(backup.exists() or marker.exists()) and not _recorded(data_dir, path))
    except OSError as error:
        raise _write_failed(path, error) from error


def _recorded(data_dir: Path, path: Path) -> bool:
    """Whether the action's file holds the state its last history entry recorded."""
    action_id = path.name.removesuffix(".yaml")
    mine = [e for e in history.read(data_dir)[0] if e.action == action_id]
    try:
        return bool(mine) and _comparable(read_version(data_dir, action_id)[1]) == _comparable(mine[-1].after)
    except ValidationError:
        return False


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)  # make the renames in it durable
    finally:
        os.close(descriptor)


def _check(action: Action, data_dir: Path, memorandum) -> None:
    """The loader's own rules, so a saved file always loads."""
    record = action.to_yaml_dict()
    text = yamlio.dumps(record)
    shown = shown_path(action_path(data_dir, action.id))
    _, problems = validate.shape_problems(Action, yamlio.parse(text), shown, text)
    problems += validate.action_problems(
        record, f"{action.id}.yaml", shown, memorandum, text, loader.read_registry(data_dir)
    )
    if problems:
        raise Invalid(problems)


def save(
    data_dir: Path,
    action: Action,
    user: auth.User | None,
    version: str,
    *,
    memorandum=None,
    op: str | None = None,
    undoes: str | None = None,
) -> Saved:
    """Write ``action`` if ``user`` may and its file is still at ``version``
    (``ABSENT`` for a new action). Raises Forbidden, Invalid or Conflict, and
    StoreError ``write_failed`` when the disk refuses the write (nothing changed).
    A save that would change nothing but the stamps writes nothing and records no
    history entry: its ``Saved.entry`` is None."""
    data_dir = Path(data_dir)
    if not isinstance(user, auth.User):
        raise Forbidden("sign in as an editor to change the plan", "sign_in")
    with _locked(data_dir, action.id):
        _recover(data_dir, action_path(data_dir, action.id))  # a change a crash cut short is put back first
        current_version, current = read_version(data_dir, action.id)
        current_lead = (current or {}).get("lead")
        if not auth.can_edit(user, action.lead) or (
            current_lead is not None and not auth.can_edit(user, str(current_lead))
        ):
            raise Forbidden(
                f"{user.name} ({user.role}) may not change actions led by {current_lead or action.lead}",
                "not_your_side",
            )
        if current_version != version:
            raise Conflict(current, current_version)
        if current is not None and _unchanged(current, action):
            return Saved(Action.model_validate(current), current_version, None)
        if current is None and op != "undo" and action.id in history.used_ids(data_dir):
            raise StoreError(f"id {action.id} was used before; ids are never reused", "id_reused")
        stamped = action.model_copy(
            update={"updated": dt.datetime.now(dt.UTC).replace(microsecond=0), "updated_by": user.name}
        )
        _check(stamped, data_dir, memorandum)
        data = yamlio.dumps(stamped.to_yaml_dict()).encode("utf-8")
        entry = history.new_entry(
            user.name, action.id, op or ("add" if current is None else "edit"), current, stamped.to_yaml_dict(), undoes
        )
        _commit(data_dir, action_path(data_dir, action.id), data, entry)
    return Saved(stamped, hashlib.sha256(data).hexdigest(), entry)


def delete(
    data_dir: Path,
    action_id: str,
    user: auth.User | None,
    version: str,
    *,
    op: str = "delete",
    undoes: str | None = None,
) -> Saved:
    data_dir = Path(data_dir)
    if not isinstance(user, auth.User):
        raise Forbidden("sign in as an editor to change the plan", "sign_in")
    with _locked(data_dir, action_id):
        _recover(data_dir, action_path(data_dir, action_id))  # a change a crash cut short is put back first
        current_version, current = read_version(data_dir, action_id)
        if current_version == ABSENT:
            raise StoreError(f"there is no action {action_id}", "no_such_action")
        if not auth.can_edit(user, str((current or {}).get("lead"))):
            raise Forbidden(
                f"{user.name} ({user.role}) may not delete actions led by {(current or {}).get('lead')}",
                "not_your_side",
            )
        if current_version != version:
            raise Conflict(current, current_version)
        entry = history.new_entry(user.name, action_id, op, current, None, undoes)
        _commit(data_dir, action_path(data_dir, action_id), None, entry)
    return Saved(None, ABSENT, entry)


def undo(data_dir: Path, entry: history.Entry, user: auth.User | None, *, memorandum=None) -> Saved:
    """Put the action back as it was before ``entry``; refused when it has
    changed since (the later change must be undone first)."""
    version, current = read_version(data_dir, entry.action)
    try:
        changed = _comparable(current) != _comparable(entry.after)
        restored = None if entry.before is None else Action.model_validate(entry.before)
    except ValidationError:  # the file or the history line was broken by hand
        raise StoreError(
            f"{entry.action} or this history entry is not a valid action; fix the file first", "undo_invalid"
        ) from None
    if changed:
        raise StoreError(f"{entry.action} has changed since this change; undo the later changes first", "undo_blocked")
    if restored is None:
        return delete(data_dir, entry.action, user, version, op="undo", undoes=entry.id)
    return save(data_dir, restored, user, version, memorandum=memorandum, op="undo", undoes=entry.id)


def _unchanged(current: dict, action: Action) -> bool:
    """Whether the file already holds ``action`` (save stamps aside)."""
    try:
        return _comparable(current) == _comparable(action.to_yaml_dict())
    except ValidationError:  # the file on disk is broken: saving over it is a change
        return False


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
    prefix, width = max(
        ((m.group(1), len(m.group(2))) for m in numbered),
        key=lambda pw: sum(1 for m in numbered if m.group(1) == pw[0]),
    )
    highest = max((int(m.group(2)) for m in numbered if m.group(1) == prefix), default=0)
    candidate = highest + 1
    while f"{prefix}{candidate:0{width}d}" in taken:
        candidate += 1
    return f"{prefix}{candidate:0{width}d}"


def bulk_update(
    dataset: loader.Dataset, ids: list[str], changes: dict, user: auth.User | None
) -> tuple[list[str], list[tuple[str, StoreError]]]:
    """Set the same fields (status, progress) on several actions of ``dataset``, each
    saved on its own: (ids changed, (id, reason) of each refused). An action changed
    on disk since ``dataset`` was loaded is a conflict, not overwritten; one that
    already has the values is neither changed nor refused."""
    saved, refused = [], []
    for action_id in ids:
        action = dataset.action(action_id)
        if action is None or not changes:
            continue
        version = version_as_loaded(dataset.data_dir, action)
        try:
            done = save(
                dataset.data_dir, action.model_copy(update=changes), user, version, memorandum=dataset.memorandum
            )
        except StoreError as refusal:
            refused.append((action_id, refusal))
        else:
            if done.changed:
                saved.append(action_id)
    return saved, refused
