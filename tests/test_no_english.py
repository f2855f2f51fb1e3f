"""No English in the Kazakh and Russian interfaces: every page, rendered in kk and in ru
(as a viewer and as an editor, each mode of the edit page, a refused and an unchanged
save, the history, an import preview), carries none of the English texts Streamlit
shows when a page leaves them to it, and none of the command line's English rules
outside the «details» toggle that exists for them.

What Streamlit draws in the browser from its own English (the data table's toolbar,
the file uploader's drop zone) cannot be set from Python; the browser tests and the
README say which."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from coopplan import i18n
from coopplan.editing import forms
from coopplan.editing.auth import User
from tests.helpers import ADMIN, as_user, change, edited_csv, run_page, submit

# What Streamlit shows by default, and pieces of the rules the command line prints.
KNOWN_ENGLISH = re.compile(
    "|".join(
        [
            r"\bChoose (?:an )?options?\b",
            r"\bChoose or add options\b",
            r"\bAdd options\b",
            r"\bNo options to select\b",
            r"\bSelect all\b",
            r"\bdd\.mm\.yyyy\b",
            r"\bYYYY/MM/DD\b",
            r"\d\d:\d\d UTC\b",  # the history's old times
            r"\bInput should be\b",
            r"\bString should\b",
            r"\bis missing\b",
            r"\bnothing was changed\b",
            r"\bis before start\b",
        ]
    ),
    flags=re.IGNORECASE,
)


def walk(node, skip: set[str]):
    """Every element under ``node``, but not inside an expander labelled one of ``skip``."""
    yield node
    if type(node).__name__ == "Expander" and node.label in skip:
        return
    for child in getattr(node, "children", {}).values():
        yield from walk(child, skip)


def strings(message) -> list[str]:
    """Every text a protobuf message holds (its table data aside: that is the plan's)."""
    found = []
    for field, value in message.ListFields():
        if field.name in ("arrow_data", "data", "spec", "format", "columns"):  # the plan, and formats of values
            continue
        values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        for item in values:
            if isinstance(item, str):
                found.append(item)
            elif hasattr(item, "ListFields"):
                found += strings(item)
    return found


def english_left(at, lang: str) -> list[str]:
    """What of the page is Streamlit's English or an English rule, as «element: text»."""
    details = {i18n.t(lang, "edit.details")}
    left = []
    for node in walk(at._tree, details):
        proto = getattr(node, "proto", None)
        kind = type(node).__name__
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        left += [f"{kind}: {text}" for text in strings(proto) if KNOWN_ENGLISH.search(text)]
        if kind == "Multiselect" and (not proto.placeholder.strip() or proto.select_all != 0):
            left.append(f"{kind} {proto.label!r}: Streamlit's «Choose options» or «Select all»")
        if kind == "Selectbox" and not proto.placeholder.strip():  # in the page's markup even when a value is shown
            left.append(f"{kind} {proto.label!r}: Streamlit's «Choose an option»")
        if kind == "DateInput" and not list(proto.default):
            left.append(f"{kind} {proto.label!r}: an empty date shows its format in the browser's language")
        if kind == "Table" and node.value.empty:
            left.append(f"{kind}: Streamlit's «empty»")
        if kind == "Dataframe" and node.value.isna().to_numpy().any() and not proto.placeholder:
            left.append(f"{kind}: Streamlit's «None» in empty cells")
    return left


LANGS = ["kk", "ru"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "page, query",
    [
        ("overview", {"asof": "2026-11-25"}),
        ("plan", {"id": "po-013"}),  # an action with indicators, some of them not yet measured
        ("timeline", {}),
        ("areas", {}),
        ("reporting", {"period": "2026-Q3"}),
        ("changes", {}),
        ("edit", {"id": "po-002"}),  # a viewer: the action read-only
        ("history", {}),
        ("import", {}),
    ],
)
def test_every_page_as_a_viewer_leaves_no_english(data_dir, lang, page, query):
    change(data_dir, "po-012", status="cancelled")  # a history to show
    at = run_page(page, {"lang": lang, **query})
    assert not at.exception
    assert english_left(at, lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_edit_page_in_each_mode_and_after_each_outcome_leaves_no_english(data_dir, lang):
    at = as_user("edit", ADMIN, {"lang": lang, "id": "po-002"})
    seen = english_left(at, lang)
    at.toggle(key="edit_show_all").set_value(True).run()
    seen += english_left(at, lang)
    # a refused save: the advice in the editor's language, the rules only behind «details»
    at.selectbox(key="f_start").set_value("2027-Q3")
    at.selectbox(key="f_end").set_value(forms.DAY)
    at.text_input(key="f_tags").input("Не метка")
    submit(at)
    assert at.error and any(box.label == i18n.t(lang, "edit.details") for box in at.expander)
    seen += english_left(at, lang)
    # a save that changes nothing
    fresh = as_user("edit", ADMIN, {"lang": lang, "id": "po-003"})
    submit(fresh)
    assert fresh.info[-1].value == i18n.t(lang, "edit.unchanged", id="po-003")
    seen += english_left(fresh, lang)
    for mode in ("new", "duplicate", "bulk"):
        fresh.segmented_control(key="edit_mode").set_value(mode).run()
        seen += english_left(fresh, lang)
    assert seen == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_form_and_the_approval_leave_no_english(data_dir, lang):
    reporting = as_user("reporting", User("ivanova", "omsk"), {"lang": lang, "period": "2026-Q3", "asof": "2026-11-30"})
    assert reporting.text_area(key="r_done_ru")  # the form is there
    changes = as_user("changes", ADMIN, {"lang": lang})
    assert english_left(reporting, lang) + english_left(changes, lang) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_history_and_an_import_preview_for_an_editor_leave_no_english(data_dir, lang):
    change(data_dir, "po-012", status="cancelled")
    change(data_dir, "po-012", status="cancelled")  # unchanged: no entry, so no table saying «empty»
    history = as_user("history", ADMIN, {"lang": lang})
    assert len(history.expander) == 1
    upload = as_user("import", ADMIN, {"lang": lang})
    from coopplan.data import loader

    upload.file_uploader[0].upload("plan.csv", edited_csv(loader.load(data_dir).actions[:3]), "text/csv").run()
    assert upload.multiselect[0].value
    assert english_left(history, lang) + english_left(upload, lang) == []
