"""The pandas view of the actions the pages draw from: one row per action."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..data.bodies import EMPTY, Registry
from ..data.model import LANGS, TEXT_FIELDS, Action, Responsible, Text


def _row(action: Action, bodies: Registry = EMPTY) -> dict:
    start, end = action.start_period, action.end_period
    row = {
        "id": action.id,
        "area": action.area,
        "lead": action.lead,
        "status": action.status,
        "progress": action.shown_progress,
        "start": pd.Timestamp(start.first_day),
        "end": pd.Timestamp(end.last_day),
        "start_text": action.start,
        "end_text": action.end,
        "start_year": start.year,
        "end_year": end.year,
        "bodies_pavlodar": tuple(action.responsible.pavlodar),
        "bodies_omsk": tuple(action.responsible.omsk),
        "budget_amount": action.budget.amount if action.budget else None,
        "budget_currency": action.budget.currency if action.budget else None,
        "tags": tuple(action.tags),
        "updated": action.updated,
        "updated_by": action.updated_by,
    }
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
            shown, used = value.get(lang) if value is not None else ("", lang)
            row[f"{name}_{lang}"] = shown
            # The language actually shown, when it is not the one asked for ("" when it is).
            row[f"{name}_{lang}_from"] = used if used != lang else ""
    for name in TEXT_FIELDS:
        value = getattr(action, name)
        if value is not None:
            searchable += [v for v in (value.kk, value.ru, value.en) if v]
    row["search"] = " ".join(searchable).casefold()
    return row


def _columns() -> list[str]:
    """The column names, taken from a minimal action so they cannot drift."""
    minimal = Action(
        id="x",
        area="sport",
        title=Text(en="x"),
        lead="joint",
        responsible=Responsible(omsk=["x"]),
        start="2026",
        end="2026",
        status="planned",
        outcome=Text(en="x"),
    )
    return list(_row(minimal))


def actions_frame(actions: Iterable[Action], bodies: Registry = EMPTY) -> pd.DataFrame:
    """One row per action: dates as timestamps (start's first day, end's last
    day), progress as the plan reports it (``Action.shown_progress``), period
    labels and texts per language, bodies per side (registry ids or free names, as
    the files list them), and a case-folded ``search`` column over every language
    and every name of every body."""
    frame = pd.DataFrame([_row(a, bodies) for a in actions], columns=_columns())
    frame["progress"] = frame["progress"].astype("int64")
    frame.index = pd.Index(frame["id"].to_list())
    return frame
