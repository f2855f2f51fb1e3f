"""The shipped JSON Schemas say what the validator enforces of each file's shape."""

import datetime as dt
import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from coopplan.data import bodies, model, schema, yamlio
from tests.helpers import DATA, valid_action


def as_json(value):
    """YAML data as a JSON-based editor sees it (YAML 1.2: dates are strings)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def validator(name):
    return jsonschema.Draft202012Validator(
        json.loads((schema.FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
    )


@pytest.mark.parametrize("name, document", sorted(schema.generate().items()))
def test_shipped_schemas_equal_the_generated_ones(name, document):
    shipped = (schema.FOLDER / name).read_text(encoding="utf-8")
    assert shipped == schema.render(document), "run: python -m coopplan schema"


def test_shipped_data_passes_the_schemas():
    assert not list(validator("memorandum").iter_errors(as_json(yamlio.loads((DATA / "memorandum.yaml").read_bytes()))))
    assert not list(validator("plan").iter_errors(as_json(yamlio.loads((DATA / "plan.yaml").read_bytes()))))
    assert not list(validator("bodies").iter_errors(as_json(yamlio.loads((DATA / "bodies.yaml").read_bytes()))))
    action_schema = validator("action")
    for path in sorted((DATA / "actions").glob("*.yaml")):
        assert not list(action_schema.iter_errors(as_json(yamlio.loads(path.read_bytes())))), path.name


def validator_accepts(document, cls=model.Action) -> bool:
    try:
        cls.model_validate(document)
        return True
    except ValidationError:
        return False


texts = st.one_of(st.text(max_size=8), st.just(" "), st.just(""), st.integers(), st.none())
values = st.one_of(
    texts,
    st.lists(texts, max_size=2),
    st.dictionaries(st.sampled_from(["kk", "ru", "en", "de"]), texts, max_size=3),
    st.sampled_from(
        ["2026", 2026, "2026-Q2", "2026-13", "joint", "omsk", "done", "sport", 50, 101, -1, "50", True, 7.5]
    ),
)
mutations = st.dictionaries(
    st.sampled_from(
        ["id", "area", "title", "lead", "responsible", "start", "end", "status", "progress", "outcome", "tags", "extra"]
    ),
    values,
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations, st.sets(st.sampled_from(["title", "lead", "outcome", "responsible"]), max_size=2))
def test_schema_and_validator_agree_on_shape(changes, removed):
    record = valid_action(**changes)
    for key in removed:
        record.pop(key, None)
    schema_accepts = not list(validator("action").iter_errors(as_json(record)))
    assert schema_accepts == validator_accepts(record), record


SHIPPED_BODIES = yamlio.loads((DATA / "bodies.yaml").read_bytes())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["id", "region", "name", "note", "extra"]),
    st.one_of(
        values,
        st.sampled_from(["omsk-x", "Omsk", "-x", "astana", "pavlodar"]),
        st.fixed_dictionaries({"kk": texts, "ru": texts, "en": texts}),
    ),
    st.booleans(),
)
def test_schema_and_validator_agree_on_the_bodies_registry(key, value, drop):
    document = {"bodies": [dict(body) for body in SHIPPED_BODIES["bodies"][:2]]}
    if drop:
        document["bodies"][0].pop(key, None)
    else:
        document["bodies"][0][key] = value
    schema_accepts = not list(validator("bodies").iter_errors(as_json(document)))
    assert schema_accepts == validator_accepts(document, bodies.BodiesFile), document
