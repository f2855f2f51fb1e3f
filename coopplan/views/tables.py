"""The tables pages show, as pandas frames: the plan's actions (periods as a plan
writes them, names instead of ids, statuses in their colours) and a change field
by field."""

from __future__ import annotations

import json

import pandas as pd

from .. import i18n
from ..data.model import STATUSES
from ..editing import history
from . import charts, summaries
from .view import View

# Streamlit's markdown colours for statuses, matching charts.STATUS_COLORS.
STATUS_MD_COLORS = {
    "planned": "blue",
    "in_progress": "orange",
    "done": "green",
    "postponed": "violet",
    "cancelled": "gray",
}


def title_column(view: View, frame: pd.DataFrame) -> pd.Series:
    """Titles with the fallback language marked in front, e.g. «[RU] …»."""
    marks = frame[f"title_{view.lang}_from"].map(lambda used: f"[{used.upper()}] " if used else "")
    return marks + frame[f"title_{view.lang}"]


def status_label(view: View, status: str, overdue: bool = False) -> str:
    """«● Выполняется», and «● Выполняется · просрочено» for an overdue action."""
    label = f"● {view.t(f'status.{status}')}"
    return f"{label} · {view.t('due.overdue_mark')}" if overdue else label


def status_markdown(view: View, status: str) -> str:
    return f":{STATUS_MD_COLORS[status]}[{status_label(view, status)}]"


def status_colours(view: View) -> tuple[list[str], list[str]]:
    """The status labels a table shows (overdue ones too) and the colour of each: a
    table draws them as coloured labels (its column's config), so the colours are not
    sent cell by cell (a Styler sends the whole table a second time)."""
    labels = [status_label(view, s) for s in STATUSES] + [status_label(view, s, overdue=True) for s in STATUSES]
    colours = [charts.STATUS_COLORS[s] for s in STATUSES] + [charts.OVERDUE_COLOR] * len(STATUSES)
    return labels, colours


def _statuses(view: View, frame: pd.DataFrame, mark_overdue: bool = True) -> pd.Series:
    late = summaries.is_overdue(frame, view.asof) & mark_overdue
    return pd.Series(
        [status_label(view, s, bool(o)) for s, o in zip(frame["status"], late, strict=True)],
        index=frame.index,
        dtype=object,
    )


def bodies_column(view: View, frame: pd.DataFrame, side: str) -> pd.Series:
    """The bodies of one side by their names in the view's language."""
    return frame[f"bodies_{side}"].map(view.bodies_text)


def action_table(view: View, frame: pd.DataFrame) -> pd.DataFrame:
    """The readable table of actions: lead and status next to the title, the
    period as a plan writes it, names instead of ids, statuses in their colours,
    overdue actions marked."""
    t = view.t
    return pd.DataFrame(
        {
            t("col.id"): frame["id"],
            t("col.title"): title_column(view, frame),
            t("col.lead"): frame["lead"].map(lambda v: t(f"lead.{v}")),
            t("col.status"): _statuses(view, frame),
            t("col.period"): frame[f"period_{view.lang}"],
            t("col.progress"): frame["progress"],
            t("col.area"): frame["area"].map(view.area_names),
            t("col.bodies_pavlodar"): bodies_column(view, frame, "pavlodar"),
            t("col.bodies_omsk"): bodies_column(view, frame, "omsk"),
        }
    ).reset_index(drop=True)


def short_table(view: View, frame: pd.DataFrame, date_column: str) -> pd.DataFrame:
    """A short list of actions (overdue, starting soon): the date that puts each in
    the list, status, title, lead and bodies."""
    t = view.t
    bodies = [
        "; ".join(view.dataset.bodies.names([*p, *o], view.lang))
        for p, o in zip(frame["bodies_pavlodar"], frame["bodies_omsk"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("col.id"): frame["id"],
            t("col.end") if date_column == "end" else t("col.start"): frame[date_column].dt.date,
            t("col.status"): _statuses(view, frame, mark_overdue=False),  # the list says it
            t("col.title"): title_column(view, frame),
            t("col.lead"): frame["lead"].map(lambda v: t(f"lead.{v}")),
            t("col.bodies"): pd.Series(bodies, index=frame.index, dtype=object),
        }
    ).reset_index(drop=True)


# Changed fields (``history.diff`` paths) whose label is not ``edit.field.<name>``
_FIELD_LABELS = {
    "responsible.pavlodar": "edit.field.bodies_pavlodar",
    "responsible.omsk": "edit.field.bodies_omsk",
    "budget.amount": "edit.field.budget_amount",
    "budget.currency": "edit.field.budget_currency",
    "budget.source": "edit.field.budget_source",
    "budget": "detail.budget",
    "tags": "detail.tags",
    "id": "col.id",
    "evidence": "detail.evidence",
    "date": "reporting.form.date",
    # the plan's approval and its baseline
    "version": "changes.baseline",
    "approved_on": "history.field.approved_on",
    "approved_by": "history.field.approved_by",
    "note": "history.field.note",
    "actions": "history.field.actions",
}
# Fields of a report whose label is not ``edit.field.<name>``; its texts by language.
_REPORT_TEXTS = {"done": "reporting.form.done"}


def field_label(view: View, path: str) -> str:
    """A changed field as the form names it: «Наименование · KK» for ``title.kk``."""
    if path in _FIELD_LABELS:
        return view.t(_FIELD_LABELS[path])
    name, _, lang = path.partition(".")
    if name in _REPORT_TEXTS:
        return f"{view.t(_REPORT_TEXTS[name])} · {lang.upper()}" if lang else view.t(_REPORT_TEXTS[name])
    if f"edit.field.{name}" not in i18n.catalog(view.lang):
        return path
    return f"{view.t(f'edit.field.{name}')} · {lang.upper()}" if lang else view.t(f"edit.field.{name}")


def _value_text(view: View, path: str, value) -> str:
    if value is None:
        return "—"
    if path == "area" and isinstance(value, str):  # history lines and files on disk may hold anything
        return view.area_names.get(value, value)
    if path in ("lead", "status") and f"{path}.{value}" in i18n.catalog(view.lang):
        return view.t(f"{path}.{value}")
    if path.startswith("responsible.") and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(map(view.body_name, value))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def changes_frame(view: View, changes: list[history.Change]) -> pd.DataFrame:
    """A field-by-field difference as a table: one row a field, named as the form names it."""
    t = view.t
    return pd.DataFrame(
        {
            t("import.col.before"): [_value_text(view, c.field, c.before) for c in changes],
            t("import.col.after"): [_value_text(view, c.field, c.after) for c in changes],
        },
        index=pd.Index([field_label(view, c.field) for c in changes], name=t("import.col.field")),
    )
