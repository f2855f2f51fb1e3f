"""The plan's life: who owes which report, whether it came on time, the figures the
reports set for their action, where the two sides disagree, and the implementation
report's content."""

import datetime as dt

import pytest

from coopplan.data import loader, standing
from coopplan.data.model import Action, Report
from coopplan.reporting import duties, implementation
from tests.helpers import valid_action, valid_report, write_action, write_report


def action(**changes) -> Action:
    return Action.model_validate(valid_action(**changes))


def report(**changes) -> Report:
    return Report.model_validate(valid_report(**changes))


def test_the_lead_side_owes_the_reports_of_its_actions_and_both_sides_of_joint_ones():
    assert action(lead="omsk").reporting_sides == ("omsk",)
    assert action(lead="joint").reporting_sides == ("pavlodar", "omsk")


@pytest.mark.parametrize(
    "start, end, status, quarter, owed",
    [
        ("2026-Q2", "2026-12", "in_progress", "2026-Q3", True),
        ("2026-Q2", "2026-12", "in_progress", "2027-Q1", True),  # ended unfinished: still owed
        ("2026-Q2", "2026-12", "done", "2027-Q1", False),  # ended done
        ("2026-09-15", "2026-09-15", "done", "2026-Q3", True),  # a day inside the quarter
        ("2026-10", "2027", "planned", "2026-Q3", False),  # not begun
        ("2026-Q2", "2026-12", "cancelled", "2026-Q3", False),
    ],
)
def test_a_report_is_owed_for_each_quarter_an_action_runs_and_after_it_until_done_unless_cancelled(
    start, end, status, quarter, owed
):
    found = duties.duties(
        [action(lead="omsk", start=start, end=end, status=status)], [], quarter, dt.date(2026, 11, 30)
    )
    assert bool(found) is owed


def test_a_cancelled_action_owes_nothing_more_and_keeps_the_reports_it_had():
    cancelled = action(lead="joint", start="2026-Q1", end="2026-12", status="cancelled")
    reports = [Report.model_validate(valid_report("t-001", "omsk", "2026-Q2"))]
    assert [(d.side, d.state) for d in duties.duties([cancelled], reports, "2026-Q2", dt.date(2026, 11, 30))] == [
        ("omsk", "reported")
    ]
    assert duties.duties([cancelled], reports, "2026-Q3", dt.date(2026, 11, 30)) == []


def test_a_quarters_reports_are_due_on_the_tenth_of_the_month_after():
    assert duties.due_date("2026-Q3") == dt.date(2026, 10, 10)
    assert duties.due_date("2026-Q4") == dt.date(2027, 1, 10)


def test_each_owed_report_is_reported_late_missing_or_late():
    joint = action(lead="joint", start="2026-Q3", end="2026-12")
    on_time = dt.datetime(2026, 10, 5, 12, tzinfo=dt.UTC)
    late = dt.datetime(2026, 10, 12, 12, tzinfo=dt.UTC)
    reports = [report(side="omsk", updated=on_time), report(side="pavlodar", date=dt.date(2026, 10, 5), updated=late)]
    states = {d.side: d.state for d in duties.duties([joint], reports, "2026-Q3", dt.date(2026, 11, 30))}
    assert states == {"omsk": "reported", "pavlodar": "reported_late"}  # submitted late, whatever date it states
    before_due = duties.duties([joint], [], "2026-Q3", dt.date(2026, 10, 10))
    after_due = duties.duties([joint], [], "2026-Q3", dt.date(2026, 10, 11))
    assert {d.state for d in before_due} == {"missing"} and {d.state for d in after_due} == {"late"}


def test_a_side_that_reported_an_action_done_owes_no_more_reports_on_it():
    long = action(lead="joint", start="2026-Q2", end="2027-Q4")
    done = [report(side="omsk", period="2026-Q2", status="done", progress=100)]
    owed = duties.duties([long], done, "2026-Q3", dt.date(2026, 11, 30))
    assert [d.side for d in owed] == ["pavlodar"]


def test_completeness_counts_reports_in_of_those_owed_per_side():
    owed = duties.duties(
        [action(id="a", lead="joint"), action(id="b", lead="omsk")],
        [report(action="a", side="omsk")],
        "2026-Q3",
        dt.date(2026, 11, 30),
    )
    figures = duties.completeness(owed)
    assert (figures["omsk"].reported, figures["omsk"].owed) == (1, 2) and figures["omsk"].share == 0.5
    assert (figures["pavlodar"].reported, figures["pavlodar"].owed) == (0, 1)


def test_without_reports_an_action_keeps_the_figures_an_editor_gave_it():
    given = action(status="planned", progress=10)
    assert standing.apply(given, []) is given


def test_the_latest_report_of_each_side_sets_a_joint_actions_figures():
    joint = action(lead="joint", status="planned", progress=0)
    reports = [
        report(side="omsk", period="2026-Q2", status="in_progress", progress=20),
        report(side="omsk", period="2026-Q3", status="in_progress", progress=60),
        report(side="pavlodar", period="2026-Q2", status="in_progress", progress=40),
    ]
    figures = standing.standing(joint, reports)
    assert (figures.status, figures.progress) == ("in_progress", 50)  # (60 + 40) / 2
    assert [(r.side, r.period) for r in figures.sources] == [("omsk", "2026-Q3"), ("pavlodar", "2026-Q2")]


@pytest.mark.parametrize(
    "pavlodar, omsk, status",
    [
        ("done", "done", "done"),
        ("done", "in_progress", "in_progress"),  # done only when both sides say so
        ("planned", "planned", "planned"),
        ("in_progress", "postponed", "postponed"),
    ],
)
def test_the_two_sides_statuses_combine(pavlodar, omsk, status):
    reports = [report(side="pavlodar", status=pavlodar, progress=50), report(side="omsk", status=omsk, progress=50)]
    assert standing.standing(action(lead="joint"), reports).status == status


def test_a_joint_action_is_not_done_on_one_sides_word():
    assert (
        standing.standing(action(lead="joint"), [report(side="omsk", status="done", progress=100)]).status
        == "in_progress"
    )


def test_a_done_action_counts_as_whole_and_a_cancelled_one_stays_cancelled():
    reports = [report(side="omsk", status="done", progress=90)]
    assert standing.standing(action(lead="omsk"), reports).progress == 100
    cancelled = standing.apply(action(lead="omsk", status="cancelled", progress=30), reports)
    assert (cancelled.status, cancelled.progress) == ("cancelled", 30)


def test_indicator_values_come_from_the_latest_report_that_gives_them():
    measured = action(
        lead="omsk", indicators=[{"id": "visitors", "name": {"ru": "Посетители"}, "target": 100, "actual": 5}]
    )
    reports = [
        report(side="omsk", period="2026-Q2", indicators={"visitors": 30}),
        report(side="omsk", period="2026-Q3", indicators={}),
    ]
    assert standing.apply(measured, reports).indicators[0].actual == 30


@pytest.mark.parametrize(
    "pavlodar, omsk, disagree",
    [
        (("in_progress", 40), ("in_progress", 60), False),
        (("in_progress", 30), ("in_progress", 60), True),  # 30 points apart
        (("in_progress", 90), ("done", 100), True),  # statuses differ
    ],
)
def test_a_joint_actions_sides_disagree_on_status_or_by_more_than_25_points(pavlodar, omsk, disagree):
    reports = [
        report(side="pavlodar", status=pavlodar[0], progress=pavlodar[1]),
        report(side="omsk", status=omsk[0], progress=omsk[1]),
    ]
    found = standing.disagreement(action(lead="joint"), reports)
    assert (found is not None) is disagree
    if found:
        assert found.period == "2026-Q3"


def test_disagreement_is_judged_on_the_latest_quarter_both_sides_reported():
    reports = [
        report(side="pavlodar", period="2026-Q2", progress=10),
        report(side="omsk", period="2026-Q2", progress=80),  # they disagreed in Q2
        report(side="pavlodar", period="2026-Q3", progress=70),
        report(side="omsk", period="2026-Q3", progress=80),  # and agree in Q3
    ]
    assert standing.disagreement(action(lead="joint"), reports) is None
    assert standing.disagreement(action(lead="omsk"), reports) is None  # only joint actions have two sides


def test_the_implementation_report_counts_per_area_and_lists_what_is_missing(mini_data):
    write_action(mini_data, valid_action("t-001", area="tourism", lead="joint", start="2026-Q2", end="2026-Q3"))
    write_action(mini_data, valid_action("t-002", area="tourism", lead="omsk", start="2026", end="2026-12"))
    write_action(mini_data, valid_action("t-003", area="sport", lead="pavlodar", start="2026-Q3", end="2026-Q3"))
    write_action(mini_data, valid_action("t-004", area="sport", lead="pavlodar", start="2027", end="2027"))
    write_report(mini_data, valid_report("t-001", "omsk", status="done", progress=100))
    write_report(mini_data, valid_report("t-001", "pavlodar", status="done", progress=100))
    write_report(mini_data, valid_report("t-002", "omsk"))
    dataset = loader.load(mini_data)
    assert not dataset.problems
    compiled = implementation.compile_report(
        dataset, dataset.actions, "2026-Q3", dt.date(2026, 11, 30), dataset.baseline()
    )
    assert [(area.id, [r.action.id for r in rows]) for area, rows in compiled.areas] == [
        ("tourism", ["t-001", "t-002"]),
        ("sport", ["t-003"]),
    ]
    assert [r.number for r in compiled.rows] == [1, 2, 3]
    total = compiled.figures()[-1]
    assert (total.under_way, total.done, total.in_progress, total.not_reported) == (3, 1, 1, 1)
    # t-003 ends with the quarter: as of the quarter's end it is owed, not yet overdue
    assert total.overdue == 0
    assert [(r.action.id, r.missing) for r in compiled.missing] == [("t-003", ["pavlodar"])]
    assert compiled.completeness["omsk"].share == 1.0 and compiled.completeness["pavlodar"].share == 0.5


def test_the_reports_annex_keeps_to_the_filters_and_the_version_asked_for(data_dir):
    (data_dir / "actions" / "po-034.yaml").unlink()  # a sport action deleted since approval
    dataset = loader.load(data_dir)
    environment = [a for a in dataset.actions if a.area == "environment"]
    asof, latest = dt.date(2026, 11, 30), dataset.baseline()
    narrowed = implementation.compile_report(dataset, environment, "2026-Q3", asof, latest, areas=["environment"])
    everything = implementation.compile_report(dataset, dataset.actions, "2026-Q3", asof, latest)
    changed = {c.action_id: (c.after or c.before).area for c in everything.changes}
    assert changed["po-034"] == "sport"  # the whole plan's annex names it
    assert (
        [c.action_id for c in narrowed.changes]
        == [i for i, area in changed.items() if area == "environment"]
        == [
            "po-011",
            "po-014",
        ]
    )
    assert implementation.compile_report(dataset, environment, "2026-Q3", asof).changes == []  # no version, no annex
