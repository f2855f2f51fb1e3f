"""The history log: entries written and read back in order, every id ever used, and a
change read field by field."""

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
