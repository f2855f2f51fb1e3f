"""Plan: the explorer. The filtered actions as a table, and one action in full."""

import streamlit as st

from coopplan.ui import components, page
from coopplan.views import tables

view = page.setup("plan")
t, lang = view.t, view.lang
actions = view.filtered

components.heading(view, "plan.title")
if actions.empty:
    st.info(t("plan.empty"))
    st.stop()

st.caption(t("plan.table_hint"))
table = st.dataframe(
    tables.action_table(view, actions),
    hide_index=True,
    column_config=components.table_config(view),
    on_select="rerun",
    selection_mode="single-row",
    key=f"plan_table_{len(actions)}_{hash(tuple(actions['id']))}",  # new rows, new selection (streamlit#17026)
)
ids = actions["id"].tolist()
components.downloads(view, view.filtered_actions)
components.calendar_subscription(view)
picked_rows = table.selection.rows if table and table.selection else []
if picked_rows:
    st.session_state["plan_action"] = ids[picked_rows[0]]
if st.session_state.get("plan_action") not in ids:
    st.session_state["plan_action"] = ids[0]

st.divider()
st.subheader(t("plan.detail"))
labels = dict(zip(ids, actions["id"] + " · " + tables.title_column(view, actions), strict=True))
chosen = st.selectbox(t("plan.pick"), ids, key="plan_action", format_func=labels.get)
components.action_detail(view, view.dataset.action(chosen))
