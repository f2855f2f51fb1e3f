import pandas as pd

from coopplan.data import loader
from coopplan.data.model import Action
from coopplan.views import frame
from tests.helpers import DATA, valid_action

DATASET = loader.load(DATA)


def action(**changes) -> Action:
    return Action.model_validate(valid_action("t-001", **changes))


def test_one_row_per_action_with_dates_and_labels():
    view = frame.actions_frame(DATASET.actions)
    assert len(view) == len(DATASET.actions) and view["id"].is_unique
    assert view["start"].dtype.kind == "M" and view["end"].dtype.kind == "M"
    row = frame.actions_frame([action(start="2026-Q2", end="2027-Q4")]).loc["t-001"]
    assert row["start"] == pd.Timestamp("2026-04-01") and row["end"] == pd.Timestamp("2027-12-31")
    assert row["period_ru"] == "II квартал 2026 г. – IV квартал 2027 г."
    assert row["period_kk"] == "2026 жылғы II тоқсан – 2027 жылғы IV тоқсан"
    assert row["period_en"] == "Q2 2026 – Q4 2027"
    day = frame.actions_frame([action(start="2026-04-17", end="2026-04-17")]).loc["t-001"]
    assert day["period_ru"] == "17 апреля 2026 г." and day["start"] == day["end"] == pd.Timestamp("2026-04-17")


def test_missing_languages_fall_back_and_say_so():
    row = frame.actions_frame([action(title={"kk": "Ертіс", "ru": "Иртыш"})]).loc["t-001"]
    assert row["title_en"] == row["title_kk"] == "Ертіс" and row["title_en_from"] == "kk"
    assert row["title_ru"] == "Иртыш" and row["title_ru_from"] == ""


def test_search_covers_every_language_and_the_bodies():
    body = next(key for key in DATASET.bodies.of_region("omsk") if len(DATASET.bodies.all_names(key)) == 3)
    title = {"kk": "Ертіс өзені", "ru": "Река Иртыш", "en": "The Irtysh river"}
    row = frame.actions_frame([action(title=title, responsible={"omsk": [body]})], DATASET.bodies).loc["t-001"]
    # texts in every language, and the bodies by each of their names
    for word in ("ертіс", "иртыш", "irtysh", *(name.casefold() for name in DATASET.bodies.all_names(body))):
        assert word in row["search"]


def test_an_empty_plan_has_the_same_columns():
    empty = frame.actions_frame([])
    full = frame.actions_frame(DATASET.actions)
    assert empty.empty and list(empty.columns) == list(full.columns)
