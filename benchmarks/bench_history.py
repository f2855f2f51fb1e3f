"""The history at 100, 1,000, 10,000 and 100,000 entries: each reader's median time.

The log is grown with edits of a 300-action plan (each line a whole before-and-after
record, about 3.5 kB, as the app writes them: 100,000 entries are about 350 MB),
written in bulk rather than one synced append at a time. At each size it prints the
time the index takes to take in the lines added since the last size (once, as after
a server's upgrade or a restored backup), then the median of each reader: the History
page's filter lists, its first and its last page, one action's changes, the latest
change of a file (what undo and a save interrupted by a crash ask), a new id and
whether an id was used, a whole History page run under AppTest, and the undo of a
recent change. Reading the whole log, as every reader did before the index, is
timed up to 10,000 entries (at 100,000 it needs gigabytes of memory).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import make_plan  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.data.model import Text  # noqa: E402
from coopplan.editing import history, store  # noqa: E402
from coopplan.editing.auth import User  # noqa: E402
from coopplan.ui.account import TEST_SESSION  # noqa: E402
from tests.helpers import session_of  # noqa: E402

SIZES = (100, 1_000, 10_000, 100_000)
WHOLE_UP_TO = 10_000
ACTIONS = 300
ADMIN = User("bench", "admin")
PEOPLE = [f"editor{n}" for n in range(12)]


def grow(folder: Path, records: list[dict], have: int, want: int) -> None:
    """Append ``want - have`` edits to the log in bulk (one write per thousand lines)."""
    with open(folder / history.FILE, "ab") as log:
        batch = []
        for number in range(have, want):
            record = records[number % len(records)]
            after = record | {"progress": number % 101}
            entry = history.new_entry(PEOPLE[number % len(PEOPLE)], record["id"], "edit", record, after)
            batch.append(entry.to_json() + "\n")
            if len(batch) == 1000:
                log.write("".join(batch).encode("utf-8"))
                batch = []
        log.write("".join(batch).encode("utf-8"))


def page_runner(folder: Path):
    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=120)
    at.query_params["lang"] = "ru"
    at.session_state[TEST_SESSION] = session_of(ADMIN)
    at.run()  # fills the data cache
    assert not at.exception, at.exception
    return lambda: at.run()


def undo_recent(folder: Path, dataset) -> float:
    """One edit saved (untimed), then its undo timed: the median of five."""
    times = []
    for number in range(5):
        action = dataset.actions[number]
        version, _ = store.read_version(folder, action.id)
        saved = store.save(
            folder, action.model_copy(update={"location": Text(en=f"bench {time.time_ns()}")}), ADMIN, version
        )
        started = time.perf_counter()
        store.undo(folder, saved.entry, ADMIN)
        times.append(time.perf_counter() - started)
    return sorted(times)[2] * 1000


def main() -> None:
    columns = (
        ("index", 9),
        ("filters", 8),
        ("page 1", 7),
        ("last page", 9),
        ("1 action", 8),
        ("latest", 7),
        ("next_id", 8),
        ("id used", 8),
        ("page run", 9),
        ("undo", 7),
        ("whole log", 10),
    )
    print("median ms; index: taking in the lines added since the previous size, once")
    print(f"{'entries':>8} " + " ".join(f"{name:>{width}}" for name, width in columns))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COOPPLAN_USERS"] = str(Path(tmp) / "users.yaml")
        folder = make_plan(Path(tmp) / "data", ACTIONS)
        os.environ["COOPPLAN_DATA"] = str(folder)
        dataset = loader.load(folder)
        records = [json.loads(json.dumps(a.to_yaml_dict(), default=str)) for a in dataset.actions]
        ids = [a.id for a in dataset.actions]
        have = 0
        for size in SIZES:
            grow(folder, records, have, size)
            have = size
            started = time.perf_counter()
            history.summary(folder)
            index = (time.perf_counter() - started) * 1000
            last = (size - 1) // history.PAGE * history.PAGE
            file = f"actions/{ids[7]}.yaml"
            times = [
                index,
                median_ms(lambda: history.summary(folder), runs=7),
                median_ms(lambda: history.page(folder), runs=7),
                median_ms(partial(history.page, folder, start=last), runs=7),
                median_ms(lambda: history.page(folder, actions=[ids[7]]), runs=7),
                median_ms(partial(history.latest, folder, file), runs=7),
                median_ms(lambda: store.next_id(folder, ids), runs=7),
                median_ms(lambda: history.was_used(folder, "PO-999"), runs=7),
                median_ms(page_runner(folder), runs=3),
                undo_recent(folder, dataset),
            ]
            whole = f"{median_ms(lambda: history.read(folder), runs=3):>10.1f}" if size <= WHOLE_UP_TO else f"{'—':>10}"
            have += 10  # the undo benchmark added five edits and five undos
            cells = " ".join(f"{value:>{width}.1f}" for value, (_, width) in zip(times, columns, strict=False))
            print(f"{size:>8,} {cells} {whole}", flush=True)
        size = (folder / history.FILE).stat().st_size
        print(f"log: {size / 1e6:.0f} MB; index: {(folder / history.INDEX).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
