"""Reminders: on set days around a quarter's due date (``reporting.duties.due_date``),
each account gets one mail listing only the reports it still owes for that quarter
(its side's, narrowed to its bodies when its account names some), and each
coordinator also its side's summary: reports submitted and waiting for review,
reports missing, disagreements open.

The days are offsets from the due date, ``COOPPLAN_REMINDER_DAYS`` (default
``-10,-3,1,7``: ten and three days before, one and seven after). A reminder missed
on its day (the server was down) is sent by a later run, until the next offset's day.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .. import i18n
from ..data import loader, periods, quarter_file
from ..data.model import Action
from ..reporting import duties, quarters, review
from . import mail
from .mail import Item, Mail, inert
from .recipients import Recipient
from .settings import SettingError

DEFAULT_OFFSETS = (-10, -3, 1, 7)
LAST_WINDOW = 7  # days after the last offset's day its reminder may still be caught up


def offsets() -> tuple[int, ...]:
    """The reminder days relative to the due date, from ``COOPPLAN_REMINDER_DAYS``."""
    text = os.environ.get("COOPPLAN_REMINDER_DAYS", "").strip()
    if not text:
        return DEFAULT_OFFSETS
    try:
        found = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        found = ()
    if not found or any(abs(o) > 80 for o in found):
        raise SettingError(
            f"COOPPLAN_REMINDER_DAYS={text!r}: write days around the due date separated by commas, "
            "between -80 and 80, such as -10,-3,1,7"
        )
    return found


@dataclass(frozen=True)
class Occasion:
    """A reminder day: ``quarter``'s reports are due on ``due``; ``offset`` days from it."""

    quarter: str
    due: dt.date
    offset: int


def _quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def occasion(day: dt.date, chosen: tuple[int, ...] = DEFAULT_OFFSETS) -> Occasion | None:
    """The reminder to send on ``day``: of the quarters whose due date is near (this
    one's, the last one's, the one's before), the latest offset day on or before
    ``day``, while ``day`` is before the next offset's day (or within a week of the last)."""
    best: tuple[dt.date, Occasion] | None = None
    quarter = _quarter_of(day)
    for _ in range(3):
        due = duties.due_date(quarter)
        for index, offset in enumerate(chosen):
            first = due + dt.timedelta(days=offset)
            following = chosen[index + 1] if index + 1 < len(chosen) else offset + LAST_WINDOW
            if first <= day < due + dt.timedelta(days=following) and (best is None or first > best[0]):
                best = (first, Occasion(quarter, due, offset))
        quarter = _quarter_of(periods.parse(quarter).first_day - dt.timedelta(days=1))
    return best[1] if best else None


def _responsible(action: Action, side: str) -> list[str]:
    return list(getattr(action.responsible, side, None) or [])


def owed_by(recipient: Recipient, owed: Iterable[duties.Duty]) -> list[duties.Duty]:
    """The duties among ``owed`` that ``recipient`` still has to meet: its side's reports
    not in, on actions one of its bodies executes when it names bodies."""
    side = recipient.side
    if side is None:
        return []
    mine = set(recipient.bodies)
    return [
        d
        for d in owed
        if d.side == side and d.report is None and (not mine or mine & set(_responsible(d.action, side)))
    ]


def reminders(
    dataset: loader.Dataset, people: list[Recipient], day: dt.date, base: str, chosen: tuple[int, ...] | None = None
) -> list[Mail]:
    """The reminders due on ``day``, one mail per account that owes something or coordinates a side."""
    found = occasion(day, chosen or offsets())
    if found is None:
        return []
    closing = quarter_file.read(dataset.data_dir, found.quarter)[0]
    closed = set(closing.sides) if closing else set()
    owed = [d for d in duties.duties(dataset.actions, dataset.reports, found.quarter, day) if d.side not in closed]
    summaries: dict[str, quarters.SideState] = {}
    memo: dict = {}
    shares: dict[tuple, list[duties.Duty]] = {}  # accounts of the same side and bodies owe the same
    out = []
    for person in people:
        if not person.wants("reminder"):
            continue
        mine: list[duties.Duty] = []
        if person.coordinates is None or person.bodies:
            share = (person.side, person.bodies)
            if share not in shares:
                shares[share] = owed_by(person, owed)
            mine = shares[share]
        side = person.coordinates
        summary = None
        if side is not None and side not in closed:
            if not summaries:
                summaries = quarters.state(dataset, found.quarter, day)
            summary = summaries[side]
        if not mine and summary is None:
            continue
        out.append(_render(dataset, person, found, day, mine, summary, base, memo))
    return out


def _render(
    dataset: loader.Dataset,
    person: Recipient,
    found: Occasion,
    day: dt.date,
    mine: list[duties.Duty],
    summary: quarters.SideState | None,
    base: str,
    memo: dict,
) -> Mail:
    lang = person.lang
    label = periods.parse(found.quarter).label(lang)
    due = i18n.date(found.due, lang)
    days = (found.due - day).days
    key = f"reminder/{person.name}/{found.quarter}/{found.offset:+d}"
    if mine:
        head = "mail.reminder.subject_before" if days >= 0 else "mail.reminder.subject_after"
        title = mail.subject(lang, head, len(mine), quarter=label, due=due)
    else:
        title = mail.subject(lang, "mail.summary.subject", quarter=label, due=due)
    out = Mail(key, person.name, person.email, lang, "reminder", title)
    out.say("mail.greeting")
    if days > 0:
        out.say("mail.reminder.before", days, quarter=label, due=due)
    elif days == 0:
        out.say("mail.reminder.today", quarter=label, due=due)
    else:
        out.say("mail.reminder.after", -days, quarter=label, due=due)
    if mine:
        out.say("mail.reminder.owed", len(mine))
        for duty in sorted(mine, key=lambda d: d.action.id):
            out.item(_item(dataset, duty.action, lang, duty.side, found.quarter, base, person.bodies, memo))
    if summary is not None:
        _summary(dataset, out, summary, found.quarter, base, memo)
    return out.sign()


def _item(
    dataset: loader.Dataset,
    action: Action,
    lang: str,
    side: str,
    quarter: str,
    base: str,
    bodies: tuple[str, ...],
    memo: dict,
) -> Item:
    """An owed report's line in a mail: the same for every account of the same bodies
    and language, so a run (``memo``) makes each once."""
    key = (action.id, lang, side, quarter, base, bodies)
    if key not in memo:
        memo[key] = _made_item(dataset, action, lang, side, quarter, base, bodies)
    return memo[key]


def _made_item(
    dataset: loader.Dataset, action: Action, lang: str, side: str, quarter: str, base: str, bodies: tuple[str, ...]
) -> Item:
    title = action.title.get(lang)[0]
    executing = dataset.bodies.names([b for b in _responsible(action, side) if not bodies or b in bodies], lang)
    line = mail.sentence(lang, "mail.bodies", bodies="; ".join(executing)) if executing else ""
    return Item(inert(action.id, 40), inert(title, 300), line, mail.report_link(base, lang, quarter, action.id, side))


def _summary(
    dataset: loader.Dataset, out: Mail, summary: quarters.SideState, quarter: str, base: str, memo: dict
) -> None:
    lang = out.lang
    out.heading("mail.summary.heading", side=i18n.t(lang, f"lead.{summary.side}"))
    disagreements = [p for p in summary.pending if p.kind == "disagreement_open"]
    out.say("mail.summary.counts", summary.owed, accepted=summary.accepted)
    _count(out, "mail.summary.waiting", summary.submitted)
    for report in (r for r in quarters.waiting(dataset, summary.side) if r.period == quarter):
        action = dataset.action(report.action)
        if action is not None:
            state = review.state_of(report) or "submitted"
            line = mail.sentence(lang, f"mail.state.{state}")
            item = _item(dataset, action, lang, summary.side, quarter, base, (), memo)
            out.item(Item(item.number, item.title, line, item.link))
    _count(out, "mail.summary.missing", summary.missing)
    _count(out, "mail.summary.disagreements", len(disagreements))
    for pending in disagreements:
        action = dataset.action(pending.action)
        if action is not None:
            item = _item(dataset, action, lang, summary.side, quarter, base, (), memo)
            out.item(Item(item.number, item.title, "", mail.report_link(base, lang, quarter)))


def _count(out: Mail, key: str, count: int) -> None:
    """A count's sentence, or its own sentence for none (no «0 reports:» before an empty list)."""
    if count:
        out.say(key, count)
    else:
        out.say(f"{key}_none")
