"""A quarter's closing file: ``quarters/<quarter>.yaml``.

Each side closes its half of a quarter (``reporting.quarters``); the file keeps who
closed it and when, the reports it held then (each file's SHA-256, so that a report
changed afterwards, by hand or otherwise, is caught by ``validate``), the reports
marked «not received» with a reason, how the joint actions' disagreements were
settled, and the exceptions an administrator opened, each with its uses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from . import validate, yamlio
from .files import NotAFile, open_regular, shown_path
from .model import ID_PATTERN, REGIONS, NonEmpty, QuarterText, ReportStatus, _Strict
from .validate import Problem

FOLDER = "quarters"
ActionKey = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Side = Literal["pavlodar", "omsk"]
Digest = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class SideClose(_Strict):
    """One side's close of its half of the quarter."""

    closed: dt.datetime
    closed_by: NonEmpty
    reports: dict[ActionKey, Digest] = Field(default_factory=dict)  # action -> its report file's SHA-256 then
    not_received: dict[ActionKey, NonEmpty] = Field(default_factory=dict)  # action -> why no report came


class Settlement(_Strict):
    """How a joint action's disagreement of the quarter was settled: ``agreed`` on one
    status and progress by both sides' coordinators (``by`` names both), or ``noted``
    as a disagreement (by the side that noted it). An agreement proposed by one side
    waits (``agreed`` with one name) until the other side's coordinator confirms it."""

    how: Literal["agreed", "noted"]
    status: ReportStatus | None = None
    progress: Annotated[int, Field(ge=0, le=100, strict=True)] | None = None
    by: dict[Side, NonEmpty]

    @property
    def settled(self) -> bool:
        return self.how == "noted" or all(side in self.by for side in REGIONS)


class Use(_Strict):
    at: dt.datetime
    by: NonEmpty
    report: Digest | None = None  # the report file's SHA-256 after the change; none: removed


class Reopening(_Strict):
    """An administrator's leave to change one action's report of one side in a closed quarter."""

    action: ActionKey
    side: Side
    reason: NonEmpty
    until: dt.date
    opened: dt.datetime
    opened_by: NonEmpty
    uses: list[Use] = Field(default_factory=list)

    def open_on(self, day: dt.date) -> bool:
        return day <= self.until


class QuarterFile(_Strict):
    quarter: QuarterText
    sides: dict[Side, SideClose] = Field(default_factory=dict)
    settlements: dict[ActionKey, Settlement] = Field(default_factory=dict)
    exceptions: list[Reopening] = Field(default_factory=list)

    @property
    def closed(self) -> bool:
        """Closed when both sides closed their half."""
        return all(side in self.sides for side in REGIONS)

    def to_yaml_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {"quarter": self.quarter}


def path_of(data_dir: Path, quarter: str) -> Path:
    return Path(data_dir) / FOLDER / f"{quarter}.yaml"


def digest(path: Path) -> str | None:
    """The SHA-256 of a report file as it is now; None when there is none."""
    try:
        handle, _ = open_regular(path)
    except (FileNotFoundError, NotAFile):
        return None
    with handle:
        return hashlib.sha256(handle.read()).hexdigest()


def read(data_dir: Path, quarter: str) -> tuple[QuarterFile | None, list[Problem]]:
    """A quarter's closing file (None when no side closed it, or it does not load) and its problems."""
    path = path_of(data_dir, quarter)
    shown = shown_path(path)
    try:
        handle, _ = open_regular(path)
    except FileNotFoundError:
        return None, []
    except (NotAFile, OSError):
        return None, [Problem(shown, 1, f"{shown} is not a readable file; remove it", "not_a_file")]
    with handle:
        raw = handle.read()
    try:
        data = yamlio.loads(raw)
    except yamlio.YamlError as error:
        return None, [Problem(shown, max(error.line, 1), error.message, error.kind)]
    found, problems = validate.shape_problems(QuarterFile, data, shown, raw.decode("utf-8", "replace"))
    if found is not None and found.quarter != quarter:
        message = f"{shown} is about {found.quarter}; a quarter's file is named after it"
        return None, [Problem(shown, 1, message, "quarter_misnamed")]
    return found, problems


def quarters_closed(data_dir: Path) -> list[str]:
    """The quarters that have a closing file, oldest first."""
    folder = Path(data_dir) / FOLDER
    try:
        names = [e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)]
    except OSError:
        return []
    return sorted(n.removesuffix(".yaml") for n in names if n.endswith(".yaml") and not n.startswith("."))


def problems(data_dir: Path) -> list[Problem]:
    """What ``validate`` says of the closing files: each loads, and every report of a
    closed half is as it was closed (or as an exception's last use left it): a report
    changed by hand afterwards, added or removed, is named."""
    found = []
    for quarter in quarters_closed(data_dir):
        closing, mine = read(data_dir, quarter)
        found += mine
        if closing is None:
            continue
        for side, close in closing.sides.items():
            folder = Path(data_dir) / "reports" / quarter
            try:
                present = {
                    e.name.removesuffix(f"-{side}.yaml")
                    for e in os.scandir(folder)
                    if e.name.endswith(f"-{side}.yaml") and not e.name.startswith(".")
                }
            except OSError:
                present = set()
            for action in sorted(present | set(close.reports)):
                path = folder / f"{action}-{side}.yaml"
                if digest(path) != closed_digest(closing, action, side):
                    message = (
                        f"{shown_path(path)} changed after {side} closed {quarter} and no exception was used for it;"
                        " put the file back as it was closed, or ask an administrator to open an exception"
                    )
                    found.append(Problem(shown_path(path), 1, message, "closed_quarter_changed"))
    return found


def closed_digest(closing: QuarterFile, action: str, side: str) -> str | None:
    """The SHA-256 a closed half's report must have: as closed, or as an exception's last use left it."""
    uses = [u for e in closing.exceptions if e.action == action and e.side == side for u in e.uses]
    if uses:  # in the order they were recorded
        return max(enumerate(uses), key=lambda pair: (pair[1].at, pair[0]))[1].report
    return closing.sides[side].reports.get(action)
