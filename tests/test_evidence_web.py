"""Evidence over HTTP and in documents: ``/files/<sha256>`` to those allowed, always a
download; the API's evidence records; the implementation report's annex."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest

from coopplan.data import loader
from coopplan.editing import auth, sessions
from coopplan.editing import evidence as attach
from coopplan.editing.auth import User
from coopplan.exchange import exports
from coopplan.views import filters
from tests.helpers import web_client, without_evidence_or_closes
from tests.test_evidence import META, OMSK, REPORT, jpeg_with_location, pdf

PASSWORD = "a long password"


@pytest.fixture
def data_dir(data_dir):
    return without_evidence_or_closes(data_dir)


@pytest.fixture
def web(data_dir):
    with web_client() as http:
        yield http


@pytest.fixture
def attached(data_dir):
    """A scanned letter (not public) and a photo (marked public) on an Omsk report."""
    attach.attach(data_dir, REPORT, "Письмо № 17.pdf", pdf(), {**META, "kind": "letter"}, OMSK)
    attach.attach(data_dir, REPORT, "event.jpg", jpeg_with_location(), {**META, "kind": "photo", "public": True}, OMSK)
    return {r.kind: r for r in loader.load(data_dir).evidence}


def signed_in(http, name: str, role: str) -> None:
    auth.add_user(name, role, PASSWORD)
    http.cookies.set(sessions.COOKIE, sessions.store().start(User(name, role)))


def test_a_colleague_of_the_other_side_downloads_the_file_as_an_attachment(web, attached):
    signed_in(web, "pavl", "pavlodar")
    letter = attached["letter"]
    reply = web.get(letter.url)
    assert reply.status_code == 200 and reply.content == pdf()
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%D0%9F%D0%B8%D1%81%D1%8C%D0%BC%D0%BE" in reply.headers["content-disposition"]
    assert "sandbox" in reply.headers["content-security-policy"]
    photo = web.get(attached["photo"].url)
    assert photo.headers["content-type"] == "image/jpeg" and photo.headers["content-disposition"].startswith("attach")


def test_a_visitor_gets_no_file_unless_an_editor_marked_it_public(web, attached):
    reply = web.get(attached["letter"].url)
    assert reply.status_code == 401 and b"%PDF" not in reply.content
    assert "Sign in" in web.get(attached["letter"].url + "?lang=en").text
    assert web.get(attached["photo"].url).status_code == 200


def test_a_private_deployment_gives_no_file_without_sign_in_but_to_a_token_holder(web, attached, monkeypatch):
    monkeypatch.setenv("COOPPLAN_PRIVATE", "1")
    for record in attached.values():  # the public mark too: nothing is shown to anyone not signed in
        assert web.get(record.url, headers={"accept": "*/*"}).status_code == 401
    auth.add_user("robot", "viewer", PASSWORD)
    token = sessions.store().new_api_token(User("robot", "viewer"))
    reply = web.get(attached["letter"].url, headers={"authorization": f"Bearer {token}"})
    assert reply.status_code == 200 and reply.content == pdf()


@pytest.mark.parametrize("address", ["/files/" + "0" * 64, "/files/..%2Fhistory.jsonl", "/files/ABC", "/files/"])
def test_a_file_no_record_names_or_a_path_is_not_served(web, attached, address):
    signed_in(web, "pavl", "pavlodar")
    assert web.get(address).status_code == 404


def test_a_file_changed_on_disk_is_not_served_as_what_it_was(web, attached, data_dir):
    signed_in(web, "pavl", "pavlodar")
    letter = attached["letter"]
    (data_dir / "files" / letter.file).write_bytes(b"<html>" + b" " * (letter.size - 6))
    assert web.get(letter.url).status_code == 409


def test_the_api_gives_each_reports_evidence_as_records_with_their_url(web, attached):
    signed_in(web, "pavl", "pavlodar")
    report = web.get("/api/v1/reports/po-001-omsk-2026-Q1").json()
    files = [e for e in report["evidence"] if "url" in e]
    assert {e["kind"] for e in files} == {"letter", "photo"}
    assert all(e["url"] == f"/files/{e['file']}" and "bytes" not in e for e in files)
    assert any(e.get("text", "").startswith("Протокол заседания") for e in report["evidence"])


def test_a_visitor_of_the_api_learns_that_evidence_exists_but_not_the_file(web, attached):
    report = web.get("/api/v1/reports/po-001-omsk-2026-Q1").json()
    letter = next(e for e in report["evidence"] if e.get("kind") == "letter")
    assert letter["number"] == "1" and letter["date"] == "2026-03-26"
    assert "url" not in letter and "title" not in letter and "name" not in letter
    photo = next(e for e in report["evidence"] if e.get("kind") == "photo")
    assert photo["url"] == attached["photo"].url and "updated_by" not in photo


@pytest.mark.parametrize(
    ("lang", "heading", "kind"),
    [
        ("ru", ["Приложение 3. Подтверждающие документы"], "Письмо"),
        ("kk", ["3-қосымша. Растайтын құжаттар"], "Хат"),
        ("kk+ru", ["3-қосымша. Растайтын құжаттар", "Приложение 3. Подтверждающие документы"], None),
    ],
)
def test_the_implementation_report_lists_the_evidence_in_its_annex(data_dir, attached, lang, heading, kind):
    """The third annex, after the missing reports and the changes, headed in each of the document's languages."""
    dataset = loader.load(data_dir)
    chosen = filters.Filters()
    made = exports.implementation(dataset, dataset.actions, "2026-Q1", chosen, dt.date(2026, 12, 1), "docx", lang)
    document = docx.Document(io.BytesIO(made))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]  # kk+ru: side by side
    assert all(one in texts for one in heading)
    annex = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in annex.rows[1:]]
    assert len(rows) == 2
    assert all(r[4] == "1" for r in rows)
    if kind:
        assert any(kind in r[3] for r in rows)


@pytest.mark.parametrize(
    ("lang", "sheets"),
    [("ru", ["Подтверждающие документы"]), ("kk+ru", ["Растайтын құжаттар", "Подтверждающие документы"])],
)
def test_the_excel_implementation_report_lists_the_evidence_on_its_own_sheet_and_in_each_reports_row(
    data_dir, attached, lang, sheets
):
    dataset = loader.load(data_dir)
    made = exports.implementation(
        dataset, dataset.actions, "2026-Q1", filters.Filters(), dt.date(2026, 12, 1), "xlsx", lang
    )
    book = openpyxl.load_workbook(io.BytesIO(made))
    assert [name for name in book.sheetnames if name in sheets] == sheets
    listed = book[sheets[-1]]
    rows = [[c.value for c in row] for row in listed.iter_rows(min_row=4) if row[0].value is not None]
    assert sorted(r[4] for r in rows) == ["Письмо", "Фотография"] and all(r[1] == "po-001" for r in rows)
    assert {r[6] for r in rows} == {dt.datetime(2026, 3, 26)} and {r[3] for r in rows} == {"Омская область"}
    report = book.worksheets[len(sheets) - 1]  # the Russian report sheet, before the evidence sheets
    row = next(
        r for r in report.iter_rows(min_row=4, values_only=True) if r[2] == "po-001" and r[5] == "Омская область"
    )
    assert "Протокол заседания" in row[13] and "Письмо № 1, 26.03.2026" in row[13]


def test_the_reports_form_shows_what_is_attached_in_a_read_only_column(data_dir, attached):
    import openpyxl

    dataset = loader.load(data_dir)
    made = exports.reports_form(dataset, dataset.actions, "omsk", "2026-Q1", dt.date(2026, 4, 30), "ru")
    sheet = openpyxl.load_workbook(io.BytesIO(made)).active
    head = [c.value for c in sheet[3]]
    column = head.index("Приложенные файлы (только просмотр)")
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "po-001")
    assert row[column].value.splitlines() == [
        "Письмо № 1, 26.03.2026: Протокол заседания № 1",
        "Фотография № 1, 26.03.2026: Протокол заседания № 1",
    ]
    assert row[column].fill.fgColor.rgb == row[0].fill.fgColor.rgb  # shaded as the other given columns


def test_the_api_lists_the_files_of_the_filtered_actions_their_own_and_their_reports(web, data_dir, attached):
    attach.attach(data_dir, "po-001", "Программа.pdf", pdf(), {**META, "kind": "letter"}, OMSK)
    (own,) = attach.attached(data_dir, "po-001")
    signed_in(web, "pavl", "pavlodar")
    body = web.get("/api/v1/evidence", params={"q": "po-001"}).json()
    assert body["count"] == 3 and {r["of"] for r in body["evidence"]} == {"po-001", REPORT}
    assert all(r["url"] == f"/files/{r['file']}" for r in body["evidence"])
    one = web.get(f"/api/v1/evidence/{own.id}").json()
    assert one["of"] == "po-001" and one["name"] == "Программа.pdf"
    assert web.get("/api/v1/evidence", params={"q": "po-002"}).json()["count"] == 0
    assert web.get("/api/v1/evidence/no-such-file").status_code == 404


def test_a_visitor_of_the_evidence_list_learns_what_exists_and_gets_only_the_public_files(web, attached):
    found = {r["kind"]: r for r in web.get("/api/v1/evidence", params={"q": "po-001"}).json()["evidence"]}
    assert "url" not in found["letter"] and "title" not in found["letter"]
    assert found["photo"]["url"] == attached["photo"].url and "updated_by" not in found["photo"]
