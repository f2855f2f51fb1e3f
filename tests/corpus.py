"""The hostile data corpus: broken and malicious data folders under ``tests/corpus/``.

Each case is a folder laid over a copy of the shipped data: its files replace or
join the shipped ones, and its ``case.yaml`` says what it is (``about``), what
else to do (``remove`` files, make ``fifos``, ``append`` generated text), how
many actions must still load (``valid``) and the exact lines ``python -m
coopplan validate data`` prints for it (``expect``).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from coopplan.data import yamlio
from tests.helpers import FROZEN

CORPUS = Path(__file__).resolve().parent / "corpus"
SPEC = "case.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    valid: int
    expect: list[str]

    def __str__(self) -> str:
        return self.name


def cases() -> list[Case]:
    found = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        spec = yamlio.loads((folder / SPEC).read_bytes())
        found.append(Case(folder.name, spec["about"], spec["valid"], spec["expect"]))
    return found


def build(name: str, parent: Path) -> Path:
    """``parent/data``: the frozen plan with case ``name`` laid over it (the cases' expected
    lines name its files)."""
    source = CORPUS / name
    spec = yamlio.loads((source / SPEC).read_bytes())
    target = parent / "data"
    shutil.copytree(FROZEN, target)
    for relative in spec.get("remove", []):
        path = target / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if relative == Path(SPEC) or (path.is_dir() and not path.is_symlink()):
            continue
        placed = target / relative
        placed.parent.mkdir(parents=True, exist_ok=True)
        if placed.is_file() or placed.is_symlink():
            placed.unlink()
        if path.is_symlink():
            os.symlink(os.readlink(path), placed)
        else:
            shutil.copyfile(path, placed)
    for relative in spec.get("fifos", []):
        os.mkfifo(target / relative)
    for item in spec.get("append", []):
        text = item["text"]
        generated = (
            "".join(text.replace("{n}", str(n)) for n in range(item["times"]))
            if "{n}" in text
            else text * item["times"]
        )
        with open(target / item["path"], "ab") as out:
            out.write(generated.encode("utf-8"))
    return target
