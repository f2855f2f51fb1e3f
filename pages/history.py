"""History: every change, newest first, with what changed; any change can be undone."""

import streamlit as st

from coopplan.editing import auth, history
from coopplan.ui import account, components, edit_session, page
from coopplan.views import texts

view = page.setup("history", with_filters=False)
t, lang = view.t, view.lang
state = st.session_state
st.title(t("history.title"))
for notice in state.pop("history_notices", []):
    st.toast(notice, icon=":material/check_circle:", duration="long")  # seen wherever the page is scrolled
    st.success(notice)
refusal = state.pop("history_refused", None)
if refusal:
    edit_session.show_refused(view, [refusal])

entries, unreadable = history.read(view.dataset.data_dir)
if unreadable:
    st.warning(t("history.unreadable"), icon=":material/warning:")
    components.show_problem_lines(view, unreadable)
if not entries:
    st.info(t("history.empty"))
    st.stop()

# the latest title each action had in the history, to name it in the list and the filter
# (the plan's approval names no action)
titles = {e.action: texts.history_subject(view, e)[1] for e in entries if e.action}
user = account.current_user()
named = auth.sees_names(user)  # who changed what: to signed-in users only
columns = st.columns(3)
actions = columns[0].multiselect(
    t("history.filter.action"),
    sorted(titles),
    key="history_action",
    format_func=lambda a: f"{a} · {titles[a]}" if titles[a] else a,
    placeholder=t("filters.placeholder"),
    select_all=False,
)
people = (
    columns[1].multiselect(
        t("history.filter.user"),
        sorted({e.user for e in entries}),
        key="history_user",
        placeholder=t("filters.placeholder"),
        select_all=False,
    )
    if named
    else []
)
# From the first change on by default: an empty date field would show its format in the browser's language.
first = min(e.at.date() for e in entries)  # dates: a line written by hand may hold a time without zone
since = columns[2].date_input(t("history.filter.since"), value=first, key="history_since", format="DD.MM.YYYY")
shown = [
    e
    for e in reversed(entries)
    if (not actions or e.action in actions)
    and (not people or e.user in people)
    and (since is None or e.at.date() >= since)
]
hidden = "" if named else f" · {t('history.names_hidden')}"
st.caption(f"{t('history.count', count=len(shown))} · {t('history.times_note')}{hidden}")

for entry in shown[:200]:
    subject, title = texts.history_subject(view, entry)
    with st.expander(
        t(
            ("history.entry" if title else "history.entry_untitled") + ("" if named else "_public"),
            when=texts.both_local_times(view, entry.at),
            user=texts.escape_md(entry.user),
            id=texts.escape_md(subject),
            title=texts.escape_md(title),
            op=texts.history_op(view, entry),
        )
    ):
        changed = history.diff(entry.before, entry.after, entry.kind)
        components.show_changes(view, changed if named else [c for c in changed if c.field not in auth.NAME_FIELDS])
        if auth.can_undo(user, entry):
            label = t("history.restore") if entry.op == "delete" and not entry.report else t("history.undo")
            if st.button(label, key=f"undo_{entry.id}"):
                edit_session.undo(view, user, entry)
                st.rerun()
