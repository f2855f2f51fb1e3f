"""Reports brought back from a filled reports form: every row checked by the loader's
rules, compared with the reports in the data, previewed as new, changed, unchanged or
invalid, then the chosen rows saved through the store (rights, conflicts, history)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import validate
from ..data.loader import Dataset, report_index
from ..data.model import Report
from ..editing import auth, history, store
from . import report_sheets
from .importer import Refusal, apply_rows
from .workbooks import MAX_ROWS, Budget, UploadError


@dataclass
class ReportRow:
    row: int  # as the spreadsheet numbers it
    action_id: str
    kind: str  # "new", "changed", "unchanged" or "invalid"
    report: Report | None = None
    reasons: list[validate.Problem] = field(default_factory=list)
    changes: list[history.Change] = field(default_factory=list)
    version: str = store.ABSENT  # of the report's file when previewed; applying expects it still


def read(data: bytes, budget: Budget | None = None) -> tuple[str, str, list[tuple[int, dict]]] | None:
    """(side, quarter, rows) when the upload is a reports form, else None (it is then
    read as the plan). Bounded as every upload is, before a byte is unpacked and while
    it is read (``budget``: the processor time the upload has left)."""
    try:
        side, quarter, rows = report_sheets.read_form(data, budget)
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
    if len(rows) > MAX_ROWS:
        raise UploadError(f"{len(rows):,} rows; at most {MAX_ROWS:,} can be imported at once", "too_many_rows")
    return side, quarter, rows


def preview(side: str, quarter: str, rows: list[tuple[int, dict]], dataset: Dataset) -> list[ReportRow]:
    """What saving each row of the form would do."""
    index = report_index(dataset.actions)
    current = {r.key: r for r in dataset.reports}
    seen: dict[str, int] = {}
    results = []
    for number, cells in rows:
        record = report_sheets.form_record(cells, side, quarter)
        action_id = record.get("action", "")
        shown = f"row {number}"
        report, reasons = validate.shape_problems(Report, record, shown, "")
        reasons += validate.report_problems(
            record, f"{action_id}-{side}.yaml", quarter, shown, dataset.period, index, ""
        )
        if action_id in seen:
            reasons.append(validate.Problem(shown, 1, f"{action_id} is also on row {seen[action_id]}", "duplicate_id"))
        seen.setdefault(action_id, number)
        if reasons or report is None:
            results.append(ReportRow(number, action_id, "invalid", reasons=reasons))
            continue
        before = current.get(report.key)
        try:
            version = store.read_report_version(dataset.data_dir, report.key)[0]
        except store.StoreError as refused:  # the report's name holds a folder or a pipe
            results.append(
                ReportRow(
                    number, action_id, "invalid", reasons=[validate.Problem(shown, 1, refused.message, refused.kind)]
                )
            )
            continue
        if before is None:
            results.append(ReportRow(number, action_id, "new", report, version=version))
            continue
        changes = history.diff(before.to_yaml_dict(), report.to_yaml_dict(), Report)
        kind = "changed" if changes else "unchanged"
        results.append(ReportRow(number, action_id, kind, report, changes=changes, version=version))
    return results


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
