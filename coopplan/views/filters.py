"""The filter state of a view, its URL form, and the one function applying it.

A view's filters live in the URL (``?area=tourism,sport&year=2027``), so a
link reproduces it. Within one parameter the values are alternatives (OR);
different parameters must all hold (AND). An action matches a year or a
quarter when its span overlaps it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..data import model, periods
from ..data.bodies import EMPTY, Registry
from ..data.model import AREA_IDS, LANGS, LEADS, STATUSES

if TYPE_CHECKING:
    import pandas as pd

DUE = ("overdue", "upcoming")


@dataclass(frozen=True)
class Filters:
    areas: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    quarters: tuple[str, ...] = ()  # "2026-Q2"
    statuses: tuple[str, ...] = ()
    due: tuple[str, ...] = ()  # "overdue", "upcoming": as of ``asof`` (views.summaries has the rules)
    bodies: tuple[str, ...] = ()  # registry ids, or free names as the actions list them
    q: str = ""
    asof: dt.date | None = None  # the date that decides overdue/upcoming; None = today
    baseline: int | None = None  # the approved version changes are compared with; None = the latest

    def is_empty(self) -> bool:
        return self == Filters(asof=self.asof, baseline=self.baseline)


@dataclass(frozen=True)
class Invalid:
    """A URL value that was ignored, for the notice shown to the user."""

    param: str
    value: str


def _split(raw: str | list[str] | None) -> list[str]:
    if raw is None:
        return []
    parts = raw if isinstance(raw, list) else [raw]
    return [v.strip() for part in parts for v in str(part).split(",") if v.strip()]


@dataclass(frozen=True)
class Context:
    """What a filter's values are checked against, and shown with."""

    period: model.PlanPeriod = model.DEFAULT_PERIOD
    known_bodies: Collection[str] | None = None  # None: any body is known
    versions: Collection[int] | None = None  # None: any version is known
    registry: Registry = EMPTY
    areas: Sequence[str] = AREA_IDS  # the areas offered (the memorandum's, on a page)


@dataclass(frozen=True)
class Naming:
    """What a value's name in a language needs."""

    lang: str
    area_names: Mapping[str, str]
    registry: Registry = EMPTY


Parsed = tuple[object, list[str]]  # the value for ``Filters``, and the values refused


@dataclass(frozen=True)
class Filter:
    """One filter, declared once: its URL parameter and ``Filters`` field, how its
    values are read against the data, which actions it keeps, how the sidebar shows it
    and how a person reads it. ``Filters``' fields, ``from_query``/``to_query``, the
    sidebar, ``texts.describe_filters``, the API's parameters and OpenAPI description
    and the command line's options are all made from ``FILTERS``.

    The label is the catalog's ``filters.<param>``, and ``filters.<param>_help`` is
    shown beside the widget when ``ui_help``."""

    param: str
    field: str
    help: str  # for the API's description and the command line's --help (English, as they are)
    widget: str  # "text", "pills", "list", "date" or "version"
    place: int  # the sidebar's order (links are written in FILTERS' order)
    parse: Callable[[str | list[str] | None, Context], Parsed]
    choices: Callable[[Context], Sequence] = lambda context: ()
    name: Callable[[Naming, object], str] = lambda naming, value: str(value)
    match: Callable[[pd.DataFrame, object, Filters], pd.Series] | None = None
    described: bool = True  # stated at the top of an export
    ui_help: bool = False

    def widget_value(self, chosen: Filters):
        value = getattr(chosen, self.field)
        if self.widget == "date":
            return value or dt.date.today()
        if self.widget == "version":
            return value or 0  # 0 stands for the latest: a select box shows None as a placeholder
        return list(value) if isinstance(value, tuple) else value

    def from_widget(self, value):
        """The ``Filters`` value of the widget's (the inverse of ``widget_value``)."""
        if self.widget == "text":
            return (value or "").strip()
        if self.widget == "date":
            return value if value != dt.date.today() else None
        if self.widget == "version":
            return value or None  # 0: the latest
        return tuple(value or ())


def _choice(allowed: Callable[[Context], Collection], convert: Callable[[str], object] = str):
    """Values among ``allowed``, in the order given, each once."""

    def parse(raw, context: Context) -> Parsed:
        permitted = {str(v) for v in allowed(context)}
        values: list[str] = []
        refused = []
        for value in _split(raw):
            if value not in permitted:
                refused.append(value)
            elif value not in values:
                values.append(value)
        return tuple(convert(v) for v in values), refused

    return parse


def _bodies(raw, context: Context) -> Parsed:
    known = set(context.known_bodies) if context.known_bodies is not None else None
    bodies: dict[str, None] = {}
    refused = []
    for value in _split(raw):
        key = context.registry.key_for(value)  # a body named in any language, as older links and the command line may
        if known is None or key in known:
            bodies.setdefault(key)
        else:
            refused.append(value)
    return tuple(bodies), refused


def _text(raw, context: Context) -> Parsed:
    return (raw[-1] if isinstance(raw, list) and raw else raw or "").strip()[:200], []


def _date(raw, context: Context) -> Parsed:
    given = _split(raw)
    if not given:
        return None, []
    try:
        return dt.date.fromisoformat(given[-1]), []
    except ValueError:
        return None, [given[-1]]


def _version(raw, context: Context) -> Parsed:
    given = _split(raw)
    if not given:
        return None, []
    # ASCII digits only: str.isdigit() also takes «²», which int() refuses
    number = int(given[-1]) if re.fullmatch(r"[0-9]{1,3}", given[-1]) else 0
    if number and (context.versions is None or number in context.versions):
        return number, []
    return None, [given[-1]]


def _in_column(column: str):
    return lambda frame, chosen, filters: frame[column].isin(chosen)


def _spanning(days: Callable[[object], tuple[dt.date, dt.date]]):
    return lambda frame, chosen, filters: _overlaps(frame, [days(value) for value in chosen])


def _naming_body(frame: pd.DataFrame, chosen, filters: Filters) -> pd.Series:
    import pandas as pd

    wanted = set(chosen)
    return pd.Series(
        [
            not wanted.isdisjoint(p) or not wanted.isdisjoint(o)
            for p, o in zip(frame["bodies_pavlodar"], frame["bodies_omsk"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )


def _due(frame: pd.DataFrame, chosen, filters: Filters) -> pd.Series:
    import pandas as pd

    from . import summaries

    asof = filters.asof or dt.date.today()
    rules = {"overdue": summaries.is_overdue, "upcoming": summaries.is_upcoming}
    due = pd.Series(False, index=frame.index)
    for which in chosen:
        due |= rules[which](frame, asof)
    return due


def _searched(frame: pd.DataFrame, chosen, filters: Filters) -> pd.Series:
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for word in chosen.casefold().split():
        mask &= frame["search"].str.contains(word, regex=False)
    return mask


def _t(key: str):
    return lambda naming, value: i18n.t(naming.lang, f"{key}.{value}")


def _quarter_days(code) -> tuple[dt.date, dt.date]:
    quarter = periods.parse(code)
    return quarter.first_day, quarter.last_day


FILTERS = (
    Filter(
        "area", "areas", "area ids, comma-separated", "list", 2,
        _choice(lambda c: AREA_IDS), lambda c: c.areas,
        lambda naming, value: naming.area_names.get(str(value), str(value)), _in_column("area"),
    ),
    Filter(
        "lead", "leads", "pavlodar, omsk or joint", "pills", 1,
        _choice(lambda c: LEADS), lambda c: list(LEADS), _t("lead"), _in_column("lead"),
    ),
    Filter(
        "year", "years", "plan years; an action matches every year it spans", "pills", 3,
        _choice(lambda c: c.period.years, int), lambda c: c.period.years, match=_spanning(
            lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31))
        ),
    ),
    Filter(
        "quarter", "quarters", "quarters such as 2026-Q2", "list", 4,
        _choice(lambda c: c.period.quarters), lambda c: c.period.quarters,
        lambda naming, value: periods.parse(value).label(naming.lang), _spanning(_quarter_days),
    ),
    Filter(
        "status", "statuses", "planned, in_progress, done, postponed or cancelled", "pills", 5,
        _choice(lambda c: STATUSES), lambda c: list(STATUSES), _t("status"), _in_column("status"),
    ),
    Filter(
        "due", "due",
        "overdue or upcoming: actions whose period has passed unfinished, or that start within 90 days", "pills", 6,
        _choice(lambda c: DUE), lambda c: list(DUE), _t("due"), _due, ui_help=True,
    ),
    Filter(
        "body", "bodies", "an executing body: its id in bodies.yaml, or its exact name in any language", "list", 7,
        _bodies, lambda c: list(c.known_bodies or ()),
        lambda naming, value: naming.registry.name(value, naming.lang), _naming_body,
    ),
    Filter(
        "q", "q", "free text, searched in every language", "text", 0, _text,
        name=lambda naming, value: f"«{value}»", match=_searched, ui_help=True,
    ),
    Filter(
        "asof", "asof", "YYYY-MM-DD: the date that decides what is overdue (default today)", "date", 8, _date,
        described=False, ui_help=True,
    ),
    Filter(
        "baseline", "baseline", "the approved version changes are counted against (default the latest)", "version", 9,
        _version, described=False,
    ),
)  # fmt: skip

BY_PARAM = {f.param: f for f in FILTERS}
PARAMS = {f.param: f.field for f in FILTERS}  # URL parameter -> Filters field, in the order links are written


def from_query(
    params: Mapping[str, str | list[str]],
    period: model.PlanPeriod = model.DEFAULT_PERIOD,
    known_bodies: Collection[str] | None = None,
    versions: Collection[int] | None = None,
    registry: Registry = EMPTY,
) -> tuple[Filters, list[Invalid]]:
    """Filters from URL parameters; unknown values are dropped and reported (bodies
    and baseline versions too, when ``known_bodies`` and ``versions`` name the ones
    there are). A body is given by its ``registry`` id or by a name in any language."""
    context = Context(period, known_bodies, versions, registry)
    invalid: list[Invalid] = []
    chosen: dict[str, Any] = {}
    for declared in FILTERS:
        value, refused = declared.parse(params.get(declared.param), context)
        invalid += [Invalid(declared.param, v) for v in refused]
        if value is not None:
            chosen[declared.field] = value
    return Filters(**chosen), invalid


def to_query(filters: Filters, lang: str | None = None) -> dict[str, str]:
    """URL parameters for ``filters`` (empty ones left out), ``lang`` first."""
    query = {"lang": lang} if lang in LANGS else {}
    for param, name in PARAMS.items():
        value = getattr(filters, name)
        if isinstance(value, tuple):
            if value:
                query[param] = ",".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            query[param] = value.isoformat()
        elif isinstance(value, int):
            query[param] = str(value)
        elif value:
            query[param] = value
    return query


def _overlaps(frame: pd.DataFrame, spans: list[tuple[dt.date, dt.date]]) -> pd.Series:
    import pandas as pd

    mask = pd.Series(False, index=frame.index)
    for first, last in spans:
        mask |= (frame["start"] <= pd.Timestamp(last)) & (frame["end"] >= pd.Timestamp(first))
    return mask


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The actions of ``frame`` (see ``frame.actions_frame``) that match ``filters``."""
    # pandas is imported here, not above: the command line reads PARAMS without it
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for declared in FILTERS:
        chosen = getattr(filters, declared.field)
        if declared.match is not None and chosen:
            mask &= declared.match(frame, chosen, filters)
    return frame[mask]
