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


def test_every_action_under_way_is_in_the_report_with_both_sides_texts():
    doc = document("ru")
    summary, actions, missing, changed, _evidence = doc.tables
    owed = duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF)
    ids = {d.action.id for d in owed}
    rows = texts(actions)
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
    assert texts(summary)[-1][:2] == ["Итого", str(len(ids))]


def test_the_annex_lists_the_actions_with_a_report_missing():
    compiled = implementation.compile_report(DATASET, DATASET.actions, "2026-Q3", ASOF, DATASET.baseline())
    rows = texts(document("en").tables[2])
    assert len(rows) == 1 + len(compiled.missing)
    assert {row[1] for row in rows[1:]} == {row.action.title.en or row.action.title.kk for row in compiled.missing}


def test_the_title_names_the_quarter_and_the_date_and_the_draft_is_marked():
    doc = document("kk")
    paragraphs = [p.text for p in doc.paragraphs]
    assert any("2026 жылғы III тоқсан" in p for p in paragraphs)
    assert any("2026 жылғы 30 қараша жағдай бойынша" in p for p in paragraphs)
    header = [p.text for p in doc.sections[0].header.paragraphs]  # approved, but an illustrative example
    assert header[1].startswith("Көрсетуге арналған шартты мысал") and doc.sections[0].orientation == 1  # landscape


def test_kazakh_and_russian_side_by_side():
    rows = texts(document("kk+ru").tables[1])
    assert rows[0][1] == "Іс-шара" and rows[0][2] == "Мероприятие"
    po_011 = next(row for row in rows if row[2] == DATASET.action("po-011").title.ru)
    assert po_011[1] == DATASET.action("po-011").title.kk


def test_the_spreadsheet_has_a_row_an_action_and_reporting_side():
    data = exports.implementation(DATASET, DATASET.actions, "2026-Q3", Filters(), ASOF, "xlsx", "en")
    sheet = load_workbook(io.BytesIO(data)).active
    owed = duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF)
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(owed)
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
    rows = texts(Document(str(out)).tables[1])
    assert {row[2] for row in rows[2:]} <= {a.title.ru for a in DATASET.actions if a.area == "healthcare"}
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
    side, quarter, rows = report_sheets.read_form(form())
    owed = [d for d in duties.duties(DATASET.actions, DATASET.reports, "2026-Q3", ASOF) if d.side == "omsk"]
    assert (side, quarter) == ("omsk", "2026-Q3") and [r["action"] for _, r in rows] == [d.action.id for d in owed]
    po_011 = next(cells for _, cells in rows if cells["action"] == "po-011")
    assert po_011["status"] == "Выполняется" and po_011["indicator:sampling-series"] == 4


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


def test_an_untouched_form_imports_as_unchanged_and_a_filled_row_as_new(data_dir):
    dataset = loader.load(data_dir)
    side, quarter, rows = report_sheets.read_form(form())
    assert {r.kind for r in report_import.preview(side, quarter, rows, dataset) if r.action_id == "po-011"} == {
        "unchanged"
    }
    missing = next(cells for _, cells in rows if cells["action"] == "po-005")
    missing |= {"done_ru": "Проведена встреча с бизнесом", "progress": 50, "date": dt.datetime(2026, 10, 8)}
    results = report_import.preview(side, quarter, rows, dataset)
    new = next(r for r in results if r.action_id == "po-005")
    assert new.kind == "new" and new.report.progress == 50
    saved, refused = report_import.apply(results, [new.row], dataset, OMSK)
    assert saved == ["2026-Q3/po-005-omsk"] and refused == []


def test_a_form_row_with_a_wrong_status_or_an_action_of_the_other_side_is_invalid(data_dir):
    side, quarter, rows = report_sheets.read_form(form())
    rows[0][1]["status"] = "Почти готово"
    rows[1][1]["action"] = next(a.id for a in DATASET.actions if a.lead == "pavlodar")
    results = report_import.preview(side, quarter, rows, DATASET)
    assert [r.kind for r in results[:2]] == ["invalid", "invalid"]
    assert [p.kind for p in results[0].reasons] == ["literal_error"]
    assert "report_wrong_side" in [p.kind for p in results[1].reasons]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_form_reads_back_whatever_language_it_was_made_in(lang):
    side, quarter, rows = report_sheets.read_form(form(lang=lang))
    assert {r.kind for r in report_import.preview(side, quarter, rows, DATASET)} == {"unchanged", "invalid"}
    # the reports not yet in are invalid until someone writes what was done: nothing else is
    assert all(p.kind == "missing" for r in report_import.preview(side, quarter, rows, DATASET) for p in r.reasons)


def test_the_import_page_previews_a_reports_form_and_applies_it(data_dir):
    side, quarter, rows = report_sheets.read_form(form())
    book = load_workbook(io.BytesIO(form()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "po-005")
    row[header.index("Что сделано за квартал · RU")].value = "Проведена встреча с бизнесом"
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
