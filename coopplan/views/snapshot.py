"""The data folder as the pages and the web routes show it now: loaded once per change
of its files and shared by every session and request of the process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd

from ..data import loader
from . import memo
from .frame import actions_frame

MAX_FOLDERS = 4  # one in a deployment; tests use many
# How long a file edited in place under a folder (by hand, in an editor) may go
# unseen: every file is stat'ed again at most this often.
RESTAT_SECONDS = 3.0
_loading = threading.Lock()
_latest: dict[str, tuple[tuple, loader.Dataset, pd.DataFrame]] = {}
_stamps: dict[str, tuple[tuple, float, tuple]] = {}  # folder -> (folder stamp, when, fingerprint)


def _fingerprint(key: str) -> tuple:
    """``loader.fingerprint`` of the folder, worked out again only when its folders or
    top files changed (``loader.folder_stamp``: a few stats) or every RESTAT_SECONDS."""
    quick = loader.folder_stamp(key)
    now = time.monotonic()
    seen = _stamps.get(key)
    if seen is not None and seen[0] == quick and now - seen[1] < RESTAT_SECONDS:
        return seen[2]
    full = loader.fingerprint(key)
    _stamps[key] = (quick, now, full)
    return full


def current(data_dir: str | Path) -> tuple[loader.Dataset, pd.DataFrame]:
    """The folder's dataset and its actions frame, loaded again only when a file changed
    (``loader.fingerprint``: names, sizes, times), so a save shows at once and a hand
    edit within seconds. Shared read-only: nobody changes what this returns."""
    key = str(data_dir)
    stamp = _fingerprint(key)
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
    _stamps.clear()
    memo.clear()
