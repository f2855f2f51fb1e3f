"""Edit: change, add, duplicate or delete an action, or update several at once.

Everything typed stays in the form until it is saved; a refused save says
what to fix beside each field. Saving goes through coopplan.editing.store, which
checks the editor's rights, the data rules and conflicts.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from coopplan.data import periods, standing
from coopplan.data.model import AREA_IDS, LANGS, LEADS, STATUSES
from coopplan.editing import auth, forms, history
from coopplan.ui import account, components, edit_session, page
from coopplan.ui.navigation import page_link
from coopplan.ui.sidebar import warn_ignored
from coopplan.views import filters, reporting, summaries, texts

view = page.setup("edit", with_filters=False)
t, lang, dataset = view.t, view.lang, view.dataset
state = st.session_state
edit = edit_session.session()
choose = t("select.placeholder")  # not Streamlit's «Choose an option»
MODES = ["edit", "new", "duplicate", "bulk"]


def signed_out() -> None:
    """A link to edit an action, opened where nobody is signed in (a new tab starts a
    new session): the action read-only, and how to change it."""
    linked = st.query_params.get("id")
    action = dataset.action(linked) if linked else None
    if action is not None:
        st.info(t("edit.read_only_viewer"), icon=":material/login:")
        components.action_detail(view, action)
    else:
        st.info(t("account.viewer"))
        if linked:
            warn_ignored(lang, [filters.Invalid("id", linked)])


def labeller(user: auth.User):
    def action_label(action_id: str) -> str:
        action = dataset.action(action_id)
        label = f"{action_id} · {texts.data_text(view, action.title)}"
        return label if auth.can_edit(user, action.lead) else f"{label} · {t('edit.read_only_mark')}"

    return action_label


def editable_ids(user: auth.User) -> list[str]:
    return [a.id for a in dataset.actions if auth.can_edit(user, a.lead)]


def bulk_mode(user: auth.User, requested: str | None) -> None:
    with st.form("bulk", enter_to_submit=False):
        chosen = st.multiselect(
            t("edit.bulk.actions"),
            editable_ids(user),
            format_func=labeller(user),
            placeholder=t("edit.bulk.placeholder"),
            select_all=False,
        )
        status = st.selectbox(
            t("edit.field.status"),
            [None, *STATUSES],
            format_func=lambda s: t("edit.bulk.keep") if s is None else t(f"status.{s}"),
            placeholder=choose,
        )
        progress = st.number_input(t("edit.field.progress"), min_value=0, max_value=100, value=None, step=5)
        if st.form_submit_button(t("edit.bulk.apply"), type="primary"):
            done, refused = edit_session.bulk_update(view, user, chosen, status, progress)
            if done:
                st.toast(t("edit.bulk.done", count=done), icon=":material/check_circle:", duration="long")
                st.success(t("edit.bulk.done", count=done))
            elif chosen and not refused:
                st.toast(t("edit.bulk.unchanged"), icon=":material/info:", duration="long")
                st.info(t("edit.bulk.unchanged"))
            edit_session.show_refused(view, refused)


def pick(user: auth.User, requested: str | None, choices: list[str]):
    """The action picked among ``choices`` (the linked one first), or None when there are none."""
    if not choices:
        st.info(t("edit.none_yours"))
        return None
    default = requested if requested in choices else state.get("edit_pick")
    state["edit_pick"] = default if default in choices else choices[0]
    picked = st.selectbox(t("edit.pick"), choices, key="edit_pick", format_func=labeller(user), placeholder=choose)
    edit_session.link_to_action(picked)
    return dataset.action(picked)


def edit_mode(user: auth.User, requested: str | None) -> None:
    st.toggle(t("edit.show_all"), key="edit_show_all", help=t("edit.show_all_help"))
    # To change an action, the picker offers the editor's own unless asked for all.
    source = pick(
        user, requested, [a.id for a in dataset.actions] if state.get("edit_show_all") else editable_ids(user)
    )
    if source is None:
        return
    if not auth.can_edit(user, source.lead):
        st.warning(t("edit.not_allowed", lead=t(f"lead.{source.lead}")))
        components.action_detail(view, source)
        return
    action_form(user, "edit", source)
    with st.expander(t("edit.delete"), icon=":material/delete:"):
        sure = st.checkbox(t("edit.delete.confirm", id=source.id), key="delete_confirm")
        if st.button(t("edit.delete"), disabled=not sure, key="delete_button"):
            edit_session.delete(view, user, source.id)
            st.rerun()


def duplicate_mode(user: auth.User, requested: str | None) -> None:
    source = pick(user, requested, [a.id for a in dataset.actions])  # any action can be copied
    if source is not None:
        action_form(user, "duplicate", source)


def new_mode(user: auth.User, requested: str | None) -> None:
    action_form(user, "new", None)


def field_errors(*names: str) -> None:
    for name in names:
        for refused in edit.problems.get(name, []):
            st.error(texts.escape_md(refused.advice), icon=":material/edit:")


def period_label(code: str) -> str:
    return t("edit.period.day") if code == forms.DAY else f"{periods.parse(code).label(lang)} · {code}"


def action_form(user: auth.User, mode: str, source) -> None:
    """The form of one action, its refusals and conflicts, and its save."""
    if edit.target != (mode, source.id if source else None):
        edit_session.open_in_form(view, mode, source)
    opened = edit.opened
    if mode != "edit":
        st.info(t("edit.new_id", id=opened.id))

    if edit.refusal:
        edit_session.show_refused(view, [edit.refusal])
        edit.refusal = None

    if edit.conflict:
        st.error(t("edit.conflict"))
        components.show_changes(view, history.diff(opened.record, edit.conflict["current"]))
        reload, overwrite = st.columns(2)
        if reload.button(t("edit.conflict.reload"), key="conflict_reload"):
            edit_session.reload_after_conflict(view)
            st.rerun()
        if overwrite.button(t("edit.conflict.overwrite"), key="conflict_overwrite", type="primary"):
            edit_session.save(view, user, edit.conflict["record"], edit.conflict["version"])
            st.rerun()

    if edit.problems:
        st.error(t("edit.fix"))
        edit_session.show_details(view, [refused for found in edit.problems.values() for refused in found])

    # Once an action has reports they set its status and progress; the working group can still cancel it.
    reports = dataset.reports_of(source.id) if mode == "edit" else []
    set_by_reports = bool(reports)
    statuses = list(STATUSES)
    if set_by_reports:
        uncancelled = source.model_copy(update={"status": "planned"}) if source.status == "cancelled" else source
        figures = standing.standing(uncancelled, reports)
        statuses = [figures.status, "cancelled"]

    suggestions = {
        side: summaries.all_bodies(view.frame[view.frame[f"bodies_{side}"].map(len) > 0])
        for side in ("pavlodar", "omsk")
    }
    period_choices = forms.period_choices(view.years)
    first_day, last_day = dt.date(view.years[0], 1, 1), dt.date(view.years[-1], 12, 31)
    with st.form("edit_form", enter_to_submit=False):  # a long form: Enter must not save it half-done
        st.subheader(t("edit.texts"))
        for name in forms.TEXT_FIELDS:
            columns = st.columns(3)
            for column, text_lang in zip(columns, LANGS, strict=True):
                widget = column.text_area if forms.WIDGET[name] == "text_area" else column.text_input
                widget(f"{t(f'edit.field.{name}')} · {text_lang.upper()}", key=f"f_{name}_{text_lang}")
            field_errors(name)
        left, middle, right = st.columns(3)
        # a joint action's lead and the other side's bodies: an administrator's (the store refuses them to others)
        locked = mode == "edit" and auth.joint_fields_locked(user, source.lead)
        locked_help = t("edit.joint_locked") if locked else None
        for column, name, options, label in (
            (left, "area", AREA_IDS, view.area_names.get),
            (middle, "lead", LEADS, lambda v: t(f"lead.{v}")),
            (right, "status", statuses, lambda v: t(f"status.{v}")),
        ):
            column.selectbox(
                t(f"edit.field.{name}"),
                list(options),
                format_func=label,
                key=f"f_{name}",
                placeholder=choose,
                disabled=locked and name == "lead",
                help=locked_help if name == "lead" else None,
            )
        field_errors("area", "lead", "status")
        sides = st.columns(2)
        for column, side in zip(sides, ("pavlodar", "omsk"), strict=True):
            # the region's registry bodies, those other actions name, and this action's own
            keys = [*dataset.bodies.of_region(side), *suggestions[side], *state.get(f"f_bodies_{side}", [])]
            column.multiselect(
                t(f"edit.field.bodies_{side}"),
                sorted(dict.fromkeys(keys), key=view.body_name),
                format_func=view.body_name,
                key=f"f_bodies_{side}",
                accept_new_options=True,
                help=locked_help if locked and side != auth.side_of(user) else t("edit.field.bodies_help"),
                placeholder=t("edit.field.bodies_help"),
                select_all=False,
                disabled=locked and side != auth.side_of(user),
            )
        field_errors("responsible")
        # one row a period, wide enough for the longest label and its code (Kazakh quarters); progress beside the start
        rows = {key: st.columns([5, 2, 3]) for key in ("start", "end")}
        for key, (picker, day, _) in rows.items():
            current = state.get(f"f_{key}")
            picker.selectbox(
                t(f"edit.field.{key}"),
                period_choices if current in period_choices else [current, *period_choices],
                key=f"f_{key}",
                format_func=period_label,
                help=t("edit.field.period_help"),
                placeholder=choose,
            )
            day.date_input(
                t("edit.field.day"),
                key=f"f_{key}_day",
                min_value=first_day,
                max_value=last_day,
                format="DD.MM.YYYY",
                help=t("edit.field.day_help"),
            )
        rows["start"][2].slider(t("edit.field.progress"), 0, 100, step=5, key="f_progress", disabled=set_by_reports)
        if set_by_reports:
            st.caption(t("edit.from_reports", sources=texts.escape_md(reporting.sources_text(view, figures.sources))))
        field_errors("start", "end", "progress")
        left, middle, right = st.columns(3)
        left.number_input(
            t("edit.field.budget_amount"), min_value=0.0, step=1000.0, key="f_budget_amount", format="%.0f"
        )
        middle.selectbox(
            t("edit.field.budget_currency"),
            [None, *forms.CURRENCIES],
            key="f_budget_currency",
            format_func=lambda c: c or "—",
            placeholder="—",
        )
        right.text_input(t("edit.field.budget_source"), key="f_budget_source")
        field_errors("budget")
        st.markdown(f"**{t('edit.field.indicators')}**")
        indicators = st.data_editor(
            pd.DataFrame(state["f_indicators"], columns=forms.indicator_columns(view.years)),
            num_rows="dynamic",
            key=f"f_indicators_{edit.revision}",  # a new editor for new data (streamlit#17026)
            column_config=edit_session.indicator_columns(view, set_by_reports),
            hide_index=True,
            placeholder="—",
        )
        field_errors("indicators")
        for name in forms.LINES:
            st.text_input(t(f"edit.field.{name}"), key=f"f_{name}")
            field_errors(name)
        field_errors("id", "")
        submitted = st.form_submit_button(t("edit.save"), type="primary", icon=":material/save:")

    if edit.notice:  # beside the button that was pressed, not only at the top of a long page
        (st.success if edit.changed else st.info)(edit.notice)
        edit.notice = None
        if edit.selected:  # a save, not a delete
            page_link("plan", t("edit.open_plan"), {"lang": lang, "id": edit.selected}, ":material/table_rows:")

    if submitted:
        edit_session.check_and_save(view, user, edit_session.form_values(indicators.to_dict("records")))
        st.rerun()


def main() -> None:
    st.title(t("edit.title"))
    user = account.current_user()
    if user is None:
        signed_out()
        return
    if not auth.may_edit(user):
        st.info(t("account.read_only"))
        return
    ids = [a.id for a in dataset.actions]
    requested = edit_session.linked_action(lang, ids)
    if requested in ids and requested not in editable_ids(user):
        state["edit_show_all"] = True  # a link to the other side's action: show it, read-only
    if edit.reselect:  # after a save or a delete: show the saved action, or the first
        edit.reselect = False
        state["edit_mode"] = "edit"
        state["edit_pick"] = edit.selected if edit.selected in ids else None
        requested = state["edit_pick"]
    if edit.notice:  # where the editor is looking, whatever the scroll: a toast, in their language
        st.toast(edit.notice, icon=":material/check_circle:" if edit.changed else ":material/info:", duration="long")
    state.setdefault("edit_mode", "edit")  # set through the state, not default=, as a save sets it too
    mode = st.segmented_control(
        t("edit.mode"), MODES, format_func=lambda m: t(f"edit.mode.{m}"), key="edit_mode", required=True
    )
    {"edit": edit_mode, "new": new_mode, "duplicate": duplicate_mode, "bulk": bulk_mode}[mode](user, requested)


main()
