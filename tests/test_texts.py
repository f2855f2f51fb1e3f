"""Texts pages show, without Streamlit: problems with advice, and user text inert in markdown."""

import datetime as dt

import pytest

from coopplan.data import loader, validate
from coopplan.views import texts
from coopplan.views.filters import Filters
from tests.helpers import DATA, view_of

DATASET = loader.load(DATA)


def test_a_problem_line_gives_advice_in_the_language_then_the_rule():
    problem = validate.Problem("data/actions/po-001.yaml", 3, "binary file, not YAML text", "binary")
    assert texts.problem_line(view_of(DATASET, "kk"), problem) == (
        "data/actions/po-001.yaml:3: Бұл мәтіндік файл емес; оны YAML мәтінімен ауыстырыңыз — binary file, not YAML text"
    )


@pytest.mark.parametrize("hostile", ["[open](javascript:alert(1))", "<script>alert(1)</script>", "**bold** $x$ `code`"])
def test_user_text_is_inert_in_markdown(hostile):
    escaped = texts.escape_md(hostile)
    assert all(f"\\{c}" in escaped for c in set(hostile) & set("[]()<>*$`"))


def test_the_source_words_are_highlighted_whole():
    shown = texts.highlight("туризм, спорт және жастар саясаты", ["спорт", "жастар саясаты"])
    assert ":orange-background[**жастар саясаты**]" in shown and ":orange-background[**спорт**]" in shown


def test_the_filters_of_an_export_are_said_in_its_language():
    dataset = loader.load(DATA)
    chosen = Filters(
        areas=("tourism",),
        years=(2027,),
        quarters=("2027-Q2",),
        due=("overdue",),
        bodies=("omsk-economy",),
        q="марафон",
        asof=dt.date(2026, 11, 25),
    )
    assert texts.describe_filters("ru", chosen, dataset.memorandum, dataset.bodies) == (
        "Отбор: Направление: Туризм; Год: 2027; Квартал: II квартал 2027 г.; Сроки: Просроченные;"
        " Исполнитель: Министерство экономики Омской области; Поиск по тексту: «марафон». (по состоянию на 25 ноября 2026 г.)"
    )
    assert texts.describe_filters("kk", Filters(), dataset.memorandum, dataset.bodies) == (
        "Іріктеу: жоспардың барлық іс-шаралары."
    )


def test_a_history_time_is_shown_by_both_regions_clocks():
    view = view_of(loader.load(DATA), "ru")
    at = dt.datetime(2026, 3, 13, 9, 5, tzinfo=dt.UTC)
    assert texts.both_local_times(view, at) == "13 марта 2026 г., 14:05 (Павлодар) · 15:05 (Омск)"
    late = dt.datetime(2026, 3, 13, 18, 30, tzinfo=dt.UTC)  # past midnight in Omsk only
    assert texts.both_local_times(view_of(loader.load(DATA), "kk"), late) == (
        "2026 жылғы 13 наурыз, 23:30 (Павлодар) · 2026 жылғы 14 наурыз, 00:30 (Омбы)"
    )


def test_a_records_title_is_read_whatever_its_shape():
    view = view_of(loader.load(DATA), "kk")
    assert texts.record_title(view, {"title": {"ru": "Только по-русски"}}) == "Только по-русски"
    assert texts.record_title(view, {"title": ["not", "a", "text"]}) == ""
    assert texts.record_title(view, None) == ""
