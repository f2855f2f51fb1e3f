"""The edit form's and the report form's values and their records, both ways (no Streamlit here).

Form values are a flat mapping of the fields in ``FIELDS`` (``title_kk``,
``bodies_omsk``, ``budget_amount``…) so a page can keep whatever was typed in its
session, one widget a field.
"""

from __future__ import annotations

import datetime as dt

from ..data import periods
from ..data.bodies import EMPTY, Registry
from ..data.model import AREA_IDS, LANGS, REGIONS, REPORT_STATUSES, TEXT_FIELDS, Action, Report, trim_text

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
                "id": i.id or "",
                **{f"name_{lang}": getattr(i.name, lang) or "" for lang in LANGS},
                **{f"unit_{lang}": (getattr(i.unit, lang) or "") if i.unit else "" for lang in LANGS},
                "baseline_value": i.baseline.value if i.baseline else None,
                "baseline_year": i.baseline.year if i.baseline else None,
                "target": i.target,
                **{f"target_{year}": value for year, value in i.targets.items()},
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


def indicator_columns(years: list[int]) -> list[str]:
    """The columns of the indicators' editor: a yearly target for each of ``years``."""
    names = [f"name_{lang}" for lang in LANGS] + [f"unit_{lang}" for lang in LANGS]
    return ["id", *names, "baseline_value", "baseline_year", "target", *(f"target_{y}" for y in years), "actual"]


def _indicator(row: dict) -> dict | None:
    """An indicator record from a row of the indicators' editor; None for an empty row."""
    name = {lang: str(row.get(f"name_{lang}") or "").strip() for lang in LANGS}
    unit = {lang: str(row.get(f"unit_{lang}") or "").strip() for lang in LANGS}
    numbers = [k for k, v in row.items() if k.startswith(("target", "actual", "baseline")) and not _blank(v)]
    if not any(name.values()) and not numbers and not str(row.get("id") or "").strip():
        return None
    indicator: dict = {"name": {k: v for k, v in name.items() if v}}
    if str(row.get("id") or "").strip():
        indicator["id"] = str(row["id"]).strip()
    if any(unit.values()):
        indicator["unit"] = {k: v for k, v in unit.items() if v}
    if not _blank(row.get("baseline_value")) or not _blank(row.get("baseline_year")):
        indicator["baseline"] = {"value": row.get("baseline_value"), "year": _whole(row.get("baseline_year"))}
    if not _blank(row.get("target")):
        indicator["target"] = row["target"]
    targets = {
        int(key.removeprefix("target_")): value
        for key, value in row.items()
        if key.startswith("target_") and key.removeprefix("target_").isdigit() and not _blank(value)
    }
    if targets:
        indicator["targets"] = targets
    if not _blank(row.get("actual")):
        indicator["actual"] = row["actual"]
    return indicator


def _whole(value):
    """A year typed in a number cell (2025.0) as the whole number it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


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
        side: [bodies.key_for(b) for b in values.get(f"bodies_{side}", []) if b.strip()] for side in REGIONS
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
    indicators = [_indicator(row) for row in values.get("indicators") or []]
    indicators = [i for i in indicators if i is not None]
    taken = {i["id"] for i in indicators if "id" in i}
    for number, indicator in enumerate(indicators, start=1):
        if "id" not in indicator:  # reports name indicators by id: a new one gets the first free i1, i2…
            indicator["id"] = next(f"i{n}" for n in range(number, number + len(indicators) + 1) if f"i{n}" not in taken)
            taken.add(indicator["id"])
    if indicators:
        record["indicators"] = [{"id": i.pop("id"), **i} for i in indicators]
    tags = [t.strip() for t in values.get("tags", "").split(",") if t.strip()]
    if tags:
        record["tags"] = tags
    return record


# ---- the report form --------------------------------------------------------------

# Every field of the report form but the indicators (one ``indicator_<id>`` each).
REPORT_FIELDS = ("status", "progress", *(f"done_{lang}" for lang in LANGS), "evidence", "date")


def report_values(action: Action, previous: Report | None, today: dt.date) -> dict:
    """Report form values for ``action``, starting from the side's ``previous`` report:
    its status, progress and indicator values carried on; what was done and the
    evidence are the new quarter's own, so they start empty."""
    if previous is not None:
        status, progress = previous.status, previous.progress
    else:
        status = action.status if action.status in REPORT_STATUSES else "in_progress"
        progress = action.shown_progress
    values = {"status": status, "progress": progress, "evidence": "", "date": today}
    values |= {f"done_{lang}": "" for lang in LANGS}
    for indicator in action.indicators:
        if indicator.id is not None:
            given = previous.indicators.get(indicator.id) if previous is not None else None
            values[f"indicator_{indicator.id}"] = given if given is not None else indicator.actual
    return values


def report_record(values: dict, action_id: str, side: str, quarter: str) -> dict:
    """A report record from form values; empty optional fields left out."""
    record: dict = {"action": action_id, "side": side, "period": quarter, "date": values["date"]}
    record |= {"status": values["status"], "progress": int(values["progress"])}
    if (done := _text(values, "done")) is not None:
        record["done"] = done
    evidence = [line.strip() for line in str(values.get("evidence") or "").splitlines() if line.strip()]
    if evidence:
        record["evidence"] = evidence
    given = {
        key.removeprefix("indicator_"): value
        for key, value in values.items()
        if key.startswith("indicator_") and not _blank(value)
    }
    if given:
        record["indicators"] = given
    return record
