"""Reports in spreadsheets: the implementation report of a quarter (one row an action
and side), and the reports form a side's bodies fill in offline — one row an owed
report, its previous report's figures as the starting point — read back for the
import page's row-by-row check.

The form's first sheet is for people (headers and statuses in their language, grey
columns not to change); a hidden sheet names each column's field, so the file reads
back whatever language it was made in and however the person re-saved it.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import NamedTuple

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import i18n
from ..data import loader, periods, standing, workbooks
from ..data.evidence import Attachment, for_report
from ..data.model import LANGS, QUARTER_PATTERN, REGIONS, REPORT_STATUSES
from ..i18n import BILINGUAL
from ..reporting import duties, review
from ..reporting.implementation import Implementation
from . import evidence_annex, report_document, typed
from .spreadsheet import fit_rows, protect, unprotect, workbook_bytes

FORM_MARK = "coopplan reports form"
QUARTER = re.compile(QUARTER_PATTERN)
FIELDS_SHEET = "_fields"
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_GIVEN_FILL = PatternFill("solid", fgColor="EDEDED")  # what the person does not change
_HEADER_ROW = 3  # after the title and the instructions


def _head(sheet, row: int, labels: list[str], widths: list[int]) -> None:
    """A bold, shaded header row with the columns' widths, frozen, with filters under it."""
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = sheet.cell(row, column, label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = f"A{row + 1}"  # a string: asking for the cell would create an empty row
    fit_rows(sheet, row, row)


def _for_print(sheet) -> None:
    """Landscape A4, fit to the page's width, the header row repeated on every page."""
    sheet.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _wrap(sheet, first_row: int) -> None:
    """Wrap the text of the rows from ``first_row`` on, each row as high as its lines."""
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(sheet, first_row)


def implementation_xlsx(report: Implementation, memo, lang: str, records: list[Attachment]) -> bytes:
    """The implementation report as a workbook: a sheet a language (kk+ru: the Kazakh
    sheet, then the Russian one), a row an action under way and reporting side, then
    the sheets of its evidence (the Word report's annex) in the same languages, set up
    to print as the plan's export does (landscape A4, fit to width, header repeated)."""
    book = Workbook()
    book.remove(book.active)
    langs = ("kk", "ru") if lang == BILINGUAL else (lang,)
    for one in langs:
        _report_sheet(book.create_sheet(i18n.t(one, "rsheet.title")[:31]), report, memo, one, records)
    for one in langs:
        _evidence_sheet(book.create_sheet(i18n.t(one, "evidence.heading")[:31]), report, one, records)
    book.properties.title = i18n.t(lang if lang != BILINGUAL else "ru", "rsheet.title")
    book.properties.creator = " / ".join(p.body(lang if lang != BILINGUAL else "ru") for p in memo.parties)
    return workbook_bytes(book)


def _report_sheet(sheet, report: Implementation, memo, lang: str, records: list[Attachment]) -> None:
    quarter = periods.parse(report.quarter).title_label(lang)
    sheet.append([protect(i18n.t(lang, "rdoc.title", start=memo.period.start, end=memo.period.end, quarter=quarter))])
    sheet.append([i18n.t(lang, "rdoc.asof", date=i18n.date(report.asof, lang))])
    keys = [
        "rdoc.col.number", "rdoc.col.area", "rsheet.col.code", "rdoc.col.action", "rdoc.col.period",
        "reporting.col.side", "rdoc.col.bodies", "rdoc.col.status", "reporting.col.state", "reporting.col.date",
        "reporting.col.status", "reporting.col.progress", "reporting.form.done", "detail.evidence",
    ]  # fmt: skip
    _head(sheet, _HEADER_ROW, [i18n.t(lang, k) for k in keys], [6, 22, 9, 50, 20, 20, 40, 14, 18, 12, 16, 12, 60, 35])
    for area, rows in report.areas:
        for row in rows:
            status = i18n.t(lang, f"status.{row.status}")
            if row.overdue:
                status += f" {i18n.t(lang, 'rdoc.overdue_mark')}"
            for side, duty in row.duties.items():
                given, state = duty.report, duty.state
                sheet.append(
                    [
                        row.number,
                        protect(area.name(lang)),
                        row.action.id,
                        protect(row.action.title(lang)),
                        row.action.period_label(lang),
                        i18n.t(lang, f"lead.{side}"),
                        protect("\n".join(report.bodies.names(getattr(row.action.responsible, side), lang))),
                        status,
                        i18n.t(lang, f"reporting.state.{state}"),
                        given.date if given else None,
                        i18n.t(lang, f"status.{given.status}") if given else None,
                        given.progress / 100 if given else None,
                        protect(_given_text(given, lang)) if given else None,
                        protect(_evidence_text(given, records, lang)) if given else None,
                    ]
                )
    last = max(sheet.max_row, _HEADER_ROW)
    for row in sheet.iter_rows(min_row=_HEADER_ROW + 1):
        row[9].number_format = "DD.MM.YYYY"
        row[11].number_format = "0%"
    _wrap(sheet, _HEADER_ROW + 1)
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(keys))}{last}"
    sheet.append([])
    for side, found in report.completeness.items():  # in and accepted, and on time, apart
        sheet.append(
            [f"{report_document.completeness_line(lang, side, found)} {report_document.accepted_line(lang, found)}"]
        )
    _for_print(sheet)


def _evidence_text(report, records: list[Attachment], lang: str) -> str:
    """What a report cites: its lines of text, then the files attached to it."""
    return "\n".join([*report.evidence, evidence_annex.listed(for_report(records, report.key), lang)]).strip()


def _evidence_sheet(sheet, report: Implementation, lang: str, records: list[Attachment]) -> None:
    """The files attached to the quarter's reports and to its actions, a row each, as
    the Word report's annex lists them; the files stay in the dashboard."""
    quarter = periods.parse(report.quarter).title_label(lang)
    sheet.append([i18n.t(lang, "evidence.heading") + f": {quarter}"])
    sheet.append([i18n.t(lang, "rdoc.asof", date=i18n.date(report.asof, lang))])
    keys = ["rdoc.col.number", "rsheet.col.code", "rdoc.col.action", "evidence.col.side", "evidence.col.kind"]
    keys += ["evidence.col.number", "evidence.col.date", "evidence.col.title"]
    _head(sheet, _HEADER_ROW, [i18n.t(lang, k) for k in keys], [6, 9, 50, 20, 18, 12, 12, 50])
    found = evidence_annex.rows(report, records)
    for number, title, record in found:
        name = record.title(lang)
        if record.illustrative:
            name += f" ({i18n.t(lang, 'evidence.illustrative')})"
        sheet.append(
            [
                number,
                record.action,
                protect(title(lang)),
                i18n.t(lang, f"lead.{record.side}"),
                i18n.t(lang, f"evidence.kind.{record.kind}"),
                protect(record.number) if record.number else None,
                record.date,
                protect(name),
            ]
        )
    if not found:
        sheet.append([i18n.t(lang, "evidence.annex_none")])
    for row in sheet.iter_rows(min_row=_HEADER_ROW + 1, min_col=7, max_col=7):
        row[0].number_format = "DD.MM.YYYY"
    _wrap(sheet, _HEADER_ROW + 1)
    sheet.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(keys))}{max(sheet.max_row, _HEADER_ROW)}"
    _for_print(sheet)


def _given_text(report, lang: str) -> str:
    """A report's text in ``lang``, or in the language it was given in, marked so."""
    shown, used = i18n.text(report.done, lang)
    return f"{shown} {i18n.t(lang, f'rdoc.given_in.{used}')}" if used else shown


def _quarter(quarter: str, lang: str) -> str:
    return periods.parse(quarter).label(lang)


# ---- the reports form --------------------------------------------------------------------


def form_xlsx(dataset: loader.Dataset, owed: list[duties.Duty], side: str, quarter: str, lang: str) -> bytes:
    """The form of ``side``'s reports for ``quarter``: a row each report in ``owed``
    (that side's), filled in with its report if it came, else with the figures of the
    side's previous report; the person fills in what was done and the evidence."""
    mine = [d for d in owed if d.side == side and d.quarter == quarter]
    indicator_ids = list(dict.fromkeys(i.id for d in mine for i in d.action.indicators if i.id))
    fields = [
        ("action", 9, True), ("title", 45, True), ("period_label", 18, True), ("previous", 45, True),
        ("state", 16, True), ("status", 16, False), ("progress", 11, False),
        *((f"done_{one}", 45, False) for one in LANGS), ("evidence", 35, False), ("attached", 35, True), ("date", 13, False),
        *((f"indicator:{i}", 16, False) for i in indicator_ids),
    ]  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = i18n.t(lang, "rsheet.form")[:31]
    title = i18n.t(lang, "rsheet.form_title", side=i18n.t(lang, f"lead.{side}"), quarter=_quarter(quarter, lang))
    sheet.append([protect(title)])
    sheet.append([protect(i18n.t(lang, "rsheet.instructions"))])
    labels = [_form_label(dataset, key, lang, mine) for key, _, _ in fields]
    _head(sheet, _HEADER_ROW, labels, [width for _, width, _ in fields])
    statuses = [i18n.t(lang, f"status.{s}") for s in REPORT_STATUSES]
    for duty in mine:
        sheet.append([_form_value(dataset, duty, key, lang) for key, _, _ in fields])
    for row in sheet.iter_rows(min_row=_HEADER_ROW + 1):
        for cell, (key, _, given) in zip(row, fields, strict=True):
            if given:
                cell.fill = _GIVEN_FILL
            if key == "date":
                cell.number_format = "DD.MM.YYYY"
    _wrap(sheet, _HEADER_ROW + 1)
    status_column = get_column_letter(1 + [key for key, _, _ in fields].index("status"))
    choice = DataValidation(type="list", formula1='"' + ",".join(statuses) + '"', allow_blank=False)
    choice.add(f"{status_column}{_HEADER_ROW + 1}:{status_column}{_HEADER_ROW + max(len(mine), 1)}")
    sheet.add_data_validation(choice)
    keys = book.create_sheet(FIELDS_SHEET)
    keys.append([FORM_MARK, side, quarter])
    keys.append([key for key, _, _ in fields])
    keys.sheet_state = "hidden"
    return workbook_bytes(book)


def _form_label(dataset: loader.Dataset, key: str, lang: str, owed: list[duties.Duty]) -> str:
    if key.startswith("indicator:"):
        indicator_id = key.partition(":")[2]
        indicator = next(i for d in owed for i in d.action.indicators if i.id == indicator_id)
        unit = f" ({indicator.unit(lang)})" if indicator.unit else ""
        return f"{indicator.name(lang)}{unit}"
    if key.startswith("done_"):
        return f"{i18n.t(lang, 'reporting.form.done')} ({i18n.t(lang, f'rsheet.in_lang.{key[-2:]}')})"
    labels = {
        "action": "rsheet.col.code", "title": "col.title", "period_label": "col.period", "previous": "reporting.col.previous",
        "status": "reporting.form.status", "progress": "reporting.form.progress", "evidence": "reporting.form.evidence",
        "date": "reporting.form.date", "attached": "evidence.form_column", "state": "review.col.state",
    }  # fmt: skip
    return i18n.t(lang, labels[key])


def _form_value(dataset: loader.Dataset, duty: duties.Duty, key: str, lang: str):
    previous = standing.previous(dataset.reports_of(duty.action.id), duty.side, duty.quarter)
    start = duty.report or previous  # the figures the person starts from
    if key == "action":
        return duty.action.id
    if key == "title":
        return protect(duty.action.title(lang))
    if key == "period_label":
        return duty.action.period_label(lang)
    if key == "previous":
        return protect(f"{_quarter(previous.period, lang)}: {previous.done(lang)}") if previous else None
    if key == "state":  # where the side's report stands in its review (a draft or a returned one too)
        key_of = f"{duty.quarter}/{duty.action.id}-{duty.side}"
        own = next((r for r in dataset.reports_of(duty.action.id) if r.key == key_of), None)
        return i18n.t(lang, f"review.state.{review.state_of(own) or 'missing'}")
    if key == "status":
        status = start.status if start else ("in_progress" if duty.action.status == "in_progress" else "planned")
        return i18n.t(lang, f"status.{status}")
    if key == "progress":
        return start.progress if start else duty.action.shown_progress
    if key.startswith("done_"):
        return protect(getattr(duty.report.done, key[-2:]) or "") if duty.report else None
    if key == "evidence":
        return protect("\n".join(duty.report.evidence)) if duty.report else None
    if key == "date":
        return duty.report.date if duty.report else None
    if key == "attached":  # read only: files are attached on the page, not through the form
        key = f"{duty.quarter}/{duty.action.id}-{duty.side}"
        return protect(evidence_annex.listed([r for r in dataset.evidence if r.of == key], lang)) or None
    indicator_id = key.partition(":")[2]
    if duty.action.indicator(indicator_id) is None:
        return None
    return start.indicators.get(indicator_id) if start else duty.action.indicator(indicator_id).actual


class NotAForm(ValueError):
    """A workbook that is not a reports form."""


class FormChanged(ValueError):
    """A reports form whose hidden sheet no longer says which side and quarter it is for."""


class Form(NamedTuple):
    """A filled reports form as read: its side and quarter, its rows (row number,
    {field: value}) and each field's column as the form heads it."""

    side: str
    quarter: str
    rows: list[tuple[int, dict]]
    headings: dict[str, str]


def read_form(data: bytes, budget: workbooks.Budget | None = None) -> Form:
    """A filled reports form; NotAForm when the workbook is not one. Checked and read
    within the bounds of ``workbooks``. A number in a cell formatted as a percentage
    is read as ``typed.InPercent`` (Excel keeps «45%» as 0.45)."""
    budget = budget or workbooks.Budget()
    workbooks.check_workbook(data, budget)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if FIELDS_SHEET not in book.sheetnames:
            raise NotAForm("not a reports form")
        marks = [values for _, values in itertools.islice(workbooks.sheet_rows(book[FIELDS_SHEET], budget), 2)]
        if len(marks) < 2 or not marks[0] or marks[0][0] != FORM_MARK:
            raise NotAForm("not a reports form")
        side, quarter = (str(v) for v in (*marks[0], None, None)[1:3])  # a row ends at its last cell
        if side not in REGIONS or not QUARTER.fullmatch(quarter):  # the hidden sheet edited by hand
            raise FormChanged(f"the form's hidden sheet names side {side!r} and quarter {quarter!r}")
        keys = [str(k) if k is not None else "" for k in marks[1]]
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        cells = sheet.iter_rows(min_row=_HEADER_ROW, max_row=workbooks.MAX_SHEET_ROWS + 1)
        rows, headings = [], {}
        for number, found in workbooks.bounded(enumerate(cells, start=_HEADER_ROW), budget):
            values = [_typed(cell) for cell in found]
            if number == _HEADER_ROW:
                headings = {k: str(v) for k, v in zip(keys, values, strict=False) if k and v not in (None, "")}
                continue
            row = {k: v for k, v in zip(keys, values, strict=False) if k}
            if any(v not in (None, "") for v in row.values()):
                rows.append((number, row))
        return Form(side, quarter, rows, headings)
    finally:
        book.close()


def _typed(cell) -> object:
    value = getattr(cell, "value", None)
    if isinstance(value, str):
        return unprotect(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return typed.InPercent(value)
    return value
