"""What people type into a form's cells, read as what they mean: a percentage as
``45``, ``45%``, ``45 %``, ``45,0``, 0.45 in a cell formatted as a percentage, or
``0,45`` typed as text;
a date as a real date, ``05.12.2026``, ``5.12.2026`` or ``2026-12-05``; a number
with a decimal comma and spaces between thousands; a status in any language and
case. A value that means nothing raises ``Unreadable`` with the rule's kind, for
the reader to say in their language what to type instead."""

from __future__ import annotations

import datetime as dt
import re

from .. import i18n
from ..data.model import LANGS

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class Unreadable(ValueError):
    """A cell that does not say what its column asks for; ``kind`` names the rule."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class InPercent(float):
    """A number read from a cell formatted as a percentage: 0.45 shows as 45 %."""


def _number_text(text: str) -> float:
    cleaned = _SPACES.sub("", text).replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise Unreadable("not_a_number") from None


def number(value: object) -> float:
    """A number of 0 or more: typed, or text with a decimal comma (``6,5``, ``1 200``)."""
    if isinstance(value, bool):
        raise Unreadable("not_a_number")
    found = float(value) if isinstance(value, int | float) else _number_text(str(value))
    if found != found or found in (float("inf"), float("-inf")):  # NaN or infinite
        raise Unreadable("not_a_number")
    if found < 0:
        raise Unreadable("negative")
    return found


def percent(value: object) -> int:
    """A whole percentage 0–100 from what a person typed."""
    if isinstance(value, InPercent):
        found = float(value) * 100
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = float(value)
    else:
        text = str(value).strip()
        found = _number_text(text.rstrip("%").strip()) if text.endswith("%") else _number_text(text)
        if 0 < found < 1:  # «0,45»: a share, as a whole percentage cannot be a fraction below 1
            found *= 100
    if not 0 <= found <= 100:
        raise Unreadable("percent_range")
    if abs(found - round(found)) > 1e-6:
        raise Unreadable("percent_whole")
    return round(found)


def date(value: object) -> dt.date:
    """A day: a real date, or ``05.12.2026``, ``5.12.2026``, ``5/12/2026``, ``2026-12-05``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _SPACES.sub("", str(value)).rstrip(".")
    if text.endswith(("г", "ж")):  # «05.12.2026 г.», «05.12.2026 ж.»
        text = text[:-1].rstrip(".")
    parts: tuple[int, ...] | None = None
    if found := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in found.groups())
        parts = (year, month, day)
    elif found := _ISO.fullmatch(text):
        parts = tuple(int(g) for g in found.groups())
    if parts is None:
        raise Unreadable("not_a_date")
    try:
        return dt.date(*parts)
    except ValueError:
        raise Unreadable("not_a_date") from None


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold().replace("ё", "е")


def choice(value: object, codes: tuple[str, ...], prefix: str) -> str:
    """The code of a choice named in any language and case (``status.`` names), or the code itself."""
    names = {_key(i18n.t(one, f"{prefix}{code}")): code for code in codes for one in LANGS}
    names |= {code: code for code in codes}
    found = names.get(_key(str(value)))
    if found is None:
        raise Unreadable("not_a_choice")
    return found
