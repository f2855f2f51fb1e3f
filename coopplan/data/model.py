"""The typed model of the memorandum, the plan and its actions.

These pydantic models are the validator of each file's shape (types, enums,
required fields, unknown keys) and the source of the shipped JSON Schema
(``coopplan/data/schemas/``), so the schema and the validator cannot drift apart.
Rules that span fields or files (dates inside the plan period, end not
before start, ids equal to file names and unique) live in ``validate.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import periods

# Each enumeration is written once, as a Literal; the tuple of its values
# (in the memorandum's order) is read off it.
Lang = Literal["kk", "ru", "en"]
AreaId = Literal[
    "investment_trade",
    "agriculture",
    "environment",
    "healthcare",
    "education_science",
    "culture_arts",
    "tourism",
    "sport",
    "youth_policy",
    "employment",
]
Region = Literal["pavlodar", "omsk"]
Lead = Literal["pavlodar", "omsk", "joint"]
Status = Literal["planned", "in_progress", "done", "postponed", "cancelled"]
LANGS: tuple[str, ...] = get_args(Lang)
AREA_IDS: tuple[str, ...] = get_args(AreaId)
REGIONS: tuple[str, ...] = get_args(Region)
LEADS: tuple[str, ...] = get_args(Lead)
STATUSES: tuple[str, ...] = get_args(Status)
OPEN_STATUSES = ("planned", "in_progress", "postponed")  # not done, not cancelled: can be overdue

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
TAG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
ActionId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# What texts may not hold: characters no Word or Excel file can (XML 1.0 refuses
# them: the exports would fail or drop them), and a byte-order mark at either end
# (pasted in with the start of a file; calendars drop it). As patterns, so that
# pydantic checks them in its own engine: a Python validator on every text
# would add a twentieth to the load time.
_UNSTORABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
# The validator strips white space (Unicode's White_Space, as pydantic's trim does)
# before it matches; the spaces allowed at either end say the same to a JSON Schema
# checker, which does not strip (" " is no text). Spelled out, not \s, whose
# meaning differs between Python's, Rust's and JavaScript's regular expressions.
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = (
    f"^[{_SPACE}]*[^{_SPACE}{_UNSTORABLE}\ufeff](?:[^{_UNSTORABLE}]*[^{_SPACE}{_UNSTORABLE}\ufeff])?[{_SPACE}]*$"
)
# A body's name is also one line, as spreadsheets and the form list one body a line.
_LINE_BREAKING = "\x00-\x1f\ufffe\uffff"
BODY_PATTERN = f"^[{_SPACE}]*[^{_SPACE}{_LINE_BREAKING}\ufeff](?:[^{_LINE_BREAKING}]*[^{_SPACE}{_LINE_BREAKING}\ufeff])?[{_SPACE}]*$"
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=TEXT_PATTERN)]
BodyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000, pattern=BODY_PATTERN)]


def trim_text(value: str) -> str:
    """Typed or pasted text as a text field keeps it: spaces and byte-order marks
    off both ends."""
    while (trimmed := value.strip().strip("\ufeff")) != value:
        value = trimmed
    return value


def _one_of_required(*names: str, items: bool = False) -> dict:
    """Schema clause for "at least one of these keys, with a value", as the validators require."""
    value = {"type": "array", "minItems": 1} if items else {"type": "string"}
    return {"anyOf": [{"required": [n], "properties": {n: value}} for n in names]}


def _period_text(value: object) -> str:
    """YAML reads ``2026`` as a number and ``2026-05-15`` as a date: keep the text."""
    try:
        return periods.canonical(value)
    except ValueError as exc:
        raise PydanticCustomError("period", str(exc)) from None


def _whole_if_integral(value: float) -> int | float:
    """Keep 15000000 as written instead of 15000000.0."""
    if isinstance(value, int):  # a model copied with an update is not validated again
        return value
    return int(value) if value.is_integer() else value


Number = Annotated[float, Field(ge=0, strict=True), PlainSerializer(_whole_if_integral, return_type=int | float)]

PeriodText = Annotated[
    str,
    BeforeValidator(_period_text),
    WithJsonSchema(
        {
            "description": "2026, 2026-Q2, 2026-05 or 2026-05-15, inside the plan period",
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": periods.PATTERN},
            ],
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Spanned(_Strict):
    """A record whose ``start`` and ``end`` fields hold period codes: an action, or its
    approved version. The fields stay in the subclasses, where they keep their place."""

    @property
    def start_period(self) -> periods.Period:
        return periods.parse(self.start)

    @property
    def end_period(self) -> periods.Period:
        return periods.parse(self.end)


class Text(_Strict):
    """Text in up to three languages; at least one is present."""

    model_config = ConfigDict(json_schema_extra=_one_of_required(*LANGS))

    kk: NonEmpty | None = None
    ru: NonEmpty | None = None
    en: NonEmpty | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Text:
        if not (self.kk or self.ru or self.en):
            raise PydanticCustomError("one_language", "give the text in at least one language (kk, ru or en)")
        return self

    def get(self, lang: str) -> tuple[str, str]:
        """(text, language it is in): ``lang`` if present, else the first of kk, ru, en."""
        for candidate in (lang, *LANGS):
            value = getattr(self, candidate, None)
            if value:
                return value, candidate
        return "", lang

    def __call__(self, lang: str) -> str:
        return self.get(lang)[0]


# ---------------------------------------------------------------- memorandum


class Signatory(_Strict):
    name: Text
    position: Text


class Party(_Strict):
    region: Region
    name: Text
    country: Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
    body: Text
    signatory: Signatory


SOURCES_FOLDER = "seeds"


def is_source_file(file: str) -> bool:
    """Whether a memorandum's ``file`` names a document under ``seeds/`` (a relative
    path that stays there): the Areas page shows the file, so it may name nothing
    else of the project, such as the accounts file."""
    parts = PurePosixPath(file).parts
    return len(parts) >= 2 and parts[0] == SOURCES_FOLDER and ".." not in parts and "\\" not in file


class Quote(_Strict):
    file: NonEmpty
    quote: NonEmpty


class Area(_Strict):
    id: AreaId
    name: Text
    source: Quote


class PlanPeriod(_Strict):
    start: Annotated[int, Field(ge=2000, le=2100, strict=True)]
    end: Annotated[int, Field(ge=2000, le=2100, strict=True)]

    @model_validator(mode="after")
    def _ordered(self) -> PlanPeriod:
        if self.end < self.start:
            raise ValueError("the period's end year is before its start year")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    @property
    def quarters(self) -> list[str]:
        """Every quarter of the period as its code: ``2026-Q1`` … ``2028-Q4``."""
        return periods.quarters(self.years)


# The memorandum's plan period, for a data folder whose memorandum does not load.
DEFAULT_PERIOD = PlanPeriod(start=2026, end=2028)


class SourceDocument(_Strict):
    publisher: NonEmpty
    date: dt.date
    file: NonEmpty
    language: Lang
    title: Text | None = None
    url: NonEmpty | None = None


class Memorandum(_Strict):
    id: ActionId
    title: Text
    signed_on: dt.date
    place: Text
    occasion: Text
    parties: Annotated[list[Party], Field(min_length=2, max_length=2)]
    areas: Annotated[list[Area], Field(min_length=10, max_length=10)]
    period: PlanPeriod
    sources: Annotated[list[SourceDocument], Field(min_length=1)]

    def party(self, region: str) -> Party:
        return next(p for p in self.parties if p.region == region)

    def area_names(self, lang: str) -> dict[str, str]:
        """Area id -> the area's name in ``lang``, in the memorandum's order."""
        return {a.id: a.name(lang) for a in self.areas}


def plan_period(memo: Memorandum | None) -> PlanPeriod:
    return memo.period if memo is not None else DEFAULT_PERIOD


def area_names(memo: Memorandum | None, lang: str) -> dict[str, str]:
    """Area id -> name in ``lang``; the ids themselves when there is no memorandum."""
    return memo.area_names(lang) if memo is not None else {a: a for a in AREA_IDS}


# ---------------------------------------------------------------------- plan


class Plan(_Strict):
    title: Text
    status: Literal["draft", "approved"]
    approved_on: dt.date | None = None  # of the latest approved version (baselines/)
    illustrative: Annotated[bool, Field(strict=True)] = False
    note: Text | None = None

    def to_yaml_dict(self) -> dict:
        """The record as it is written: the date as people type one."""
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        if self.approved_on is not None:
            data["approved_on"] = self.approved_on
        return data


# ------------------------------------------------------------------- actions


class Responsible(_Strict):
    model_config = ConfigDict(json_schema_extra=_one_of_required(*REGIONS, items=True))

    pavlodar: list[BodyName] = Field(default_factory=list)
    omsk: list[BodyName] = Field(default_factory=list)

    @model_validator(mode="after")
    def _someone(self) -> Responsible:
        if not (self.pavlodar or self.omsk):
            raise PydanticCustomError("no_body", "name at least one executing body (pavlodar or omsk)")
        return self


class Budget(_Strict):
    amount: Number
    currency: Annotated[str, StringConstraints(pattern=CURRENCY_PATTERN)]
    source: NonEmpty | None = None


Year = Annotated[int, Field(ge=2000, le=2100, strict=True)]


class IndicatorBaseline(_Strict):
    """Where an indicator stood before the plan: its value and the year of it."""

    value: Number
    year: Year


class Indicator(_Strict):
    """A measure of an action's result. Reports name it by ``id`` to give its actual
    value for their quarter; ``actual`` is the latest value reported (or, before any
    report, the value an editor entered)."""

    id: Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)] | None = None
    name: Text
    unit: Text | None = None
    baseline: IndicatorBaseline | None = None
    target: Number | None = None  # by the action's end
    # by the end of each year; keys read as whole numbers, as YAML writes them (JSON has only text keys)
    targets: dict[Annotated[int, Field(ge=2000, le=2100)], Number] = Field(default_factory=dict)
    actual: Number | None = None


class Action(_Spanned):
    """One planned action: the content of ``actions/<id>.yaml``."""

    id: ActionId
    area: AreaId
    title: Text
    description: Text | None = None
    lead: Lead
    responsible: Responsible
    start: PeriodText
    end: PeriodText
    status: Status
    progress: Annotated[int, Field(ge=0, le=100, strict=True)] | None = None
    outcome: Text
    location: Text | None = None
    budget: Budget | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    tags: list[Annotated[str, StringConstraints(pattern=TAG_PATTERN)]] = Field(default_factory=list)
    updated: dt.datetime | None = None
    updated_by: NonEmpty | None = None

    @property
    def shown_progress(self) -> int:
        """Progress as the plan reports it: a done action counts as 100 %, an unset figure as 0."""
        return 100 if self.status == "done" else (self.progress or 0)

    def period_label(self, lang: str) -> str:
        return periods.range_label(self.start_period, self.end_period, lang)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    @property
    def reporting_sides(self) -> tuple[str, ...]:
        """The sides that report on this action: its lead, or both when it is joint."""
        return REGIONS if self.lead == "joint" else (self.lead,)

    def to_yaml_dict(self) -> dict:
        """The record as it is written to its file: fields in model order, no empty ones."""
        return _typed_periods(self.model_dump(mode="json", exclude_none=True, exclude_defaults=True))


# ------------------------------------------------------------------- reports

# What a report can say of its action; cancelling is the working group's decision, not a report's.
ReportStatus = Literal["planned", "in_progress", "done", "postponed"]
REPORT_STATUSES: tuple[str, ...] = get_args(ReportStatus)
ReportState = Literal["draft", "submitted", "accepted", "returned"]
REPORT_STATES: tuple[str, ...] = get_args(ReportState)
COUNTED_STATES = (None, "submitted", "accepted")
QUARTER_PATTERN = r"^\d{4}-Q[1-4]$"
QuarterText = Annotated[str, StringConstraints(pattern=QUARTER_PATTERN)]
# One line: a document's number and date, or a link.
Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=BODY_PATTERN)]


class Report(_Strict):
    """One side's report on one action for one quarter: ``reports/<quarter>/<action>-<side>.yaml``."""

    action: ActionId
    side: Region
    period: QuarterText
    date: dt.date  # the day the report speaks as of
    status: ReportStatus
    progress: Annotated[int, Field(ge=0, le=100, strict=True)]
    done: Text  # what was done in the quarter
    evidence: list[Evidence] = Field(default_factory=list)
    indicators: dict[Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)], Number] = Field(
        default_factory=dict
    )  # indicator id -> its actual value at the quarter's end
    # Where its review stands (``reporting.review``); none: filed before reports were
    # reviewed, and counted as accepted.
    state: ReportState | None = None
    note: NonEmpty | None = None  # why its coordinator returned it, shown to its authors
    updated: dt.datetime | None = None
    updated_by: NonEmpty | None = None

    @property
    def key(self) -> str:
        """Its file under ``reports/``: ``2026-Q3/po-001-omsk``."""
        return f"{self.period}/{self.action}-{self.side}"

    @property
    def counts(self) -> bool:
        """Whether it counts towards status, progress and completeness: submitted or accepted."""
        return self.state in COUNTED_STATES

    @property
    def quarter(self) -> periods.Period:
        return periods.parse(self.period)

    def to_yaml_dict(self) -> dict:
        """The record as it is written to its file: fields in model order, no empty ones."""
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data["date"] = self.date  # written as people type a date, not as a quoted string
        return data


# ----------------------------------------------------------------- baselines


class BaselineIndicator(_Strict):
    """An indicator's targets as approved."""

    id: Annotated[str, StringConstraints(pattern=TAG_PATTERN, max_length=40)] | None = None
    name: Text
    target: Number | None = None
    targets: dict[Annotated[int, Field(ge=2000, le=2100)], Number] = Field(default_factory=dict)


class BaselineAction(_Spanned):
    """An action as the plan approved it: what the working group compares against."""

    id: ActionId
    area: AreaId
    title: Text
    lead: Lead
    responsible: Responsible
    start: PeriodText
    end: PeriodText
    indicators: list[BaselineIndicator] = Field(default_factory=list)


class Baseline(_Strict):
    """The plan as approved on a day: ``baselines/<version>.yaml``, three digits
    (``001.yaml``); an amendment approved later is the next version, and old ones stay."""

    version: Annotated[int, Field(ge=1, le=999, strict=True)]
    approved_on: dt.date
    approved_by: NonEmpty
    note: Text | None = None  # the decision: a protocol of the working group, an order
    actions: list[BaselineAction] = Field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"{self.version:03d}.yaml"

    def to_yaml_dict(self) -> dict:
        """The record as it is written: periods and dates as people type them."""
        data = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data["approved_on"] = self.approved_on
        data["actions"] = [
            _typed_periods(a.model_dump(mode="json", exclude_none=True, exclude_defaults=True)) for a in self.actions
        ]
        return data


def _typed_periods(data: dict) -> dict:
    """Years and days written the way people type them (2027, 2026-05-15), not as
    quoted strings; yearly targets keyed by the year as a number."""
    for key in ("start", "end"):
        period = periods.parse(data[key])
        if period.kind == "year":
            data[key] = period.year
        elif period.kind == "day":
            data[key] = period.first_day
    for indicator in data.get("indicators", []):
        if "targets" in indicator:
            indicator["targets"] = {int(year): value for year, value in indicator["targets"].items()}
    return data


def baseline_of(action: Action) -> BaselineAction:
    """What a baseline freezes of an action: what it is, who does it, when, and its targets."""
    indicators = [
        BaselineIndicator(id=i.id, name=i.name, target=i.target, targets=i.targets) for i in action.indicators
    ]
    return BaselineAction(
        id=action.id,
        area=action.area,
        title=action.title,
        lead=action.lead,
        responsible=action.responsible,
        start=action.start,
        end=action.end,
        indicators=indicators,
    )
