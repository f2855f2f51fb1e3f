"""The tables pages show, without Streamlit: actions as a plan writes them, and changes."""

from coopplan.data import loader
from coopplan.editing import history
from coopplan.views import tables
from tests.helpers import DATA, view_of

DATASET = loader.load(DATA)


def test_the_action_table_reads_as_a_plan_writes_it():
    shown = view_of(DATASET, "ru", areas=("tourism",))
    table = tables.action_table(shown, shown.filtered).data  # a Styler: statuses in colour
    assert list(table.columns[:5]) == ["№", "Мероприятие", "Срок исполнения", "Статус", "Выполнение"]
    assert list(table["№"]) == ["po-028", "po-029", "po-030", "po-031"]
    assert table["Срок исполнения"][1] == "сентябрь 2026 г."
    assert table["Статус"][1] == "● Выполнено" and table["Выполнение"][1] == 100
    assert set(table["Направление"]) == {"Туризм"}


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
