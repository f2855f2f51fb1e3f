"""The coordinators' section of mail notices on the Reporting page: what the next
``notify`` run will send, a preview per recipient in its language, and the outbox,
filterable. Shown to coordinators and administrators only (it holds addresses)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ..notices import run
from ..notices.outbox import FINAL, PENDING, Outbox
from ..notices.settings import SettingError
from ..views import texts
from ..views.view import View

STATES = (*PENDING, *FINAL)


def _preview(view: View, day: dt.date, box: Outbox) -> run.Outcome:
    """``run.preview``, worked out again only when the plan, the day or the outbox changed:
    deciding every account's reminders is work for the whole plan, and the page reruns at
    each widget a coordinator touches."""
    try:
        stamp = box.path.stat()
        written = (stamp.st_mtime_ns, stamp.st_size)
    except FileNotFoundError:
        written = None
    key = (id(view.dataset), day, written)
    kept = st.session_state.get("notices_preview")
    if kept is None or kept[0] != key:
        kept = st.session_state["notices_preview"] = (key, run.preview(view.dataset, day, box))
    return kept[1]


def draw(view: View) -> None:
    t = view.t
    st.subheader(t("notices.title"))
    st.caption(t("notices.intro"))
    day = st.date_input(t("notices.day"), value=dt.date.today(), key="notices_day", format="DD.MM.YYYY")
    box = Outbox()
    try:
        planned = _preview(view, day, box)
    except (SettingError, OSError) as problem:  # a wrong COOPPLAN_REMINDER_DAYS, an unreadable outbox
        st.error(t("notices.unavailable", problem=str(problem)), icon=":material/error:")
        return
    st.markdown(f"**{t('notices.preview')}**")
    shown = [(m.account, m.to, m.lang, m.subject, m.text) for m in planned.new]
    shown += [
        (str(r.get("account")), str(r.get("to")), str(r.get("lang")), str(r.get("subject")), str(r.get("text")))
        for r in planned.waiting
    ]
    if not shown:
        st.caption(t("notices.preview_none"))
    for name, email, lang, subject, body in shown:
        label = f"{t('notices.recipient', name=name, email=email, language=lang)} · {subject}"
        with st.expander(texts.escape_md(label)):
            st.text(body)  # as the mail's plain-text part: nothing in it is markup
    _outbox(view, box)


def _outbox(view: View, box: Outbox) -> None:
    t = view.t
    st.markdown(f"**{t('notices.outbox')}**")
    records = sorted(box.records().values(), key=lambda r: r.get("at", ""), reverse=True)
    if not records:
        st.caption(t("notices.outbox_none"))
        return
    left, middle, right = st.columns(3)
    states = left.multiselect(
        t("notices.filter_state"), STATES, key="notices_states", format_func=lambda s: t(f"notices.state.{s}")
    )
    kinds = middle.multiselect(
        t("notices.filter_kind"),
        sorted({str(r.get("kind")) for r in records}),
        key="notices_kinds",
        format_func=lambda k: t(f"mail.kind.{k}") if k != "None" else k,
    )
    words = right.text_input(t("notices.search"), key="notices_search").strip().lower()
    chosen = [
        r
        for r in records
        if (not states or r.get("state") in states)
        and (not kinds or str(r.get("kind")) in kinds)
        and (not words or words in f"{r.get('to')} {r.get('account')} {r.get('subject')}".lower())
    ]
    frame = pd.DataFrame(
        {
            t("notices.col.at"): [str(r.get("at", "")).replace("T", " ").removesuffix("+00:00") for r in chosen],
            t("notices.col.to"): [f"{r.get('account')} <{r.get('to')}>" for r in chosen],
            t("notices.col.kind"): [str(r.get("kind")) for r in chosen],
            t("notices.col.subject"): [str(r.get("subject", "")) for r in chosen],
            t("notices.col.state"): [t(f"notices.state.{r.get('state')}") for r in chosen],
            t("notices.col.tries"): [int(r.get("tries", 0)) for r in chosen],
            t("notices.col.error"): [str(r.get("error", "")) for r in chosen],
        }
    )
    st.dataframe(frame, hide_index=True, key="notices_outbox")
