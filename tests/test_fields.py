"""An action's field is declared once (``coopplan.data.fields``): every declared field is
in the form, the sheet and the frame and comes back from each unchanged, and a field
that the declaration or a list made from it leaves out is named by the drift check."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopplan import i18n
from coopplan.data import fields, loader, model
from coopplan.data.bodies import EMPTY
from coopplan.editing import forms
from coopplan.exchange import spreadsheet
from coopplan.views import frame
from tests import strategies
from tests.helpers import DATA

DATASET = loader.load(DATA)
WORDS = spreadsheet.Vocabulary.of(DATASET.memorandum)  # bodies as free names: drawn names stay names
NAMES = [declared.name for declared in fields.FIELDS]
# The lists made from the declaration, by what of it each must hold.
KIND = {"blank form": "form", **{f"people's sheet ({lang})": "sheet" for lang in model.LANGS}}


@cache
def _made() -> dict[str, frozenset[str]]:
    """What the app makes from the declaration, read off the app itself (not the declaration)."""
    action = model.Action.model_validate(next(iter(DATASET.actions)).to_yaml_dict())
    header = spreadsheet.to_csv([]).decode("utf-8-sig").splitlines()[0].split(",")
    return {
        "form": frozenset(forms.values_from_action(action)),
        "blank form": frozenset(forms.blank_values("x-1", 2026)),
        "sheet": frozenset(header),
        **{f"people's sheet ({lang})": frozenset(spreadsheet.sheet_columns(lang)) for lang in model.LANGS},
        "frame": frozenset(frame.actions_frame([action]).columns),
    }


def made_lists() -> dict[str, set[str]]:
    return {where: set(keys) for where, keys in _made().items()}


def drift(declared: tuple[fields.Field, ...], made: dict[str, set[str]]) -> list[str]:
    """What the declaration and the lists made from it disagree on: an action's field that
    no declaration holds, and a declared key or column a made list lacks."""
    found = [
        f"{name}: declared by no field"
        for name in model.Action.model_fields
        if not any(name in field.model for field in declared)
    ]
    wanted = {
        "form": {key for field in declared for key in field.form},
        "sheet": {column for field in declared for column in field.columns},
        "frame": {column for field in declared for column in field.frame},
    }
    for where, keys in made.items():
        for key in sorted(wanted[KIND.get(where, where)] - keys):
            found.append(f"{key}: not in the {where}")
    return found


def test_every_field_of_an_action_is_declared_once_and_every_list_holds_it():
    held = [name for field in fields.FIELDS for name in field.model]
    assert sorted(held) == sorted(model.Action.model_fields)
    assert drift(fields.FIELDS, made_lists()) == []
    assert {"id", *forms.FIELDS} == {key for field in fields.FIELDS for key in field.form}
    assert spreadsheet.COLUMNS == tuple(column for field in fields.FIELDS for column in field.columns)


@pytest.mark.parametrize("name", NAMES)
def test_a_field_left_out_of_the_declaration_is_named(name):
    declared = tuple(field for field in fields.FIELDS if field.name != name)
    left_out = next(field for field in fields.FIELDS if field.name == name)
    assert [f"{m}: declared by no field" for m in left_out.model] == [
        problem for problem in drift(declared, made_lists()) if "declared by no field" in problem
    ]


@pytest.mark.parametrize("name", NAMES)
def test_a_list_made_without_a_field_fails_the_drift_check(name):
    field = next(field for field in fields.FIELDS if field.name == name)
    made = made_lists()
    for where, keys in (("form", field.form), ("sheet", field.columns), ("frame", field.frame)):
        if keys:
            found = drift(fields.FIELDS, made | {where: made[where] - set(keys)})
            assert found == [f"{key}: not in the {where}" for key in sorted(keys)]


def test_each_field_is_named_in_every_language_and_drawn_by_the_tests():
    for field in fields.FIELDS:
        assert field.widget in (None, *fields.WIDGETS), field.name
        assert set(field.words.values()) <= set(fields.WORDS) and set(field.words) <= set(field.columns)
        for key in field.labels:
            assert all(i18n.catalog(lang).get(key) for lang in model.LANGS), key
    assert set(strategies.VALID) == set(NAMES)
    assert set(strategies.GARBAGE) == {key for field in fields.FIELDS for key in field.form}


def saved(record: dict) -> model.Action:
    """The action as a save leaves it: each indicator named by an id (the form gives one
    to an indicator without, for reports to name it by)."""
    indicators = [{"id": f"i{n}", **i} for n, i in enumerate(record.get("indicators", []), start=1)]
    return model.Action.model_validate(record | ({"indicators": indicators} if indicators else {}))


def with_field(name: str) -> st.SearchStrategy[model.Action]:
    """An action that holds the field ``name`` (an optional one drawn present)."""
    records = st.tuples(strategies.action_records(), strategies.VALID[name])
    return records.map(lambda pair: saved(fields.in_model_order(pair[0] | pair[1])))


def held(action: model.Action, field: fields.Field) -> dict:
    return {name: getattr(action, name) for name in field.model}


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_field_comes_back_from_the_form_the_sheet_and_the_frame(name, data):
    field = next(field for field in fields.FIELDS if field.name == name)
    action = data.draw(with_field(name))
    # the conversions give exactly the declared keys
    assert set(field.to_form(action)) == set(field.form)
    assert set(field.blank("x-1", 2026)) == set(field.form)
    assert set(field.to_cells(action, "ru", EMPTY)) == set(field.columns)
    assert set(field.to_frame(action, EMPTY)) == set(field.frame)
    # action -> sheet row -> action, through the CSV and through the people's workbook
    for lang in model.LANGS:
        (from_csv,) = spreadsheet.read_csv(spreadsheet.to_csv([action], lang))
        assert held(model.Action.model_validate(spreadsheet.row_record(from_csv, WORDS)), field) == held(action, field)
    (from_xlsx,) = spreadsheet.read_xlsx(spreadsheet.to_xlsx([action], DATASET, "kk"))
    assert held(model.Action.model_validate(spreadsheet.row_record(from_xlsx, WORDS)), field) == held(action, field)
    # action -> form values -> action (the save stamps are the store's, never typed)
    if field.form:
        back = model.Action.model_validate(forms.action_record(forms.values_from_action(action)))
        assert held(back, field) == held(action, field)
    # the frame shows it
    row = frame.actions_frame([action]).iloc[0]
    assert set(field.frame) <= set(row.index)
