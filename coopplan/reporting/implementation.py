"""The implementation report of a quarter, as content: what the Word document and the
spreadsheet for the akim and the governor say, compiled once from the data.

For the quarter: the actions under way (those that owe reports), per area how many are
done, in progress, overdue and without a report; each side's completeness; each action
with its status and each side's report; the actions with a report missing; and what
changed since the plan was approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..data import loader
from ..data.model import OPEN_STATUSES, REGIONS, Action, Area, Baseline, Report
from . import amendments, duties


@dataclass(frozen=True)
class Row:
    """One action under way in the quarter, numbered as the document numbers it."""

    number: int
    action: Action
    reports: dict[str, Report | None]  # by reporting side: its report for the quarter, or None
    overdue: bool

    @property
    def missing(self) -> list[str]:
        return [side for side, report in self.reports.items() if report is None]


@dataclass(frozen=True)
class AreaFigures:
    area: Area | None  # None: the total
    under_way: int
    done: int
    in_progress: int
    overdue: int
    not_reported: int


@dataclass
class Implementation:
    quarter: str
    asof: dt.date
    areas: list[tuple[Area, list[Row]]] = field(default_factory=list)
    completeness: dict[str, duties.Completeness] = field(default_factory=dict)
    baseline: Baseline | None = None  # the latest approved version
    changes: list[amendments.Amendment] = field(default_factory=list)  # since it, of the actions reported on

    @property
    def rows(self) -> list[Row]:
        return [row for _, rows in self.areas for row in rows]

    @property
    def missing(self) -> list[Row]:
        return [row for row in self.rows if row.missing]

    def figures(self) -> list[AreaFigures]:
        """Per area with actions under way, then the total."""
        found = [_figures(area, rows) for area, rows in self.areas]
        return [*found, _figures(None, self.rows)]


def _figures(area: Area | None, rows: list[Row]) -> AreaFigures:
    return AreaFigures(
        area,
        len(rows),
        sum(r.action.status == "done" for r in rows),
        sum(r.action.status == "in_progress" for r in rows),
        sum(r.overdue for r in rows),
        sum(bool(r.missing) for r in rows),
    )


def compile_report(dataset: loader.Dataset, actions: list[Action], quarter: str, asof: dt.date) -> Implementation:
    """The report of ``quarter`` on ``actions`` (filtered, in plan order) as of ``asof``."""
    owed = duties.duties(actions, dataset.reports_in(quarter), quarter, asof)
    by_action: dict[str, dict[str, Report | None]] = {}
    for duty in owed:
        by_action.setdefault(duty.action.id, {})[duty.side] = duty.report
    report = Implementation(quarter, asof, completeness=duties.completeness(owed), baseline=dataset.baseline())
    if report.baseline is not None:  # the actions reported on, and those of the approved plan deleted since
        chosen, existing = {a.id for a in actions}, {a.id for a in dataset.actions}
        scope = [a for a in report.baseline.actions if a.id in chosen or a.id not in existing]
        report.changes = amendments.compare(report.baseline.model_copy(update={"actions": scope}), actions)
    number = 0
    for area in dataset.memorandum.areas if dataset.memorandum else []:
        rows = []
        for action in actions:
            if action.area != area.id or action.id not in by_action:
                continue
            number += 1
            overdue = action.status in OPEN_STATUSES and action.end_period.last_day < asof
            sides = by_action[action.id]
            rows.append(Row(number, action, {side: sides[side] for side in REGIONS if side in sides}, overdue))
        if rows:
            report.areas.append((area, rows))
    return report
