"""Who owes which report: the lead side for its actions, both sides for joint ones,
for every quarter in which the action runs, and after its period every quarter
until the side reports it done (an overdue action keeps owing: its owner must be
able to record that it was finished); and whether each report came, on time or
late. A cancelled action owes nothing more, and keeps the reports it had: its
earlier quarters read as they did. Whether a quarter is owed is judged from the
reports on that quarter and before it, never later ones, so a past quarter's
report does not change its mind when a later report is filed.

A quarter's reports are due by the 10th day of the month after it (``due_date``):
bodies report on a quarter once it is over, as the regions' departments collect
them. Until then a report not in is ``missing``; after, it is ``late``. One that
came is ``reported``, or ``reported_late`` when it was submitted (saved: its
``updated`` stamp, not the date it states) after its due date. A side that reported
an action done owes no more reports on it.

``refusal`` is the rule of which reports can be accepted at all, for the store,
the form, the import and the API alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..data import periods, standing
from ..data.model import REGIONS, Action, Report

DUE_DAY = 10  # of the month after the quarter
STATES = ("late", "missing", "reported_late", "reported")  # the order a list of duties is read in


def due_date(quarter: str) -> dt.date:
    """The day a quarter's reports are due: ``2026-Q3`` → 10 October 2026."""
    last = periods.parse(quarter).last_day
    following = last + dt.timedelta(days=1)
    return following.replace(day=DUE_DAY)


def _runs(action: Action, first: dt.date, last: dt.date) -> bool:
    return action.start_period.first_day <= last and action.end_period.last_day >= first


@dataclass(frozen=True)
class Duty:
    """One report owed: by ``side``, on ``action``, for ``quarter``; and how it stands."""

    action: Action
    side: str
    quarter: str
    state: str  # one of STATES
    report: Report | None


def submitted(report: Report) -> dt.date:
    """The day a report came in: when it was saved, else (written by hand) the day it states."""
    return report.updated.date() if report.updated is not None else report.date


def state(report: Report | None, quarter: str, asof: dt.date) -> str:
    """How an owed report stands as of ``asof``: one of ``STATES``."""
    due = due_date(quarter)
    if report is not None:
        return "reported_late" if submitted(report) > due else "reported"
    return "late" if asof > due else "missing"


def duties(actions: Iterable[Action], reports: Iterable[Report], quarter: str, asof: dt.date) -> list[Duty]:
    """Every report owed for ``quarter`` on ``actions`` and its state as of ``asof``,
    given the ``reports`` there are."""
    span = periods.parse(quarter)
    given: dict[tuple[str, str], Report] = {}
    finished: set[tuple[str, str]] = set()
    known: dict[str, list[Report]] = {}
    for report in (r for r in reports if r.counts):  # a draft or a returned report is not in
        if report.period <= quarter:
            known.setdefault(report.action, []).append(report)
        if report.period == quarter:
            given[(report.action, report.side)] = report
        elif report.period < quarter and report.status == "done":
            finished.add((report.action, report.side))
    found = []
    for action in actions:
        if not (_runs(action, span.first_day, span.last_day) or _overdue(action, known.get(action.id, []), span)):
            continue
        for side in action.reporting_sides:
            if (action.id, side) in finished:
                continue
            report = given.get((action.id, side))
            if report is None and action.status == "cancelled":
                continue
            found.append(Duty(action, side, quarter, state(report, quarter, asof), report))
    return found


def _overdue(action: Action, known: list[Report], span: periods.Period) -> bool:
    """Whether ``action`` ended before the quarter ``span`` unfinished, as the reports
    up to that quarter (``known``) say: then it keeps owing reports."""
    if action.end_period.last_day >= span.first_day or span.first_day < action.start_period.first_day:
        return False
    status = standing.as_of(action, known, str(span)) if known else action.status
    return status not in ("done", "cancelled")


def refusal(action: Action, reports: list[Report], report: Report, admin: bool = False) -> tuple[str, str] | None:
    """(kind, rule in English) when ``report`` may not be saved beside ``reports`` (all
    of the action's, the one it replaces included): a side reports
    only on a quarter it owes, or corrects a report it gave; a report does not re-open
    what its side reported done before; and once both sides reported a joint action
    done, one side alone cannot make it anything else (an administrator can, recorded
    in the history)."""
    correcting = any(r.key == report.key for r in reports)
    others = [r for r in reports if r.key != report.key]
    if not correcting:
        if any(r.side == report.side and r.status == "done" and r.period < report.period for r in others):
            return "report_after_done", f"{report.side} reported {action.id} done before {report.period}"
        if report.side not in action.reporting_sides or not any(
            d.side == report.side for d in duties([action], others, report.period, dt.date.max)
        ):
            return "report_not_owed", f"{report.side} owes no report on {action.id} for {report.period}"
    if action.lead == "joint" and not admin and _both_done(reports) and not _both_done([*others, report]):
        return "report_joint_done", f"both sides reported {action.id} done; one side alone cannot change it"
    return None


def joint_done_undone(reports: list[Report], removed: str, admin: bool = False) -> bool:
    """Whether taking the report ``removed`` away from ``reports`` would undo a joint
    action both sides reported done: as one side alone may not (an administrator may)."""
    rest = [r for r in reports if r.key != removed]
    return not admin and _both_done(reports) and not _both_done(rest)


def _both_done(reports: list[Report]) -> bool:
    latest = standing.latest_by_side(reports)
    return len(latest) == 2 and all(r.status == "done" for r in latest.values())


@dataclass(frozen=True)
class Completeness:
    """How many of a side's owed reports for a quarter are in (submitted or accepted),
    and of them how many its coordinator accepted and how many came on time."""

    side: str
    owed: int
    reported: int
    accepted: int = 0
    on_time: int = 0

    @property
    def share(self) -> float | None:
        """Reports in of those owed; None when none is owed."""
        return self.reported / self.owed if self.owed else None


def completeness(owed: list[Duty]) -> dict[str, Completeness]:
    """Per side: reports owed and reports in (late ones counted as in)."""
    result = {}
    for side in REGIONS:
        mine = [d for d in owed if d.side == side]
        result[side] = Completeness(
            side,
            len(mine),
            sum(d.report is not None for d in mine),
            sum(d.report is not None and d.report.state in (None, "accepted") for d in mine),
            sum(d.state == "reported" for d in mine),
        )
    return result
