"""Notices of what happened, decided from the store's own record of each change (a
``history.Entry``) at the moment it is made:

- a report returned → its author (who last saved it), with the coordinator's note;
- a report submitted → its side's coordinators;
- a report accepted → its author;
- a joint action's two reports coming to disagree → both sides' coordinators;
- a side closing its half of a quarter → the other side's coordinators;
- the plan approved, or approved again as amended → every coordinator.

Nobody is told of what they did themselves. ``listen`` registers ``queue`` with the
store (``editing.transaction.observers``): the mails go into the outbox at once, and
are sent by the next ``notify`` run, or at once by a web process's background sender
(``outbox.Sender``), so a slow mail server never slows a page.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pydantic import ValidationError

from .. import i18n
from ..data import periods, standing
from ..data.model import REGIONS, Action, Report
from ..editing import history, transaction
from ..reporting import review
from . import mail, outbox
from .mail import Item, Mail, inert
from .recipients import Recipient, recipients
from .settings import public_url

log = logging.getLogger(__name__)


def notices(data_dir: Path, entry: history.Entry, people: list[Recipient], base: str) -> list[Mail]:
    """The mails ``entry`` calls for, to those of ``people`` who want them."""
    if entry.report and isinstance(entry.after, dict):
        found = _report_notices(data_dir, entry, people, base)
    elif entry.path and entry.path.startswith("quarters/") and entry.op == "close":
        found = _closed(entry, people, base)
    elif entry.path == "plan.yaml" and entry.op == "approve":
        found = _plan(entry, people, base)
    else:
        found = []
    return [m for m in found if m.account != entry.user]


def _mail(person: Recipient, kind: str, entry: history.Entry, key: str, **fields: object) -> Mail:
    title = mail.subject(person.lang, key, None, **fields)
    return Mail(f"{kind}/{person.name}/{entry.id}", person.name, person.email, person.lang, kind, title)


def _coordinators(people: list[Recipient], sides: tuple[str, ...], kind: str) -> list[Recipient]:
    return [p for p in people if p.coordinates in sides and p.wants(kind)]


def _report(record: dict | None) -> Report | None:
    try:
        return Report.model_validate(record) if isinstance(record, dict) else None
    except ValidationError:
        return None


def _action(data_dir: Path, action_id: str) -> Action | None:
    try:
        return Action.model_validate(transaction.read_version(data_dir, action_id)[1])
    except (ValidationError, transaction.StoreError):
        return None


def _report_notices(data_dir: Path, entry: history.Entry, people: list[Recipient], base: str) -> list[Mail]:
    after = _report(entry.after)
    before = _report(entry.before)
    action = _action(data_dir, entry.action)
    if after is None or action is None:
        return []
    was, now = review.state_of(before), review.state_of(after)
    found: list[Mail] = []
    author = (before.updated_by if before else None) or after.updated_by
    if now != was and now in ("returned", "accepted"):
        for person in (p for p in people if p.name == author and p.wants(now)):
            found.append(_about(person, now, entry, action, after, base))
    if now == "submitted" and was != "submitted":
        for person in _coordinators(people, (after.side,), "submitted"):
            found.append(_about(person, "submitted", entry, action, after, base))
    differing = _newly_disagreeing(data_dir, action, before, after)
    if differing is not None:
        for person in _coordinators(people, REGIONS, "disagreement"):
            found.append(_about(person, "disagreement", entry, action, after, base, differing))
    return found


def _newly_disagreeing(
    data_dir: Path, action: Action, before: Report | None, after: Report
) -> standing.Disagreement | None:
    """The disagreement this write made between the two sides' reports on a joint action, if it made one."""
    if action.lead != "joint":
        return None
    other_side = next(s for s in REGIONS if s != after.side)
    other = _report(transaction.read_report_version(data_dir, f"{after.period}/{action.id}-{other_side}")[1])
    if other is None:
        return None
    now = standing.disagreement(action, [after, other])
    was = standing.disagreement(action, [before, other]) if before is not None else None
    return now if was is None else None


def _about(
    person: Recipient,
    kind: str,
    entry: history.Entry,
    action: Action,
    report: Report,
    base: str,
    differing: standing.Disagreement | None = None,
) -> Mail:
    lang = person.lang
    quarter = periods.parse(report.period).label(lang)
    side = i18n.t(lang, f"lead.{report.side}")
    out = _mail(person, kind, entry, f"mail.{kind}.subject", number=action.id, quarter=quarter)
    out.say("mail.greeting")
    out.say(f"mail.{kind}.body", quarter=quarter, side=side, who=entry.user)
    link = mail.report_link(base, lang, report.period, action.id, report.side)
    line = ""
    if kind == "returned":
        line = mail.sentence(lang, "mail.returned.note", note=report.note or "")
    elif differing is not None:
        line = mail.sentence(
            lang,
            "mail.disagreement.figures",
            pavlodar=i18n.t(lang, f"status.{differing.pavlodar.status}"),
            pavlodar_progress=i18n.percent(differing.pavlodar.progress / 100, lang),
            omsk=i18n.t(lang, f"status.{differing.omsk.status}"),
            omsk_progress=i18n.percent(differing.omsk.progress / 100, lang),
        )
        link = mail.report_link(base, lang, report.period)
    out.item(Item(inert(action.id, 40), inert(action.title.get(lang)[0], 300), line, link))
    return out.sign()


def _closed(entry: history.Entry, people: list[Recipient], base: str) -> list[Mail]:
    before = (entry.before or {}).get("sides") or {}
    after = (entry.after or {}).get("sides") or {}
    quarter_id = str((entry.after or {}).get("quarter", ""))
    found = []
    for side in (s for s in REGIONS if s in after and s not in before):
        other = next(s for s in REGIONS if s != side)
        for person in _coordinators(people, (other,), "closed"):
            lang = person.lang
            quarter = periods.parse(quarter_id).label(lang)
            name = i18n.t(lang, f"lead.{side}")
            out = _mail(person, "closed", entry, "mail.closed.subject", side=name, quarter=quarter)
            out.say("mail.greeting").say("mail.closed.body", side=name, quarter=quarter, who=entry.user)
            out.say("mail.closed.link")
            out.item(Item(quarter_id, quarter, "", mail.report_link(base, lang, quarter_id)))
            found.append(out.sign())
    return found


def _plan(entry: history.Entry, people: list[Recipient], base: str) -> list[Mail]:
    amended = (entry.before or {}).get("status") == "approved"
    key = "amended" if amended else "approved"
    on = (entry.after or {}).get("approved_on")
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on)) if on else entry.at.date()
    found = []
    for person in _coordinators(people, REGIONS, "plan"):
        date = i18n.date(day, person.lang)
        out = _mail(person, "plan", entry, f"mail.plan.{key}.subject", date=date)
        out.say("mail.greeting").say(f"mail.plan.{key}.body", date=date, who=entry.user)
        out.say("mail.plan.link")
        out.item(Item("—", i18n.t(person.lang, "nav.changes"), "", mail.page_link(base, "changes", person.lang)))
        found.append(out.sign())
    return found


def queue(data_dir: Path, entry: history.Entry) -> None:
    """Put the mails ``entry`` calls for into the outbox (the store's observer)."""
    people = recipients()
    if not people:
        return
    found = notices(data_dir, entry, people, public_url())
    if found:
        outbox.Outbox().queue(found)
        if _sender is not None:
            _sender.wake()


_sender: outbox.Sender | None = None


def listen(background: bool = False) -> None:
    """Queue event notices at every change this process makes; with ``background``
    (the web process, when SMTP is configured) also send them at once from a thread."""
    global _sender
    if queue not in transaction.observers:
        transaction.observers.append(queue)
    if background and _sender is None:
        _sender = outbox.Sender()
