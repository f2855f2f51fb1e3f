"""JSON Schemas of the data files, generated from the pydantic models.

The shipped files in ``coopplan/data/schemas/`` let editors such as VS Code check
the YAML as people type it; a test keeps them equal to what this generates,
so they say exactly what the validator enforces for each file's shape.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import evidence, model
from .bodies import BodiesFile
from .quarter_file import QuarterFile

FOLDER = Path(__file__).parent / "schemas"
MODELS = {
    "memorandum": model.Memorandum,
    "plan": model.Plan,
    "action": model.Action,
    "report": model.Report,
    "baseline": model.Baseline,
    "bodies": BodiesFile,
    "evidence": evidence.Attachment,
    "quarter": QuarterFile,
}


def generate() -> dict[str, dict]:
    """File name -> JSON Schema document."""
    documents = {}
    for name, cls in MODELS.items():
        body = cls.model_json_schema()
        documents[f"{name}.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://coopplan.local/schemas/{name}.schema.json",
            **body,
        }
    return documents


def render(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in generate().items():
        path = folder / name
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    return written
