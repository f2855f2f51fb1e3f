"""The deployment's settings, read from the environment: where the data and the
accounts live, and the interface language when nothing else chooses one."""

from __future__ import annotations

import os
from pathlib import Path

from .data.model import LANGS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the argument, else ``$COOPPLAN_DATA``, else ``<project>/data``."""
    chosen = explicit or os.environ.get("COOPPLAN_DATA")
    return Path(chosen) if chosen else PROJECT_ROOT / "data"


def accounts_path() -> Path:
    """The editors' accounts file: ``$COOPPLAN_USERS``, else ``<project>/.coopplan/users.yaml``."""
    chosen = os.environ.get("COOPPLAN_USERS")
    return Path(chosen) if chosen else PROJECT_ROOT / ".coopplan" / "users.yaml"


def default_lang() -> str:
    """The configured default: ``$COOPPLAN_LANG`` when it is kk, ru or en, else Russian."""
    lang = os.environ.get("COOPPLAN_LANG", "ru")
    return lang if lang in LANGS else "ru"
