import datetime as dt

from icalendar import Calendar

from coopplan.data import loader
from coopplan.exchange import calendar_ics
from tests.helpers import DATA

DATASET = loader.load(DATA)


def events(lang="ru"):
    return Calendar.from_ical(
        calendar_ics.build(DATASET.actions, DATASET.memorandum, lang, bodies=DATASET.bodies)
    ).walk("VEVENT")


def test_one_event_per_action_with_a_stable_uid():
    parsed = events()
    assert [str(e["UID"]) for e in parsed] == [f"{a.id}@pavlodar-omsk.coopplan" for a in DATASET.actions]
    again = Calendar.from_ical(calendar_ics.build(DATASET.actions, DATASET.memorandum, "en")).walk("VEVENT")
    assert [e["UID"] for e in again] == [e["UID"] for e in parsed]


def test_events_cover_the_whole_period():
    by_uid = {str(e["UID"]).split("@")[0]: e for e in events()}
    quarter = by_uid["po-002"]  # 2026-Q2 .. 2027-Q4
    assert quarter.decoded("DTSTART") == dt.date(2026, 4, 1)
    assert quarter.decoded("DTEND") == dt.date(2028, 1, 1)  # exclusive
    day = by_uid["po-019"]
    assert day.decoded("DTSTART") == dt.date(2026, 4, 17) and day.decoded("DTEND") == dt.date(2026, 4, 18)


def test_event_texts_in_the_language():
    event = {str(e["UID"]).split("@")[0]: e for e in events("kk")}["po-011"]
    assert str(event["SUMMARY"]) == DATASET.action("po-011").title("kk")
    # the bodies by their names in the event's language
    assert "Омбы облысының табиғи ресурстар және экология министрлігі" in str(event["DESCRIPTION"])
    assert "omsk-natural-resources" not in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    cancelled = {str(e["UID"]).split("@")[0]: e for e in events()}["po-031"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
