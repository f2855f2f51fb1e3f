"""A second valid plan, made from the tests' frozen one with other ids and fewer
actions (its reports and approved baseline following them), and the tests' fast part
run over it: proof that the suite does not lean on the shipped plan's ids or counts.

``python -m tests.second_plan [PYTEST ARGS]`` (``make test`` runs it): every test not
marked ``browser`` in the modules not listed in ``conftest.FROZEN_PLAN_MODULES`` (those
name the frozen plan's ids, figures or texts), with ``COOPPLAN_TEST_PLAN`` naming the
generated folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from coopplan.data import quarter_file, yamlio
from tests.helpers import FROZEN, ROOT

KEEP_EVERY = 4  # one action in this many is left out, so counts differ too


def new_ids(old: list[str]) -> dict[str, str]:
    """Kept ids to new ones: another prefix, numbered backwards."""
    kept = [action_id for number, action_id in enumerate(sorted(old)) if number % KEEP_EVERY != KEEP_EVERY - 1]
    return {action_id: f"gen-{len(kept) - number:03d}" for number, action_id in enumerate(kept)}


def _write(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yamlio.dumps(record), encoding="utf-8")


def make(target: Path, source: Path = FROZEN) -> Path:
    """The second plan at ``target``: ``source``'s memorandum, plan and bodies, and its
    actions, reports, baselines, quarters' closes and evidence under new ids."""
    target.mkdir(parents=True)
    for name in ("memorandum.yaml", "plan.yaml", "bodies.yaml"):
        shutil.copy(source / name, target / name)
    ids = new_ids([path.stem for path in (source / "actions").glob("*.yaml")])
    for old, new in ids.items():
        record = yamlio.loads((source / "actions" / f"{old}.yaml").read_bytes())
        _write(target / "actions" / f"{new}.yaml", {**record, "id": new})
    for path in (source / "reports").glob("*/*.yaml"):
        record = yamlio.loads(path.read_bytes())
        if record["action"] in ids:
            renamed = ids[record["action"]]
            _write(
                target / "reports" / path.parent.name / f"{renamed}-{record['side']}.yaml",
                {**record, "action": renamed},
            )
    for path in (source / "baselines").glob("*.yaml"):
        record = yamlio.loads(path.read_bytes())
        actions = [{**a, "id": ids[a["id"]]} for a in record["actions"] if a["id"] in ids]
        _write(target / "baselines" / path.name, {**record, "actions": actions})
    for path in (source / "quarters").glob("*.yaml"):
        _write(target / "quarters" / path.name, _closing(yamlio.loads(path.read_bytes()), ids, target))
    for path in (source / "evidence").glob("*.yaml"):
        record = yamlio.loads(path.read_bytes())
        period, _, rest = record["of"].rpartition("/")
        action = rest.removesuffix(f"-{record['side']}") if period else rest
        if action in ids:
            of = f"{period}/{ids[action]}-{record['side']}" if period else ids[action]
            _write(target / "evidence" / path.name, {**record, "of": of})
            (target / "files").mkdir(exist_ok=True)
            shutil.copy(source / "files" / record["file"], target / "files" / record["file"])
    return target


def _closing(record: dict, ids: dict[str, str], target: Path) -> dict:
    """A quarter's closing file under the new ids: each closed report's digest that of
    its renamed file."""
    quarter = record["quarter"]
    sides = {}
    for side, close in record.get("sides", {}).items():
        reports = {
            ids[a]: quarter_file.digest(target / "reports" / quarter / f"{ids[a]}-{side}.yaml")
            for a in close.get("reports", {})
            if a in ids
        }
        missing = {ids[a]: why for a, why in close.get("not_received", {}).items() if a in ids}
        sides[side] = {**close, "reports": reports, "not_received": missing}
    settlements = {ids[a]: s for a, s in record.get("settlements", {}).items() if a in ids}
    exceptions = [{**e, "action": ids[e["action"]]} for e in record.get("exceptions", []) if e["action"] in ids]
    return {**record, "sides": sides, "settlements": settlements, "exceptions": exceptions}


def main(args: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="second-plan-") as folder:
        plan = make(Path(folder) / "plan")
        env = {**os.environ, "COOPPLAN_TEST_PLAN": str(plan)}
        command = [sys.executable, "-m", "pytest", "-m", "not browser", "-q", *args]
        return subprocess.run(command, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
