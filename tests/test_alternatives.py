"""Each chart's text alternative: the numbers the chart draws, as a sentence in the
page's language; and the pages put it after the chart."""

import datetime as dt
import re

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.model import LANGS
from coopplan.views import alternatives, charts, summaries, texts
from tests.helpers import DATA, run_page, view_of

DATASET = loader.load(DATA)


def test_the_areas_sentence_names_each_area_with_its_count_and_leads():
    view = view_of(DATASET, "ru", areas=("tourism", "sport"))
    text = alternatives.per_area_by_lead(view, view.filtered)
    counts = summaries.area_by_lead(view.filtered)
    for area in ("tourism", "sport"):
        total = counts.loc[area].sum()
        assert f"{view.area_names[area]} — {total} (" in text
    assert view.area_names["healthcare"] not in text  # not in the view: not said
    assert text.startswith("Мероприятия по направлениям и ведущим сторонам: ")


def test_the_status_sentence_adds_up_to_the_actions_shown():
    view = view_of(DATASET, "kk")
    text = alternatives.by_status(view, view.filtered)
    assert sum(int(n) for n in re.findall(r"— (\d+)", text)) == len(view.filtered)
    assert i18n.t("kk", "status.done") in text


def test_the_timeline_sentence_says_how_many_from_when_to_when_and_how_many_are_overdue():
    view = view_of(DATASET, "en", asof=dt.date(2026, 11, 25))
    text = alternatives.timeline(view, view.filtered)
    assert text.startswith("The timeline shows 45 actions from ")
    overdue = int(summaries.is_overdue(view.filtered, view.asof).sum())
    assert f"overdue as of {i18n.date(view.asof, 'en')}: {overdue}." in text


def test_an_indicators_sentence_gives_its_targets_and_each_sides_reported_values():
    view = view_of(DATASET, "ru")
    action = DATASET.action("po-011")
    reports = DATASET.reports_of(action.id)
    indicator = next(i for i in action.indicators if any(i.id in r.indicators for r in reports))
    text = alternatives.indicator(view, indicator, action, reports)
    reported = [r for r in reports if indicator.id in r.indicators]
    assert text.count(" — ") >= len(reported) and "Фактические по отчётам: " in text
    assert i18n.t("ru", f"lead.{reported[0].side}") in text


@pytest.mark.parametrize("lang", LANGS)
def test_every_overview_chart_is_followed_by_its_sentence(lang):
    at = run_page("overview", {"lang": lang})
    assert not at.exception
    specs = at.get("plotly_chart")
    assert len(specs) == 4 and all(chart.proto.alt for chart in specs)  # the chart's accessible name
    captions = [c.value for c in at.caption]
    assert all(texts.escape_md(chart.proto.alt) in captions for chart in specs)  # and as text on the page


def test_a_large_timeline_is_drawn_a_part_at_a_time():
    frame = view_of(DATASET, "en").frame
    many = frame.loc[frame.index.repeat(5)].assign(id=[f"x-{i}" for i in range(len(frame) * 5)])
    rows = charts.timeline_rows(many, DATASET.memorandum, "en", None)
    part = charts.timeline(
        many, DATASET.memorandum, [2026, 2027, 2028], dt.date(2026, 11, 25), "en", part=slice(0, 200)
    )
    assert len(rows) == 225 and len(part.data[0].base) == charts.TIMELINE_PART
