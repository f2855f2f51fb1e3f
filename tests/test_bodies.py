"""The registry of executing bodies: the shipped one complete and right, found back by any
of a body's names, refused with file:line problems when broken, and enforced where
actions are written."""

import re
import shutil

import pytest

from coopplan.data import bodies, loader, validate, yamlio
from coopplan.data.model import Action
from coopplan.editing import forms, store
from tests.helpers import ADMIN, DATA, valid_action

DATASET = loader.load(DATA)
REGISTRY = DATASET.bodies
KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def test_every_body_of_the_shipped_plan_is_in_the_registry():
    listed = {key for a in DATASET.actions for side in ("pavlodar", "omsk") for key in getattr(a.responsible, side)}
    assert len(REGISTRY.bodies) == 35 and listed == {b.id for b in REGISTRY.bodies}
    for action in DATASET.actions:  # each on its own region's side
        for side in ("pavlodar", "omsk"):
            assert {REGISTRY.region(key) for key in getattr(action.responsible, side)} <= {side}, action.id


def test_the_shipped_names_are_in_their_languages():
    for body in REGISTRY.bodies:
        assert body.id.startswith(f"{body.region}-")
        assert CYRILLIC.search(body.name.ru) and not CYRILLIC.search(body.name.en), body.id
    # Pavlodar's bodies by their Kazakh state names, with the Kazakh letters and word order
    pavlodar = [b for b in REGISTRY.bodies if b.region == "pavlodar"]
    assert all(KAZAKH_LETTERS.search(b.name.kk) for b in pavlodar)
    assert REGISTRY.name("pavlodar-health", "kk") == "Павлодар облысының денсаулық сақтау басқармасы"
    assert REGISTRY.name("pavlodar-akim-office", "kk") == "Павлодар облысы әкімінің аппараты"
    assert all(
        REGISTRY.name(b.id, "kk").startswith(("Омбы", "Ф. М.", "П. А.", "Ресей"))
        for b in REGISTRY.bodies
        if b.region == "omsk"
    )  # Omsk is «Омбы» in Kazakh
    # the unbalanced quote of the old data is closed
    assert REGISTRY.name("pavlodar-sez", "ru") == "АО «Управляющая компания СЭЗ „Павлодар“»"


def test_bodies_to_be_confirmed_say_so():
    assert "to be confirmed" in REGISTRY.get("pavlodar-tourism").note


def test_a_name_in_any_language_finds_its_body():
    for text in (
        "omsk-economy",
        "Министерство экономики Омской области",
        "Омбы облысының экономика министрлігі",
        "ministry of economy of omsk region",
        "  Министерство  экономики Омской  области ",
    ):
        assert REGISTRY.key_for(text) == "omsk-economy", text
    # quote marks as people type them
    assert REGISTRY.key_for('АО "Управляющая компания СЭЗ "Павлодар""') == "pavlodar-sez"
    assert REGISTRY.key_for(" Новое ведомство ") == "Новое ведомство"  # not in the registry: a free name


def test_a_free_name_is_shown_as_written_in_every_language():
    assert [REGISTRY.name("Новое ведомство", lang) for lang in ("kk", "ru", "en")] == ["Новое ведомство"] * 3
    assert REGISTRY.region("Новое ведомство") is None


def registry_folder(mini_data, text: str):
    (mini_data / "bodies.yaml").write_text(text, encoding="utf-8")
    return loader.load(mini_data)


def test_without_a_registry_every_body_is_a_free_name(mini_data):
    dataset = loader.load(mini_data)
    assert dataset.problems == [] and dataset.bodies == bodies.EMPTY


def test_one_id_twice_and_one_name_for_two_bodies_are_refused_with_their_lines(mini_data):
    text = """bodies:
- id: omsk-a
  region: omsk
  name: {kk: Бір, ru: Один, en: One}
- id: omsk-a
  region: omsk
  name: {kk: Екі, ru: Два, en: Two}
- id: omsk-c
  region: omsk
  name:
    kk: Үш
    ru: Один
    en: Three
"""
    dataset = registry_folder(mini_data, text)
    found = [(p.line, p.kind, p.message) for p in dataset.problems]
    assert found == [
        (5, "duplicate_body_id", "body id 'omsk-a' is also used by bodies[0]"),
        (12, "duplicate_body_name", "name 'Один' is also a name of omsk-a; each name must find one body"),
    ]
    assert dataset.bodies == bodies.EMPTY  # refused whole: the actions' entries are shown as written


def test_a_body_of_the_other_side_is_refused_by_the_loader_the_form_and_the_store(data_dir):
    record = valid_action("new-900", responsible={"pavlodar": ["omsk-health"], "omsk": ["omsk-economy"]})
    problems = validate.record_problems(record, DATASET.memorandum, REGISTRY)
    assert [(p.field, p.kind) for p in problems] == [("responsible", "body_region")]
    with pytest.raises(store.Invalid) as refused:
        store.save(data_dir, Action.model_validate(record), ADMIN, store.ABSENT)
    assert refused.value.problems[0].message == (
        "responsible.pavlodar: omsk-health is a body of omsk; list it under omsk"
    )
    assert loader.load(data_dir).action("new-900") is None


def test_the_form_stores_a_body_typed_by_its_name_as_its_id():
    values = forms.values_from_action(DATASET.actions[0])
    values["bodies_pavlodar"] = ["Павлодар облысының табиғи ресурстар және табиғат пайдалануды реттеу басқармасы"]
    values["bodies_omsk"] = ["omsk-natural-resources", "Общественная экологическая палата"]
    record = forms.action_record(values, REGISTRY)
    assert record["responsible"] == {
        "pavlodar": ["pavlodar-natural-resources"],
        "omsk": ["omsk-natural-resources", "Общественная экологическая палата"],
    }


def test_a_data_folder_with_the_shipped_registry_checks_in_several_processes_as_it_loads(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    wrong = valid_action("new-900", responsible={"omsk": ["pavlodar-health"]})
    (folder / "actions" / "new-900.yaml").write_text(yamlio.dumps(wrong), encoding="utf-8")
    loaded = loader.load(folder).problems
    assert loader.check(folder, workers=2) == (len(DATASET.actions), loaded)
    assert [p.kind for p in loaded] == ["body_region"]
