"""The append-only log of every change: ``<data>/history.jsonl``, and its index.

One JSON line per change (who, when, which action, the state before and
after), appended under an exclusive lock on the file and synced, so writers'
lines never interleave and a failed append leaves no part of its line. A line
cut short by a crash is ended by the next append; a reader skips it and says so,
and every whole line stays trustworthy.

The log is the record; beside it, ``<data>/.index/history.sqlite3`` says where each
entry starts and what it is about (who, which action or file, which day), so the
History page, undo and ``next_id`` read the few lines they need, not years of
them. The index is only ever derived from the log: each reader first indexes the
lines appended since (by anyone), and one that no longer matches the log (a
restored backup, a truncated or damaged file) or is missing is built again from
it. A data folder where it cannot be written is indexed in memory, at the old
cost of reading the whole log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from ..data.evidence import Attachment
from ..data.model import Action, Baseline, Plan, Report
from ..data.quarter_file import QuarterFile
from ..data.validate import Problem

FILE = "history.jsonl"
INDEX = ".index/history.sqlite3"  # hidden: the loader and its folder stamps never see it
FILE_MODE = 0o640  # the server's user writes, its group reads (backups), nobody else: it names every account
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
    def kind(self) -> type[Action] | type[Report] | type[Plan] | type[Baseline] | type[Attachment] | type[QuarterFile]:
        """The model of the states it holds."""
        if self.path and self.path.startswith("evidence/"):
            return Attachment
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
    descriptor = os.open(Path(data_dir) / FILE, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
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
    """Entries oldest first, and the lines that could not be read: the whole log
    (what ``validate`` checks); pages and the store ask the index instead."""
    path = Path(data_dir) / FILE
    try:
        with open(path, "rb") as log:
            fcntl.flock(log, fcntl.LOCK_SH)  # an append in progress is never read half done
            raw = log.read()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [Problem(str(path), 1, f"cannot read the history: {exc.strerror or exc}", "unreadable")]
    entries: list[Entry] = []
    notices: list[Problem] = []
    whole = raw.endswith(b"\n")
    lines = raw.split(b"\n")
    for number, line in enumerate(lines, start=1):
        entry = _parsed(line, path, number, torn=number == len(lines) and not whole, notices=notices)
        if entry is not None:
            entries.append(entry)
    return entries, notices


def _parsed(line: bytes, path: Path, number: int, *, torn: bool, notices: list[Problem]) -> Entry | None:
    """The entry of one line, or None after adding why not to ``notices`` (an empty
    line is nothing); ``torn``: the last line, with no end, as a crash leaves it."""
    if not line.strip():
        return None
    try:
        return _entry(json.loads(line))
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: absurdly nested JSON
        if torn:
            notices.append(
                Problem(str(path), number, "last line cut short (an interrupted write); skipped", "history_cut")
            )
        elif line.startswith(b'{"id": ') and not line.rstrip().endswith(b"}"):  # begun as an entry, never finished
            notices.append(
                Problem(str(path), number, "line cut short (an interrupted write); skipped", "history_cut_earlier")
            )
        else:
            notices.append(Problem(str(path), number, "not a history entry; skipped", "history_line"))
        return None


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
            and not (entry.path == "plan.yaml" or entry.path.startswith(("baselines/", "evidence/", "quarters/")))
        )
        or entry.op not in OPS
        or not all(v is None or isinstance(v, dict) for v in (entry.before, entry.after))
    ):
        raise TypeError("not a history entry")
    return entry


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


# ---- the index -----------------------------------------------------------------------

PAGE = 50  # entries the History page shows at once
_SCHEMA = 1  # PRAGMA user_version of an index this code writes; any other is built again
_TABLES = (
    # covered: the bytes of the log indexed (whole lines); tail, tail_hash: where the last
    # of them starts and its SHA-256, to see that the log is still the one indexed
    "CREATE TABLE meta (covered INTEGER NOT NULL, lines INTEGER NOT NULL, tail INTEGER NOT NULL, tail_hash BLOB)",
    "INSERT INTO meta VALUES (0, 0, 0, NULL)",
    "CREATE TABLE entries (seq INTEGER PRIMARY KEY, start INTEGER NOT NULL, length INTEGER NOT NULL,"
    " id TEXT NOT NULL, day TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, op TEXT NOT NULL,"
    " file TEXT NOT NULL)",
    "CREATE INDEX entries_action ON entries (action, seq)",
    "CREATE INDEX entries_who ON entries (who, seq)",
    "CREATE INDEX entries_file ON entries (file, seq)",
    "CREATE INDEX entries_day ON entries (day)",
    "CREATE INDEX entries_id ON entries (id)",
    # each action the log names: its id in any letter case, the title its latest entry
    # holds (JSON), how many entries name it
    "CREATE TABLE actions (action TEXT PRIMARY KEY, folded TEXT NOT NULL, title TEXT, changes INTEGER NOT NULL)",
    "CREATE INDEX actions_folded ON actions (folded)",
    "CREATE TABLE people (who TEXT PRIMARY KEY)",
    "CREATE TABLE problems (line INTEGER PRIMARY KEY, kind TEXT NOT NULL, message TEXT NOT NULL)",
)
_CHUNK = 1 << 22  # the log is indexed 4 MB at a time, whatever its size


@dataclass(frozen=True)
class Page:
    """One page of the history, newest first, and how many entries the filters choose."""

    entries: list[Entry]
    total: int


@dataclass(frozen=True)
class Summary:
    """What the History page's filters offer, without reading the entries: each action
    the log names with the title its latest entry holds (a ``{kk, ru, en}`` mapping, or
    None), who made changes, the day of the first change, and the lines not read."""

    titles: dict[str, dict | None]
    people: list[str]
    first: dt.date | None
    problems: list[Problem]


@dataclass(frozen=True)
class _Index:
    connection: sqlite3.Connection
    log: Path
    torn: Problem | None  # the log's last line, cut short by a crash


def used_ids(data_dir: Path) -> set[str]:
    """Every action id the history has seen, deleted ones included: ids are never reused."""
    with _index(data_dir) as index:
        return {action for (action,) in index.connection.execute("SELECT action FROM actions WHERE action != ''")}


def was_used(data_dir: Path, action_id: str) -> bool:
    """Whether the history has seen ``action_id`` in any letter case."""
    with _index(data_dir) as index:
        found = index.connection.execute("SELECT 1 FROM actions WHERE folded = ?", (action_id.casefold(),))
        return found.fetchone() is not None


def latest(
    data_dir: Path,
    file: str | None = None,
    *,
    under: str | None = None,
    op: str | None = None,
    before: Entry | None = None,
) -> Entry | None:
    """The last entry that changed ``file`` (``actions/po-001.yaml``), or a file whose
    path begins with ``under``, by ``op`` if given, before the entry ``before`` if given."""
    where, values = [], []
    if file is not None:
        where.append("file = ?")
        values.append(file)
    if under is not None:  # the paths from ``under`` up to the next character after its end
        where.append("file >= ? AND file < ?")
        values += [under, under[:-1] + chr(ord(under[-1]) + 1)]
    if op is not None:
        where.append("op = ?")
        values.append(op)
    if before is not None:
        where.append("seq < (SELECT seq FROM entries WHERE id = ?)")
        values.append(before.id)
    clause = " AND ".join(where) or "1"
    with _index(data_dir) as index:
        rows = index.connection.execute(
            f"SELECT start, length FROM entries WHERE {clause} ORDER BY seq DESC LIMIT 1", values
        ).fetchall()
        return next(iter(_entries_at(index.log, rows)), None)


def page(
    data_dir: Path,
    *,
    actions: Iterable[str] = (),
    people: Iterable[str] = (),
    since: dt.date | None = None,
    start: int = 0,
    size: int = PAGE,
) -> Page:
    """The entries of ``actions`` (all when empty) by ``people`` (all when empty) made on
    ``since`` or later, newest first, from the ``start``-th on: ``size`` of them."""
    actions, people = list(dict.fromkeys(actions)), list(dict.fromkeys(people))
    where, values = [], []
    if actions:
        where.append(f"action IN ({','.join('?' * len(actions))})")
        values += actions
    if people:
        where.append(f"who IN ({','.join('?' * len(people))})")
        values += people
    with _index(data_dir) as index:
        connection = index.connection
        if since is not None and since > dt.date.fromisoformat(_first_day(connection) or since.isoformat()):
            where.append("day >= ?")
            values.append(since.isoformat())
        clause = " AND ".join(where) or "1"
        rows = connection.execute(
            f"SELECT start, length FROM entries WHERE {clause} ORDER BY seq DESC LIMIT ? OFFSET ?",
            [*values, size, max(start, 0)],
        ).fetchall()
        if not where:  # counted without counting: the entries are numbered in order
            # (one min or max a query, which SQLite reads off the end of the table)
            total = connection.execute(
                "SELECT coalesce((SELECT max(seq) FROM entries) - (SELECT min(seq) FROM entries) + 1, 0)"
            ).fetchone()[0]
        elif where == [where[0]] and actions:
            query = f"SELECT coalesce(sum(changes), 0) FROM actions WHERE action IN ({','.join('?' * len(actions))})"
            total = connection.execute(query, actions).fetchone()[0]
        else:
            total = connection.execute(f"SELECT count(*) FROM entries WHERE {clause}", values).fetchone()[0]
        return Page(_entries_at(index.log, rows), total)


def summary(data_dir: Path) -> Summary:
    with _index(data_dir) as index:
        connection = index.connection
        titles = {
            action: json.loads(title) if title else None
            for action, title in connection.execute("SELECT action, title FROM actions WHERE action != ''")
        }
        people = [who for (who,) in connection.execute("SELECT who FROM people ORDER BY who")]
        first = _first_day(connection)
        problems = [
            Problem(str(index.log), line, message, kind)
            for line, kind, message in connection.execute("SELECT line, kind, message FROM problems ORDER BY line")
        ]
        return Summary(
            titles,
            people,
            dt.date.fromisoformat(first) if first else None,
            problems + ([index.torn] if index.torn else []),
        )


def _first_day(connection: sqlite3.Connection) -> str | None:
    return connection.execute("SELECT min(day) FROM entries").fetchone()[0]


def _entries_at(log: Path, rows: list[tuple[int, int]]) -> list[Entry]:
    """The entries whose lines start at these offsets of the log (appended to, never
    rewritten: an offset once indexed keeps its line)."""
    entries = []
    with suppress(OSError), open(log, "rb") as file:
        for start, length in rows:
            with suppress(ValueError, KeyError, TypeError, RecursionError):  # indexed as whole; the log may be replaced
                entries.append(_entry(json.loads(os.pread(file.fileno(), length, start))))
    return entries


@contextmanager
def _index(data_dir: Path) -> Iterator[_Index]:
    """The index of ``data_dir``'s log, brought up to date with it: in its file, built
    again when that is damaged, in memory when it cannot be written."""
    data_dir = Path(data_dir)
    log, file = data_dir / FILE, data_dir / INDEX
    attempts = [file, file, None]
    while True:
        where = attempts.pop(0)
        connection = None
        try:
            connection = _connect(where)
            torn = _catch_up(connection, log)
            break
        except (OSError, sqlite3.DatabaseError) as error:
            if connection is not None:
                connection.close()
            if where is None:
                raise
            if isinstance(error, (OSError, sqlite3.OperationalError)):  # not writable, or locked too long
                attempts = [None]
            else:  # not an index any more (a damaged file): built again
                for leftover in (file, file.with_name(file.name + "-journal")):
                    with suppress(OSError):
                        leftover.unlink()
    try:
        yield _Index(connection, log, torn)
    finally:
        connection.close()


def _connect(file: Path | None) -> sqlite3.Connection:
    """An index connection (``None``: one in memory) with the current tables."""
    if file is not None:
        file.parent.mkdir(mode=0o700, exist_ok=True)
    connection = sqlite3.connect(":memory:" if file is None else file, timeout=30, isolation_level=None)
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            connection.execute("BEGIN IMMEDIATE")
            if connection.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:  # another process may have
                tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
                for (table,) in tables:
                    connection.execute(f'DROP TABLE "{table}"')
                for statement in _TABLES:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {_SCHEMA}")
            connection.execute("COMMIT")
    except BaseException:
        connection.close()
        raise
    return connection


def _catch_up(connection: sqlite3.Connection, log: Path) -> Problem | None:
    """Index the lines appended to ``log`` since the index last saw it, or all of them
    when the index no longer matches it; returns the notice of a torn last line."""
    try:
        file = open(log, "rb")
    except FileNotFoundError:
        if connection.execute("SELECT covered FROM meta").fetchone()[0]:
            _update(connection, None, 0)  # the log was removed: so are its entries
        return None
    except OSError as exc:
        return Problem(str(log), 1, f"cannot read the history: {exc.strerror or exc}", "unreadable")
    with file:
        fcntl.flock(file, fcntl.LOCK_SH)  # an append in progress is never read half done
        size = os.fstat(file.fileno()).st_size
        if not _current(connection, file, size):
            _update(connection, file, size)
        covered, lines = connection.execute("SELECT covered, lines FROM meta").fetchone()
        rest = os.pread(file.fileno(), size - covered, covered) if size > covered else b""
    if rest.strip():  # the bytes after the last whole line: a line a crash cut short
        return Problem(str(log), lines + 1, "last line cut short (an interrupted write); skipped", "history_cut")
    return None


def _current(connection: sqlite3.Connection, file, size: int) -> bool:
    """Whether the index holds every whole line of the log (of ``size`` bytes)."""
    covered = connection.execute("SELECT covered FROM meta").fetchone()[0]
    # the log ends a line, or a torn one follows whole ones (read only then: after a crash)
    new = covered < size and (
        os.pread(file.fileno(), 1, size - 1) == b"\n" or b"\n" in os.pread(file.fileno(), size - covered, covered)
    )
    return not new and _matching(connection, file, size)


def _update(connection: sqlite3.Connection, file, size: int) -> None:
    """Bring the index up to date in one transaction (another process may have done it
    meanwhile: then nothing is left to do); started again when it no longer matches."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if file is None or not _matching(connection, file, size):
            for table in ("entries", "actions", "people", "problems"):
                connection.execute(f"DELETE FROM {table}")
            connection.execute("UPDATE meta SET covered = 0, lines = 0, tail = 0, tail_hash = NULL")
        if file is not None:
            _index_lines(connection, file, size)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _matching(connection: sqlite3.Connection, file, size: int) -> bool:
    """Whether what the index holds is still in the log: as long, its last line the same."""
    covered, tail, tail_hash = connection.execute("SELECT covered, tail, tail_hash FROM meta").fetchone()
    return covered <= size and (
        not covered or hashlib.sha256(os.pread(file.fileno(), covered - tail, tail)).digest() == tail_hash
    )


def _index_lines(connection: sqlite3.Connection, file, size: int) -> None:
    """Index the whole lines from where the index ends to ``size``, a chunk at a time."""
    covered, lines, tail, tail_hash = connection.execute("SELECT covered, lines, tail, tail_hash FROM meta").fetchone()
    carry = b""
    position = covered
    while position < size:
        chunk = carry + os.pread(file.fileno(), min(_CHUNK, size - position), position)
        position += len(chunk) - len(carry)
        end = chunk.rfind(b"\n") + 1
        whole, carry = chunk[:end], chunk[end:]
        rows: list[tuple] = []
        actions: dict[str, tuple[str | None, int]] = {}
        people: set[str] = set()
        problems: list[tuple] = []
        start = covered
        for line in whole.split(b"\n")[:-1]:
            lines += 1
            notices: list[Problem] = []
            entry = _parsed(line, Path(FILE), lines, torn=False, notices=notices)
            if entry is not None:
                rows.append(
                    (
                        start,
                        len(line) + 1,
                        entry.id,
                        entry.at.date().isoformat(),
                        entry.user,
                        entry.action,
                        entry.op,
                        entry.file,
                    )
                )
                record = entry.after or entry.before or {}
                title = record.get("title")
                known = actions.get(entry.action)
                actions[entry.action] = (
                    json.dumps(title, ensure_ascii=False) if isinstance(title, dict) else None,
                    (known or (None, 0))[1] + 1,
                )
                people.add(entry.user)
            problems += [(p.line, p.kind, p.message) for p in notices]
            tail, tail_hash = start, hashlib.sha256(line + b"\n").digest()
            start += len(line) + 1
        covered = start
        connection.executemany(
            "INSERT INTO entries (start, length, id, day, who, action, op, file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        connection.executemany(
            "INSERT INTO actions VALUES (?, ?, ?, ?) ON CONFLICT (action) DO UPDATE SET title = excluded.title,"
            " changes = changes + excluded.changes",
            [(action, action.casefold(), title, count) for action, (title, count) in actions.items()],
        )
        connection.executemany("INSERT OR IGNORE INTO people VALUES (?)", [(who,) for who in people])
        connection.executemany("INSERT OR REPLACE INTO problems VALUES (?, ?, ?)", problems)
    connection.execute(
        "UPDATE meta SET covered = ?, lines = ?, tail = ?, tail_hash = ?", (covered, lines, tail, tail_hash)
    )
