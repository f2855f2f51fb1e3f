"""Plotly figures of the plan: one palette and one look for every chart.

Each builder takes a (filtered) actions frame and returns a figure whose
points carry ``customdata`` ids (area, lead, status, year), so a click can
narrow the plan to what was clicked.
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd
import plotly.graph_objects as go

from . import facets, i18n, periods
from .model import AREA_IDS, LEADS, STATUSES, Memorandum

STATUS_COLORS = {
    "planned": "#4C78A8",
    "in_progress": "#F58518",
    "done": "#54A24B",
    "postponed": "#B279A2",
    "cancelled": "#9D9D9D",
}
LEAD_COLORS = {"pavlodar": "#00A3DD", "omsk": "#C8102E", "joint": "#6A4C93"}
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
FONT = dict(family="Inter, 'Segoe UI', Arial, sans-serif", size=15, color="#1F2933")


def _style(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None),
        hoverlabel=dict(font_size=14),
        clickmode="event+select",
    )
    return fig


def area_names(memo: Memorandum | None, lang: str) -> dict[str, str]:
    if memo is None:
        return {a: a for a in AREA_IDS}
    return {a.id: a.name(lang) for a in memo.areas}


def per_area_by_lead(frame: pd.DataFrame, memo: Memorandum | None, lang: str) -> go.Figure:
    """Horizontal stacked bars: actions per area, split by lead region."""
    names = area_names(memo, lang)
    counts = facets.area_by_lead(frame).iloc[::-1]  # first area on top
    fig = go.Figure()
    for lead in LEADS:
        fig.add_bar(
            y=[names[a] for a in counts.index],
            x=counts[lead].tolist(),
            name=i18n.t(lang, f"lead.{lead}"),
            orientation="h",
            marker_color=LEAD_COLORS[lead],
            customdata=[[a, lead] for a in counts.index],
            hovertemplate="%{y}<br>%{fullData.name}: %{x}<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=i18n.t(lang, "axis.actions"))
    fig.update_xaxes(dtick=1 if counts.to_numpy().sum(axis=1).max(initial=0) <= 10 else None)
    return _style(fig, 460)


def area_year_heatmap(frame: pd.DataFrame, memo: Memorandum | None, years: list[int], lang: str) -> go.Figure:
    """Areas × years, the number of actions running in each year."""
    names = area_names(memo, lang)
    table = facets.area_by_year(frame, years).iloc[::-1]
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=[str(y) for y in years],
            y=[names[a] for a in table.index],
            customdata=[[[a, y] for y in years] for a in table.index],
            colorscale=HEAT_SCALE,
            text=table.to_numpy(),
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: %{z}<extra></extra>",
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category", side="top")
    return _style(fig, 460)


def status_breakdown(frame: pd.DataFrame, lang: str) -> go.Figure:
    counts = facets.status_counts(frame)
    counts = counts[counts > 0]
    fig = go.Figure(
        go.Pie(
            labels=[i18n.t(lang, f"status.{s}") for s in counts.index],
            values=counts.tolist(),
            customdata=list(counts.index),
            marker_colors=[STATUS_COLORS[s] for s in counts.index],
            hole=0.5,
            sort=False,
            textinfo="value",
            hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
        )
    )
    fig.update_layout(legend=dict(orientation="v", y=0.5, x=1.02))
    return _style(fig, 340)


def progress_by_area(frame: pd.DataFrame, memo: Memorandum | None, lang: str) -> go.Figure:
    names = area_names(memo, lang)
    progress = facets.progress_by_area(frame).dropna().iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=[names[a] for a in progress.index],
            x=progress.round(0).tolist(),
            orientation="h",
            marker_color="#54A24B",
            customdata=[[a] for a in progress.index],
            text=[f"{v:.0f}%" for v in progress],
            textposition="auto",
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], title=i18n.t(lang, "axis.progress"))
    return _style(fig, 420)


def _quarter_ticks(years: list[int], lang: str) -> tuple[list[str], list[str]]:
    values, labels = [], []
    for year in years:
        for quarter in range(1, 5):
            period = periods.parse(f"{year}-Q{quarter}")
            values.append(period.first_day.isoformat())
            labels.append(period.label(lang).replace(" жылғы ", " ").replace(" г.", "").replace("квартал", "кв."))
    return values, labels


def timeline(frame: pd.DataFrame, memo: Memorandum | None, years: list[int], asof: dt.date, lang: str) -> go.Figure:
    """A Gantt of the actions grouped by area, coloured by status, with a line at ``asof``."""
    names = area_names(memo, lang)
    order = {a: i for i, a in enumerate(names)}
    rows = frame.assign(_order=frame["area"].map(order)).sort_values(["_order", "start", "id"])
    label = [f"{escape(t[:60])}{'…' if len(t) > 60 else ''}" for t in rows[f"title_{lang}"]]
    fig = go.Figure()
    one_day = pd.Timedelta(days=1)
    for status in STATUSES:
        part = rows[rows["status"] == status]
        if part.empty:
            continue
        mask = rows["status"] == status
        fig.add_bar(
            base=part["start"].dt.strftime("%Y-%m-%d").tolist(),
            x=((part["end"] + one_day - part["start"]).dt.total_seconds() * 1000).tolist(),
            y=[[names[a] for a in part["area"]], [lab for lab, m in zip(label, mask) if m]],
            orientation="h",
            name=i18n.t(lang, f"status.{status}"),
            marker_color=STATUS_COLORS[status],
            customdata=[
                [
                    row["id"],
                    escape(row[f"title_{lang}"]),
                    escape(row[f"period_{lang}"]),
                    escape("; ".join(row["bodies_pavlodar"])) or "—",
                    escape("; ".join(row["bodies_omsk"])) or "—",
                ]
                for _, row in part.iterrows()
            ],
            hovertemplate=(
                "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
                f"{escape(i18n.t(lang, 'lead.pavlodar'))}: %{{customdata[3]}}<br>"
                f"{escape(i18n.t(lang, 'lead.omsk'))}: %{{customdata[4]}}<extra>%{{fullData.name}}</extra>"
            ),
        )
    ticks, tick_labels = _quarter_ticks(years, lang)
    fig.update_xaxes(
        type="date",
        tickvals=ticks,
        ticktext=tick_labels,
        tickangle=-45,
        range=[f"{years[0]}-01-01", f"{years[-1] + 1}-01-01"],
        showgrid=True,
        gridcolor="#E4E7EB",
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont=dict(size=12))
    fig.add_shape(type="line", x0=asof.isoformat(), x1=asof.isoformat(), y0=0, y1=1, yref="paper", line=dict(color="#D62728", width=2, dash="dash"))
    fig.add_annotation(x=asof.isoformat(), y=1, yref="paper", text=i18n.t(lang, "timeline.asof", date=i18n.date(asof, lang, "medium")), showarrow=False, yanchor="bottom", font=dict(color="#D62728"))
    _style(fig, max(360, 26 * len(rows) + 140))
    fig.update_layout(barmode="overlay", margin=dict(t=40))
    return fig
