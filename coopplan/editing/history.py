"""The append-only log of every change: ``<data>/history.jsonl``.

One JSON line per change (who, when, which action, the state before and
after), appended under an exclusive lock on the file and synced, so writers'
lines never interleave and a failed append leaves no part of its line. A line
cut short by a crash is ended by the next append; a reader skips it and says so,
and every whole line stays trustworthy.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..data.model import Action, Baseline, Plan, Report
from ..data.quarter_file import QuarterFile
from ..data.validate import Problem

FILE = "history.jsonl"
# "sync": an action's status, progress and indicators set from its reports by the store;
# "approve": the plan approved (plan.yaml), a baseline frozen beside it ("add")
# "submit", "accept", "return": a report's review (``reporting.review``); "close", "reopen",
# "settle": a quarter's closing file (``quarters/<quarter>.yaml``)
OPS = ("add", "edit", "delete", "undo", "sync", "approve", "submit", "accept", "return", "close", "reopen", "settle")


@dataclass(frozen=True)
class Entry:
    """One change of one file: an action's, one of its reports' (``report`` its key,
    ``2026-Q3/po-001-omsk``), or the plan's own (``path``: ``plan.yaml``,
    ``baselines/001.yaml``; ``action`` is then empty)."""

    id: str
    at: dt.datetime
    user: str
    action: str
    op: str
    before: dict | None
    after: dict | None
    undoes: str | None = None
    report: str | None = None
    path: str | None = None

    @property
    def kind(self) -> type[Action] | type[Report] | type[Plan] | type[Baseline]:
        """The model of the states it holds."""
        if self.path:
            if self.path.startswith("quarters/"):
                return QuarterFile
            return Plan if self.path == "plan.yaml" else Baseline
        return Report if self.report else Action

    @property
    def file(self) -> str:
        """The changed file, from the data folder on."""
        if self.path:
            return self.path
        return f"reports/{self.report}.yaml" if self.report else f"actions/{self.action}.yaml"

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "at": self.at.isoformat(),
                "user": self.user,
                "action": self.action,
                "op": self.op,
                "before": self.before,
                "after": self.after,
                **({"undoes": self.undoes} if self.undoes else {}),
                **({"report": self.report} if self.report else {}),
                **({"path": self.path} if self.path else {}),
            },
            ensure_ascii=False,
            default=str,
        )


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object


def new_entry(
    user: str,
    action: str,
    op: str,
    before: dict | None,
    after: dict | None,
    undoes: str | None = None,
    report: str | None = None,
    path: str | None = None,
) -> Entry:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return Entry(secrets.token_hex(8), now, user, action, op, before, after, undoes, report, path)


def append(data_dir: Path, entry: Entry) -> None:
    """Append one whole line and make it durable, or raise OSError with the file as it was."""
    line = (entry.to_json() + "\n").encode("utf-8")
    descriptor = os.open(Path(data_dir) / FILE, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # appenders take turns: the end of the file is this writer's alone
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            line = b"\n" + line  # a line torn by a crash must not swallow this one
        try:
            rest = memoryview(line)
            while rest:  # after a short write the next one reports why (a full disk)
                rest = rest[os.write(descriptor, rest) :]
            os.fsync(descriptor)
        except OSError:
            os.ftruncate(descriptor, size)
            raise
    finally:
        os.close(descriptor)


def read(data_dir: Path) -> tuple[list[Entry], list[Problem]]:
    """Entries oldest first, and the lines that could not be read."""
    path = Path(data_dir) / FILE
    try:
        with open(path, "rb") as log:
            fcntl.flock(log, fcntl.LOCK_SH)  # an append in progress is never read half done
            raw = log.read()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(str(path), 1, f"cannot read the history: {exc.strerror or exc}", "unreadable")]
    entries, notices = [], []
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(_entry(json.loads(line)))
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: absurdly nested JSON
            if number == len(lines) and not raw.endswith(b"\n"):
                notices.append(
                    Problem(str(path), number, "last line cut short (an interrupted write); skipped", "history_cut")
                )
            elif line.startswith(b'{"id": ') and not line.rstrip().endswith(b"}"):  # begun as an entry, never finished
                notices.append(
                    Problem(str(path), number, "line cut short (an interrupted write); skipped", "history_cut_earlier")
                )
            else:
                notices.append(Problem(str(path), number, "not a history entry; skipped", "history_line"))
    return entries, notices


def _entry(data: dict) -> Entry:
    """An entry from one parsed line; TypeError when a field has the wrong type
    (a page must be able to show, diff and undo every entry it gets)."""
    entry = Entry(
        data["id"],
        dt.datetime.fromisoformat(data["at"]),
        data["user"],
        data["action"],
        data["op"],
        data.get("before"),
        data.get("after"),
        data.get("undoes"),
        data.get("report"),
        data.get("path"),
    )
    if (
        not all(isinstance(v, str) for v in (entry.id, entry.user, entry.action))
        or not all(v is None or isinstance(v, str) for v in (entry.report, entry.path))
        or (
            entry.path is not None
            and not (entry.path == "plan.yaml" or entry.path.startswith(("baselines/", "quarters/")))
        )
        or entry.op not in OPS
        or not all(v is None or isinstance(v, dict) for v in (entry.before, entry.after))
    ):
        raise TypeError("not a history entry")
    return entry


def used_ids(data_dir: Path) -> set[str]:
    """Every action id the history has seen, deleted ones included: ids are never reused."""
    return {entry.action for entry in read(data_dir)[0] if entry.action}


def diff(before: dict | None, after: dict | None, kind: type = Action) -> list[Change]:
    """Field-by-field difference of two states of an action (or of another ``kind``),
    ``updated`` stamps left out; texts and other mappings by their keys («title.ru»),
    so a change reads as one."""
    before, after = before or {}, after or {}
    changes = []
    for name in kind.model_fields:
        old, new = before.get(name), after.get(name)
        if name in ("updated", "updated_by") or old == new:
            continue
        if kind is Baseline and name == "actions":  # a version's actions: how many, not each one
            changes.append(Change(name, len(old) if old else None, len(new) if new else None))
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            changes += [
                Change(f"{name}.{key}", old.get(key), new.get(key))
                for key in dict.fromkeys([*old, *new])
                if old.get(key) != new.get(key)
            ]
        else:
            changes.append(Change(name, old, new))
    return changes
