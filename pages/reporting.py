"""Reporting: the reports owed for a quarter, per side, what is in and what is late; an
editor's own side's missing reports first, with the form to write them."""

import streamlit as st

from coopplan import i18n
from coopplan.data import quarter_file
from coopplan.data.model import REGIONS
from coopplan.editing import admission, auth
from coopplan.reporting import duties
from coopplan.ui import account, components, navigation, notices_panel, page, report_form, review_panel
from coopplan.views import reporting, texts

view = page.setup("reporting")
t, lang = view.t, view.lang
st.title(t("reporting.title"))
st.markdown(t("reporting.intro", day=duties.DUE_DAY))

choices = list(reversed(reporting.quarters(view)))  # the latest first
asked = st.query_params.get("period")
st.session_state["report_quarter"] = asked if asked in choices else choices[0]
quarter = st.selectbox(
    t("reporting.quarter"),
    choices,
    key="report_quarter",
    format_func=lambda q: reporting.quarter_label(view, q),
    on_change=lambda: st.query_params.update(period=st.session_state["report_quarter"]),
    placeholder=t("select.placeholder"),
)
st.caption(t("reporting.due", date=i18n.date(duties.due_date(quarter), lang)))
user = account.current_user()
components.report_downloads(view, quarter, user)  # at the top: what most people come for

owed = reporting.owed(view, quarter)
components.completeness(view, owed, st.columns(2, border=True))
review_panel.quarter_state(view, quarter, st.columns(2, border=True), user)

form = report_form.session()
if form.notice:
    st.success(form.notice, icon=":material/check_circle:")
    st.toast(form.notice, icon=":material/check_circle:")
    form.notice = None

if user is None:
    st.info(t("reporting.sign_in"))
elif not any(auth.can_report(user, side) for side in REGIONS):
    st.info(t("account.read_only"))
else:
    if any(auth.can_review(user, side) for side in REGIONS):
        review_panel.queue(view, user)
        review_panel.settle_panel(view, quarter, user)
        review_panel.close_panel(view, quarter, user)
        notices_panel.draw(view)
    review_panel.exceptions_panel(view, quarter, user)
    # a side's closed half takes no report, unless an administrator opened an exception for it
    closing = quarter_file.read(view.dataset.data_dir, quarter)[0]
    mine = [
        d for d in owed if auth.can_report(user, d.side) and admission.closed_to(closing, d.action.id, d.side) is None
    ]
    if closing is not None and auth.side_of(user) in closing.sides:  # an administrator has no side of their own
        st.info(t("review.closed_for_you"), icon=":material/lock:")
    missing = [d for d in mine if d.report is None]
    st.subheader(t("reporting.mine"))
    if missing:
        components.reports_owed(view, missing)
    else:
        st.caption(t("reporting.mine_none"))
    if mine:
        st.subheader(t("reporting.write"))
        ordered = sorted(mine, key=lambda d: (d.report is not None, duties.STATES.index(d.state), d.action.id))
        labels = {  # the title first: a phone shows the start of an option only
            (d.action.id, d.side): f"{texts.data_text(view, d.action.title)} · {d.action.id} · "
            f"{reporting.side_name(view, d.side)} · {reporting.duty_state(view, d)}"
            for d in ordered
        }
        asked = (st.query_params.get("action"), st.query_params.get("side"))  # a mail's link to one report form
        if asked in labels and "report_pick" not in st.session_state:
            st.session_state["report_pick"] = asked
        picked = st.selectbox(
            t("reporting.pick"),
            list(labels),
            format_func=labels.get,
            key="report_pick",
            placeholder=t("select.placeholder"),
        )
        report_form.draw(view, next(d for d in ordered if (d.action.id, d.side) == picked), user)

st.subheader(t("reporting.all"))
if owed:
    components.reports_owed(view, owed)
else:
    st.info(t("reporting.none_owed"))

st.subheader(t("reporting.disagreements"))
found = reporting.disagreements(view)
for action_id, disagreement in found:  # each opens its action in the plan
    title = texts.data_text(view, view.dataset.action(action_id).title)
    link = navigation.page_url("plan", {"lang": lang, "id": action_id})
    settled = review_panel.settlement_text(view, disagreement.period, action_id)
    st.markdown(
        f"- [**{action_id}** · {texts.escape_md(title)}]({link}): "
        f"{texts.escape_md(reporting.disagreement_text(view, disagreement))}"
        + (f" *{texts.escape_md(settled)}*" if settled else "")
    )
if not found:
    st.caption(t("reporting.disagreements_none"))
