"""The store: atomic saves, conflicts, permissions, history and undo, threads (faults and crashes: test_faults.py)."""

import threading
from itertools import pairwise

import pytest

from coopplan.data import loader, yamlio
from coopplan.editing import history, store
from coopplan.editing.auth import User
from coopplan.exchange import importer, spreadsheet
from tests.helpers import ADMIN

PAVLODAR = User("pavl", "pavlodar")
OMSK = User("omsk1", "omsk")


def current(data_dir, action_id):
    return store.read_version(data_dir, action_id)


def edited(data_dir, action_id, **changes):
    return loader.load(data_dir).action(action_id).model_copy(update=changes)


def test_a_save_writes_only_that_file_with_a_one_line_diff(data_dir):
    path = store.action_path(data_dir, "po-002")
    before = path.read_text(encoding="utf-8").splitlines()
    others = {p: p.read_bytes() for p in (data_dir / "actions").glob("*.yaml") if p != path}
    version, _ = current(data_dir, "po-002")
    store.save(data_dir, edited(data_dir, "po-002", progress=60), ADMIN, version)
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [c[1] for c in changed if not c[1].startswith("updated")] == ["progress: 60"]
    assert after[-1] == "updated_by: admin"
    assert {p: p.read_bytes() for p in others} == others
    assert not [p for p in (data_dir / "actions").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_the_second_of_two_editors_gets_a_conflict_not_a_silent_overwrite(data_dir):
    opened, _ = current(data_dir, "po-011")
    store.save(data_dir, edited(data_dir, "po-011", progress=40), PAVLODAR, opened)
    with pytest.raises(store.Conflict) as caught:
        store.save(data_dir, edited(data_dir, "po-011", status="done"), OMSK, opened)
    assert caught.value.current["progress"] == 40
    assert [
        c.field for c in history.diff(loader.load(data_dir).action("po-011").to_yaml_dict(), caught.value.current)
    ] == []
    # applying one's own edit on top, knowingly:
    store.save(data_dir, edited(data_dir, "po-011", status="done"), OMSK, caught.value.current_version)
    action = loader.load(data_dir).action("po-011")
    assert (action.progress, action.status, action.updated_by) == (40, "done", "omsk1")


@pytest.mark.parametrize(
    "user, action_id, change",
    [
        (None, "po-002", {"progress": 1}),  # a viewer
        (OMSK, "po-002", {"progress": 1}),  # Omsk editor, Pavlodar-led action
        (PAVLODAR, "po-004", {"progress": 1}),  # Pavlodar editor, Omsk-led action
        (OMSK, "po-002", {"lead": "omsk"}),  # taking over the other side's action
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
    version, _ = current(data_dir, "po-002")
    store.save(data_dir, edited(data_dir, "po-002", progress=61), PAVLODAR, version)  # a change to undo
    entry = history.read(data_dir)[0][0]
    files = {p: p.read_bytes() for p in (data_dir / "actions").iterdir()}
    log = (data_dir / history.FILE).read_bytes()

    with pytest.raises(store.Forbidden):
        store.undo(data_dir, entry, user)
    with pytest.raises(store.Forbidden):  # a new action led by Pavlodar
        store.save(data_dir, edited(data_dir, "po-002", id="po-900"), user, store.ABSENT)
    dataset = loader.load(data_dir)
    rows = spreadsheet.read_csv(spreadsheet.to_csv([dataset.action("po-002")]))
    rows[0]["progress"] = "70"
    saved, refused = importer.apply(importer.preview(rows, dataset), [2], dataset, user)
    assert saved == [] and [r.kind for r in refused] == ["sign_in" if user is None else "not_your_side"]

    assert {p: p.read_bytes() for p in (data_dir / "actions").iterdir()} == files
    assert (data_dir / history.FILE).read_bytes() == log


def test_invalid_actions_are_refused_by_the_loaders_rules(data_dir):
    version, _ = current(data_dir, "po-002")
    bad = edited(data_dir, "po-002").model_copy(update={"end": "2030"})  # model_copy skips validation
    with pytest.raises(store.Invalid) as caught:
        store.save(data_dir, bad, ADMIN, version)
    assert caught.value.problems[0].message == "end 2030 is outside the plan period 2026–2028"


def test_add_delete_and_ids_never_reused(data_dir):
    ids = [a.id for a in loader.load(data_dir).actions]
    fresh = store.next_id(data_dir, ids)
    assert fresh == "po-046"
    new = edited(data_dir, "po-002").model_copy(update={"id": fresh})
    saved = store.save(data_dir, new, PAVLODAR, store.ABSENT)
    assert saved.entry.op == "add" and loader.load(data_dir).action(fresh) is not None
    store.delete(data_dir, fresh, PAVLODAR, saved.version)
    assert loader.load(data_dir).action(fresh) is None
    assert store.next_id(data_dir, [a.id for a in loader.load(data_dir).actions]) == "po-047"
    with pytest.raises(store.StoreError, match="never reused"):
        store.save(data_dir, new, PAVLODAR, store.ABSENT)


def test_history_records_who_when_before_after_and_undo_restores(data_dir):
    version, before = current(data_dir, "po-019")
    store.save(data_dir, edited(data_dir, "po-019", status="cancelled"), ADMIN, version)
    deleted = store.delete(data_dir, "po-019", ADMIN, current(data_dir, "po-019")[0])
    entries, notices = history.read(data_dir)
    assert notices == [] and [e.op for e in entries] == ["edit", "delete"]
    assert entries[0].before["status"] == "done" and entries[0].after["status"] == "cancelled"
    assert entries[0].user == "admin" and entries[0].at.tzinfo is not None
    store.undo(data_dir, deleted.entry, ADMIN)  # restore the deleted action
    assert loader.load(data_dir).action("po-019").status == "cancelled"
    store.save(data_dir, edited(data_dir, "po-019", progress=10), ADMIN, current(data_dir, "po-019")[0])
    with pytest.raises(store.StoreError, match="undo the later changes first"):
        store.undo(data_dir, entries[0], ADMIN)
    store.undo(data_dir, history.read(data_dir)[0][-1], ADMIN)  # undo the progress change
    store.undo(data_dir, entries[0], ADMIN)  # now the first edit can be undone
    assert loader.load(data_dir).action("po-019").status == "done"
    assert [e.op for e in history.read(data_dir)[0]] == ["edit", "delete", "undo", "edit", "undo", "undo"]


def test_a_torn_last_history_line_is_skipped_with_a_notice(data_dir):
    version, _ = current(data_dir, "po-002")
    store.save(data_dir, edited(data_dir, "po-002", progress=1), ADMIN, version)
    with open(data_dir / history.FILE, "ab") as log:
        log.write(b'{"id": "x", "at": "2026-')
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and str(notices[0]).endswith(":2: last line cut short (an interrupted write); skipped")


def test_many_threads_lose_no_change_and_report_every_conflict(data_dir):
    """Each thread edits its own action (never blocked) and all race on a shared one."""
    own = ["po-002", "po-003", "po-005", "po-006", "po-009", "po-010", "po-011", "po-012"]
    shared = "po-001"
    outcomes = {"own": 0, "shared_saved": 0, "conflicts": 0}
    lock = threading.Lock()

    def work(number, action_id):
        for round_ in range(5):
            version, _ = current(data_dir, action_id)
            store.save(data_dir, edited(data_dir, action_id, progress=number * 10 + round_), ADMIN, version)
            with lock:
                outcomes["own"] += 1
            version, _ = current(data_dir, shared)
            try:
                store.save(data_dir, edited(data_dir, shared, progress=number * 10 + round_), ADMIN, version)
                with lock:
                    outcomes["shared_saved"] += 1
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
    assert len(entries) == outcomes["own"] + outcomes["shared_saved"]
    dataset = loader.load(data_dir)
    for number, action_id in enumerate(own):
        assert dataset.action(action_id).progress == number * 10 + 4  # each thread's last save is on disk
    # the shared action holds the last accepted save, and history chains without gaps
    chain = [e for e in entries if e.action == shared]
    for earlier, later in pairwise(chain):
        assert earlier.after == later.before
    assert chain[-1].after == yamlio.loads(store.action_path(data_dir, shared).read_bytes())


def test_a_history_line_of_the_wrong_shape_is_skipped_not_shown(data_dir):
    version, _ = current(data_dir, "po-002")
    store.save(data_dir, edited(data_dir, "po-002", progress=1), ADMIN, version)
    with open(data_dir / history.FILE, "a", encoding="utf-8") as log:
        log.write(
            '{"id": "x", "at": "2026-11-25T10:00:00+00:00", "user": "u", "action": "po-002", "op": "edit", "before": [1]}\n'
        )
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and [(p.line, p.kind) for p in notices] == [(2, "history_line")]


def test_a_save_on_top_of_a_change_made_after_loading_is_a_conflict(data_dir):
    loaded = loader.load(data_dir).action("po-002")
    version, _ = current(data_dir, "po-002")
    store.save(
        data_dir, loaded.model_copy(update={"progress": 7}), OMSK if loaded.lead != "pavlodar" else PAVLODAR, version
    )
    with pytest.raises(store.Conflict):  # e.g. a bulk update built on what the page loaded
        store.save(
            data_dir, loaded.model_copy(update={"status": "done"}), ADMIN, store.version_as_loaded(data_dir, loaded)
        )
    assert loader.load(data_dir).action("po-002").progress == 7


def test_a_bulk_update_saves_each_action_with_its_own_history_entry(data_dir):
    saved, refused = store.bulk_update(loader.load(data_dir), ["po-001", "po-002"], {"status": "postponed"}, ADMIN)
    assert saved == ["po-001", "po-002"] and refused == []
    assert [a.status for a in map(loader.load(data_dir).action, saved)] == ["postponed", "postponed"]
    assert [e.action for e in history.read(data_dir)[0]] == ["po-001", "po-002"]


def test_a_bulk_update_refuses_what_the_editor_may_not_change_and_saves_the_rest(data_dir):
    led = {a.id: a.lead for a in loader.load(data_dir).actions}
    pavlodar, omsk = (next(i for i, lead in led.items() if lead == side) for side in ("pavlodar", "omsk"))
    saved, refused = store.bulk_update(loader.load(data_dir), [pavlodar, omsk], {"progress": 55}, OMSK)
    assert saved == [omsk] and [(i, r.kind) for i, r in refused] == [(pavlodar, "not_your_side")]


def test_a_bulk_update_over_a_change_made_since_loading_is_a_conflict(data_dir):
    loaded = loader.load(data_dir)
    version, _ = current(data_dir, "po-002")
    store.save(data_dir, edited(data_dir, "po-002", progress=61), ADMIN, version)  # someone else, meanwhile
    saved, refused = store.bulk_update(loaded, ["po-002"], {"status": "done"}, ADMIN)
    assert saved == [] and [r.kind for _, r in refused] == ["conflict"]
    assert loader.load(data_dir).action("po-002").progress == 61


def test_a_save_that_changes_nothing_writes_nothing_and_records_nothing(data_dir):
    before = store.action_path(data_dir, "po-002").read_bytes()
    action = loader.load(data_dir).action("po-002")
    saved = store.save(data_dir, action, ADMIN, store.read_version(data_dir, "po-002")[0])
    assert not saved.changed and saved.entry is None and saved.action == action
    assert store.action_path(data_dir, "po-002").read_bytes() == before  # not even the stamps
    assert history.read(data_dir) == ([], [])
    # a bulk update to the values it already has neither changes nor refuses
    assert store.bulk_update(loader.load(data_dir), ["po-002"], {"status": action.status}, ADMIN) == ([], [])
    assert history.read(data_dir) == ([], [])


def test_a_save_that_changes_nothing_still_needs_the_right(data_dir):
    action = loader.load(data_dir).action("po-002")  # led by Pavlodar
    with pytest.raises(store.Forbidden):
        store.save(data_dir, action, User("ivanova", "omsk"), store.read_version(data_dir, "po-002")[0])
