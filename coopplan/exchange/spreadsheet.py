"""The plan as a table (CSV and Excel) and back, without losing or corrupting anything.

The Excel workbook is for people: its first sheet in the chosen language (the filters
that chose its actions stated above the table, readable headers, names instead of
codes, periods as plans write them, formatted to print), then a summary. The CSV is
for tools: one column per field under its code (``title_ru``), codes as values, bodies
by their names in the chosen language. Reading either back maps headers and values
in any of the three languages (or the codes) to the codes again, so importing an
export changes nothing; an edited sheet is read as people edited it.

Text cells that a spreadsheet would run as a formula are neutralised the way OWASP
recommends (a leading apostrophe); values that really start with an apostrophe get
one more, so reading a cell back reverses it exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, partial

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import i18n
from ..data import model, periods, workbooks, yamlio
from ..data.bodies import EMPTY, Registry
from ..data.fields import COLUMN_WORDS, COLUMNS, FIELDS, TEXT_FIELDS, in_model_order, too_deep
from ..data.loader import Dataset
from ..data.model import LANGS, LEADS, STATUSES, Action, Memorandum
from ..views import summaries
from ..views.filters import Filters
from ..views.frame import actions_frame
from ..views.texts import describe_filters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROW = "#row"  # the key under which a read row keeps its number, as the spreadsheet numbers it
HEADER_ROWS_SEARCHED = 20  # the table's header is looked for in the first rows of a sheet


def protect(text: str) -> str:
    """Neutralise a cell that Excel or LibreOffice would treat as a formula."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def workbook_bytes(book) -> bytes:
    """THE ONE WRITER of every workbook the project makes: each text cell that a
    spreadsheet would run (a formula, or text starting like one) is written
    ``protect``-ed, whatever wrote it (a header made of an indicator's name included),
    then the workbook is saved. Cells protected already start with an apostrophe and are
    left as they are, so reading back (``unprotect``) gives what was written."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.value = protect(cell.value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unprotect(text: str) -> str:
    """The exact inverse of ``protect``."""
    return text[1:] if text.startswith("'") else text


def action_row(action: Action, lang: str = "ru", bodies: Registry = EMPTY) -> dict:
    """The action's cells under their codes: numbers and dates typed, text protected,
    bodies by their names in ``lang``."""
    row = {key: value for declared in FIELDS for key, value in declared.to_cells(action, lang, bodies).items()}
    return {key: protect(value) if isinstance(value, str) else value for key, value in row.items()}


# ---- the people's words, both ways -------------------------------------------------------------


def _key(text: str) -> str:
    """A cell's text as the readers compare it: letter case and runs of spaces aside."""
    return " ".join(text.split()).casefold()


def header_label(code: str, lang: str, short: bool = False) -> str:
    """A column's header in the people's sheet: «Наименование (на русском языке)»,
    «Ведущая сторона»; ``short``: a text's language as its code («Наименование · RU»),
    as sheets written before were headed."""
    name, _, text_lang = code.rpartition("_")
    if name in TEXT_FIELDS and text_lang in LANGS:
        field_name = i18n.t(lang, f"edit.field.{name}")
        return f"{field_name} · {text_lang.upper()}" if short else f"{field_name} ({i18n.t(lang, f'lang.{text_lang}')})"
    return i18n.t(lang, f"xlsx.col.{code}")


@cache
def _headers() -> dict[str, str]:
    """Every header a sheet may carry (in any language, either form, or the code) -> the column's code."""
    found = {_key(code): code for code in COLUMNS}
    for lang in LANGS:
        for short in (True, False):
            found |= {_key(header_label(code, lang, short)): code for code in COLUMNS}
    return found


@cache
def _words(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    """Names of leads or statuses in any language (or their codes) -> codes."""
    return {
        _key(text): code for code in codes for text in (code, *(i18n.t(lang, f"{prefix}.{code}") for lang in LANGS))
    }


@dataclass(frozen=True)
class Vocabulary:
    """What a people's sheet writes in place of codes, read back: area names of the
    memorandum, lead and status names, periods as plans write them, bodies by name
    (in any of the three languages, or the codes themselves)."""

    areas: dict[str, str] = field(default_factory=lambda: {a: a for a in model.AREA_IDS})
    bodies: Registry = EMPTY

    @classmethod
    def of(cls, memo: Memorandum | None, bodies: Registry = EMPTY) -> Vocabulary:
        areas = {_key(a): a for a in model.AREA_IDS}
        for lang in LANGS:
            areas |= {_key(name): area for area, name in model.area_names(memo, lang).items()}
        return cls(areas, bodies)

    def code(self, column: str, value):
        """The code a cell of ``column`` stands for; the value itself when it names none
        (the validator then says what is wrong with it)."""
        if not isinstance(value, str):
            return value
        words = COLUMN_WORDS.get(column)
        if words == "area":
            return self.areas.get(_key(value), value)
        if words in ("lead", "status"):
            return _words(words, _CODES[words]).get(_key(value), value)
        if words == "period":
            return periods.from_label(value, LANGS) or value
        return value


_CODES = {"lead": LEADS, "status": STATUSES}


def _in_words(kind: str, code: str, lang: str, area_names: dict[str, str]) -> str:
    """A code as a people's sheet writes it in ``lang``: the inverse of ``Vocabulary.code``."""
    if kind == "area":
        return area_names[code]
    if kind == "period":
        return periods.parse(code).label(lang)
    return i18n.t(lang, f"{kind}.{code}")


def row_record(row: dict, vocabulary: Vocabulary | None = None) -> dict:
    """A record for ``model.Action`` from a row's cells (empty cells left out): names
    read back as codes, bodies as registry ids where they are in the registry."""
    vocabulary = vocabulary or Vocabulary()
    cells = {}
    for key, value in row.items():
        if key == ROW or value is None or (isinstance(value, str) and value == ""):
            continue
        cells[key] = vocabulary.code(key, unprotect(value) if isinstance(value, str) else value)
    record = {key: value for declared in FIELDS for key, value in declared.from_cells(cells, vocabulary.bodies).items()}
    return in_model_order(record)


def nesting_problem(row: dict) -> str | None:
    """What is wrong with a row's nested cell, when it nests deeper than a data file may."""
    text = row.get("indicators")
    if too_deep(text):
        return f"indicators: the cell is nested more than {yamlio.MAX_DEPTH} levels deep"
    return None


def _rows(table: Iterable[tuple[int, Iterable]]) -> list[dict] | None:
    """The rows under the first header row (one naming an «id» column) found among the
    first rows of ``table`` ((row number, cells) in order), keyed by column code, each
    with its number; [] for a table with no lines, None when no header is found."""
    headers = _headers()
    columns: list[str | None] | None = None
    found: list[dict] = []
    seen = False
    for number, values in table:
        values = list(values or ())
        seen = True
        if columns is None:
            named = [headers.get(_key(str(v))) if v is not None else None for v in values]
            if "id" in named:
                columns = named
            elif number >= HEADER_ROWS_SEARCHED:
                return None
            continue
        if all(v is None or v == "" for v in values):
            continue
        row = {c: v for c, v in zip(columns, values, strict=False) if c}  # rows may be ragged
        found.append({**row, ROW: number})
    return found if columns is not None or not seen else None


# ---- CSV ---------------------------------------------------------------------------


def to_csv(actions: Iterable[Action], lang: str = "ru", bodies: Registry = EMPTY) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Cyrillic right."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for action in actions:
        row = action_row(action, lang, bodies)
        writer.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def read_csv(data: bytes, budget: workbooks.Budget | None = None) -> list[dict] | None:
    """The rows of a CSV in the export's layout (or with the people's headers); None
    when no header names an «id» column. Read within the bounds of ``workbooks``."""
    text = data.decode("utf-8-sig")
    lines = enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    return _rows(workbooks.bounded(lines, budget or workbooks.Budget()))


# ---- Excel ---------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_WIDTHS = {
    "id": 9,
    "area": 17,
    "lead": 15,
    "status": 14,
    "progress": 13,
    "start": 17,
    "end": 17,
    "start_date": 12,
    "end_date": 12,
    "bodies_pavlodar": 36,
    "bodies_omsk": 36,
    "budget_amount": 14,
    "budget_currency": 10,
    "budget_source": 24,
    "indicators": 40,
    "tags": 16,
    "updated": 22,
    "updated_by": 16,
}
_TEXT_WIDTHS = {"title": 42, "description": 60, "outcome": 26, "location": 22}
PRINTED = 11  # columns printed, id to the form of completion: what a reader of the plan needs on paper
HEADER_ROW = 6  # title, filters, count, draft note, a blank line, then the table


def sheet_columns(lang: str) -> list[str]:
    """The people's sheet's columns: what a reader needs first (title, area, lead,
    status, period, bodies, texts in their language; the ``PRINTED`` ones up to the
    form of completion), then the rest in the CSV's order, then the texts in the other
    languages and the save stamps."""
    first = ["id", f"title_{lang}", "area", "lead", "status", "progress", "start", "end", "bodies_pavlodar"]
    first += ["bodies_omsk", f"outcome_{lang}", f"description_{lang}", f"location_{lang}"]
    others = [f"{name}_{other}" for other in LANGS if other != lang for name in TEXT_FIELDS]
    stamps = ["updated", "updated_by"]
    return [*first, *(c for c in COLUMNS if c not in {*first, *others, *stamps}), *others, *stamps]


def _people_row(action: Action, lang: str, area_names: dict[str, str], bodies: Registry) -> dict:
    """The action's cells as people read them in ``lang``: names instead of codes."""
    row = action_row(action, lang, bodies)
    for column, kind in COLUMN_WORDS.items():
        row[column] = protect(_in_words(kind, unprotect(row[column]), lang, area_names))
    return row


def to_xlsx(
    actions: list[Action],
    dataset: Dataset | None,
    lang: str,
    chosen: Filters | None = None,
    template: bool = False,
) -> bytes:
    """The workbook people hand out: the plan's sheet in ``lang`` (what chose the
    actions stated above the table; frozen header, filters, wrapped text, set up to
    print landscape on A4), and a summary of actions by area, year and status."""
    memo = dataset.memorandum if dataset is not None else None
    bodies = dataset.bodies if dataset is not None else EMPTY
    t = partial(i18n.t, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = t("xlsx.sheet.plan")
    plan = dataset.plan if dataset is not None else None
    sheet.append([protect(plan.title(lang)) if plan is not None else t("app.title")])
    if template:
        sheet.append([t("xlsx.template")])
        sheet.append([])
    else:
        total = len(dataset.actions) if dataset is not None else len(actions)
        sheet.append([protect(describe_filters(lang, chosen or Filters(), memo, bodies))])
        shown = t("count.actions", count=len(actions))
        made = i18n.date(dt.date.today(), lang)
        sheet.append([t("xlsx.count", shown=shown, total=i18n.number(total, lang), date=made)])
    note = plan.note(lang) if plan is not None and plan.illustrative and plan.note is not None else ""
    sheet.append([protect(f"{t('draft.note')}: {note}") if note else None])
    sheet.append([])
    columns = sheet_columns(lang)
    sheet.append([header_label(code, lang) for code in columns])
    names = model.area_names(memo, lang)
    for action in actions:
        row = _people_row(action, lang, names, bodies)
        sheet.append([row[c] for c in columns])  # texts hold no control characters: model.NonEmpty
    _format_plan_sheet(sheet, columns)
    _summary(book.create_sheet(t("xlsx.sheet.summary")), actions, memo, lang)
    return workbook_bytes(book)


LINE_POINTS = 15  # one line of 11-point text


def fit_rows(sheet, first: int, last: int | None = None) -> None:
    """Give rows ``first``…``last`` the height their wrapped text needs: spreadsheets do
    not fit rows to wrapped text on opening (LibreOffice overlaps the lines), so the
    lines are counted here, a column's width in characters being about as many
    characters a line."""
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    for row in sheet.iter_rows(min_row=first, max_row=last):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str):
                width = max(1, int(widths.get(cell.column_letter) or 13))
                lines = max(lines, sum(-(-len(part) // width) or 1 for part in cell.value.split("\n")))
        sheet.row_dimensions[row[0].row].height = min(409, LINE_POINTS * lines + 3)  # 409 points: the most a row may be


def sheet_width(code: str) -> int:
    return _WIDTHS.get(code, _TEXT_WIDTHS.get(code.rpartition("_")[0], 16))


def _format_plan_sheet(sheet, columns: list[str]) -> None:
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in (sheet["A2"], sheet["A3"]):
        cell.font = Font(italic=True)
    sheet["A4"].font = Font(italic=True, color="C00000")
    top = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    last = sheet.max_row
    for index, code in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = sheet_width(code)
        formats = {"start_date": "DD.MM.YYYY", "end_date": "DD.MM.YYYY", "budget_amount": "#,##0", "id": "@"}
        for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=last, min_col=index, max_col=index):
            cell.alignment = top
            if code in formats:
                cell.number_format = formats[code]
    fit_rows(sheet, HEADER_ROW, last)
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # the header, the id and the title stay in view
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{max(last, HEADER_ROW + 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(PRINTED)}{max(last, HEADER_ROW)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _summary(sheet, actions: list[Action], memo: Memorandum | None, lang: str) -> None:
    frame = actions_frame(actions)
    years = model.plan_period(memo).years
    table = summaries.area_by_year(frame, years)
    names = model.area_names(memo, lang)
    sheet.append([i18n.t(lang, "axis.area"), *years, i18n.t(lang, "metric.actions")])
    per_area = frame["area"].value_counts()
    for area, counts in table.iterrows():
        sheet.append([protect(names[area]), *[int(n) for n in counts], int(per_area.get(area, 0))])
    sheet.append([])
    sheet.append([i18n.t(lang, "col.status"), i18n.t(lang, "metric.actions")])
    for status, count in summaries.status_counts(frame).items():
        sheet.append([i18n.t(lang, f"status.{status}"), int(count)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    sheet.column_dimensions["A"].width = 34
    sheet.freeze_panes = "B2"


def read_xlsx(data: bytes, budget: workbooks.Budget | None = None) -> list[dict] | None:
    """The rows of the first sheet holding the plan's table (the people's sheet in any
    language, or an older export's ``actions`` sheet), as {column code: value}; None
    when no sheet has a header naming an «id» column. Checked and read within the
    bounds of ``workbooks``."""
    budget = budget or workbooks.Budget()
    workbooks.check_workbook(data, budget)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        tables = (_rows(workbooks.sheet_rows(sheet, budget)) for sheet in book.worksheets)
        return next((rows for rows in tables if rows is not None), None)
    finally:
        book.close()


def template_xlsx(dataset: Dataset | None = None, lang: str = "en") -> bytes:
    """An empty sheet in the import layout, in ``lang``."""
    return to_xlsx([], dataset, lang, template=True)
