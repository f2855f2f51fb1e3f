"""The history log: entries written and read back in order, every id ever used, and a
change read field by field."""

import datetime as dt
import json

from coopplan.data import loader
from coopplan.editing import history
from tests.helpers import DATA

# as the log holds it: JSON (a day's date is its ISO text)
PO_012 = json.loads(json.dumps(loader.load(DATA).action("po-012").to_yaml_dict(), default=str))


def test_entries_are_read_back_oldest_first_with_all_they_hold(tmp_path):
    first = history.new_entry("ivanova", "po-012", "edit", PO_012, PO_012 | {"status": "cancelled"})
    second = history.new_entry("admin", "po-012", "undo", first.after, first.before, undoes=first.id)
    for entry in (first, second):
        history.append(tmp_path, entry)
    entries, problems = history.read(tmp_path)
    assert entries == [first, second] and problems == []


def test_every_id_ever_used_is_known_deleted_ones_included(tmp_path):
    history.append(tmp_path, history.new_entry("admin", "po-046", "add", None, PO_012 | {"id": "po-046"}))
    history.append(tmp_path, history.new_entry("admin", "po-046", "delete", PO_012 | {"id": "po-046"}, None))
    assert history.used_ids(tmp_path) == {"po-046"}


def test_no_history_yet_reads_as_empty(tmp_path):
    assert history.read(tmp_path) == ([], []) and history.used_ids(tmp_path) == set()


def test_a_change_reads_by_field_texts_by_language_and_without_the_save_stamps():
    after = PO_012 | {
        "status": "cancelled",
        "title": PO_012["title"] | {"kk": "Жаңа атау"},
        "updated": "2027-01-01T00:00:00+00:00",
        "updated_by": "ivanova",
    }
    changes = history.diff(PO_012, after)
    assert [(c.field, c.after) for c in changes] == [("title.kk", "Жаңа атау"), ("status", "cancelled")]


def test_an_added_or_deleted_action_differs_in_every_field_it_has():
    added = history.diff(None, PO_012)
    assert {c.field for c in added} == {k for k in PO_012 if k not in ("updated", "updated_by")}
    assert all(c.before is None for c in added)
    assert history.diff(PO_012, PO_012) == []


def _edits(count: int, user: str = "ivanova") -> list[history.Entry]:
    return [
        history.new_entry(user, f"po-{number % 3:03d}", "edit", PO_012, PO_012 | {"progress": number % 101})
        for number in range(count)
    ]


def test_a_page_holds_the_newest_entries_the_filters_choose_and_counts_them_all(tmp_path):
    entries = _edits(120)
    for entry in entries:
        history.append(tmp_path, entry)
    first = history.page(tmp_path)
    assert first.entries == entries[::-1][: history.PAGE] and first.total == 120
    assert history.page(tmp_path, start=100).entries == entries[19::-1]
    of_one = history.page(tmp_path, actions=["po-001"], size=5)
    assert of_one.total == 40 and of_one.entries == [e for e in reversed(entries) if e.action == "po-001"][:5]
    assert history.page(tmp_path, people=["nobody"]) == history.Page([], 0)
    assert history.page(tmp_path, actions=["po-001"], people=["ivanova"]).total == 40


def test_a_page_from_a_day_on_leaves_the_earlier_days_out(tmp_path):
    old, new = _edits(2)
    old = history.Entry(**{**old.__dict__, "at": old.at - dt.timedelta(days=30)})
    for entry in (old, new):
        history.append(tmp_path, entry)
    assert history.page(tmp_path, since=new.at.date()) == history.Page([new], 1)
    assert history.page(tmp_path, since=old.at.date()).total == 2
    assert history.summary(tmp_path).first == old.at.date()


def test_the_summary_names_each_action_by_its_latest_title_and_everyone_who_changed_something(tmp_path):
    renamed = PO_012 | {"title": {"ru": "Новое название"}}
    history.append(tmp_path, history.new_entry("ivanova", "po-012", "edit", PO_012, PO_012))
    history.append(tmp_path, history.new_entry("admin", "po-012", "edit", PO_012, renamed))
    history.append(tmp_path, history.new_entry("admin", "", "approve", {}, {}, path="plan.yaml"))
    summary = history.summary(tmp_path)
    assert summary.titles == {"po-012": {"ru": "Новое название"}} and summary.people == ["admin", "ivanova"]
    assert summary.problems == []


def test_the_latest_change_of_a_file_is_found_and_ids_are_known_in_any_letter_case(tmp_path):
    entries = _edits(6)
    for entry in entries:
        history.append(tmp_path, entry)
    assert history.latest(tmp_path, "actions/po-001.yaml") == entries[4]
    assert history.latest(tmp_path, "actions/po-001.yaml", before=entries[4]) == entries[1]
    assert history.latest(tmp_path, under="actions/", op="edit") == entries[5]
    assert history.latest(tmp_path, "actions/po-009.yaml") is None
    assert history.was_used(tmp_path, "PO-002") and not history.was_used(tmp_path, "po-003")


def test_the_index_follows_lines_another_writer_appended_without_it(tmp_path):
    first, second = _edits(2)
    history.append(tmp_path, first)
    assert history.page(tmp_path).total == 1  # the index now covers one line
    with open(tmp_path / history.FILE, "a", encoding="utf-8") as log:  # a tool of its own, no index
        log.write(second.to_json() + "\n")
    assert history.page(tmp_path).entries == [second, first]


def test_an_index_that_no_longer_matches_the_log_is_built_again_from_it(tmp_path):
    older, newer, other = _edits(3)
    for entry in (older, newer):
        history.append(tmp_path, entry)
    backup = (tmp_path / history.FILE).read_bytes()
    history.append(tmp_path, other)
    assert history.page(tmp_path).total == 3
    (tmp_path / history.FILE).write_bytes(backup)  # a backup put back: shorter than the index knows
    assert history.page(tmp_path).entries == [newer, older]
    replaced = history.new_entry("admin", "po-777", "add", None, PO_012 | {"id": "po-777"})
    (tmp_path / history.FILE).write_bytes(backup.replace(newer.to_json().encode(), replaced.to_json().encode()))
    assert history.page(tmp_path).entries == [replaced, older]  # as long or longer, but its lines differ
    assert history.used_ids(tmp_path) == {"po-000", "po-777"}


def test_a_missing_or_damaged_index_is_built_again_from_the_log(tmp_path):
    entries = _edits(3)
    for entry in entries:
        history.append(tmp_path, entry)
    assert history.page(tmp_path).total == 3
    index = tmp_path / history.INDEX
    index.unlink()
    assert history.page(tmp_path).entries == entries[::-1]
    index.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # torn by a crash of the disk
    assert history.page(tmp_path).entries == entries[::-1]
    index.write_bytes(b"not a database at all")
    assert history.summary(tmp_path).people == ["ivanova"]


def test_a_torn_last_line_is_a_notice_and_the_next_entry_is_indexed_after_it(tmp_path):
    first, second = _edits(2)
    history.append(tmp_path, first)
    with open(tmp_path / history.FILE, "ab") as log:
        log.write(second.to_json().encode()[:40])  # the write a crash cut short
    summary = history.summary(tmp_path)
    assert [(p.line, p.kind) for p in summary.problems] == [(2, "history_cut")]
    assert history.page(tmp_path).entries == [first]
    history.append(tmp_path, second)  # ends the torn line first
    assert [(p.line, p.kind) for p in history.summary(tmp_path).problems] == [(2, "history_cut_earlier")]
    assert history.page(tmp_path).entries == [second, first]
    assert history.summary(tmp_path).problems == history.read(tmp_path)[1]


def test_a_data_folder_the_index_cannot_be_written_in_is_read_all_the_same(tmp_path):
    entries = _edits(3)
    for entry in entries:
        history.append(tmp_path, entry)
    (tmp_path / ".index").write_bytes(b"")  # where its folder would be (root writes even a read-only folder)
    assert history.page(tmp_path).entries == entries[::-1] and history.used_ids(tmp_path) == {
        "po-000",
        "po-001",
        "po-002",
    }
