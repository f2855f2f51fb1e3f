"""The data folder as the pages and the web routes show it now: loaded once per change
of its files and shared by every session and request of the process."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from ..data import loader
from .frame import actions_frame

MAX_FOLDERS = 4  # one in a deployment; tests use many
_loading = threading.Lock()
_latest: dict[str, tuple[tuple, loader.Dataset, pd.DataFrame]] = {}


def current(data_dir: str | Path) -> tuple[loader.Dataset, pd.DataFrame]:
    """The folder's dataset and its actions frame, loaded again only when a file changed
    (``loader.fingerprint``: names, sizes, times), so a save shows at once. Shared
    read-only: nobody changes what this returns."""
    key = str(data_dir)
    stamp = loader.fingerprint(data_dir)
    hit = _latest.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1], hit[2]
    with _loading:  # one load at a time: the requests that wait for it take its result
        hit = _latest.get(key)
        if hit is None or hit[0] != stamp:
            dataset = loader.load(data_dir)
            hit = (stamp, dataset, actions_frame(dataset.actions, dataset.bodies))
            _latest.pop(key, None)
            _latest[key] = hit
            while len(_latest) > MAX_FOLDERS:
                del _latest[next(iter(_latest))]
    return hit[1], hit[2]


def clear() -> None:
    """Forget every loaded folder (tests that change what loading makes of the same files)."""
    _latest.clear()
