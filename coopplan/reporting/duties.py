"""Who owes which report: the lead side for its actions, both sides for joint ones,
for every quarter in which the action runs and is not cancelled; and whether each
report came, on time or late.

A quarter's reports are due by the 10th day of the month after it (``due_date``):
bodies report on a quarter once it is over, as the regions' departments collect
them. Until then a report not in is ``missing``; after, it is ``late``. One that
came is ``reported``, or ``reported_late`` when dated after its due date.
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


def current_quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def owes(action: Action, quarter: str) -> bool:
    """Whether ``action`` is reported on for ``quarter``: it runs then and is not cancelled."""
    span = periods.parse(quarter)
    return _runs(action, span.first_day, span.last_day)


def _runs(action: Action, first: dt.date, last: dt.date) -> bool:
    return (
        action.status != "cancelled" and action.start_period.first_day <= last and action.end_period.last_day >= first
    )


@dataclass(frozen=True)
class Duty:
    """One report owed: by ``side``, on ``action``, for ``quarter``; and how it stands."""

    action: Action
    side: str
    quarter: str
    state: str  # one of STATES
    report: Report | None

    @property
    def due(self) -> dt.date:
        return due_date(self.quarter)


def duties(actions: Iterable[Action], reports: Iterable[Report], quarter: str, asof: dt.date) -> list[Duty]:
    """Every report owed for ``quarter`` on ``actions`` and its state as of ``asof``,
    given the ``reports`` there are (of that quarter, or all)."""
    due, span = due_date(quarter), periods.parse(quarter)
    given = {(r.action, r.side): r for r in reports if r.period == quarter}
    found = []
    for action in actions:
        if not _runs(action, span.first_day, span.last_day):
            continue
        for side in action.reporting_sides:
            report = given.get((action.id, side))
            if report is not None:
                state = "reported_late" if report.date > due else "reported"
            else:
                state = "late" if asof > due else "missing"
            found.append(Duty(action, side, quarter, state, report))
    return found


@dataclass(frozen=True)
class Completeness:
    """How many of a side's owed reports for a quarter are in."""

    side: str
    owed: int
    reported: int

    @property
    def share(self) -> float:
        return self.reported / self.owed if self.owed else 1.0


def completeness(owed: list[Duty]) -> dict[str, Completeness]:
    """Per side: reports owed and reports in (late ones counted as in)."""
    result = {}
    for side in REGIONS:
        mine = [d for d in owed if d.side == side]
        result[side] = Completeness(side, len(mine), sum(d.report is not None for d in mine))
    return result
