"""The filter state of a view, its URL form, and the one function applying it.

A view's filters live in the URL (``?area=tourism,sport&year=2027``), so a
link reproduces it. Within one parameter the values are alternatives (OR);
different parameters must all hold (AND). An action matches a year or a
quarter when its span overlaps it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..data import model, periods
from ..data.bodies import EMPTY, Registry
from ..data.model import AREA_IDS, LANGS, LEADS, STATUSES

if TYPE_CHECKING:
    import pandas as pd

DUE = ("overdue", "upcoming")

# URL parameter -> Filters field, in the order links are written.
PARAMS = {
    "area": "areas",
    "lead": "leads",
    "year": "years",
    "quarter": "quarters",
    "status": "statuses",
    "due": "due",
    "body": "bodies",
    "q": "q",
    "asof": "asof",
    "baseline": "baseline",
}


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
    invalid: list[Invalid] = []
    chosen: dict[str, object] = {}

    def keep(param: str, allowed) -> list[str]:
        values = []
        for value in _split(params.get(param)):
            if value in allowed and value not in values:
                values.append(value)
            elif value not in allowed:
                invalid.append(Invalid(param, value))
        return values

    year_texts = {str(y) for y in period.years}
    quarter_texts = set(period.quarters)
    chosen["areas"] = tuple(keep("area", AREA_IDS))
    chosen["leads"] = tuple(keep("lead", LEADS))
    chosen["years"] = tuple(int(y) for y in keep("year", year_texts))
    chosen["quarters"] = tuple(keep("quarter", quarter_texts))
    chosen["statuses"] = tuple(keep("status", STATUSES))
    chosen["due"] = tuple(keep("due", DUE))
    known = set(known_bodies) if known_bodies is not None else None
    bodies: dict[str, None] = {}
    for value in _split(params.get("body")):
        key = registry.key_for(value)  # a body named in any language, as older links and the command line may
        if known is None or key in known:
            bodies.setdefault(key)
        else:
            invalid.append(Invalid("body", value))
    chosen["bodies"] = tuple(bodies)
    q = params.get("q")
    chosen["q"] = (q[-1] if isinstance(q, list) and q else q or "").strip()[:200]
    asof = _split(params.get("asof"))
    if asof:
        try:
            chosen["asof"] = dt.date.fromisoformat(asof[-1])
        except ValueError:
            invalid.append(Invalid("asof", asof[-1]))
    baseline = _split(params.get("baseline"))
    if baseline:
        # ASCII digits only: str.isdigit() also takes «²», which int() refuses
        number = int(baseline[-1]) if re.fullmatch(r"[0-9]{1,3}", baseline[-1]) else 0
        if number and (versions is None or number in versions):
            chosen["baseline"] = number
        else:
            invalid.append(Invalid("baseline", baseline[-1]))
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
    for name, column in (("areas", "area"), ("leads", "lead"), ("statuses", "status")):
        chosen = getattr(filters, name)
        if chosen:
            mask &= frame[column].isin(chosen)
    if filters.years:
        mask &= _overlaps(frame, [(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in filters.years])
    if filters.quarters:
        spans = [(p.first_day, p.last_day) for p in map(periods.parse, filters.quarters)]
        mask &= _overlaps(frame, spans)
    if filters.bodies:
        wanted = set(filters.bodies)
        mask &= pd.Series(
            [
                not wanted.isdisjoint(p) or not wanted.isdisjoint(o)
                for p, o in zip(frame["bodies_pavlodar"], frame["bodies_omsk"], strict=True)
            ],
            index=frame.index,
            dtype=bool,
        )
    if filters.due:
        from . import summaries

        asof = filters.asof or dt.date.today()
        rules = {"overdue": summaries.is_overdue, "upcoming": summaries.is_upcoming}
        due = pd.Series(False, index=frame.index)
        for which in filters.due:
            due |= rules[which](frame, asof)
        mask &= due
    for word in filters.q.casefold().split():
        mask &= frame["search"].str.contains(word, regex=False)
    return frame[mask]
