"""Changes since approval: the plan as it is against the plan as approved (the version the
sidebar names, else the latest), as counts and a list; an administrator approves here."""

import streamlit as st

from coopplan import i18n
from coopplan.data.model import trim_text
from coopplan.editing import auth, store
from coopplan.reporting import amendments
from coopplan.ui import account, components, page
from coopplan.views import changes, texts

view = page.setup("changes")
t, lang = view.t, view.lang
st.title(t("changes.title"))
st.markdown(t("changes.intro"))
notice = st.session_state.pop("approve_notice", None)
if notice:
    st.success(notice, icon=":material/verified:")
    st.toast(notice, icon=":material/verified:")

baseline = view.baseline
if baseline is None:
    st.info(t("changes.none_approved"))
else:
    st.subheader(changes.version_label(view, baseline))
    approved = (
        t("changes.approved_by", user=baseline.approved_by, date=i18n.date(baseline.approved_on, lang))
        if auth.sees_names(account.current_user())
        else t("changes.approved_on", date=i18n.date(baseline.approved_on, lang))
    )
    note = f" {texts.data_text(view, baseline.note)}" if baseline.note else ""
    st.caption(texts.escape_md(approved + note))
    changed = changes.found(view)
    counts = amendments.counts(changed)
    components.change_counts(view, counts)
    if changed:
        st.dataframe(
            changes.table(view, changed),
            hide_index=True,
            placeholder="—",
            column_config={
                t("col.id"): st.column_config.TextColumn(width=64),
                t("col.title"): st.column_config.TextColumn(width=240),
                t("changes.col.what"): st.column_config.TextColumn(width=580),  # a move is a sentence: was, is now
            },
        )
    else:
        st.caption(t("changes.none"))

user = account.current_user()
if user is not None:
    with st.expander(t("changes.approve.header"), icon=":material/verified:"):
        if not auth.can_approve(user):
            st.info(t("changes.approve.admins_only"))
        else:
            version = (view.dataset.baselines[-1].version if view.dataset.baselines else 0) + 1
            st.markdown(t("changes.approve.intro", version=version))
            with st.form("approve", enter_to_submit=False):
                note = st.text_input(t("changes.approve.note"), max_chars=500, key="approve_note")
                sure = st.checkbox(t("changes.approve.confirm"), key="approve_sure")
                submitted = st.form_submit_button(t("changes.approve.button"), type="primary")
            if submitted and not sure:
                st.warning(t("changes.approve.unticked"))
            elif submitted:
                note = trim_text(note)
                try:
                    saved = store.approve(view.dataset.data_dir, user, {lang: note} if note else None)
                except store.Invalid as invalid:  # the note: a control character, a byte-order mark inside
                    for problem in invalid.problems:
                        st.error(texts.escape_md(i18n.problem(lang, problem.kind, problem.message)))
                except store.StoreError as refused:
                    st.error(
                        t("edit.refused", reason=texts.escape_md(i18n.problem(lang, refused.kind, refused.message)))
                    )
                else:
                    version = saved.entry.after["version"]
                    st.session_state["approve_notice"] = t("changes.approve.done", version=version)
                    st.rerun()
