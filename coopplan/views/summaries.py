"""Headline figures and short lists of the plan (overdue, upcoming, per area, per
status, per body), computed from a (filtered) actions frame."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.model import AREA_IDS, LEADS, OPEN_STATUSES, REGIONS, STATUSES

# Overdue: an open action (model.OPEN_STATUSES) whose period has ended. A postponed one
# counts: its dates passed and it is not done, so someone must set new dates or cancel
# it. Starting soon: a planned action whose start falls in the next UPCOMING_DAYS. A
# postponed one does not: its dates no longer hold until new ones are set; one in
# progress has already begun.
STARTING = ("planned",)
UPCOMING_DAYS = 90


@dataclass(frozen=True)
class Headline:
    actions: int
    by_status: dict[str, int]
    done_share: float
    overdue: int
    upcoming: int


def is_overdue(frame: pd.DataFrame, asof: dt.date) -> pd.Series:
    """Which actions of ``frame`` are overdue on ``asof`` (the rule above)."""
    return frame["status"].isin(OPEN_STATUSES) & (frame["end"] < pd.Timestamp(asof))


def is_upcoming(frame: pd.DataFrame, asof: dt.date, days: int = UPCOMING_DAYS) -> pd.Series:
    """Which actions of ``frame`` start soon after ``asof`` (the rule above)."""
    start = pd.Timestamp(asof)
    return (
        frame["status"].isin(STARTING) & (frame["start"] >= start) & (frame["start"] <= start + pd.Timedelta(days=days))
    )


def overdue(frame: pd.DataFrame, asof: dt.date) -> pd.DataFrame:
    """Overdue actions, the longest overdue first."""
    return frame[is_overdue(frame, asof)].sort_values(["end", "id"])


def upcoming(frame: pd.DataFrame, asof: dt.date, days: int = UPCOMING_DAYS) -> pd.DataFrame:
    """Actions starting from ``asof`` to ``days`` later, soonest first."""
    return frame[is_upcoming(frame, asof, days)].sort_values(["start", "id"])


def headline(frame: pd.DataFrame, asof: dt.date) -> Headline:
    by_status = frame["status"].value_counts().reindex(STATUSES, fill_value=0)
    total = len(frame)
    return Headline(
        actions=total,
        by_status={k: int(v) for k, v in by_status.items()},
        done_share=(by_status["done"] / total) if total else 0.0,
        overdue=len(overdue(frame, asof)),
        upcoming=len(upcoming(frame, asof)),
    )


def area_by_lead(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts, areas (memorandum order) × leads."""
    counts = frame.groupby(["area", "lead"]).size().unstack(fill_value=0) if len(frame) else pd.DataFrame()
    return counts.reindex(index=list(AREA_IDS), columns=list(LEADS), fill_value=0)


def area_by_year(frame: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Actions running in each year (an action spanning years counts in each), areas × years."""
    codes = frame["area"].map({a: i for i, a in enumerate(AREA_IDS)}).to_numpy()
    first, last = frame["start_year"].to_numpy(), frame["end_year"].to_numpy()
    counts = {y: np.bincount(codes[(first <= y) & (last >= y)].astype(int), minlength=len(AREA_IDS)) for y in years}
    return pd.DataFrame(counts, index=list(AREA_IDS))


def status_counts(frame: pd.DataFrame) -> pd.Series:
    return frame["status"].value_counts().reindex(STATUSES, fill_value=0)


def progress_by_area(frame: pd.DataFrame) -> pd.Series:
    """Mean progress per area (as ``Action.shown_progress``); NaN for areas without actions."""
    return frame["progress"].astype("float").groupby(frame["area"]).mean().reindex(AREA_IDS)


def bodies(frame: pd.DataFrame, side: str, name=str) -> list[tuple[str, int]]:
    """Executing bodies of ``side`` (registry ids or free names) with how many actions
    each carries, most first, then by ``name`` (a body's name as the page shows it)."""
    counts = frame[f"bodies_{side}"].explode().dropna().value_counts()
    return sorted(counts.items(), key=lambda item: (-item[1], name(item[0])))


def all_bodies(frame: pd.DataFrame, name=str) -> list[str]:
    """Every executing body named in the plan, Pavlodar's then Omsk's, each side in
    the alphabetical order of ``name`` (a body's name as the page shows it)."""
    keys = []
    for side in REGIONS:
        keys += sorted(set(frame[f"bodies_{side}"].explode().dropna()) - set(keys), key=name)
    return keys
