"""Plotly figures of the plan: one palette and one look for every chart.

Each builder takes a (filtered) actions frame and returns a figure whose
points carry ``customdata`` ids (area, lead, status, year), so a click can
narrow the plan to what was clicked.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import i18n
from ..data import periods
from ..data.bodies import EMPTY, Registry
from ..data.model import LEADS, REGIONS, STATUSES, Action, Baseline, Indicator, Memorandum, Report, area_names
from . import summaries

# Every colour reads as text on white, and white text reads on it, at 4.5:1 or more
# (WCAG AA; tests/test_contrast.py checks): the tables show statuses in them too.
STATUS_COLORS = {
    "planned": "#3A6EA5",
    "in_progress": "#A35200",
    "done": "#2E7D32",
    "postponed": "#8E4585",
    "cancelled": "#616161",
}
OVERDUE_COLOR = "#C62828"  # overdue marks and the «as of» line
LEAD_COLORS = {"pavlodar": "#0072A3", "omsk": "#C8102E", "joint": "#6A4C93"}
HEAT_SCALE = [[0.0, "#F7FBFF"], [1.0, "#7FAEDB"]]  # light enough for HEAT_TEXT on every tile
HEAT_TEXT = "#102A43"
FONT = dict(family="Inter, 'Segoe UI', Arial, sans-serif", size=15, color="#1F2933")
# Numbers in a bar in white, beside a short one in the text colour: both at 4.5:1 or more
AXIS_TITLE_ROOM = 60  # below a chart: the ticks and the axis's title
TOP_TICKS_ROOM = 40  # above a chart whose ticks are on top
TEXT_ON_BARS = dict(insidetextfont=dict(color="#FFFFFF"), outsidetextfont=dict(color=FONT["color"]))


def label_room(labels, size: float = FONT["size"]) -> int:
    """Pixels that the longest line of ``labels`` (plotly text, lines split by <br>) needs
    beside an axis: a margin set once. Axes that size their margins themselves
    (``automargin``, which Streamlit's theme turns on) draw the chart two to four times
    over to settle them: the Gantt took 180 ms to draw instead of 40."""
    longest = max((len(html.unescape(line)) for label in labels for line in str(label).split("<br>")), default=0)
    return round(0.6 * size * longest) + 16


def _margins(fig: go.Figure, left: int, top: int = 10, bottom: int = 10) -> None:
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    fig.update_layout(margin=dict(l=left, r=10, t=top, b=bottom))


def _style(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(  # no template: Streamlit's theme supplies it, and setting one costs ~10 ms a chart
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None),
        hoverlabel=dict(font_size=14),
        clickmode="event+select",
    )
    # the axes' numbers and names in the text colour, not the theme's faint grey
    fig.update_xaxes(tickfont_color=FONT["color"], title_font_color=FONT["color"])
    fig.update_yaxes(tickfont_color=FONT["color"], title_font_color=FONT["color"])
    return fig


def per_area_by_lead(frame: pd.DataFrame, memo: Memorandum | None, lang: str) -> go.Figure:
    """Horizontal stacked bars: actions per area, split by lead region."""
    names = _area_labels(memo, lang)
    counts = summaries.area_by_lead(frame).iloc[::-1]  # first area on top
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
    _style(fig, 460)
    _margins(fig, label_room(names[a] for a in counts.index), bottom=AXIS_TITLE_ROOM)
    return fig


def area_year_heatmap(frame: pd.DataFrame, memo: Memorandum | None, years: list[int], lang: str) -> go.Figure:
    """Areas × years, the number of actions running in each year, as coloured tiles.

    Tiles are square markers, not a plotly heatmap: heatmap cells emit no
    selection events, and a click on a tile must narrow the plan.
    """
    names = _area_labels(memo, lang)
    table = summaries.area_by_year(frame, years)
    cells = [(area, year, int(table.loc[area, year])) for area in table.index for year in years]
    counts = [n for _, _, n in cells]
    fig = go.Figure(
        go.Scatter(
            x=[str(year) for _, year, _ in cells],
            y=[names[area] for area, _, _ in cells],
            mode="markers+text",
            marker=dict(
                symbol="square",
                size=34,
                color=counts,
                colorscale=HEAT_SCALE,
                cmin=0,
                cmax=max(counts, default=0) or 1,
                line=dict(width=1, color="#FFFFFF"),
            ),
            text=counts,
            textfont=dict(color=HEAT_TEXT, size=14),
            customdata=[[area, year] for area, year, _ in cells],
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", side="top", showgrid=False)
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=[names[a] for a in reversed(table.index)], showgrid=False
    )
    _style(fig, 460)
    _margins(fig, label_room(names[a] for a in table.index), top=TOP_TICKS_ROOM)
    return fig


def status_breakdown(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Actions per status as bars (a pie's slices emit no selection events to click)."""
    counts = summaries.status_counts(frame).iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=[i18n.t(lang, f"status.{s}") for s in counts.index],
            x=counts.tolist(),
            orientation="h",
            marker_color=[STATUS_COLORS[s] for s in counts.index],
            customdata=[[s] for s in counts.index],
            text=counts.tolist(),
            textposition="auto",
            **TEXT_ON_BARS,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title=i18n.t(lang, "axis.actions"))
    _style(fig, 340)
    _margins(fig, label_room(i18n.t(lang, f"status.{s}") for s in counts.index), bottom=AXIS_TITLE_ROOM)
    return fig


def progress_by_area(frame: pd.DataFrame, memo: Memorandum | None, lang: str) -> go.Figure:
    names = _area_labels(memo, lang)
    progress = summaries.progress_by_area(frame).dropna().iloc[::-1]
    fig = go.Figure(
        go.Bar(
            y=[names[a] for a in progress.index],
            x=progress.round(0).tolist(),
            orientation="h",
            marker_color="#54A24B",
            customdata=[[a] for a in progress.index],
            text=[f"{v:.0f}%" for v in progress],
            textposition="auto",
            **TEXT_ON_BARS,
            hovertemplate="%{y}: %{x:.0f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], title=i18n.t(lang, "axis.progress"))
    _style(fig, 420)
    _margins(fig, label_room(names[a] for a in progress.index), bottom=AXIS_TITLE_ROOM)
    return fig


def _quarter_ticks(years: list[int]) -> tuple[list[str], list[str]]:
    """Quarter starts labelled with Roman numerals, which read the same in kk, ru
    and en; the year under each first quarter."""
    values, labels = [], []
    for code in periods.quarters(years):
        quarter = periods.parse(code)
        values.append(quarter.first_day.isoformat())
        roman = periods.ROMAN[quarter.quarter]
        labels.append(f"{roman}<br>{quarter.year}" if quarter.quarter == 1 else roman)
    return values, labels


def _plotly_text(text: str) -> str:
    """Text made inert for plotly, which reads labels as a little HTML: plotly shows
    &lt; &gt; &amp; as the characters but &quot; as written, and quotes need no
    escaping where no tag can start."""
    return html.escape(text, quote=False)


def _area_labels(memo: Memorandum | None, lang: str) -> dict[str, str]:
    """The areas' names as a chart shows them: inert, as every text of the memorandum
    (whoever may write memorandum.yaml may put markup in it)."""
    return {area: _plotly_text(name) for area, name in area_names(memo, lang).items()}


def _wrapped(name: str) -> str:
    """An area name on two lines when long, to leave the bars room."""
    words = _plotly_text(name).split(" ")
    if len(name) <= 16 or len(words) < 2:
        return " ".join(words)
    middle = (len(words) + 1) // 2
    return " ".join(words[:middle]) + "<br>" + " ".join(words[middle:])


def _each_once(texts: pd.Series, function) -> pd.Series:
    """``function`` of each text, worked out once per distinct text (bodies repeat a lot)."""
    unique = texts.unique()
    return texts.map(dict(zip(unique, map(function, unique), strict=True)))


HOVER_WIDTH, HOVER_MOST = 70, 280


def _hover_lines(text: str) -> str:
    """A text for a hover label, which never wraps (a long title would make it
    thousands of pixels wide): escaped, in lines of at most HOVER_WIDTH
    characters, cut after HOVER_MOST; the plan shows the whole text."""
    if len(text) > HOVER_MOST:
        text = text[: HOVER_MOST - 1].rstrip() + "…"
    if len(text) <= HOVER_WIDTH and "\n" not in text and "\r" not in text:
        return _plotly_text(text)
    return "<br>".join(_plotly_text(line) for line in textwrap.wrap(text, HOVER_WIDTH))


def _short(text: str, limit: int = 38) -> str:
    return _plotly_text(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


BASELINE_COLOR = "#52606D"
FADED = 0.35  # the opacity of what was dropped since approval


def _baseline_bars(fig: go.Figure, rows: pd.DataFrame, y, baseline: Baseline, dropped, lang: str) -> None:
    """Each action's approved period as a thin bar under its bar, and a legend entry."""
    approved = {a.id: a for a in baseline.actions}
    spans = [approved.get(i) for i in rows["id"]]
    first = pd.to_datetime([a.start_period.first_day if a else None for a in spans])
    last = pd.to_datetime([a.end_period.last_day if a else None for a in spans])
    days = pd.Series((last - first).days + 1, index=rows.index).clip(lower=7)
    label = i18n.t(lang, "timeline.baseline", version=baseline.version)
    gone = f"<br><i>{_plotly_text(i18n.t(lang, 'timeline.dropped'))}</i>"
    hover = [
        f"{_plotly_text(label)}<br>{_plotly_text(periods.range_label(a.start_period, a.end_period, lang))}"
        + (gone if out else "")
        if a
        else ""
        for a, out in zip(spans, dropped, strict=True)
    ]
    fig.add_bar(
        base=first.to_numpy(),
        x=(days * 86_400_000).to_numpy(),
        y=y,
        orientation="h",
        width=0.22,
        offset=0.26,
        marker=dict(color=BASELINE_COLOR, opacity=np.where(dropped, FADED, 1.0)),
        name=_plotly_text(label),
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=rows["id"].to_numpy(),  # a click opens the action, as its own bar does
    )


def _gone(baseline: Baseline, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows for the approved actions deleted since: no bar of their own, only the approved one."""
    gone = [a for a in baseline.actions if a.id not in set(frame["id"])]
    return pd.DataFrame(
        {
            "id": [a.id for a in gone],
            "area": [a.area for a in gone],
            "start": pd.to_datetime([a.start_period.first_day for a in gone]),
            "end": pd.to_datetime([a.end_period.last_day for a in gone]),
            "status": "cancelled",  # drawn faded as a cancelled one is; it has no bar, legend or hover of its own
            f"title_{lang}": [a.title(lang) for a in gone],
            f"period_{lang}": [periods.range_label(a.start_period, a.end_period, lang) for a in gone],
            "bodies_pavlodar": [tuple(a.responsible.pavlodar) for a in gone],
            "bodies_omsk": [tuple(a.responsible.omsk) for a in gone],
            "_gone": True,
        }
    )


TIMELINE_PART = 200  # rows drawn at once: a taller Gantt is scrolled past, not read, and slow to draw


def timeline_rows(frame: pd.DataFrame, memo: Memorandum | None, lang: str, baseline: Baseline | None) -> pd.DataFrame:
    """The timeline's rows in its order (area, then start): the actions, and with a
    ``baseline`` the approved actions deleted since."""
    order = {a: i for i, a in enumerate(area_names(memo, lang))}
    rows = frame.assign(_gone=False)
    if baseline is not None:
        gone = _gone(baseline, frame, lang)
        rows = pd.concat([rows, gone]) if len(gone) else rows
    return rows.assign(_order=rows["area"].map(order)).sort_values(["_order", "start", "id"])


def timeline(
    frame: pd.DataFrame,
    memo: Memorandum | None,
    years: list[int],
    asof: dt.date,
    lang: str,
    baseline: Baseline | None = None,
    bodies: Registry = EMPTY,
    part: slice = slice(None),
) -> go.Figure:
    """A Gantt of the actions grouped by area, coloured by status, with a line at ``asof``;
    the hover names each side's bodies in ``lang``. With a ``baseline``, each action's
    approved period as a thin grey bar under its own, and what was dropped since
    (cancelled, or deleted) faded.

    One trace keeps the rows in plan order (area, then start); the legend gets
    one empty trace per status. ``part``: the rows of ``timeline_rows`` drawn.
    """
    names = area_names(memo, lang)
    rows = timeline_rows(frame, memo, lang, baseline).iloc[part]
    # One-day events are drawn a week wide, or they would be invisible hairlines.
    shown_days = ((rows["end"] - rows["start"]).dt.days + 1).clip(lower=7)
    status_names = {s: i18n.t(lang, f"status.{s}") for s in STATUSES}
    # one body a line (or more when long)
    named = {
        side: _each_once(
            rows[f"bodies_{side}"].map(lambda keys: "\x1f".join(bodies.names(keys, lang))),
            lambda joined: "<br>".join(map(_hover_lines, joined.split("\x1f"))) or "—",
        )
        for side in REGIONS
    }
    # The hover as one string per bar: plotly deep-copies every cell of a
    # customdata table, which cost more than the rest of the chart.
    hover = (
        "<b>"
        + _each_once(rows[f"title_{lang}"], _hover_lines)
        + "</b><br>"
        + _each_once(rows[f"period_{lang}"], _plotly_text)
        + " · "
        + rows["status"].map({s: _plotly_text(n) for s, n in status_names.items()})
        + f"<br><br><i>{_plotly_text(i18n.t(lang, 'lead.pavlodar'))}</i><br>"
        + named["pavlodar"]
        + f"<br><i>{_plotly_text(i18n.t(lang, 'lead.omsk'))}</i><br>"
        + named["omsk"]
    )
    labels = rows["id"] + " · " + rows[f"title_{lang}"].map(_short)
    y = np.array([rows["area"].map({a: _wrapped(n) for a, n in names.items()}).to_numpy(), labels.to_numpy()])
    dropped = rows["_gone"] | (rows["status"] == "cancelled")
    fig = go.Figure()
    fig.add_bar(
        base=rows["start"].to_numpy(),  # datetime64: copied as one block, not row by row
        # a deleted action has no bar of its own: only its approved one below
        x=(shown_days * 86_400_000).where(~rows["_gone"]).to_numpy(),
        y=y,
        orientation="h",
        # Colours as status codes on a stepped scale: plotly checks numbers in bulk
        # but every colour string one by one.
        marker=dict(
            color=rows["status"].map(STATUSES.index).to_numpy(),
            colorscale=[[i / (len(STATUSES) - 1), STATUS_COLORS[s]] for i, s in enumerate(STATUSES)],
            cmin=0,
            cmax=len(STATUSES) - 1,
            opacity=np.where(dropped, FADED, 1.0),
        ),
        width=0.6 if baseline is not None else None,
        offset=-0.38 if baseline is not None else None,
        showlegend=False,
        # numpy arrays: plotly checks them in bulk, lists item by item (7x slower at 2,000 rows).
        hovertext=hover.to_numpy(),
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=rows["id"].to_numpy(),  # a click opens the action
        hoverlabel=dict(align="left"),
    )
    if baseline is not None:
        _baseline_bars(fig, rows, y, baseline, dropped, lang)
    for status in STATUSES:
        if ((rows["status"] == status) & ~rows["_gone"]).any():
            fig.add_bar(
                x=[None],
                y=[[None], [None]],
                name=status_names[status],
                # faded as its bars are, or it reads as the approved bars' grey
                marker=dict(color=STATUS_COLORS[status], opacity=FADED if status == "cancelled" else 1.0),
                orientation="h",
            )
    ticks, tick_labels = _quarter_ticks(years)
    fig.update_xaxes(
        type="date",
        tickvals=ticks,
        ticktext=tick_labels,
        tickangle=0,
        range=[f"{years[0]}-01-01", f"{years[-1] + 1}-01-01"],
        showgrid=True,
        gridcolor="#E4E7EB",
        side="top",
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    fig.add_shape(
        type="line",
        x0=asof.isoformat(),
        x1=asof.isoformat(),
        y0=0,
        y1=1,
        yref="paper",
        line=dict(color=OVERDUE_COLOR, width=2, dash="dash"),
    )
    # The line is named in the legend: a label at its foot ran into the legend below.
    fig.add_scatter(
        x=[None],
        y=[[None], [None]],
        mode="lines",
        line=dict(color=OVERDUE_COLOR, width=2, dash="dash"),
        name=_plotly_text(i18n.t(lang, "timeline.asof", date=i18n.date(asof, lang))),
        hoverinfo="skip",
    )
    _style(fig, max(360, 24 * len(rows) + 160))
    # the two levels of the axis side by side: the area's name and the action's label
    _margins(fig, label_room(y[0], 12) + label_room(y[1], 12), top=60, bottom=40)
    fig.update_layout(barmode="overlay", legend=dict(y=-0.02, yanchor="top", orientation="h"))
    return fig


def indicator_progress(indicator: Indicator, action: Action, reports: list[Report], lang: str) -> go.Figure:
    """An indicator's targets against its actual values over time: the baseline and the
    targets (each year's, and the final one at the action's end) as a line, and each
    report's value at the end of its quarter as a point in its side's colour."""
    name = _plotly_text(indicator.name(lang))
    fig = go.Figure()
    planned = []
    if indicator.baseline is not None:
        planned.append((f"{indicator.baseline.year}-12-31", indicator.baseline.value))
    planned += [(f"{year}-12-31", value) for year, value in sorted(indicator.targets.items())]
    if indicator.target is not None:
        planned.append((action.end_period.last_day.isoformat(), indicator.target))
    planned = sorted(dict(planned).items())
    if planned:
        fig.add_scatter(
            x=[day for day, _ in planned],
            y=[value for _, value in planned],
            mode="lines+markers",
            name=i18n.t(lang, "chart.target"),
            line=dict(color="#6B7280", dash="dash"),
            hovertemplate=f"{name}<br>%{{x|%d.%m.%Y}}: %{{y}}<extra></extra>",
        )
    for side in REGIONS:
        given = sorted(
            (r.quarter.last_day.isoformat(), r.indicators[indicator.id])
            for r in reports
            if r.side == side and indicator.id in r.indicators
        )
        if given:
            fig.add_scatter(
                x=[day for day, _ in given],
                y=[value for _, value in given],
                mode="lines+markers",
                name=f"{i18n.t(lang, 'chart.actual')} · {_plotly_text(i18n.t(lang, f'lead.{side}'))}",
                marker=dict(color=LEAD_COLORS[side], size=10),
                line=dict(color=LEAD_COLORS[side]),
                hovertemplate=f"{name}<br>%{{x|%d.%m.%Y}}: %{{y}}<extra></extra>",
            )
    fig.update_xaxes(type="date", tickformat="%m.%Y")
    fig.update_yaxes(rangemode="tozero", title=_plotly_text((indicator.unit or indicator.name)(lang)))
    return _style(fig, 280)
