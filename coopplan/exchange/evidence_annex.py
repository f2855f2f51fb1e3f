"""The implementation report's annex of evidence, «Подтверждающие документы» /
«Растайтын құжаттар»: per action of the quarter and per side, each attached document's
number, date, kind and title (the files themselves stay in the dashboard, for those
allowed)."""

from __future__ import annotations

from .. import i18n
from ..data.evidence import Attachment
from ..data.model import REGIONS, Text
from ..reporting.implementation import Implementation
from . import word


def rows(report: Implementation, records: list[Attachment]) -> list[tuple[int, Text, Attachment]]:
    """(the action's number in the report, its title, attachment): those attached to the
    quarter's reports of the report's actions and to the actions themselves, in the
    report's order."""
    by_of: dict[str, list[Attachment]] = {}
    for record in records:
        by_of.setdefault(record.of, []).append(record)
    found = []
    for _, area_rows in report.areas:
        for row in area_rows:
            for side in REGIONS:
                key = f"{report.quarter}/{row.action.id}-{side}"
                own = [r for r in by_of.get(row.action.id, []) if r.side == side]
                for record in sorted(own + by_of.get(key, []), key=lambda r: (r.date is None, r.date, r.id)):
                    found.append((row.number, row.action.title, record))
    return found


def add(document, report: Implementation, records: list[Attachment], lang: str) -> None:
    """Append the annex's table to ``document`` (the report in ``lang``, kk+ru too), under
    the heading the report gives it with its number."""
    found = rows(report, records)
    if not found:
        document.add_paragraph(word.t(lang, "evidence.annex_none", joiner=" / "))
        return
    keys = ["rdoc.col.number", "rdoc.col.action", "evidence.col.side", "evidence.col.kind"]
    keys += ["evidence.col.number", "evidence.col.date", "evidence.col.title"]
    grid = word.table(document, [word.t(lang, key) for key in keys])
    for number, title, record in found:
        word.add_row(
            grid,
            [
                f"{number}.",
                word.text(title, lang),
                " / ".join(i18n.t(one, f"lead.{record.side}") for one in word.langs(lang)),
                " / ".join(i18n.t(one, f"evidence.kind.{record.kind}") for one in word.langs(lang)),
                record.number or "—",
                " / ".join(dict.fromkeys(i18n.date(record.date, one) for one in word.langs(lang)))
                if record.date
                else "—",
                word.text(record.title, lang) + _illustrative(record, lang),
            ],
        )
    word.fix_widths(grid, [1.2, 6.5, 2.6, 2.8, 2.4, 2.8, 7.4])


def _illustrative(record: Attachment, lang: str) -> str:
    return f" ({word.t(lang, 'evidence.illustrative', joiner=' / ')})" if record.illustrative else ""


def listed(records: list[Attachment], lang: str) -> str:
    """What is attached, one file a line («Протокол № 2, 18.06.2026: …»): the reports
    form's read-only column."""
    return "\n".join(
        i18n.t(lang, f"evidence.kind.{r.kind}")
        + (f" № {r.number}" if r.number else "")
        + (f", {r.date:%d.%m.%Y}" if r.date else "")
        + f": {r.title(lang)}"
        for r in records
    )
