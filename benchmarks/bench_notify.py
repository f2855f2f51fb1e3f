"""The daily mail run at scale: deciding and rendering the reminders of a reminder day
for 200 accounts (editors of each side narrowed to one or two bodies, editors of a
whole side, coordinators with their side's summary) over a generated plan of 10,000
actions with 2 reports each; the SMTP time is not in it (nothing is sent). Prints
medians: the plan's load, the decision and rendering, and both together as
``notify`` does them. Target: under 10 s."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic import make_plan  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from coopplan.data import loader  # noqa: E402
from coopplan.editing import auth  # noqa: E402
from coopplan.notices import run  # noqa: E402
from coopplan.notices.outbox import Outbox  # noqa: E402
from coopplan.reporting import duties  # noqa: E402

ACCOUNTS = 200
QUARTER = "2026-Q4"


def accounts(dataset: loader.Dataset, path: Path) -> None:
    """200 accounts in kk and ru (hashes made up: nobody signs in here)."""
    users: dict[str, dict] = {}
    for side in ("pavlodar", "omsk"):
        bodies = dataset.bodies.of_region(side) or ["—"]
        users[f"{side}.coordinator"] = {"role": f"{side}-coordinator", "password": "x", "email": f"c@{side}.kz"}
        for number in range(ACCOUNTS // 2 - 1):
            named = [bodies[number % len(bodies)], bodies[(number * 7) % len(bodies)]][: 1 + number % 2]
            users[f"{side}{number:03d}"] = {
                "role": side,
                "password": "x",
                "email": f"e{number}@{side}.kz",
                "lang": ("kk", "ru")[number % 2],
                **({"bodies": named} if number % 10 else {}),  # every tenth reports for the whole side
            }
    auth.save_accounts(users, path)


def decide_and_render(dataset: loader.Dataset, day: dt.date, box: Outbox) -> list:
    """The reminders due, each rendered in full: its text and its HTML."""
    return [(m.subject, m.text, m.html) for m in run.due(dataset, day, box, "https://plan.example.kz")]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_plan(Path(tmp) / "big", 10_000, 2)
        os.environ["COOPPLAN_USERS"] = str(Path(tmp) / "accounts" / "users.yaml")
        dataset = loader.load(folder)
        accounts(dataset, Path(os.environ["COOPPLAN_USERS"]))
        box = Outbox(Path(tmp) / "accounts" / "outbox.jsonl")
        day = duties.due_date(QUARTER) - dt.timedelta(days=10)
        mails = run.due(dataset, day, box, "https://plan.example.kz")
        owed = sum(text.count("\n• ") for text in (m.text for m in mails))
        print(f"reminder day {day}: {len(mails)} mails to {ACCOUNTS} accounts, {owed} actions listed in them")
        took = median_ms(partial(loader.load, folder), runs=3)
        print(f"loading the plan, 10,000 actions, 20,000 reports: {took:.0f} ms")
        took = median_ms(partial(decide_and_render, dataset, day, box))
        print(f"deciding and rendering the reminders, 200 accounts: {took:.0f} ms (target: under 10,000)")
        took = median_ms(lambda: decide_and_render(loader.load(folder), day, box), runs=3)
        print(
            f"notify without SMTP (load, decide, render), 200 accounts, 10,000 actions: {took:.0f} ms (target 10,000)"
        )


if __name__ == "__main__":
    main()
