import pandas as pd

from coopplan.data import loader
from coopplan.views import frame
from tests.helpers import DATA


def test_one_row_per_action_with_dates_and_labels():
    dataset = loader.load(DATA)
    view = frame.actions_frame(dataset.actions)
    assert len(view) == len(dataset.actions) and view["id"].is_unique
    row = view.loc["po-002"]
    assert row["start"] == pd.Timestamp("2026-04-01") and row["end"] == pd.Timestamp("2027-12-31")
    assert row["period_ru"] == "II квартал 2026 г. – IV квартал 2027 г."
    assert row["period_kk"] == "2026 жылғы II тоқсан – 2027 жылғы IV тоқсан"
    assert row["period_en"] == "Q2 2026 – Q4 2027"
    assert view.loc["po-019", "period_ru"] == "17 апреля 2026 г."
    assert view["start"].dtype.kind == "M" and view["end"].dtype.kind == "M"


def test_missing_languages_fall_back_and_say_so():
    view = frame.actions_frame(loader.load(DATA).actions)
    row = view.loc["po-023"]  # no English title in the shipped draft
    assert row["title_en"] == row["title_kk"] and row["title_en_from"] == "kk"
    assert row["title_ru_from"] == ""


def test_search_covers_every_language_and_the_bodies():
    dataset = loader.load(DATA)
    row = frame.actions_frame(dataset.actions, dataset.bodies).loc["po-011"]
    # texts in every language, and the bodies by each of their names
    for word in (
        "ертіс",
        "иртыш",
        "irtysh",
        "министерство природных ресурсов",
        "табиғи ресурстар",
        "natural resources",
    ):
        assert word in row["search"]


def test_an_empty_plan_has_the_same_columns():
    empty = frame.actions_frame([])
    full = frame.actions_frame(loader.load(DATA).actions)
    assert empty.empty and list(empty.columns) == list(full.columns)
