"""The implementation report of a quarter as a Word document a deputy akim or a
minister can sign: landscape A4 like the plan document, marked as a draft or an
illustrative example, page numbers alone in the footer; a title with the quarter and
the date; a summary per area whose columns add up (done, in progress, postponed, not
begun, cancelled) and of them how many are overdue and without a report; each side's
completeness; a numbered table of the actions with their indicators (baseline, the
year's target, the quarter's actual) and each side's report with the evidence it
cites; the joint actions where the sides disagree; a «prepared by» and signature
block for each side; then the numbered annexes (``ANNEXES``: an annex is one function
more). Each report text is in the document's language or marked with the language it
was given in. In kk, ru, en, or kk+ru: then every table row has its Kazakh cells on
the left and its Russian cells on the right, under both languages' headers."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from docx.shared import Cm

from .. import i18n
from ..data import periods
from ..data.model import REGIONS, Action, Memorandum, Plan, Report
from ..i18n import BILINGUAL, DOCUMENT_LANGUAGES
from ..reporting import amendments
from ..reporting.implementation import Implementation, Row
from . import evidence_annex, word

# where a side's figure is shown with another's: which side's name comes first
_SIDES = REGIONS


def build(report: Implementation, memo: Memorandum, plan: Plan | None, lang: str, evidence=()) -> bytes:
    """The .docx bytes of ``report`` in ``lang``; ``evidence``: the attachments of the data, for their annex."""
    if lang not in DOCUMENT_LANGUAGES:
        raise ValueError(f"document language must be one of {', '.join(DOCUMENT_LANGUAGES)}")
    closed = report.closing is not None and report.closing.closed
    # a draft until both sides closed the quarter: its reports can still change
    document = word.landscape(
        plan, lang, note="rdoc.draft_note", draft=not closed or plan is None or plan.status != "approved"
    )
    quarter = periods.parse(report.quarter)
    titles = [
        i18n.t(one, "rdoc.title", start=memo.period.start, end=memo.period.end, quarter=quarter.title_label(one))
        for one in word.langs(lang)
    ]
    word.properties(  # in the document's last language: a property holds 255 characters
        document,
        title=titles[-1],
        subject=i18n.t(word.langs(lang)[-1], "doc.title", start=memo.period.start, end=memo.period.end),
        author=" / ".join(memo.party(side).body(word.langs(lang)[-1]) for side in REGIONS),
        keywords=report.quarter,
    )
    if lang == BILINGUAL:
        word.side_by_side(document, titles, bold=True, centred=True)
    else:
        word.title(document, titles, size=13)
    _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.asof", date=i18n.date(report.asof, one)), centred=True)
    for side, half in sorted(report.closing.sides.items()) if report.closing else []:
        _paragraph(
            document,
            lang,
            partial(_closed_by, side=side, day=half.closed.date()),
            centred=True,
        )
    if not report.rows:
        _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.empty"))
        return word.to_bytes(document)
    _summary(document, report, lang)
    _actions(document, report, lang)
    _disagreements(document, report, lang)
    _signatures(document, memo, lang)
    annexes: list[Callable] = [*ANNEXES, partial(_evidence, records=list(evidence))]
    for number, annex in enumerate(annexes, start=1):
        document.add_page_break()
        annex(document, report, lang, number)
    return word.to_bytes(document)


def _paragraph(document, lang: str, say: Callable[[str], str], bold: bool = False, centred: bool = False) -> None:
    """A line in the document's language; in kk+ru the Kazakh and the Russian side by side."""
    if lang != BILINGUAL:
        paragraph = document.add_paragraph()
        paragraph.add_run(say(lang)).bold = bold
        if centred:
            paragraph.alignment = 1
        return
    word.side_by_side(document, [say("kk"), say("ru")], bold=bold, centred=centred)


def _heading(document, lang: str, key: str, **fields) -> None:
    _paragraph(document, lang, lambda one: i18n.t(one, key, **fields), bold=True)


def _annex_heading(document, lang: str, number: int, title: Callable[[str], str]) -> None:
    _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.annex", number=number, title=title(one)), bold=True)


def _headers(lang: str, keys: list[str]) -> list[str]:
    return [word.t(lang, key) for key in keys]


# ---- the summary -------------------------------------------------------------------------


_COUNTED = ("done", "in_progress", "postponed", "planned", "cancelled")  # add up to the total


def _summary(document, report: Implementation, lang: str) -> None:
    _heading(document, lang, "rdoc.summary")
    figures = report.figures()
    counted = [s for s in _COUNTED if s in ("done", "in_progress", "postponed") or getattr(figures[-1], s)]
    numbers = ["rdoc.col.due", *(f"status.{s}" for s in counted), "rdoc.col.late", "rdoc.col.not_reported"]
    if lang == BILINGUAL:
        labels = [i18n.t("kk", "rdoc.col.area"), i18n.t("ru", "rdoc.col.area"), *_headers(lang, numbers)]
    else:
        labels = _headers(lang, ["rdoc.col.area", *numbers])
    grid = word.table(document, labels)
    for found in figures:
        names = [found.area.name(one) if found.area else i18n.t(one, "rdoc.total") for one in word.langs(lang)]
        values = [found.under_way, *(getattr(found, s) for s in counted), found.overdue, found.not_reported]
        word.add_row(grid, [*names, *(str(n) for n in values)], bold=found.area is None, numbers_from=len(names))
    area = [4.8, 4.8] if lang == BILINGUAL else [9.0]
    rest = (25.7 - sum(area)) / len(numbers)
    word.fix_widths(grid, [*area, *([rest] * len(numbers))])
    due = len(area) + 1  # the column numbers as the table has them
    note = {"due": due, "first": due + 1, "last": due + len(counted)}
    _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.summary_note", **note))
    for side, found in report.completeness.items():
        _paragraph(
            document,
            lang,
            partial(completeness_line, side=side, found=found),
        )
        _paragraph(  # accepted and on time apart (DHIS2's reporting rate and its timeliness)
            document,
            lang,
            partial(accepted_line, found=found),
        )


def _closed_by(one: str, side: str, day) -> str:
    return i18n.t(one, "review.doc_closed", side=i18n.t(one, f"lead.{side}"), date=i18n.date(day, one))


def accepted_line(one: str, found) -> str:
    """Of a side's reports in, how many its coordinator accepted and how many came on time (the Excel report too)."""
    return i18n.t(one, "review.doc_accepted", accepted=found.accepted, on_time=found.on_time)


def completeness_line(one: str, side: str, found) -> str:
    """A side's reports in of those owed, with the share (the Excel report too)."""
    return i18n.t(
        one,
        "rdoc.completeness",
        side=i18n.t(one, f"lead.{side}"),
        reported=found.reported,
        owed=found.owed,
        share=i18n.percent(found.share, one) if found.share is not None else "—",
    )


# ---- the actions -------------------------------------------------------------------------

_ACTION_COLUMNS = ["rdoc.col.action", "rdoc.col.period", "rdoc.col.bodies", "rdoc.col.status", "rdoc.col.indicators"]


def _actions(document, report: Implementation, lang: str) -> None:
    _heading(document, lang, "rdoc.actions")
    reports = [f"rdoc.col.report.{side}" for side in REGIONS]
    if lang == BILINGUAL:
        labels = [word.t(lang, "rdoc.col.number"), i18n.t("kk", "rdoc.col.row_kk"), i18n.t("ru", "rdoc.col.row_ru")]
        widths = [1.1, 12.3, 12.3]
    else:
        labels = _headers(lang, ["rdoc.col.number", *_ACTION_COLUMNS, *reports])
        widths = [1.0, 4.4, 2.0, 3.0, 2.3, 3.3, 4.85, 4.85]
    grid = word.table(document, labels)
    for area, rows in report.areas:
        word.group_row(grid, " / ".join(area.name(one) for one in word.langs(lang)))
        for row in rows:
            if lang == BILINGUAL:
                word.add_row(
                    grid, [f"{row.number}.", *(_labelled(_row(row, report, one), one) for one in ("kk", "ru"))]
                )
            else:
                word.add_row(grid, [f"{row.number}.", *_row(row, report, lang)])
    word.fix_widths(grid, widths)


def _labelled(cells: list[str], lang: str) -> str:
    """A row's cells in one language, each under its column's name: one cell of kk+ru."""
    keys = [*_ACTION_COLUMNS, *(f"rdoc.col.report.{side}" for side in REGIONS)]
    return "\n".join(f"{i18n.t(lang, key)}:\n{cell}" for key, cell in zip(keys, cells, strict=True) if cell)


def _row(row: Row, report: Implementation, lang: str) -> list[str]:
    """The action's cells in ``lang``: title, period, bodies, status, indicators, each side's report."""
    action = row.action
    bodies = "\n".join(  # each side's bodies under its name: a joint action has both
        f"{i18n.t(lang, f'lead.{side}')}:\n{word.bodies(keys, report.bodies, lang)}"
        for side in REGIONS
        if (keys := getattr(action.responsible, side))
    )
    status = i18n.t(lang, f"status.{row.status}")
    if row.overdue:
        status += f"\n{i18n.t(lang, 'rdoc.overdue_mark')}"
    cells = [_said(action.title, lang), action.period_label(lang), bodies, status, _indicators(row, report, lang)]
    for side in REGIONS:
        cells.append(_report(row.reports[side], action, lang) if side in row.reports else "—")
    return cells


def _said(text, lang: str) -> str:
    """Data text in ``lang``, or in the language it was given in, marked so."""
    shown, used = i18n.text(text, lang)
    return f"{shown} {i18n.t(lang, f'rdoc.given_in.{used}')}" if used else shown


def _indicators(row: Row, report: Implementation, lang: str) -> str:
    """Each indicator: its baseline, the target of the quarter's year, the quarter's actual
    (both sides' values when they differ)."""
    year = periods.parse(report.quarter).year
    lines = []
    for indicator in row.action.indicators:
        unit = f", {indicator.unit(lang)}" if indicator.unit else ""
        parts = []
        if indicator.baseline is not None:
            value = i18n.number(indicator.baseline.value, lang)
            parts.append(i18n.t(lang, "rdoc.ind.baseline", value=value, year=indicator.baseline.year))
        target = indicator.targets.get(year, indicator.target)
        if target is not None:
            parts.append(i18n.t(lang, "rdoc.ind.target", value=i18n.number(target, lang), year=year))
        differ = row.disagreement is not None and indicator.id in row.disagreement.indicators
        if differ:
            values = {s: getattr(row.disagreement, s).indicators[indicator.id] for s in _SIDES}
            both = "; ".join(f"{i18n.t(lang, f'lead.{s}')} — {i18n.number(v, lang)}" for s, v in values.items())
            parts.append(i18n.t(lang, "rdoc.ind.differ", values=both))
        elif indicator.id in row.actuals:
            parts.append(i18n.t(lang, "rdoc.ind.actual", value=i18n.number(row.actuals[indicator.id], lang)))
        else:
            parts.append(i18n.t(lang, "rdoc.ind.no_actual"))
        lines.append(f"{_said(indicator.name, lang)}{unit}: {'; '.join(parts)}")
    return "\n".join(lines) or "—"


def _report(report: Report | None, action: Action, lang: str) -> str:
    if report is None:
        return i18n.t(lang, "rdoc.no_report")
    head = (
        f"{i18n.t(lang, f'status.{report.status}')}, {i18n.percent(report.progress / 100, lang)} "
        f"({i18n.date(report.date, lang)})"
    )
    lines = [head, _said(report.done, lang)]
    for key, value in report.indicators.items():
        indicator = action.indicator(key)
        name = _said(indicator.name, lang) if indicator is not None else key
        lines.append(f"{name}: {i18n.number(value, lang)}")
    if report.evidence:
        lines.append(f"{i18n.t(lang, 'rdoc.evidence')}:")
        lines += [f"– {item}" for item in report.evidence]
    return "\n".join(lines)


# ---- where the sides disagree -----------------------------------------------------------


def _disagreements(document, report: Implementation, lang: str) -> None:
    _heading(document, lang, "rdoc.disagreements")
    rows = report.disagreements
    if not rows:
        _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.no_disagreements"))
        return
    sides = [f"rdoc.col.report.{side}" for side in REGIONS]
    if lang == BILINGUAL:
        labels = [word.t(lang, "rdoc.col.number"), word.t(lang, "rdoc.col.main_number")]
        labels += [i18n.t("kk", "rdoc.col.row_kk"), i18n.t("ru", "rdoc.col.row_ru")]
        widths = [1.1, 2.0, 11.3, 11.3]
    else:
        labels = _headers(
            lang, ["rdoc.col.number", "rdoc.col.main_number", "rdoc.col.action", "rdoc.col.period", *sides]
        )
        widths = [1.1, 2.0, 6.0, 3.0, 6.8, 6.8]
    grid = word.table(document, labels)
    for number, row in enumerate(rows, start=1):

        def cells(one: str, row=row) -> list[str]:
            found = row.disagreement
            period = periods.parse(found.period).label(one)
            return [
                _said(row.action.title, one),
                period,
                *(_report(getattr(found, s), row.action, one) for s in _SIDES),
            ]

        if lang == BILINGUAL:
            keys = ["rdoc.col.action", "rdoc.col.period", *sides]
            halves = [
                "\n".join(f"{i18n.t(one, k)}:\n{c}" for k, c in zip(keys, cells(one), strict=True))
                for one in ("kk", "ru")
            ]
            word.add_row(grid, [f"{number}.", f"{row.number}.", *halves])
        else:
            word.add_row(grid, [f"{number}.", f"{row.number}.", *cells(lang)])
    word.fix_widths(grid, widths)


# ---- prepared by, signatures -------------------------------------------------------------


def _signatures(document, memo: Memorandum, lang: str) -> None:
    """For each side's department: who prepared the report, and the signature lines;
    the names the data gives, empty lines to fill by hand where it gives none."""
    _heading(document, lang, "rdoc.prepared")
    grid = document.add_table(rows=1, cols=len(REGIONS))
    for cell, side in zip(grid.rows[0].cells, REGIONS, strict=True):
        party = memo.party(side)
        lines = []
        for one in word.langs(lang):
            lines += [
                f"{i18n.t(one, f'lead.{side}')}: {party.body(one)}",
                i18n.t(one, "rdoc.prepared_by"),
                i18n.t(one, "rdoc.position_name"),
                i18n.t(one, "rdoc.signature_date"),
                "",
            ]
        word.write(cell, "\n".join(lines).strip(), size=10)
        cell.width = Cm(12.8)
    word.hold_together(document, 2)  # the heading and the block: a signature never starts a page alone


# ---- the annexes -------------------------------------------------------------------------


def _missing(document, report: Implementation, lang: str, number: int) -> None:
    _annex_heading(document, lang, number, lambda one: i18n.t(one, "rdoc.annex_missing"))
    if not report.missing:
        _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.none_missing"))
        return
    keys = ["rdoc.col.number", "rdoc.col.main_number", "rdoc.col.action", "rdoc.col.period", "rdoc.col.missing_side"]
    if lang == BILINGUAL:
        labels = [*_headers(lang, keys[:2]), i18n.t("kk", "rdoc.col.row_kk"), i18n.t("ru", "rdoc.col.row_ru")]
        widths = [1.1, 2.0, 11.3, 11.3]
    else:
        labels, widths = _headers(lang, keys), [1.1, 2.0, 12.0, 4.6, 6.0]
    grid = word.table(document, labels)
    for count, row in enumerate(report.missing, start=1):

        def cells(one: str, row=row) -> list[str]:
            sides = "\n".join(i18n.t(one, f"lead.{side}") for side in row.missing)
            return [_said(row.action.title, one), row.action.period_label(one), sides]

        if lang == BILINGUAL:
            halves = [
                "\n".join(f"{i18n.t(one, k)}:\n{c}" for k, c in zip(keys[2:], cells(one), strict=True))
                for one in ("kk", "ru")
            ]
            word.add_row(grid, [f"{count}.", f"{row.number}.", *halves])
        else:
            word.add_row(grid, [f"{count}.", f"{row.number}.", *cells(lang)])
    word.fix_widths(grid, widths)


def _changes(document, report: Implementation, lang: str, number: int) -> None:
    """What changed since the plan was approved, one row an action, with before and after."""
    baseline = report.baseline
    if baseline is None:
        _annex_heading(document, lang, number, lambda one: i18n.t(one, "rdoc.not_approved"))
        return
    _annex_heading(
        document,
        lang,
        number,
        lambda one: i18n.t(
            one, "rdoc.annex_changes", version=baseline.version, date=i18n.date(baseline.approved_on, one)
        ),
    )
    if not report.changes:
        _paragraph(document, lang, lambda one: i18n.t(one, "rdoc.no_changes"))
        return
    keys = ["rdoc.col.action", "changes.col.what", "rdoc.col.before", "rdoc.col.after"]
    if lang == BILINGUAL:
        labels = [word.t(lang, "rdoc.col.number"), i18n.t("kk", "rdoc.col.row_kk"), i18n.t("ru", "rdoc.col.row_ru")]
        widths = [1.1, 12.3, 12.3]
    else:
        labels, widths = _headers(lang, ["rdoc.col.number", *keys]), [1.1, 7.6, 7.0, 5.0, 5.0]
    grid = word.table(document, labels)
    for count, change in enumerate(report.changes, start=1):

        def cells(one: str, change=change) -> list[str]:
            title = _said((change.after or change.before).title, one)
            return [
                title,
                amendments.describe(change, one, labels=True),
                _state(change.before, one),
                _state(change.after, one),
            ]

        if lang == BILINGUAL:
            halves = [
                "\n".join(f"{i18n.t(one, k)}:\n{c}" for k, c in zip(keys, cells(one), strict=True))
                for one in ("kk", "ru")
            ]
            word.add_row(grid, [f"{count}.", *halves])
        else:
            word.add_row(grid, [f"{count}.", *cells(lang)])
    word.fix_widths(grid, widths)


def _state(action, lang: str) -> str:
    """An action as the annex compares it: its period, lead and status; «—» when absent."""
    if action is None:
        return "—"
    parts = [
        f"{i18n.t(lang, 'rdoc.col.period')}: {periods.range_label(action.start_period, action.end_period, lang)}",
        f"{i18n.t(lang, 'rdoc.lead')}: {i18n.t(lang, f'lead.{action.lead}')}",
    ]
    status = getattr(action, "status", None)
    if status is not None:
        parts.append(f"{i18n.t(lang, 'rdoc.col.status')}: {i18n.t(lang, f'status.{status}')}")
    return "\n".join(parts)


# The annexes in order, numbered as they come: each writes its heading with its number.
ANNEXES: list[Callable] = [_missing, _changes]


def _evidence(document, report: Implementation, lang: str, number: int, records: list) -> None:
    """The files attached to the quarter's reports and to its actions (``evidence_annex``)."""
    _annex_heading(document, lang, number, lambda one: i18n.t(one, "evidence.annex"))
    evidence_annex.add(document, report, records, lang)
