"""Synthetic plans for the benchmarks: the shipped actions cloned to any size, with
progress reports when asked."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from coopplan.data import loader, periods, standing, yamlio
from coopplan.data.model import Report

DATA = Path(__file__).resolve().parent.parent / "data"
QUARTERS = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def make_plan(target: Path, size: int, reports: int = 0) -> Path:
    """A data folder at ``target`` with ``size`` valid actions (clones of the shipped
    ones) and ``reports`` reports on each (its sides over the quarters of 2026), the
    actions' figures as their reports set them."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "actions").mkdir(exist_ok=True)
    for name in ("memorandum.yaml", "plan.yaml", "bodies.yaml"):
        shutil.copy(DATA / name, target / name)
    shipped = loader.load(DATA)
    texts = [r.done for r in shipped.reports]
    for number in range(size):
        action = shipped.actions[number % len(shipped.actions)].model_copy(
            update={"id": f"syn-{number:05d}", "progress": number % 101, "status": "in_progress"}
        )
        written = []
        for index in range(reports):
            side = action.reporting_sides[index % len(action.reporting_sides)]
            quarter = QUARTERS[index // len(action.reporting_sides) % len(QUARTERS)]
            report = Report(
                action=action.id,
                side=side,
                period=quarter,
                date=periods.parse(quarter).last_day + dt.timedelta(days=5),
                status="in_progress",
                progress=min(100, 10 * (index + 1)),
                done=texts[(number + index) % len(texts)],
            )
            folder = target / "reports" / quarter
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{action.id}-{side}.yaml").write_text(yamlio.dumps(report.to_yaml_dict()), encoding="utf-8")
            written.append(report)
        action = standing.apply(action, written) if written else action
        (target / "actions" / f"{action.id}.yaml").write_text(yamlio.dumps(action.to_yaml_dict()), encoding="utf-8")
    return target
