"""Property-based: generated valid actions survive every path the app moves data
along (validator, loader, YAML, edit form, store, exporters) unchanged, and
broken ones are always refused with a line and advice in every language.
(``test_properties.py`` fuzzes raw bytes and single values against the loader and the CLI.)"""

from __future__ import annotations

import ast
import io
import shutil
import tempfile
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from coopplan import i18n
from coopplan.data import loader, model, validate, yamlio
from coopplan.editing import forms, history, store
from coopplan.exchange import calendar_ics, exports, importer
from tests.helpers import ADMIN, DATA, ROOT, as_lines, valid_action, write_action
from tests.strategies import REFUSED_PIECES, action_records, form_values

DATASET = loader.load(DATA)
MEMORANDUM = DATASET.memorandum


def fuzz(examples: int) -> settings:
    """``examples`` tries per run, sized so the whole file stays within about 40 s on a busy 2-CPU machine."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def empty_folder(base: Path) -> Path:
    """A data folder of its own for one example: the shipped memorandum and plan, no actions, no history."""
    folder = Path(tempfile.mkdtemp(dir=base))
    (folder / loader.ACTIONS).mkdir()
    for name in (loader.MEMORANDUM, loader.PLAN):
        shutil.copy(DATA / name, folder)
    return folder


def has_advice(kind: str) -> bool:
    return all(i18n.catalog(lang).get(f"problem.{kind}") for lang in model.LANGS)


def form_fields() -> set[str]:
    """The fields beside which the edit page shows problems: the arguments of its
    ``field_errors`` calls. An argument is a string, or the variable of an enclosing
    ``for`` over a tuple of ``coopplan.forms`` (``for name in forms.TEXTS``); any
    other argument fails here, so the set is never a guess."""
    tree = ast.parse((ROOT / "pages" / "edit.py").read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def loop_values(arg: ast.Name, call: ast.Call) -> tuple[str, ...]:
        node = call
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == arg.id:
                source = node.iter
                assert (
                    isinstance(source, ast.Attribute)
                    and isinstance(source.value, ast.Name)
                    and source.value.id == "forms"
                ), f"pages/edit.py:{call.lineno}: loop over {ast.unparse(source)}"
                return tuple(getattr(forms, source.attr))
        raise AssertionError(f"pages/edit.py:{call.lineno}: {arg.id} is not a loop variable")

    names: set[str] = set()
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "field_errors"
    ]
    for call in calls:
        assert not call.keywords, f"pages/edit.py:{call.lineno}: keyword arguments"
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names.add(arg.value)
            elif isinstance(arg, ast.Name):
                names.update(loop_values(arg, call))
            else:
                raise AssertionError(f"pages/edit.py:{call.lineno}: field_errors({ast.unparse(arg)}) names no field")
    return names


FORM_FIELDS = form_fields()
SAVE_STAMPS = {"updated", "updated_by"}  # kept by the store, not typed into the form


def test_the_form_shows_a_problem_of_every_field_beside_it():
    """Every field of an action but the save stamps has its place for problems on the
    edit page, and "" (a problem of no one field) has one too: none is lost."""
    assert FORM_FIELDS == (set(model.Action.model_fields) - SAVE_STAMPS) | {""}


# ---- 1. the validator and the loader accept every valid record as it is -------------


@fuzz(120)
@given(record=action_records())
def test_valid_records_load_exactly_as_written(tmp_path, record):
    assert model.Action.model_validate(record).to_yaml_dict() == record
    assert yamlio.parse(yamlio.dumps(record)) == record
    folder = empty_folder(tmp_path)
    write_action(folder, record)
    dataset = loader.load(folder)
    assert dataset.problems == []
    assert [a.to_yaml_dict() for a in dataset.actions] == [record]
    assert validate.record_problems(record, MEMORANDUM) == []


# ---- 2. broken records are refused, never crash, and say where and how to fix ---------

REQUIRED = [name for name, field in model.Action.model_fields.items() if field.is_required()]
INVALID_ANYWHERE = (True, {"unknown_key": 1}, [[]])  # no field of an action accepts these


def paths(node, path=()):
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from paths(value, (*path, key))


@st.composite
def broken_records(draw) -> tuple[dict, str]:
    """(a valid record with one thing broken, which)."""
    record = draw(action_records(action_id=st.just("t-001")))
    how = draw(
        st.sampled_from(
            (
                "drop",
                "retype",
                "end_before_start",
                "unknown_area",
                "outside_period",
                "unknown_field",
                "no_language",
                "no_body",
                "control_character",
                "bad_id",
                "bad_progress",
                "bad_tag",
                "bad_currency",
                "bad_period",
            )
        )
    )
    if how == "drop":
        del record[draw(st.sampled_from(REQUIRED))]
    elif how == "retype":
        path = draw(st.sampled_from(list(paths(record))[1:]))
        parent = record
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = draw(st.sampled_from(INVALID_ANYWHERE))
    elif how == "end_before_start":
        record["start"], record["end"] = draw(
            st.sampled_from((("2027-05", "2027-04"), (2028, "2027-Q4"), ("2026-Q3", "2026-06-30")))
        )
    elif how == "unknown_area":
        record["area"] = draw(st.sampled_from(("space", "Tourism", "", "туризм")))
    elif how == "outside_period":
        record[draw(st.sampled_from(("start", "end")))] = draw(st.sampled_from((2025, 2029, "2030-Q1", "2025-12-31")))
    elif how == "unknown_field":
        record[draw(st.sampled_from(("titel", "budjet", "ответственный", "note")))] = "x"
    elif how == "no_language":
        record[draw(st.sampled_from(("title", "outcome")))] = draw(
            st.sampled_from(({}, {"ru": "  "}, {"de": "Titel"}, {"kk": None}))
        )
    elif how == "no_body":
        record["responsible"] = draw(st.sampled_from(({}, {"pavlodar": []}, {"omsk": [" "]}, {"omsk": None})))
    elif how == "control_character":
        text = record[draw(st.sampled_from(("title", "outcome")))]
        lang = draw(st.sampled_from(sorted(text)))
        text[lang] = f"{text[lang]}{draw(st.sampled_from(REFUSED_PIECES))}{text[lang]}"  # inside: the ends are stripped
    elif how == "bad_id":
        record["id"] = draw(st.sampled_from(("t 001", "t-001/..", "т-001", "t-002", "x" * 65, 1)))
    elif how == "bad_progress":
        record["progress"] = draw(st.sampled_from((-1, 101, 50.5, "50")))
    elif how == "bad_tag":
        record["tags"] = [draw(st.sampled_from(("Tourism", "a b", "-x", "", "туризм")))]
    elif how == "bad_currency":
        record["budget"] = {"amount": 1, "currency": draw(st.sampled_from(("kzt", "₸", "RUBL", "")))}
    else:
        record["start"] = draw(st.sampled_from(("2026-Q5", "2026-13", "2026-02-30", "Q2 2026", "")))
    return record, how


@fuzz(150)
@given(broken=broken_records())
# U+FFFF made the Word and Excel exports raise once a file held it (as a YAML escape)
@example(broken=(valid_action(title={"ru": "Маршрут\uffff"}), "control_character"))
@example(broken=(valid_action(responsible={"omsk": ["Министерство\x1b[31m экономики"]}), "control_character"))
def test_broken_records_are_refused_with_a_line_and_advice(tmp_path, broken):
    record, how = broken
    folder = empty_folder(tmp_path)
    write_action(folder, record, name="t-001")
    dataset = loader.load(folder)
    assert dataset.actions == [], how
    assert dataset.problems, how
    for problem in dataset.problems:
        assert problem.file.endswith("t-001.yaml") and problem.line >= 1 and problem.message
        assert has_advice(problem.kind), (how, problem)
        assert i18n.problem("kk", problem.kind, problem.message).endswith(f" — {problem.message}")
    # the edit form's check applies the same rules
    found = validate.record_problems(record, MEMORANDUM)
    if how != "bad_id" or record["id"] != "t-002":  # a file name is no concern of the form
        assert found and all(has_advice(p.kind) for p in found), (how, found)


# ---- 3. the edit form --------------------------------------------------------------


@fuzz(150)
@given(values=form_values())
def test_whatever_is_typed_into_the_form_is_saved_valid_or_refused_field_by_field(tmp_path, values):
    """The edit page's path: the form's check, then ``store.save`` of what passed it."""
    record = forms.action_record(values)
    found = validate.record_problems(record, MEMORANDUM)
    if found:
        assert {p.field for p in found} <= FORM_FIELDS, found
        assert all(has_advice(p.kind) and p.message for p in found), found
        return
    action = model.Action.model_validate(record)
    folder = empty_folder(tmp_path)
    saved = store.save(folder, action, ADMIN, store.ABSENT, memorandum=MEMORANDUM)
    assert saved.action.model_copy(update={"updated": action.updated, "updated_by": action.updated_by}) == action
    assert loader.load(folder).actions == [saved.action]


@fuzz(100)
@given(record=action_records())
def test_an_action_shown_in_the_form_and_sent_back_unchanged_is_the_same_action(record):
    action = model.Action.model_validate(record)
    back = model.Action.model_validate(forms.action_record(forms.values_from_action(action)))
    # The form keeps no save stamps, and its progress slider cannot show "none": it shows 0;
    # an indicator without an id gets one, for reports to name it by.
    assert all(i.id == b.id for i, b in zip(action.indicators, back.indicators, strict=True) if i.id)
    indicators = [i.model_copy(update={"id": b.id}) for i, b in zip(action.indicators, back.indicators, strict=True)]
    update = {"updated": None, "updated_by": None, "progress": action.progress or 0, "indicators": indicators}
    assert back == action.model_copy(update=update)
    assert validate.record_problems(forms.action_record(forms.values_from_action(action)), MEMORANDUM) == []


# ---- 4. the store ------------------------------------------------------------------


@fuzz(40)
@given(record=action_records())
def test_saving_a_new_action_then_undoing_it(tmp_path, record):
    folder = empty_folder(tmp_path)
    action = model.Action.model_validate(record)
    saved = store.save(folder, action, ADMIN, store.ABSENT, memorandum=MEMORANDUM)
    assert saved.action.updated_by == "admin" and saved.action.updated is not None
    assert saved.action.model_copy(update={"updated": action.updated, "updated_by": action.updated_by}) == action
    dataset = loader.load(folder)
    assert dataset.problems == [] and dataset.actions == [saved.action]
    on_disk = yamlio.loads(store.action_path(folder, action.id).read_bytes())
    assert saved.entry.op == "add" and saved.entry.before is None and saved.entry.after == on_disk
    [logged], notices = history.read(folder)
    assert notices == [] and model.Action.model_validate(logged.after) == saved.action

    try:  # a second editor who opened the action before it existed
        store.save(
            folder, action.model_copy(update={"status": "cancelled"}), ADMIN, store.ABSENT, memorandum=MEMORANDUM
        )
    except store.Conflict as conflict:
        assert conflict.current == on_disk and conflict.current_version == saved.version
    else:
        raise AssertionError("a save on top of an outdated version was not refused")

    store.undo(folder, logged, ADMIN, memorandum=MEMORANDUM)
    assert not store.action_path(folder, action.id).exists()
    assert loader.load(folder).actions == []
    assert [e.op for e in history.read(folder)[0]] == ["add", "undo"]


# ---- 5. the exporters --------------------------------------------------------------

# one plan's ids: an id is one whatever its letter case (the importer refuses «L» beside «l»)
action_lists = st.lists(action_records(), min_size=1, max_size=4, unique_by=lambda r: r["id"].casefold()).map(
    lambda records: [model.Action.model_validate(r) for r in records]
)


def imported(data: bytes, file_name: str, folder: Path) -> list[model.Action]:
    """The actions the import page would add from an uploaded file, into an empty plan."""
    empty = loader.Dataset(folder, MEMORANDUM, DATASET.plan)
    results = importer.preview(importer.read_rows(data, file_name), empty)
    assert [r.kind for r in results] == ["new"] * len(results), [r.reasons for r in results]
    return [r.action for r in results]


@fuzz(40)
@given(actions=action_lists, lang=st.sampled_from(model.LANGS))
# a body holding a Unicode line separator came back from a spreadsheet as two bodies
@example(
    actions=[
        model.Action.model_validate(valid_action(responsible={"omsk": ["Министерство\u2028экономики", "Минспорт\x85"]}))
    ],
    lang="ru",
)
def test_spreadsheets_read_back_as_the_same_actions(tmp_path, actions, lang):
    dataset = loader.Dataset(tmp_path, MEMORANDUM, DATASET.plan, actions)
    assert imported(exports.export(dataset, actions, "csv", lang), "plan.csv", tmp_path) == actions
    assert imported(exports.export(dataset, actions, "xlsx", lang), "plan.xlsx", tmp_path) == actions


@fuzz(30)
@given(actions=action_lists, lang=st.sampled_from(i18n.DOCUMENT_LANGUAGES))
def test_the_plan_document_holds_every_title(tmp_path, actions, lang):
    dataset = loader.Dataset(tmp_path, MEMORANDUM, DATASET.plan, actions)
    document = Document(io.BytesIO(exports.export(dataset, actions, "docx", lang)))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    for action in actions:
        for one in lang.split("+"):
            assert as_lines(action.title(one)) in cells, (one, action.title(one))


@fuzz(40)
@given(actions=action_lists, lang=st.sampled_from(model.LANGS))
def test_the_calendar_has_one_event_per_action(tmp_path, actions, lang):
    dataset = loader.Dataset(tmp_path, MEMORANDUM, DATASET.plan, actions)
    events = Calendar.from_ical(exports.export(dataset, actions, "ics", lang)).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [calendar_ics.uid(a.id) for a in actions]
    assert [str(e["SUMMARY"]) for e in events] == [as_lines(a.title(lang)) for a in actions]
    assert [e.decoded("DTSTART") for e in events] == [a.start_period.first_day for a in actions]
