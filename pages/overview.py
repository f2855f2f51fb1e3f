"""Overview: the memorandum at a glance, headline figures and charts of the filtered plan."""

import streamlit as st

from coopplan import i18n
from coopplan.data import periods
from coopplan.reporting import amendments
from coopplan.ui import account, components, page, review_panel
from coopplan.ui.navigation import narrow_plan, page_link
from coopplan.views import alternatives, changes, charts, reporting, summaries, texts

view = page.setup("overview")
t, lang, memo = view.t, view.lang, view.memorandum
actions = view.filtered

st.title(t("overview.title"))
if memo is not None:
    st.subheader(texts.escape_md(memo.title(lang)))
    info = st.columns(3)
    info[0].markdown(f"**{t('overview.signed')}**  \n{i18n.date(memo.signed_on, lang)}")
    info[1].markdown(f"**{t('overview.place')}**  \n{texts.escape_md(memo.place(lang))}")
    info[2].markdown(f"**{t('overview.occasion')}**  \n{texts.escape_md(memo.occasion(lang))}")
    for column, party in zip(st.columns(2), memo.parties, strict=True):
        with column.container(border=True):
            st.markdown(f"#### {texts.escape_md(party.name(lang))}")
            st.caption(t(f"overview.country.{party.country}"))
            st.markdown(texts.escape_md(party.body(lang)))
            st.markdown(
                f"{t('overview.signatory')}: **{texts.escape_md(party.signatory.name(lang))}**, {texts.escape_md(party.signatory.position(lang))}"
            )
if view.dataset.plan is not None:
    plan = view.dataset.plan
    st.markdown(f"**{texts.escape_md(plan.title(lang))}** — {t(f'plan_status.{plan.status}')}")

head = summaries.headline(actions, view.asof)
figures = st.columns(5, border=True)
figures[0].metric(t("metric.actions"), i18n.number(head.actions, lang))
figures[1].metric(
    t("metric.done"),
    i18n.number(head.by_status["done"], lang),
    i18n.percent(head.done_share, lang),
    delta_color="off",
    delta_arrow="off",
    help=t("metric.done_help"),
)
figures[2].metric(t("metric.in_progress"), i18n.number(head.by_status["in_progress"], lang))
figures[3].metric(t("metric.overdue"), i18n.number(head.overdue, lang), help=t("metric.overdue_help"))
figures[4].metric(t("metric.upcoming"), i18n.number(head.upcoming, lang), help=t("metric.upcoming_help"))
st.caption(view.matching() + " · " + t("timeline.asof", date=i18n.date(view.asof, lang)))

quarter = periods.quarter_of(view.asof)
st.markdown(f"**{t('overview.reporting', quarter=reporting.quarter_label(view, quarter))}**")
reports = st.columns(3, border=True)
components.completeness(view, reporting.owed(view, quarter), reports[:2])
reports[2].metric(
    t("overview.disagreements"),
    i18n.number(len(reporting.disagreements(view)), lang),
    help=t("overview.disagreements_help"),
)
# the quarter whose reports are being reviewed and closed: the one before today's
closing = next((q for q in reversed(reporting.quarters(view)) if q < quarter), quarter)
st.markdown(f"**{t('review.overview', quarter=reporting.quarter_label(view, closing))}**")
review_panel.quarter_state(view, closing, st.columns(2, border=True), account.current_user())
page_link("reporting", t("nav.reporting"), view.query(), ":material/fact_check:")

if view.baseline is not None:
    baseline = view.baseline
    since = t("changes.overview", version=baseline.version, date=i18n.date(baseline.approved_on, lang))
    st.markdown(f"**{since}**")
    components.change_counts(view, amendments.counts(changes.found(view)))
    page_link("changes", t("nav.changes"), view.query(), ":material/difference:")

st.info(t("chart.click_hint"), icon=":material/touch_app:")
left, right = st.columns(2)
with left:
    st.subheader(t("chart.per_area"))
    for point in components.clicked_points(
        charts.per_area_by_lead(actions, memo, lang), "chart_area_lead", alternatives.per_area_by_lead(view, actions)
    )[:1]:
        area, lead = point["customdata"]
        narrow_plan(view, areas=(area,), leads=(lead,))
with right:
    st.subheader(t("chart.heatmap"))
    for point in components.clicked_points(
        charts.area_year_heatmap(actions, memo, view.years, lang),
        "chart_area_year",
        alternatives.area_year(view, actions),
    )[:1]:
        area, year = point["customdata"]
        narrow_plan(view, areas=(area,), years=(int(year),))
left, right = st.columns(2)
with left:
    st.subheader(t("chart.status"))
    for point in components.clicked_points(
        charts.status_breakdown(actions, lang), "chart_status", alternatives.by_status(view, actions)
    )[:1]:
        narrow_plan(view, statuses=(point["customdata"][0],))
with right:
    st.subheader(t("chart.progress"))
    for point in components.clicked_points(
        charts.progress_by_area(actions, memo, lang), "chart_progress", alternatives.progress_by_area(view, actions)
    )[:1]:
        narrow_plan(view, areas=(point["customdata"][0],))

# Full width, one under the other: these lists are read, titles and all; a row opens its action in the plan.
st.subheader(t("overview.overdue"))
st.caption(t("overview.list_hint"))
components.compact_list(view, summaries.overdue(actions, view.asof), "end", "overdue")
st.subheader(t("overview.upcoming"))
components.compact_list(view, summaries.upcoming(actions, view.asof), "start", "upcoming")
