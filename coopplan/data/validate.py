"""Problems in the data, each as ``file:line: what is wrong``.

The shape of each file is checked by the pydantic models (``model.py``);
this module turns their errors into readable lines pointing at the offending
key, and adds the rules that span fields or files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model, periods, yamlio
from .bodies import BodiesFile, Registry, normal_name


@dataclass(frozen=True, order=True)
class Problem:
    """``message`` is the exact rule in English (what the command line prints);
    ``kind`` names the rule so that a page can say how to fix it in the user's
    language (catalog key ``problem.<kind>``)."""

    file: str
    line: int
    message: str
    kind: str = "invalid"

    def __str__(self) -> str:
        return f"{printable(self.file)}:{self.line}: {printable(self.message)}"


# Control characters and bidirectional overrides, as found in hostile file names
# and values: shown as escapes, so a problem stays one line and reads as written.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _data_path(loc: tuple, data: Any) -> tuple:
    """The part of pydantic's ``loc`` that indexes into the data (drops union tags)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        path.append(part)
    return tuple(path)


# pydantic error types that call for the same fix
_KIND_ALIASES = {
    "dict_type": "model_type",
    "date_from_datetime_inexact": "date_type",
    "date_from_datetime_parsing": "date_type",
    "date_parsing": "date_type",
    "datetime_from_date_parsing": "datetime_type",
    "datetime_parsing": "datetime_type",
    "int_from_float": "int_type",
    "int_parsing": "int_type",
    "float_parsing": "float_type",
    "string_unicode": "control_character",  # a lone surrogate, from a YAML escape
}


# A text that does not match its pattern is fixed differently for each pattern.
_PATTERN_KINDS = {
    model.ID_PATTERN: "id_pattern",
    model.TAG_PATTERN: "tag_pattern",
    model.COUNTRY_PATTERN: "code_pattern",
    model.CURRENCY_PATTERN: "code_pattern",
    model.TEXT_PATTERN: "control_character",
    model.BODY_PATTERN: "line_break",
}
# The rule of those patterns in words (the patterns themselves read badly).
_PATTERN_RULES = {
    model.TEXT_PATTERN: "the text holds an invisible control character, or begins or ends with a byte-order mark; delete it",
    model.BODY_PATTERN: "a body's name is one line; remove the line break, tab or other invisible character",
}


def _kind(error: dict) -> str:
    if error["type"] == "string_pattern_mismatch":
        return _PATTERN_KINDS.get(error.get("ctx", {}).get("pattern"), "string_pattern_mismatch")
    return _KIND_ALIASES.get(error["type"], error["type"])


def _describe(error: dict, path: tuple) -> tuple[str, tuple]:
    """A readable message for one pydantic error and the path whose line to show."""
    kind = error["type"]
    loc = error["loc"]
    field = ".".join(str(p) for p in loc)
    if kind == "missing":
        return f"required field '{field}' is missing", path
    if kind == "extra_forbidden":
        return f"unknown field '{field}' (check the spelling)", path
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    message = _PATTERN_RULES.get(error.get("ctx", {}).get("pattern"), message)
    if kind in ("literal_error", "string_pattern_mismatch", "greater_than_equal", "less_than_equal"):
        shown = repr(error["input"])
        message += f", got {shown if len(shown) <= 80 else shown[:79] + '…'}"
    return (f"{field}: {message}" if field else message), path


def shape_problems(cls: type[BaseModel], data: Any, file: str, text: str) -> tuple[BaseModel | None, list[Problem]]:
    """Validate ``data`` against ``cls``; the model, or every problem with its line."""
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        return None, [Problem(file, 1, f"expected a mapping of fields (key: value), the file is {kind}", "not_mapping")]
    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        lines = yamlio.key_lines(text)
        found = []
        for error in exc.errors(include_url=False):
            path = _data_path(error["loc"], data)
            message, path = _describe(error, path)
            found.append(Problem(file, lines.get(path, 1), message, _kind(error)))
        return None, sorted(set(found))


def action_problems(
    data: Mapping,
    file_name: str,
    shown: str,
    memorandum: model.Memorandum | None,
    text: str,
    bodies: Registry | None = None,
) -> list[Problem]:
    """Rules beyond one field: id and file name, dates inside the period and in
    order, registry bodies on their own region's side (area ids are fixed: the
    memorandum must name exactly the ten). They read the raw ``data``, so they are
    reported even when other fields of the file are wrong."""
    problems: list[tuple[tuple, str, str]] = []
    given_id = data.get("id")
    if isinstance(given_id, str) and f"{given_id}.yaml" != file_name:
        problems.append(
            (("id",), "id_mismatch", f"id '{given_id}' differs from the file name '{file_name}'; they must match")
        )
    problems += _date_problems(data, memorandum)
    problems += _body_problems(data, bodies)
    if not problems:
        return []
    lines = yamlio.key_lines(text)
    return [Problem(shown, lines.get(path, 1), message, kind) for path, kind, message in problems]


def _period_or_none(value: object) -> periods.Period | None:
    try:
        return periods.parse(value)
    except ValueError:
        return None  # the shape check reports it


def _date_problems(data: Mapping, memorandum: model.Memorandum | None) -> list[tuple[tuple, str, str]]:
    """(path, kind, message) of dates outside the plan period or out of order."""
    period = model.plan_period(memorandum)
    first_year, last_year = period.start, period.end
    start, end = _period_or_none(data.get("start")), _period_or_none(data.get("end"))
    problems = []
    for key, period in (("start", start), ("end", end)):
        if period is not None and not first_year <= period.year <= last_year:
            problems.append(
                ((key,), "outside_period", f"{key} {period} is outside the plan period {first_year}–{last_year}")
            )
    if start is not None and end is not None and end.last_day < start.first_day:
        problems.append((("end",), "end_before_start", f"end {end} is before start {start}"))
    return problems


def _body_problems(data: Mapping, bodies: Registry | None) -> list[tuple[tuple, str, str]]:
    """(path, kind, message) of registry bodies listed under the other region."""
    responsible = data.get("responsible")
    if bodies is None or not isinstance(responsible, Mapping):
        return []
    problems = []
    for side in model.REGIONS:
        listed = responsible.get(side)
        for index, key in enumerate(listed if isinstance(listed, list) else []):
            region = bodies.region(key.strip()) if isinstance(key, str) else None
            if region is not None and region != side:
                problems.append(
                    (
                        ("responsible", side, index),
                        "body_region",
                        f"responsible.{side}: {key.strip()} is a body of {region}; list it under {region}",
                    )
                )
    return problems


@dataclass(frozen=True)
class FieldProblem:
    """A problem of one form field: ``kind`` lets a page say it in the user's language."""

    field: str
    kind: str  # as Problem.kind
    message: str


def record_problems(
    record: Mapping, memorandum: model.Memorandum | None, bodies: Registry | None = None
) -> list[FieldProblem]:
    """Every problem of an action record, by the same rules as the loader, for forms
    that show each message beside its field."""
    found = []
    try:
        model.Action.model_validate(record)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            message, _ = _describe(error, ())
            found.append(FieldProblem(str(error["loc"][0]) if error["loc"] else "", _kind(error), message))
    found += [
        FieldProblem(path[0], kind, message)
        for path, kind, message in _date_problems(record, memorandum) + _body_problems(record, bodies)
    ]
    return found


def memorandum_problems(memo: model.Memorandum, shown: str, text: str) -> list[Problem]:
    """The memorandum names exactly the ten areas, in order, and one party per region."""
    problems: list[tuple[tuple, str, str]] = []
    ids = tuple(a.id for a in memo.areas)
    if ids != model.AREA_IDS:
        problems.append(
            (("areas",), "areas", "areas must be the memorandum's ten, in its order: " + ", ".join(model.AREA_IDS))
        )
    if sorted(p.region for p in memo.parties) != sorted(model.REGIONS):
        problems.append((("parties",), "parties", "parties must be one for pavlodar and one for omsk"))
    if not problems:
        return []
    lines = yamlio.key_lines(text)
    return [Problem(shown, lines.get(path, 1), message, kind) for path, kind, message in problems]


def registry_problems(registry: BodiesFile, shown: str, text: str) -> list[Problem]:
    """Each body id once, and each name (in any language) one body's: a name read
    back from a spreadsheet must find one body."""
    problems: list[tuple[tuple, str, str]] = []
    ids: dict[str, int] = {}
    names: dict[str, str] = {}
    for index, body in enumerate(registry.bodies):
        if body.id in ids:
            problems.append(
                (
                    ("bodies", index, "id"),
                    "duplicate_body_id",
                    f"body id '{body.id}' is also used by bodies[{ids[body.id]}]",
                )
            )
            continue
        ids[body.id] = index
        for lang in model.LANGS:
            name = getattr(body.name, lang)
            other = names.setdefault(normal_name(name), body.id)
            if other != body.id:
                problems.append(
                    (
                        ("bodies", index, "name", lang),
                        "duplicate_body_name",
                        f"name '{name}' is also a name of {other}; each name must find one body",
                    )
                )
    if not problems:
        return []
    lines = yamlio.key_lines(text)
    return [Problem(shown, lines.get(path, 1), message, kind) for path, kind, message in problems]


def duplicate_id_problems(files: Iterable[tuple[str, str]]) -> list[Problem]:
    """Ids that differ only in letter case clash on Windows and macOS file systems."""
    seen: dict[str, str] = {}
    problems = []
    for action_id, shown in files:
        other = seen.setdefault(action_id.casefold(), shown)
        if other != shown:
            problems.append(Problem(shown, 1, f"id '{action_id}' is also used by {other}", "duplicate_id"))
    return problems
