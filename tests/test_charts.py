"""The figures: what each chart draws, in which order and colours, and what a click
on each point carries (the ids that narrow the plan or open an action)."""

import datetime as dt

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.model import AREA_IDS, LEADS, STATUSES
from coopplan.views import charts, summaries
from coopplan.views.frame import actions_frame
from tests.helpers import DATA

DATASET = loader.load(DATA)
MEMO = DATASET.memorandum
FRAME = actions_frame(DATASET.actions)
YEARS = [2026, 2027, 2028]
ASOF = dt.date(2026, 11, 30)


def test_actions_per_area_are_stacked_by_lead_first_area_on_top():
    fig = charts.per_area_by_lead(FRAME, MEMO, "ru")
    assert [trace.name for trace in fig.data] == ["Павлодарская область", "Омская область", "Совместно"]
    bars = fig.data[0]
    assert list(bars.y) == [MEMO.area_names("ru")[a] for a in reversed(AREA_IDS)]
    counts = summaries.area_by_lead(FRAME)
    for trace, lead in zip(fig.data, LEADS, strict=True):
        assert list(trace.x) == counts[lead].iloc[::-1].tolist()
        assert [tuple(point) for point in trace.customdata] == [(a, lead) for a in reversed(AREA_IDS)]


def test_the_heat_map_has_a_tile_a_year_and_area_each_carrying_both():
    fig = charts.area_year_heatmap(FRAME, MEMO, YEARS, "kk")
    [tiles] = fig.data
    assert len(tiles.x) == len(AREA_IDS) * len(YEARS)
    table = summaries.area_by_year(FRAME, YEARS)
    for (area, year), count in zip(tiles.customdata, tiles.text, strict=True):
        assert int(count) == table.loc[area, int(year)]


def test_statuses_are_bars_in_their_colours_each_carrying_its_status():
    [bars] = charts.status_breakdown(FRAME, "en").data
    assert [s for [s] in bars.customdata] == list(reversed(STATUSES))
    assert list(bars.marker.color) == [charts.STATUS_COLORS[s] for s in reversed(STATUSES)]
    assert sum(bars.x) == len(FRAME)


def test_progress_per_area_leaves_out_areas_without_actions():
    only_sport = FRAME[FRAME["area"] == "sport"]
    fig = charts.progress_by_area(only_sport, MEMO, "en")
    [bars] = fig.data
    assert [a for [a] in bars.customdata] == ["sport"] and tuple(fig.layout.xaxis.range) == (0, 100)
    assert list(bars.x) == [round(summaries.progress_by_area(only_sport)["sport"])]


def test_the_timeline_has_a_bar_an_action_in_plan_order_and_the_as_of_line():
    fig = charts.timeline(FRAME, MEMO, YEARS, ASOF, "ru")
    bars = fig.data[0]
    area_order = {a: i for i, a in enumerate(AREA_IDS)}
    expected = FRAME.assign(o=FRAME["area"].map(area_order)).sort_values(["o", "start", "id"])["id"].tolist()
    assert list(bars.customdata) == expected
    [line] = fig.layout.shapes
    assert line.x0 == line.x1 == "2026-11-30"
    present = [s for s in STATUSES if (FRAME["status"] == s).any()]
    named = [i18n.t("ru", f"status.{s}") for s in present] + ["По состоянию на 30 ноября 2026 г."]
    assert [trace.name for trace in fig.data[1:]] == named
    assert not fig.layout.annotations  # the legend names the line; no label runs into it
    faded = {trace.name: trace.marker.opacity for trace in fig.data[1:-1]}
    assert faded[i18n.t("ru", "status.cancelled")] == charts.FADED  # as its bars, unlike the approved grey


def test_a_one_day_event_is_drawn_a_week_wide():
    one_day = FRAME[FRAME["id"] == "po-019"]  # 17 April 2026
    [bar, *_] = charts.timeline(one_day, MEMO, YEARS, ASOF, "en").data
    assert list(bar.x) == [7 * 86_400_000]


def test_quarters_are_ticked_with_roman_numerals_and_the_year_under_the_first():
    fig = charts.timeline(FRAME, MEMO, YEARS, ASOF, "kk")
    assert len(fig.layout.xaxis.tickvals) == 12
    assert list(fig.layout.xaxis.ticktext[:4]) == ["I<br>2026", "II", "III", "IV"]
