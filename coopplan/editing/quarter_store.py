"""The store's operations on reviews and closed quarters, beside ``store``: accepting
and returning reports (one or several), closing a side's half of a quarter, settling
a joint action's disagreement, opening an exception, and ``admit``, the check every
write of a report passes (``store.save_report``, ``store.delete_report``, and so
undo, the page, the form import and the API).

A side's half of a quarter, once closed, takes no write to its reports, by anyone,
unless an administrator opened an exception for that action and side that has not
expired; each write through an exception is recorded in the quarter's file, with the
report's new SHA-256, so that ``validate`` still finds any change made by hand. A
close is one write of the quarter's file (all or nothing, as every store write), made
under the quarter's lock, which every report write of that quarter also takes: no
report slips in between the check and the close.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..data import loader, quarter_file
from ..data.quarter_file import QuarterFile, Reopening, Settlement, SideClose
from ..reporting import quarters
from . import admission, auth, store, transaction


def _side(user: auth.User, side: str | None) -> str:
    side = side or auth.side_of(user)
    if side is None:
        raise store.StoreError("an administrator names the side: pavlodar or omsk", "side_needed")
    return side


# ---- reviewing --------------------------------------------------------------------


def decide(
    dataset: loader.Dataset, keys: list[str], user: auth.User | None, accept: bool, note: str | None = None
) -> tuple[list[str], list[tuple[str, store.StoreError]]]:
    """Accept (or return, with ``note``) the submitted reports ``keys``, each on its own:
    (keys done, (key, reason) of each refused)."""
    done, refused = [], []
    for key in keys:
        report = next((r for r in dataset.reports if r.key == key), None)
        try:
            user = store.signed_in(user)
            if report is not None and not auth.can_report(user, report.side):
                raise store.Forbidden(f"{user.name} may not report for {report.side}", "not_your_report_side")
            if report is not None and not auth.can_review(user, report.side):
                raise store.Forbidden(
                    f"only {report.side}'s coordinator accepts or returns its reports", "review_coordinator"
                )
            if report is None or report.state != "submitted":
                raise store.StoreError(f"{key} is not a submitted report", "review_not_submitted")
            if not accept and not (note or "").strip():
                raise store.StoreError("a returned report says why: write a note for its authors", "review_note")
            decided = report.model_copy(
                update={"state": "accepted" if accept else "returned", "note": None if accept else note.strip()}
            )
            version = store.version_as_loaded(dataset.data_dir, report)
            store.save_report(
                dataset.data_dir,
                decided,
                user,
                version,
                memorandum=dataset.memorandum,
                op="accept" if accept else "return",
            )
        except store.StoreError as refusal:
            refused.append((key, refusal))
        else:
            done.append(key)
    return done, refused


# ---- closing ----------------------------------------------------------------------


def close(
    data_dir: Path, quarter: str, user: auth.User | None, *, side: str | None = None, not_received: dict | None = None
) -> QuarterFile:
    """Close ``side``'s half of ``quarter`` (the coordinator's own side; an administrator
    names it); refused, with every reason, while anything is pending."""
    user = store.signed_in(user)
    side = _side(user, side)
    if not auth.can_review(user, side):
        raise store.Forbidden(
            f"{user.name} ({user.role}) may not close {side}'s half of a quarter", "close_coordinator"
        )
    not_received = {a: str(r).strip() for a, r in (not_received or {}).items()}
    if any(not reason for reason in not_received.values()):
        raise store.StoreError("a report marked not received says why", "not_received_reason")
    data_dir = Path(data_dir)
    with transaction.locked(data_dir, admission.lock_name(quarter)):
        before, problems = quarter_file.read(data_dir, quarter)
        if problems:
            raise store.StoreError("; ".join(p.message for p in problems), "file_has_problems")
        if before is not None and side in before.sides:
            raise store.StoreError(f"{side} closed {quarter} already", "quarter_closed")
        dataset = loader.load(data_dir)
        owed = {d.action.id for d in quarters._owed(dataset, quarter, side)}
        stray = sorted(set(not_received) - owed)
        if stray:
            raise store.StoreError(f"{side} owes no report on {', '.join(stray)} for {quarter}", "report_not_owed")
        left = quarters.pending(dataset, quarter, side, not_received)
        if left:
            raise store.StoreError(
                f"{side} cannot close {quarter} yet: " + "; ".join(str(p) for p in left), "close_pending"
            )
        folder = data_dir / loader.REPORTS / quarter
        reports = {
            r.action: quarter_file.digest(folder / f"{r.action}-{side}.yaml")
            for r in dataset.reports
            if r.period == quarter and r.side == side
        }
        closing = before or QuarterFile(quarter=quarter)
        half = SideClose(
            closed=dt.datetime.now(dt.UTC).replace(microsecond=0),
            closed_by=user.name,
            reports={a: d for a, d in sorted(reports.items()) if d},
            not_received=not_received,
        )
        after = closing.model_copy(update={"sides": {**closing.sides, side: half}})
        admission.write(data_dir, before, after, user, "close")
    return after


def settle(
    data_dir: Path,
    quarter: str,
    action_id: str,
    user: auth.User | None,
    *,
    noted: bool = False,
    status: str | None = None,
    progress: int | None = None,
    side: str | None = None,
) -> Settlement:
    """Settle a joint action's disagreement of ``quarter``: note it as a disagreement, or
    agree one status and progress; an agreement is made when the other side's
    coordinator agrees the same figures."""
    user = store.signed_in(user)
    side = _side(user, side)
    if not auth.can_review(user, side):
        raise store.Forbidden(f"{user.name} ({user.role}) may not settle for {side}", "close_coordinator")
    if not noted and (status is None or progress is None):
        raise store.StoreError("an agreement names one status and one progress", "settle_figures")
    data_dir = Path(data_dir)
    with transaction.locked(data_dir, admission.lock_name(quarter)):
        before, problems = quarter_file.read(data_dir, quarter)
        if problems:
            raise store.StoreError("; ".join(p.message for p in problems), "file_has_problems")
        if quarters.disagreement(loader.load(data_dir), quarter, action_id) is None:
            raise store.StoreError(
                f"the two sides' reports of {quarter} on {action_id} do not disagree; there is nothing to settle",
                "settle_no_disagreement",
            )
        closing = before or QuarterFile(quarter=quarter)
        known = closing.settlements.get(action_id)
        if noted:
            made = Settlement(how="noted", by={side: user.name})
        elif known is not None and known.how == "agreed" and (known.status, known.progress) == (status, progress):
            made = known.model_copy(update={"by": {**known.by, side: user.name}})
        else:
            made = Settlement(how="agreed", status=status, progress=progress, by={side: user.name})
        after = closing.model_copy(update={"settlements": {**closing.settlements, action_id: made}})
        admission.write(data_dir, before, after, user, "settle")
    return made


def reopen(
    data_dir: Path, quarter: str, action_id: str, side: str, until: dt.date, reason: str, user: auth.User | None
) -> Reopening:
    """An administrator's exception: ``side``'s report on ``action_id`` in closed ``quarter``
    may change until ``until``, for ``reason``."""
    user = store.signed_in(user)
    if not auth.can_approve(user):
        raise store.Forbidden(f"{user.name} ({user.role}) may not open an exception", "reopen_admin")
    reason = (reason or "").strip()
    if not reason:
        raise store.StoreError("an exception says why it is opened: write its reason", "reopen_reason")
    if until < dt.date.today():
        raise store.StoreError(f"{until} has passed; an exception lasts until a later day", "reopen_past")
    data_dir = Path(data_dir)
    with transaction.locked(data_dir, admission.lock_name(quarter)):
        before, problems = quarter_file.read(data_dir, quarter)
        if problems:
            raise store.StoreError("; ".join(p.message for p in problems), "file_has_problems")
        if before is None or side not in before.sides:
            raise store.StoreError(f"{side} has not closed {quarter}; its reports still change", "quarter_open")
        half = before.sides[side]
        if action_id not in half.reports and action_id not in half.not_received:
            raise store.StoreError(
                f"{side} closed {quarter} with no report on {action_id} and none owed; an exception opens one of its"
                " reports, or one it marked not received",
                "reopen_no_report",
            )
        opening = Reopening(
            action=action_id,
            side=side,
            reason=reason,
            until=until,
            opened=dt.datetime.now(dt.UTC).replace(microsecond=0),
            opened_by=user.name,
        )
        admission.write(
            data_dir, before, before.model_copy(update={"exceptions": [*before.exceptions, opening]}), user, "reopen"
        )
    return opening
