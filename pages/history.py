"""History: every change, newest first, with what changed; any change can be undone."""

import datetime as dt

import streamlit as st

from coopplan import i18n
from coopplan.editing import auth, history
from coopplan.ui import account, components, edit_session, page
from coopplan.views import texts

view = page.setup("history", with_filters=False)
t, lang = view.t, view.lang
state = st.session_state
st.title(t("history.title"))
for notice in state.pop("history_notices", []):
    st.success(notice)
refusal = state.pop("history_refused", None)
if refusal:
    st.error(t("edit.refused", reason=texts.escape_md(refusal)))

entries, unreadable = history.read(view.dataset.data_dir)
if unreadable:
    st.warning(t("history.unreadable"), icon=":material/warning:")
    components.show_problem_lines(view, unreadable)
if not entries:
    st.info(t("history.empty"))
    st.stop()

columns = st.columns(3)
actions = columns[0].multiselect(
    t("history.filter.action"),
    sorted({e.action for e in entries}),
    key="history_action",
    placeholder=t("filters.placeholder"),
)
people = columns[1].multiselect(
    t("history.filter.user"),
    sorted({e.user for e in entries}),
    key="history_user",
    placeholder=t("filters.placeholder"),
)
since = columns[2].date_input(t("history.filter.since"), value=None, key="history_since", format="DD.MM.YYYY")
shown = [
    e
    for e in reversed(entries)
    if (not actions or e.action in actions)
    and (not people or e.user in people)
    and (since is None or e.at.date() >= since)
]
st.caption(t("history.count", count=len(shown)))

user = account.current_user()
for entry in shown[:200]:
    when = f"{i18n.date(entry.at.date(), lang)} {entry.at.astimezone(dt.UTC):%H:%M} UTC"
    with st.expander(
        t(
            "history.entry",
            when=when,
            user=texts.escape_md(entry.user),
            id=texts.escape_md(entry.action),
            op=t(f"history.op.{entry.op}"),
        )
    ):
        components.show_changes(view, history.diff(entry.before, entry.after))
        lead = str((entry.after or entry.before or {}).get("lead", ""))
        if user is not None and auth.can_edit(user, lead):
            label = t("history.restore") if entry.op == "delete" else t("history.undo")
            if st.button(label, key=f"undo_{entry.id}"):
                edit_session.undo(view, user, entry)
                st.rerun()
