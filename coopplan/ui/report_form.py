"""The report form: one side's report on one action for one quarter, started from that
side's previous report, checked by the loader's rules and saved through the store.

Its widgets are ``r_<field>`` (``forms.REPORT_FIELDS``) and ``r_indicator_<id>``; what
it remembers besides, it keeps in one ``ReportSession``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pydantic
import streamlit as st

from .. import i18n
from ..data import standing
from ..data.model import LANGS, REPORT_STATUSES, Report
from ..editing import auth, forms, store
from ..exchange import report_import
from ..reporting import duties, review
from ..views import reporting, texts
from ..views.view import View
from . import evidence

_KEY = "_report_session"


@dataclass
class ReportSession:
    target: tuple[str, str, str] | None = None  # (quarter, action id, side) the form was filled for
    version: str = store.ABSENT  # of the report's file when the form was filled
    problems: tuple[str, ...] = ()  # in the reader's language, naming the field
    rules: tuple[str, ...] = ()  # the same, as the exact rules in English
    notice: str | None = None


def session() -> ReportSession:
    return st.session_state.setdefault(_KEY, ReportSession())


def own(view: View, duty: duties.Duty) -> Report | None:
    """The side's report for the duty as its file holds it, whatever its review state
    (a draft or a returned report is not yet in, but is its authors' to go on with)."""
    key = f"{duty.quarter}/{duty.action.id}-{duty.side}"
    return duty.report or next((r for r in view.dataset.reports_of(duty.action.id) if r.key == key), None)


def _fill(view: View, duty: duties.Duty) -> None:
    form = session()
    previous = standing.previous(view.dataset.reports_of(duty.action.id), duty.side, duty.quarter)
    values = forms.report_values(duty.action, previous, dt.date.today())
    mine = own(view, duty)
    if mine is not None:  # correcting a report already in: start from it
        values = forms.report_values(duty.action, mine, mine.date)
        values |= {f"done_{lang}": getattr(mine.done, lang) or "" for lang in LANGS}
        values["evidence"] = "\n".join(mine.evidence)
    for key, value in values.items():
        st.session_state[f"r_{key}"] = value
    form.target = (duty.quarter, duty.action.id, duty.side)
    form.problems = ()
    key = f"{duty.quarter}/{duty.action.id}-{duty.side}"
    form.version = store.version_as_loaded(view.dataset.data_dir, mine, key)
    try:  # a folder or a pipe under the report's name: say so before anything is typed
        store.read_report_version(view.dataset.data_dir, key)
    except store.StoreError as refused:
        form.problems = (i18n.problem(view.lang, refused.kind, refused.message),)


def draw(view: View, duty: duties.Duty, user: auth.User) -> None:
    """The form for ``duty`` (one ``user`` reports for); a save's outcome is shown on the next run."""
    t, form = view.t, session()
    if form.target != (duty.quarter, duty.action.id, duty.side):
        _fill(view, duty)
    side, quarter = reporting.side_name(view, duty.side), reporting.quarter_label(view, duty.quarter)
    st.markdown(f"**{texts.escape_md(t('reporting.form.title', side=side, id=duty.action.id, quarter=quarter))}**")
    last = standing.previous(view.dataset.reports_of(duty.action.id), duty.side, duty.quarter)
    if last is not None and duty.report is None:
        text = texts.data_text(view, last.done)
        st.caption(
            texts.escape_md(t("reporting.form.previous", quarter=reporting.quarter_label(view, last.period), text=text))
        )
    mine = own(view, duty)
    if mine is not None:  # where its review stands, and a coordinator's note to its authors
        st.caption(t("review.report_state", review=t(f"review.state.{review.state_of(mine)}")))
        if mine.state == "returned" and mine.note:
            st.warning(texts.escape_md(t("review.returned_note", note=mine.note)), icon=":material/undo:")
    for problem in form.problems:
        st.error(texts.escape_md(problem), icon=":material/edit:")
    if form.rules:  # the exact rules in English, for whoever maintains the data
        with st.expander(t("import.rules")):
            st.text("\n".join(form.rules))
    with st.form("report_form", enter_to_submit=False):
        left, middle, right = st.columns(3)
        left.selectbox(
            t("reporting.form.status"),
            REPORT_STATUSES,
            format_func=lambda s: t(f"status.{s}"),
            key="r_status",
            placeholder=t("select.placeholder"),
        )
        middle.slider(t("reporting.form.progress"), 0, 100, step=5, key="r_progress")
        right.date_input(t("reporting.form.date"), key="r_date", format="DD.MM.YYYY", max_value=dt.date.today())
        for column, lang in zip(st.columns(3), LANGS, strict=True):
            label = f"{t('reporting.form.done')} ({t(f'rsheet.in_lang.{lang}')})"
            column.text_area(label, key=f"r_done_{lang}", max_chars=5000)
        st.text_area(t("reporting.form.evidence"), key="r_evidence", max_chars=5000)
        with_ids = [i for i in duty.action.indicators if i.id is not None]
        if with_ids:
            st.markdown(f"**{t('reporting.form.indicators')}**")
            for column, indicator in zip(st.columns(min(len(with_ids), 3)), with_ids, strict=False):
                unit = f" ({texts.data_text(view, indicator.unit)})" if indicator.unit else ""
                label = texts.escape_md(f"{texts.data_text(view, indicator.name)}{unit}")  # a label is markdown
                column.number_input(  # «%g»: a count shows as 4, not 4.00
                    label, min_value=0.0, step=1.0, key=f"r_indicator_{indicator.id}", value=None, format="%g"
                )
        # saved before the next run, not in it: that one run draws the page with the report
        # in, where a save inside the run drew the page, saved, and drew it again
        submit, keep = st.columns(2)
        submit.form_submit_button(
            t("reporting.form.save"),
            type="primary",
            icon=":material/send:",
            on_click=_save,
            args=(view, duty, user, "submitted"),
        )
        keep.form_submit_button(
            t("review.save_draft"), icon=":material/draft:", on_click=_save, args=(view, duty, user, "draft")
        )
    evidence.for_duty(view, duty, user)  # the report's files: added, replaced, removed apart from its text


def _save(view: View, duty: duties.Duty, user: auth.User, state: str) -> None:
    form = session()
    values = {key: st.session_state.get(f"r_{key}") for key in forms.REPORT_FIELDS}
    values |= {f"indicator_{i.id}": st.session_state.get(f"r_indicator_{i.id}") for i in duty.action.indicators if i.id}
    record = forms.report_record(values, duty.action.id, duty.side, duty.quarter) | {"state": state}
    try:
        report = Report.model_validate(record)
    except pydantic.ValidationError as error:
        found = [report_import.shape_problem(e) for e in error.errors(include_url=False)]
        form.problems = tuple(_field_problem(view, p.column, p.kind, p.value) for p in found)
        form.rules = tuple(p.message for p in found)
        return
    try:
        store.save_report(view.dataset.data_dir, report, user, form.version, memorandum=view.memorandum)
    except store.Invalid as invalid:
        form.problems = tuple(i18n.advice(view.lang, p.kind, p.message) for p in invalid.problems)
        form.rules = tuple(p.message for p in invalid.problems)
        return
    except store.Conflict:
        form.problems = (
            i18n.problem(view.lang, "conflict", "this report was changed by someone else since you opened it"),
        )
        form.target = None  # filled again from what is there now
        return
    except store.StoreError as refused:
        form.problems = (i18n.problem(view.lang, refused.kind, refused.message),)
        return
    side, quarter = reporting.side_name(view, duty.side), reporting.quarter_label(view, duty.quarter)
    said = "reporting.form.corrected" if duty.report is not None else "reporting.form.saved"
    said = "review.drafted" if state == "draft" else said
    form.notice = view.t(said, id=duty.action.id, side=side, quarter=quarter)
    form.target = None
    form.problems = form.rules = ()


# the form's label of each report field a problem can name
_LABELS = {"status": "reporting.form.status", "progress": "reporting.form.progress", "date": "reporting.form.date"}


def _field_problem(view: View, column: str, kind: str, value: str) -> str:
    """A problem with one field, in the reader's language: «Дата отчёта: заполните это поле»."""
    advice = i18n.t(view.lang, f"rform.{kind}").format(value=value)
    if column.startswith("done"):  # the advice names the field itself
        return advice[:1].upper() + advice[1:]
    label = view.t(
        _LABELS.get(column, "reporting.form.evidence" if column == "evidence" else "reporting.form.indicators")
    )
    return f"{label}: {advice}"
