"""The Reporting page's review and close: each side's state of the quarter (open, or
closed by whom and when, with the exceptions open), a coordinator's queue of submitted
reports («submitted, waiting for you»: accepted or returned one by one or several at
once), settling the joint actions' disagreements (one status and progress agreed by
both sides' coordinators, or noted as a disagreement), closing the coordinator's
side's half, and the exceptions of a closed half (listed; an administrator opens one).
Every step goes through the store (``editing.quarter_store``); the rules live there."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import i18n
from ..data import quarter_file
from ..data.model import REGIONS, REPORT_STATUSES
from ..editing import auth, quarter_store
from ..reporting import quarters
from ..views import reporting, texts
from ..views.view import View
from . import edit_session, navigation

_NOTICE = "_review_notice"
_REOPENED = "_reopen_done"
QUEUE_ANCHOR = "review-queue"


def _settle_anchor(side: str) -> str:
    return f"settle-{side}"


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
    st.subheader(t("review.queue", count=len(waiting)), anchor=QUEUE_ANCHOR)
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
        edit_session.show_refused(
            view,
            [
                edit_session.Refused(f"{key}: {i18n.advice(view.lang, r.kind, r.message)}", f"{key}: {r.message}")
                for key, r in refused
            ],
        )
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
        for item in state.pending:  # each leads to where it is settled: the queue, or the disagreements
            said = texts.escape_md(t(f"review.pending.{item.kind}", id=item.action, review=_state(view, item)))
            anchor = _settle_anchor(side) if item.kind == "disagreement_open" else None
            if item.state == "submitted":
                anchor = QUEUE_ANCHOR
            st.markdown(f"- [{said}](#{anchor})" if anchor else f"- {said}")
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
                edit_session.show_refused(view, [edit_session.Refused.of(view.lang, refused.kind, refused.message)])
            else:
                st.session_state[_NOTICE] = t("review.closed", side=name, quarter=quarter)
                st.rerun()


def settle_panel(view: View, quarter: str, user: auth.User) -> None:
    """The joint actions whose two sides' reports of ``quarter`` disagree, for each side
    ``user`` coordinates that has not closed it: agree one status and progress (made
    when the other side's coordinator agrees the same figures: both names are kept),
    or note it as a disagreement."""
    t = view.t
    closing = quarter_file.read(view.dataset.data_dir, quarter)[0]
    settlements = closing.settlements if closing is not None else {}
    for side in (s for s in REGIONS if auth.can_review(user, s)):
        state = quarters.state(view.dataset, quarter)[side]
        open_ones = [p.action for p in state.pending if p.kind == "disagreement_open"]
        if state.closed is not None or not open_ones:
            continue
        name = reporting.side_name(view, side)
        st.subheader(t("review.settle_title", side=name), anchor=_settle_anchor(side))
        st.caption(t("review.settle_intro"))
        for action_id in open_ones:
            with st.container(border=True):
                _settle_one(view, quarter, action_id, side, settlements.get(action_id), user)


def _settle_one(view: View, quarter: str, action_id: str, side: str, known, user: auth.User) -> None:
    t, lang = view.t, view.lang
    found = quarters.disagreement(view.dataset, quarter, action_id)
    link = navigation.page_url("plan", {"lang": lang, "id": action_id})
    st.markdown(f"[**{action_id}** · {texts.escape_md(_title(view, action_id))}]({link})")
    if found is not None:
        st.caption(texts.escape_md(reporting.disagreement_text(view, found)))
    proposed = known if known is not None and known.how == "agreed" else None
    if proposed is not None:  # the other side's proposal, to agree by saving the same figures
        names = ", ".join(
            f"{reporting.side_name(view, s)} ({n})" if auth.sees_names(user) else reporting.side_name(view, s)
            for s, n in proposed.by.items()
        )
        figures = t(
            "detail.report_figures",
            status=t(f"status.{proposed.status}"),
            progress=i18n.percent(proposed.progress / 100, lang),
        )
        st.info(t("review.settle_proposed", figures=figures, by=names), icon=":material/handshake:")
    mine = found.pavlodar if found is not None and side == "pavlodar" else found.omsk if found is not None else None
    status = proposed.status if proposed else mine.status if mine else REPORT_STATUSES[0]
    progress = proposed.progress if proposed else mine.progress if mine else 0
    key = f"settle_{side}_{action_id}"
    with st.form(key, enter_to_submit=False):
        left, right = st.columns(2)
        chosen = left.selectbox(
            t("review.settle_status"),
            REPORT_STATUSES,
            index=REPORT_STATUSES.index(status),
            format_func=lambda s: t(f"status.{s}"),
            key=f"{key}_status",
        )
        percent = right.number_input(t("review.settle_progress"), 0, 100, int(progress), step=5, key=f"{key}_progress")
        agree, note = st.columns(2)
        agreed = agree.form_submit_button(t("review.settle_agree"), type="primary", icon=":material/handshake:")
        noted = note.form_submit_button(t("review.settle_noted"), icon=":material/rule:")
    if agreed or noted:
        try:
            made = quarter_store.settle(
                view.dataset.data_dir,
                quarter,
                action_id,
                user,
                noted=noted,
                status=None if noted else chosen,
                progress=None if noted else int(percent),
                side=side,
            )
        except quarter_store.store.StoreError as refused:
            edit_session.show_refused(view, [edit_session.Refused.of(lang, refused.kind, refused.message)])
        else:
            said = (
                "review.settled_noted"
                if made.how == "noted"
                else "review.settled"
                if made.settled
                else "review.settle_waiting"
            )
            st.session_state[_NOTICE] = t(said, id=action_id)
            st.rerun()


def exceptions_panel(view: View, quarter: str, user: auth.User) -> None:
    """The exceptions opened in ``quarter``'s closed halves (who, why, until, used or
    not), and, for an administrator, the form that opens one for one action and side."""
    t, lang = view.t, view.lang
    closing = quarter_file.read(view.dataset.data_dir, quarter)[0]
    if closing is None or not closing.sides:
        return
    st.subheader(t("review.exceptions_title", quarter=reporting.quarter_label(view, quarter)))
    today = dt.date.today()
    for opening in closing.exceptions:
        used = (
            t(
                "review.exception_used",
                count=len(opening.uses),
                date=i18n.date(opening.uses[-1].at.date(), lang),
                name=opening.uses[-1].by,
            )
            if opening.uses
            else t("review.exception_unused")
        )
        line = t(
            "review.exception_line",
            id=opening.action,
            title=_title(view, opening.action),
            side=reporting.side_name(view, opening.side),
            until=i18n.date(opening.until, lang),
            name=opening.opened_by,
            date=i18n.date(opening.opened.date(), lang),
            reason=opening.reason,
            used=used,
        )
        icon = ":material/key:" if opening.open_on(today) else ":material/key_off:"
        expired = "" if opening.open_on(today) else f" ({t('review.exception_expired')})"
        st.markdown(f"- {icon} {texts.escape_md(line + expired)}")
    if not closing.exceptions:
        st.caption(t("review.exceptions_none"))
    if not auth.can_approve(user):
        return
    if st.session_state.pop(_REOPENED, False):  # set before the widgets exist: a browser's copy follows
        st.session_state["reopen_pick"], st.session_state["reopen_reason"] = None, ""
    choices = [
        (action_id, side)
        for side, half in closing.sides.items()
        for action_id in sorted({*half.reports, *half.not_received})
    ]
    labels = {c: f"{_title(view, c[0])} · {c[0]} · {reporting.side_name(view, c[1])}" for c in choices}
    with st.form("reopen_form", enter_to_submit=False):
        picked = st.selectbox(
            t("review.reopen_pick"),
            choices,
            format_func=labels.__getitem__,
            key="reopen_pick",
            index=None,
            placeholder=t("select.placeholder"),
        )
        until = st.date_input(
            t("review.reopen_until"),
            today + dt.timedelta(days=30),
            min_value=today,
            format="DD.MM.YYYY",
            key="reopen_until",
        )
        reason = st.text_area(t("review.reopen_reason"), key="reopen_reason", max_chars=1000)
        opened = st.form_submit_button(t("review.reopen"), icon=":material/key:")
    if opened:
        if picked is None:
            st.error(t("review.reopen_pick_first"), icon=":material/block:")
            return
        try:
            quarter_store.reopen(view.dataset.data_dir, quarter, picked[0], picked[1], until, reason, user)
        except quarter_store.store.StoreError as refused:
            edit_session.show_refused(view, [edit_session.Refused.of(lang, refused.kind, refused.message)])
        else:
            st.session_state[_NOTICE] = t("review.reopened", id=picked[0], side=reporting.side_name(view, picked[1]))
            st.session_state[_REOPENED] = True  # opened: the form starts afresh (refused: it keeps what was typed)
            st.rerun()


def settlement_text(view: View, quarter: str, action_id: str) -> str | None:
    """How a joint action's disagreement of ``quarter`` was settled, in words: agreed by
    both coordinators (with the figures), noted, or proposed by one side; None when not."""
    closing = quarter_file.read(view.dataset.data_dir, quarter)[0]
    made = closing.settlements.get(action_id) if closing is not None else None
    if made is None:
        return None
    if made.how == "noted":
        return view.t("review.settlement.noted")
    figures = view.t(
        "detail.report_figures",
        status=view.t(f"status.{made.status}"),
        progress=i18n.percent((made.progress or 0) / 100, view.lang),
    )
    return view.t("review.settlement.agreed" if made.settled else "review.settlement.proposed", figures=figures)


def _who(view: View, side: str, user: auth.User | None, state: quarters.SideState) -> str:
    return (state.closed_by or "") if auth.sees_names(user) else view.t(f"role.{side}-coordinator")


def _title(view: View, action_id: str) -> str:
    action = view.dataset.action(action_id)
    return texts.data_text(view, action.title) if action is not None else ""


def _state(view: View, item: quarters.Pending) -> str:
    if item.kind == "disagreement_open":
        return reporting.quarter_label(view, item.state)
    return view.t(f"review.state.{item.state}")
