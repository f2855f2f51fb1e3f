"""The read-only JSON API: its resources, the JSON they answer with, and the OpenAPI
description generated from the data models.

Each resource is one entry of ``RESOURCES``: a collection (``/api/v1/<name>`` with the
pages' filters, and ``/api/v1/<name>/{id}``) or a single document
(``/api/v1/<name>``). The routes, the OpenAPI description and the tests read this
list, so a new kind of data joins the API by adding one entry with its model and how
to read it: the actions, the memorandum, the progress reports, the changes since
approval and the approved versions do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..data import evidence, model, quarter_file
from ..data.loader import Dataset
from ..editing import auth
from ..reporting import amendments, quarters, review
from ..views import changes, filters, reporting
from ..views.view import View

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Collection:
    """``/api/v1/<name>``: the records the view's filters leave, ``{"count", name}``;
    ``/api/v1/<name>/{id}``: one record, or 404."""

    name: str
    model: type[BaseModel]
    records: Callable[[View], list[dict]]
    record: Callable[[View, str], dict | None]  # the view: its language and approved version, not its filters
    summary: str


@dataclass(frozen=True)
class Single:
    """``/api/v1/<name>``: one document of the data folder, or 503 when it does not load."""

    name: str
    model: type[BaseModel]
    record: Callable[[Dataset], dict | None]
    summary: str


def _action(view: View, action_id: str) -> dict | None:
    action = view.dataset.action(action_id)
    return action.to_yaml_dict() if action is not None else None


def _memorandum(dataset: Dataset) -> dict | None:
    memo = dataset.memorandum
    return memo.model_dump(mode="json", exclude_none=True) if memo is not None else None


def _reports(view: View) -> list[dict]:
    """The reports on the view's actions (of its quarters, when it names some), oldest first."""
    quarters = set(view.filters.quarters)
    found = [r for a in view.filtered_actions for r in view.dataset.reports_of(a.id)]
    return [_report_record(view, r) for r in found if not quarters or r.period in quarters]


def _report_record(view: View, report: model.Report) -> dict:
    """A report with its evidence as records and its review state always named
    (``accepted`` for one filed before reviews)."""
    return evidence.report_record(report, view.dataset.evidence) | {"state": review.state_of(report)}


def _report(view: View, report_id: str) -> dict | None:
    """``po-011-omsk-2026-Q3``: the report of po-011 by Omsk for the third quarter of 2026."""
    rest, quarter = report_id[:-8], report_id[-7:]  # the quarter is the last 7 characters: 2026-Q3
    action_id = rest.rpartition("-")[0]
    key = f"{quarter}/{rest}"
    found = next((r for r in view.dataset.reports_of(action_id) if r.key == key), None)
    return _report_record(view, found) if found is not None else None


def _attachments(view: View) -> list[dict]:
    """The files attached to the view's actions and to their reports, in the data's order."""
    kept = {a.id for a in view.filtered_actions}
    return [evidence.api_record(r, visitor=False) for r in view.dataset.evidence if r.action in kept]


def _attachment(view: View, evidence_id: str) -> dict | None:
    found = next((r for r in view.dataset.evidence if r.id == evidence_id), None)
    return evidence.api_record(found, visitor=False) if found is not None else None


class Change(BaseModel):
    """How one action differs from the approved version the view compares with."""

    action: str
    baseline: int  # the approved version
    kinds: list[str]  # added, dropped, later, earlier, lead, executors, title, targets
    text: str  # the change in a line, in the language of ?lang=
    field: str | None = None  # of a move: start or end
    before: str | None = None
    after: str | None = None
    quarters: int | None = None  # of a move, signed: later when positive


def _changes(view: View) -> list[dict]:
    return [_change_record(view, c) for c in changes.found(view)]


def _change(view: View, action_id: str) -> dict | None:
    """One action's change since the view's approved version: that action compared alone."""
    baseline = view.baseline
    if baseline is None:
        return None
    approved = baseline.model_copy(update={"actions": [a for a in baseline.actions if a.id == action_id]})
    action = view.dataset.action(action_id)
    found = amendments.compare(approved, [action] if action is not None else [])
    return _change_record(view, found[0]) if found else None


def _change_record(view: View, change: amendments.Amendment) -> dict:
    move = change.move
    return Change(
        action=change.action_id,
        baseline=view.baseline.version,
        kinds=list(change.kinds),
        text=amendments.describe(change, view.lang),
        **(
            {"field": move.field, "before": move.before, "after": move.after, "quarters": move.quarters} if move else {}
        ),
    ).model_dump(exclude_none=True)


class QuarterSide(BaseModel):
    """One side's half of a quarter: its reports counted by review state, its close, its open exceptions."""

    closed: dt.datetime | None = None
    closed_by: str | None = None
    owed: int
    accepted: int
    on_time: int
    submitted: int
    returned: int
    draft: int
    missing: int
    not_received: dict[str, str] = {}
    pending: list[dict[str, str]] = []  # what keeps it from closing: action, kind, state
    exceptions: list[quarter_file.Reopening] = []  # open ones


class Quarter(BaseModel):
    """A quarter's state: closed when both sides closed their half."""

    quarter: str
    closed: bool
    sides: dict[str, QuarterSide]
    settlements: dict[str, quarter_file.Settlement] = {}


def _quarters(view: View) -> list[dict]:
    return [found for q in reporting.quarters(view) if (found := _quarter(view, q)) is not None]


def _quarter(view: View, quarter: str) -> dict | None:
    if not re.fullmatch(model.QUARTER_PATTERN, quarter) or quarter not in view.dataset.period.quarters:
        return None
    closing = quarter_file.read(view.dataset.data_dir, quarter)[0]
    sides = {}
    for side, state in quarters.state(view.dataset, quarter).items():
        half = closing.sides.get(cast(model.Region, side)) if closing else None
        sides[side] = QuarterSide(
            closed=state.closed,
            closed_by=state.closed_by,
            owed=state.owed,
            accepted=state.accepted,
            on_time=state.on_time,
            submitted=state.submitted,
            returned=state.returned,
            draft=state.draft,
            missing=state.missing,
            not_received=half.not_received if half else {},
            pending=[{"action": p.action, "kind": p.kind, "state": p.state} for p in state.pending],
            exceptions=list(state.exceptions),
        )
    return Quarter(
        quarter=quarter,
        closed=bool(closing and closing.closed),
        sides=sides,
        settlements=closing.settlements if closing else {},
    ).model_dump(mode="json", exclude_none=True)


def _baseline(view: View, version: str) -> dict | None:
    baseline = view.dataset.baseline(int(version)) if re.fullmatch("[0-9]{1,3}", version) else None
    return baseline.to_yaml_dict() if baseline is not None else None


RESOURCES: list[Collection | Single] = [
    Collection(
        "actions",
        model.Action,
        lambda view: [a.to_yaml_dict() for a in view.filtered_actions],
        _action,
        "The actions of the plan, each as in its file, in the plan's order",
    ),
    Single("memorandum", model.Memorandum, _memorandum, "The memorandum, as in memorandum.yaml"),
    Collection(
        "reports",
        evidence.Report,  # its evidence as records
        _reports,
        _report,
        "The progress reports on the actions the filters leave (of the quarters they name); one by"
        " <action>-<side>-<quarter>, such as po-011-omsk-2026-Q3",
    ),
    Collection(
        "evidence",
        evidence.FileRecord,
        _attachments,
        _attachment,
        "The files attached to the actions the filters leave, to an action itself (of: its id) or to one"
        " of its reports (of: the report's key); records, not bytes: GET a record's url. One by its id",
    ),
    Collection(
        "changes",
        Change,
        _changes,
        _change,
        "What changed since the plan was approved (the version ?baseline= names, else the latest), one by action id",
    ),
    Collection(
        "baselines",
        model.Baseline,
        lambda view: [b.to_yaml_dict() for b in view.dataset.baselines],
        _baseline,
        "The approved versions of the plan, oldest first; one by its number",
    ),
    Collection(
        "quarters",
        Quarter,
        _quarters,
        _quarter,
        "Each quarter's state per side (its close, the exceptions open, the reports by review state); one by"
        " its name, such as 2026-Q3",
    ),
]


def _plain(value: object) -> str:
    if isinstance(value, dt.date):  # day periods are written as dates in the files
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def encode(body: object) -> bytes:
    """JSON as the API answers: UTF-8, Cyrillic as it is, compact."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_plain).encode("utf-8")


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (weakly compared, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    candidates = [c.strip().removeprefix("W/") for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates


# ---- the OpenAPI description -------------------------------------------------------------

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "what is wrong, in the language of ?lang="},
        "invalid": {
            "type": "array",
            "description": "the parameter values that were refused",
            "items": {
                "type": "object",
                "required": ["param", "value"],
                "properties": {"param": {"type": "string"}, "value": {"type": "string"}},
            },
        },
    },
}
_FILTER_HELP = {
    "lang": "kk, ru or en: the language of messages (and of documents and calendars)",
    **{f.param: f.help for f in filters.FILTERS},
}
FILTER_PARAMETERS = ["lang", *filters.PARAMS]


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _error(description: str) -> dict:
    return {"description": description, "content": _json("Error")}


def _parameters(names: list[str]) -> list[dict]:
    return [
        {"name": n, "in": "query", "required": False, "schema": {"type": "string"}, "description": _FILTER_HELP[n]}
        for n in names
    ]


_CACHED = {
    "304": {"description": "unchanged since the ETag sent in If-None-Match"},
    "401": _error("private deployment: sign in, or send an API token"),
}


def _list_name(resource: Collection) -> str:
    return f"{resource.model.__name__}List"


def _paths(resource: Collection | Single) -> dict:
    path = f"{PREFIX}/{resource.name}"
    ok = {"description": "OK", "headers": {"ETag": {"schema": {"type": "string"}}}}
    if isinstance(resource, Single):
        return {
            path: {
                "get": {
                    "summary": resource.summary,
                    "parameters": _parameters(["lang"]),
                    "responses": {
                        "200": {**ok, "content": _json(resource.model.__name__)},
                        **_CACHED,
                        "503": _error(f"the {resource.name} does not load: the data folder needs fixing"),
                    },
                }
            }
        }
    return {
        path: {
            "get": {
                "summary": resource.summary,
                "parameters": _parameters(FILTER_PARAMETERS),
                "responses": {
                    "200": {**ok, "content": _json(_list_name(resource))},
                    **_CACHED,
                    "400": _error("a filter value is not valid; the message is the one the pages show"),
                },
            }
        },
        path + "/{id}": {
            "get": {
                "summary": f"One of {resource.name}, by its id",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    *_parameters(["lang", "baseline"] if resource.name == "changes" else ["lang"]),
                ],
                "responses": {
                    "200": {**ok, "content": _json(resource.model.__name__)},
                    **_CACHED,
                    "400": _error("a parameter value is not valid; the message is the one the pages show"),
                    "404": _error(f"no such {resource.name[:-1] if resource.name.endswith('s') else resource.name}"),
                },
            }
        },
    }


def _document_paths() -> dict:
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "/calendar.ics": {
            "get": {
                "summary": "The filtered actions as a calendar to subscribe to (iCalendar)",
                "parameters": [
                    *_parameters(FILTER_PARAMETERS),
                    {
                        "name": "token",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "private deployment: the user's calendar token (the Plan page's link)",
                    },
                ],
                "responses": {"200": {"description": "OK", "content": {"text/calendar": binary}}, **_CACHED},
            }
        },
        "/export/plan.{format}": {
            "get": {
                "summary": "The filtered plan as the download buttons give it: docx, xlsx or csv",
                "parameters": [
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["docx", "xlsx", "csv"]},
                    },
                    *_parameters(FILTER_PARAMETERS),
                ],
                "responses": {
                    "200": {"description": "the file", "content": {"application/octet-stream": binary}},
                    "400": _error("a filter value is not valid"),
                    "401": _CACHED["401"],
                    "404": _error("no such format"),
                },
            }
        },
    }


def openapi() -> dict:
    """The OpenAPI 3.1 description of the API, its schemas those of the data models."""
    _, top = models_json_schema(
        [(r.model, "validation") for r in RESOURCES], ref_template="#/components/schemas/{model}"
    )
    schemas = {**top["$defs"], "Error": _ERROR}
    for schema in schemas.values():  # account names reach signed-in clients only (auth.sees_names)
        for field in set(auth.NAME_FIELDS) & set(schema.get("properties", {})):
            schema["required"] = [name for name in schema.get("required", []) if name != field]
            schema["properties"][field]["description"] = "an account name: only to a signed-in client"
    for resource in RESOURCES:
        if isinstance(resource, Collection):
            schemas[_list_name(resource)] = {
                "type": "object",
                "required": ["count", resource.name],
                "additionalProperties": False,
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    resource.name: {
                        "type": "array",
                        "items": {"$ref": f"#/components/schemas/{resource.model.__name__}"},
                    },
                },
            }
    paths: dict = {}
    for resource in RESOURCES:
        paths |= _paths(resource)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pavlodar – Omsk cooperation plan",
            "version": "1",
            "description": "Read-only. The filters are those of the pages' URLs. In a private deployment "
            "every call needs a signed-in browser's cookie or an API token (python -m coopplan users token NAME). "
            "Account names (updated_by, approved_by) are given only to a call that carries one of them.",
        },
        "paths": paths | _document_paths(),
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "coopplan_session"},
            },
        },
        "security": [{}, {"bearer": []}, {"session": []}],
    }
