"""Every document the project writes for people, in Kazakh or Russian, is in that
language: the plan document and the implementation report (kk, ru, kk+ru), the plan
workbook, the implementation workbook, each side's reports form, the calendar and the
``changes`` command's output. An English word in one is a label the code forgot to
translate.

What may stay in Latin letters, and why (kept small on purpose):
- Roman numerals: quarters («III квартал») and the forum's number (XXI) are written so
  in both languages.
- Action codes (``po-011``): the plan's own numbering, cited as they are.
- ``NAMES``: the product «Excel» (the page «Импорт из Excel»), and «id» in the head of
  the action code column («Номер (id)»), which names the field the import reads back.
- Columns that are English or codes by design, each named in ``CODE_COLUMNS``: the
  English texts a workbook carries so that it can be edited and brought back, and the
  machine fields beside them.
- The calendar's property names and fixed values (``SUMMARY``, ``STATUS:CONFIRMED``,
  ``PRODID``), which RFC 5545 defines; only what a calendar shows to people is read.

The plan's CSV is left out: it is the machine-readable exchange format, with the same
code headers and values in every language (README, «Exporting»).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys

import pytest
from docx import Document
from openpyxl import load_workbook

from coopplan.data import loader
from coopplan.exchange import exports, spreadsheet
from coopplan.views.filters import Filters
from tests.helpers import DATA, ROOT

DATASET = loader.load(DATA)
ASOF = dt.date(2026, 12, 7)
QUARTER = "2026-Q3"

WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
ROMAN = re.compile(r"^[IVXLC]+$")
ACTION_CODE = re.compile(r"\b[a-z]+-\d+\b")
NAMES = {"Excel", "id"}
CODE_COLUMNS = {
    # the plan workbook: the texts in the other languages (English among them) and the
    # fields the import reads back as they are
    "plan": {
        *(f"{name}_en" for name in spreadsheet.TEXT_FIELDS),
        "indicators",  # JSON, its keys the import's
        "tags",  # the data's own tags
        "budget_currency",  # ISO 4217: KZT, RUB
        "updated",  # an ISO timestamp
        "updated_by",  # an account's name
    },
    # a reports form asks for what was done in each language, English too
    "form": {"done_en"},
}
ICS_SHOWN = ("SUMMARY", "DESCRIPTION", "LOCATION", "CATEGORIES", "X-WR-CALNAME", "X-WR-CALDESC")


def english_words(lines: list[str]) -> list[str]:
    """The words in Latin letters, but Roman numerals and action codes."""
    found = []
    for line in lines:
        for word in WORD.findall(ACTION_CODE.sub(" ", line)):
            if not ROMAN.match(word) and word not in NAMES:
                found.append(word)
    return found


def docx_lines(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    parts = [document.part, *(s.part for s in document.sections for s in (s.header, s.footer, s.first_page_header))]
    lines = [document.core_properties.title or "", document.core_properties.subject or ""]
    for part in parts:
        for paragraph in part.element.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            lines.append("".join(t.text or "" for t in paragraph.iter() if t.tag.endswith("}t")))
    return lines


def xlsx_lines(data: bytes, code_columns: set[str], codes: list[str] | None = None) -> list[str]:
    """The text of every visible sheet, but the columns named in ``code_columns``:
    ``codes`` gives each column's field code on the first sheet, else its hidden
    sheet's second row does (the reports form's)."""
    book = load_workbook(io.BytesIO(data))
    hidden = [s for s in book.worksheets if s.sheet_state != "visible"]
    if codes is None and hidden:
        codes = [str(v) for v in next(hidden[0].iter_rows(min_row=2, max_row=2, values_only=True))]
    lines = []
    for index, sheet in enumerate(s for s in book.worksheets if s.sheet_state == "visible"):
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            for column, value in enumerate(row):
                skip = index == 0 and codes and column < len(codes) and codes[column] in code_columns
                if isinstance(value, str) and not skip:
                    lines.append(value)
        for rule in sheet.data_validations.dataValidation:
            lines += [rule.formula1 or "", rule.prompt or "", rule.error or "", rule.promptTitle or ""]
    return lines


def ics_lines(data: bytes) -> list[str]:
    unfolded = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8"))
    lines = []
    for line in unfolded.splitlines():
        name, _, value = line.partition(":")
        if name.split(";")[0] in ICS_SHOWN:
            lines.append(value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";"))
    return lines


def changes_lines(lang: str) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-m", "coopplan", "changes", "--lang", lang, "--data", str(DATA)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return (run.stdout + run.stderr).splitlines()


def plan_workbook(lang: str) -> list[str]:
    data = exports.export(DATASET, DATASET.actions, "xlsx", lang)
    return xlsx_lines(data, CODE_COLUMNS["plan"], spreadsheet.sheet_columns(lang))


def report(fmt: str, lang: str) -> bytes:
    return exports.implementation(DATASET, DATASET.actions, QUARTER, Filters(), ASOF, fmt, lang)


def form(side: str, lang: str) -> list[str]:
    data = exports.reports_form(DATASET, DATASET.actions, side, QUARTER, ASOF, lang)
    return xlsx_lines(data, CODE_COLUMNS["form"])


DOCUMENTS = {
    "the plan document": lambda lang: docx_lines(exports.export(DATASET, DATASET.actions, "docx", lang)),
    "the implementation report": lambda lang: docx_lines(report("docx", lang)),
    "the plan workbook": plan_workbook,
    "the implementation workbook": lambda lang: xlsx_lines(report("xlsx", lang), set()),
    "the reports form of Pavlodar Region": lambda lang: form("pavlodar", lang),
    "the reports form of Omsk Region": lambda lang: form("omsk", lang),
    "the calendar": lambda lang: ics_lines(exports.export(DATASET, DATASET.actions, "ics", lang)),
    "the changes since approval": changes_lines,
}
BILINGUAL = ("the plan document", "the implementation report")
CASES = [(name, lang) for name in DOCUMENTS for lang in ("kk", "ru")] + [(name, "kk+ru") for name in BILINGUAL]


@pytest.mark.parametrize("name, lang", CASES, ids=[f"{name} in {lang}" for name, lang in CASES])
def test_a_kazakh_or_russian_document_has_no_english_word(name, lang):
    lines = DOCUMENTS[name](lang)
    assert sum(len(line) for line in lines) > 200, "the document was read: it has its text"
    found = set(english_words(lines))
    assert not found, f"{name} in {lang}: {sorted(found)}"


@pytest.mark.parametrize(
    "line, words",
    [
        ("III квартал 2026 г.; XXI Форум", []),
        ("po-011: изменено наименование", []),
        ("Заполните это поле — required field 'done' is missing", ["required", "field", "done", "is", "missing"]),
        ("Бет 1 · Page 1", ["Page"]),
    ],
)
def test_the_check_finds_english_and_lets_numerals_and_codes_be(line, words):
    assert english_words([line]) == words
