"""Synthetic plans for the benchmarks: the shipped actions cloned to any size."""

from __future__ import annotations

import shutil
from pathlib import Path

from coopplan.data import loader, yamlio

DATA = Path(__file__).resolve().parent.parent / "data"


def make_plan(target: Path, size: int) -> Path:
    """A data folder at ``target`` with ``size`` valid actions (clones of the shipped ones)."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "actions").mkdir(exist_ok=True)
    for name in ("memorandum.yaml", "plan.yaml", "bodies.yaml"):
        shutil.copy(DATA / name, target / name)
    templates = loader.load(DATA).actions
    for number in range(size):
        record = templates[number % len(templates)].to_yaml_dict()
        record["id"] = f"syn-{number:05d}"
        record["progress"] = number % 101
        (target / "actions" / f"{record['id']}.yaml").write_text(yamlio.dumps(record), encoding="utf-8")
    return target
