"""Where a quarter stands for each side: its reports counted by review state, whether
the side closed its half (and who, when), what still keeps it from closing, and the
exceptions open on it. A side closes when every report it owes is accepted or marked
«not received» with a reason, and every disagreement on a joint action of the quarter
is settled (agreed by both coordinators, or noted as a disagreement).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..data import loader, quarter_file, standing
from ..data.model import REGIONS
from ..data.quarter_file import QuarterFile, Reopening
from . import duties, review


@dataclass(frozen=True)
class Pending:
    """One thing that keeps a side from closing: ``kind`` ``report_pending`` or ``disagreement_open``."""

    kind: str
    action: str
    state: str  # the report's state (``missing`` when none came), or the disagreement's quarter

    def __str__(self) -> str:
        if self.kind == "disagreement_open":
            return f"{self.action}: the two sides disagree; agree one status and progress, or note it as a disagreement"
        return f"{self.action}: report {self.state}; accept it or mark it not received with a reason"


@dataclass(frozen=True)
class SideState:
    side: str
    owed: int
    accepted: int
    on_time: int
    submitted: int  # waiting for the coordinator
    returned: int
    draft: int
    missing: int
    not_received: int
    closed: dt.datetime | None
    closed_by: str | None
    pending: tuple[Pending, ...]
    exceptions: tuple[Reopening, ...]  # open ones, on this side


def pending(dataset: loader.Dataset, quarter: str, side: str, not_received: dict[str, str]) -> list[Pending]:
    """What keeps ``side`` from closing ``quarter``, given the actions it marks not received."""
    found = []
    settled = _settlements(dataset, quarter)
    for duty in _owed(dataset, quarter, side):
        state = review.state_of(_report(dataset, quarter, duty.action.id, side)) or "missing"
        if state != "accepted" and duty.action.id not in not_received:
            found.append(Pending("report_pending", duty.action.id, state))
    for action in dataset.actions:
        if side not in action.reporting_sides:
            continue
        if disagreement(dataset, quarter, action.id) is not None and action.id not in settled:
            found.append(Pending("disagreement_open", action.id, quarter))
    return found


def disagreement(dataset: loader.Dataset, quarter: str, action_id: str) -> standing.Disagreement | None:
    """Where the two sides' reports of ``quarter`` on the joint action ``action_id``
    disagree; None when they agree, or it is not a joint action both reported on."""
    action = dataset.action(action_id)
    if action is None or action.lead != "joint":
        return None
    return standing.disagreement(action, [r for r in dataset.reports_of(action_id) if r.period == quarter])


def _settlements(dataset: loader.Dataset, quarter: str) -> set[str]:
    closing = read(dataset, quarter)
    return {a for a, s in closing.settlements.items() if s.settled} if closing else set()


def read(dataset: loader.Dataset, quarter: str) -> QuarterFile | None:
    return quarter_file.read(dataset.data_dir, quarter)[0]


def _owed(dataset: loader.Dataset, quarter: str, side: str) -> list[duties.Duty]:
    return [d for d in duties.duties(dataset.actions, dataset.reports, quarter, dt.date.max) if d.side == side]


def _report(dataset: loader.Dataset, quarter: str, action: str, side: str):
    # among the action's own reports (the dataset indexes them by action), not all of them
    return next((r for r in dataset.reports_of(action) if r.period == quarter and r.side == side), None)


def state(dataset: loader.Dataset, quarter: str, today: dt.date | None = None) -> dict[str, SideState]:
    """Each side's state of ``quarter``."""
    today = today or dt.date.today()
    closing = read(dataset, quarter)
    owed_all = duties.duties(dataset.actions, dataset.reports, quarter, today)
    result = {}
    for side in REGIONS:
        close = closing.sides.get(side) if closing else None
        marked = close.not_received if close else {}
        owed = _owed(dataset, quarter, side)
        states = [review.state_of(_report(dataset, quarter, d.action.id, side)) or "missing" for d in owed]
        timely = sum(d.side == side and d.state == "reported" for d in owed_all)
        opened = tuple(e for e in (closing.exceptions if closing else []) if e.side == side and e.open_on(today))
        result[side] = SideState(
            side,
            len(owed),
            states.count("accepted"),
            timely,
            states.count("submitted"),
            states.count("returned"),
            states.count("draft"),
            states.count("missing"),
            sum(d.action.id in marked for d in owed),
            close.closed if close else None,
            close.closed_by if close else None,
            () if close else tuple(pending(dataset, quarter, side, {})),
            opened,
        )
    return result


def waiting(dataset: loader.Dataset, side: str) -> list:
    """``side``'s submitted reports waiting for its coordinator, oldest quarter first."""
    return sorted(
        (r for r in dataset.reports if r.side == side and r.state == "submitted"), key=lambda r: (r.period, r.action)
    )
