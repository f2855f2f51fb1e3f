"""The plan as a calendar: an event per action over its whole period, in the event's
language. The actions are the tests' plan's, given the fields a test is about (no id
named), so the module holds over any valid plan."""

import datetime as dt

from icalendar import Calendar

from coopplan.data import loader
from coopplan.exchange import calendar_ics
from tests.helpers import DATA

DATASET = loader.load(DATA)


def events(actions=None, lang="ru"):
    chosen = DATASET.actions if actions is None else actions
    return Calendar.from_ical(calendar_ics.build(chosen, DATASET.memorandum, lang, bodies=DATASET.bodies)).walk(
        "VEVENT"
    )


def an_action(**fields):
    """An action of the tests' plan with ``fields`` laid over it."""
    return DATASET.actions[0].model_copy(update=fields)


def test_one_event_per_action_with_a_stable_uid():
    parsed = events()
    assert [str(e["UID"]) for e in parsed] == [f"{a.id}@pavlodar-omsk.coopplan" for a in DATASET.actions]
    again = Calendar.from_ical(calendar_ics.build(DATASET.actions, DATASET.memorandum, "en")).walk("VEVENT")
    assert [e["UID"] for e in again] == [e["UID"] for e in parsed]


def test_events_cover_the_whole_period():
    [quarter] = events([an_action(start="2026-Q2", end="2027-Q4")])
    assert quarter.decoded("DTSTART") == dt.date(2026, 4, 1)
    assert quarter.decoded("DTEND") == dt.date(2028, 1, 1)  # exclusive
    [day] = events([an_action(start="2026-04-17", end="2026-04-17")])
    assert day.decoded("DTSTART") == dt.date(2026, 4, 17) and day.decoded("DTEND") == dt.date(2026, 4, 18)


def test_event_texts_in_the_language():
    action = an_action(
        status="in_progress",
        responsible=DATASET.actions[0].responsible.model_copy(update={"omsk": ["omsk-natural-resources"]}),
    )
    [event] = events([action], "kk")
    assert str(event["SUMMARY"]) == action.title("kk")
    # the bodies by their names in the event's language
    assert "Омбы облысының табиғи ресурстар және экология министрлігі" in str(event["DESCRIPTION"])
    assert "omsk-natural-resources" not in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    [cancelled] = events([an_action(status="cancelled")])
    assert str(cancelled["STATUS"]) == "CANCELLED"
