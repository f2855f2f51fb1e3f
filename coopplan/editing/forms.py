"""The edit form's and the report form's values and their records, both ways (no Streamlit here).

Form values are a flat mapping of the fields in ``FIELDS`` (``title_kk``,
``bodies_omsk``, ``budget_amount``…) so a page can keep whatever was typed in its
session, one widget a field.
"""

from __future__ import annotations

import datetime as dt

from ..data import fields, periods
from ..data.bodies import EMPTY, Registry
from ..data.model import LANGS, REPORT_STATUSES, Action, Report

CURRENCIES = ("KZT", "RUB", "USD", "EUR")
# Every field of the form but the id (fixed when the form opens): the texts first, as
# the form shows them, then the others in the declaration's order.
FIELDS = tuple(
    key
    for texts_first in (True, False)
    for declared in fields.FIELDS
    if declared.widget is not None and declared.multilingual == texts_first
    for key in declared.form
)
# The multilingual texts, as the form shows them, and how the form draws each field
# (``data.fields.WIDGETS``).
TEXT_FIELDS = fields.TEXT_FIELDS
WIDGET = {declared.name: declared.widget for declared in fields.FIELDS}
# The fields typed on one line each, under their labels (``tags``).
LINES = tuple(declared.name for declared in fields.FIELDS if declared.widget == "line")

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
    return {key: value for declared in fields.FIELDS for key, value in declared.to_form(action).items()}


def blank_values(action_id: str, year: int) -> dict:
    """Form values for a new action."""
    return {key: value for declared in fields.FIELDS for key, value in declared.blank(action_id, year).items()}


def indicator_columns(years: list[int]) -> list[str]:
    """The columns of the indicators' editor: a yearly target for each of ``years``."""
    names = [f"name_{lang}" for lang in LANGS] + [f"unit_{lang}" for lang in LANGS]
    return ["id", *names, "baseline_value", "baseline_year", "target", *(f"target_{y}" for y in years), "actual"]


def action_record(values: dict, bodies: Registry = EMPTY) -> dict:
    """An action record from form values; empty optional fields left out; a body
    typed by its name (in any language) stored as its registry id."""
    record = {key: value for declared in fields.FIELDS for key, value in declared.from_form(values, bodies).items()}
    return fields.in_model_order(record)


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
    if (done := fields.form_text(values, "done")) is not None:
        record["done"] = done
    evidence = [line.strip() for line in str(values.get("evidence") or "").splitlines() if line.strip()]
    if evidence:
        record["evidence"] = evidence
    given = {
        key.removeprefix("indicator_"): value
        for key, value in values.items()
        if key.startswith("indicator_") and not fields.is_blank(value)
    }
    if given:
        record["indicators"] = given
    return record
