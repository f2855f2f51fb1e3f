"""The plan as a calendar (iCalendar, RFC 5545), written with the icalendar package.

Each action is an all-day event over its whole period. Its UID comes from the
action's id, so importing the file again updates the events instead of
duplicating them.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from .. import i18n
from ..data.bodies import EMPTY, Registry
from ..data.model import Action, Memorandum, area_names

UID_DOMAIN = "pavlodar-omsk.coopplan"
_STATUS = {
    "planned": "TENTATIVE",
    "in_progress": "CONFIRMED",
    "done": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def uid(action_id: str) -> str:
    return f"{action_id}@{UID_DOMAIN}"


def build(
    actions: list[Action],
    memo: Memorandum | None,
    lang: str,
    now: dt.datetime | None = None,
    bodies: Registry = EMPTY,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Pavlodar–Omsk cooperation plan//coopplan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", i18n.t(lang, "app.title"))
    stamp = now or dt.datetime.now(dt.UTC)
    names = area_names(memo, lang)
    for action in actions:
        event = Event()
        event.add("uid", uid(action.id))
        event.add("dtstamp", stamp)
        if action.updated is not None:
            event.add("last-modified", action.updated)
        event.add("summary", action.title(lang))
        event.add("dtstart", action.start_period.first_day)
        event.add("dtend", action.end_period.last_day + dt.timedelta(days=1))  # DTEND is exclusive
        lines = [
            f"{i18n.t(lang, 'col.period')}: {action.period_label(lang)}",
            f"{i18n.t(lang, 'col.status')}: {i18n.t(lang, f'status.{action.status}')}",
            f"{i18n.t(lang, 'col.bodies_pavlodar')}: {'; '.join(bodies.names(action.responsible.pavlodar, lang)) or '—'}",
            f"{i18n.t(lang, 'col.bodies_omsk')}: {'; '.join(bodies.names(action.responsible.omsk, lang)) or '—'}",
            f"{i18n.t(lang, 'col.outcome')}: {action.outcome(lang)}",
        ]
        if action.description is not None:
            lines.insert(0, action.description(lang))
        event.add("description", "\n".join(lines))
        if action.location is not None:
            event.add("location", action.location(lang))
        event.add("status", _STATUS[action.status])
        event.add("categories", [names[action.area]])
        calendar.add_component(event)
    return calendar.to_ical()
