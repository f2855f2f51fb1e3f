"""Who owes which report: the lead side for its actions, both sides for joint ones,
for every quarter in which the action runs; and whether each report came, on time
or late. A cancelled action owes nothing more, and keeps the reports it had: its
earlier quarters read as they did.

A quarter's reports are due by the 10th day of the month after it (``due_date``):
bodies report on a quarter once it is over, as the regions' departments collect
them. Until then a report not in is ``missing``; after, it is ``late``. One that
came is ``reported``, or ``reported_late`` when it was submitted (saved: its
``updated`` stamp, not the date it states) after its due date. A side that reported
an action done owes no more reports on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..data import periods
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
    given, finished = {}, set()
    for report in reports:
        if report.period == quarter:
            given[(report.action, report.side)] = report
        elif report.period < quarter and report.status == "done":
            finished.add((report.action, report.side))
    found = []
    for action in actions:
        if not _runs(action, span.first_day, span.last_day):
            continue
        for side in action.reporting_sides:
            if (action.id, side) in finished:
                continue
            report = given.get((action.id, side))
            if report is None and action.status == "cancelled":
                continue
            found.append(Duty(action, side, quarter, state(report, quarter, asof), report))
    return found


@dataclass(frozen=True)
class Completeness:
    """How many of a side's owed reports for a quarter are in."""

    side: str
    owed: int
    reported: int

    @property
    def share(self) -> float | None:
        """Reports in of those owed; None when none is owed."""
        return self.reported / self.owed if self.owed else None


def completeness(owed: list[Duty]) -> dict[str, Completeness]:
    """Per side: reports owed and reports in (late ones counted as in)."""
    result = {}
    for side in REGIONS:
        mine = [d for d in owed if d.side == side]
        result[side] = Completeness(side, len(mine), sum(d.report is not None for d in mine))
    return result
