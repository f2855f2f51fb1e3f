"""Opening files of the data folder safely: regular files only, never through a
link out of the folder, never blocking on a pipe; paths shown as people type them."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotAFile(OSError):
    """A folder, device or pipe where a data file should be."""


def open_regular(path: str | os.PathLike) -> tuple[BinaryIO, os.stat_result]:
    """A regular file opened for reading, and its status; NotAFile for anything
    else. Opened without blocking, so that a named pipe under a data file's
    name cannot hang the reader."""
    handle = open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb")
    status = os.fstat(handle.fileno())
    if not stat.S_ISREG(status.st_mode):
        handle.close()
        raise NotAFile(f"{path} is not a regular file")
    return handle, status


def shown_path(path: Path) -> str:
    """The path as a person would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, is in ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (OSError, ValueError):
        return False
