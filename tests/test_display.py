"""What pages show, without Streamlit: tables, changes, problems and inert markdown."""

import pytest

from coopplan import display, filters, history, loader, validate
from coopplan.frame import actions_frame
from tests.conftest import DATA

DATASET = loader.load(DATA)
FRAME = actions_frame(DATASET.actions)


def view(lang: str, **chosen) -> display.View:
    return display.View(lang, DATASET, FRAME, filters.Filters(**chosen))


def test_the_action_table_reads_as_a_plan_writes_it():
    shown = view("ru", areas=("tourism",))
    table = display.action_table(shown, shown.filtered).data  # a Styler: statuses in colour
    assert list(table.columns[:5]) == ["№", "Мероприятие", "Срок исполнения", "Статус", "Выполнение"]
    assert list(table["№"]) == ["po-028", "po-029", "po-030", "po-031"]
    assert table["Срок исполнения"][1] == "сентябрь 2026 г."
    assert table["Статус"][1] == "● Выполнено" and table["Выполнение"][1] == 100
    assert set(table["Направление"]) == {"Туризм"}


def test_a_missing_title_is_marked_with_the_language_shown_instead():
    titles = display.title_column(view("en"), FRAME)
    assert titles[FRAME["id"] == "po-023"].iloc[0].startswith("[KK] ")


def test_changes_name_fields_as_the_form_does_and_values_by_name():
    before = DATASET.action("po-012").to_yaml_dict()
    after = before | {"status": "cancelled", "area": "tourism", "title": before["title"] | {"kk": "Жаңа атау"}}
    table = display.changes_frame(view("ru"), history.diff(before, after))
    assert list(table.index) == ["Направление", "Наименование · KK", "Статус"]
    assert table.loc["Статус"].tolist() == ["Выполнено", "Отменено"]
    assert table.loc["Направление"].tolist()[1] == "Туризм"


def test_a_problem_line_gives_advice_in_the_language_then_the_rule():
    problem = validate.Problem("data/actions/po-001.yaml", 3, "binary file, not YAML text", "binary")
    assert display.problem_line(view("kk"), problem) == (
        "data/actions/po-001.yaml:3: Бұл мәтіндік файл емес; оны YAML мәтінімен ауыстырыңыз — binary file, not YAML text"
    )


@pytest.mark.parametrize("hostile", ["[open](javascript:alert(1))", "<script>alert(1)</script>", "**bold** $x$ `code`"])
def test_user_text_is_inert_in_markdown(hostile):
    escaped = display.escape_md(hostile)
    assert all(f"\\{c}" in escaped for c in set(hostile) & set("[]()<>*$`"))


def test_the_source_words_are_highlighted_whole():
    shown = display.highlight("туризм, спорт және жастар саясаты", ["спорт", "жастар саясаты"])
    assert ":orange-background[**жастар саясаты**]" in shown and ":orange-background[**спорт**]" in shown


def test_odd_values_from_history_or_disk_are_shown_not_crashed_on():
    before = DATASET.action("po-012").to_yaml_dict()
    table = display.changes_frame(view("ru"), history.diff(before, before | {"area": ["tourism"], "budget": {"amount": 5, "currency": "KZT"}}))
    assert table.loc["Направление"].tolist()[1] == "tourism"  # a list, not an area id: shown as it is
    assert "Финансирование" in table.index  # a whole mapping added: named, not «budget»
