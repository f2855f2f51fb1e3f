"""Plan: the explorer. The filtered actions as a table, and one action in full.

The action shown in full is the URL's ``?id=``: picking a row (a click anywhere on
it) or choosing in the list writes it, so the address shares that action. Arriving
with one (a link, a click on the overview or the timeline), the action comes first,
above the table, for the whole visit; otherwise below it. A single match is shown in
full too. Otherwise only the list to choose from is drawn: an action in full is about
half of the page's elements, and drawing one nobody asked for made the page open
half a second later.
"""

import streamlit as st

from coopplan.ui import components, page
from coopplan.ui.sidebar import ARRIVED, warn_ignored
from coopplan.views import filters, tables

view = page.setup("plan")
t, lang = view.t, view.lang
actions = view.filtered
ids = actions["id"].tolist()

linked = st.query_params.get("id")
if linked and view.dataset.action(linked) is None:
    warn_ignored(lang, [filters.Invalid("id", linked)])
    linked = None


def show(action_id: str) -> None:
    st.query_params["id"] = action_id


def show_picked() -> None:
    if st.session_state["plan_action"] is not None:
        show(st.session_state["plan_action"])


components.heading(view, "plan.title")
if actions.empty and linked is None:
    st.info(t("plan.empty"))
    st.stop()
chosen = linked if linked is not None or len(ids) != 1 else ids[0]
if st.session_state.get(ARRIVED):
    st.session_state["_plan_detail_first"] = linked is not None
detail = st.container() if st.session_state.get("_plan_detail_first") else None

if ids:
    st.caption(t("plan.table_hint"))
    key = f"plan_table_{len(ids)}_{hash(tuple(ids))}"  # new rows, new selection (streamlit#17026)
    # the row of the action shown is the one selected, also when a link or the list below chose it,
    # and its first cell is the keyboard's cursor (else the first row's): the arrows move from
    # there, and the cell they reach picks its row
    row = [ids.index(chosen)] if chosen in ids else []
    cursor = [(r, t("col.id")) for r in row or [0]]
    st.session_state[key] = {"selection": {"rows": row, "columns": [], "cells": cursor}}
    components.actions_table(
        view, tables.action_table(view, actions), ids, key, show, components.table_config(view), chosen
    )
    files = st.container(horizontal=True)  # the two buttons side by side
    components.downloads(view, view.filtered_actions, files)
    components.calendar_subscription(view, files)
else:
    st.info(t("plan.empty"))

if detail is None:
    st.divider()
    detail = st.container()
with detail:
    st.subheader(t("plan.detail"))
    if chosen is not None and chosen not in ids:
        st.caption(t("plan.outside_filters"))
    labels = dict(zip(ids, actions["id"] + " · " + tables.title_column(view, actions), strict=True))
    choices = ids if chosen is None or chosen in ids else [chosen, *ids]
    st.session_state["plan_action"] = chosen
    st.selectbox(
        t("plan.pick"),
        choices,
        key="plan_action",
        format_func=lambda i: labels.get(i) or f"{i} · {view.dataset.action(i).title(lang)}",
        on_change=show_picked,
        placeholder=t("select.placeholder"),
    )
    if chosen is not None:
        components.action_detail(view, view.dataset.action(chosen))
    if st.session_state.get("_plan_detail_first"):
        st.divider()
