"""What an import's preview shows of a row: what the file says beside what is there
now, in a line a person can check before applying (a plan's action, a report)."""

from __future__ import annotations

from .. import i18n
from ..data.model import Action, Report

TEXT_START = 60  # characters of a text shown


def _start(text: str) -> str:
    return f"«{text[:TEXT_START]}{'…' if len(text) > TEXT_START else ''}»"


def report(found: Report | None, lang: str, action: Action | None = None) -> str:
    """A report: status, progress, date, the start of its text, the indicators' values."""
    if found is None:
        return "—"
    parts = [
        i18n.t(lang, f"status.{found.status}"),
        i18n.percent(found.progress / 100, lang),
        found.date.strftime("%d.%m.%Y"),
    ]
    if shown := found.done(lang):
        parts.append(_start(shown))
    for key, value in found.indicators.items():
        indicator = action.indicator(key) if action is not None else None
        parts.append(f"{indicator.name(lang) if indicator is not None else key}: {i18n.number(value, lang)}")
    return "; ".join(parts)


def action(found: Action | None, lang: str) -> str:
    """A plan's action: the start of its title, its period, lead, status and progress."""
    if found is None:
        return "—"
    parts = [
        _start(found.title(lang)),
        found.period_label(lang),
        i18n.t(lang, f"lead.{found.lead}"),
        i18n.t(lang, f"status.{found.status}"),
        i18n.percent(found.shown_progress / 100, lang),
    ]
    parts += [f"{i.name(lang)}: {i18n.number(i.actual, lang)}" for i in found.indicators if i.actual is not None]
    return "; ".join(parts)
