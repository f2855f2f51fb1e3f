import datetime as dt

import pytest

from coopplan.data import periods


@pytest.mark.parametrize(
    "value, kind, first, last, canonical",
    [
        (2027, "year", dt.date(2027, 1, 1), dt.date(2027, 12, 31), "2027"),
        ("2027", "year", dt.date(2027, 1, 1), dt.date(2027, 12, 31), "2027"),
        ("2026-Q2", "quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026-Q2"),
        ("2026-Q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4"),
        ("2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "2028-02"),
        ("2026-05-15", "day", dt.date(2026, 5, 15), dt.date(2026, 5, 15), "2026-05-15"),
        (dt.date(2026, 5, 15), "day", dt.date(2026, 5, 15), dt.date(2026, 5, 15), "2026-05-15"),
    ],
)
def test_the_four_granularities(value, kind, first, last, canonical):
    period = periods.parse(value)
    assert (period.kind, period.first_day, period.last_day, str(period)) == (kind, first, last, canonical)


@pytest.mark.parametrize(
    "value",
    [
        "2026-Q5",
        "2026-13",
        "2026-02-30",
        "26",
        "2026/05",
        "Q2 2026",
        "",
        True,
        2026.5,
        [2026],
        None,
        dt.datetime(2026, 5, 1, 12, 0),
    ],
)
def test_what_is_not_a_period_is_refused_with_a_message(value):
    with pytest.raises(ValueError, match="2026|date|period|calendar"):
        periods.parse(value)


@pytest.mark.parametrize(
    "value, kk, ru, en",
    [
        ("2026-Q2", "2026 жылғы II тоқсан", "II квартал 2026 г.", "Q2 2026"),
        ("2027", "2027 жыл", "2027 г.", "2027"),
        ("2026-05", "2026 жылғы мамыр", "май 2026 г.", "May 2026"),
        ("2026-09-15", "2026 жылғы 15 қыркүйек", "15 сентября 2026 г.", "September 15, 2026"),
    ],
)
def test_labels_as_official_plans_write_them(value, kk, ru, en):
    period = periods.parse(value)
    assert [period.label(lang) for lang in ("kk", "ru", "en")] == [kk, ru, en]


@pytest.mark.parametrize(
    "start, end, ru, kk, en",
    [
        ("2026-Q2", "2026-Q2", "II квартал 2026 г.", "2026 жылғы II тоқсан", "Q2 2026"),
        ("2026-Q2", "2026-Q4", "II–IV кварталы 2026 г.", "2026 жылғы II–IV тоқсандар", "Q2–Q4 2026"),
        ("2027", "2028", "2027–2028 гг.", "2027–2028 жылдар", "2027–2028"),
        ("2026-Q1", "2026-Q4", "2026 г.", "2026 жыл", "2026"),  # all four quarters are the year
        ("2026-Q1", "2027-Q4", "2026–2027 гг.", "2026–2027 жылдар", "2026–2027"),
        ("2026-09", "2026-10", "сентябрь – октябрь 2026 г.", "2026 жылғы қыркүйек – қазан", "September – October 2026"),
        (
            "2026-09-01",
            "2026-10-15",
            "1 сентября – 15 октября 2026 г.",
            "2026 жылғы 1 қыркүйек – 15 қазан",
            "September 1, 2026 – October 15, 2026",
        ),
        (
            "2026-Q3",
            "2027-05",
            "III квартал 2026 г. – май 2027 г.",
            "2026 жылғы III тоқсан – 2027 жылғы мамыр",
            "Q3 2026 – May 2027",
        ),
    ],
)
def test_range_labels_collapse_where_plans_do(start, end, ru, kk, en):
    s, e = periods.parse(start), periods.parse(end)
    assert periods.range_label(s, e, "ru") == ru
    assert periods.range_label(s, e, "kk") == kk
    assert periods.range_label(s, e, "en") == en


@pytest.mark.parametrize(
    "text, code",
    [
        ("2027-Q2", "2027-Q2"),
        ("II квартал 2027 г.", "2027-Q2"),
        ("2027 жылғы II тоқсан", "2027-Q2"),
        ("q2  2027", "2027-Q2"),
        ("2026 г.", "2026"),
        ("2026 жыл", "2026"),
        ("август 2027 г.", "2027-08"),
        ("2027 жылғы тамыз", "2027-08"),
        ("15 сентября 2026 г.", "2026-09-15"),
        ("2026 жылғы 15 қыркүйек", "2026-09-15"),
        ("September 15, 2026", "2026-09-15"),
        ("some day in 2027", None),
        ("", None),
    ],
)
def test_a_period_written_as_plans_write_it_reads_back_as_its_code(text, code):
    assert periods.from_label(text, ("kk", "ru", "en")) == code


def test_every_label_of_the_plan_reads_back():
    for year in (2026, 2027, 2028):
        for code in [str(year), *periods.quarters([year]), f"{year}-02", f"{year}-02-28"]:
            for lang in ("kk", "ru", "en"):
                assert periods.from_label(periods.parse(code).label(lang), ("kk", "ru", "en")) == code


@pytest.mark.parametrize(
    "code, ru, kk",
    [
        ("2026-Q3", "III квартал 2026 года", "2026 жылғы III тоқсан"),
        ("2026", "2026 год", "2026 жыл"),
        ("2026-09", "сентябрь 2026 года", "2026 жылғы қыркүйек"),
    ],
)
def test_a_title_spells_out_the_year_where_labels_abbreviate_it(code, ru, kk):
    period = periods.parse(code)
    assert (
        period.title_label("ru") == ru
        and period.title_label("kk") == kk
        and period.title_label("en") == period.label("en")
    )
