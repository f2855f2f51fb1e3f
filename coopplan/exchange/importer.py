"""Bringing an edited spreadsheet back: every row validated, compared with the
plan, and sorted into new, changed, unchanged and invalid, with reasons.

``preview`` writes nothing; ``apply`` saves the chosen valid rows through the
same store as the edit page (rights, rules, conflicts, history).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import standing, validate
from ..data.loader import Dataset
from ..data.model import Action
from ..data.workbooks import MAX_ROWS, MAX_UPLOAD_BYTES, Budget, UploadError
from ..editing import auth, history, store
from . import spreadsheet


@dataclass
class RowResult:
    row: int  # as the spreadsheet numbers it
    action_id: str
    kind: str  # "new", "changed", "unchanged" or "invalid"
    action: Action | None = None  # of a plan's row
    reasons: list[validate.Problem] = field(default_factory=list)
    changes: list[history.Change] = field(default_factory=list)
    version: str = store.ABSENT  # of the action's file when previewed; applying expects it still


def read_rows(data: bytes, file_name: str, budget: Budget | None = None) -> list[dict]:
    """Rows of an uploaded .xlsx or .csv in the export's layout, read within the bounds
    of ``workbooks`` (``budget``: the processor time the upload has left)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"the file is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}", "too_large")
    name = file_name.lower()
    budget = budget or Budget()
    if name.endswith(".xlsx"):
        try:
            rows = spreadsheet.read_xlsx(data, budget)
        except UploadError:
            raise
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise UploadError(
                f"the Excel file cannot be read ({type(exc).__name__}); save it again as .xlsx", "not_xlsx"
            ) from None
    elif name.endswith(".csv"):
        try:
            rows = spreadsheet.read_csv(data, budget)
        except UploadError:
            raise
        except UnicodeDecodeError:
            raise UploadError("the CSV is not UTF-8 text; save it as «CSV UTF-8»", "csv_not_utf8") from None
        except Exception as exc:
            raise UploadError(f"the CSV cannot be read ({exc})", "csv_unreadable") from None
    else:
        raise UploadError("upload an .xlsx or .csv file in the layout of the plan's export", "wrong_type")
    if rows is None:
        raise UploadError("no «id» column: use the layout of the export or the blank template", "no_id_column")
    if len(rows) > MAX_ROWS:
        raise UploadError(f"{len(rows):,} rows; at most {MAX_ROWS:,} can be imported at once", "too_many_rows")
    return rows


def preview(rows: list[dict], dataset: Dataset) -> list[RowResult]:
    """What importing ``rows`` into ``dataset`` would do, row by row (names of areas,
    leads, statuses, periods and bodies read back in any language)."""
    current = {a.id: a for a in dataset.actions}
    vocabulary = spreadsheet.Vocabulary.of(dataset.memorandum, dataset.bodies)
    seen: dict[str, tuple[str, int]] = {}  # by the id in any letter case: (the id, its row)
    results = []
    for index, row in enumerate(rows, start=2):
        number = row.get(spreadsheet.ROW, index)
        record = spreadsheet.row_record(row, vocabulary)
        action_id = str(record.get("id", "")).strip()
        shown = f"row {number}"
        action, problems = validate.shape_problems(Action, record, shown, "")
        problems += validate.action_problems(record, f"{action_id}.yaml", shown, dataset.memorandum, "")
        reasons = list(problems)
        deep = spreadsheet.nesting_problem(row)
        if deep:
            reasons.append(validate.Problem(shown, 1, deep, "too_deep"))
        twin = validate.case_clash(action_id, current)
        if twin:
            message = (
                f"id {action_id} differs from the plan's {twin} only in letter case; ids are one whatever their case"
            )
            reasons.append(validate.Problem(shown, 1, message, "id_case_clash"))
        if action_id.casefold() in seen:
            other, row_number = seen[action_id.casefold()]
            kind = "duplicate_id" if other == action_id else "id_case_clash"
            reasons.append(validate.Problem(shown, 1, f"id {action_id} is also on row {row_number}", kind))
        seen.setdefault(action_id.casefold(), (action_id, number))
        if not reasons and action_id not in current and store.action_path(dataset.data_dir, action_id).exists():
            # a file that does not load: the importer must not paper over it
            reasons.append(
                validate.Problem(
                    shown,
                    1,
                    f"{action_id}.yaml exists but does not load (its problems are listed above)",
                    "file_has_problems",
                )
            )
        if action is not None and standing.contradicts(action, dataset.reports_of(action_id)):
            message = f"{action_id}'s status, progress and indicator values are set by its reports; submit a report to change them"
            reasons.append(validate.Problem(shown, 1, message, "set_by_reports"))
        if reasons or action is None:
            results.append(RowResult(number, action_id, "invalid", reasons=reasons))
        elif action_id not in current:
            results.append(RowResult(number, action_id, "new", action))
        else:
            changes = history.diff(current[action_id].to_yaml_dict(), action.to_yaml_dict())
            if changes:
                results.append(
                    RowResult(
                        number,
                        action_id,
                        "changed",
                        action,
                        changes=changes,
                        version=store.version_as_loaded(dataset.data_dir, current[action_id]),
                    )
                )
            else:
                results.append(RowResult(number, action_id, "unchanged", action))
    return results


@dataclass(frozen=True)
class Refusal:
    """A chosen row that was not saved: ``kind`` and ``message`` as in ``validate.Problem``."""

    row: int
    kind: str
    message: str


def apply(
    results: list[RowResult], rows: list[int], dataset: Dataset, user: auth.User | None
) -> tuple[list[str], list[Refusal]]:
    """Save the chosen new and changed rows; (ids saved, rows refused).

    Each save expects the file as it was when previewed, so a row whose action
    changed since (or was added meanwhile) is refused as a conflict.
    """
    chosen = [(r.row, r.kind, r.action, r.action_id, r.version) for r in results if r.row in rows]
    return apply_rows(
        chosen,
        lambda action, version: store.save(dataset.data_dir, action, user, version, memorandum=dataset.memorandum),
    )


def apply_rows(chosen: list[tuple], save) -> tuple[list[str], list[Refusal]]:
    """Save each chosen row ``(row, kind, record, key, version)`` with ``save(record,
    version)``; only valid new and changed rows are saved. (keys saved, rows refused)."""
    saved, refused = [], []
    for row, kind, record, key, version in chosen:
        if kind not in ("new", "changed") or record is None:
            refused.append(Refusal(row, "row_not_applicable", "only valid new or changed rows are applied"))
            continue
        try:
            save(record, version)
        except store.Conflict:
            refused.append(Refusal(row, "changed_since_preview", f"{key} was changed by someone else"))
        except store.StoreError as exc:
            refused.append(Refusal(row, exc.kind, exc.message))
        else:
            saved.append(key)
    return saved, refused
