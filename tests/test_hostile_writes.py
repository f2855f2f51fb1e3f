"""What the store writes, the loader reads: one rule for both (size, nesting, ids in any
letter case), ids proposed only as the id rule takes them, and import cells nested
past the data files' limit reported as row problems (issue 17, items 2–5)."""

from __future__ import annotations

import csv
import io

import pytest

from coopplan import i18n
from coopplan.cli import main as cli_main
from coopplan.data import loader, model, yamlio
from coopplan.editing import history, store
from coopplan.exchange import importer, spreadsheet
from tests.helpers import ADMIN, as_user, folder_state, submit, valid_report, write_action

LONGEST_ID = "po-" + "9" * 61  # 64 characters: the longest id the rule takes


def exported_rows(data_dir, ids: list[str]) -> list[dict]:
    dataset = loader.load(data_dir)
    return spreadsheet.read_csv(spreadsheet.to_csv([dataset.action(i) for i in ids]))


def imported(data_dir, rows: list[dict]):
    """``rows`` previewed and every applicable one applied by an administrator: (results, saved, refused)."""
    dataset = loader.load(data_dir)
    results = importer.preview(rows, dataset)
    saved, refused = importer.apply(results, [r.row for r in results if r.kind in ("new", "changed")], dataset, ADMIN)
    return results, saved, refused


# ---- item 2: next_id -----------------------------------------------------------------------------------


def test_after_an_import_of_the_longest_id_the_next_id_is_one_the_rule_takes(data_dir):
    [row] = exported_rows(data_dir, ["po-001"])
    _, saved, _ = imported(data_dir, [dict(row, id=LONGEST_ID)])
    assert saved == [LONGEST_ID]
    proposed = store.next_id(data_dir, [a.id for a in loader.load(data_dir).actions])
    assert model.Action.model_validate({**loader.load(data_dir).action("po-001").to_yaml_dict(), "id": proposed})
    assert proposed == "po-046"  # the plan's own numbering goes on
    # deleted, it stays in the history, which next_id counts too
    store.delete(data_dir, LONGEST_ID, ADMIN, store.read_version(data_dir, LONGEST_ID)[0])
    assert LONGEST_ID in history.used_ids(data_dir)
    assert store.next_id(data_dir, [a.id for a in loader.load(data_dir).actions]) == "po-046"


def test_new_action_and_duplicate_still_work_after_the_longest_id_was_imported_and_deleted(data_dir):
    [row] = exported_rows(data_dir, ["po-001"])
    imported(data_dir, [dict(row, id=LONGEST_ID)])
    store.delete(data_dir, LONGEST_ID, ADMIN, store.read_version(data_dir, LONGEST_ID)[0])
    at = as_user("edit", ADMIN, {"lang": "en", "id": "po-013"})
    at.segmented_control(key="edit_mode").set_value("duplicate").run()
    assert "The new action's id: po-046" in at.info[0].value
    submit(at)
    assert not at.exception and at.success[0].value == "Saved: po-046."
    assert loader.load(data_dir).action("po-046").title == loader.load(data_dir).action("po-013").title


@pytest.mark.parametrize(
    "existing, expected",
    [
        (["po-001", LONGEST_ID], "po-002"),
        (["a" * 63 + "9"], "po-001"),  # the one prefix has no room for a larger number
        (["po-001", "PO-002"], "po-003"),  # taken in any letter case
        ([], "po-001"),
    ],
    ids=["longest-number", "prefix-without-room", "other-case", "empty"],
)
def test_next_id_proposes_only_ids_the_rule_takes_whatever_is_there(tmp_path, existing, expected):
    proposed = store.next_id(tmp_path, existing)
    assert proposed.casefold() == expected and len(proposed) <= 64


# ---- item 3: what the store writes, the loader reads ---------------------------------------------------

HUGE_BODIES = {"pavlodar": [f"{n:02d} " + "Управление" * 497 for n in range(30)], "omsk": []}
HUGE_BODIES["omsk"] = [f"{n:02d} " + "Министерство" * 414 for n in range(30)]


def with_huge_bodies(action: model.Action, **changes) -> model.Action:
    return model.Action.model_validate({**action.to_yaml_dict(), "responsible": HUGE_BODIES, **changes})


def test_an_action_whose_file_the_loader_would_refuse_is_not_written(data_dir):
    action = with_huge_bodies(loader.load(data_dir).action("po-001"))
    assert len(yamlio.dumps(action.to_yaml_dict()).encode()) > yamlio.MAX_FILE_BYTES  # each body within its 5,000
    before = folder_state(data_dir)
    with pytest.raises(store.Invalid) as refused:
        store.save(data_dir, action, ADMIN, store.read_version(data_dir, "po-001")[0])
    [problem] = refused.value.problems
    assert problem.kind == "write_too_large" and "the file would not load again" in problem.message
    assert i18n.problem("kk", problem.kind, problem.message).startswith("Ұзын мәтіндер мен тізімдерді")
    assert folder_state(data_dir) == before
    assert not loader.load(data_dir).problems and loader.load(data_dir).action("po-001")


def test_an_import_row_the_loader_would_refuse_is_refused_with_its_reason(data_dir):
    [row] = exported_rows(data_dir, ["po-001"])
    huge = dict(row, bodies_pavlodar="\n".join(HUGE_BODIES["pavlodar"]), bodies_omsk="\n".join(HUGE_BODIES["omsk"]))
    before = folder_state(data_dir)
    results, saved, refused = imported(data_dir, [huge])
    assert [r.kind for r in results] == ["changed"] and saved == []
    assert [r.kind for r in refused] == ["write_too_large"]
    assert folder_state(data_dir) == before


def test_a_duplicate_the_loader_would_refuse_is_not_written(data_dir):
    copy = with_huge_bodies(loader.load(data_dir).action("po-001"), id="po-900")
    with pytest.raises(store.Invalid):
        store.save(data_dir, copy, ADMIN, store.ABSENT)
    assert not store.action_path(data_dir, "po-900").exists()


def test_a_report_the_loader_would_refuse_is_not_written(data_dir):
    write_action(data_dir, {**loader.load(data_dir).action("po-011").to_yaml_dict()})
    evidence = [f"{n:03d} Письмо № {n} " + "о ходе работ " * 37 for n in range(600)]
    report = model.Report.model_validate(valid_report("po-011", "omsk", "2026-Q3", evidence=evidence))
    before = folder_state(data_dir)
    with pytest.raises(store.Invalid) as refused:
        store.save_report(data_dir, report, ADMIN, store.read_report_version(data_dir, report.key)[0])
    assert [p.kind for p in refused.value.problems] == ["write_too_large"]
    assert folder_state(data_dir) == before


def test_undo_writes_nothing_the_loader_would_refuse(data_dir):
    # an edit recorded when the file was readable, undone over a limit that has since shrunk
    saved = store.save(
        data_dir,
        loader.load(data_dir).action("po-001").model_copy(update={"tags": ["checked"]}),
        ADMIN,
        store.read_version(data_dir, "po-001")[0],
    )
    before = folder_state(data_dir)
    limit = yamlio.MAX_FILE_BYTES
    try:
        yamlio.MAX_FILE_BYTES = 200
        with pytest.raises(store.Invalid) as refused:
            store.undo(data_dir, saved.entry, ADMIN)
    finally:
        yamlio.MAX_FILE_BYTES = limit
    assert [p.kind for p in refused.value.problems] == ["write_too_large"]
    assert folder_state(data_dir) == before


def test_the_loader_and_the_store_read_one_size_limit_a_file():
    assert loader.size_limit("data/actions/po-001.yaml") == yamlio.MAX_FILE_BYTES
    assert loader.size_limit("data/baselines/001.yaml") == loader.MAX_BASELINE_BYTES
    assert loader.size_limit("data/memorandum.yaml") == loader.MAX_MEMORANDUM_BYTES


# ---- item 4: ids one whatever their letter case ----------------------------------------------------------


def test_the_store_refuses_an_id_that_differs_from_anothers_only_in_case(data_dir):
    copy = loader.load(data_dir).action("po-001").model_copy(update={"id": "PO-001"})
    before = folder_state(data_dir)
    with pytest.raises(store.StoreError) as refused:
        store.save(data_dir, copy, ADMIN, store.ABSENT)
    assert refused.value.kind == "id_case_clash" and "po-001" in refused.value.message
    assert folder_state(data_dir) == before


def test_an_import_row_whose_id_differs_only_in_case_is_a_row_problem(data_dir):
    [first, second] = exported_rows(data_dir, ["po-001", "po-002"])
    rows = [dict(first, id="PO-001"), dict(second, id="po-900"), dict(second, id="PO-900")]
    before = folder_state(data_dir)
    results, saved, _ = imported(data_dir, rows)
    assert [(r.action_id, r.kind) for r in results] == [("PO-001", "invalid"), ("po-900", "new"), ("PO-900", "invalid")]
    assert [p.kind for r in results for p in r.reasons] == ["id_case_clash", "id_case_clash"]
    assert saved == ["po-900"]
    assert set(folder_state(data_dir)) - set(before) == {"actions/po-900.yaml"}


def test_validate_names_ids_that_differ_only_in_case_with_advice_in_three_languages(data_dir, capsys):
    write_action(data_dir, {**loader.load(data_dir).action("po-001").to_yaml_dict(), "id": "PO-001"})
    [problem] = loader.load(data_dir).problems
    assert problem.kind == "id_case_clash" and "only in letter case" in problem.message
    for lang in model.LANGS:
        assert f"problem.{problem.kind}" in i18n.catalog(lang)
    assert cli_main(["validate", str(data_dir)]) == 1
    assert "only in letter case" in capsys.readouterr().out


# ---- item 5: nested import cells ---------------------------------------------------------------------------


def test_an_indicators_cell_nested_5000_deep_is_a_row_problem_not_a_crash(data_dir):
    [row] = exported_rows(data_dir, ["po-001"])
    [result] = importer.preview([dict(row, indicators="[" * 5000)], loader.load(data_dir))
    assert result.kind == "invalid" and [p.kind for p in result.reasons] == ["too_deep"]
    assert "nested more than 32 levels deep" in result.reasons[0].message
    nested = "[" * 20 + '{"name": {"ru": "[[[["}, "target": 1}' + "]" * 20  # brackets in a string do not count
    [result] = importer.preview([dict(row, indicators=nested)], loader.load(data_dir))
    assert "too_deep" not in [p.kind for p in result.reasons]


def test_the_import_page_previews_a_deeply_nested_cell_as_an_invalid_row(data_dir):
    [row] = exported_rows(data_dir, ["po-001"])
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=spreadsheet.COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(dict(row, indicators="[" * 5000))
    at = as_user("import", ADMIN, {"lang": "ru"})
    at.file_uploader[0].upload("plan.csv", out.getvalue().encode("utf-8-sig"), "text/csv").run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["0", "0", "0", "1"]
    assert i18n.t("ru", "problem.too_deep") in at.warning[0].value
