"""Texts pages show, without Streamlit: problems with advice, and user text inert in markdown."""

import pytest

from coopplan.data import loader, validate
from coopplan.views import texts
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
