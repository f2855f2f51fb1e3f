"""Interface language: catalogs for kk, ru and en, and CLDR formatting via Babel.

Catalogs are YAML files ``locales/<lang>/<domain>.yaml`` of flat keys; a
value is a string with ``{name}`` fields, or, for counts, a mapping of CLDR
plural categories (``one``, ``few``, ``many``, ``other``) chosen by Babel,
because Russian needs three forms where English needs two.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal, format_percent

from . import config
from .data import periods, yamlio
from .data.model import LANGS, Text

LOCALES = Path(__file__).parent / "locales"
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
BILINGUAL = "kk+ru"  # a Word document's Kazakh and Russian side by side
DOCUMENT_LANGUAGES = ("kk", "ru", "en", BILINGUAL)


def negotiate(requested: str | None, accept_language: str | None) -> str:
    """``?lang=`` if valid, else the browser's first kk/ru/en locale, else the default."""
    if requested in LANGS:
        return requested
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGS:
            return tag
    configured = config.default_lang()
    return configured if configured in LANGS else "ru"


@cache
def catalog(lang: str) -> dict:
    merged: dict = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        merged.update(yamlio.loads(path.read_bytes()) or {})
    return merged


def t(lang: str, key: str, count: float | None = None, **fields) -> str:
    """The catalog text of ``key`` in ``lang`` with ``fields`` filled in.

    With ``count`` the plural form is chosen by CLDR rules and ``{count}`` is
    the number formatted for the language.
    """
    entry = catalog(lang).get(key)
    if entry is None:  # a test keeps catalogs complete; never crash a page over one
        entry = next((catalog(o)[key] for o in LANGS if key in catalog(o)), key)
    if isinstance(entry, dict):
        form = Locale.parse(lang).plural_form(abs(count or 0))
        entry = entry.get(form, entry.get("other", key))
    if count is not None:
        fields["count"] = number(count, lang)
    return entry.format(**fields) if fields else entry


def problem(lang: str, kind: str, message: str) -> str:
    """A refused input for a person: how to fix it in ``lang``, then the exact
    rule in English as the command line prints it (the rule alone when the
    catalog has no advice for ``kind``)."""
    advice = catalog(lang).get(f"problem.{kind}")
    return f"{advice} — {message}" if advice else message


def advice(lang: str, kind: str, message: str) -> str:
    """How to fix a refused input in ``lang``, without the English rule (forms show
    the rule behind a «details» toggle); the rule itself when there is no advice."""
    return catalog(lang).get(f"problem.{kind}") or message


def number(value: float, lang: str) -> str:
    return format_decimal(value, locale=lang)


def percent(fraction: float, lang: str) -> str:
    return format_percent(fraction, locale=lang)


def date(value: dt.date, lang: str) -> str:
    """A date as documents write it in ``lang`` («2026 жылғы 15 қыркүйек», «15 сентября 2026 г.»)."""
    return periods.Period(value, value, "day").label(lang)


def text(value: Text | None, lang: str) -> tuple[str, str | None]:
    """Data text in ``lang``, or in another language with that language's code
    (so pages can mark the fallback); ("", None) when there is none."""
    if value is None:
        return "", None
    shown, used = value.get(lang)
    return shown, (used if used != lang else None)
