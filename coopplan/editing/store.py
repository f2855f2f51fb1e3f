"""Writing the plan: permission, validation, conflict detection, atomic save, history.

Every change of a data file goes through here: an action's (``save``, ``delete``,
``bulk_update``), a report's (``save_report``, ``delete_report``, which then write
the figures the reports set into the action: a "sync"), the plan's approval
(``approve``) and the undoing of any of them (``undo``). The rules are enforced
here, where data is written, whatever the page shows. Each action has its own
lock, taken by its reports too, so edits to different actions never wait on each
other.

A version is the SHA-256 of the action's file as the editor opened it; a save
whose version no longer matches the file is refused as a conflict and tells
what the other person changed.

A change is all or nothing, and a save that changes nothing writes and records
nothing: the locks, the atomic commit with its history line, the recovery after a
crash and that rule live in ``editing.transaction``; this module holds the rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..data import loader, periods, standing, validate, yamlio
from ..data.files import shown_path
from ..data.model import ID_PATTERN, REGIONS, Action, Baseline, Report, baseline_of, plan_period
from ..data.validate import Problem
from ..reporting import duties
from . import admission, auth, history

# The file safety the rules below write through; the names given as themselves are the
# store's own for its callers too (refusals, versions, where files are).
from .transaction import ABSENT as ABSENT
from .transaction import FOLDER_MODE, changed
from .transaction import Conflict as Conflict
from .transaction import Forbidden as Forbidden
from .transaction import Invalid as Invalid
from .transaction import StoreError as StoreError
from .transaction import action_path as action_path
from .transaction import commit as _commit
from .transaction import comparable as _comparable
from .transaction import locked as _locked
from .transaction import read as _read
from .transaction import read_report_version as read_report_version
from .transaction import read_version as read_version
from .transaction import recover as _recover
from .transaction import report_path as report_path
from .transaction import write_failed as _write_failed

_ID_NUMBER = re.compile(r"^(.*?)(\d+)$")
_ID_RULE = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Saved:
    """What a change left: the action and its file's version; ``entry`` is None when
    the save changed nothing (then nothing was written or recorded)."""

    action: Action | None
    version: str
    entry: history.Entry | None

    @property
    def changed(self) -> bool:
        return self.entry is not None


# Accepted by no save: the file no longer holds what the editor was shown.
STALE = "stale"


def version_as_loaded(data_dir: Path, loaded: Action | Report | None, key: str | None = None) -> str:
    """The version of an action's or a report's file if the file still holds what a
    page loaded (``loaded``; None for a report not yet in, named by ``key``), else
    ``STALE``: a save on top of it is then a conflict, not a silent overwrite of a
    change made since. An action file whose figures its reports have changed since
    (a report that came by hand, a sync a full disk refused) still holds what the
    page loaded: the loader applies the same rule."""
    kind = type(loaded) if loaded is not None else Report
    path = report_path(data_dir, key or loaded.key) if kind is Report else action_path(data_dir, loaded.id)
    try:
        version, record = _read(path)
        found = kind.model_validate(record) if record is not None else None
        if kind is Action and found is not None and found != loaded:
            found = standing.apply(found, _reports_on_disk(data_dir, found.id))
    except (StoreError, ValidationError):  # the save itself will say what is wrong with the file
        return STALE
    return version if found == loaded and (found is not None or version == ABSENT) else STALE


def _check(action: Action, data_dir: Path, memorandum) -> None:
    """The loader's own rules, so a saved file always loads."""
    record = action.to_yaml_dict()
    text = yamlio.dumps(record)
    shown = shown_path(action_path(data_dir, action.id))
    _, problems = validate.shape_problems(Action, yamlio.parse(text), shown, text)
    problems += validate.action_problems(
        record, f"{action.id}.yaml", shown, memorandum, text, loader.read_registry(data_dir)
    )
    if problems:
        raise Invalid(problems)


def _no_case_twin(data_dir: Path, action_id: str) -> None:
    """Refuse a new action whose id differs from another's only in letter case, as the
    loader does: on Windows and macOS the two are one file."""
    try:
        names = [e.name for e in os.scandir(Path(data_dir) / loader.ACTIONS) if not e.name.startswith(".")]
    except OSError:
        return  # no folder yet: nothing to clash with
    twin = validate.case_clash(action_id, [n.removesuffix(".yaml") for n in names if n.endswith(".yaml")])
    if twin:
        message = f"id {action_id} differs from {twin} only in letter case; ids are one whatever their case"
        raise StoreError(message, "id_case_clash")


def _signed_in(user: object) -> None:
    signed_in(user)


def signed_in(user: object) -> auth.User:
    """``user``, signed in; Forbidden for anyone else."""
    if not isinstance(user, auth.User):
        raise Forbidden("sign in as an editor to change the plan", "sign_in")
    return user


def _may_change(user: auth.User, current: dict | None, action: Action, op: str | None) -> None:
    """Forbidden unless ``user`` may change the file's ``current`` record into ``action``
    (an undo puts it back: ``auth.can_undo_change``)."""
    record = action.to_yaml_dict()
    if auth.can_undo_change(user, record, current) if op == "undo" else auth.can_change(user, current, record):
        return
    current_lead = (current or {}).get("lead")
    if all(auth.can_edit(user, str(lead)) for lead in (action.lead, current_lead) if lead is not None):
        raise Forbidden(
            f"{user.name} ({user.role}) may not change the leading side of joint action {action.id}, "
            "nor the other side's executing bodies: an administrator does",
            "joint_takeover",
        )
    raise Forbidden(
        f"{user.name} ({user.role}) may not change actions led by {current_lead or action.lead}", "not_your_side"
    )


def _stamp(user: auth.User) -> dict:
    return {"updated": dt.datetime.now(dt.UTC).replace(microsecond=0), "updated_by": user.name}


def save(
    data_dir: Path,
    action: Action,
    user: auth.User | None,
    version: str,
    *,
    memorandum=None,
    op: str | None = None,
    undoes: str | None = None,
) -> Saved:
    """Write ``action`` if ``user`` may and its file is still at ``version``
    (``ABSENT`` for a new action). Raises Forbidden, Invalid or Conflict, and
    StoreError ``write_failed`` when the disk refuses the write (nothing changed).
    A save that would change nothing but the stamps writes nothing and records no
    history entry: its ``Saved.entry`` is None."""
    data_dir = Path(data_dir)
    _signed_in(user)
    with _locked(data_dir, action.id):
        _recover(data_dir, action_path(data_dir, action.id))  # a change a crash cut short is put back first
        current_version, current = read_version(data_dir, action.id)
        _may_change(user, current, action, op)
        if current_version != version:
            raise Conflict(current, current_version)
        if current is None:
            _no_case_twin(data_dir, action.id)
        if current is None and op != "undo" and history.was_used(data_dir, action.id):
            raise StoreError(f"id {action.id} was used before; ids are never reused", "id_reused")
        action = _with_reports(data_dir, action, current)
        stamped = action.model_copy(update=_stamp(user))
        _check(stamped, data_dir, memorandum)
        record = stamped.to_yaml_dict()
        written = changed(
            data_dir,
            action_path(data_dir, action.id),
            Action,
            current,
            record,
            lambda: history.new_entry(
                user.name, action.id, op or ("add" if current is None else "edit"), current, record, undoes
            ),
        )
        if written is None:
            return Saved(Action.model_validate(current), current_version, None)
    data, entry = written
    return Saved(stamped, hashlib.sha256(data).hexdigest(), entry)


def delete(
    data_dir: Path,
    action_id: str,
    user: auth.User | None,
    version: str,
    *,
    op: str = "delete",
    undoes: str | None = None,
) -> Saved:
    data_dir = Path(data_dir)
    _signed_in(user)
    with _locked(data_dir, action_id):
        _recover(data_dir, action_path(data_dir, action_id))  # a change a crash cut short is put back first
        current_version, current = read_version(data_dir, action_id)
        if current_version == ABSENT:
            raise StoreError(f"there is no action {action_id}", "no_such_action")
        if not auth.can_edit(user, str((current or {}).get("lead"))):
            raise Forbidden(
                f"{user.name} ({user.role}) may not delete actions led by {(current or {}).get('lead')}",
                "not_your_side",
            )
        if current_version != version:
            raise Conflict(current, current_version)
        reported = _reports_on_disk(data_dir, action_id)
        if reported:
            message = (
                f"{action_id} has {len(reported)} progress reports; cancel it instead, so that they keep their action"
            )
            raise StoreError(message, "has_reports")
        entry = history.new_entry(user.name, action_id, op, current, None, undoes)
        _commit(data_dir, action_path(data_dir, action_id), None, entry)
    return Saved(None, ABSENT, entry)


def undo(data_dir: Path, entry: history.Entry, user: auth.User | None, *, memorandum=None) -> Saved:
    """Put the action or report back as it was before ``entry``; refused when it has
    changed since (the later change must be undone first)."""
    data_dir = Path(data_dir)
    version, current = _read(data_dir / entry.file)
    kind = entry.kind
    try:
        changed = _comparable(current, kind) != _comparable(entry.after, kind)
        restored = None if entry.before is None else kind.model_validate(entry.before)
    except ValidationError:  # the file or the history line was broken by hand
        raise StoreError(
            f"{entry.file} or this history entry is not valid; fix the file first", "undo_invalid"
        ) from None
    if changed:
        raise StoreError(f"{entry.file} has changed since this change; undo the later changes first", "undo_blocked")
    if entry.op == "sync" and standing.contradicts(restored, _reports_on_disk(data_dir, entry.action)):
        message = f"{entry.action}'s figures were set from its reports; undo the report that changed them"
        raise StoreError(message, "undo_sync")
    if entry.path:
        return _undo_plan_file(data_dir, entry, user, version, restored)
    if entry.report:
        if restored is None:
            return delete_report(
                data_dir, entry.report, user, version, memorandum=memorandum, op="undo", undoes=entry.id
            )
        return save_report(data_dir, restored, user, version, memorandum=memorandum, op="undo", undoes=entry.id)
    if restored is None:
        return delete(data_dir, entry.action, user, version, op="undo", undoes=entry.id)
    return save(data_dir, restored, user, version, memorandum=memorandum, op="undo", undoes=entry.id)


def _undo_plan_file(data_dir: Path, entry: history.Entry, user, version: str, restored) -> Saved:
    """Take an approval back (an administrator's act): ``plan.yaml`` as it was before,
    and the baseline the approval froze removed with it, so that the plan never names
    an approval whose baseline is gone, nor a baseline stands beside a draft."""
    _signed_in(user)
    if not auth.can_approve(user):
        raise Forbidden(f"{user.name} ({user.role}) may not undo an approval", "approve_admin")
    if entry.op != "approve":  # a baseline goes with its approval; approving again is a new approval
        message = f"{entry.file} changes only with an approval; undo the approval of {loader.PLAN} or approve again"
        raise StoreError(message, "undo_approval")
    path = data_dir / entry.file
    with _locked(data_dir, _PLAN_LOCK):
        if _read(path)[0] != version:
            raise Conflict(_read(path)[1], _read(path)[0])
        frozen = _frozen_with(data_dir, entry)
        header = yamlio.leading_comments(path.read_text(encoding="utf-8"))
        data = (header + yamlio.dumps(entry.before)).encode("utf-8")
        undone = history.new_entry(user.name, "", "undo", entry.after, entry.before, entry.id, path=entry.path)
        _commit(data_dir, path, data, undone)
        if frozen is not None:
            withdrawn = history.new_entry(user.name, "", "undo", frozen.after, None, frozen.id, path=frozen.path)
            _commit(data_dir, data_dir / frozen.path, None, withdrawn)
    return Saved(None, hashlib.sha256(data).hexdigest(), undone)


def _frozen_with(data_dir: Path, approval: history.Entry) -> history.Entry | None:
    """The entry that added the baseline ``approval`` froze, while that file still
    holds it: the last baseline added by the same person before the approval."""
    entry = history.latest(data_dir, under=f"{loader.BASELINES}/", op="add", before=approval)
    if entry is None or entry.user != approval.user:
        return None
    current = _read(data_dir / entry.path)[1]
    return entry if _comparable(current, Baseline) == _comparable(entry.after, Baseline) else None


# ---- approving the plan ------------------------------------------------------------

# Approval's lock: a name no action id can take (ids have no dot).
_PLAN_LOCK = ".plan"


def approve(data_dir: Path, user: auth.User | None, note: dict | None = None) -> Saved:
    """Approve the plan as its files are now (an administrator's act): freeze every
    action that is not cancelled as the next baseline version, and mark ``plan.yaml``
    approved on today's date; each written and recorded as any change is. Refused
    while a file of the plan does not load, so that no action is left out unseen."""
    data_dir = Path(data_dir)
    _signed_in(user)
    if not auth.can_approve(user):
        raise Forbidden(f"{user.name} ({user.role}) may not approve the plan", "approve_admin")
    with _locked(data_dir, _PLAN_LOCK):
        dataset = loader.load(data_dir)
        plan_files = (shown_path(data_dir / loader.ACTIONS), shown_path(data_dir / loader.PLAN))
        broken = sorted({p.file for p in dataset.problems if p.file.startswith(plan_files)})
        if dataset.plan is None or broken:
            files = ", ".join(broken) or loader.PLAN
            raise StoreError(f"{files} do not load; fix them before approving the plan", "file_has_problems")
        versions = [b.version for b in loader.load_baselines(data_dir)[0]]
        today = dt.date.today()
        record = {
            "version": max(versions, default=0) + 1,
            "approved_on": today,
            "approved_by": user.name,
            "note": note,
            "actions": [baseline_of(a) for a in dataset.actions if a.status != "cancelled"],
        }
        path = data_dir / loader.BASELINES / f"{record['version']:03d}.yaml"
        baseline, problems = validate.shape_problems(Baseline, record, shown_path(path), "")
        if baseline is None:
            raise Invalid(problems)
        record = baseline.to_yaml_dict()
        text = yamlio.dumps(record)
        try:
            path.parent.mkdir(mode=FOLDER_MODE, exist_ok=True)
        except OSError as error:
            raise _write_failed(path.parent, error) from error
        _recover(data_dir, path)
        entry = history.new_entry(user.name, "", "add", None, record, path=f"{loader.BASELINES}/{path.name}")
        _commit(data_dir, path, text.encode("utf-8"), entry)
        plan_path = data_dir / loader.PLAN
        before = dataset.plan.to_yaml_dict()
        after = dataset.plan.model_copy(update={"status": "approved", "approved_on": today}).to_yaml_dict()
        header = yamlio.leading_comments(plan_path.read_text(encoding="utf-8"))
        plan_entry = history.new_entry(user.name, "", "approve", before, after, path=loader.PLAN)
        try:
            _recover(data_dir, plan_path)
            _commit(data_dir, plan_path, (header + yamlio.dumps(after)).encode("utf-8"), plan_entry)
        except StoreError:  # no baseline without its approval: take the new version back
            withdrawn = history.new_entry(user.name, "", "undo", record, None, entry.id, path=entry.path)
            _commit(data_dir, path, None, withdrawn)
            raise
    return Saved(None, hashlib.sha256(text.encode("utf-8")).hexdigest(), entry)


# ---- reports ----------------------------------------------------------------------


def save_report(
    data_dir: Path,
    report: Report,
    user: auth.User | None,
    version: str,
    *,
    memorandum=None,
    op: str | None = None,
    undoes: str | None = None,
) -> Saved:
    """Write ``report`` if ``user`` reports for its side and its file is still at
    ``version`` (``ABSENT`` for a new one), then set its action's figures from all its
    reports (``data.standing``). Raises as ``save`` does."""
    data_dir = Path(data_dir)
    _signed_in(user)
    if not auth.can_report(user, report.side):
        raise Forbidden(f"{user.name} ({user.role}) may not report for {report.side}", "not_your_report_side")
    path = report_path(data_dir, report.key)
    with _locked(data_dir, report.action):  # the action's lock: its figures change with its reports
        _recover(data_dir, path)
        current_version, current = _read(path)
        if current_version != version:
            raise Conflict(current, current_version)
        stamped = admission.with_state(report, user).model_copy(update=_stamp(user))
        _check_report(stamped, data_dir, memorandum)
        _accepted(data_dir, stamped, user)
        record = stamped.to_yaml_dict()
        try:
            path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as error:
            raise _write_failed(path.parent, error) from error
        with admission.admit(data_dir, report.key, user, current, stamped):
            written = changed(
                data_dir,
                path,
                Report,
                current,
                record,
                lambda: history.new_entry(
                    user.name,
                    report.action,
                    op or admission.transition(current, stamped) or ("add" if current is None else "edit"),
                    current,
                    record,
                    undoes,
                    report=report.key,
                ),
            )
        if written is None:  # the report as it was: its action's figures are too
            return Saved(Report.model_validate(current), current_version, None)
        _sync_action(data_dir, report.action, user)
    data, entry = written
    return Saved(stamped, hashlib.sha256(data).hexdigest(), entry)


def delete_report(
    data_dir: Path,
    key: str,
    user: auth.User | None,
    version: str,
    *,
    memorandum=None,
    op: str = "delete",
    undoes: str | None = None,
) -> Saved:
    """Remove the report ``key`` (its side's editors or an administrator), then set its
    action's figures from the reports that remain."""
    data_dir = Path(data_dir)
    _signed_in(user)
    path = report_path(data_dir, key)
    action_id, _, side = key.partition("/")[2].rpartition("-")
    if not auth.can_report(user, side):
        raise Forbidden(f"{user.name} ({user.role}) may not report for {side}", "not_your_report_side")
    with _locked(data_dir, action_id):
        _recover(data_dir, path)
        current_version, current = _read(path)
        if current_version == ABSENT:
            raise StoreError(f"there is no report {key}", "no_such_report")
        if current_version != version:
            raise Conflict(current, current_version)
        if action_id and duties.joint_done_undone(_reports_on_disk(data_dir, action_id), key, user.role == "admin"):
            raise Forbidden(
                f"both sides reported {action_id} done; one side alone cannot change it", "report_joint_done"
            )
        entry = history.new_entry(user.name, action_id, op, current, None, undoes, report=key)
        with admission.admit(data_dir, key, user, current, None):
            files = [r for r in loader.load_evidence(data_dir).records if r.of == key]
            if files:  # never a record attached to nothing (validate would name it)
                raise StoreError(f"{len(files)} files are attached to {key}; remove them first", "report_has_evidence")
            _commit(data_dir, path, None, entry)
        _sync_action(data_dir, action_id, user)
    return Saved(None, ABSENT, entry)


def _check_report(report: Report, data_dir: Path, memorandum) -> None:
    """The loader's own rules for a report, its action read from its file now."""
    record = report.to_yaml_dict()
    text = yamlio.dumps(record)
    shown = shown_path(report_path(data_dir, report.key))
    _, problems = validate.shape_problems(Report, yamlio.parse(text), shown, text)
    try:
        index = loader.report_index([Action.model_validate(read_version(data_dir, report.action)[1])])
    except (ValidationError, StoreError):
        index = {}
    period = plan_period(memorandum)
    quarter = report.key.partition("/")[0]
    problems += validate.report_problems(
        record, f"{report.action}-{report.side}.yaml", quarter, shown, period, index, text
    )
    # The loader reads any past or future report; a new one speaks of what has happened.
    today = dt.date.today()
    if periods.parse(report.period).first_day > today or report.date > today:
        message = f"{report.key} speaks of days after today ({today}); report on a quarter once it has begun"
        problems.append(Problem(shown, 1, message, "report_future"))
    if problems:
        raise Invalid(problems)


def _accepted(data_dir: Path, report: Report, user: auth.User) -> None:
    """The rule of which reports can be accepted (``reporting.duties.refusal``),
    against the action and its reports as their files hold them now."""
    try:
        action = Action.model_validate(read_version(data_dir, report.action)[1])
    except (ValidationError, StoreError):
        return  # the loader's rules above already said what is wrong with it
    found = duties.refusal(action, _reports_on_disk(data_dir, report.action), report, user.role == "admin")
    if found is not None:
        raise Forbidden(found[1], found[0])


def _reports_on_disk(data_dir: Path, action_id: str) -> list[Report]:
    """The reports on an action as its files hold them now, read as the loader reads
    them: each where it belongs (its quarter's folder, named by action and side) and
    valid. A stat per quarter and side, not a listing of every report."""
    try:
        quarters = sorted(
            e.name for e in os.scandir(Path(data_dir) / loader.REPORTS) if e.is_dir(follow_symlinks=False)
        )
    except OSError:
        return []
    found = []
    for quarter in quarters:
        for side in REGIONS:
            key = f"{quarter}/{action_id}-{side}"
            path = report_path(data_dir, key)
            if not os.path.lexists(path):
                continue
            try:
                record = _read(path)[1]
                report = Report.model_validate(record) if record is not None else None
            except (StoreError, ValidationError):
                continue
            if report is not None and report.key == key:
                found.append(report)
    return found


def _with_reports(data_dir: Path, action: Action, current: dict | None) -> Action:
    """``action`` with the figures its reports set (status, progress, indicators'
    actual values; cancelling stays with the working group). A save that leaves the
    figures as they were, or re-opens a cancelled action, takes the reports' figures;
    one that sets them otherwise is refused, as is a lead that leaves a reporting side
    out or an indicator a report names taken away."""
    reports = _reports_on_disk(data_dir, action.id)
    index, period = loader.report_index([action]), plan_period(None)  # the reports' own rules are not in question
    broken = [
        f"{r.key}: {p.message}"
        for r in reports
        for p in validate.report_problems(
            r.to_yaml_dict(), f"{r.action}-{r.side}.yaml", r.period, "", period, index, ""
        )
    ]
    if broken:
        raise StoreError(f"{action.id}'s reports would no longer hold: " + "; ".join(broken), "breaks_reports")
    synced = standing.apply(action, reports)
    if synced == action:
        return action
    try:
        before = Action.model_validate(current) if current is not None else None
    except ValidationError:
        before = None
    untouched = before is not None and _figures(before) == _figures(action)
    reopened = before is not None and before.status == "cancelled" and action.status != "cancelled"
    if untouched or reopened:
        return synced
    message = (
        f"{action.id}'s status, progress and indicator values are set by its reports; submit a report to change them"
    )
    raise StoreError(message, "set_by_reports")


def _figures(action: Action) -> tuple:
    return action.status, action.progress, [i.actual for i in action.indicators]


def _sync_action(data_dir: Path, action_id: str, user: auth.User) -> None:
    """Write into the action's file the figures its reports set, recorded as a "sync";
    called under the action's lock. When that fails the report stands: the loader
    applies the same rule, so the pages, exports and API still agree with it."""
    try:
        _recover(data_dir, action_path(data_dir, action_id))  # a change a crash cut short is put back first
        version, record = read_version(data_dir, action_id)
        action = Action.model_validate(record)
        synced = standing.apply(action, _reports_on_disk(data_dir, action_id))
        if synced == action:
            return
        stamped = synced.model_copy(update=_stamp(user))
        data = yamlio.dumps(stamped.to_yaml_dict()).encode("utf-8")
        entry = history.new_entry(user.name, action_id, "sync", record, stamped.to_yaml_dict())
        _commit(data_dir, action_path(data_dir, action_id), data, entry)
    except (StoreError, ValidationError):
        pass


def next_id(data_dir: Path, existing: list[str]) -> str:
    """A fresh id in the plan's pattern (``po-046``), never used before (in any letter
    case), and always one the id rule accepts, whatever the data and the history hold:
    ids whose next number would make them too long are passed over (``po-`` and 61
    nines is the longest id there can be), and the lowest free number is taken when the
    highest has no room left."""
    ids = {*existing, *history.used_ids(data_dir)}
    taken = {i.casefold() for i in ids}
    numbered = [m for m in (_ID_NUMBER.match(i) for i in ids) if m]
    roomy = [m for m in numbered if _ID_RULE.fullmatch(_numbered(m.group(1), len(m.group(2)), int(m.group(2)) + 1))]
    prefix, width = max(
        ((m.group(1), len(m.group(2))) for m in roomy),
        key=lambda pw: sum(1 for m in roomy if m.group(1) == pw[0]),
        default=("po-", 3),
    )
    numbers = [int(m.group(2)) for m in roomy if m.group(1) == prefix]
    candidate = max(numbers, default=0) + 1
    while _numbered(prefix, width, candidate).casefold() in taken:
        candidate += 1
    if not _ID_RULE.fullmatch(_numbered(prefix, width, candidate)):
        candidate = next(n for n in itertools.count(1) if _numbered(prefix, width, n).casefold() not in taken)
    return _numbered(prefix, width, candidate)


def _numbered(prefix: str, width: int, number: int) -> str:
    return f"{prefix}{number:0{width}d}"


def bulk_update(
    dataset: loader.Dataset, ids: list[str], changes: dict, user: auth.User | None
) -> tuple[list[str], list[tuple[str, StoreError]]]:
    """Set the same fields (status, progress) on several actions of ``dataset``, each
    saved on its own: (ids changed, (id, reason) of each refused). An action changed
    on disk since ``dataset`` was loaded is a conflict, not overwritten; one that
    already has the values is neither changed nor refused."""
    saved, refused = [], []
    for action_id in ids:
        action = dataset.action(action_id)
        if action is None or not changes:
            continue
        version = version_as_loaded(dataset.data_dir, action)
        try:
            done = save(
                dataset.data_dir, action.model_copy(update=changes), user, version, memorandum=dataset.memorandum
            )
        except StoreError as refusal:
            refused.append((action_id, refusal))
        else:
            if done.changed:
                saved.append(action_id)
    return saved, refused
