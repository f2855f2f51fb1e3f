"""The daily run (``python -m coopplan notify``): decide the reminders due on the day,
queue those not in the outbox yet, and deliver everything waiting there (the event
notices queued since, and any mail a failed server left), all under the outbox's
delivery lock; and what such a run would send, for ``--dry-run`` and the
coordinators' preview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..data import loader
from . import reminders, settings
from .mail import Mail
from .outbox import PENDING, Delivery, Outbox
from .recipients import recipients


@dataclass
class Outcome:
    """What a run decided (``new``: the reminders it queued), what was waiting already, and what it sent."""

    new: list[Mail] = field(default_factory=list)
    waiting: list[dict] = field(default_factory=list)
    delivery: Delivery | None = None


def due(dataset: loader.Dataset, day: dt.date, box: Outbox, base: str) -> list[Mail]:
    """The reminders due on ``day`` not yet in the outbox."""
    people = recipients()
    if not people:
        return []
    found = reminders.reminders(dataset, people, day, base)
    known = box.records()
    return [m for m in found if m.key not in known]


def preview(dataset: loader.Dataset, day: dt.date, box: Outbox | None = None) -> Outcome:
    """What a run on ``day`` would send, touching nothing: new reminders, and the mails waiting in the outbox."""
    box = box or Outbox()
    waiting = [r for r in box.records().values() if r.get("state") in PENDING]
    return Outcome(due(dataset, day, box, settings.public_url()), waiting)


def notify(data_dir: Path, day: dt.date, box: Outbox | None = None) -> Outcome:
    """Queue the reminders due on ``day`` and deliver the outbox; SettingError when mail is not set up."""
    reminders.offsets()  # a wrong setting is said before anything is sent
    server = settings.smtp()
    base = settings.check_public_url()
    box = box or Outbox()
    with box.running():
        new = box.queue(due(loader.load(data_dir), day, box, base))
        return Outcome(new, [], box.deliver(server))
