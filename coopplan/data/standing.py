"""What an action's reports say of it: the one rule that sets its status, progress and
indicators' actual values from the reports, and where the two sides disagree.

The latest reports set the figures: each reporting side's latest report (the latest
quarter, then the latest date) counts. Combined, a joint action is postponed when a
side says so, done when both sides say so, in progress once a side has begun, and its
progress is the two sides' mean. An indicator's actual value is the one given for the
latest quarter any side reported it; when the two sides give different values for
that quarter, the lower one (what both sides say has at least been reached), and the
difference is a disagreement, listed with both values like status and progress. So
the value does not depend on the order the files are read. A cancelled action stays cancelled: cancelling is the
working group's decision, not a report's. An action without reports keeps the figures
an editor gave it. The store writes these figures into the action's file whenever a
report is saved or undone, so the file, the pages, the exports and the API show one
figure; the loader applies the rule too, so they agree even if that write failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..data.model import Action, Report

DISAGREEMENT_POINTS = 25  # progress figures further apart than this disagree


def latest_by_side(reports: Iterable[Report]) -> dict[str, Report]:
    """Each side's latest report: the latest quarter, then the latest date."""
    latest: dict[str, Report] = {}
    for report in reports:
        known = latest.get(report.side)
        if known is None or (report.period, report.date) > (known.period, known.date):
            latest[report.side] = report
    return latest


@dataclass(frozen=True)
class Standing:
    """An action's figures as its reports set them, and the reports they come from."""

    status: str
    progress: int | None
    actuals: dict[str, float]  # indicator id -> latest reported value
    sources: tuple[Report, ...]  # the reports that set status and progress, newest first


def standing(action: Action, reports: list[Report]) -> Standing:
    """The figures ``reports`` (all of them, of this action) set for ``action``: the
    submitted and accepted ones (``Report.counts``); drafts and returned ones set none."""
    reports = [r for r in reports if r.counts]
    own = {i.id: i.actual for i in action.indicators if i.id is not None and i.actual is not None}
    if not reports:
        return Standing(action.status, action.progress, own, ())
    latest = latest_by_side(r for r in reports if r.side in action.reporting_sides)
    sources = tuple(sorted(latest.values(), key=lambda r: (r.period, r.date), reverse=True))
    actuals = own | _latest_actuals([r for r in reports if r.side in action.reporting_sides])
    if not sources or action.status == "cancelled":
        return Standing(action.status, action.progress, actuals, sources)
    said = {r.status for r in sources}
    if "postponed" in said:
        status = "postponed"
    elif said == {"done"} and len(sources) == len(action.reporting_sides):
        status = "done"
    elif said & {"in_progress", "done"}:
        status = "in_progress"
    else:
        status = "planned"
    progress = round(sum(r.progress for r in sources) / len(sources))
    return Standing(status, 100 if status == "done" else progress, actuals, sources)


def _latest_actuals(reports: list[Report]) -> dict[str, float]:
    given: dict[str, tuple[str, float]] = {}  # indicator id -> (its latest quarter, the value)
    for report in reports:
        for key, value in report.indicators.items():
            known = given.get(key)
            if known is None or report.period > known[0]:
                given[key] = (report.period, value)
            elif report.period == known[0]:
                given[key] = (known[0], min(known[1], value))
    return {key: value for key, (_, value) in given.items()}


def apply(action: Action, reports: list[Report]) -> Action:
    """``action`` with the figures its reports set (itself when they set none)."""
    figures = standing(action, reports)
    indicators = [
        i.model_copy(update={"actual": figures.actuals[i.id]}) if i.id in figures.actuals else i
        for i in action.indicators
    ]
    updated = {"status": figures.status, "progress": figures.progress, "indicators": indicators}
    if all(getattr(action, k) == v for k, v in updated.items()):
        return action
    return action.model_copy(update=updated)


def as_of(action: Action, reports: list[Report], quarter: str) -> str:
    """The status the reports up to ``quarter`` gave ``action``: what a report on that
    quarter says of it, whatever came after. Not reported on yet then: planned."""
    reports = [r for r in reports if r.counts]
    until = [r for r in reports if r.period <= quarter]
    if until:
        return standing(action, until).status
    return "planned" if reports and action.status != "cancelled" else action.status


def previous(reports: list[Report], side: str, quarter: str) -> Report | None:
    """``side``'s latest report before ``quarter``: what its next report starts from."""
    earlier = [r for r in reports if r.side == side and r.period < quarter]
    return max(earlier, key=lambda r: (r.period, r.date)) if earlier else None


def contradicts(action: Action, reports: list[Report]) -> bool:
    """Whether ``action`` gives figures its reports set otherwise: what an editor, an
    import or a bulk update may not save (cancelling stays with the working group)."""
    return bool(reports) and apply(action, reports) != action


@dataclass(frozen=True)
class Disagreement:
    """A joint action's two reports for the same quarter that say different things:
    in status, in progress, or in the value of an indicator (``indicators``: their ids)."""

    period: str
    pavlodar: Report
    omsk: Report
    indicators: tuple[str, ...] = ()


def disagreement(action: Action, reports: list[Report]) -> Disagreement | None:
    """For a joint action, the latest quarter both sides reported on, when their reports
    differ in status, in progress by more than ``DISAGREEMENT_POINTS``, or in the value
    of an indicator both give."""
    if action.lead != "joint":
        return None
    by_quarter: dict[str, dict[str, Report]] = {}
    for report in (r for r in reports if r.counts):
        by_quarter.setdefault(report.period, {})[report.side] = report
    both = [period for period, sides in by_quarter.items() if len(sides) == 2]
    if not both:
        return None
    period = max(both)
    pavlodar, omsk = by_quarter[period]["pavlodar"], by_quarter[period]["omsk"]
    indicators = tuple(
        key
        for key in pavlodar.indicators
        if key in omsk.indicators and pavlodar.indicators[key] != omsk.indicators[key]
    )
    if pavlodar.status != omsk.status or abs(pavlodar.progress - omsk.progress) > DISAGREEMENT_POINTS or indicators:
        return Disagreement(period, pavlodar, omsk, indicators)
    return None
