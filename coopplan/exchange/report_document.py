"""The implementation report of a quarter as a Word document, for the akim and the
governor: landscape A4 like the plan document, marked as a draft or illustrative, page
numbers; a title with the quarter and the date; a summary table per area and each
side's completeness; per area each action under way with both sides' reports; an
annex of the actions whose report is missing. In kk, ru, en or kk+ru side by side."""

from __future__ import annotations

from .. import i18n
from ..data import periods
from ..data.bodies import Registry
from ..data.model import REGIONS, Memorandum, Plan, Report
from ..reporting import amendments
from ..reporting.implementation import Implementation, Row
from . import evidence_annex, word
from .exports import BILINGUAL, DOCUMENT_LANGUAGES


def build(report: Implementation, memo: Memorandum, plan: Plan | None, lang: str, evidence=()) -> bytes:
    """The .docx bytes of ``report`` in ``lang``; ``evidence``: the attachments of the data, for their annex."""
    if lang not in DOCUMENT_LANGUAGES:
        raise ValueError(f"document language must be one of {', '.join(DOCUMENT_LANGUAGES)}")
    document = word.landscape(plan, lang)
    quarter = periods.parse(report.quarter)
    word.title(
        document,
        [
            i18n.t(one, "rdoc.title", start=memo.period.start, end=memo.period.end, quarter=quarter.label(one))
            for one in word.langs(lang)
        ],
        size=13,
    )
    asof = " / ".join(i18n.t(one, "rdoc.asof", date=i18n.date(report.asof, one)) for one in word.langs(lang))
    document.add_paragraph(asof).alignment = 1  # centred
    if not report.rows:
        document.add_paragraph(word.t(lang, "rdoc.empty", joiner=" / "))
        return word.to_bytes(document)
    _summary(document, report, memo, lang)
    _actions(document, report, lang)
    _missing(document, report, lang)
    _changes(document, report, lang)
    evidence_annex.add(document, report, list(evidence), lang)
    return word.to_bytes(document)


def _heading(document, lang: str, key: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(word.t(lang, key, joiner=" / "))
    run.bold = True


def _summary(document, report: Implementation, memo: Memorandum, lang: str) -> None:
    _heading(document, lang, "rdoc.summary")
    keys = [
        "rdoc.col.area",
        "rdoc.col.due",
        "rdoc.col.done",
        "rdoc.col.in_progress",
        "rdoc.col.late",
        "rdoc.col.not_reported",
    ]
    grid = word.table(document, [word.t(lang, key) for key in keys])
    for figures in report.figures():
        name = word.text(figures.area.name, lang) if figures.area else word.t(lang, "rdoc.total")
        numbers = [figures.under_way, figures.done, figures.in_progress, figures.overdue, figures.not_reported]
        word.add_row(grid, [name, *(str(n) for n in numbers)], bold=figures.area is None)
    word.fix_widths(grid, [9.7, 3.2, 3.2, 3.2, 3.2, 3.2])
    for side, figures in report.completeness.items():
        line = " / ".join(
            i18n.t(
                one,
                "rdoc.completeness",
                side=i18n.t(one, f"lead.{side}"),
                reported=figures.reported,
                owed=figures.owed,
                share=i18n.percent(figures.share, one) if figures.share is not None else "—",
            )
            for one in word.langs(lang)
        )
        document.add_paragraph(line)


def _report_text(report: Report | None, lang: str) -> str:
    if report is None:
        return word.t(lang, "rdoc.no_report")
    figures = " / ".join(
        f"{i18n.t(one, f'status.{report.status}')}, {i18n.percent(report.progress / 100, one)}"
        for one in word.langs(lang)
    )
    return f"{figures} ({i18n.date(report.date, word.langs(lang)[-1])})\n{word.text(report.done, lang)}"


def _actions(document, report: Implementation, lang: str) -> None:
    bilingual = lang == BILINGUAL
    labels = [word.t(lang, "rdoc.col.number"), word.t(lang, "rdoc.col.action")]
    widths = [1.2, 6.0]
    if bilingual:  # the action's name in Kazakh and in Russian, side by side, as the plan document
        labels[1:2] = [i18n.t("kk", "rdoc.col.action"), i18n.t("ru", "rdoc.col.action")]
        widths = [1.2, 3.4, 3.4]
    labels += [word.t(lang, "rdoc.col.period"), word.t(lang, "rdoc.col.bodies"), word.t(lang, "rdoc.col.status")]
    labels += [
        "\n".join(i18n.t(one, "rdoc.col.report", side=i18n.t(one, f"lead.{side}")) for one in word.langs(lang))
        for side in REGIONS
    ]
    widths += [2.4, 3.6, 2.6, 4.5, 4.6] if bilingual else [2.6, 4.0, 2.6, 4.6, 4.7]
    grid = word.table(document, labels)
    for area, rows in report.areas:
        word.group_row(grid, " / ".join(area.name(one) for one in word.langs(lang)))
        for row in rows:
            word.add_row(grid, _row(row, report.bodies, lang))
    word.fix_widths(grid, widths)


def _side(lang: str, side: str) -> str:
    return " / ".join(i18n.t(one, f"lead.{side}") for one in word.langs(lang))


def _row(row: Row, registry: Registry, lang: str) -> list[str]:
    action = row.action
    values = [f"{row.number}.", action.title(word.langs(lang)[0])]
    if lang == BILINGUAL:
        values.append(action.title("ru"))
    bodies = "\n".join(  # each side's bodies under its name: a joint action has both
        f"{_side(lang, side)}:\n{word.bodies(keys, registry, lang)}"
        for side in REGIONS
        if (keys := getattr(action.responsible, side))
    )
    status = " / ".join(i18n.t(one, f"status.{row.status}") for one in word.langs(lang))
    values += ["\n".join(action.period_label(one) for one in word.langs(lang)), bodies, status]
    for side in REGIONS:
        values.append(_report_text(row.reports[side], lang) if side in row.reports else "—")
    return values


def _missing(document, report: Implementation, lang: str) -> None:
    document.add_page_break()
    _heading(document, lang, "rdoc.annex_missing")
    if not report.missing:
        document.add_paragraph(word.t(lang, "rdoc.none_missing", joiner=" / "))
        return
    labels = [
        word.t(lang, key) for key in ("rdoc.col.number", "rdoc.col.action", "rdoc.col.period", "rdoc.col.missing_side")
    ]
    grid = word.table(document, labels)
    for row in report.missing:
        sides = "\n".join(_side(lang, side) for side in row.missing)
        periods_text = "\n".join(row.action.period_label(one) for one in word.langs(lang))
        word.add_row(grid, [f"{row.number}.", word.text(row.action.title, lang), periods_text, sides])
    word.fix_widths(grid, [1.2, 13.5, 5.0, 6.0])


def _changes(document, report: Implementation, lang: str) -> None:
    """The annex of what changed since the plan was approved, one row an action."""
    document.add_page_break()
    baseline = report.baseline
    if baseline is None:
        _heading(document, lang, "rdoc.not_approved")
        return
    heading = document.add_paragraph()
    heading.add_run(
        " / ".join(
            i18n.t(one, "rdoc.annex_changes", version=baseline.version, date=i18n.date(baseline.approved_on, one))
            for one in word.langs(lang)
        )
    ).bold = True
    if not report.changes:
        document.add_paragraph(word.t(lang, "rdoc.no_changes", joiner=" / "))
        return
    labels = [word.t(lang, key) for key in ("rdoc.col.number", "rdoc.col.action", "changes.col.what")]
    grid = word.table(document, labels)
    for number, change in enumerate(report.changes, start=1):
        title = word.text((change.after or change.before).title, lang)
        what = "\n".join(amendments.describe(change, one, labels=True) for one in word.langs(lang))
        word.add_row(grid, [f"{number}.", title, what])
    word.fix_widths(grid, [1.2, 13.0, 11.5])
