"""What the reporting views show, without Streamlit: the quarters one can pick, the
reports owed as a table, completeness per side, disagreements and where an action's
figures come from, in the view's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import i18n
from ..data import periods, standing
from ..data.model import REGIONS, REPORT_STATUSES, Report
from ..reporting import duties
from . import memo, texts
from .tables import STATUS_MD_COLORS, title_column
from .view import View


def quarters(view: View) -> list[str]:
    """The plan's quarters up to today's (or the view's date's, when earlier): those that
    can owe reports; a quarter to come owes none yet."""
    now = periods.quarter_of(min(view.asof, dt.date.today()))
    return [q for q in view.dataset.period.quarters if q <= now] or view.dataset.period.quarters[:1]


def owed(view: View, quarter: str) -> list[duties.Duty]:
    """The reports owed for ``quarter`` on the view's actions, as of the view's date."""
    return memo.per_view(
        "owed", view, lambda: duties.duties(view.filtered_actions, view.dataset.reports, quarter, view.asof), quarter
    )


def side_name(view: View, side: str) -> str:
    return view.t(f"lead.{side}")


def quarter_label(view: View, quarter: str) -> str:
    return periods.parse(quarter).label(view.lang)


def figures(view: View, report: Report) -> str:
    """«Выполняется, 35 %»: what a report says of its action."""
    return view.t(
        "detail.report_figures",
        status=view.t(f"status.{report.status}"),
        progress=i18n.percent(report.progress / 100, view.lang),
    )


def figures_markdown(view: View, report: Report) -> str:
    """The same in its status's colour, for markdown."""
    return f":{STATUS_MD_COLORS[report.status]}[● {figures(view, report)}]"


def duty_state(view: View, duty: duties.Duty) -> str:
    """How a report owed stands, in words, with its review stage when it is a draft or
    was returned (neither counts yet, so the duty alone reads «not yet in»)."""
    said = view.t(f"reporting.state.{duty.state}")
    key = f"{duty.quarter}/{duty.action.id}-{duty.side}"
    report = next((r for r in view.dataset.reports_of(duty.action.id) if r.key == key), None)
    if report is not None and report.state in ("draft", "returned"):
        said += f" · {view.t(f'review.state.{report.state}')}"
    return said


def duties_table(view: View, owed: list[duties.Duty]) -> pd.DataFrame:
    """One row a report owed, the ones to chase first: late, missing, late but in, in."""
    rows = sorted(owed, key=lambda d: (duties.STATES.index(d.state), d.action.id, d.side))
    ids = [d.action.id for d in rows]
    titles = title_column(view, view.frame.loc[ids]) if ids else pd.Series(dtype=str)
    sides = {side: side_name(view, side) for side in REGIONS}
    states = {state: view.t(f"reporting.state.{state}") for state in duties.STATES}
    statuses = {status: view.t(f"status.{status}") for status in REPORT_STATUSES}
    return pd.DataFrame(
        {
            view.t("col.id"): ids,
            view.t("col.title"): list(titles),
            view.t("reporting.col.side"): [sides[d.side] for d in rows],
            view.t("reporting.col.state"): [states[d.state] for d in rows],
            # NaT, not None: a table shows an empty cell for a report not in
            view.t("reporting.col.date"): pd.to_datetime([d.report.date if d.report else None for d in rows]),
            view.t("reporting.col.status"): [statuses[d.report.status] if d.report else "—" for d in rows],
            view.t("reporting.col.progress"): [d.report.progress if d.report else None for d in rows],
        }
    )


def disagreement_text(view: View, found: standing.Disagreement, key: str = "reporting.disagreement") -> str:
    """What the two sides say, for ``key`` (the list's line or the detail's warning),
    then each indicator whose values differ with both values."""
    action = view.dataset.action(found.pavlodar.action)
    values = [
        view.t(
            "reporting.indicator_disagreement",
            name=texts.data_text(view, indicator.name) if (indicator := action and action.indicator(k)) else k,
            pavlodar=i18n.number(found.pavlodar.indicators[k], view.lang),
            omsk=i18n.number(found.omsk.indicators[k], view.lang),
        )
        for k in found.indicators
    ]
    return " ".join([_figures_text(view, found, key), *values])


def _figures_text(view: View, found: standing.Disagreement, key: str) -> str:
    return view.t(
        key,
        period=quarter_label(view, found.period),
        pavlodar=view.t(f"status.{found.pavlodar.status}"),
        pavlodar_progress=i18n.percent(found.pavlodar.progress / 100, view.lang),
        omsk=view.t(f"status.{found.omsk.status}"),
        omsk_progress=i18n.percent(found.omsk.progress / 100, view.lang),
    )


def disagreements(view: View) -> list[tuple[str, standing.Disagreement]]:
    """(action id, disagreement) of the view's joint actions whose sides disagree."""
    return memo.per_view("disagreements", view, lambda: _disagreements(view))


def _disagreements(view: View) -> list[tuple[str, standing.Disagreement]]:
    found = []
    for action in view.filtered_actions:
        if action.lead != "joint":  # only a joint action has two sides to disagree
            continue
        disagreement = standing.disagreement(action, view.dataset.reports_of(action.id))
        if disagreement is not None:
            found.append((action.id, disagreement))
    return found


def sources_text(view: View, reports: tuple[Report, ...]) -> str:
    """«Омская область, III квартал 2026 г.; …»: the reports an action's figures come from."""
    return "; ".join(f"{side_name(view, r.side)}, {quarter_label(view, r.period)}" for r in reports)


def report_heading(view: View, report: Report) -> str:
    return view.t(
        "detail.report_head",
        quarter=quarter_label(view, report.period),
        side=side_name(view, report.side),
        date=i18n.date(report.date, view.lang),
    )


def done_text(view: View, report: Report) -> str:
    return texts.data_text(view, report.done)
