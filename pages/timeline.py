"""Timeline: a Gantt of the filtered actions by area, with a line at the «as of» date."""

import streamlit as st

from coopplan import charts, i18n, ui

view = ui.setup("timeline")
t = view.t
actions = view.filtered

st.title(t("timeline.title"))
st.markdown(f"**{t('count.matching', shown=t('count.actions', count=len(actions)), total=i18n.number(len(view.frame), view.lang))}**")
if actions.empty:
    st.info(t("timeline.empty"))
else:
    st.caption(t("timeline.click_hint"))
    for point in ui.chart(charts.timeline(actions, view.memorandum, view.years, view.asof, view.lang), "chart_timeline")[:1]:
        ui.open_in_plan(view, point["customdata"])
