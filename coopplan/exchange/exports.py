"""One entry for every export format, shared by the plan page and the command line.

Each format's library (openpyxl, python-docx, icalendar) is imported when a file of
that format is made, so that commands and pages that make none do not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.loader import Dataset
from ..data.model import Action

BILINGUAL = "kk+ru"  # the plan document's Kazakh and Russian side by side
DOCUMENT_LANGUAGES = ("kk", "ru", "en", BILINGUAL)


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


def export(dataset: Dataset, actions: list[Action], fmt: str, lang: str) -> bytes:
    """The bytes of ``actions`` (in plan order) as ``fmt``; the document also takes ``kk+ru``."""
    if fmt == "csv":
        from . import spreadsheet

        return spreadsheet.to_csv(actions)
    if fmt == "xlsx":
        from . import spreadsheet

        return spreadsheet.to_xlsx(actions, dataset.memorandum, _single(lang))
    if fmt == "ics":
        from . import calendar_ics

        return calendar_ics.build(actions, dataset.memorandum, _single(lang))
    if fmt == "docx":
        if dataset.memorandum is None:
            raise ExportError("the plan document needs a valid memorandum.yaml; fix it first")
        from . import plan_document

        return plan_document.build(actions, dataset.memorandum, dataset.plan, lang, total=len(dataset.actions))
    raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _single(lang: str) -> str:
    return "ru" if lang == BILINGUAL else lang


def file_name(fmt: str, lang: str) -> str:
    return f"pavlodar-omsk-plan-{lang.replace('+', '-')}.{FORMATS[fmt].extension}"
