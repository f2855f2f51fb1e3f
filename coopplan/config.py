"""Where the data lives: ``COOPPLAN_DATA`` or the project's embedded ``data/``."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument, else ``$COOPPLAN_DATA``, else ``<project>/data``."""
    chosen = explicit or os.environ.get("COOPPLAN_DATA")
    return Path(chosen) if chosen else PROJECT_ROOT / "data"
