"""The edit page's session: which action the form holds and as what version, what
the last save said, and the steps that change the data (save, delete, several at
once, undo), each through the store.

Besides its widgets (``edit_mode``, ``edit_pick`` and one ``f_<field>`` a form
field), the page keeps one ``EditSession`` in Streamlit's session state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from .. import i18n
from ..data import model, validate
from ..data.model import LANGS
from ..editing import auth, forms, history, store, undoing
from ..views import filters, texts
from ..views.view import View
from .sidebar import warn_ignored

_KEY = "_edit_session"


@dataclass
class Opened:
    """The action in the form: its id, the version of its file when opened (a save
    expects it still), and its record then (to show what another person changed)."""

    id: str
    version: str
    record: dict | None


@dataclass(frozen=True)
class Refused:
    """A refusal as the page says it: how to fix it in the editor's language, and the
    exact rule (in English, as the command line says it) for the «details» toggle."""

    advice: str
    rule: str

    @classmethod
    def of(cls, lang: str, kind: str, message: str) -> Refused:
        return cls(i18n.advice(lang, kind, message), message)


@dataclass
class EditSession:
    opened: Opened | None = None
    target: tuple[str, str | None] | None = None  # (mode, source id) the form was filled for
    revision: int = 0  # bumped when the form is refilled: a new indicators editor (streamlit#17026)
    problems: dict[str, list[Refused]] = field(default_factory=dict)  # by field, "" for the whole form
    conflict: dict | None = None  # the other person's version: current, version, and this editor's record
    notice: str | None = None  # what the last save or delete did, shown once
    changed: bool = True  # whether it changed anything («nothing changed» is no success)
    refusal: Refused | None = None  # why the store refused it, shown once
    reselect: bool = False  # after a save or a delete: pick ``selected`` before drawing the picker
    selected: str | None = None
    linked_id: str | None = None  # the ``?id=`` last followed


def session() -> EditSession:
    return st.session_state.setdefault(_KEY, EditSession())


def linked_action(lang: str, ids: list[str]) -> str | None:
    """The action a link (``?id=``) asks the edit page to open, once: after that the
    page writes the id itself and its picker decides. An id that is no action is
    named in a notice."""
    edit = session()
    requested = st.query_params.get("id")
    if requested == edit.linked_id:
        return None
    edit.linked_id = requested
    if requested and requested not in ids and not edit.reselect:
        warn_ignored(lang, [filters.Invalid("id", requested)])
    return requested


def link_to_action(action_id: str) -> None:
    """The page's URL names the action shown, so that the link shares it."""
    st.query_params["id"] = session().linked_id = action_id


_PERIODS = ("start", "end")  # each drawn as a picker (f_start) and a date beside it (f_start_day)


def _fill_form(values: dict) -> None:
    for key in forms.FIELDS:
        if key in _PERIODS:
            st.session_state[f"f_{key}"], st.session_state[f"f_{key}_day"] = forms.period_parts(values[key])
        else:
            st.session_state[f"f_{key}"] = values[key]


def form_values(indicators: list[dict]) -> dict:
    """What the form holds now, field by field (the indicators from their editor)."""
    state = st.session_state
    values = {key: state.get(f"f_{key}") for key in forms.FIELDS if key not in ("indicators", *_PERIODS)}
    values |= {key: forms.period_code(state.get(f"f_{key}"), state.get(f"f_{key}_day")) for key in _PERIODS}
    return {**values, "id": session().opened.id, "indicators": indicators}


def open_in_form(view: View, mode: str, source: model.Action | None) -> None:
    """Fill the edit form: an action to change, a copy of one under a fresh id, or a blank one."""
    edit = session()
    folder = view.dataset.data_dir
    if mode == "edit" and source is not None:
        version, record = store.read_version(folder, source.id)
        values, action_id = forms.values_from_action(source), source.id
    else:  # a copy of ``source`` or a blank action, under a fresh id
        action_id = store.next_id(folder, [a.id for a in view.dataset.actions])
        values = (
            forms.values_from_action(source) if source is not None else forms.blank_values(action_id, view.years[0])
        )
        version, record = store.ABSENT, None
    _fill_form(values)
    edit.opened = Opened(action_id, version, record)
    edit.target = (mode, source.id if source else None)
    edit.revision += 1
    edit.problems = {}
    edit.conflict = None


def check_and_save(view: View, user: auth.User, values: dict) -> None:
    """The form's values checked field by field, saved when they hold; the outcome is
    left in the session for the next run to show."""
    edit = session()
    record = forms.action_record(values, view.dataset.bodies)
    edit.problems = {}
    for problem in validate.record_problems(record, view.memorandum, view.dataset.bodies):
        edit.problems.setdefault(problem.field, []).append(Refused.of(view.lang, problem.kind, problem.message))
    if not edit.problems:
        save(view, user, record, edit.opened.version)


def save(view: View, user: auth.User, record: dict, version: str) -> None:
    """Save through the store; the outcome is left in the session for the next run to show."""
    edit = session()
    try:
        saved = store.save(
            view.dataset.data_dir, model.Action.model_validate(record), user, version, memorandum=view.memorandum
        )
    except store.Conflict as conflict:
        edit.conflict = {"current": conflict.current, "version": conflict.current_version, "record": record}
        return
    except store.Invalid as invalid:
        edit.problems = {"": [Refused.of(view.lang, p.kind, p.message) for p in invalid.problems]}
        return
    except store.StoreError as refused:
        edit.refusal = Refused.of(view.lang, refused.kind, refused.message)
        return
    edit.conflict = None
    edit.opened = Opened(saved.action.id, saved.version, saved.action.to_yaml_dict())
    edit.target = ("edit", saved.action.id)
    edit.reselect, edit.selected = True, saved.action.id  # the page picks it before drawing its widgets
    edit.changed = saved.changed
    edit.notice = view.t("edit.saved" if saved.changed else "edit.unchanged", id=saved.action.id)


def reload_after_conflict(view: View) -> None:
    """Show the other person's version in the form, dropping this editor's edits."""
    edit = session()
    current = model.Action.model_validate(edit.conflict["current"])
    _fill_form(forms.values_from_action(current))
    edit.opened = Opened(current.id, edit.conflict["version"], edit.conflict["current"])
    edit.revision += 1
    edit.conflict = None


def delete(view: View, user: auth.User, action_id: str) -> None:
    edit = session()
    try:
        store.delete(view.dataset.data_dir, action_id, user, edit.opened.version)
    except store.Conflict as conflict:
        edit.conflict = {"current": conflict.current, "version": conflict.current_version, "record": edit.opened.record}
        return
    except store.StoreError as refused:
        edit.refusal = Refused.of(view.lang, refused.kind, refused.message)
        return
    edit.changed = True
    edit.notice = view.t("edit.deleted", id=action_id)
    edit.target = None
    edit.reselect, edit.selected = True, None
    st.query_params.pop("id", None)


def bulk_update(
    view: View, user: auth.User, ids: list[str], status: str | None, progress: int | None
) -> tuple[int, list[Refused]]:
    """Set status and/or progress of several actions; (how many changed, each refusal)."""
    changes = {k: v for k, v in (("status", status), ("progress", progress)) if v is not None}
    saved, refused = store.bulk_update(view.dataset, ids, changes, user)
    return len(saved), [
        Refused(f"{action_id}: {i18n.advice(view.lang, r.kind, r.message)}", f"{action_id}: {r.message}")
        for action_id, r in refused
    ]


def undo(view: View, user: auth.User, entry: history.Entry) -> None:
    state = st.session_state
    try:
        done = undoing.undo(view.dataset.data_dir, entry, user, memorandum=view.memorandum)
    except store.StoreError as refused:
        state["history_refused"] = Refused.of(view.lang, refused.kind, refused.message)
        return
    state["history_notices"] = [view.t("history.undone" if done.changed else "edit.unchanged", id=entry.action)]


def show_refused(view: View, refused: list[Refused]) -> None:
    """Each refusal as its advice in the page's language, then the exact rules."""
    for item in refused:
        st.error(view.t("edit.refused", reason=texts.escape_md(item.advice)))
    show_details(view, refused)


def show_details(view: View, refused: list[Refused]) -> None:
    """The exact rules of refusals (in English, as the command line says them) behind
    a «details» toggle: for whoever needs to know precisely what was refused."""
    rules = [item.rule for item in refused if item.rule != item.advice]
    if rules:
        with st.expander(view.t("edit.details"), icon=":material/info:"):
            st.code("\n".join(rules), language=None, wrap_lines=True)


def indicator_columns(view: View, set_by_reports: bool) -> dict:
    """The indicators' editor's columns; the actual values are the reports' once there are any."""
    t = view.t
    config = {"id": st.column_config.TextColumn("id", help=t("edit.indicator.id_help"), width="small")}
    config |= {
        f"name_{lang}": st.column_config.TextColumn(t("edit.indicator.name", language=lang.upper())) for lang in LANGS
    }
    config |= {
        f"unit_{lang}": st.column_config.TextColumn(t("edit.indicator.unit", language=lang.upper())) for lang in LANGS
    }
    config |= {
        "baseline_value": st.column_config.NumberColumn(t("edit.indicator.baseline_value"), min_value=0),
        "baseline_year": st.column_config.NumberColumn(
            t("edit.indicator.baseline_year"), min_value=2000, max_value=2100, format="%d"
        ),
        "target": st.column_config.NumberColumn(t("detail.target"), min_value=0),
        "actual": st.column_config.NumberColumn(t("detail.actual"), min_value=0, disabled=set_by_reports),
    }
    config |= {
        f"target_{year}": st.column_config.NumberColumn(t("edit.indicator.target_year", year=year), min_value=0)
        for year in view.years
    }
    return config
