import datetime as dt

import pytest

from coopplan.data import loader
from coopplan.views import filters, frame, summaries
from coopplan.views.filters import Filters, Invalid
from tests.helpers import DATA

DATASET = loader.load(DATA)
VIEW = frame.actions_frame(DATASET.actions, DATASET.bodies)


def test_url_parameters_round_trip():
    query = {
        "area": "tourism,sport",
        "lead": "joint",
        "year": "2027",
        "quarter": "2026-Q2",
        "status": "planned,done",
        "due": "overdue",
        "body": "omsk-economy",
        "q": "Иртыш",
        "asof": "2026-06-30",
    }
    chosen, invalid = filters.from_query(query)
    assert invalid == []
    assert chosen == Filters(
        ("tourism", "sport"),
        ("joint",),
        (2027,),
        ("2026-Q2",),
        ("planned", "done"),
        ("overdue",),
        ("omsk-economy",),
        "Иртыш",
        dt.date(2026, 6, 30),
    )
    assert filters.to_query(chosen, "ru") == {"lang": "ru", **query}


def test_repeated_parameters_are_read_like_commas():
    chosen, _ = filters.from_query({"area": ["tourism", "sport,tourism"]})
    assert chosen.areas == ("tourism", "sport")


def test_invalid_values_are_dropped_and_reported():
    chosen, invalid = filters.from_query(
        {"area": "atlantis,sport", "year": "1999", "status": "lost", "asof": "tomorrow", "quarter": "2026-Q9"}
    )
    assert chosen == Filters(areas=("sport",))
    assert invalid == [
        Invalid("area", "atlantis"),
        Invalid("year", "1999"),
        Invalid("quarter", "2026-Q9"),
        Invalid("status", "lost"),
        Invalid("asof", "tomorrow"),
    ]


def ids(chosen: Filters) -> list[str]:
    return sorted(filters.apply(VIEW, chosen)["id"])


def test_no_filter_keeps_everything():
    assert len(filters.apply(VIEW, Filters())) == len(VIEW)


@pytest.mark.parametrize(
    "chosen, expected",
    [
        (Filters(areas=("sport",)), ["po-032", "po-033", "po-034", "po-035"]),
        (Filters(areas=("sport",), leads=("pavlodar",)), ["po-032", "po-035"]),
        (Filters(areas=("sport",), statuses=("postponed", "done")), ["po-032", "po-034"]),
        (Filters(areas=("sport",), years=(2028,)), ["po-035"]),
        (Filters(areas=("sport",), quarters=("2027-Q3",)), ["po-033"]),
        (Filters(q="марафон"), ["po-033"]),
        (Filters(q="MARATHON siberian"), ["po-033"]),
        (Filters(q="сібір"), ["po-033"]),  # Kazakh title: «Сібір халықаралық марафонына»
        (Filters(bodies=("omsk-philharmonic",)), ["po-024"]),
        (Filters(bodies=("Омбы филармониясы",)), []),  # by id: names are mapped to ids before (below)
        (Filters(q="омбы филармониясы"), ["po-024"]),  # the search finds a body by its name in any language
        (Filters(q="omsk philharmonic"), ["po-024"]),
        (Filters(due=("overdue",), asof=dt.date(2026, 11, 25)), ["po-018", "po-042"]),
        (Filters(due=("upcoming",), asof=dt.date(2026, 11, 25)), ["po-003", "po-021", "po-023"]),
        (
            Filters(due=("overdue", "upcoming"), areas=("healthcare", "education_science"), asof=dt.date(2026, 11, 25)),
            ["po-018", "po-021", "po-023"],
        ),
    ],
)
def test_each_filter(chosen, expected):
    assert ids(chosen) == expected


def test_a_multi_year_action_matches_every_year_it_spans():
    assert "po-011" in ids(Filters(years=(2026,))) and "po-011" in ids(Filters(years=(2028,)))


def test_bodies_given_by_name_in_any_language_are_read_as_their_ids():
    names = ["Омбы филармониясы", "БУК «Омская филармония»", "Omsk Philharmonic", "Not in the registry"]
    chosen, invalid = filters.from_query({"body": names}, registry=DATASET.bodies)
    assert chosen.bodies == ("omsk-philharmonic", "Not in the registry") and invalid == []
    known = summaries.all_bodies(frame.actions_frame(DATASET.actions, DATASET.bodies))
    chosen, invalid = filters.from_query({"body": names}, known_bodies=known, registry=DATASET.bodies)
    assert chosen.bodies == ("omsk-philharmonic",) and invalid == [filters.Invalid("body", "Not in the registry")]


def test_asof_does_not_filter_rows():
    assert len(filters.apply(VIEW, Filters(asof=dt.date(2030, 1, 1)))) == len(VIEW)


def test_every_filter_is_declared_once_and_each_field_of_filters_has_its_declaration():
    from dataclasses import fields

    from coopplan import i18n

    assert [f.field for f in filters.FILTERS] == [f.name for f in fields(filters.Filters)]
    assert len({f.param for f in filters.FILTERS}) == len({f.place for f in filters.FILTERS}) == len(filters.FILTERS)
    for lang in ("kk", "ru", "en"):
        catalog = i18n.catalog(lang)
        for declared in filters.FILTERS:
            assert f"filters.{declared.param}" in catalog or declared.widget == "version", (lang, declared.param)
            assert not declared.ui_help or f"filters.{declared.param}_help" in catalog, (lang, declared.param)


def test_a_filters_widget_value_reads_back_as_the_same_filters():
    chosen = filters.Filters(areas=("sport",), years=(2027,), q="forum", asof=dt.date(2026, 5, 1), baseline=1)
    for declared in filters.FILTERS:
        value = getattr(chosen, declared.field)
        assert declared.from_widget(declared.widget_value(chosen)) == value, declared.param
