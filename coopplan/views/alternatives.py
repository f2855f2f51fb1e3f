"""What each chart shows, as a sentence in the page's language: the text a screen
reader reads after the chart (an SVG says nothing), and anyone may read instead of
hovering. The numbers are those the chart draws (the same summaries)."""

from __future__ import annotations

import pandas as pd

from .. import i18n
from ..data import periods
from ..data.model import LEADS, REGIONS, STATUSES, Action, Indicator, Report
from . import summaries
from .view import View

MOST_AREAS = 10  # the memorandum's ten: every area is named


def _join(view: View, parts: list[str]) -> str:
    return "; ".join(parts) if parts else view.t("alt.none")


def per_area_by_lead(view: View, frame: pd.DataFrame) -> str:
    """«Actions per area and lead: Trade and investment — 5 (Pavlodar Region 2, Omsk Region 2, Joint 1); …»."""
    counts = summaries.area_by_lead(frame)
    parts = []
    for area, row in counts.iterrows():
        if row.sum():
            leads = ", ".join(
                f"{view.t(f'lead.{lead}')} {i18n.number(row[lead], view.lang)}" for lead in LEADS if row[lead]
            )
            parts.append(f"{view.area_names[area]} — {i18n.number(row.sum(), view.lang)} ({leads})")
    return view.t("alt.per_area", items=_join(view, parts[:MOST_AREAS]))


def area_year(view: View, frame: pd.DataFrame) -> str:
    """«Actions running per area and year: Tourism: 2026 — 3, 2027 — 2, 2028 — 0; …»."""
    table = summaries.area_by_year(frame, view.years)
    parts = [
        f"{view.area_names[area]}: " + ", ".join(f"{year} — {i18n.number(row[year], view.lang)}" for year in view.years)
        for area, row in table.iterrows()
        if row.sum()
    ]
    return view.t("alt.heatmap", items=_join(view, parts))


def by_status(view: View, frame: pd.DataFrame) -> str:
    counts = summaries.status_counts(frame)
    parts = [f"{view.t(f'status.{s}')} — {i18n.number(counts[s], view.lang)}" for s in STATUSES if counts[s]]
    return view.t("alt.status", items=_join(view, parts))


def progress_by_area(view: View, frame: pd.DataFrame) -> str:
    progress = summaries.progress_by_area(frame).dropna()
    parts = [f"{view.area_names[a]} — {i18n.percent(round(v) / 100, view.lang)}" for a, v in progress.items()]
    return view.t("alt.progress", items=_join(view, parts))


def timeline(view: View, frame: pd.DataFrame) -> str:
    """How many actions, from when to when, by status, and how many are overdue; the
    plan page lists each one with its period."""
    if frame.empty:
        return view.t("alt.none")
    counts = summaries.status_counts(frame)
    statuses = ", ".join(
        f"{view.t(f'status.{s}')} — {i18n.number(counts[s], view.lang)}" for s in STATUSES if counts[s]
    )
    return view.t(
        "alt.timeline",
        actions=view.t("count.actions", count=len(frame)),
        first=i18n.date(frame["start"].min().date(), view.lang),
        last=i18n.date(frame["end"].max().date(), view.lang),
        statuses=statuses,
        overdue=i18n.number(int(summaries.is_overdue(frame, view.asof).sum()), view.lang),
        date=i18n.date(view.asof, view.lang),
    )


def indicator(view: View, indicator: Indicator, action: Action, reports: list[Report]) -> str:
    """The targets by year and each side's reported values by quarter."""
    shown = lambda value: i18n.number(value, view.lang)  # noqa: E731 - «3», not «3.0»
    planned = [f"{year} — {shown(value)}" for year, value in sorted(indicator.targets.items())]
    if indicator.target is not None:
        planned.append(f"{action.end_period.label(view.lang)} — {shown(indicator.target)}")
    reported = [
        f"{view.t(f'lead.{r.side}')}, {periods.parse(r.period).label(view.lang)} — {shown(r.indicators[indicator.id])}"
        for side in REGIONS
        for r in sorted(reports, key=lambda r: r.period)
        if r.side == side and indicator.id in r.indicators
    ]
    return view.t("alt.indicator", targets=_join(view, planned), actual=_join(view, reported))
