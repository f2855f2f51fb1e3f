"""Faults during saves: OS errors at every step, a process killed mid-save, torn history lines.

Every refused write leaves the data and the history as they were and reaches
the user as ``StoreError(kind="write_failed")``, shown in the page's language.
The tests run as root, so a read-only folder cannot be made with chmod: the
OS calls the store makes are patched to fail instead, each at one step.
"""

import datetime as dt
import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coopplan import i18n
from coopplan.data import loader
from coopplan.data.model import Report
from coopplan.editing import history, store, transaction
from tests.helpers import (
    ADMIN,
    ROOT,
    as_user,
    begin_now,
    change,
    details,
    edited_csv,
    folder_state,
    rendered,
    submit,
    valid_report,
)

ERRORS = {"ENOSPC": errno.ENOSPC, "EROFS": errno.EROFS, "EACCES": errno.EACCES}
SAVE_STEPS = [
    "lock",
    "temp_write",
    "temp_fsync",
    "rename",
    "dir_fsync",
    "history_write",
    "history_short",
    "history_fsync",
]
DELETE_STEPS = ["lock", "rename", "dir_fsync", "history_write", "history_short", "history_fsync"]
CASES = [(op, step) for op in ("save", "add", "undo", "report") for step in SAVE_STEPS] + [
    ("delete", step) for step in DELETE_STEPS
]


def _target(descriptor: int) -> str:
    return os.readlink(f"/proc/self/fd/{descriptor}")


def inject(patch: pytest.MonkeyPatch, step: str, code: int, path: Path) -> list[str]:
    """Make the OS call of ``step`` on ``path`` (an action file) fail with ``code``;
    the returned list records each failure, so a test knows the fault was hit."""
    fired: list[str] = []

    def fail(filename: str | None = None):
        fired.append(step)
        raise OSError(code, os.strerror(code), *([filename] if filename else []))

    real_open, real_fsync, real_replace, real_write = open, os.fsync, os.replace, os.write

    class HalfWriter:  # a temporary file that fills up halfway
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            fail()

    def opening(file, mode="r", *args, **kwargs):
        if step == "lock" and mode == "a+b":
            fail(str(file))
        handle = real_open(file, mode, *args, **kwargs)
        return HalfWriter(handle) if step == "temp_write" and mode == "xb" else handle

    def fsync(descriptor):
        target = _target(descriptor)
        if (
            (step == "temp_fsync" and target.endswith(".tmp"))
            or (step == "dir_fsync" and os.path.isdir(target))
            or (step == "history_fsync" and target.endswith(history.FILE))
        ):
            fail()
        return real_fsync(descriptor)

    def replace(source, destination):
        if step == "rename" and str(path) in (str(source), str(destination)):
            fail(str(source))
        return real_replace(source, destination)

    def write(descriptor, data):
        if step.startswith("history_") and _target(descriptor).endswith(history.FILE):
            if step == "history_write" or (step == "history_short" and fired == ["half"]):
                fired[:] = []
                fail()
            if step == "history_short":  # the disk takes half the line, then is full
                fired.append("half")
                return real_write(descriptor, bytes(data)[: len(data) // 2])
        return real_write(descriptor, data)

    patch.setattr(transaction, "open", opening, raising=False)
    patch.setattr(os, "fsync", fsync)
    patch.setattr(os, "replace", replace)
    patch.setattr(os, "write", write)
    return fired


# A report that leaves its action's figures as they are: one file, one history line.
REPORT = valid_report("po-045", "omsk", "2026-Q4", status="planned", progress=0, date=dt.date(2026, 11, 20))


def prepare(data_dir: Path, op: str):
    """The change ``op`` makes, as a function to call (with a fault or without)."""
    dataset = loader.load(data_dir)
    if op == "report":
        begin_now(data_dir)
        report = Report.model_validate(REPORT)
        return "po-045", lambda: store.save_report(
            data_dir, report, ADMIN, store.read_report_version(data_dir, report.key)[0]
        )
    if op == "save":
        action = dataset.action("po-006").model_copy(update={"progress": 99})
        return "po-006", lambda: store.save(data_dir, action, ADMIN, store.read_version(data_dir, "po-006")[0])
    if op == "add":
        action = dataset.action("po-006").model_copy(update={"id": "po-046"})
        return "po-046", lambda: store.save(data_dir, action, ADMIN, store.ABSENT)
    if op == "delete":
        return "po-031", lambda: store.delete(data_dir, "po-031", ADMIN, store.read_version(data_dir, "po-031")[0])
    version, _ = store.read_version(data_dir, "po-012")
    edit = store.save(data_dir, dataset.action("po-012").model_copy(update={"status": "cancelled"}), ADMIN, version)
    return "po-012", lambda: store.undo(data_dir, edit.entry, ADMIN)


def changed_file(data_dir: Path, op: str, action_id: str) -> Path:
    return (
        store.report_path(data_dir, "2026-Q4/po-045-omsk") if op == "report" else store.action_path(data_dir, action_id)
    )


def named_file(step: str, action_id: str, path: Path) -> str:
    if step == "lock":
        return f"{action_id}.lock"  # a report takes its action's lock
    return history.FILE if step.startswith("history_") else path.name


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("op, step", CASES, ids=[f"{op}-{step}" for op, step in CASES])
def test_a_write_error_at_any_step_changes_nothing_and_says_why(data_dir, op, step, error):
    action_id, change = prepare(data_dir, op)
    before = folder_state(data_dir)
    entries_before = history.read(data_dir)[0]
    path = changed_file(data_dir, op, action_id)
    with pytest.MonkeyPatch.context() as patch:
        fired = inject(patch, step, ERRORS[error], path)
        with pytest.raises(store.StoreError) as caught:
            change()
    assert fired == [step]  # the fault was hit, once
    refusal = caught.value
    assert refusal.kind == "write_failed"
    assert named_file(step, action_id, path) in refusal.message and os.strerror(ERRORS[error]) in refusal.message
    assert refusal.message.endswith("nothing was changed")
    assert folder_state(data_dir) == before  # the action file byte for byte, no hidden leftovers, history as it was
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(f".{loader.PLAN}.")]
    assert loader.load(data_dir).problems == []
    assert history.read(data_dir) == (entries_before, [])
    change()  # with the fault gone the same change goes through and is recorded
    entries, notices = history.read(data_dir)
    assert notices == [] and len(entries) == len(entries_before) + 1 and entries[-1].action == action_id


def test_when_putting_the_old_file_back_fails_too_the_message_does_not_claim_nothing_changed(data_dir):
    action_id, change = prepare(data_dir, "save")
    path = store.action_path(data_dir, action_id)
    real_replace = os.replace
    with pytest.MonkeyPatch.context() as patch:
        inject(patch, "history_write", errno.ENOSPC, path)

        def replace(source, destination):
            if str(source).endswith(".bak"):
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(source))
            return real_replace(source, destination)

        patch.setattr(os, "replace", replace)
        with pytest.raises(store.StoreError) as caught:
            change()
    assert caught.value.kind == "write_failed"
    assert "nothing was changed" not in caught.value.message
    assert os.strerror(errno.EIO) in caught.value.message and "put back before the next change" in caught.value.message
    assert loader.load(data_dir).problems == []  # the backup left behind is hidden, so ignored
    # the next change of the action puts the old file back first, then goes through
    with pytest.raises(store.Conflict):  # the editor's page showed the unrecorded state
        change()
    entries, notices = history.read(data_dir)
    assert notices == [] and entries == [] and not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_an_append_after_a_torn_line_starts_a_line_of_its_own(data_dir):
    _, change = prepare(data_dir, "save")
    log = data_dir / history.FILE
    log.write_bytes(b"")
    _, first = prepare(data_dir, "delete")
    first()
    assert log.read_bytes().count(b"\n") == 1  # a whole line: no blank line added before it
    with open(log, "ab") as torn:
        torn.write(b'{"id": "x", "at": "2026-')  # the process died mid-append
    change()
    entries, notices = history.read(data_dir)
    assert [(e.op, e.action) for e in entries] == [("delete", "po-031"), ("edit", "po-006")]
    assert [(p.line, p.kind, p.message) for p in notices] == [
        (2, "history_cut_earlier", "line cut short (an interrupted write); skipped")
    ]


def test_a_whole_line_in_the_middle_that_is_no_entry_is_not_called_cut_short(data_dir):
    _, change = prepare(data_dir, "save")
    (data_dir / history.FILE).write_bytes(b'{"id": "x", "op": "edit"}\n')
    change()
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and [(p.line, p.kind) for p in notices] == [(1, "history_line")]


# ---- a process killed for real -------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from coopplan.data import loader
    from coopplan.editing import history, store
    from coopplan.editing.auth import User

    data, moment = Path(sys.argv[1]), sys.argv[2]
    path = store.action_path(data, "po-006")
    action = loader.load(data).action("po-006").model_copy(update={"progress": 99})
    version, _ = store.read_version(data, "po-006")
    real_replace, real_write = os.replace, os.write

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def replace(source, destination):
        if str(destination) == str(path):
            if moment == "before_rename":
                die()
            real_replace(source, destination)
            if moment == "after_rename":  # the new file is in place, its history line not yet written
                die()
            return None
        return real_replace(source, destination)

    def write(descriptor, line):
        if os.readlink(f"/proc/self/fd/{descriptor}").endswith(history.FILE):
            real_write(descriptor, bytes(line)[: len(line) // 2])
            die()
        return real_write(descriptor, line)

    os.replace = replace
    if moment == "mid_history":
        os.write = write
    store.save(data, action, User("admin", "admin"), version)
    sys.exit(3)  # never reached: the process is killed inside the save
    """
)


@pytest.mark.parametrize("moment", ["before_rename", "after_rename", "mid_history"])
def test_a_process_killed_during_a_save_leaves_data_that_loads_and_a_store_that_works(data_dir, moment):
    path = store.action_path(data_dir, "po-006")
    old = path.read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), moment], cwd=ROOT, capture_output=True, timeout=60
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()

    dataset = loader.load(data_dir)
    assert dataset.problems == [] and len(dataset.actions) == 45  # leftover hidden files are ignored
    now = path.read_bytes()
    assert now == old if moment == "before_rename" else dataset.action("po-006").progress == 99  # old or new, whole
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")]  # the killed save left its hidden file
    entries, notices = history.read(data_dir)
    assert entries == [] and [p.kind for p in notices] == (["history_cut"] if moment == "mid_history" else [])

    version, _ = store.read_version(data_dir, "po-006")
    edit = dataset.action("po-006").model_copy(update={"progress": 15})
    if moment != "before_rename":  # the unrecorded change is put back first: what the page showed is gone
        with pytest.raises(store.Conflict) as caught:
            store.save(data_dir, edit, ADMIN, version)
        assert path.read_bytes() == old and caught.value.current_version != version
        version = caught.value.current_version
    store.save(data_dir, edit, ADMIN, version)
    entries, notices = history.read(data_dir)
    assert [e.after["progress"] for e in entries] == [15] and loader.load(data_dir).action("po-006").progress == 15
    assert [p.kind for p in notices] == (["history_cut_earlier"] if moment == "mid_history" else [])
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]  # and its leftovers are gone


# ---- what the pages say ----------------------------------------------------------


def disk_full(patch: pytest.MonkeyPatch, data_dir: Path, action_id: str, code: int = errno.ENOSPC) -> list[str]:
    return inject(patch, "temp_fsync", code, store.action_path(data_dir, action_id))


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_edit_page_says_the_disk_is_full_and_keeps_what_was_typed(data_dir, lang):
    before = store.action_path(data_dir, "po-006").read_bytes()
    at = as_user("edit", ADMIN, {"lang": lang, "id": "po-006"})
    at.text_input(key="f_title_ru").input("Новое название")
    at.selectbox(key="f_start").set_value("2026-Q3")
    with pytest.MonkeyPatch.context() as patch:
        fired = disk_full(patch, data_dir, "po-006")
        submit(at)
    assert fired and not at.exception and not at.success
    shown = rendered(at.error[0].value)
    advice = i18n.catalog(lang)["problem.write_failed"]
    assert shown == i18n.t(lang, "edit.refused", reason=advice)  # the advice, in the editor's language
    assert "po-006.yaml: No space left on device; nothing was changed" in details(at)  # the exact rule behind a toggle
    assert at.text_input(key="f_title_ru").value == "Новое название" and at.selectbox(key="f_start").value == "2026-Q3"
    assert store.action_path(data_dir, "po-006").read_bytes() == before


def test_a_delete_refused_by_a_read_only_disk_is_explained(data_dir):
    at = as_user("edit", ADMIN, {"lang": "kk", "id": "po-031"})
    at.checkbox(key="delete_confirm").check().run()
    with pytest.MonkeyPatch.context() as patch:
        fired = inject(patch, "rename", errno.EROFS, store.action_path(data_dir, "po-031"))
        at.button(key="delete_button").click().run()
    assert fired and not at.exception and not at.success
    assert rendered(at.error[0].value).startswith(
        i18n.t("kk", "edit.refused", reason=i18n.catalog("kk")["problem.write_failed"])
    )
    assert loader.load(data_dir).action("po-031") is not None


def test_a_bulk_update_on_a_full_disk_names_each_action_not_saved(data_dir):
    at = as_user("edit", ADMIN, {"lang": "ru"})
    at.segmented_control(key="edit_mode").set_value("bulk").run()
    at.multiselect[0].set_value(["po-006", "po-003"])
    at.number_input[0].set_value(70)
    with pytest.MonkeyPatch.context() as patch:
        inject(patch, "history_write", errno.ENOSPC, store.action_path(data_dir, "po-006"))
        submit(at, "bulk")
    assert not at.exception and not at.success
    errors = [rendered(e.value) for e in at.error]
    advice = i18n.catalog("ru")["problem.write_failed"]
    assert [e.split(":")[1].strip() for e in errors] == ["po-006", "po-003"] and all(advice in e for e in errors)
    dataset = loader.load(data_dir)
    assert [dataset.action(i).progress for i in ("po-006", "po-003")] == [0, 0]


def test_an_undo_on_a_read_only_disk_is_explained(data_dir):
    change(data_dir, "po-012", status="cancelled")
    entry = history.read(data_dir)[0][0]
    at = as_user("history", ADMIN, {"lang": "ru"})
    with pytest.MonkeyPatch.context() as patch:
        inject(patch, "lock", errno.EROFS, store.action_path(data_dir, "po-012"))
        at.button(key=f"undo_{entry.id}").click().run()
    assert not at.exception and not at.success
    shown = rendered(at.error[0].value)
    assert shown == i18n.t("ru", "edit.refused", reason=i18n.catalog("ru")["problem.write_failed"])
    assert "Read-only file system; nothing was changed" in details(at)
    assert loader.load(data_dir).action("po-012").status == "cancelled"


def test_an_import_on_a_full_disk_refuses_the_row_with_advice(data_dir):
    dataset = loader.load(data_dir)
    at = as_user("import", ADMIN, {"lang": "kk"})
    at.file_uploader[0].upload("plan.csv", edited_csv(dataset.actions[:1]), "text/csv").run()
    with pytest.MonkeyPatch.context() as patch:
        disk_full(patch, data_dir, "po-001")
        submit(at, "apply_import")
    assert not at.exception and not at.success
    assert i18n.catalog("kk")["problem.write_failed"] in rendered(at.error[0].value)
    assert loader.load(data_dir).action("po-001").title.ru.startswith("Создание совместной")


def test_the_history_page_explains_a_line_cut_short_before_later_changes(data_dir):
    with open(data_dir / history.FILE, "ab") as log:
        log.write(b'{"id": "x", "at": "2026-')
    _, change = prepare(data_dir, "save")
    change()
    at = as_user("history", ADMIN, {"lang": "kk"})
    assert not at.exception and len(at.expander) == 1
    assert at.warning[0].value == i18n.t("kk", "history.unreadable")
    advice = i18n.catalog("kk")["problem.history_cut_earlier"]
    assert at.code[0].value.endswith(f":1: {advice} — line cut short (an interrupted write); skipped")


# ---- odd files and file systems -----------------------------------------------------


def test_without_hard_links_the_old_file_is_kept_as_a_copy(data_dir, monkeypatch):
    _, change = prepare(data_dir, "save")
    refused = []

    def no_links(source, destination):
        refused.append(destination)
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_links)  # as on some network and FAT file systems
    change()
    assert refused and loader.load(data_dir).action("po-006").progress == 99
    assert len(history.read(data_dir)[0]) == 1
    assert not [p for p in (data_dir / "actions").iterdir() if p.name.startswith(".")]


def test_a_pipe_under_an_actions_name_refuses_the_save_instead_of_hanging(data_dir):
    os.mkfifo(store.action_path(data_dir, "po-900"))
    action = loader.load(data_dir).action("po-006").model_copy(update={"id": "po-900"})
    with pytest.raises(store.StoreError) as caught:
        store.save(data_dir, action, ADMIN, store.ABSENT)
    assert caught.value.kind == "not_a_file" and history.read(data_dir) == ([], [])


def test_an_absurdly_nested_history_line_is_skipped(data_dir):
    _, change = prepare(data_dir, "save")
    change()
    with open(data_dir / history.FILE, "ab") as log:
        log.write(b"[" * 100_000 + b"\n")
    entries, notices = history.read(data_dir)
    assert len(entries) == 1 and [n.kind for n in notices] == ["history_line"]
    assert history.used_ids(data_dir) == {"po-006"}  # which every add asks: it must not fail either


def test_undoing_an_entry_whose_file_was_broken_by_hand_is_refused_with_a_reason(data_dir):
    _, change = prepare(data_dir, "save")
    entry = change().entry
    path = store.action_path(data_dir, "po-006")
    path.write_text(path.read_text(encoding="utf-8").replace("status: planned", "status: finished"), encoding="utf-8")
    with pytest.raises(store.StoreError) as caught:
        store.undo(data_dir, entry, ADMIN)
    assert caught.value.kind == "undo_invalid"


def test_an_approval_whose_plan_file_cannot_be_written_takes_its_new_baseline_back(data_dir, monkeypatch):
    plan = (data_dir / loader.PLAN).read_bytes()
    baselines = sorted(p.name for p in (data_dir / loader.BASELINES).iterdir())
    real_replace = os.replace

    def replace(source, destination):
        if Path(destination) == data_dir / loader.PLAN:  # the plan file's new state moved into place
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(store.StoreError) as refused:
        store.approve(data_dir, ADMIN)
    monkeypatch.undo()
    assert refused.value.kind == "write_failed" and "plan.yaml" in refused.value.message
    assert (data_dir / loader.PLAN).read_bytes() == plan
    assert sorted(p.name for p in (data_dir / loader.BASELINES).iterdir()) == baselines  # no new version, no leftovers
    added, withdrawn = history.read(data_dir)[0][-2:]
    assert (added.op, withdrawn.op, withdrawn.undoes) == ("add", "undo", added.id)
    assert added.path == withdrawn.path == f"{loader.BASELINES}/{len(baselines) + 1:03d}.yaml"
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(f".{loader.PLAN}.")]
    assert loader.load(data_dir).problems == []
