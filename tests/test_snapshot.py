"""The data folder as pages see it: loaded again when a file changes, whether the store
replaced it or a person edited it in place, and what a view worked out kept only for the
dataset it came from."""

from __future__ import annotations

import os

from coopplan.data import loader
from coopplan.views import memo, snapshot
from tests.helpers import change, view_of


def test_a_save_shows_at_once(data_dir):
    before, _ = snapshot.current(data_dir)
    change(data_dir, "po-002", tags=["saved"])
    after, _ = snapshot.current(data_dir)
    assert after is not before and after.action("po-002").tags == ["saved"]


def test_an_unchanged_folder_is_not_loaded_again(data_dir):
    first, frame = snapshot.current(data_dir)
    assert snapshot.current(data_dir) == (first, frame)


def test_a_file_edited_in_place_shows_once_every_file_is_looked_at_again(data_dir, monkeypatch):
    first, _ = snapshot.current(data_dir)
    quick = loader.folder_stamp(data_dir)
    path = data_dir / "actions" / "po-002.yaml"
    stat = path.stat()
    # an edit in place keeps the folder's time: only the file's own size and time tell
    path.write_text(path.read_text(encoding="utf-8").replace("progress: ", "progress: 1"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert loader.folder_stamp(data_dir) == quick
    monkeypatch.setattr(snapshot, "RESTAT_SECONDS", 0.0)
    assert snapshot.current(data_dir)[0] is not first


def test_the_folder_stamp_changes_when_a_file_is_added_or_a_top_file_changes(data_dir):
    stamp = loader.folder_stamp(data_dir)
    (data_dir / "actions" / "po-999.yaml").write_text("id: po-999\n", encoding="utf-8")
    added = loader.folder_stamp(data_dir)
    assert added != stamp
    with open(data_dir / "plan.yaml", "a", encoding="utf-8") as plan:
        plan.write("# a note\n")
    assert loader.folder_stamp(data_dir) != added


def test_a_view_works_a_result_out_once_per_dataset_and_filters(data_dir):
    dataset, _ = snapshot.current(data_dir)
    calls = []
    work = lambda: calls.append(1) or len(calls)  # noqa: E731
    tourism = view_of(dataset, "ru", areas=("tourism",))
    assert memo.per_view("count", tourism, work) == memo.per_view("count", tourism, work) == 1
    assert memo.per_view("count", view_of(dataset, "ru", areas=("sport",)), work) == 2


def test_results_of_an_older_load_of_the_folder_are_let_go(data_dir):
    old, _ = snapshot.current(data_dir)
    memo.per_view("count", view_of(old, "ru"), lambda: "old")
    change(data_dir, "po-002", tags=["saved"])
    new, _ = snapshot.current(data_dir)
    assert memo.per_view("count", view_of(new, "ru"), lambda: "new") == "new"
    assert all(kept is new for kept, _ in memo._kept.values())
