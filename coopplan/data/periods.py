"""Plan periods: a year, a quarter, a month or a day, and their labels.

An action runs from the first day of its ``start`` to the last day of its
``end``. Labels follow how official plans write periods in each language:
«2026 жылғы II тоқсан», «II квартал 2026 г.», "Q2 2026".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date, get_month_names

PATTERN = r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
_PATTERN = re.compile(PATTERN)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}  # quarters, as plans number them in every language


@dataclass(frozen=True, order=True)
class Period:
    """One period in one of the four granularities; ``str()`` is its canonical text."""

    first_day: dt.date
    last_day: dt.date
    kind: str  # "year", "quarter", "month" or "day"

    @property
    def year(self) -> int:
        return self.first_day.year

    @property
    def quarter(self) -> int:
        return (self.first_day.month - 1) // 3 + 1

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "month":
            return self.first_day.strftime("%Y-%m")
        return self.first_day.isoformat()

    def label(self, lang: str) -> str:
        """The period as an official plan writes it in ``lang``."""
        year = self.year
        if self.kind == "year":
            return {"kk": f"{year} жыл", "ru": f"{year} г."}.get(lang, f"{year}")
        if self.kind == "quarter":
            roman = ROMAN[self.quarter]
            return {
                "kk": f"{year} жылғы {roman} тоқсан",
                "ru": f"{roman} квартал {year} г.",
            }.get(lang, f"Q{self.quarter} {year}")
        if self.kind == "month":
            month = get_month_names("wide", "stand-alone", locale=lang)[self.first_day.month]
            return {
                "kk": f"{year} жылғы {month.lower()}",
                "ru": f"{month.lower()} {year} г.",
            }.get(lang, f"{month} {year}")
        if lang == "kk":  # Kazakh documents write «2026 жылғы 15 қыркүйек»
            month = get_month_names("wide", "format", locale="kk")[self.first_day.month]
            return f"{year} жылғы {self.first_day.day} {month.lower()}"
        # CLDR puts narrow no-break spaces in some patterns; Word fonts lack them.
        return format_date(self.first_day, "long", locale=lang).replace("\u202f", " ")


def quarter_of(day: dt.date) -> str:
    """The code of the quarter ``day`` falls in: ``2026-Q4``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_index(day: dt.date) -> int:
    """Quarters counted from year 0: the difference of two is how many quarters apart."""
    return day.year * 4 + (day.month - 1) // 3


def quarters(years: list[int]) -> list[str]:
    """The codes of every quarter of ``years``: ``2026-Q1`` … in order."""
    return [f"{year}-Q{quarter}" for year in years for quarter in range(1, 5)]


def parse(value: object) -> Period:
    """A Period from YAML's value (``2026``, ``"2026-Q2"``, ``"2026-05"``, a date).

    Raises ValueError with a message that says what is accepted.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)):
        raise ValueError(f"expected a period such as 2026, 2026-Q2, 2026-05 or 2026-05-15, got {value!r}")
    return _parse(value)


def canonical(value: object) -> str:
    """The canonical text of a period value (``2026-Q2``); ValueError when it is none."""
    if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)):
        return str(parse(value))  # raises with the message
    return _canonical(value)


@lru_cache(maxsize=8192)
def _canonical(value: int | str | dt.date) -> str:
    return str(_parse(value))


@lru_cache(maxsize=8192)
def _parse(value: int | str | dt.date) -> Period:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date, not a date and time ({value.isoformat()})")
    if isinstance(value, dt.date):
        return Period(value, value, "day")
    text = str(value).strip()
    if not _PATTERN.match(text):
        raise ValueError(f"{text!r} is not a period: write 2026, 2026-Q2, 2026-05 or 2026-05-15")
    year = int(text[:4])
    if len(text) == 4:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    if text[5] == "Q":
        quarter = int(text[6])
        first = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        last = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(first, last, "quarter")
    month = int(text[5:7])
    if len(text) == 7:
        return Period(
            dt.date(year, month, 1),
            dt.date(year, month, calendar.monthrange(year, month)[1]),
            "month",
        )
    try:
        day = dt.date(year, month, int(text[8:10]))
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None
    return Period(day, day, "day")


_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def from_label(text: str, langs: tuple[str, ...]) -> str | None:
    """The code of a period written as a code or as a plan writes it in one of
    ``langs`` («II квартал 2027 г.», «2027 жылғы II тоқсан», "Q2 2027"); None when it
    is neither. Letter case and runs of spaces do not matter."""
    try:
        return canonical(text)
    except ValueError:
        pass
    wanted = " ".join(text.split()).casefold()
    for year in dict.fromkeys(_YEAR.findall(text)):
        found = _labels(int(year), langs).get(wanted)
        if found:
            return found
    return None


@lru_cache(maxsize=64)
def _labels(year: int, langs: tuple[str, ...]) -> dict[str, str]:
    """Every period of ``year`` (the year, its quarters, months and days) by its label in each language."""
    codes = [str(year), *quarters([year]), *(f"{year}-{month:02d}" for month in range(1, 13))]
    first = dt.date(year, 1, 1)
    codes += [(first + dt.timedelta(days=n)).isoformat() for n in range((dt.date(year + 1, 1, 1) - first).days)]
    return {" ".join(parse(code).label(lang).split()).casefold(): code for code in reversed(codes) for lang in langs}


def range_label(start: Period, end: Period, lang: str) -> str:
    """One label for the span from ``start`` to ``end``, collapsed where plans do."""
    if start == end:
        return start.label(lang)
    if start.kind == end.kind == "year":
        return {
            "kk": f"{start.year}–{end.year} жылдар",
            "ru": f"{start.year}–{end.year} гг.",
        }.get(lang, f"{start.year}–{end.year}")
    if start.kind == end.kind == "quarter" and start.year == end.year and (start.quarter, end.quarter) == (1, 4):
        return parse(str(start.year)).label(lang)  # the whole year
    if start.kind == end.kind == "month" and start.year == end.year:  # the year said once
        names = get_month_names("wide", "stand-alone", locale=lang)
        first, last = (names[p.first_day.month] for p in (start, end))
        return {
            "kk": f"{start.year} жылғы {first.lower()} – {last.lower()}",
            "ru": f"{first.lower()} – {last.lower()} {start.year} г.",
        }.get(lang, f"{first} – {last} {start.year}")
    if start.kind == end.kind == "quarter" and start.year == end.year:
        first, last = ROMAN[start.quarter], ROMAN[end.quarter]
        return {
            "kk": f"{start.year} жылғы {first}–{last} тоқсандар",
            "ru": f"{first}–{last} кварталы {start.year} г.",
        }.get(lang, f"Q{start.quarter}–Q{end.quarter} {start.year}")
    return f"{start.label(lang)} – {end.label(lang)}"
