"""Import preview: rows classified with reasons; broken files refused with a message."""

import csv
import io

import pytest

from coopplan import i18n
from coopplan.data import loader, standing
from coopplan.data.model import LANGS
from coopplan.editing import store
from coopplan.editing.auth import User
from coopplan.exchange import importer, spreadsheet
from tests.helpers import ADMIN, DATA, as_user, rendered

DATASET = loader.load(DATA)
IDS = [a.id for a in DATASET.actions]


def exported_rows():
    return spreadsheet.read_xlsx(spreadsheet.to_xlsx(DATASET.actions, DATASET, "ru"))


def test_an_unedited_export_is_all_unchanged():
    results = importer.preview(exported_rows(), DATASET)
    assert {r.kind for r in results} == {"unchanged"} and len(results) == len(DATASET.actions)


def test_new_changed_and_invalid_rows_with_reasons():
    rows = exported_rows()
    tags = list(DATASET.actions[0].tags)
    rows[0]["title_ru"] = "Новое название"
    rows[0]["tags"] = ", ".join([*tags, "forum-new"])
    rows[1]["status"] = "finished"
    rows[2]["id"] = "new-900"
    rows[3]["end"] = "2030"
    rows[4]["id"] = IDS[0]  # the same id twice
    results = importer.preview(rows, DATASET)
    # rows numbered as the sheet shows them: the table starts under its title lines
    first = spreadsheet.HEADER_ROW + 1
    kinds = {r.row - first + 2: (r.action_id, r.kind) for r in results}
    assert kinds[2] == (IDS[0], "changed") and kinds[4] == ("new-900", "new")
    assert kinds[3] == (IDS[1], "invalid") and kinds[5] == (IDS[3], "invalid") and kinds[6] == (IDS[0], "invalid")
    changed = results[0]
    assert [c.field for c in changed.changes] == ["title.ru", "tags"]
    assert changed.changes[1].after == [*tags, "forum-new"]
    reasons = {r.row - first + 2: [(p.kind, p.message) for p in r.reasons] for r in results}
    assert reasons[3] == [
        (
            "literal_error",
            "status: Input should be 'planned', 'in_progress', 'done', 'postponed' or 'cancelled', got 'finished'",
        )
    ]
    assert reasons[5] == [("outside_period", "end 2030 is outside the plan period 2026–2028")]
    # (and the fifth action's figures are not the first's)
    assert reasons[6][0] == ("duplicate_id", f"id {IDS[0]} is also on row {first}")
    assert all(r.action is None for r in results if r.kind == "invalid")


def test_csv_with_missing_required_cells():
    rows = spreadsheet.read_csv(spreadsheet.to_csv(DATASET.actions[:1]))
    rows[0]["title_kk"] = rows[0]["title_ru"] = rows[0]["title_en"] = ""
    rows[0]["id"] = "../../etc/passwd"
    result = importer.preview(rows, DATASET)[0]
    assert result.kind == "invalid"
    messages = [p.message for p in result.reasons]
    assert "required field 'title' is missing" in messages
    assert any(m.startswith("id: String should match pattern") for m in messages)


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"PK\x03\x04 not really", "plan.xlsx", "not an Excel workbook"),
        (b"%PDF-1.4", "plan.pdf", "upload an .xlsx or .csv"),
        (b"\xff\xfe\x00b\x00a\x00d", "plan.csv", "not UTF-8"),
        (b"name,value\nx,1\n", "plan.csv", "no «id» column"),
        (b"x" * (importer.MAX_UPLOAD_BYTES + 1), "plan.csv", "the limit is"),
    ],
)
def test_files_that_are_not_the_plan_are_refused(data, name, message):
    with pytest.raises(importer.UploadError, match=message) as caught:
        importer.read_rows(data, name)
    assert all(f"problem.{caught.value.kind}" in i18n.catalog(lang) for lang in LANGS)


def test_a_damaged_workbook_is_refused():
    good = spreadsheet.to_xlsx(DATASET.actions[:2], DATASET, "ru")
    damaged = good[: len(good) // 2]
    with pytest.raises(importer.UploadError) as caught:
        importer.read_rows(damaged, "plan.xlsx")
    assert i18n.problem("ru", caught.value.kind, str(caught.value)).startswith(
        "Сохраните файл заново как книгу Excel (.xlsx) — "
    )


def test_the_import_page_previews_an_upload(data_dir):
    first = next(a for a in DATASET.actions if a.title.ru)
    title = first.title.model_copy(update={"ru": f"Учреждение {first.title.ru}"})
    others = [a for a in DATASET.actions if a.id != first.id][:2]
    rows_file = spreadsheet.to_csv([first.model_copy(update={"title": title}), *others])
    at = as_user("import", ADMIN, {"lang": "ru"})
    at.file_uploader[0].upload("plan.csv", rows_file, "text/csv").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "1", "2", "0"]
    assert list(at.dataframe[0].value["Результат"]) == ["Изменено", "Без изменений", "Без изменений"]
    assert at.expander[0].label == f"Изменения мероприятия {first.id} (строка 2)"
    change = at.table[0].value
    assert list(change.index) == ["Наименование · RU"]
    assert change.iloc[0, 1].startswith("Учреждение ")
    # previewing writes nothing
    assert loader.load(data_dir).action(first.id).title.ru == first.title.ru


def test_the_import_page_says_what_is_wrong_with_a_file():
    at = as_user("import", ADMIN, {"lang": "en"})
    at.file_uploader[0].upload("plan.xlsx", b"not a zip", "application/octet-stream").run()
    assert not at.exception
    error = rendered(at.error[0].value)
    assert error.startswith("The file cannot be read: Save the file again as an Excel workbook (.xlsx) — ")
    assert "not an Excel workbook" in error


def test_a_row_whose_action_changed_after_loading_is_refused_not_overwritten(data_dir):
    admin = User("admin", "admin")
    dataset = loader.load(data_dir)
    rows = spreadsheet.read_csv(spreadsheet.to_csv(dataset.actions[:1]))
    rows[0]["title_en"] = "A working group"
    first = dataset.actions[0].id
    version, _ = store.read_version(data_dir, first)  # someone saves after the page loaded, before the preview
    store.save(data_dir, dataset.action(first).model_copy(update={"tags": ["meanwhile"]}), admin, version)
    results = importer.preview(rows, dataset)
    assert [r.kind for r in results] == ["changed"]
    saved, refused = importer.apply(results, [2], dataset, admin)
    assert saved == [] and [(r.row, r.kind) for r in refused] == [(2, "changed_since_preview")]
    assert loader.load(data_dir).action(first).tags == ["meanwhile"]


def test_a_row_that_sets_figures_the_reports_set_otherwise_is_invalid_with_what_to_do():
    rows = exported_rows()
    reported = next(
        n
        for n, a in enumerate(DATASET.actions)
        if a.status != "cancelled"
        and standing.standing(a, DATASET.reports_of(a.id)).progress not in (None, 90)
        and any(r.counts for r in DATASET.reports_of(a.id))
    )
    unreported = next(
        n for n, a in enumerate(DATASET.actions) if not DATASET.reports_of(a.id) and a.status != "cancelled"
    )
    rows[reported]["progress"] = 90  # its reports say otherwise
    rows[unreported]["status"] = "cancelled"  # no reports; a decision an editor may take
    results = importer.preview(rows, DATASET)
    assert (results[reported].kind, results[unreported].kind) == ("invalid", "changed")
    assert [p.kind for p in results[reported].reasons] == ["set_by_reports"]


def test_a_row_for_an_action_whose_file_does_not_load_is_invalid_not_new(data_dir):
    third = DATASET.actions[2].id
    (data_dir / "actions" / f"{third}.yaml").write_text(f"id: {third}\nstatus: [broken\n", encoding="utf-8")
    dataset = loader.load(data_dir)
    rows = spreadsheet.read_csv(spreadsheet.to_csv(DATASET.actions[2:3]))
    [result] = importer.preview(rows, dataset)
    assert result.kind == "invalid" and [p.kind for p in result.reasons] == ["file_has_problems"]


def test_more_than_fifty_invalid_rows_are_counted_not_dropped(data_dir):
    planned = [dict(r, status="finished") for r in spreadsheet.read_csv(spreadsheet.to_csv(DATASET.actions))]
    planned = [r for r, a in zip(planned, DATASET.actions, strict=True) if a.status == "planned"]
    copies = [dict(r, id=f"{r['id']}-copy{n}") for n in range(1 + 50 // len(planned)) for r in planned]
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=spreadsheet.COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows([*planned, *copies])
    text = out.getvalue()
    at = as_user("import", ADMIN, {"lang": "ru"})
    at.file_uploader[0].upload("plan.csv", text.encode("utf-8-sig"), "text/csv").run()
    invalid = int(at.metric[3].value)
    assert invalid > 50
    assert rendered(at.warning[0].value).endswith(f"- … и ещё {i18n.number(invalid - 50, 'ru')} строк")
