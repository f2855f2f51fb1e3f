"""The edit form's values and an action record, both ways (no Streamlit here).

Form values are a flat mapping of the fields in ``FIELDS`` (``title_kk``,
``bodies_omsk``, ``budget_amount``…) so a page can keep whatever was typed in its
session, one widget a field.
"""

from __future__ import annotations

import datetime as dt

from ..data import periods
from ..data.bodies import EMPTY, Registry
from ..data.model import AREA_IDS, LANGS, TEXT_FIELDS, Action, trim_text

CURRENCIES = ("KZT", "RUB", "USD", "EUR")
# Every field of the form but the id (fixed when the form opens), in the form's order.
FIELDS = (
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGS),
    "area",
    "lead",
    "status",
    "bodies_pavlodar",
    "bodies_omsk",
    "start",
    "end",
    "progress",
    "budget_amount",
    "budget_currency",
    "budget_source",
    "indicators",
    "tags",
)


# The period picker: one list of the plan's years, quarters and months in calendar
# order (2026, 2026-Q1, 2026-01, 2026-02, 2026-03, 2026-Q2, …), and DAY, which takes
# the day from a date field beside it. It writes the same codes people typed before.
DAY = "day"


def period_choices(years: list[int]) -> list[str]:
    choices = []
    for year in years:
        choices.append(str(year))
        for quarter in range(1, 5):
            choices.append(f"{year}-Q{quarter}")
            choices += [f"{year}-{month:02d}" for month in range(3 * quarter - 2, 3 * quarter + 1)]
    return [*choices, DAY]


def period_parts(code: str) -> tuple[str, dt.date]:
    """The picker's choice and date for a period code (the date: a day's own, else the
    period's first day, ready if the editor switches to a day)."""
    period = periods.parse(code)
    return (DAY if period.kind == "day" else str(period)), period.first_day


def period_code(choice: str, day: dt.date | None) -> str:
    """The code the picker's choice and date stand for."""
    if choice == DAY:
        return day.isoformat() if day is not None else ""
    return choice


def values_from_action(action: Action) -> dict:
    """Form values showing ``action``."""
    values = {
        "id": action.id,
        "area": action.area,
        "lead": action.lead,
        "bodies_pavlodar": list(action.responsible.pavlodar),
        "bodies_omsk": list(action.responsible.omsk),
        "start": action.start,
        "end": action.end,
        "status": action.status,
        "progress": action.progress or 0,
        "budget_amount": action.budget.amount if action.budget else None,
        "budget_currency": action.budget.currency if action.budget else None,
        "budget_source": (action.budget.source or "") if action.budget else "",
        "tags": ", ".join(action.tags),
        "indicators": [
            {
                **{f"name_{lang}": getattr(i.name, lang) or "" for lang in LANGS},
                **{f"unit_{lang}": (getattr(i.unit, lang) or "") if i.unit else "" for lang in LANGS},
                "target": i.target,
                "actual": i.actual,
            }
            for i in action.indicators
        ],
    }
    for name in TEXT_FIELDS:
        text = getattr(action, name)
        for lang in LANGS:
            values[f"{name}_{lang}"] = (getattr(text, lang) or "") if text is not None else ""
    return values


def blank_values(action_id: str, year: int) -> dict:
    """Form values for a new action."""
    values = {
        "id": action_id,
        "area": AREA_IDS[0],
        "lead": "joint",
        "bodies_pavlodar": [],
        "bodies_omsk": [],
        "start": str(year),
        "end": str(year),
        "status": "planned",
        "progress": 0,
        "budget_amount": None,
        "budget_currency": None,
        "budget_source": "",
        "tags": "",
        "indicators": [],
    }
    values.update({f"{name}_{lang}": "" for name in TEXT_FIELDS for lang in LANGS})
    return values


def _text(values: dict, name: str) -> dict | None:
    text = {lang: trim_text(values.get(f"{name}_{lang}", "")) for lang in LANGS}
    text = {lang: value for lang, value in text.items() if value}
    return text or None


def _blank(value) -> bool:
    return (
        value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())
    )


def action_record(values: dict, bodies: Registry = EMPTY) -> dict:
    """An action record from form values; empty optional fields left out; a body
    typed by its name (in any language) stored as its registry id."""
    record: dict = {"id": values["id"], "area": values["area"]}
    for name in ("title", "description"):
        if (text := _text(values, name)) is not None:
            record[name] = text
    record["lead"] = values["lead"]
    record["responsible"] = {
        side: [bodies.key_for(b) for b in values.get(f"bodies_{side}", []) if b.strip()]
        for side in ("pavlodar", "omsk")
    }
    record["start"] = values.get("start", "").strip()
    record["end"] = values.get("end", "").strip()
    record["status"] = values["status"]
    if values.get("progress") is not None:
        record["progress"] = int(values["progress"])
    for name in ("outcome", "location"):
        if (text := _text(values, name)) is not None:
            record[name] = text
    if not _blank(values.get("budget_amount")) or values.get("budget_currency"):
        budget = {"amount": values.get("budget_amount"), "currency": values.get("budget_currency")}
        if values.get("budget_source", "").strip():
            budget["source"] = values["budget_source"].strip()
        record["budget"] = budget
    indicators = []
    for row in values.get("indicators") or []:
        name = {lang: str(row.get(f"name_{lang}") or "").strip() for lang in LANGS}
        unit = {lang: str(row.get(f"unit_{lang}") or "").strip() for lang in LANGS}
        if not any(name.values()) and _blank(row.get("target")) and _blank(row.get("actual")):
            continue  # an empty row of the editor
        indicator: dict = {"name": {k: v for k, v in name.items() if v}}
        if any(unit.values()):
            indicator["unit"] = {k: v for k, v in unit.items() if v}
        for key in ("target", "actual"):
            if not _blank(row.get(key)):
                indicator[key] = row[key]
        indicators.append(indicator)
    if indicators:
        record["indicators"] = indicators
    tags = [t.strip() for t in values.get("tags", "").split(",") if t.strip()]
    if tags:
        record["tags"] = tags
    return record
