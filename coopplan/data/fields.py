"""Each field of an action, declared once: its place in the edit form, the spreadsheet and
the pandas frame, and its conversions between those and the action.

``FIELDS`` lists the declarations in the spreadsheet's column order. The form's keys
(``editing.forms``), the sheet's columns and its reading back (``exchange.spreadsheet``),
the frame's columns (``views.frame``) and the tests' strategies are all made from it,
so none of them can leave a field out or convert it its own way. A field may hold
several of the model's fields (the period: start and end) and several columns (a
text: one a language).

Nothing here knows a language's words: a column whose cells people may write in words
(an area's name, «Совместно», «II квартал 2026 г.») names the kind of words in
``words``, and the spreadsheet, which knows the catalogs, reads and writes them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import yamlio
from .bodies import Registry
from .model import AREA_IDS, LANGS, REGIONS, Action, Text, trim_text

# How the edit form draws a field (``pages/edit.py``): one widget kind a field. A "line"
# (one text input under the field's label, after the indicators) needs nothing more
# on the page; the others have their own places in its layout.
WIDGETS = ("text", "text_area", "choice", "bodies", "period", "slider", "budget", "indicators", "line")
# The kinds of words a sheet's cell may hold instead of a code.
WORDS = ("area", "lead", "status", "period")


def _none(*_) -> dict:
    return {}


@dataclass(frozen=True)
class Field:
    """One field of an action as every part of the app shows it."""

    name: str  # names the field in problems' and catalogs' terms (``edit.field.<name>``)
    model: tuple[str, ...]  # the ``Action`` fields it holds
    form: tuple[str, ...]  # its keys in the form's values; none: the store sets it
    widget: str | None  # how the form draws it (``WIDGETS``); none: not typed (the id is fixed)
    columns: tuple[str, ...]  # its spreadsheet columns, in the CSV's order
    frame: tuple[str, ...]  # its columns in ``views.frame.actions_frame``
    to_form: Callable[[Action], dict] = _none
    blank: Callable[[str, int], dict] = _none  # a new action's form values, given its id and first year
    from_form: Callable[[dict, Registry], dict] = _none  # form values -> the record's fields
    to_cells: Callable[[Action, str, Registry], dict] = _none  # bodies' names in the language given
    from_cells: Callable[[dict, Registry], dict] = _none  # cells (codes already) -> the record's fields
    to_frame: Callable[[Action, Registry], dict] = _none
    words: Mapping[str, str] = field(default_factory=dict)  # column -> the kind of words it may hold
    multilingual: bool = False  # one form key and one column a language, under one label

    @property
    def labels(self) -> tuple[str, ...]:
        """The catalog keys that name it: in the form, and as the sheet's headers."""
        if self.multilingual:
            return (f"edit.field.{self.name}",)
        typed = tuple(f"edit.field.{key}" for key in self.form) if self.widget else ()
        return (*typed, *(f"xlsx.col.{column}" for column in self.columns))


# ---- conversions shared by several fields ----------------------------------------------


def is_blank(value) -> bool:
    """Whether a form's or a cell's value holds nothing: None, NaN, or blank text."""
    return (
        value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())
    )


def form_text(values: dict, name: str) -> dict | None:
    """The text typed into ``<name>_<lang>`` fields, trimmed, empty languages left out; None when all are."""
    text = {lang: trim_text(values.get(f"{name}_{lang}", "")) for lang in LANGS}
    text = {lang: value for lang, value in text.items() if value}
    return text or None


def cell_number(value):
    """A number as a cell holds it (text with a decimal comma, 12.0) as the record keeps it;
    other text as it is, for the validator to say what is wrong with it."""
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return int(value) if isinstance(value, float) and value.is_integer() else value


def nesting(text: str) -> int:
    """How deep the brackets of a JSON cell nest (those inside its strings aside): bounded
    before the cell is parsed, as the data files' nesting is (``yamlio.MAX_DEPTH``)."""
    depth = deepest = 0
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quoted:
            escaped, quoted = char == "\\", char != '"'
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def too_deep(value) -> bool:
    """Whether a cell's JSON nests deeper than a data file may."""
    return isinstance(value, str) and nesting(value) > yamlio.MAX_DEPTH


def _whole(value):
    """A year typed in a number cell (2025.0) as the whole number it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _code(name: str, blank_value: str, words: str | None = None) -> Field:
    """A field holding one code (the id, the area, the lead, the status): the same value
    in the form, the sheet and the frame."""
    return Field(
        name,
        (name,),
        (name,),
        None if name == "id" else "choice",
        (name,),
        (name,),
        to_form=lambda a: {name: getattr(a, name)},
        blank=lambda action_id, _: {name: action_id if name == "id" else blank_value},
        from_form=lambda values, _: {name: values[name]},
        to_cells=lambda a, *_: {name: getattr(a, name)},
        from_cells=lambda cells, _: {name: cells[name]} if name in cells else {},
        to_frame=lambda a, _: {name: getattr(a, name)},
        words={name: words} if words else {},
    )


def _text(name: str, widget: str) -> Field:
    """A text in up to three languages."""
    keys = tuple(f"{name}_{lang}" for lang in LANGS)

    def to_form(action: Action) -> dict:
        text: Text | None = getattr(action, name)
        return {f"{name}_{lang}": (getattr(text, lang) or "") if text is not None else "" for lang in LANGS}

    def from_form(values: dict, _) -> dict:
        text = form_text(values, name)
        return {name: text} if text is not None else {}

    def to_cells(action: Action, *_) -> dict:
        text: Text | None = getattr(action, name)
        return {f"{name}_{lang}": getattr(text, lang) if text is not None else None for lang in LANGS}

    def from_cells(cells: dict, _) -> dict:
        text = {lang: cells[f"{name}_{lang}"] for lang in LANGS if f"{name}_{lang}" in cells}
        return {name: text} if text else {}

    def to_frame(action: Action, _) -> dict:
        text: Text | None = getattr(action, name)
        row = {}
        for lang in LANGS:
            shown, used = text.get(lang) if text is not None else ("", lang)
            row[f"{name}_{lang}"] = shown
            # The language actually shown, when it is not the one asked for ("" when it is).
            row[f"{name}_{lang}_from"] = used if used != lang else ""
        return row

    return Field(
        name,
        (name,),
        keys,
        widget,
        keys,
        tuple(column for key in keys for column in (key, f"{key}_from")),
        to_form=to_form,
        blank=lambda *_: dict.fromkeys(keys, ""),
        from_form=from_form,
        to_cells=to_cells,
        from_cells=from_cells,
        to_frame=to_frame,
        multilingual=True,
    )


# ---- the fields with a shape of their own ------------------------------------------------


def _progress() -> Field:
    return Field(
        "progress",
        ("progress",),
        ("progress",),
        "slider",
        ("progress",),
        ("progress",),
        to_form=lambda a: {"progress": a.progress or 0},
        blank=lambda *_: {"progress": 0},
        from_form=lambda values, _: {"progress": int(values["progress"])} if values.get("progress") is not None else {},
        to_cells=lambda a, *_: {"progress": a.progress},
        from_cells=lambda cells, _: {"progress": cell_number(cells["progress"])} if "progress" in cells else {},
        to_frame=lambda a, _: {"progress": a.shown_progress},  # as the plan reports it
    )


def _period_from_cells(cells: dict, _) -> dict:
    # a spreadsheet gives a day typed as a date back as a date and time
    return {
        key: cells[key].date() if isinstance(cells[key], dt.datetime) else cells[key]
        for key in ("start", "end")
        if key in cells
    }


def _period() -> Field:
    """The start and the end: period codes (2026, 2026-Q2, 2026-05, 2026-05-15); the frame
    and the sheet also give their days, for sorting and date arithmetic (a sheet's
    days are not read back: the codes say it all)."""
    return Field(
        "period",
        ("start", "end"),
        ("start", "end"),
        "period",
        ("start", "end", "start_date", "end_date"),
        ("start", "end", "start_text", "end_text", "start_year", "end_year"),
        to_form=lambda a: {"start": a.start, "end": a.end},
        blank=lambda _, year: {"start": str(year), "end": str(year)},
        from_form=lambda values, _: {key: values.get(key, "").strip() for key in ("start", "end")},
        to_cells=lambda a, *_: {
            "start": a.start,
            "end": a.end,
            "start_date": a.start_period.first_day,
            "end_date": a.end_period.last_day,
        },
        from_cells=_period_from_cells,
        to_frame=lambda a, _: {
            "start": a.start_period.first_day,
            "end": a.end_period.last_day,
            "start_text": a.start,
            "end_text": a.end,
            "start_year": a.start_period.year,
            "end_year": a.end_period.year,
        },
        words={"start": "period", "end": "period"},
    )


def _responsible() -> Field:
    """The executing bodies of each side: registry ids or free names, one a line in a cell."""
    keys = tuple(f"bodies_{side}" for side in REGIONS)

    def from_form(values: dict, bodies: Registry) -> dict:
        # a body typed by its name (in any language) is stored as its registry id
        return {
            "responsible": {
                side: [bodies.key_for(b) for b in values.get(f"bodies_{side}", []) if b.strip()] for side in REGIONS
            }
        }

    def from_cells(cells: dict, bodies: Registry) -> dict:
        # Bodies are written one per line ("\n"); splitlines() would also cut a name at
        # the Unicode line separators a pasted name may hold (U+2028, U+0085).
        return {
            "responsible": {
                side: [bodies.key_for(b) for b in str(cells[f"bodies_{side}"]).split("\n") if b.strip()]
                for side in REGIONS
                if f"bodies_{side}" in cells
            }
        }

    return Field(
        "responsible",
        ("responsible",),
        keys,
        "bodies",
        keys,
        keys,
        to_form=lambda a: {f"bodies_{side}": list(getattr(a.responsible, side)) for side in REGIONS},
        blank=lambda *_: {key: [] for key in keys},
        from_form=from_form,
        to_cells=lambda a, lang, bodies: {
            f"bodies_{side}": "\n".join(bodies.names(getattr(a.responsible, side), lang)) for side in REGIONS
        },
        from_cells=from_cells,
        to_frame=lambda a, _: {f"bodies_{side}": tuple(getattr(a.responsible, side)) for side in REGIONS},
    )


def _budget_from_form(values: dict, _) -> dict:
    if is_blank(values.get("budget_amount")) and not values.get("budget_currency"):
        return {}
    budget = {"amount": values.get("budget_amount"), "currency": values.get("budget_currency")}
    if values.get("budget_source", "").strip():
        budget["source"] = values["budget_source"].strip()
    return {"budget": budget}


def _budget_from_cells(cells: dict, _) -> dict:
    budget = {k: cells[f"budget_{k}"] for k in ("amount", "currency", "source") if f"budget_{k}" in cells}
    if "amount" in budget:
        budget["amount"] = cell_number(budget["amount"])
    return {"budget": budget} if budget else {}


def _budget() -> Field:
    keys = ("budget_amount", "budget_currency", "budget_source")
    return Field(
        "budget",
        ("budget",),
        keys,
        "budget",
        keys,
        ("budget_amount", "budget_currency"),
        to_form=lambda a: {
            "budget_amount": a.budget.amount if a.budget else None,
            "budget_currency": a.budget.currency if a.budget else None,
            "budget_source": (a.budget.source or "") if a.budget else "",
        },
        blank=lambda *_: {"budget_amount": None, "budget_currency": None, "budget_source": ""},
        from_form=_budget_from_form,
        to_cells=lambda a, *_: {
            "budget_amount": a.budget.amount if a.budget else None,
            "budget_currency": a.budget.currency if a.budget else None,
            "budget_source": a.budget.source if a.budget else None,
        },
        from_cells=_budget_from_cells,
        to_frame=lambda a, _: {
            "budget_amount": a.budget.amount if a.budget else None,
            "budget_currency": a.budget.currency if a.budget else None,
        },
    )


def _indicator_row(indicator) -> dict:
    """An indicator as a row of the form's indicators editor."""
    return {
        "id": indicator.id or "",
        **{f"name_{lang}": getattr(indicator.name, lang) or "" for lang in LANGS},
        **{f"unit_{lang}": (getattr(indicator.unit, lang) or "") if indicator.unit else "" for lang in LANGS},
        "baseline_value": indicator.baseline.value if indicator.baseline else None,
        "baseline_year": indicator.baseline.year if indicator.baseline else None,
        "target": indicator.target,
        **{f"target_{year}": value for year, value in indicator.targets.items()},
        "actual": indicator.actual,
    }


def _indicator(row: dict) -> dict | None:
    """An indicator record from a row of the indicators' editor; None for an empty row."""
    name = {lang: str(row.get(f"name_{lang}") or "").strip() for lang in LANGS}
    unit = {lang: str(row.get(f"unit_{lang}") or "").strip() for lang in LANGS}
    numbers = [k for k, v in row.items() if k.startswith(("target", "actual", "baseline")) and not is_blank(v)]
    if not any(name.values()) and not numbers and not str(row.get("id") or "").strip():
        return None
    indicator: dict = {"name": {k: v for k, v in name.items() if v}}
    if str(row.get("id") or "").strip():
        indicator["id"] = str(row["id"]).strip()
    if any(unit.values()):
        indicator["unit"] = {k: v for k, v in unit.items() if v}
    if not is_blank(row.get("baseline_value")) or not is_blank(row.get("baseline_year")):
        indicator["baseline"] = {"value": row.get("baseline_value"), "year": _whole(row.get("baseline_year"))}
    if not is_blank(row.get("target")):
        indicator["target"] = row["target"]
    targets = {
        int(key.removeprefix("target_")): value
        for key, value in row.items()
        if key.startswith("target_") and key.removeprefix("target_").isdigit() and not is_blank(value)
    }
    if targets:
        indicator["targets"] = targets
    if not is_blank(row.get("actual")):
        indicator["actual"] = row["actual"]
    return indicator


def _indicators_from_form(values: dict, _) -> dict:
    indicators = [_indicator(row) for row in values.get("indicators") or []]
    found = [i for i in indicators if i is not None]
    taken = {i["id"] for i in found if "id" in i}
    for number, indicator in enumerate(found, start=1):
        if "id" not in indicator:  # reports name indicators by id: a new one gets the first free i1, i2…
            indicator["id"] = next(f"i{n}" for n in range(number, number + len(found) + 1) if f"i{n}" not in taken)
            taken.add(indicator["id"])
    return {"indicators": [{"id": i.pop("id"), **i} for i in found]} if found else {}


def _indicators_from_cells(cells: dict, _) -> dict:
    text = cells.get("indicators")
    # A cell nested too deep is left out, for the importer to report: json would
    # recurse once a level, into a RecursionError.
    if text is None or too_deep(text):
        return {}
    try:
        return {"indicators": json.loads(text)}
    except (TypeError, ValueError):
        return {"indicators": text}  # reported as not a list


def _indicators() -> Field:
    """The indicators: rows of an editor in the form, one JSON cell in the sheet."""
    return Field(
        "indicators",
        ("indicators",),
        ("indicators",),
        "indicators",
        ("indicators",),
        (),  # the frame is for lists and charts of actions, not of their measures
        to_form=lambda a: {"indicators": [_indicator_row(i) for i in a.indicators]},
        blank=lambda *_: {"indicators": []},
        from_form=_indicators_from_form,
        to_cells=lambda a, *_: {
            "indicators": json.dumps(
                [i.model_dump(mode="json", exclude_none=True) for i in a.indicators], ensure_ascii=False
            )
            if a.indicators
            else None
        },
        from_cells=_indicators_from_cells,
    )


def _tags_of(text) -> list[str]:
    return [t.strip() for t in str(text).split(",") if t.strip()]


def _tags() -> Field:
    return Field(
        "tags",
        ("tags",),
        ("tags",),
        "line",
        ("tags",),
        ("tags",),
        to_form=lambda a: {"tags": ", ".join(a.tags)},
        blank=lambda *_: {"tags": ""},
        from_form=lambda values, _: {"tags": tags} if (tags := _tags_of(values.get("tags", ""))) else {},
        to_cells=lambda a, *_: {"tags": ", ".join(a.tags) or None},
        from_cells=lambda cells, _: {"tags": _tags_of(cells["tags"])} if "tags" in cells else {},
        to_frame=lambda a, _: {"tags": tuple(a.tags)},
    )


def _stamps() -> Field:
    """When and by whom the action was last saved: set by the store, never typed."""
    keys = ("updated", "updated_by")
    return Field(
        "updated",
        keys,
        (),
        None,
        keys,
        keys,
        to_cells=lambda a, *_: {
            "updated": a.updated.isoformat() if a.updated else None,
            "updated_by": a.updated_by,
        },
        from_cells=lambda cells, _: {key: cells[key] for key in keys if key in cells},
        to_frame=lambda a, _: {"updated": a.updated, "updated_by": a.updated_by},
    )


FIELDS: tuple[Field, ...] = (
    _code("id", ""),
    _code("area", AREA_IDS[0], "area"),
    _code("lead", "joint", "lead"),
    _code("status", "planned", "status"),
    _progress(),
    _period(),
    _text("title", "text"),
    _text("description", "text_area"),
    _text("outcome", "text"),
    _text("location", "text"),
    _responsible(),
    _budget(),
    _indicators(),
    _tags(),
    _stamps(),
)
# The multilingual texts of an action, in the order forms and tables show them.
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.multilingual)
# Every column of the spreadsheet, in the CSV's order.
COLUMNS = tuple(column for f in FIELDS for column in f.columns)
# What a column's cells may be written in, when not codes.
COLUMN_WORDS = {column: kind for f in FIELDS for column, kind in f.words.items()}


def in_model_order(record: dict) -> dict:
    """A record's fields in the order of the action files, so it reads like one."""
    return {key: record[key] for key in Action.model_fields if key in record}
