"""The implementation report as a Word document and a spreadsheet, from the page's
button and from ``python -m coopplan report``; and a side's reports form, filled in and
brought back through the import."""

import datetime as dt
import io
import subprocess
import sys

import pytest
from docx import Document
from openpyxl import load_workbook

from coopplan.data import loader
from coopplan.editing import history
from coopplan.editing.auth import User
from coopplan.exchange import exports, report_import, report_sheets
from coopplan.exchange.importer import UploadError
from coopplan.reporting import duties, implementation
from coopplan.views.filters import Filters
from tests.helpers import DATA, ROOT, as_user, submit

DATASET = loader.load(DATA)
ASOF = dt.date(2026, 11, 30)
OMSK = User("ivanova", "omsk")


def document(lang: str = "ru", quarter: str = "2026-Q3") -> Document:
    return Document(
        io.BytesIO(exports.implementation(DATASET, DATASET.actions, quarter, Filters(), ASOF, "docx", lang))
    )


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table(doc, first_header: str, column: int = 0):
    """The document's table whose header row has ``first_header`` in ``column``."""
    return next(t for t in doc.tables if column < len(t.columns) and t.rows[0].cells[column].text == first_header)


def test_every_action_under_way_is_in_the_report_with_both_sides_texts():
    doc = document("ru")
    owed = duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF)
    ids = {d.action.id for d in owed}
    rows = texts(table(doc, "Наименование мероприятия", 1))
    titles = {row[1] for row in rows[1:]}
    assert {DATASET.action(i).title.ru for i in ids} <= titles
    po_018 = next(row for row in rows if row[1] == DATASET.action("po-018").title.ru)
    pavlodar, omsk = (
        r
        for side in ("pavlodar", "omsk")
        for r in DATASET.reports_of("po-018")
        if r.side == side and r.period == "2026-Q3"
    )
    assert pavlodar.done.ru in po_018[-2] and omsk.done.ru in po_018[-1]
    assert texts(table(doc, "Направление"))[-1][:2] == ["Итого", str(len(ids))]


def test_the_annex_lists_the_actions_with_a_report_missing_numbered_with_their_number_in_the_main_table():
    compiled = implementation.compile_report(DATASET, DATASET.actions, "2026-Q3", ASOF, DATASET.baseline())
    doc = document("en")
    rows = texts(table(doc, "Report not submitted by", 4))[1:]
    missing = rows
    assert len(missing) == len(compiled.missing) and [r[0] for r in missing] == [
        f"{n}." for n in range(1, len(missing) + 1)
    ]
    assert [r[1] for r in missing] == [f"{row.number}." for row in compiled.missing]


def test_the_title_names_the_quarter_and_the_date_and_the_draft_is_marked():
    doc = document("kk")
    paragraphs = [p.text for p in doc.paragraphs]
    assert any("2026 жылғы III тоқсан" in p for p in paragraphs)
    assert any("Есепті күн: 2026 жылғы 30 қараша" in p for p in paragraphs)
    header = [p.text for p in doc.sections[0].header.paragraphs]  # approved, but an illustrative example
    assert header[1] == "Көрсетуге арналған шартты мысал, ресми құжат емес" and doc.sections[0].orientation == 1


def test_kazakh_and_russian_side_by_side():
    doc = document("kk+ru")
    rows = texts(table(doc, "Іс-шара және оның іске асырылу барысы (қазақ тілінде)", 1))
    assert rows[0][2] == "Мероприятие и ход его реализации (на русском языке)"
    po_011 = next(row for row in rows if DATASET.action("po-011").title.ru in row[2])
    assert DATASET.action("po-011").title.kk in po_011[1] and DATASET.action("po-011").title.ru not in po_011[1]
    assert "Выполняется" in po_011[2] and "Выполняется" not in po_011[1]


def test_the_spreadsheet_has_a_row_an_action_and_reporting_side():
    data = exports.implementation(DATASET, DATASET.actions, "2026-Q3", Filters(), ASOF, "xlsx", "en")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    owed = duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF)
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    *rows, _, pavlodar, omsk = rows  # each side's reports in, accepted and on time under the table
    assert len(rows) == len(owed) and pavlodar[0].startswith("Reports submitted: Pavlodar Region")
    assert {(row[2], row[5]) for row in rows} == {
        (d.action.id, "Omsk Region" if d.side == "omsk" else "Pavlodar Region") for d in owed
    }


def test_the_command_line_writes_the_report_and_refuses_a_quarter_outside_the_plan(tmp_path):
    out = tmp_path / "report.docx"
    report = [sys.executable, "-m", "coopplan", "report"]
    command = [
        *report,
        "--period",
        "2026-Q3",
        "--area",
        "healthcare",
        "--lang",
        "kk+ru",
    ]
    done = subprocess.run([*command, "--asof", "2026-11-30", "-o", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and out.read_bytes().startswith(b"PK")
    rows = texts(table(Document(str(out)), "Іс-шара және оның іске асырылу барысы (қазақ тілінде)", 1))
    healthcare = [a for a in DATASET.actions if a.area == "healthcare"]
    assert all(any(a.title.ru in row[2] for a in healthcare) for row in rows[2:])
    wrong = subprocess.run(
        [*report, "--period", "2030-Q1", "-o", str(tmp_path / "x.docx")], cwd=ROOT, capture_output=True, text=True
    )
    assert wrong.returncode == 1 and "is not a quarter of the plan" in wrong.stderr and "Traceback" not in wrong.stderr
    other = subprocess.run(
        [*report, "--period", "2026-Q3", "-o", str(tmp_path / "x.pdf")], cwd=ROOT, capture_output=True, text=True
    )
    assert other.returncode == 1 and ".docx or .xlsx" in other.stderr


def form(side: str = "omsk", quarter: str = "2026-Q3", lang: str = "ru") -> bytes:
    return exports.reports_form(DATASET, DATASET.actions, side, quarter, ASOF, lang)


def test_a_sides_form_has_a_row_each_report_it_owes_started_from_what_is_known():
    side, quarter, rows, headings = report_sheets.read_form(form())
    owed = [d for d in duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF) if d.side == "omsk"]
    assert (side, quarter) == ("omsk", "2026-Q3") and [r["action"] for _, r in rows] == [d.action.id for d in owed]
    po_011 = next(cells for _, cells in rows if cells["action"] == "po-011")
    assert po_011["status"] == "Выполняется" and po_011["indicator:sampling-series"] == 4
    assert headings["done_ru"] == "Что сделано за квартал (на русском языке)" and headings["action"] == "Код (id)"


@pytest.mark.parametrize(
    "cell, value", [("B1", "lead.<b>x</b>"), ("C1", "garbage"), ("C1", None)], ids=["side", "quarter", "no-quarter"]
)
def test_a_form_whose_hidden_sheet_was_changed_is_refused_with_what_to_do(cell, value):
    book = load_workbook(io.BytesIO(form()))
    book[report_sheets.FIELDS_SHEET][cell] = value
    crafted = io.BytesIO()
    book.save(crafted)
    with pytest.raises(UploadError) as caught:
        report_import.read(crafted.getvalue())
    assert caught.value.kind == "form_changed"


def test_an_untouched_form_imports_as_nothing_to_report_and_a_filled_row_as_new(data_dir):
    dataset = loader.load(data_dir)
    found = report_sheets.read_form(form())
    assert {r.kind for r in report_import.preview(found, dataset, ASOF) if r.action_id == "po-011"} == {"unchanged"}
    assert {r.kind for r in report_import.preview(found, dataset, ASOF)} == {"unchanged", "nothing"}
    missing = next(cells for _, cells in found.rows if cells["action"] == "po-005")
    missing |= {"done_ru": "Проведена встреча с бизнесом", "progress": 50, "date": dt.datetime(2026, 10, 8)}
    results = report_import.preview(found, dataset, ASOF)
    new = next(r for r in results if r.action_id == "po-005")
    assert new.kind == "new" and new.report.progress == 50
    saved, refused = report_import.apply(results, [new.row], dataset, OMSK)
    assert saved == ["2026-Q3/po-005-omsk"] and refused == []


def test_a_form_row_with_a_wrong_status_or_an_action_of_the_other_side_is_invalid(data_dir):
    found = report_sheets.read_form(form())
    found.rows[0][1]["status"] = "Почти готово"
    found.rows[1][1]["action"] = next(a.id for a in DATASET.actions if a.lead == "pavlodar")
    results = report_import.preview(found, DATASET, ASOF)
    assert [r.kind for r in results[:2]] == ["invalid", "invalid"]
    assert [(p.column, p.kind) for p in results[0].reasons] == [("status", "not_a_choice")]
    assert [(p.column, p.kind) for p in results[1].reasons] == [("action", "form_not_owed")]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_form_reads_back_whatever_language_it_was_made_in(lang):
    found = report_sheets.read_form(form(lang=lang))
    assert {r.kind for r in report_import.preview(found, DATASET, ASOF)} == {"unchanged", "nothing"}


def test_the_import_page_previews_a_reports_form_and_applies_it(data_dir):
    rows = report_sheets.read_form(form()).rows
    book = load_workbook(io.BytesIO(form()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "po-005")
    row[header.index("Что сделано за квартал (на русском языке)")].value = "Проведена встреча с бизнесом"
    row[header.index("Дата отчёта")].value = dt.datetime(2026, 10, 8)
    out = io.BytesIO()
    book.save(out)
    at = as_user("import", OMSK, {"lang": "ru"})
    at.file_uploader[0].upload("reports.xlsx", out.getvalue(), "application/octet-stream").run()
    assert not at.exception and at.info[0].value.startswith("Форма отчётов: Омская область, III квартал 2026 г.")
    at.multiselect[0].set_value(
        [r for r in at.multiselect[0].value if r == 4 + [c["action"] for _, c in rows].index("po-005")]
    )
    submit(at, "apply_import")
    assert not at.exception and "2026-Q3/po-005-omsk" in at.success[0].value
    assert [e.report for e in history.read(data_dir)[0]][0] == "2026-Q3/po-005-omsk"
