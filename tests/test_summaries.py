"""Headline figures and short lists: what is overdue or coming, counts per area, lead,
year and status, progress per area, and the bodies that carry the plan."""

import datetime as dt
import math

from coopplan.data import loader
from coopplan.data.model import AREA_IDS, LEADS, OPEN_STATUSES
from coopplan.views import summaries
from coopplan.views.frame import actions_frame
from tests.helpers import DATA, frame_of, valid_action

ASOF = dt.date(2026, 11, 30)
FRAME = actions_frame(loader.load(DATA).actions)


def plan(**cases: dict):
    """A frame of one action per case, its id the case's name."""
    return frame_of(*(valid_action(name, **changes) for name, changes in cases.items()))


def test_overdue_is_open_actions_ended_before_the_date_longest_late_first():
    frame = plan(
        late=dict(start="2026-Q1", end="2026-Q2", status="in_progress"),
        later=dict(start="2026-Q1", end="2026-03", status="planned"),
        done=dict(start="2026-Q1", end="2026-Q2", status="done"),
        dropped=dict(start="2026-Q1", end="2026-Q2", status="cancelled"),
        ends_today=dict(start="2026-Q1", end="2026-11-30", status="postponed"),
    )
    assert summaries.overdue(frame, ASOF)["id"].tolist() == ["later", "late"]


def test_upcoming_is_planned_actions_starting_within_ninety_days_soonest_first():
    frame = plan(
        today=dict(start="2026-11-30", end="2026-12", status="planned"),
        day_90=dict(start="2027-02-28", end="2027-03", status="planned"),
        day_91=dict(start="2027-03-01", end="2027-03", status="planned"),
        started=dict(start="2026-11-29", end="2026-12", status="planned"),
        done_early=dict(start="2026-12-01", end="2026-12", status="done"),
    )
    assert summaries.upcoming(frame, ASOF)["id"].tolist() == ["today", "day_90"]


def test_a_postponed_action_is_overdue_when_its_period_passed_but_never_starting_soon():
    """Postponed: its dates no longer hold until new ones are set. Starting soon are the
    planned actions; one in progress has begun. Overdue is every open action whose
    period ended, a postponed one too: someone must give it new dates or cancel it."""
    frame = plan(
        postponed_soon=dict(start="2026-12-15", end="2027-03", status="postponed"),
        in_progress_soon=dict(start="2026-12-15", end="2027-03", status="in_progress"),
        planned_soon=dict(start="2026-12-15", end="2027-03", status="planned"),
        postponed_late=dict(start="2026-Q1", end="2026-Q2", status="postponed"),
    )
    assert summaries.upcoming(frame, ASOF)["id"].tolist() == ["planned_soon"]
    assert summaries.overdue(frame, ASOF)["id"].tolist() == ["postponed_late"]
    assert summaries.STARTING == ("planned",) and "postponed" in OPEN_STATUSES


def test_the_headline_adds_up():
    head = summaries.headline(FRAME, ASOF)
    assert head.actions == len(FRAME) == sum(head.by_status.values())
    assert math.isclose(head.done_share, head.by_status["done"] / head.actions)
    assert head.overdue == len(summaries.overdue(FRAME, ASOF)) and head.upcoming == len(summaries.upcoming(FRAME, ASOF))


def test_an_empty_selection_has_a_headline_of_zeros():
    head = summaries.headline(FRAME.iloc[:0], ASOF)
    assert (head.actions, head.done_share, head.overdue, head.upcoming) == (0, 0.0, 0, 0)


def test_area_by_lead_lists_every_area_in_the_memorandums_order_and_every_lead():
    table = summaries.area_by_lead(FRAME)
    assert tuple(table.index) == AREA_IDS and tuple(table.columns) == LEADS
    assert table.to_numpy().sum() == len(FRAME)
    assert table.loc["tourism"].sum() == (FRAME["area"] == "tourism").sum()


def test_an_action_spanning_years_counts_in_each_year():
    frame = plan(
        long=dict(area="sport", start="2026-Q3", end="2028-Q1"), short=dict(area="sport", start="2027", end="2027")
    )
    table = summaries.area_by_year(frame, [2026, 2027, 2028])
    assert table.loc["sport"].tolist() == [1, 2, 1] and table.loc["tourism"].tolist() == [0, 0, 0]


def test_progress_per_area_counts_done_as_whole_and_unset_as_nothing():
    frame = plan(
        a=dict(area="sport", status="done", progress=40),
        b=dict(area="sport", status="in_progress"),
        c=dict(area="tourism", status="in_progress", progress=30),
    )
    progress = summaries.progress_by_area(frame)
    assert progress["sport"] == 50 and progress["tourism"] == 30 and math.isnan(progress["employment"])


def test_bodies_are_counted_most_first_then_by_name():
    frame = plan(
        a=dict(responsible={"pavlodar": ["Б", "А"]}),
        b=dict(responsible={"pavlodar": ["Б"], "omsk": ["В"]}),
    )
    assert summaries.bodies(frame, "pavlodar") == [("Б", 2), ("А", 1)]
    assert summaries.all_bodies(frame) == ["А", "Б", "В"]  # Pavlodar's, then Omsk's


def test_status_counts_list_every_status_in_order():
    counts = summaries.status_counts(plan(a=dict(status="done")))
    assert counts.to_dict() == {"planned": 0, "in_progress": 0, "done": 1, "postponed": 0, "cancelled": 0}
