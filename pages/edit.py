"""Edit: change, add, duplicate or delete an action, or update several at once.

Everything typed stays in the form until it is saved; a refused save says
what to fix beside each field. Saving goes through coopplan.editing.store, which
checks the editor's rights, the data rules and conflicts.
"""

import pandas as pd
import streamlit as st

from coopplan.data.model import AREA_IDS, LANGS, LEADS, STATUSES
from coopplan.editing import auth, forms, history
from coopplan.reporting import standing
from coopplan.ui import account, components, edit_session, page
from coopplan.ui.navigation import page_link
from coopplan.views import reporting, summaries, texts

view = page.setup("edit", with_filters=False)
t, lang, dataset = view.t, view.lang, view.dataset
state = st.session_state
edit = edit_session.session()
st.title(t("edit.title"))
user = account.current_user()
if not auth.may_edit(user):
    st.info(t("account.viewer") if user is None else t("account.read_only"))
    st.stop()


def action_label(action_id: str) -> str:
    return f"{action_id} · {texts.data_text(view, dataset.action(action_id).title)}"


ids = [a.id for a in dataset.actions]
requested = edit_session.linked_action(lang, ids)
if edit.reselect:  # after a save or a delete: show the saved action, or the first
    edit.reselect = False
    state["edit_mode"] = "edit"
    state["edit_pick"] = edit.selected if edit.selected in ids else (ids[0] if ids else None)
    requested = state["edit_pick"]
modes = ["edit", "new", "duplicate", "bulk"]
state.setdefault("edit_mode", "edit")  # set through the state, not default=, as a save sets it too
mode = st.segmented_control(
    t("edit.mode"), modes, format_func=lambda m: t(f"edit.mode.{m}"), key="edit_mode", required=True
)

if mode == "bulk":
    editable = [a.id for a in dataset.actions if auth.can_edit(user, a.lead)]
    with st.form("bulk", enter_to_submit=False):
        chosen = st.multiselect(t("edit.bulk.actions"), editable, format_func=action_label)
        status = st.selectbox(
            t("edit.field.status"),
            [None, *STATUSES],
            format_func=lambda s: t("edit.bulk.keep") if s is None else t(f"status.{s}"),
        )
        progress = st.number_input(t("edit.field.progress"), min_value=0, max_value=100, value=None, step=5)
        if st.form_submit_button(t("edit.bulk.apply"), type="primary"):
            done, refused = edit_session.bulk_update(view, user, chosen, status, progress)
            if done:
                st.success(t("edit.bulk.done", count=done))
            for reason in refused:
                st.error(t("edit.refused", reason=texts.escape_md(reason)))
    st.stop()

if mode in ("edit", "duplicate"):
    if not ids:
        st.stop()
    default = requested if requested in ids else state.get("edit_pick", ids[0])
    state["edit_pick"] = default if default in ids else ids[0]
    picked = st.selectbox(t("edit.pick"), ids, key="edit_pick", format_func=action_label)
    edit_session.link_to_action(picked)
    source = dataset.action(picked)
else:
    source = None

if edit.target != (mode, source.id if source else None):
    edit_session.open_in_form(view, mode, source)
opened = edit.opened

if mode == "edit" and not auth.can_edit(user, source.lead):
    st.warning(t("edit.not_allowed", lead=t(f"lead.{source.lead}")))
    st.stop()
if mode != "edit":
    st.info(t("edit.new_id", id=opened.id))

if edit.refusal:
    st.error(t("edit.refused", reason=texts.escape_md(edit.refusal)))
    edit.refusal = None
if edit.notice:
    st.success(edit.notice)
    edit.notice = None
    page_link("plan", t("edit.open_plan"), {"lang": lang, "q": opened.id}, ":material/table_rows:")

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


def field_errors(*names: str) -> None:
    for name in names:
        for message in edit.problems.get(name, []):
            st.error(texts.escape_md(message), icon=":material/edit:")


# Once an action has reports they set its status and progress; the working group can still cancel it.
reports = dataset.reports_of(source.id) if mode == "edit" else []
set_by_reports = bool(reports)
statuses = list(STATUSES)
if set_by_reports:
    uncancelled = source.model_copy(update={"status": "planned"}) if source.status == "cancelled" else source
    figures = standing.standing(uncancelled, reports)
    statuses = [figures.status, "cancelled"]

suggestions = {
    side: summaries.all_bodies(view.frame[view.frame[f"bodies_{side}"].map(len) > 0]) for side in ("pavlodar", "omsk")
}
with st.form("edit_form", enter_to_submit=False):  # a long form: Enter must not save it half-done
    st.subheader(t("edit.texts"))
    for name in forms.TEXT_FIELDS:
        columns = st.columns(3)
        for column, text_lang in zip(columns, LANGS, strict=True):
            widget = column.text_area if name == "description" else column.text_input
            widget(f"{t(f'edit.field.{name}')} · {text_lang.upper()}", key=f"f_{name}_{text_lang}")
        field_errors(name)
    left, middle, right = st.columns(3)
    left.selectbox(t("edit.field.area"), list(AREA_IDS), format_func=view.area_names.get, key="f_area")
    middle.selectbox(t("edit.field.lead"), list(LEADS), format_func=lambda v: t(f"lead.{v}"), key="f_lead")
    right.selectbox(t("edit.field.status"), statuses, format_func=lambda v: t(f"status.{v}"), key="f_status")
    field_errors("area", "lead", "status")
    sides = st.columns(2)
    for column, side in zip(sides, ("pavlodar", "omsk"), strict=True):
        options = list(dict.fromkeys([*suggestions[side], *state.get(f"f_bodies_{side}", [])]))
        column.multiselect(
            t(f"edit.field.bodies_{side}"),
            options,
            key=f"f_bodies_{side}",
            accept_new_options=True,
            help=t("edit.field.bodies_help"),
            placeholder=t("edit.field.bodies_help"),
        )
    field_errors("responsible")
    left, middle, right = st.columns(3)
    left.text_input(t("edit.field.start"), key="f_start", help=t("edit.field.period_help"))
    middle.text_input(t("edit.field.end"), key="f_end", help=t("edit.field.period_help"))
    right.slider(t("edit.field.progress"), 0, 100, step=5, key="f_progress", disabled=set_by_reports)
    if set_by_reports:
        st.caption(t("edit.from_reports", sources=texts.escape_md(reporting.sources_text(view, figures.sources))))
    field_errors("start", "end", "progress")
    left, middle, right = st.columns(3)
    left.number_input(t("edit.field.budget_amount"), min_value=0.0, step=1000.0, key="f_budget_amount", format="%.0f")
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
    )
    field_errors("indicators")
    st.text_input(t("edit.field.tags"), key="f_tags")
    field_errors("tags", "id", "")
    submitted = st.form_submit_button(t("edit.save"), type="primary", icon=":material/save:")

if submitted:
    edit_session.check_and_save(view, user, edit_session.form_values(indicators.to_dict("records")))
    st.rerun()

if mode == "edit":
    with st.expander(t("edit.delete"), icon=":material/delete:"):
        sure = st.checkbox(t("edit.delete.confirm", id=source.id), key="delete_confirm")
        if st.button(t("edit.delete"), disabled=not sure, key="delete_button"):
            edit_session.delete(view, user, source.id)
            st.rerun()
