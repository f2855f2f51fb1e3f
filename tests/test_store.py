"""The store: atomic saves, conflicts, permissions, history and undo, threads (faults and crashes: test_faults.py)."""

import datetime as dt
import threading
from itertools import pairwise

import pytest

from coopplan.data import loader, periods, yamlio
from coopplan.data.model import Report
from coopplan.editing import history, store
from coopplan.editing.auth import User
from coopplan.exchange import importer, spreadsheet
from tests.helpers import ADMIN, begin_now, valid_report

PAVLODAR = User("pavl", "pavlodar")
OMSK = User("omsk1", "omsk")


def current(data_dir, action_id):
    return store.read_version(data_dir, action_id)


def edited(data_dir, action_id, **changes):
    return loader.load(data_dir).action(action_id).model_copy(update=changes)


def test_a_save_writes_only_that_file_with_a_one_line_diff(data_dir):
    path = store.action_path(data_dir, "po-006")
    before = path.read_text(encoding="utf-8").splitlines()
    others = {p: p.read_bytes() for p in (data_dir / "actions").glob("*.yaml") if p != path}
    version, _ = current(data_dir, "po-006")
    store.save(data_dir, edited(data_dir, "po-006", progress=60), ADMIN, version)
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [c[1] for c in changed if not c[1].startswith("updated")] == ["progress: 60"]
    assert after[-1] == "updated_by: admin"
    assert {p: p.read_bytes() for p in others} == others
    assert not [p for p in (data_dir / "actions").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_the_second_of_two_editors_gets_a_conflict_not_a_silent_overwrite(data_dir):
    opened, _ = current(data_dir, "po-039")
    store.save(data_dir, edited(data_dir, "po-039", progress=40), PAVLODAR, opened)
    with pytest.raises(store.Conflict) as caught:
        store.save(data_dir, edited(data_dir, "po-039", status="done"), OMSK, opened)
    assert caught.value.current["progress"] == 40
    assert [
        c.field for c in history.diff(loader.load(data_dir).action("po-039").to_yaml_dict(), caught.value.current)
    ] == []
    # applying one's own edit on top, knowingly:
    store.save(data_dir, edited(data_dir, "po-039", status="done"), OMSK, caught.value.current_version)
    action = loader.load(data_dir).action("po-039")
    assert (action.progress, action.status, action.updated_by) == (40, "done", "omsk1")


@pytest.mark.parametrize(
    "user, action_id, change",
    [
        (None, "po-006", {"progress": 1}),  # a viewer
        (OMSK, "po-006", {"progress": 1}),  # Omsk editor, Pavlodar-led action
        (PAVLODAR, "po-004", {"progress": 1}),  # Pavlodar editor, Omsk-led action
        (OMSK, "po-006", {"lead": "omsk"}),  # taking over the other side's action
        (OMSK, "po-001", {"lead": "pavlodar"}),  # giving a joint action to the other side
    ],
)
def test_editors_cannot_write_outside_their_side(data_dir, user, action_id, change):
    version, _ = current(data_dir, action_id)
    before = store.action_path(data_dir, action_id).read_bytes()
    with pytest.raises(store.Forbidden):
        store.save(data_dir, edited(data_dir, action_id, **change), user, version)
    if "lead" not in change:
        with pytest.raises(store.Forbidden):
            store.delete(data_dir, action_id, user, version)
    assert store.action_path(data_dir, action_id).read_bytes() == before
    assert history.read(data_dir)[0] == []


@pytest.mark.parametrize("user", [None, OMSK], ids=["viewer", "omsk-editor"])
def test_no_other_path_writes_a_pavlodar_action_for_them_either(data_dir, user):
    version, _ = current(data_dir, "po-006")
    store.save(data_dir, edited(data_dir, "po-006", progress=61), PAVLODAR, version)  # a change to undo
    entry = history.read(data_dir)[0][0]
    files = {p: p.read_bytes() for p in (data_dir / "actions").iterdir()}
    log = (data_dir / history.FILE).read_bytes()

    with pytest.raises(store.Forbidden):
        store.undo(data_dir, entry, user)
    with pytest.raises(store.Forbidden):  # a new action led by Pavlodar
        store.save(data_dir, edited(data_dir, "po-006", id="po-900"), user, store.ABSENT)
    dataset = loader.load(data_dir)
    rows = spreadsheet.read_csv(spreadsheet.to_csv([dataset.action("po-006")]))
    rows[0]["progress"] = "70"
    saved, refused = importer.apply(importer.preview(rows, dataset), [2], dataset, user)
    assert saved == [] and [r.kind for r in refused] == ["sign_in" if user is None else "not_your_side"]

    assert {p: p.read_bytes() for p in (data_dir / "actions").iterdir()} == files
    assert (data_dir / history.FILE).read_bytes() == log


def test_invalid_actions_are_refused_by_the_loaders_rules(data_dir):
    version, _ = current(data_dir, "po-006")
    bad = edited(data_dir, "po-006").model_copy(update={"end": "2030"})  # model_copy skips validation
    with pytest.raises(store.Invalid) as caught:
        store.save(data_dir, bad, ADMIN, version)
    assert caught.value.problems[0].message == "end 2030 is outside the plan period 2026–2028"


def test_add_delete_and_ids_never_reused(data_dir):
    ids = [a.id for a in loader.load(data_dir).actions]
    fresh = store.next_id(data_dir, ids)
    assert fresh == "po-046"
    new = edited(data_dir, "po-006").model_copy(update={"id": fresh})
    saved = store.save(data_dir, new, PAVLODAR, store.ABSENT)
    assert saved.entry.op == "add" and loader.load(data_dir).action(fresh) is not None
    store.delete(data_dir, fresh, PAVLODAR, saved.version)
    assert loader.load(data_dir).action(fresh) is None
    assert store.next_id(data_dir, [a.id for a in loader.load(data_dir).actions]) == "po-047"
    with pytest.raises(store.StoreError, match="never reused"):
        store.save(data_dir, new, PAVLODAR, store.ABSENT)


def test_history_records_who_when_before_after_and_undo_restores(data_dir):
    version, before = current(data_dir, "po-009")
    store.save(data_dir, edited(data_dir, "po-009", status="cancelled"), ADMIN, version)
    deleted = store.delete(data_dir, "po-009", ADMIN, current(data_dir, "po-009")[0])
    entries, notices = history.read(data_dir)
    assert notices == [] and [e.op for e in entries] == ["edit", "delete"]
    assert entries[0].before["status"] == "planned" and entries[0].after["status"] == "cancelled"
    assert entries[0].user == "admin" and entries[0].at.tzinfo is not None
    store.undo(data_dir, deleted.entry, ADMIN)  # restore the deleted action
    assert loader.load(data_dir).action("po-009").status == "cancelled"
    store.save(data_dir, edited(data_dir, "po-009", progress=10), ADMIN, current(data_dir, "po-009")[0])
    with pytest.raises(store.StoreError, match="undo the later changes first"):
        store.undo(data_dir, entries[0], ADMIN)
    store.undo(data_dir, history.read(data_dir)[0][-1], ADMIN)  # undo the progress change
    store.undo(data_dir, entries[0], ADMIN)  # now the first edit can be undone
    assert loader.load(data_dir).action("po-009").status == "planned"
    assert [e.op for e in history.read(data_dir)[0]] == ["edit", "delete", "undo", "edit", "undo", "undo"]


def test_a_torn_last_history_line_is_skipped_with_a_notice(data_dir):
    version, _ = current(data_dir, "po-006")
    store.save(data_dir, edited(data_dir, "po-006", progress=1), ADMIN, version)
    with open(data_dir / history.FILE, "ab") as log:
        log.write(b'{"id": "x", "at": "2026-')
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and str(notices[0]).endswith(":2: last line cut short (an interrupted write); skipped")


def test_many_threads_lose_no_change_and_report_every_conflict(data_dir):
    """Each thread edits its own action (never blocked) and all race on a shared one."""
    own = ["po-003", "po-006", "po-009", "po-010", "po-013", "po-017", "po-021", "po-023"]
    shared = "po-045"
    outcomes = {"own": 0, "shared_saved": 0, "conflicts": 0, "recorded": 0}
    lock = threading.Lock()

    def work(number, action_id):
        for round_ in range(5):
            version, _ = current(data_dir, action_id)
            saved = store.save(data_dir, edited(data_dir, action_id, progress=number * 10 + round_), ADMIN, version)
            with lock:
                outcomes["own"] += 1
                outcomes["recorded"] += saved.changed  # a save to the value already there records nothing
            version, _ = current(data_dir, shared)
            try:
                saved = store.save(data_dir, edited(data_dir, shared, progress=number * 10 + round_), ADMIN, version)
                with lock:
                    outcomes["shared_saved"] += 1
                    outcomes["recorded"] += saved.changed
            except store.Conflict:
                with lock:
                    outcomes["conflicts"] += 1

    threads = [threading.Thread(target=work, args=(n, action_id)) for n, action_id in enumerate(own)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries, notices = history.read(data_dir)
    assert notices == []
    assert outcomes["own"] == 40
    assert outcomes["shared_saved"] + outcomes["conflicts"] == 40 and outcomes["shared_saved"] >= 1
    assert len(entries) == outcomes["recorded"] >= outcomes["own"] - 1
    dataset = loader.load(data_dir)
    for number, action_id in enumerate(own):
        assert dataset.action(action_id).progress == number * 10 + 4  # each thread's last save is on disk
    # the shared action holds the last accepted save, and history chains without gaps
    chain = [e for e in entries if e.action == shared]
    for earlier, later in pairwise(chain):
        assert earlier.after == later.before
    assert chain[-1].after == yamlio.loads(store.action_path(data_dir, shared).read_bytes())


def test_a_history_line_of_the_wrong_shape_is_skipped_not_shown(data_dir):
    version, _ = current(data_dir, "po-006")
    store.save(data_dir, edited(data_dir, "po-006", progress=1), ADMIN, version)
    with open(data_dir / history.FILE, "a", encoding="utf-8") as log:
        log.write(
            '{"id": "x", "at": "2026-11-25T10:00:00+00:00", "user": "u", "action": "po-006", "op": "edit", "before": [1]}\n'
        )
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and [(p.line, p.kind) for p in notices] == [(2, "history_line")]


def test_a_save_on_top_of_a_change_made_after_loading_is_a_conflict(data_dir):
    loaded = loader.load(data_dir).action("po-006")
    version, _ = current(data_dir, "po-006")
    store.save(
        data_dir, loaded.model_copy(update={"progress": 7}), OMSK if loaded.lead != "pavlodar" else PAVLODAR, version
    )
    with pytest.raises(store.Conflict):  # e.g. a bulk update built on what the page loaded
        store.save(
            data_dir, loaded.model_copy(update={"status": "done"}), ADMIN, store.version_as_loaded(data_dir, loaded)
        )
    assert loader.load(data_dir).action("po-006").progress == 7


def test_a_bulk_update_saves_each_action_with_its_own_history_entry(data_dir):
    saved, refused = store.bulk_update(loader.load(data_dir), ["po-003", "po-006"], {"status": "postponed"}, ADMIN)
    assert saved == ["po-003", "po-006"] and refused == []
    assert [a.status for a in map(loader.load(data_dir).action, saved)] == ["postponed", "postponed"]
    assert [e.action for e in history.read(data_dir)[0]] == ["po-003", "po-006"]


def test_a_bulk_update_of_figures_the_reports_set_is_refused_but_cancelling_is_not(data_dir):
    saved, refused = store.bulk_update(loader.load(data_dir), ["po-002", "po-011"], {"progress": 90}, ADMIN)
    assert saved == [] and [(i, r.kind) for i, r in refused] == [
        ("po-002", "set_by_reports"),
        ("po-011", "set_by_reports"),
    ]
    saved, _ = store.bulk_update(loader.load(data_dir), ["po-002"], {"status": "cancelled"}, ADMIN)
    assert saved == ["po-002"] and loader.load(data_dir).action("po-002").status == "cancelled"


def test_a_bulk_update_refuses_what_the_editor_may_not_change_and_saves_the_rest(data_dir):
    dataset = loader.load(data_dir)
    led = {a.id: a.lead for a in dataset.actions if not dataset.reports_of(a.id)}
    pavlodar, omsk = (next(i for i, lead in led.items() if lead == side) for side in ("pavlodar", "omsk"))
    saved, refused = store.bulk_update(loader.load(data_dir), [pavlodar, omsk], {"progress": 55}, OMSK)
    assert saved == [omsk] and [(i, r.kind) for i, r in refused] == [(pavlodar, "not_your_side")]


def test_a_bulk_update_over_a_change_made_since_loading_is_a_conflict(data_dir):
    loaded = loader.load(data_dir)
    version, _ = current(data_dir, "po-006")
    store.save(data_dir, edited(data_dir, "po-006", progress=61), ADMIN, version)  # someone else, meanwhile
    saved, refused = store.bulk_update(loaded, ["po-006"], {"status": "done"}, ADMIN)
    assert saved == [] and [r.kind for _, r in refused] == ["conflict"]
    assert loader.load(data_dir).action("po-006").progress == 61


# ---- reports ----------------------------------------------------------------------------


def report_of(data_dir, key):
    version, record = store.read_report_version(data_dir, key)
    return version, Report.model_validate(record)


def test_a_report_saved_sets_its_actions_figures_recorded_as_a_sync(data_dir):
    begin_now(data_dir)
    new = Report.model_validate(valid_report("po-045", "omsk", "2026-Q4", date=dt.date(2026, 11, 20), progress=30))
    store.save_report(data_dir, new, OMSK, store.ABSENT)
    action = loader.load(data_dir).action("po-045")
    assert (action.status, action.progress) == ("in_progress", 30)
    on_disk = yamlio.loads(store.action_path(data_dir, "po-045").read_bytes())
    assert (on_disk["status"], on_disk["progress"]) == ("in_progress", 30)  # the file says what the pages show
    entries = history.read(data_dir)[0]
    assert [(e.op, e.report) for e in entries] == [("submit", "2026-Q4/po-045-omsk"), ("sync", None)]


def test_undoing_a_report_puts_the_actions_figures_back(data_dir):
    begin_now(data_dir)
    new = Report.model_validate(valid_report("po-045", "pavlodar", "2026-Q4", date=dt.date(2026, 11, 20)))
    saved = store.save_report(data_dir, new, PAVLODAR, store.ABSENT)
    sync = history.read(data_dir)[0][-1]
    with pytest.raises(store.StoreError) as caught:  # the figures follow the report while it stands
        store.undo(data_dir, sync, ADMIN)
    assert caught.value.kind == "undo_sync"
    store.undo(data_dir, saved.entry, PAVLODAR)  # the report withdrawn, its figures stay until undone too
    assert loader.load(data_dir).reports_of("po-045") == []
    store.undo(data_dir, sync, ADMIN)
    action = loader.load(data_dir).action("po-045")
    assert (action.status, action.progress) == ("planned", 0)


@pytest.mark.parametrize(
    "user, side",
    [(None, "omsk"), (PAVLODAR, "omsk"), (OMSK, "pavlodar"), (User("viewer-ish", "viewer"), "omsk")],
    ids=["viewer", "pavlodar-for-omsk", "omsk-for-pavlodar", "unknown-role"],
)
def test_a_side_reports_for_itself_only(data_dir, user, side):
    report = Report.model_validate(valid_report("po-045", side, "2026-Q4", date=dt.date(2026, 11, 20)))
    with pytest.raises(store.Forbidden):
        store.save_report(data_dir, report, user, store.ABSENT)
    assert not (data_dir / "reports" / "2026-Q4" / f"po-045-{side}.yaml").exists()


def test_two_editors_of_one_report_get_a_conflict(data_dir):
    version, report = report_of(data_dir, "2026-Q3/po-011-omsk")
    store.save_report(data_dir, report.model_copy(update={"progress": 45}), OMSK, version)
    with pytest.raises(store.Conflict) as caught:
        store.save_report(data_dir, report.model_copy(update={"progress": 50}), ADMIN, version)
    assert caught.value.current["progress"] == 45


def test_a_report_the_loader_would_refuse_is_not_written(data_dir):
    report = Report.model_validate(valid_report("po-045", "omsk", "2026-Q4", indicators={"nothing": 3}))
    with pytest.raises(store.Invalid) as caught:
        store.save_report(data_dir, report, OMSK, store.ABSENT)
    assert [p.kind for p in caught.value.problems] == ["report_no_indicator"]
    assert not (data_dir / "reports" / "2026-Q4" / "po-045-omsk.yaml").exists()


def test_an_action_with_reports_is_cancelled_not_deleted(data_dir):
    version, _ = current(data_dir, "po-011")
    with pytest.raises(store.StoreError) as caught:
        store.delete(data_dir, "po-011", ADMIN, version)
    assert caught.value.kind == "has_reports"
    store.save(data_dir, edited(data_dir, "po-011", status="cancelled"), ADMIN, version)
    assert loader.load(data_dir).action("po-011").status == "cancelled"


def test_a_deleted_report_stops_setting_the_figures(data_dir):
    version, _ = report_of(data_dir, "2026-Q3/po-011-omsk")
    store.delete_report(data_dir, "2026-Q3/po-011-omsk", OMSK, version)
    action = loader.load(data_dir).action("po-011")
    latest = {r.side: r.progress for r in loader.load(data_dir).reports_of("po-011") if r.period == "2026-Q2"}
    assert action.progress == round(sum(latest.values()) / 2)  # both sides' Q2 reports now count


def test_a_lead_or_indicator_change_that_would_orphan_reports_is_refused(data_dir):
    version, _ = current(data_dir, "po-001")  # joint, reported on by both sides
    with pytest.raises(store.StoreError) as caught:
        store.save(data_dir, edited(data_dir, "po-001", lead="pavlodar"), ADMIN, version)
    assert caught.value.kind == "breaks_reports" and "po-001-omsk" in caught.value.message
    version, _ = current(data_dir, "po-002")
    action = loader.load(data_dir).action("po-002")
    kept = [i for i in action.indicators if i.id != "investors"]
    with pytest.raises(store.StoreError) as caught:
        store.save(data_dir, action.model_copy(update={"indicators": kept}), ADMIN, version)
    assert caught.value.kind == "breaks_reports" and "investors" in caught.value.message
    assert loader.load(data_dir).problems == []


def test_reopening_a_cancelled_action_takes_the_figures_its_reports_set(data_dir):
    version, _ = current(data_dir, "po-011")
    reported = loader.load(data_dir).action("po-011")
    cancelled = store.save(
        data_dir, reported.model_copy(update={"status": "cancelled", "progress": 90}), ADMIN, version
    )
    store.save(data_dir, cancelled.action.model_copy(update={"status": "planned"}), ADMIN, cancelled.version)
    action = loader.load(data_dir).action("po-011")
    assert (action.status, action.progress) == (reported.status, reported.progress)


def test_a_report_speaks_of_a_quarter_begun_and_of_days_up_to_today(data_dir):
    today = dt.date.today()
    late = dt.date(today.year + 1, today.month, 1)
    future = valid_report("po-045", "omsk", periods.quarter_of(late), date=late)
    tomorrow = valid_report("po-045", "omsk", periods.quarter_of(today), date=today + dt.timedelta(days=1))
    for record in (future, tomorrow):
        with pytest.raises(store.Invalid) as caught:
            store.save_report(data_dir, Report.model_validate(record), OMSK, store.ABSENT)
        assert "report_future" in [p.kind for p in caught.value.problems]
    assert loader.load(data_dir).reports_of("po-045") == []


def test_a_report_puts_back_a_change_a_crash_left_unrecorded_before_it_sets_the_figures(data_dir):
    begin_now(data_dir)
    path = store.action_path(data_dir, "po-045")
    backup = path.with_name(".po-045.yaml.bak")
    backup.write_bytes(path.read_bytes())  # the old file kept, the new one moved in, then the process died
    path.write_text(path.read_text(encoding="utf-8").replace("- forum", "- crashed"), encoding="utf-8")
    report = Report.model_validate(valid_report("po-045", "omsk", "2026-Q4", date=dt.date(2026, 11, 20), progress=30))
    store.save_report(data_dir, report, OMSK, store.ABSENT)
    action = loader.load(data_dir).action("po-045")
    assert (action.tags, action.progress) == (["forum"], 30) and not backup.exists()
    assert [e.op for e in history.read(data_dir)[0]] == ["submit", "sync"]


def test_an_action_whose_reports_changed_its_figures_by_hand_still_saves_as_loaded(data_dir):
    report = valid_report("po-045", "omsk", "2026-Q4", date=dt.date(2026, 11, 20), progress=30)
    (data_dir / "reports" / "2026-Q4" / "po-045-omsk.yaml").write_text(yamlio.dumps(report), encoding="utf-8")
    loaded = loader.load(data_dir).action("po-045")  # the loader applies the report; the file does not say so yet
    saved, refused = store.bulk_update(loader.load(data_dir), ["po-045"], {"tags": ["synced"]}, ADMIN)
    assert saved == ["po-045"] and refused == []
    on_disk = yamlio.loads(store.action_path(data_dir, "po-045").read_bytes())
    assert (on_disk["progress"], on_disk["tags"]) == (loaded.progress, ["synced"]) == (30, ["synced"])


def test_a_save_that_changes_nothing_writes_nothing_and_records_nothing(data_dir):
    before = store.action_path(data_dir, "po-006").read_bytes()
    action = loader.load(data_dir).action("po-006")
    saved = store.save(data_dir, action, ADMIN, store.read_version(data_dir, "po-006")[0])
    assert not saved.changed and saved.entry is None and saved.action == action
    assert store.action_path(data_dir, "po-006").read_bytes() == before  # not even the stamps
    assert history.read(data_dir) == ([], [])
    # a bulk update to the values it already has neither changes nor refuses
    assert store.bulk_update(loader.load(data_dir), ["po-006"], {"status": action.status}, ADMIN) == ([], [])
    assert history.read(data_dir) == ([], [])


def test_a_save_that_changes_nothing_still_needs_the_right(data_dir):
    action = loader.load(data_dir).action("po-006")  # led by Pavlodar
    with pytest.raises(store.Forbidden):
        store.save(data_dir, action, User("ivanova", "omsk"), store.read_version(data_dir, "po-006")[0])


def test_saving_an_unchanged_report_writes_nothing_and_records_no_history_entry(data_dir):
    begin_now(data_dir)
    report = Report.model_validate(
        valid_report("po-045", "omsk", "2026-Q4", status="planned", progress=0, date=dt.date(2026, 11, 20))
    )
    first = store.save_report(data_dir, report, ADMIN, store.read_report_version(data_dir, report.key)[0])
    path = store.report_path(data_dir, report.key)
    written, recorded = path.read_bytes(), (data_dir / history.FILE).read_bytes()
    again = store.save_report(data_dir, report, ADMIN, first.version)
    assert first.changed and not again.changed and again.version == first.version
    assert path.read_bytes() == written and (data_dir / history.FILE).read_bytes() == recorded
