"""Uploads that would cost the server more than they are worth are refused before and
while they are read, and only an editor's upload is read at all (issue 17, item 1)."""

from __future__ import annotations

import io
import re
import threading
import urllib.request
import zipfile

import pytest

from coopplan import i18n
from coopplan.data import loader, workbooks
from coopplan.exchange import importer, report_import, spreadsheet
from tests.browser import screenshot, sign_in, wait_idle
from tests.helpers import ADMIN, DATA, as_user, rendered, run_page
from tests.test_report_documents import form

DATASET = loader.load(DATA)
SHEET = "xl/worksheets/sheet1.xml"


def rewritten(book: bytes, part: str, change) -> bytes:
    """``book`` with the XML of ``part`` passed through ``change`` (text to text)."""
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data.decode()).encode() if info.filename == part else data)
    return out.getvalue()


def crafted(dimension: str = "A1:XFD1048576", rows: str = "", book: bytes | None = None, part: str = SHEET) -> bytes:
    """An honest export of one action whose first sheet declares ``dimension`` and
    ends with ``rows`` (sheet XML): the attack of issue 17 and its variants."""
    book = book or spreadsheet.to_xlsx(DATASET.actions[:1], DATASET, "ru")
    return rewritten(
        book,
        part,
        lambda text: re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text).replace(
            "</sheetData>", f"{rows}</sheetData>"
        ),
    )


def cell(reference: str) -> str:
    row = re.search(r"\d+", reference).group()
    return f'<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>'


ISSUE_17 = crafted(rows=cell("A1048576"))  # 6.5 KB: a million rows of 16,384 cells, as openpyxl would pad them
REFUSED = {
    "a-cell-on-the-last-row": (ISSUE_17, "a row numbered 1,048,576"),
    "a-far-column": (crafted("A1:XFD7", cell("XFD7")), "a cell in column XFD of row 7"),
    "many-empty-rows": (
        crafted("A1:A30000", "".join(f'<row r="{n}"/>' for n in range(8, 30_001))),
        "a row numbered 25,001",
    ),
    "a-row-of-many-unnumbered-cells": (crafted("A1:A8", '<row r="8">' + "<c/>" * 5000 + "</row>"), "column GS"),
    # openpyxl builds the styles whole before any row, at 16 µs an element
    "a-style-sheet-of-100,001-elements": (
        rewritten(
            crafted("A1:AD7"),
            "xl/styles.xml",
            lambda text: text.replace("</styleSheet>", "<extLst>" + "<ext/>" * 100_000 + "</extLst></styleSheet>"),
        ),
        "(styleSheet) holds more than 100,000 XML elements",
    ),
}


@pytest.mark.parametrize("data, words", REFUSED.values(), ids=REFUSED.keys())
def test_a_workbook_reaching_past_the_bounds_is_refused_before_it_is_read(data, words):
    assert len(ISSUE_17) < 10_000
    with pytest.raises(workbooks.UploadError) as caught:
        importer.read_rows(data, "plan.xlsx")
    assert caught.value.kind == "sheet_too_large" and words in str(caught.value)
    assert i18n.problem("ru", "sheet_too_large", str(caught.value)).startswith("Удалите строки под таблицей")


def test_a_dimension_that_lies_is_not_trusted_and_the_rows_are_read_as_they_are():
    rows = importer.read_rows(crafted(), "plan.xlsx")
    assert [r["id"] for r in rows] == [DATASET.actions[0].id]


def test_a_reports_form_reaching_past_the_bounds_is_refused_too():
    with pytest.raises(workbooks.UploadError) as caught:
        report_import.read(crafted(rows=cell("A1048576"), book=form()))
    assert caught.value.kind == "sheet_too_large"


def test_rows_and_widths_are_counted_while_reading_too():
    budget = workbooks.Budget()
    far = [(1, ("id",)), (workbooks.MAX_SHEET_ROWS + 1, ("x-001",))]
    with pytest.raises(workbooks.UploadError, match="past row 25,000"):
        list(workbooks.bounded(far, budget))
    wide = [(1, (None,) * (workbooks.MAX_COLUMNS + 1))]
    with pytest.raises(workbooks.UploadError, match="column GS"):
        list(workbooks.bounded(wide, budget))


def test_a_csv_that_goes_on_below_the_table_is_refused():
    text = "id,title_ru\nx-001,Форум\n" + "\n" * workbooks.MAX_SHEET_ROWS + "x-002,Выставка\n"
    with pytest.raises(workbooks.UploadError) as caught:
        importer.read_rows(text.encode("utf-8-sig"), "plan.csv")
    assert caught.value.kind == "sheet_too_large"


def test_reading_stops_when_the_upload_has_used_its_processor_time():
    book = spreadsheet.to_xlsx(DATASET.actions, DATASET, "ru")
    with pytest.raises(workbooks.UploadError) as caught:
        importer.read_rows(book, "plan.xlsx", workbooks.Budget(seconds=0))
    assert caught.value.kind == "upload_too_slow" and "processor time" in str(caught.value)
    assert len(importer.read_rows(book, "plan.xlsx")) == len(DATASET.actions)  # within the budget


def test_a_workbook_declaring_a_document_type_is_refused():
    book = rewritten(
        spreadsheet.to_xlsx(DATASET.actions[:1], DATASET, "ru"),
        SHEET,
        lambda text: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + text,
    )
    with pytest.raises(workbooks.UploadError, match="declares a document type") as caught:
        importer.read_rows(book, "plan.xlsx")
    assert caught.value.kind == "not_xlsx"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_viewer_is_not_offered_the_upload_and_told_to_sign_in(lang):
    at = run_page("import", {"lang": lang})
    assert not at.exception and not at.file_uploader
    assert i18n.t(lang, "import.sign_in") in [i.value for i in at.info]


def test_an_editor_uploading_the_crafted_workbook_is_told_what_to_delete_in_kazakh(data_dir):
    at = as_user("import", ADMIN, {"lang": "kk"})
    at.file_uploader[0].upload("plan.xlsx", ISSUE_17, "application/octet-stream").run()
    assert not at.exception and not at.dataframe
    [error] = [rendered(e.value) for e in at.error]
    advice = i18n.t("kk", "problem.sheet_too_large")
    assert error.startswith(i18n.t("kk", "import.error", reason=advice + " — ")) and "1,048,576" in error


@pytest.mark.browser
def test_the_server_answers_health_checks_while_the_crafted_workbook_is_refused(page, server, tmp_path):
    page.open("/import?lang=ru")
    sign_in(page, server, "ru")
    answers: list[bytes] = []
    done = threading.Event()

    def poll() -> None:  # another client of the server, all along
        while not done.is_set():
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as reply:
                answers.append(reply.read().strip())

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        for number in range(1, 4):  # one upload after another, as an attacker would send them
            upload = tmp_path / f"plan-{number}.xlsx"
            upload.write_bytes(ISSUE_17)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
            page.get_by_text(upload.name).wait_for()
            wait_idle(page)
            page.get_by_text("1,048,576").wait_for()
    finally:
        done.set()
        poller.join()
    assert answers and set(answers) == {b"ok"}
    error = page.locator('[data-testid="stAlertContentError"]').inner_text()
    assert error.startswith(i18n.t("ru", "import.error", reason=i18n.t("ru", "problem.sheet_too_large")))
    screenshot(page, "import-crafted-workbook-ru")
