"""The pandas view of the actions the pages draw from: one row per action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ..data.bodies import EMPTY, Registry
from ..data.fields import FIELDS, TEXT_FIELDS
from ..data.model import LANGS, Action


def _row(action: Action, bodies: Registry = EMPTY) -> dict:
    row = {}
    for declared in FIELDS:
        for key, value in declared.to_frame(action, bodies).items():
            # a day as a timestamp, for date arithmetic and the charts' time axes
            row[key] = pd.Timestamp(value) if type(value) is dt.date else value
    # bodies by every name they have (a registry body in kk, ru and en), so a search in any language finds them
    searchable = [
        action.id,
        *(name for key in (*action.responsible.pavlodar, *action.responsible.omsk) for name in bodies.all_names(key)),
        *action.tags,
    ]
    for lang in LANGS:
        row[f"period_{lang}"] = action.period_label(lang)
    for name in TEXT_FIELDS:
        value = getattr(action, name)
        if value is not None:
            searchable += [v for v in (value.kk, value.ru, value.en) if v]
    row["search"] = " ".join(searchable).casefold()
    return row


# Made from the fields of every action together.
_ACROSS = (*(f"period_{lang}" for lang in LANGS), "search")


def actions_frame(actions: Iterable[Action], bodies: Registry = EMPTY) -> pd.DataFrame:
    """One row per action: dates as timestamps (start's first day, end's last
    day), progress as the plan reports it (``Action.shown_progress``), period
    labels and texts per language, bodies per side (registry ids or free names, as
    the files list them), and a case-folded ``search`` column over every language
    and every name of every body."""
    columns = [*(column for declared in FIELDS for column in declared.frame), *_ACROSS]
    frame = pd.DataFrame([_row(a, bodies) for a in actions], columns=columns)
    frame["progress"] = frame["progress"].astype("int64")
    frame.index = pd.Index(frame["id"].to_list())
    return frame
