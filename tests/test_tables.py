"""The tables pages show, without Streamlit: actions as a plan writes them, and changes."""

import datetime as dt

from coopplan.data import loader
from coopplan.editing import history
from coopplan.views import charts, summaries, tables
from tests.helpers import DATA, view_of

DATASET = loader.load(DATA)


def test_the_action_table_reads_as_a_plan_writes_it():
    shown = view_of(DATASET, "ru", areas=("tourism",))
    table = tables.action_table(shown, shown.filtered)
    # lead and status beside the title, so that they are in view at 1280 px
    assert list(table.columns[:6]) == ["№", "Мероприятие", "Ведущая сторона", "Статус", "Срок исполнения", "Выполнение"]
    assert list(table["№"]) == ["po-028", "po-029", "po-030", "po-031"]
    assert table["Срок исполнения"][1] == "сентябрь 2026 г."
    assert table["Статус"][1] == "● Выполнено" and table["Выполнение"][1] == 100
    assert set(table["Направление"]) == {"Туризм"}
    assert table["Исполнители Павлодарской области"][0] == "Управление туризма Павлодарской области"


def test_bodies_are_named_in_the_tables_language():
    kk = view_of(DATASET, "kk", areas=("tourism",))
    table = tables.action_table(kk, kk.filtered)
    assert table["Павлодар облысының орындаушылары"][0] == "Павлодар облысының туризм басқармасы"
    assert table["Омбы облысының орындаушылары"][0].startswith("Омбы облысының")


def test_overdue_actions_are_marked_in_the_table():
    shown = view_of(DATASET, "ru", asof=dt.date(2026, 11, 25))
    table = tables.action_table(shown, shown.frame)
    late_rows = table.index[table["Статус"].str.endswith("· просрочено")]
    assert table["№"][late_rows].tolist() == ["po-018", "po-042"]
    labels, colours = tables.status_colours(shown)
    assert colours[labels.index(table["Статус"][late_rows[0]])] == charts.OVERDUE_COLOR


def test_the_short_lists_name_the_lead_and_the_bodies():
    shown = view_of(DATASET, "kk", asof=dt.date(2026, 11, 25))
    table = tables.short_table(shown, summaries.overdue(shown.frame, shown.asof), "end")
    assert list(table.columns) == ["№", "Аяқталуы", "Мәртебе", "Іс-шара", "Жетекші тарап", "Орындаушылар"]
    assert table["Жетекші тарап"].tolist()[0] in {"Павлодар облысы", "Омбы облысы", "Бірлесіп"}
    assert all("облысы" in bodies or "университет" in bodies for bodies in table["Орындаушылар"])


def test_a_missing_title_is_marked_with_the_language_shown_instead():
    shown = view_of(DATASET, "en")
    titles = tables.title_column(shown, shown.frame)
    assert titles[shown.frame["id"] == "po-023"].iloc[0].startswith("[KK] ")


def test_changes_name_fields_as_the_form_does_and_values_by_name():
    before = DATASET.action("po-012").to_yaml_dict()
    after = before | {"status": "cancelled", "area": "tourism", "title": before["title"] | {"kk": "Жаңа атау"}}
    table = tables.changes_frame(view_of(DATASET, "ru"), history.diff(before, after))
    assert list(table.index) == ["Направление", "Наименование · KK", "Статус"]
    assert table.loc["Статус"].tolist() == ["Выполнено", "Отменено"]
    assert table.loc["Направление"].tolist()[1] == "Туризм"


def test_odd_values_from_history_or_disk_are_shown_not_crashed_on():
    before = DATASET.action("po-012").to_yaml_dict()
    table = tables.changes_frame(
        view_of(DATASET, "ru"),
        history.diff(before, before | {"area": ["tourism"], "budget": {"amount": 5, "currency": "KZT"}}),
    )
    assert table.loc["Направление"].tolist()[1] == "tourism"  # a list, not an area id: shown as it is
    assert "Финансирование" in table.index  # a whole mapping added: named, not «budget»


def test_a_change_of_bodies_names_them_not_their_ids():
    before = DATASET.action("po-012").to_yaml_dict()
    after = before | {"responsible": {**before["responsible"], "omsk": ["omsk-culture", "Новый исполнитель"]}}
    table = tables.changes_frame(view_of(DATASET, "kk"), history.diff(before, after))
    assert table.iloc[0, 1] == "Омбы облысының мәдениет министрлігі; Новый исполнитель"
