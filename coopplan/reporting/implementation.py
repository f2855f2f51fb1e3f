"""The implementation report of a quarter, as content: what the Word document and the
spreadsheet for the akim and the governor say, compiled once from the data.

For the quarter: the actions under way (those that owe reports, overdue ones
included), per area how many are done, in progress, postponed, not begun or cancelled
(as the reports up to the quarter say: these add up to the total), and of them how
many are overdue and without a report; each side's completeness; each action with its
status, its indicators' actual values of the quarter and each side's report; the
joint actions whose sides disagree; the actions with a report missing; and what
changed since the plan was approved.

Everything is judged as of the quarter's end (or ``asof``, when earlier) from the
reports on that quarter and before it: a later report never changes what a past
quarter's report says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..data import loader, periods, quarter_file, standing
from ..data.bodies import EMPTY, Registry
from ..data.model import OPEN_STATUSES, REGIONS, Action, Area, Baseline, Report
from ..data.quarter_file import QuarterFile
from . import amendments, duties


@dataclass(frozen=True)
class Row:
    """One action under way in the quarter, numbered as the document numbers it."""

    number: int
    action: Action
    duties: dict[str, duties.Duty]  # by reporting side: the report it owes for the quarter
    status: str  # as the reports up to the quarter set it
    overdue: bool  # its period ended before the quarter's end, and it was not done
    actuals: dict[str, float]  # indicator id -> its actual value as the reports up to the quarter set it
    disagreement: standing.Disagreement | None  # of a joint action, as of the quarter

    @property
    def reports(self) -> dict[str, Report | None]:
        return {side: duty.report for side, duty in self.duties.items()}

    @property
    def missing(self) -> list[str]:
        return [side for side, duty in self.duties.items() if duty.report is None]


@dataclass(frozen=True)
class AreaFigures:
    area: Area | None  # None: the total
    under_way: int
    done: int
    in_progress: int
    postponed: int
    planned: int
    cancelled: int
    overdue: int  # of those under way: the period ended unfinished
    not_reported: int  # of those under way: a report missing


@dataclass
class Implementation:
    quarter: str
    asof: dt.date
    areas: list[tuple[Area, list[Row]]] = field(default_factory=list)
    completeness: dict[str, duties.Completeness] = field(default_factory=dict)
    baseline: Baseline | None = None  # the approved version compared with
    # since it: of the chosen actions, and of those deleted since within the filters
    changes: list[amendments.Amendment] = field(default_factory=list)
    bodies: Registry = EMPTY  # to name the executing bodies in each language
    closing: QuarterFile | None = None  # each side's close of the quarter, when any side closed it

    @property
    def rows(self) -> list[Row]:
        return [row for _, rows in self.areas for row in rows]

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if row.missing]

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if row.disagreement is not None]

    def figures(self) -> list[AreaFigures]:
        """Per area with actions under way, then the total."""
        found = [_figures(area, rows) for area, rows in self.areas]
        return [*found, _figures(None, self.rows)]


def _figures(area: Area | None, rows: list[Row]) -> AreaFigures:
    return AreaFigures(
        area,
        len(rows),
        sum(r.status == "done" for r in rows),
        sum(r.status == "in_progress" for r in rows),
        sum(r.status == "postponed" for r in rows),
        sum(r.status == "planned" for r in rows),
        sum(r.status == "cancelled" for r in rows),
        sum(r.overdue for r in rows),
        sum(bool(r.missing) for r in rows),
    )


def compile_report(
    dataset: loader.Dataset,
    actions: list[Action],
    quarter: str,
    asof: dt.date,
    baseline: Baseline | None = None,
    areas: Iterable[str] = (),
    leads: Iterable[str] = (),
) -> Implementation:
    """The report of ``quarter`` on ``actions`` (filtered, in plan order) as of ``asof``;
    its annex compares them with ``baseline``, narrowed as the filters (``areas``,
    ``leads``) narrow the plan."""
    owed = duties.duties(actions, dataset.reports, quarter, asof)
    by_action: dict[str, dict[str, duties.Duty]] = {}
    for duty in owed:
        by_action.setdefault(duty.action.id, {})[duty.side] = duty
    report = Implementation(
        quarter, asof, completeness=duties.completeness(owed), baseline=baseline, bodies=dataset.bodies
    )
    report.closing = quarter_file.read(dataset.data_dir, quarter)[0]
    if baseline is not None:
        scope = amendments.in_scope(baseline, (a.id for a in actions), (a.id for a in dataset.actions), areas, leads)
        report.changes = amendments.compare(scope, actions)
    number = 0
    judged = min(asof, periods.parse(quarter).last_day)
    for area in dataset.memorandum.areas if dataset.memorandum else []:
        rows = []
        for action in actions:
            if action.area != area.id or action.id not in by_action:
                continue
            number += 1
            until = [r for r in dataset.reports_of(action.id) if r.period <= quarter]
            status = standing.as_of(action, dataset.reports_of(action.id), quarter)
            overdue = status in OPEN_STATUSES and action.end_period.last_day < judged
            sides = by_action[action.id]
            rows.append(
                Row(
                    number,
                    action,
                    {side: sides[side] for side in REGIONS if side in sides},
                    status,
                    overdue,
                    standing.standing(action, until).actuals,
                    standing.disagreement(action, until),
                )
            )
        if rows:
            report.areas.append((area, rows))
    return report
