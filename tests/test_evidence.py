"""Evidence files: kept once by content through the store, with history and undo;
hostile uploads refused with nothing stored; validate's problems; the annex."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
import zipfile

import pytest
from PIL import Image

from coopplan.data import evidence, loader
from coopplan.data.workbooks import UploadError
from coopplan.editing import auth, history, store, undoing
from coopplan.editing import evidence as attach
from coopplan.editing.auth import User
from tests.helpers import DATA, without_evidence_or_closes

OMSK = User("omsk1", "omsk")
ADMIN = User("admin", "admin")
PAVLODAR = User("pavl", "pavlodar")
VIEWER = User("watcher", "viewer")
REPORT = "2026-Q1/po-001-omsk"  # a shipped report of the Omsk side
META = {"kind": "protocol", "title": {"ru": "Протокол заседания № 1"}, "number": "1", "date": "2026-03-26"}


@pytest.fixture
def data_dir(data_dir):
    return without_evidence_or_closes(data_dir)


def pdf(size: int | None = None, text: bytes = b"scanned letter") -> bytes:
    """A small PDF, padded with a comment to ``size`` bytes when given."""
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n% " + text + b"\n", b"\ntrailer<<>>\n%%EOF\n"
    if size is None:
        return head + tail
    return head + b"%" * (size - len(head) - len(tail)) + tail


def jpeg_with_location() -> bytes:
    """A photo whose EXIF says where it was taken (GPS latitude)."""
    image = Image.new("RGB", (64, 48), "#3a7")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # make
    exif.get_ifd(0x8825)[2] = (52.0, 17.0, 0.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def stored(data_dir) -> tuple[list, list, int]:
    """(files kept, records, history lines) of the data folder."""
    files = sorted(p.name for p in (data_dir / "files").glob("*")) if (data_dir / "files").exists() else []
    records = sorted(p.name for p in (data_dir / "evidence").glob("*.yaml")) if (data_dir / "evidence").exists() else []
    return files, records, len(history.read(data_dir)[0])


def test_a_file_is_kept_once_by_its_content_with_a_small_record_for_each_report(data_dir):
    data = pdf()
    attach.attach(data_dir, REPORT, "Протокол № 1.pdf", data, META, OMSK)
    attach.attach(data_dir, "2026-Q2/po-001-omsk", "protokol.pdf", data, META, OMSK)
    files, records, _ = stored(data_dir)
    sha = evidence.file_path(data_dir, hashlib.sha256(data).hexdigest())
    assert files == [sha.name] and sha.read_bytes() == data
    assert len(records) == 2
    dataset = loader.load(data_dir)
    assert not dataset.problems
    first = next(r for r in dataset.evidence if r.of == REPORT)
    assert (first.kind, first.number, str(first.date), first.name, first.media) == (
        "protocol",
        "1",
        "2026-03-26",
        "Протокол № 1.pdf",
        "pdf",
    )
    assert first.updated_by == "omsk1" and first.url == f"/files/{sha.name}"
    entry = history.read(data_dir)[0][-1]
    assert entry.path == f"evidence/{records[0]}" or entry.path == f"evidence/{records[1]}"
    assert entry.kind is evidence.Attachment


def test_the_same_file_twice_on_one_report_is_refused(data_dir):
    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    with pytest.raises(store.StoreError) as refused:
        attach.attach(data_dir, REPORT, "b.pdf", pdf(), META, OMSK)
    assert refused.value.kind == "evidence_duplicate"


def zip_bomb() -> bytes:
    """A Word document's parts, one of them unpacking from a few hundred kilobytes to 200 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(200):
                part.write(zeros)
    return out.getvalue()


HOSTILE = {
    "a PDF that is HTML": ("report.pdf", b"<html><script>alert(1)</script></html>", "evidence_not_accepted"),
    "an SVG renamed .png": (
        "photo.png",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "evidence_not_accepted",
    ),
    "a zip bomb named .docx": ("letter.docx", None, "evidence_damaged"),
    "a path in the file name": ("../../history.jsonl.pdf", pdf(), "evidence_path_name"),
    "a Windows path in the file name": ("C:\\Users\\scan.pdf", pdf(), "evidence_path_name"),
    "one byte over the limit": ("big.pdf", None, "evidence_too_large"),
    "an empty file": ("empty.pdf", b"", "evidence_empty"),
    "a PDF cut short": ("cut.pdf", b"%PDF-1.4\n1 0 obj<<>>", "evidence_damaged"),
    "a damaged photo": ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, "evidence_damaged"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_with_a_clear_message_and_nothing_is_stored(data_dir, case):
    name, data, kind = HOSTILE[case]
    if case == "a zip bomb named .docx":
        data = zip_bomb()
    if case == "one byte over the limit":
        data = pdf(evidence.MAX_BYTES + 1)
    before = stored(data_dir)
    with pytest.raises(UploadError) as refused:
        attach.attach(data_dir, REPORT, name, data, META, OMSK)
    assert refused.value.kind == kind
    from coopplan import i18n

    for lang in ("kk", "ru", "en"):  # advice in each language, before the exact rule
        assert i18n.catalog(lang)[f"problem.{kind}"] in i18n.problem(lang, kind, str(refused.value))
    assert stored(data_dir) == before


def test_ten_thousand_tiny_files_in_one_request_are_refused_before_any_is_read(data_dir, monkeypatch):
    read = []
    monkeypatch.setattr(attach.evidence_check, "check", lambda *a, **k: read.append(a))
    files = [(f"{n}.pdf", b"%") for n in range(10_000)]
    with pytest.raises(UploadError) as refused:
        attach.attach_many(data_dir, REPORT, files, META, OMSK)
    assert refused.value.kind == "evidence_too_many" and "10,000 files" in str(refused.value)
    assert read == [] and stored(data_dir)[:2] == ([], [])


def test_the_eleventh_file_on_a_report_is_refused(data_dir):
    attach.attach_many(data_dir, REPORT, [(f"{n}.pdf", pdf(text=b"%d" % n)) for n in range(10)], META, OMSK)
    with pytest.raises(UploadError) as refused:
        attach.attach(data_dir, REPORT, "more.pdf", pdf(text=b"eleventh"), META, OMSK)
    assert refused.value.kind == "evidence_too_many"
    assert len(stored(data_dir)[1]) == 10


def test_a_file_of_exactly_the_limit_is_accepted(data_dir):
    attach.attach(data_dir, REPORT, "scan.pdf", pdf(evidence.MAX_BYTES), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    assert record.size == evidence.MAX_BYTES == 10 * 1024 * 1024


def test_a_photos_location_is_removed_unless_the_uploader_keeps_it(data_dir):
    photo = jpeg_with_location()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)
    attach.attach(data_dir, REPORT, "event.jpg", photo, {**META, "kind": "photo"}, OMSK)
    (record,) = loader.load(data_dir).evidence
    kept = evidence.file_path(data_dir, record.file).read_bytes()
    assert kept != photo and not Image.open(io.BytesIO(kept)).getexif()
    attach.attach(
        data_dir, "2026-Q2/po-001-omsk", "event.jpg", photo, {**META, "kind": "photo"}, OMSK, keep_metadata=True
    )
    kept = [r for r in loader.load(data_dir).evidence if r.of == "2026-Q2/po-001-omsk"][0]
    assert evidence.file_path(data_dir, kept.file).read_bytes() == photo


def test_word_and_excel_files_pass_the_imports_bounded_reader_and_are_recognised_by_content(data_dir):
    import docx
    import openpyxl

    document = docx.Document()
    document.add_paragraph("Письмо № 17")
    word = io.BytesIO()
    document.save(word)
    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    attach.attach(data_dir, REPORT, "letter.pdf", word.getvalue(), META, OMSK)  # named .pdf: the content decides
    attach.attach(data_dir, REPORT, "table.xlsx", book.getvalue(), META, OMSK)
    kinds = sorted((r.media, r.name) for r in loader.load(data_dir).evidence)
    assert kinds == [("docx", "letter.docx"), ("xlsx", "table.xlsx")]


@pytest.mark.parametrize("user", [PAVLODAR, VIEWER, None], ids=["other side's editor", "viewer", "no one"])
def test_only_the_sides_editors_and_administrators_attach(data_dir, user):
    with pytest.raises(store.StoreError) as refused:
        attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, user)
    assert refused.value.kind in ("evidence_not_your_side", "sign_in")
    assert stored(data_dir)[:2] == ([], [])
    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, User("admin", "admin"))
    assert auth.can_attach(OMSK, "omsk") and not auth.can_attach(PAVLODAR, "omsk")


def test_the_other_sides_editor_can_neither_remove_nor_replace_nor_retitle(data_dir):
    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    for operation in (
        lambda: attach.remove(data_dir, record.id, PAVLODAR),
        lambda: attach.replace(data_dir, record.id, "b.pdf", pdf(text=b"other"), PAVLODAR),
        lambda: attach.update(data_dir, record.id, {"public": True}, PAVLODAR),
    ):
        with pytest.raises(store.Forbidden):
            operation()
    assert loader.load(data_dir).evidence == [record]


def test_attaching_removing_and_replacing_are_each_undone(data_dir):
    first = attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    undoing.undo(data_dir, first.entry, OMSK)
    assert loader.load(data_dir).evidence == [] and not loader.load(data_dir).problems
    assert not evidence.file_path(data_dir, record.file).exists()  # kept aside for undo, out of validation's way
    redone = attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    removed = attach.remove(data_dir, record.id, OMSK)
    undoing.undo(data_dir, removed.entry, OMSK)
    (back,) = loader.load(data_dir).evidence
    assert back.file == record.file and evidence.file_path(data_dir, record.file).read_bytes() == pdf()
    replaced = attach.replace(data_dir, record.id, "b.pdf", pdf(text=b"second scan"), OMSK)
    assert loader.load(data_dir).evidence[0].file != record.file
    undoing.undo(data_dir, replaced.entry, OMSK)
    assert loader.load(data_dir).evidence[0].file == record.file and not loader.load(data_dir).problems
    assert auth.can_undo(OMSK, redone.entry) and not auth.can_undo(PAVLODAR, redone.entry)


def test_an_undo_after_a_later_change_is_refused(data_dir):
    first = attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    attach.update(data_dir, record.id, {"number": "2"}, OMSK)
    with pytest.raises(store.StoreError) as refused:
        undoing.undo(data_dir, first.entry, OMSK)
    assert refused.value.kind == "undo_blocked"


def validate(data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coopplan", "validate", str(data_dir)], capture_output=True, text=True, timeout=120
    )


def test_validate_names_a_record_without_its_file_and_a_file_without_a_record(data_dir):
    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    evidence.file_path(data_dir, record.file).rename(data_dir / "files" / ("0" * 64))
    result = validate(data_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    text = (data_dir / "evidence" / f"{record.id}.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(text, 1) if t.startswith("file:"))
    assert any(f"evidence/{record.id}.yaml:{line}: names files/{record.file}, which is not there" in x for x in lines)
    assert any(f"files/{'0' * 64}:1: no record in evidence/ names this file" in x for x in lines)
    kinds = {p.kind for p in loader.load(data_dir).problems}
    assert {"evidence_no_file", "evidence_orphan"} <= kinds


def test_validate_names_a_record_of_no_report_and_a_file_that_is_no_evidence(data_dir):
    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    path = data_dir / "evidence" / f"{record.id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2026-Q1/po-001-omsk", "2026-Q1/po-099-omsk"), "utf-8")
    (data_dir / "files" / "notes.txt").write_text("x")
    kinds = {p.kind for p in loader.check(data_dir)[1]}
    assert {"evidence_no_target", "evidence_stray"} <= kinds


def test_the_shipped_schema_checks_an_attachment_record(data_dir):
    import json

    import jsonschema

    from coopplan.data import schema, yamlio

    attach.attach(data_dir, REPORT, "a.pdf", pdf(), META, OMSK)
    (path,) = (data_dir / "evidence").glob("*.yaml")
    document = json.loads((schema.FOLDER / "evidence.schema.json").read_text(encoding="utf-8"))
    record = json.loads(json.dumps(yamlio.loads(path.read_bytes()), default=str))
    jsonschema.validate(record, document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**record, "name": "../x.pdf"}, document)


def test_the_shipped_evidence_is_what_the_project_generates_and_is_marked_illustrative():
    from coopplan.data import yamlio
    from coopplan.exchange import illustrative_evidence

    shipped = loader.load(DATA)
    assert not shipped.problems and len(shipped.evidence) == len(illustrative_evidence.ATTACHED)
    assert all(r.illustrative and r.updated_by == "illustrative-draft" for r in shipped.evidence)
    for record, data in illustrative_evidence.records():
        assert evidence.file_path(DATA, record["file"]).read_bytes() == data
        assert yamlio.loads(evidence.record_path(DATA, record["id"]).read_bytes()) == yamlio.loads(
            yamlio.dumps(record).encode()
        )
    files = {r.file for r in shipped.evidence}
    assert len(files) < len(shipped.evidence)  # a protocol both sides cite is kept once


def test_a_report_of_a_closed_quarter_takes_no_file_but_through_an_administrators_exception(tmp_path):
    """Its side's close holds a report's files as it holds its text (``editing.admission``)."""
    from coopplan.editing import quarter_store

    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)  # the shipped closes kept: omsk closed 2026-Q1
    with pytest.raises(store.Forbidden) as refused:
        attach.attach(data_dir, REPORT, "letter.pdf", pdf(), META, OMSK)
    assert refused.value.kind == "quarter_closed"
    until = dt.date.today() + dt.timedelta(days=7)
    quarter_store.reopen(data_dir, "2026-Q1", "po-001", "omsk", until, "the protocol was forgotten", ADMIN)
    assert attach.attach(data_dir, REPORT, "letter.pdf", pdf(), META, OMSK).entry is not None


def test_a_report_with_files_attached_is_not_deleted_until_its_files_are_removed(data_dir):
    attach.attach(data_dir, REPORT, "letter.pdf", pdf(), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    version = store.read_report_version(data_dir, REPORT)[0]
    with pytest.raises(store.StoreError) as refused:
        store.delete_report(
            data_dir, REPORT, ADMIN, version
        )  # an accepted report: its coordinator's or an administrator's
    assert refused.value.kind == "report_has_evidence"
    assert store.read_report_version(data_dir, REPORT)[0] == version  # nothing changed
    attach.remove(data_dir, record.id, OMSK)
    store.delete_report(data_dir, REPORT, ADMIN, version)
    assert store.read_report_version(data_dir, REPORT)[0] == store.ABSENT
    assert not loader.load(data_dir).problems
