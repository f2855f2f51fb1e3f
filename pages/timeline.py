"""Timeline: a Gantt of the filtered actions by area, with a line at the «as of» date."""

import streamlit as st

from coopplan.ui import components, page
from coopplan.ui.navigation import open_in_plan
from coopplan.views import charts

view = page.setup("timeline")
t = view.t
actions = view.filtered

components.heading(view, "timeline.title")
if actions.empty:
    st.info(t("timeline.empty"))
else:
    st.caption(t("timeline.click_hint"))
    for point in components.clicked_points(
        charts.timeline(actions, view.memorandum, view.years, view.asof, view.lang, view.dataset.bodies),
        "chart_timeline",
    )[:1]:
        open_in_plan(view, point["customdata"])
