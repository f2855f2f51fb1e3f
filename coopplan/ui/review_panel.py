"""The Reporting page's review and close: each side's state of the quarter (open, or
closed by whom and when, with the exceptions open), a coordinator's queue of submitted
reports («submitted, waiting for you»: accepted or returned one by one or several at
once), and closing the coordinator's side's half. Every step goes through the store
(``editing.quarter_store``); the rules live there."""

from __future__ import annotations

import streamlit as st

from .. import i18n
from ..data.model import REGIONS
from ..editing import auth, quarter_store
from ..reporting import quarters
from ..views import reporting, texts
from ..views.view import View

_NOTICE = "_review_notice"


def quarter_state(view: View, quarter: str, columns: list, user: auth.User | None) -> None:
    """Each side's state of ``quarter``, one in each of ``columns``; who closed it to
    signed-in people only (account names are half a sign-in)."""
    t, lang = view.t, view.lang
    for column, (side, state) in zip(columns, quarters.state(view.dataset, quarter).items(), strict=False):
        with column:
            st.markdown(f"**{texts.escape_md(reporting.side_name(view, side))}**")
            if state.closed is not None:
                when = i18n.date(state.closed.date(), lang)
                st.markdown(
                    f":material/lock: {texts.escape_md(t('review.closed_by', date=when, name=_who(view, side, user, state)))}"
                )
            else:
                st.markdown(f":material/lock_open: {t('review.open')}")
            st.caption(
                t(
                    "review.counts",
                    accepted=i18n.number(state.accepted, lang),
                    on_time=i18n.number(state.on_time, lang),
                    owed=i18n.number(state.owed, lang),
                    submitted=i18n.number(state.submitted, lang),
                    returned=i18n.number(state.returned, lang),
                    not_received=i18n.number(state.not_received, lang),
                )
            )
            for opening in state.exceptions:
                until = i18n.date(opening.until, lang)
                text = t("review.exception", id=opening.action, date=until, reason=opening.reason)
                st.caption(f":material/key: {texts.escape_md(text)}")


def queue(view: View, user: auth.User) -> None:
    """The submitted reports of the sides ``user`` reviews, to accept or return."""
    t = view.t
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    sides = [side for side in REGIONS if auth.can_review(user, side)]
    waiting = [r for side in sides for r in quarters.waiting(view.dataset, side)]
    st.subheader(t("review.queue", count=len(waiting)))
    if not waiting:
        st.caption(t("review.queue_none"))
        return
    labels = {
        r.key: f"{r.action} · {reporting.side_name(view, r.side)} · {reporting.quarter_label(view, r.period)} · "
        f"{t(f'status.{r.status}')}, {i18n.number(r.progress, view.lang)} % · "
        f"{_title(view, r.action)}"
        for r in waiting
    }
    for report in waiting:
        with st.expander(labels[report.key]):
            st.markdown(texts.escape_md(texts.data_text(view, report.done)))
            for line in report.evidence:
                st.caption(texts.escape_md(line))
    with st.form("review_form", enter_to_submit=False):
        chosen = st.multiselect(
            t("review.choose"),
            list(labels),
            format_func=labels.__getitem__,
            key="review_chosen",
            placeholder=t("review.all"),
        )
        note = st.text_area(t("review.note"), key="review_note", max_chars=2000)
        accept, give_back = st.columns(2)
        accepted = accept.form_submit_button(t("review.accept"), type="primary", icon=":material/done_all:")
        returned = give_back.form_submit_button(t("review.return"), icon=":material/undo:")
    if accepted or returned:
        keys = chosen or list(labels)
        done, refused = quarter_store.decide(view.dataset, keys, user, accept=accepted, note=note)
        for key, refusal in refused:
            st.error(f"{key}: {i18n.problem(view.lang, refusal.kind, refusal.message)}", icon=":material/block:")
        if done:
            said = "review.accepted" if accepted else "review.returned"
            st.session_state[_NOTICE] = t(said, count=len(done), ids=", ".join(k.rpartition("/")[2] for k in done))
            st.rerun()


def close_panel(view: View, quarter: str, user: auth.User) -> None:
    """Closing the half of ``quarter`` of each side ``user`` coordinates: what keeps it
    open, the owed reports to mark «not received» with a reason, and the close."""
    t = view.t
    for side in (s for s in REGIONS if auth.can_review(user, s)):
        state = quarters.state(view.dataset, quarter)[side]
        if state.closed is not None:
            continue
        name = reporting.side_name(view, side)
        st.subheader(t("review.close_title", side=name, quarter=reporting.quarter_label(view, quarter)))
        missing = [p.action for p in state.pending if p.kind == "report_pending"]
        for item in state.pending:
            st.markdown(
                f"- {texts.escape_md(t(f'review.pending.{item.kind}', id=item.action, review=_state(view, item)))}"
            )
        with st.form(f"close_{side}", enter_to_submit=False):
            marked = st.multiselect(t("review.not_received"), missing, key=f"close_marked_{side}", placeholder="—")
            reason = st.text_input(t("review.not_received_reason"), key=f"close_reason_{side}", max_chars=500)
            closing = st.form_submit_button(t("review.close", side=name), icon=":material/lock:")
        if closing:
            try:
                quarter_store.close(
                    view.dataset.data_dir, quarter, user, side=side, not_received=dict.fromkeys(marked, reason)
                )
            except quarter_store.store.StoreError as refused:
                st.error(i18n.problem(view.lang, refused.kind, refused.message), icon=":material/block:")
            else:
                st.session_state[_NOTICE] = t("review.closed", side=name, quarter=quarter)
                st.rerun()


def _who(view: View, side: str, user: auth.User | None, state: quarters.SideState) -> str:
    return (state.closed_by or "") if auth.sees_names(user) else view.t(f"role.{side}-coordinator")


def _title(view: View, action_id: str) -> str:
    action = view.dataset.action(action_id)
    return texts.data_text(view, action.title) if action is not None else ""


def _state(view: View, item: quarters.Pending) -> str:
    if item.kind == "disagreement_open":
        return item.state
    return view.t(f"review.state.{item.state}")
