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

# The index beside the log names what the filters offer and where each entry is: a run
# reads the page it shows, however long the history has grown.
summary = history.summary(view.dataset.data_dir)
if summary.problems:
    st.warning(t("history.unreadable"), icon=":material/warning:")
    components.show_problem_lines(view, summary.problems)
if summary.first is None:
    st.info(t("history.empty"))
    st.stop()

# the latest title each action had in the history, to name it in the filter
# (the plan's approval names no action)
titles = {action: texts.history_title(view, action, title) for action, title in summary.titles.items()}
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
        summary.people,
        key="history_user",
        placeholder=t("filters.placeholder"),
        select_all=False,
    )
    if named
    else []
)
# From the first change on by default: an empty date field would show its format in the browser's language.
since = columns[2].date_input(t("history.filter.since"), value=summary.first, key="history_since", format="DD.MM.YYYY")
chosen = (tuple(actions), tuple(people), since)
if state.get("history_chosen") != chosen:  # other filters: their first page
    state["history_chosen"], state["history_page"] = chosen, 1


def entries_of(number: int) -> history.Page:
    start = (number - 1) * history.PAGE
    return history.page(view.dataset.data_dir, actions=actions, people=people, since=since, start=start)


number = state.get("history_page", 1)
shown = entries_of(number)
pages = max(1, -(-shown.total // history.PAGE))
if number > pages:  # the history shrank since (a backup put back): its last page
    number = pages
    shown = entries_of(number)
hidden = "" if named else f" · {t('history.names_hidden')}"
st.caption(f"{t('history.count', count=shown.total)} · {t('history.times_note')}{hidden}")

for entry in shown.entries:
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

if pages > 1:
    state["history_page"] = number
    st.number_input(t("history.page", pages=pages), min_value=1, max_value=pages, step=1, key="history_page", width=220)
