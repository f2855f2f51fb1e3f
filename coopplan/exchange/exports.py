"""One entry for every export format, shared by the plan page and the command line.

Each format's library (openpyxl, python-docx, icalendar) is imported when a file of
that format is made, so that commands and pages that make none do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..data.loader import Dataset
from ..data.model import Action
from ..editing import auth
from ..i18n import BILINGUAL
from ..views.filters import PARAMS, Filters


@dataclass(frozen=True)
class Format:
    extension: str
    mime: str


FORMATS = {
    "docx": Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": Format("csv", "text/csv"),
    "ics": Format("ics", "text/calendar"),
}


class ExportError(ValueError):
    """An export that cannot be made, with the reason for the user."""


def for_reader(actions: list[Action], user: auth.User | None) -> list[Action]:
    """The actions as ``user`` gets them in a file: without who changed them for someone
    not signed in (``auth.sees_names``)."""
    return actions if auth.sees_names(user) else [a.model_copy(update={"updated_by": None}) for a in actions]


def export(dataset: Dataset, actions: list[Action], fmt: str, lang: str, chosen: Filters | None = None) -> bytes:
    """The bytes of ``actions`` (in plan order) as ``fmt``, ``chosen`` by those filters
    (stated at the top of the document and the workbook); the document also takes ``kk+ru``."""
    chosen = chosen or Filters()
    if fmt == "csv":
        from . import spreadsheet

        return spreadsheet.to_csv(actions, _single(lang), dataset.bodies)
    if fmt == "xlsx":
        from . import spreadsheet

        return spreadsheet.to_xlsx(actions, dataset, _single(lang), chosen)
    if fmt == "ics":
        from . import calendar_ics

        return calendar_ics.build(actions, dataset.memorandum, _single(lang), bodies=dataset.bodies)
    if fmt == "docx":
        if dataset.memorandum is None:
            raise ExportError("the plan document needs a valid memorandum.yaml; fix it first")
        from . import plan_document

        return plan_document.build(
            actions,
            dataset.memorandum,
            dataset.plan,
            lang,
            total=len(dataset.actions),
            bodies=dataset.bodies,
            chosen=chosen,
        )
    raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _single(lang: str) -> str:
    return "ru" if lang == BILINGUAL else lang


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
MAX_SCOPE = 60  # characters of the file name that name the filters


def file_name(fmt: str, lang: str, chosen: Filters | None = None, day: dt.date | None = None) -> str:
    """A name that says what the file holds: the plan, the filters that chose it, the
    day it was made, its language: ``pavlodar-omsk-plan_tourism-sport_2027_2026-11-25_ru.xlsx``.
    ASCII only, so it survives every mail system and file system."""
    parts = []
    for param, name in PARAMS.items():
        value = getattr(chosen or Filters(), name)
        if param == "asof" and value is not None:
            parts.append(f"asof-{value.isoformat()}")
        elif param == "q" and value:
            parts.append("search")
        elif isinstance(value, tuple) and value:
            parts.append("-".join(_UNSAFE.sub("", str(v)) or param for v in value))
    scope = "_".join(p for p in parts if p) or "all"
    if len(scope) > MAX_SCOPE:
        scope = "filtered"
    made = (day or dt.date.today()).isoformat()
    return f"pavlodar-omsk-plan_{scope}_{made}_{lang.replace('+', '-')}.{FORMATS[fmt].extension}"


def implementation(
    dataset: Dataset, actions: list[Action], quarter: str, filters: Filters, asof, fmt: str, lang: str
) -> bytes:
    """The implementation report of ``quarter`` on ``actions`` (as ``filters`` chose
    them, its annex against the approved version they name) as of ``asof``, as a Word
    document (``lang`` may be ``kk+ru``) or a spreadsheet."""
    from ..reporting.implementation import compile_report

    if dataset.memorandum is None:
        raise ExportError("the implementation report needs a valid memorandum.yaml; fix it first")
    baseline = dataset.baseline(filters.baseline)
    report = compile_report(dataset, actions, quarter, asof, baseline, filters.areas, filters.leads)
    if fmt == "docx":
        from . import report_document

        return report_document.build(report, dataset.memorandum, dataset.plan, lang, dataset.evidence)
    if fmt == "xlsx":
        from . import report_sheets

        return report_sheets.implementation_xlsx(report, dataset.memorandum, lang, dataset.evidence)
    raise ExportError(f"the implementation report is made as docx or xlsx, not {fmt!r}")


def reports_form(dataset: Dataset, actions: list[Action], side: str, quarter: str, asof, lang: str) -> bytes:
    """The form of ``side``'s reports owed for ``quarter`` on ``actions``, for its bodies to fill in."""
    from ..reporting import duties
    from . import report_sheets

    owed = duties.duties(actions, dataset.reports, quarter, asof)
    return report_sheets.form_xlsx(dataset, owed, side, quarter, _single(lang))


def report_file_name(kind: str, quarter: str, fmt: str, lang: str, side: str | None = None) -> str:
    """``pavlodar-omsk-report-2026-Q3-ru.docx``, ``…-reports-form-omsk-2026-Q3-ru.xlsx``."""
    who = f"-{side}" if side else ""
    return f"pavlodar-omsk-{kind}{who}-{quarter}-{lang.replace('+', '-')}.{FORMATS[fmt].extension}"
