"""The edit form's values and action records, both ways: what is shown comes back
unchanged, empty optional fields are left out, and pasted text is trimmed."""

import pytest

from coopplan.data import loader, validate
from coopplan.data.model import Action
from coopplan.editing import forms
from tests.helpers import DATA

DATASET = loader.load(DATA)


@pytest.mark.parametrize("action", DATASET.actions[:12], ids=lambda a: a.id)
def test_an_action_shown_in_the_form_and_sent_back_is_the_same_action(action):
    record = forms.action_record(forms.values_from_action(action))
    assert Action.model_validate(record) == action.model_copy(update={"updated": None, "updated_by": None})


def test_the_form_has_a_value_for_each_of_its_fields_and_the_id():
    values = forms.values_from_action(DATASET.actions[0])
    assert set(values) == {"id", *forms.FIELDS}
    assert set(forms.blank_values("new-099", 2026)) == {"id", *forms.FIELDS}


def test_a_blank_form_asks_only_for_what_an_action_cannot_lack():
    record = forms.action_record(forms.blank_values("new-099", 2026))
    missing = {p.field for p in validate.record_problems(record, DATASET.memorandum)}
    assert missing == {"title", "outcome", "responsible"}


def test_empty_optional_fields_and_indicator_rows_are_left_out():
    values = forms.blank_values("new-099", 2027) | {
        "title_ru": "Форум",
        "outcome_ru": "Форум проведён",
        "bodies_omsk": ["Министерство культуры Омской области"],
        "budget_amount": float("nan"),
        "budget_source": "  ",
        "indicators": [
            {"name_ru": "", "target": None, "actual": float("nan")},
            {"name_ru": "Участники", "target": 200},
        ],
        "tags": " forum , , youth ",
    }
    record = forms.action_record(values)
    assert "budget" not in record and "description" not in record
    assert record["indicators"] == [{"id": "i1", "name": {"ru": "Участники"}, "target": 200}]  # an id for reports
    assert record["tags"] == ["forum", "youth"] and record["start"] == record["end"] == "2027"


def test_pasted_text_loses_its_spaces_and_byte_order_marks_at_the_ends():
    values = forms.blank_values("new-099", 2026) | {
        "title_kk": "\ufeff  Форум \ufeff",
        "bodies_pavlodar": ["  Аппарат акима  "],
    }
    record = forms.action_record(values)
    assert record["title"] == {"kk": "Форум"} and record["responsible"]["pavlodar"] == ["Аппарат акима"]
