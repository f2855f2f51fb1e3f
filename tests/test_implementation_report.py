"""The implementation report read as the deputy akim would before signing it: the
summary adds up, overdue is judged as of the quarter's end, indicators, evidence, the
disagreements, the signature blocks, numbered annexes and rows, the document's
properties, language marks; a past quarter's report does not change when a later one
is filed; and two sides' differing indicator values follow one rule everywhere."""

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from coopplan import i18n
from coopplan.data import loader, standing, yamlio
from coopplan.data.model import Report
from coopplan.editing import store
from coopplan.exchange import exports
from coopplan.reporting import implementation
from coopplan.views.filters import Filters
from tests.helpers import ADMIN, DATA, web_client

DATASET = loader.load(DATA)
ASOF = dt.date(2026, 12, 7)


def report_bytes(dataset, quarter: str, lang: str = "ru", fmt: str = "docx") -> bytes:
    return exports.implementation(dataset, dataset.actions, quarter, Filters(), ASOF, fmt, lang)


def document(quarter: str, lang: str = "ru", dataset=DATASET) -> Document:
    return Document(io.BytesIO(report_bytes(dataset, quarter, lang)))


def rows_of(doc, header: str, column: int = 0) -> list[list[str]]:
    found = next(t for t in doc.tables if column < len(t.columns) and t.rows[0].cells[column].text == header)
    return [[cell.text for cell in row.cells] for row in found.rows]


def text_of(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
def test_the_summary_of_every_shipped_quarter_adds_up(quarter):
    rows = rows_of(document(quarter), "Направление")
    header, total = rows[0], rows[-1]
    counted = [header.index(i18n.t("ru", f"status.{s}")) for s in ("done", "in_progress", "postponed")]
    counted += [
        header.index(i18n.t("ru", f"status.{s}"))
        for s in ("planned", "cancelled")
        if i18n.t("ru", f"status.{s}") in header
    ]
    for row in rows[1:]:
        assert int(row[1]) == sum(int(row[i]) for i in counted), row
    assert total[0] == "Итого" and header[1] == "Мероприятия со сроком исполнения в отчётном квартале"
    assert "Срок исполнения истёк" in header


def test_overdue_is_judged_as_of_the_quarters_end_and_overdue_actions_are_listed():
    q3 = implementation.compile_report(DATASET, DATASET.actions, "2026-Q3", ASOF)
    q4 = implementation.compile_report(DATASET, DATASET.actions, "2026-Q4", ASOF)
    assert not any(row.overdue for row in q3.rows)  # po-044 ended in October, done in November
    assert [row.action.id for row in q4.rows if row.overdue] == ["po-018", "po-042"]
    assert q4.figures()[-1].overdue == 2
    main = rows_of(document("2026-Q4"), "Наименование мероприятия", 1)
    po_042 = next(row for row in main if row[1] == DATASET.action("po-042").title.ru)
    assert "(срок исполнения истёк)" in po_042[4]


def test_each_action_shows_its_indicators_baseline_target_and_actual_and_the_evidence_cited():
    main = rows_of(document("2026-Q3"), "Наименование мероприятия", 1)
    po_011 = next(row for row in main if row[1] == DATASET.action("po-011").title.ru)
    indicator = DATASET.action("po-011").indicator("sampling-series")
    assert indicator.name.ru in po_011[5] and "план на 2026 г." in po_011[5] and "факт за квартал" in po_011[5]
    cited = [r for r in DATASET.reports if r.period == "2026-Q3" and r.evidence]
    assert cited
    text = text_of(document("2026-Q3"))
    assert all(item in text for r in cited for item in r.evidence) and "Подтверждающие документы:" in text


def test_the_joint_actions_where_the_sides_disagree_have_a_section_with_both_sides_figures():
    doc = document("2026-Q3")
    rows = rows_of(doc, "№ по основной таблице", 1)
    disagreeing = [r for r in rows[1:] if r[2] == DATASET.action("po-018").title.ru]
    assert len(disagreeing) == 1
    _, _, _, _, pavlodar, omsk = disagreeing[0]
    assert pavlodar.startswith("Выполняется, 40") and omsk.startswith("Выполнено, 100")
    assert rows[0][4:] == ["Информация Павлодарской области", "Информация Омской области"]


@pytest.mark.parametrize(
    "lang, annexes, prepared",
    [
        ("ru", ["Приложение 1. ", "Приложение 2. "], "Подготовил(а)"),
        ("kk", ["1-қосымша. ", "2-қосымша. "], "Дайындаған"),
    ],
)
def test_annexes_are_numbered_and_each_side_has_a_prepared_by_and_signature_block(lang, annexes, prepared):
    doc = document("2026-Q3", lang)
    starts = [p.text for p in doc.paragraphs if p.text.startswith(tuple(annexes))]
    assert [s[: len(a)] for s, a in zip(starts, annexes, strict=True)] == annexes
    block = next(t for t in doc.tables if prepared in t.rows[0].cells[0].text)
    for cell, party in zip(block.rows[0].cells, DATASET.memorandum.parties, strict=True):
        assert party.body(lang) in cell.text and prepared in cell.text
    numbers = [row[0] for row in rows_of(doc, i18n.t(lang, "rdoc.col.number"))[1:] if row[0] != row[1]]
    assert numbers == [f"{n}." for n in range(1, len(numbers) + 1)]  # the main table, consecutive


@pytest.mark.parametrize("lang", ["ru", "kk", "kk+ru"])
def test_the_signature_block_stays_whole_and_with_its_heading_on_one_page(lang):
    doc = document("2026-Q3", lang)
    prepared = i18n.t("ru" if lang == "kk+ru" else lang, "rdoc.prepared_by")
    block = next(t for t in doc.tables if prepared in t.rows[0].cells[-1].text)
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in block.rows)
    heading = block._tbl.getprevious()
    lines = [heading] if heading.tag == qn("w:p") else list(heading.iter(qn("w:p")))
    assert all(Paragraph(line, None).paragraph_format.keep_with_next for line in lines)


def test_the_documents_properties_name_the_plan_not_the_library():
    properties = document("2026-Q3").core_properties
    assert properties.author != "python-docx" and "Правительство Омской области" in properties.author
    assert "III квартал 2026" in properties.title and properties.keywords == "2026-Q3"


def test_a_report_given_only_in_another_language_is_marked_so(data_dir):
    record = yamlio.loads((data_dir / "reports" / "2026-Q3" / "po-011-omsk.yaml").read_bytes())
    record["done"] = {"kk": "Сынама алу жалғасты"}
    (data_dir / "reports" / "2026-Q3" / "po-011-omsk.yaml").write_text(yamlio.dumps(record), encoding="utf-8")
    dataset = loader.load(data_dir)
    assert "Сынама алу жалғасты (представлено на казахском языке)" in text_of(document("2026-Q3", "ru", dataset))
    assert "Сынама алу жалғасты (орыс" not in text_of(document("2026-Q3", "kk", dataset))


def test_the_kk_ru_workbook_is_in_both_languages_and_set_up_to_print():
    book = load_workbook(io.BytesIO(report_bytes(DATASET, "2026-Q3", "kk+ru", "xlsx")))
    kk, ru = book.worksheets[:2]  # then the evidence sheets
    assert kk["A3"].value == "Р/с №" and ru["A3"].value == "№ п/п" and ru["C3"].value == "Код (id)"
    for sheet in (kk, ru):
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$3:$3"


def test_the_workbook_counts_each_sides_reports_in_accepted_and_on_time_apart_under_its_table():
    book = load_workbook(io.BytesIO(report_bytes(DATASET, "2026-Q4", "kk+ru", "xlsx")))
    for sheet, (side, accepted) in zip(
        book.worksheets[:2], [("Павлодар облысы", "қабылдады"), ("Омская область", "принято")], strict=True
    ):
        lines = [row[0].value for row in sheet.iter_rows(min_row=sheet.max_row - 1) if row[0].value]
        assert len(lines) == 2 and all(accepted in line for line in lines)
        assert any(side in line for line in lines)
    omsk = book.worksheets[1].cell(book.worksheets[1].max_row, 1).value
    reported, accepted = re.search(r"— (\d+) из .*принято координатором — (\d+)", omsk).groups()
    assert int(accepted) < int(reported)  # the shipped Q4 has Omsk's reports waiting: the two counts differ


def document_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_a_past_quarters_report_is_the_same_after_a_later_report_is_filed(data_dir):
    before = report_bytes(loader.load(data_dir), "2026-Q3")
    later = Report(
        action="po-018",
        side="pavlodar",
        period="2026-Q4",
        date=ASOF,
        status="done",
        progress=100,
        done={"ru": "Завершено"},
    )
    store.save_report(data_dir, later, ADMIN, store.ABSENT)
    after = loader.load(data_dir)
    assert after.action("po-018").status == "done"  # the later report did change the action
    assert document_xml(report_bytes(after, "2026-Q3")) == document_xml(before)


# ---- one rule for the «actual» value of an indicator the two sides report differently -------------


def test_two_sides_differing_indicator_values_are_a_disagreement_and_the_lower_is_shown_everywhere(data_dir):
    for side, value in (("omsk", 6), ("pavlodar", 4)):
        report = Report(
            action="po-011", side=side, period="2026-Q4", date=ASOF, status="in_progress", progress=50,
            done={"ru": "Отбор проб"}, indicators={"sampling-series": value},
        )  # fmt: skip
        store.save_report(data_dir, report, ADMIN, store.ABSENT)
    dataset = loader.load(data_dir)
    action = dataset.action("po-011")
    assert action.indicator("sampling-series").actual == 4
    on_disk = yamlio.loads((data_dir / "actions" / "po-011.yaml").read_bytes())
    assert next(i for i in on_disk["indicators"] if i.get("id") == "sampling-series")["actual"] == 4
    reports = dataset.reports_of("po-011")
    assert standing.standing(action, list(reversed(reports))).actuals["sampling-series"] == 4  # whatever the order
    assert standing.disagreement(action, reports).indicators == ("sampling-series",)
    api = web_client().get("/api/v1/actions/po-011").json()
    assert next(i for i in api["indicators"] if i.get("id") == "sampling-series")["actual"] == 4
    main = rows_of(document("2026-Q4", "ru", dataset), "Наименование мероприятия", 1)
    row = next(r for r in main if r[1] == action.title.ru)
    assert "данные сторон расходятся (Павлодарская область — 4; Омская область — 6)" in row[5]
