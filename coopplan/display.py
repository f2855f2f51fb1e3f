"""What pages show, made without Streamlit: the view a page draws from, its
tables, texts in the view's language, and user text made inert for markdown.

``ui`` draws these with Streamlit; keeping them here lets them be tested and
reused without a running app.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import charts, filters, history, i18n, loader, model, spreadsheet, validate

# Streamlit's markdown colours for statuses, matching charts.STATUS_COLORS.
STATUS_MD_COLORS = {"planned": "blue", "in_progress": "orange", "done": "green", "postponed": "violet", "cancelled": "gray"}


@dataclass(frozen=True)
class View:
    """What a page draws from: language, data, and the filters of the URL."""

    lang: str
    dataset: loader.Dataset
    frame: pd.DataFrame
    filters: filters.Filters

    def t(self, key: str, count: float | None = None, **fields) -> str:
        return i18n.t(self.lang, key, count=count, **fields)

    @property
    def asof(self) -> dt.date:
        return self.filters.asof or dt.date.today()

    @property
    def years(self) -> list[int]:
        return self.dataset.period.years

    @property
    def memorandum(self) -> model.Memorandum | None:
        return self.dataset.memorandum

    @cached_property
    def area_names(self) -> dict[str, str]:
        return charts.area_names(self.memorandum, self.lang)

    @cached_property
    def filtered(self) -> pd.DataFrame:
        """The actions matching the view's filters: every table, count and chart uses this."""
        return filters.apply(self.frame, self.filters)

    def query(self, **changes) -> dict[str, str]:
        """URL parameters of this view, with some filters changed."""
        return filters.to_query(replace(self.filters, **changes), self.lang)


# ---- text ----------------------------------------------------------------------

# ``&`` would start a character reference (``&lt;`` shows as «<»), a line of ``=``
# would turn the line above it into a heading.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:&=])")


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: no links, emphasis, HTML, LaTeX,
    character references or headings."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def ignored_values(invalid: list[filters.Invalid], most: int = 10, width: int = 40) -> str:
    """The link values a notice says were ignored, inert and short: a crafted
    link can carry thousands of values, huge ones, or control characters."""
    shown, invalid = [], list(dict.fromkeys(invalid))  # a value repeated is named once
    for item in invalid[:most]:
        value = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in item.value)
        value = value if len(value) <= width else value[: width - 1] + "…"
        shown.append(f"{escape_md(item.param)}={escape_md(value)}")  # the "=" is ours, not the link's
    if len(invalid) > most:
        shown.append(f"… (+{len(invalid) - most})")
    return ", ".join(shown)


def highlight(text: str, phrases: list[str]) -> str:
    """Markdown of ``text`` (escaped) with each phrase on a coloured background."""
    shown = escape_md(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        shown = shown.replace(escape_md(phrase), f":orange-background[**{escape_md(phrase)}**]")
    return shown.replace("\n", "\n\n")


def data_text(view: View, value: model.Text | None) -> str:
    """Data text in the view's language, marked when another language stands in for it."""
    shown, used = i18n.text(value, view.lang)
    if used:
        return f"{shown} ({view.t('fallback', language=view.t(f'lang.{used}'))})"
    return shown


def problem_line(view: View, problem: validate.Problem) -> str:
    """``file:line:`` then how to fix it in the view's language and the exact rule;
    the file named from the data folder on (``data/actions/…``), as editors know it."""
    folder = Path(loader.shown_path(view.dataset.data_dir))
    file = Path(problem.file)
    if file.is_relative_to(folder):
        file = folder.name / file.relative_to(folder)
    return str(replace(problem, file=str(file), message=i18n.problem(view.lang, problem.kind, problem.message)))


# ---- tables ----------------------------------------------------------------------


def title_column(view: View, frame: pd.DataFrame) -> pd.Series:
    """Titles with the fallback language marked in front, e.g. «[RU] …»."""
    marks = frame[f"title_{view.lang}_from"].map(lambda used: f"[{used.upper()}] " if used else "")
    return marks + frame[f"title_{view.lang}"]


def status_label(view: View, status: str) -> str:
    return f"● {view.t(f'status.{status}')}"


def status_markdown(view: View, status: str) -> str:
    return f":{STATUS_MD_COLORS[status]}[{status_label(view, status)}]"


def colour_statuses(view: View, table: pd.DataFrame, column: str):
    """A Styler painting each status in its chart colour."""
    colours = {status_label(view, s): c for s, c in charts.STATUS_COLORS.items()}
    return table.style.map(lambda v: f"color: {colours.get(v, 'inherit')}; font-weight: 600", subset=[column])


def action_table(view: View, frame: pd.DataFrame):
    """The readable table of actions: period as a plan writes it, names instead of
    ids, statuses in their colours."""
    t = view.t
    table = pd.DataFrame(
        {
            t("col.id"): frame["id"],
            t("col.title"): title_column(view, frame),
            t("col.period"): frame[f"period_{view.lang}"],
            t("col.status"): frame["status"].map(lambda v: status_label(view, v)),
            t("col.progress"): frame["progress"].astype("float").fillna(0).where(frame["status"] != "done", 100),
            t("col.area"): frame["area"].map(view.area_names),
            t("col.lead"): frame["lead"].map(lambda v: t(f"lead.{v}")),
            t("col.bodies_pavlodar"): frame["bodies_pavlodar"].map("; ".join),
            t("col.bodies_omsk"): frame["bodies_omsk"].map("; ".join),
        }
    ).reset_index(drop=True)
    return colour_statuses(view, table, t("col.status"))


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
}


def field_label(view: View, path: str) -> str:
    """A changed field as the form names it: «Наименование · KK» for ``title.kk``."""
    if path in _FIELD_LABELS:
        return view.t(_FIELD_LABELS[path])
    name, _, lang = path.partition(".")
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
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return spreadsheet.cell_text(value)


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
