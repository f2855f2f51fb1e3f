"""The plan as a table (CSV and Excel) and back, without losing or corrupting anything.

One row per action, one column per field and language. Text cells that a
spreadsheet would run as a formula are neutralised the way OWASP recommends
(a leading apostrophe); values that really start with an apostrophe get one
more, so reading a cell back reverses it exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import i18n
from ..data import model
from ..data.model import LANGS, TEXT_FIELDS, Action, Memorandum
from ..views import summaries
from ..views.frame import actions_frame

COLUMNS = (
    "id",
    "area",
    "lead",
    "status",
    "progress",
    "start",
    "end",
    "start_date",
    "end_date",
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS),
    "bodies_pavlodar",
    "bodies_omsk",
    "budget_amount",
    "budget_currency",
    "budget_source",
    "indicators",
    "tags",
    "updated",
    "updated_by",
)
# Columns a reader may ignore: derived from start and end, for sorting and date arithmetic.
DERIVED = ("start_date", "end_date")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET = "actions"
SUMMARY_SHEET = "summary"


def protect(text: str) -> str:
    """Neutralise a cell that Excel or LibreOffice would treat as a formula."""
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def unprotect(text: str) -> str:
    """The exact inverse of ``protect``."""
    return text[1:] if text.startswith("'") else text


def action_row(action: Action) -> dict:
    """The action's cells: numbers and dates typed, text protected."""
    data = action.model_dump(mode="json", exclude_none=True)
    row: dict = {
        "id": action.id,
        "area": action.area,
        "lead": action.lead,
        "status": action.status,
        "progress": action.progress,
        "start": action.start,
        "end": action.end,
        "start_date": action.start_period.first_day,
        "end_date": action.end_period.last_day,
        "bodies_pavlodar": "\n".join(action.responsible.pavlodar),
        "bodies_omsk": "\n".join(action.responsible.omsk),
        "budget_amount": action.budget.amount if action.budget else None,
        "budget_currency": action.budget.currency if action.budget else None,
        "budget_source": action.budget.source if action.budget else None,
        "indicators": json.dumps(data["indicators"], ensure_ascii=False) if action.indicators else None,
        "tags": ", ".join(action.tags) or None,
        "updated": action.updated.isoformat() if action.updated else None,
        "updated_by": action.updated_by,
    }
    for name in TEXT_FIELDS:
        for lang in LANGS:
            row[f"{name}_{lang}"] = data.get(name, {}).get(lang)
    return {key: protect(value) if isinstance(value, str) else value for key, value in row.items()}


def _number(value):
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return value  # the validator says what is wrong with it
        return int(number) if number.is_integer() else number
    return int(value) if isinstance(value, float) and value.is_integer() else value


def row_record(row: dict) -> dict:
    """A record for ``model.Action`` from a row's cells (empty cells left out)."""
    cells = {}
    for key, value in row.items():
        if value is None or (isinstance(value, str) and value == ""):
            continue
        cells[key] = unprotect(value) if isinstance(value, str) else value
    record: dict = {key: cells[key] for key in ("id", "area", "lead") if key in cells}
    for name in TEXT_FIELDS:
        text = {lang: cells[f"{name}_{lang}"] for lang in LANGS if f"{name}_{lang}" in cells}
        if text:
            record[name] = text
    # Bodies are written one per line ("\n"); splitlines() would also cut a name at
    # the Unicode line separators a pasted name may hold (U+2028, U+0085).
    record["responsible"] = {
        side: [b.strip() for b in str(cells[f"bodies_{side}"]).split("\n") if b.strip()]
        for side in ("pavlodar", "omsk")
        if f"bodies_{side}" in cells
    }
    for key in ("start", "end"):
        if key in cells:
            value = cells[key]
            record[key] = value.date() if isinstance(value, dt.datetime) else value
    for key in ("status",):
        if key in cells:
            record[key] = cells[key]
    if "progress" in cells:
        record["progress"] = _number(cells["progress"])
    budget = {k: cells[f"budget_{k}"] for k in ("amount", "currency", "source") if f"budget_{k}" in cells}
    if budget:
        if "amount" in budget:
            budget["amount"] = _number(budget["amount"])
        record["budget"] = budget
    if "indicators" in cells:
        try:
            record["indicators"] = json.loads(cells["indicators"])
        except (TypeError, ValueError):
            record["indicators"] = cells["indicators"]  # reported as not a list
    if "tags" in cells:
        record["tags"] = [t.strip() for t in str(cells["tags"]).split(",") if t.strip()]
    for key in ("updated", "updated_by"):
        if key in cells:
            record[key] = cells[key]
    # Keep the order of the action files so the record reads like one.
    order = [f for f in Action.model_fields if f in record]
    return {key: record[key] for key in order}


# ---- CSV ---------------------------------------------------------------------------


def to_csv(actions: Iterable[Action]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Cyrillic right."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for action in actions:
        row = action_row(action)
        writer.writerow({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def read_csv(data: bytes) -> list[dict]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [dict(row) for row in reader]


# ---- Excel ---------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_WIDTHS = {
    "id": 10,
    "area": 18,
    "lead": 10,
    "status": 12,
    "progress": 9,
    "start": 11,
    "end": 11,
    "start_date": 12,
    "end_date": 12,
    "bodies_pavlodar": 45,
    "bodies_omsk": 45,
    "indicators": 40,
}


def to_xlsx(actions: list[Action], memo: Memorandum | None, lang: str) -> bytes:
    """An ``actions`` sheet with every field (frozen header, filters, real dates),
    and a ``summary`` sheet of actions by area and year in ``lang``."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for action in actions:
        row = action_row(action)
        sheet.append([row[c] for c in COLUMNS])  # texts hold no control characters: model.NonEmpty
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(
            column, 40 if "_" in column and column.split("_")[-1] in LANGS else 14
        )
        if column in DERIVED:
            for cell in sheet[letter][1:]:
                cell.number_format = "DD.MM.YYYY"
        if column.startswith(("title", "description", "bodies", "outcome")):
            for cell in sheet[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet["A"][1:]:
        cell.number_format = "@"  # ids are text
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    _summary(book.create_sheet(SUMMARY_SHEET), actions, memo, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def read_xlsx(data: bytes) -> list[dict]:
    """Rows of the ``actions`` sheet (or the first one) as {column: value}."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    found = []
    for values in rows:
        if values is None or all(v is None or v == "" for v in values):
            continue
        found.append({h: v for h, v in zip(header, values, strict=False) if h})  # rows may be ragged
    book.close()
    return found


def template_xlsx() -> bytes:
    """An empty sheet in the import layout."""
    return to_xlsx([], None, "en")
