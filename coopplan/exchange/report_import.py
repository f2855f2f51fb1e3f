"""Reports brought back from a filled reports form: every row read as people type it
(``typed``), checked by the loader's rules and by which reports can be accepted
(``reporting.duties.refusal``), compared with the reports in the data, previewed as
new, changed, unchanged, nothing to report or invalid, then the chosen rows saved
through the store (rights, conflicts, history).

A row's problems name the column as the form heads it and say in the reader's
language what to type; the exact rule in English stays for the details and the log.
A row left as the form gave it (no text and no date, the figures those of the
previous report) is «nothing to report», never an error."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pydantic

from .. import i18n
from ..data import periods, quarter_file, standing, validate
from ..data.loader import Dataset, report_index
from ..data.model import LANGS, REPORT_STATUSES, Action, Report
from ..data.workbooks import MAX_ROWS, Budget, UploadError
from ..editing import admission, auth, history, store
from ..reporting import duties, review
from . import report_sheets, typed
from .importer import Refusal, apply_rows


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell (``column``: the form's field, "" for the row)."""

    column: str
    kind: str
    value: str = ""  # the cell as read
    message: str = ""  # the exact rule in English
    other: int = 0  # the other row, for a duplicate


@dataclass
class ReportRow:
    row: int  # as the spreadsheet numbers it
    action_id: str
    kind: str  # "new", "changed", "unchanged", "nothing" or "invalid"
    report: Report | None = None
    reasons: list[RowProblem] = field(default_factory=list)
    changes: list[history.Change] = field(default_factory=list)
    version: str = store.ABSENT  # of the report's file when previewed; applying expects it still
    current: Report | None = None  # the report there now, else the previous one the form started from
    dated_today: bool = False  # the row gave no date: it speaks as of the day it is read


def read(data: bytes, budget: Budget | None = None) -> report_sheets.Form | None:
    """The form when the upload is a reports form, else None (it is then read as the
    plan). Bounded as every upload is, before a byte is unpacked and while it is read
    (``budget``: the processor time the upload has left)."""
    try:
        form = report_sheets.read_form(data, budget)
    except UploadError:
        raise
    except report_sheets.NotAForm:
        return None
    except report_sheets.FormChanged as exc:
        raise UploadError(f"{exc}; download the form again and fill it in", "form_changed") from None
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise UploadError(
            f"the Excel file cannot be read ({type(exc).__name__}); save it again as .xlsx", "not_xlsx"
        ) from None
    if len(form.rows) > MAX_ROWS:
        raise UploadError(f"{len(form.rows):,} rows; at most {MAX_ROWS:,} can be imported at once", "too_many_rows")
    return form


def preview(form: report_sheets.Form, dataset: Dataset, today: dt.date | None = None) -> list[ReportRow]:
    """What saving each row of the form would do."""
    today = today or dt.date.today()
    side, quarter = form.side, form.quarter
    owed = {d.action.id: d for d in duties.duties(dataset.actions, dataset.reports, quarter, today) if d.side == side}
    index = report_index(dataset.actions)
    closing = quarter_file.read(dataset.data_dir, quarter)[0]
    seen: dict[str, int] = {}
    results = []
    for number, cells in form.rows:
        action_id = _text(cells.get("action"))
        duty = owed.get(action_id)
        if duty is None:
            problem = RowProblem(
                "action", "form_not_owed", action_id, f"{side} owes no report on {action_id!r} for {quarter}"
            )
            results.append(ReportRow(number, action_id, "invalid", reasons=[problem]))
            continue
        if action_id in seen:
            problem = RowProblem(
                "action", "form_duplicate", action_id, f"{action_id} is also on row {seen[action_id]}", seen[action_id]
            )
            results.append(ReportRow(number, action_id, "invalid", reasons=[problem]))
            continue
        seen[action_id] = number
        results.append(_closed(_row(number, cells, duty, dataset, index, today), closing, side))
    return results


def _closed(row: ReportRow, closing, side: str) -> ReportRow:
    """A new or changed row is refused, as the store would refuse it, when its side
    closed the quarter (without an exception for it) or its coordinator accepted the
    report it would change."""
    if row.kind not in ("new", "changed"):
        return row
    refused = admission.closed_to(closing, row.action_id, side)
    if refused is not None:
        problem = RowProblem("", refused.kind, row.action_id, refused.message)
    elif (
        row.kind == "changed"
        and review.state_of(row.current) == "accepted"
        and (closing is None or admission.open_exception(closing, row.action_id, side) is None)
    ):
        key = row.current.key if row.current is not None else row.action_id
        problem = RowProblem("", "review_accepted", row.action_id, f"{key} was accepted by its coordinator")
    else:
        return row
    row.kind, row.reasons, row.report = "invalid", [problem], None
    return row


def _row(number: int, cells: dict, duty: duties.Duty, dataset: Dataset, index: dict, today: dt.date) -> ReportRow:
    action, side, quarter = duty.action, duty.side, duty.quarter
    reports = dataset.reports_of(action.id)
    start = duty.report or standing.previous(reports, side, quarter)
    record, problems = _record(cells, action, side, quarter)
    row = ReportRow(number, action.id, "invalid", current=start)
    texts_given = "done" in record
    if not texts_given and record.get("date") is None:
        if duty.report is None and not problems and _as_started(record, start, action):
            row.kind = "nothing"
            return row
        if not problems:
            problems.append(
                RowProblem("done", "form_need_text", message="a report needs what was done, in one language at least")
            )
    if record.get("date") is None and texts_given:
        record["date"], row.dated_today = today, True
    if problems:
        row.reasons = problems
        return row
    try:
        report = Report.model_validate(record)
    except pydantic.ValidationError as error:
        row.reasons = [shape_problem(e) for e in error.errors(include_url=False)]
        return row
    found = validate.report_problems(record, f"{action.id}-{side}.yaml", quarter, "", dataset.period, index, "")
    row.reasons = [RowProblem(_COLUMNS.get(p.kind, ""), p.kind, _shown(record, p.kind), p.message) for p in found]
    if report.date > today:
        row.reasons.append(
            RowProblem(
                "date", "report_future", _shown(record, "report_future"), "a report is dated no later than today"
            )
        )
    refused = duties.refusal(action, reports, report)
    if refused is not None:
        row.reasons.append(RowProblem("status", refused[0], "", refused[1]))
    if row.reasons:
        return row
    try:
        version = store.read_report_version(dataset.data_dir, report.key)[0]
    except store.StoreError as refused:  # the report's name holds a folder or a pipe
        row.reasons = [RowProblem("action", refused.kind, action.id, refused.message)]
        return row
    row.report, row.version = report, version
    if duty.report is None:
        row.kind = "new"
        return row
    row.current = duty.report
    # the form carries no review state: the row is compared with the report's content
    report = row.report = report.model_copy(update={"state": duty.report.state, "note": duty.report.note})
    row.changes = history.diff(duty.report.to_yaml_dict(), report.to_yaml_dict(), Report)
    row.kind = "changed" if row.changes else "unchanged"
    return row


# where a loader rule's problem is seen on the form
_COLUMNS = {"report_too_early": "date", "report_done_not_full": "progress", "report_no_indicator": "indicators"}


def _shown(record: dict, kind: str) -> str:
    if kind in ("report_too_early", "report_future"):
        return record["date"].strftime("%d.%m.%Y")
    if kind == "report_done_not_full":
        return f"{record['progress']} %"
    return ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _record(cells: dict, action: Action, side: str, quarter: str) -> tuple[dict, list[RowProblem]]:
    """The report record a row says, and what could not be read, cell by cell."""
    record: dict = {"action": action.id, "side": side, "period": quarter}
    problems = []

    def read(column: str, cell: object, reader):
        if cell is None or _text(cell) == "":
            return None
        try:
            return reader(cell)
        except typed.Unreadable as unreadable:
            problems.append(
                RowProblem(column, unreadable.kind, _text(cell), f"{column}: {_text(cell)!r} ({unreadable.kind})")
            )
            return None

    record["status"] = read("status", cells.get("status"), lambda v: typed.choice(v, REPORT_STATUSES, "status."))
    record["progress"] = read("progress", cells.get("progress"), typed.percent)
    if record["status"] == "done" and record["progress"] is None:
        record["progress"] = 100
    record["date"] = read("date", cells.get("date"), typed.date)
    done = {one: _text(cells.get(f"done_{one}")) for one in LANGS if _text(cells.get(f"done_{one}"))}
    if done:
        record["done"] = done
    evidence = [line.strip() for line in _text(cells.get("evidence")).splitlines() if line.strip()]
    if evidence:
        record["evidence"] = evidence
    given = {}
    for key, cell in cells.items():
        if not key.startswith("indicator:"):
            continue
        indicator_id = key.partition(":")[2]
        value = read(key, cell, typed.number)
        if value is None:
            continue
        if action.indicator(indicator_id) is None:
            problems.append(
                RowProblem(key, "form_no_indicator", _text(cell), f"{action.id} has no indicator {indicator_id}")
            )
            continue
        given[indicator_id] = int(value) if value.is_integer() else value
    if given:
        record["indicators"] = given
    return {k: v for k, v in record.items() if v is not None}, problems


def _as_started(record: dict, start: Report | None, action: Action) -> bool:
    """Whether a row's figures are those the form was filled with (the previous
    report's, else the action's): a row nobody touched."""
    status = start.status if start else ("in_progress" if action.status == "in_progress" else "planned")
    progress = start.progress if start else action.shown_progress
    indicators = (
        start.indicators if start else {i.id: i.actual for i in action.indicators if i.id and i.actual is not None}
    )
    return (
        record.get("status", status) == status
        and record.get("progress", progress) == progress
        and all(indicators.get(k) == v for k, v in record.get("indicators", {}).items())
    )


def shape_problem(error: dict) -> RowProblem:
    """A model's complaint about a report field as a problem of the form's column."""
    place = error["loc"]
    column = str(place[0]) if place else ""
    if column == "done":
        column = f"done_{place[1]}" if len(place) > 1 else "done"
    elif column == "indicators" and len(place) > 1:
        column = f"indicator:{place[1]}"
    value = error.get("input")
    shown = _text(value) if isinstance(value, str | int | float | dt.date) else ""
    kind = "form_invalid"
    if error["type"] == "missing":
        kind = "form_need_text" if column == "done" else "form_missing"
    return RowProblem(column, kind, shown[:80], f"{'.'.join(map(str, place))}: {error['msg']}")


def say(problem: RowProblem, row: int, lang: str, form: report_sheets.Form) -> str:
    """A row problem for a person, in ``lang``: the row, the column as the form heads
    it, what to type."""
    advice = i18n.catalog(lang).get(f"rform.{problem.kind}") or i18n.catalog(lang).get(f"problem.{problem.kind}")
    fields = {"value": problem.value, "other": problem.other, "quarter": periods.parse(form.quarter).label(lang)}
    fields["side"] = i18n.t(lang, f"lead.{form.side}")
    text = (advice or i18n.t(lang, "rform.form_invalid")).format(**fields)
    if not problem.column:
        return i18n.t(lang, "rform.at_row", row=row, advice=text)
    return i18n.t(lang, "rform.at", row=row, column=heading(problem.column, lang, form), advice=text)


def heading(column: str, lang: str, form: report_sheets.Form) -> str:
    """A field's column as the form heads it (the report text: the column's name
    without the language)."""
    if column.startswith("done"):
        return i18n.t(lang, "reporting.form.done")
    if column == "indicators":
        return i18n.t(lang, "reporting.form.indicators")
    return form.headings.get(column) or column


def apply(
    results: list[ReportRow], rows: list[int], dataset: Dataset, user: auth.User | None
) -> tuple[list[str], list[Refusal]]:
    """Save the chosen new and changed rows; (keys saved, rows refused). Each save
    expects the report's file as it was previewed."""
    chosen = [(r.row, r.kind, r.report, r.report and r.report.key, r.version) for r in results if r.row in rows]
    return apply_rows(
        chosen,
        lambda report, version: store.save_report(
            dataset.data_dir, report, user, version, memorandum=dataset.memorandum
        ),
    )
