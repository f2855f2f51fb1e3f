"""Problems in the data, each as ``file:line: what is wrong``.

The shape of each file is checked by the pydantic models (``model.py``);
this module turns their errors into readable lines pointing at the offending
key, and adds the rules that span fields or files.
"""

from __future__ import annotations

import datetime as dt
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
    value: str = ""  # the value refused, as given (for a person's message beside the advice)

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
            given = error.get("input")
            value = str(given)[:200] if isinstance(given, str | int | float) and not isinstance(given, bool) else ""
            found.append(Problem(file, lines.get(path, 1), message, _kind(error), value))
        return None, sorted(set(found))


def action_problems(
    data: Mapping,
    file_name: str,
    shown: str,
    memorandum: model.Memorandum | None,
    text: str,
    bodies: Registry | None = None,
) -> list[Problem]:
    """Rules beyond one field: id and file name, dates inside the period and in order,
    indicators named once and targeted inside the period, registry bodies on their own
    region's side (area ids are fixed: the memorandum must name exactly the ten). They
    read the raw ``data``, so they are reported even when other fields of the file are
    wrong."""
    problems: list[tuple[tuple, str, str]] = []
    given_id = data.get("id")
    if isinstance(given_id, str) and f"{given_id}.yaml" != file_name:
        problems.append(
            (("id",), "id_mismatch", f"id '{given_id}' differs from the file name '{file_name}'; they must match")
        )
    problems += _date_problems(data, memorandum) + _indicator_problems(data, memorandum) + _body_problems(data, bodies)
    return _at_lines(problems, shown, text)


def _at_lines(problems: list[tuple[tuple, str, str]], shown: str, text: str) -> list[Problem]:
    """(path, kind, message) as problems at the lines of their keys in ``text``."""
    if not problems:
        return []
    lines = yamlio.key_lines(text)
    return [Problem(shown, lines.get(path, 1), message, kind) for path, kind, message in problems]


def _indicator_problems(data: Mapping, memorandum: model.Memorandum | None) -> list[tuple[tuple, str, str]]:
    """Indicator ids used once (reports name indicators by them); yearly targets inside
    the plan period; a baseline not after it."""
    period = model.plan_period(memorandum)
    indicators = data.get("indicators")
    problems, seen = [], set()
    for number, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        if not isinstance(indicator, Mapping):
            continue
        indicator_id = indicator.get("id")
        if isinstance(indicator_id, str):  # the shape check reports an id of another type
            if indicator_id in seen:
                message = f"indicator id '{indicator_id}' is used twice"
                problems.append((("indicators", number, "id"), "duplicate_indicator", message))
            seen.add(indicator_id)
        targets = indicator.get("targets")
        for year in targets if isinstance(targets, Mapping) else ():
            if isinstance(year, int) and not period.start <= year <= period.end:
                where = ("indicators", number, "targets", str(year))  # a key's path is its text
                message = f"a target for {year}, outside the plan period {period.start}–{period.end}"
                problems.append((where, "outside_period", message))
        baseline = indicator.get("baseline")
        year = baseline.get("year") if isinstance(baseline, Mapping) else None
        if isinstance(year, int) and year > period.end:
            where = ("indicators", number, "baseline", "year")
            problems.append((where, "baseline_after_period", f"a baseline of {year}, after the plan period"))
    return problems


def baseline_problems(data: Mapping, file_name: str, shown: str, text: str) -> list[Problem]:
    """A baseline is filed under its version (``001.yaml``) and names each action once."""
    problems: list[tuple[tuple, str, str]] = []
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and file_name != f"{version:03d}.yaml":
        message = f"version {version} is filed as {file_name}; name the file {version:03d}.yaml"
        problems.append((("version",), "baseline_name", message))
    actions = data.get("actions")
    seen: set[str] = set()
    for number, action in enumerate(actions if isinstance(actions, list) else []):
        action_id = action.get("id") if isinstance(action, Mapping) else None
        if isinstance(action_id, str):
            if action_id in seen:
                message = f"action {action_id} is in the baseline twice"
                problems.append((("actions", number, "id"), "duplicate_id", message))
            seen.add(action_id)
    return _at_lines(problems, shown, text)


_QUARTER = re.compile(model.QUARTER_PATTERN)


def report_problems(
    data: Mapping,
    file_name: str,
    folder_name: str,
    shown: str,
    period: model.PlanPeriod,
    actions: Mapping[str, tuple[tuple[str, ...], frozenset[str]]],
    text: str,
) -> list[Problem]:
    """Rules of a report beyond its fields: its file named by its action and side and
    filed under its quarter, the quarter inside the plan period, its date not before
    the quarter begins, done only at 100 %, and an action that exists, that this side reports on, with the
    indicators it names. ``actions`` maps each valid action's id to (the sides that
    report on it, its indicator ids), and the id of an action whose file does not load
    to None (nothing can be checked against it)."""
    problems: list[tuple[tuple, str, str]] = []
    action_id, side, quarter = data.get("action"), data.get("side"), data.get("period")
    # each rule reads only values of the right shape; the shape check reports the others
    side = side if side in model.REGIONS else None
    quarter = quarter if isinstance(quarter, str) and _QUARTER.match(quarter) else None
    if isinstance(action_id, str) and side and file_name != f"{action_id}-{side}.yaml":
        expected = f"{action_id}-{side}.yaml"
        message = f"a report of {action_id} by {side} is named {expected}, not {file_name}"
        problems.append((("action",), "report_name", message))
    if quarter and quarter != folder_name:
        message = (
            f"period {quarter} differs from its folder {folder_name}; a report of {quarter} goes in reports/{quarter}/"
        )
        problems.append((("period",), "report_folder", message))
    parsed = periods.parse(quarter) if quarter else None
    if parsed is not None:
        if not period.start <= parsed.year <= period.end:
            message = f"period {quarter} is outside the plan period {period.start}–{period.end}"
            problems.append((("period",), "outside_period", message))
        day = data.get("date")
        if isinstance(day, dt.date) and day < parsed.first_day:
            problems.append((("date",), "report_too_early", f"date {day} is before {quarter} begins"))
    progress = data.get("progress")
    if data.get("status") == "done" and isinstance(progress, int) and progress != 100:
        message = f"a report that says done says 100 %, not {progress} %"
        problems.append((("progress",), "report_done_not_full", message))
    known = actions.get(action_id) if isinstance(action_id, str) else None
    if isinstance(action_id, str) and action_id not in actions:
        message = f"there is no action {action_id}; a report belongs to an action of the plan"
        problems.append((("action",), "report_no_action", message))
    elif known is not None:
        sides, indicator_ids = known
        if side and side not in sides:
            message = f"{side} does not report on {action_id}; its reports are by {' and '.join(sides)}"
            problems.append((("side",), "report_wrong_side", message))
        given = data.get("indicators")
        for key in given if isinstance(given, Mapping) else ():
            if key not in indicator_ids:
                names = ", ".join(sorted(indicator_ids)) or "none with an id"
                message = f"{action_id} has no indicator '{key}' (its indicators: {names})"
                problems.append((("indicators", key), "report_no_indicator", message))
    return _at_lines(problems, shown, text)


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
    rules = (
        _date_problems(record, memorandum) + _indicator_problems(record, memorandum) + _body_problems(record, bodies)
    )
    found += [FieldProblem(path[0], kind, message) for path, kind, message in rules]
    return found


def memorandum_problems(memo: model.Memorandum, shown: str, text: str) -> list[Problem]:
    """The memorandum names exactly the ten areas, in order, one party per region, and
    source documents under seeds/ only."""
    problems: list[tuple[tuple, str, str]] = []
    ids = tuple(a.id for a in memo.areas)
    if ids != model.AREA_IDS:
        problems.append(
            (("areas",), "areas", "areas must be the memorandum's ten, in its order: " + ", ".join(model.AREA_IDS))
        )
    if sorted(p.region for p in memo.parties) != sorted(model.REGIONS):
        problems.append((("parties",), "parties", "parties must be one for pavlodar and one for omsk"))
    files = [(("sources", i, "file"), s.file) for i, s in enumerate(memo.sources)]
    files += [(("areas", i, "source", "file"), a.source.file) for i, a in enumerate(memo.areas)]
    problems += [
        (where, "source_outside_seeds", f"file '{file}' must be a document under {model.SOURCES_FOLDER}/")
        for where, file in files
        if not model.is_source_file(file)
    ]
    return _at_lines(problems, shown, text)


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
    return _at_lines(problems, shown, text)


def duplicate_id_problems(files: Iterable[tuple[str, str]]) -> list[Problem]:
    """Ids are one whatever their letter case: ids that differ only in case are one
    file on Windows and macOS file systems, and one action to people."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for action_id, shown in files:
        other_id, other = seen.setdefault(action_id.casefold(), (action_id, shown))
        if other == shown:
            continue
        if other_id == action_id:
            problems.append(Problem(shown, 1, f"id '{action_id}' is also used by {other}", "duplicate_id"))
        else:
            message = f"id '{action_id}' differs from '{other_id}' of {other} only in letter case; ids are one whatever their case"
            problems.append(Problem(shown, 1, message, "id_case_clash"))
    return problems


def case_clash(action_id: str, ids: Iterable[str]) -> str | None:
    """The id among ``ids`` that ``action_id`` differs from only in letter case, if any."""
    folded = action_id.casefold()
    return next((other for other in ids if other != action_id and other.casefold() == folded), None)
