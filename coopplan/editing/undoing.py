"""Any change of the history undone, whatever it changed: an attachment's record (with
its file) by the evidence operations, every other file by the store. The one entry the
History page calls, so neither writer has to know the other."""

from __future__ import annotations

from pathlib import Path

from ..data import evidence as records
from . import auth, evidence, history, store


def undo(data_dir: Path, entry: history.Entry, user: auth.User | None, *, memorandum=None) -> store.Saved:
    """Put back what ``entry`` changed (``store.undo``, ``evidence.undo``)."""
    if entry.path and entry.path.startswith(f"{records.FOLDER}/"):
        return evidence.undo(Path(data_dir), entry, user)
    return store.undo(data_dir, entry, user, memorandum=memorandum)
