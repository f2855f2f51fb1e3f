"""The store's transaction, apart from its rules: a file changed with its history
line, both or neither.

Each change runs under a lock of its own name (an action's id, the plan's), finds and
puts back what a crash cut short (``recover``), reads the file's version, and then
(``write``) writes nothing and records nothing when the new content is the old one
but for the save stamps, or else commits: the new file is written to a hidden
temporary and synced, the old one stays reachable under a hidden ``.bak`` name (a
hard link, or the renamed file for a delete; a ``.new`` mark when there was none),
then the new file is renamed into place, the folder synced and the history line
appended. If a step fails, the old file is put back and the history left as it was,
and the refusal says so (``write_failed``). If the process dies between the rename
and the history line, the next change under that lock finds the backup and puts the
old file back first. ``editing.store`` holds the rules (rights, validity, ids, the
reports' figures) and writes through here."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
from collections.abc import Callable
from contextlib import contextmanager, suppress
from pathlib import Path

from pydantic import ValidationError

from ..data import loader, yamlio
from ..data.evidence import Attachment
from ..data.files import NotAFile, open_regular, shown_path
from ..data.model import Action, Baseline, Plan, Report
from ..data.quarter_file import QuarterFile
from ..data.validate import Problem
from . import history

ABSENT = "absent"  # the version of a file that is not there (yet, or any more)
# What the store makes is the server's user's and group's only (the history names every
# account, which is half of a password guess): files rw-r-----, folders rwxr-x---.
FILE_MODE = history.FILE_MODE
FOLDER_MODE = 0o750
# what a data file holds
Kind = type[Action] | type[Report] | type[Baseline] | type[Plan] | type[Attachment] | type[QuarterFile]


class StoreError(Exception):
    """A refused change; ``message`` says why in English, ``kind`` names the
    reason as ``validate.Problem.kind`` does, for pages to say it in theirs."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.message = message
        self.kind = kind


class Invalid(StoreError):
    def __init__(self, problems: list[Problem]):
        kinds = {p.kind for p in problems}
        # one kind of problem is refused as that kind, so a page can give its advice
        super().__init__("; ".join(p.message for p in problems), kinds.pop() if len(kinds) == 1 else "invalid")
        self.problems = problems


class Forbidden(StoreError):
    pass


class Conflict(StoreError):
    """The file changed since the editor opened it: ``current`` is what is there now."""

    def __init__(self, current: dict | None, current_version: str):
        super().__init__("this action was changed by someone else since you opened it", "conflict")
        self.current = current
        self.current_version = current_version


def action_path(data_dir: Path, action_id: str) -> Path:
    return Path(data_dir) / loader.ACTIONS / f"{action_id}.yaml"


def report_path(data_dir: Path, key: str) -> Path:
    """The file of the report ``2026-Q3/po-001-omsk``."""
    return Path(data_dir) / loader.REPORTS / f"{key}.yaml"


def read_version(data_dir: Path, action_id: str) -> tuple[str, dict | None]:
    """(version, record) of an action's file as it is now; StoreError when the
    name holds something that is not a readable file."""
    return read(action_path(data_dir, action_id))


def read_report_version(data_dir: Path, key: str) -> tuple[str, dict | None]:
    """(version, record) of a report's file as it is now (``ABSENT`` when there is none)."""
    return read(report_path(data_dir, key))


def read(path: Path) -> tuple[str, dict | None]:
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


def write_failed(path: Path, error: OSError) -> StoreError:
    return StoreError(
        f"cannot write {shown_path(path)}: {error.strerror or error}; nothing was changed", "write_failed"
    )


@contextmanager
def locked(data_dir: Path, action_id: str):
    lock = Path(data_dir) / ".locks" / f"{action_id}.lock"
    try:  # the first write of a save: a read-only or full data folder is refused here
        lock.parent.mkdir(mode=FOLDER_MODE, exist_ok=True)
        handle = open(lock, "a+b", opener=_private)
    except OSError as error:
        raise write_failed(lock, error) from error
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def loadable(path: Path, data: bytes) -> None:
    """Refuse to write what the loader would refuse to read (its size, nesting, YAML):
    every write passes here, so no path can leave a file that vanishes from the pages
    and that undo can no longer read."""
    try:
        yamlio.loads(data, loader.size_limit(path))
    except yamlio.YamlError as error:
        message = f"the file would not load again: {error.message}; shorten its texts or lists"
        kind = "write_too_large" if error.kind == "too_large" else error.kind  # advice for an editor, not a file
        raise Invalid([Problem(shown_path(path), max(error.line, 1), message, kind)]) from None


def commit(data_dir: Path, path: Path, data: bytes | None, entry: history.Entry) -> None:
    """Put ``data`` at ``path`` (``None`` removes the file) and record ``entry``:
    both or neither. Runs under the action's lock, which makes the hidden names
    below this commit's alone."""
    if data is not None:
        loadable(path, data)
    temporary, backup, marker = _hidden(path)
    existed, moved, failing = path.exists(), False, path
    try:
        if data is not None:
            with created(temporary) as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if not existed:
            created(marker).close()  # says: there was no file before
        elif data is None:
            os.replace(path, backup)
        else:
            _keep(path, backup)
        if data is not None:
            os.replace(temporary, path)
        moved = True
        sync_folder(path.parent)
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
            raise write_failed(failing, error) from error
        raise
    with suppress(OSError):  # made and recorded; were this left, the next commit would clear it
        backup.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
    for observer in observers:
        try:
            observer(Path(data_dir), entry)
        except Exception:  # the change is made and recorded: what follows from it never undoes it
            logging.getLogger(__name__).exception("after %s of %s", entry.op, entry.file)


# Who hears of each change once it is made and recorded: a layer above registers here
# (``notices.events`` queues the mails a change calls for), so the store imports none of them.
observers: list[Callable[[Path, history.Entry], None]] = []


def _private(path: str, flags: int) -> int:
    """``open``'s opener for what the store makes: readable by the server's user and group only."""
    return os.open(path, flags, FILE_MODE)


def created(path: Path):
    """A new file (never an existing one), readable by the server's user and group only."""
    return open(path, "xb", opener=_private)


def _hidden(path: Path) -> tuple[Path, Path, Path]:
    """The new file being written, the old file kept, the mark that there was none.
    Hidden (the loader skips them) and fixed, so a crash's leftovers are found
    without listing the folder."""
    temporary, backup, marker = (path.with_name(f".{path.name}.{suffix}") for suffix in ("tmp", "bak", "new"))
    return temporary, backup, marker


def _keep(path: Path, backup: Path) -> None:
    """The old file under a second name until the change is recorded: a hard link
    (no space, no copy), or a synced copy where the file system has no links."""
    try:
        os.link(path, backup)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        with open(path, "rb") as source, created(backup) as copy:
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


def recover(data_dir: Path, path: Path) -> None:
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
        raise write_failed(path, error) from error


def _recorded(data_dir: Path, path: Path) -> bool:
    """Whether the file holds the state its last history entry recorded."""
    file = path.relative_to(data_dir).as_posix()
    last = history.latest(data_dir, file)
    try:
        return last is not None and comparable(read(path)[1], last.kind) == comparable(last.after, last.kind)
    except ValidationError:
        return False


def sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)  # make the renames in it durable
    finally:
        os.close(descriptor)


def comparable(record: dict | None, kind: Kind = Action) -> dict | None:
    """The content of a state, without the save stamps."""
    if record is None:
        return None
    return {k: v for k, v in kind.model_validate(record).to_yaml_dict().items() if k not in ("updated", "updated_by")}


def unchanged(current: dict | None, record: dict, kind: Kind) -> bool:
    """Whether the file's ``current`` content already holds ``record`` (save stamps aside)."""
    if current is None:
        return False
    try:
        return comparable(current, kind) == comparable(record, kind)
    except ValidationError:  # the file on disk is broken: writing over it is a change
        return False


def changed(
    data_dir: Path, path: Path, kind: Kind, current: dict | None, record: dict, entry: Callable[[], history.Entry]
) -> tuple[bytes, history.Entry] | None:
    """The one versioned write of a record: nothing changed, nothing written and
    nothing recorded (None); else ``record`` committed at ``path`` with the history
    entry ``entry()`` makes, and (the bytes written, that entry). Runs under the
    file's lock, after the caller has checked its version and its rules."""
    if unchanged(current, record, kind):
        return None
    data = yamlio.dumps(record).encode("utf-8")
    made = entry()
    commit(data_dir, path, data, made)
    return data, made
