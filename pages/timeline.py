"""Timeline: a Gantt of the filtered actions by area, with a line at the «as of» date and
each action's approved period under its bar."""

import streamlit as st

from coopplan.ui import components, page
from coopplan.ui.navigation import open_in_plan
from coopplan.views import alternatives, changes, charts

view = page.setup("timeline")
t = view.t
actions = view.filtered

components.heading(view, "timeline.title")
if actions.empty:
    st.info(t("timeline.empty"))
else:
    st.caption(t("timeline.click_hint"))
    baseline = changes.in_scope(view, view.baseline) if view.baseline else None
    total = len(charts.timeline_rows(actions, view.memorandum, view.lang, baseline))
    part = slice(None)
    if total > charts.TIMELINE_PART:  # a part at a time, each reachable from the list
        size = charts.TIMELINE_PART
        first = st.selectbox(
            t("timeline.part"),
            range(0, total, size),
            format_func=lambda i: t("timeline.part_label", first=i + 1, last=min(i + size, total), total=total),
            key="timeline_part",
        )
        part = slice(first, first + size)
    figure = charts.timeline(
        actions, view.memorandum, view.years, view.asof, view.lang, baseline, view.dataset.bodies, part
    )
    for point in components.clicked_points(figure, "chart_timeline", alternatives.timeline(view, actions))[:1]:
        if point.get("customdata") in set(view.frame["id"]):  # a deleted action has no page of its own
            open_in_plan(view, point["customdata"])
