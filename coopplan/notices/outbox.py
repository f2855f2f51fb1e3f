"""The outbox: ``outbox.jsonl`` beside the accounts file, one JSON line per step of a
mail — ``queued`` (with what it says), ``sending``, then ``sent``, ``failed`` (tried
again by the next delivery) or ``refused`` (the server refused it for good: a wrong
address; not tried again). A mail's state is its last line; its key (kind, account,
and its quarter and day offset, or the change it tells of) is what makes it once.

Lines are appended whole under the file's lock and synced (as the history's are), so
queuing from a page never waits for a delivery. A delivery holds a lock of its own
for its whole run (``.outbox.lock``), so two runs, on one server or two sharing the
folder, take turns: the second finds the mails sent and sends nothing.

A crash midway: a mail whose last line is ``sending`` was perhaps handed to the server
and perhaps not; the next delivery sends it again. Nothing is lost; at worst that one
mail goes twice, with the same Message-ID (``mail.message``), so mail programs that
notice show it once.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from . import settings, smtp
from .mail import Mail

PENDING = ("queued", "sending", "failed")
FINAL = ("sent", "refused")
log = logging.getLogger(__name__)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class Delivery:
    """What one delivery did: keys sent, refused for good, failed (with why), and left for later."""

    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    left: int = 0


class Outbox:
    def __init__(self, path: Path | None = None):
        self.path = path or config.outbox_path()

    # ---- the log ----------------------------------------------------------------

    def append(self, lines: list[dict]) -> None:
        if not lines:
            return
        data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)  # it holds addresses
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            size = os.fstat(descriptor).st_size
            if size and os.pread(descriptor, 1, size - 1) != b"\n":
                data = b"\n" + data  # a line torn by a crash must not swallow these
            rest = memoryview(data)
            while rest:
                rest = rest[os.write(descriptor, rest) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def records(self) -> dict[str, dict]:
        """Each mail by key, as its lines say: what it says, its state, when, tries, the last error."""
        found: dict[str, dict] = {}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return found
        for line in raw.splitlines():
            try:
                step = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash: its mail's earlier lines still count
            if not isinstance(step, dict) or not isinstance(step.get("key"), str):
                continue
            record = found.setdefault(step["key"], {"tries": 0})
            if step.get("state") == "sending":
                record["tries"] += 1
            record.update({k: v for k, v in step.items() if k != "error" or v})
            if step.get("state") == "sent":
                record.pop("error", None)
        return found

    def queue(self, mails: list[Mail]) -> list[Mail]:
        """Put ``mails`` not known yet in the outbox; those put."""
        known = self.records()
        fresh = [m for m in mails if m.key not in known]
        self.append([{**m.record(), "state": "queued", "at": _now()} for m in fresh])
        return fresh

    # ---- delivering -------------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[None]:
        """The delivery's own lock, held for its whole run."""
        lock = self.path.with_name(f".{self.path.stem}.lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        with open(lock, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def deliver(self, server: settings.Smtp) -> Delivery:
        """Send every mail not yet sent (call it under ``running``). A server that cannot
        be reached, hangs or drops the connection ends the delivery: the mail being sent
        is marked failed, the rest stay queued; the next delivery sends them."""
        done = Delivery()
        waiting = [r for r in self.records().values() if r.get("state") in PENDING and r.get("text")]
        waiting.sort(key=lambda r: (r.get("at", ""), r["key"]))
        if not waiting:
            return done
        connection = smtp.Connection(server)
        try:
            for index, record in enumerate(waiting):
                self.append([{"key": record["key"], "state": "sending", "at": _now()}])
                try:
                    connection.send(record)
                except smtp.Refused as refusal:
                    self.append([{"key": record["key"], "state": "refused", "at": _now(), "error": str(refusal)}])
                    done.refused.append((record["key"], str(refusal)))
                except smtp.Failed as failure:
                    self.append([{"key": record["key"], "state": "failed", "at": _now(), "error": str(failure)}])
                    done.failed.append((record["key"], str(failure)))
                    if failure.connection:
                        done.left = len(waiting) - index - 1
                        log.warning(
                            "mail server %s:%s: %s; %d mail(s) left for the next run",
                            server.host,
                            server.port,
                            failure,
                            done.left,
                        )
                        break
                else:
                    self.append([{"key": record["key"], "state": "sent", "at": _now()}])
                    done.sent.append(record["key"])
        finally:
            connection.close()
        return done


class Sender:
    """A web process's background sender: a thread that delivers the outbox whenever a
    change queued mail (``wake``), so the page that made the change never waits for the
    mail server."""

    def __init__(self, outbox: Outbox | None = None):
        self._outbox = outbox
        self._due = threading.Event()
        self.delivered = threading.Event()  # set after each delivery (whatever it did), for whoever waits on it
        self._thread = threading.Thread(target=self._run, name="coopplan-mail", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._due.set()

    def _run(self) -> None:
        while True:
            self._due.wait()
            self._due.clear()
            try:
                if settings.configured():
                    box = self._outbox or Outbox()
                    with box.running():
                        box.deliver(settings.smtp())
            except Exception:  # never end the thread: the next change, or the daily run, tries again
                log.exception("sending the outbox")
            self.delivered.set()
