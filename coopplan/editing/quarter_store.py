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
from contextlib import contextmanager
from pathlib import Path

from ..data import loader, quarter_file, yamlio
from ..data.model import Action, Report
from ..data.quarter_file import QuarterFile, Reopening, Settlement, SideClose, Use
from ..reporting import quarters, review
from . import auth, history, store


def _lock_name(quarter: str) -> str:
    return f".quarter-{quarter}"  # no action id starts with a dot


@contextmanager
def admit(data_dir: Path, key: str, user: auth.User, before: dict | None, after: Report | None):
    """Refuse (``store.Forbidden``) a write of the report ``key`` from ``before`` to
    ``after`` that ``user`` may not make: a review step beyond them, a body their
    account does not report for, a closed half of a quarter without an open exception.
    Held around the write, under the quarter's lock; an exception it went through is
    recorded as used once the write is made."""
    quarter, _, rest = key.partition("/")
    action_id, _, side = rest.rpartition("-")
    _own_body(data_dir, action_id, side, user)
    with store._locked(data_dir, _lock_name(quarter)):
        closing, _ = quarter_file.read(data_dir, quarter)
        closed = closed_to(closing, action_id, side)
        if closed is not None:
            raise closed
        opening = open_exception(closing, action_id, side) if closing is not None else None
        found = review.refusal(user, before, after)
        # an exception opens an accepted report to its authors' correction, which its coordinator then accepts
        if found is not None and not (opening is not None and found[0] == "review_accepted"):
            raise store.Forbidden(found[1], found[0])
        yield
        if opening is not None:
            _record_use(data_dir, closing, opening, key, user)


def closed_to(closing: QuarterFile | None, action_id: str, side: str) -> store.Forbidden | None:
    """The refusal of a write to ``side``'s report on ``action_id`` when that side closed
    the quarter of ``closing`` and no exception is open for it; None when it may be written."""
    if closing is None or side not in closing.sides or open_exception(closing, action_id, side) is not None:
        return None
    who = closing.sides[side]
    return store.Forbidden(
        f"{side} closed {closing.quarter} on {who.closed:%Y-%m-%d} ({who.closed_by}); its reports no longer change"
        " unless an administrator opens an exception for the action",
        "quarter_closed",
    )


def open_exception(closing: QuarterFile, action_id: str, side: str) -> Reopening | None:
    today = dt.date.today()
    return next((e for e in closing.exceptions if e.action == action_id and e.side == side and e.open_on(today)), None)


def _own_body(data_dir: Path, action_id: str, side: str, user: auth.User) -> None:
    """An editor whose account names bodies reports only on actions one of them executes."""
    mine = auth.bodies_of(user)
    if not mine or auth.can_review(user, side):
        return
    try:
        action = Action.model_validate(store.read_version(data_dir, action_id)[1])
    except (ValueError, store.StoreError):
        return  # the report's own checks say what is wrong with the action
    if not set(mine) & set(getattr(action.responsible, side)):
        raise store.Forbidden(
            f"{user.name} reports for {', '.join(mine)}, not for the bodies executing {action_id}", "not_your_body"
        )


def _record_use(data_dir: Path, closing: QuarterFile, opening: Reopening, key: str, user: auth.User) -> None:
    use = Use(
        at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        by=user.name,
        report=quarter_file.digest(store.report_path(data_dir, key)),
    )
    exceptions = [e.model_copy(update={"uses": [*e.uses, use]}) if e is opening else e for e in closing.exceptions]
    _write(data_dir, closing, closing.model_copy(update={"exceptions": exceptions}), user, "reopen")


def _write(data_dir: Path, before: QuarterFile | None, after: QuarterFile, user: auth.User, op: str) -> None:
    path = quarter_file.path_of(data_dir, after.quarter)
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as error:
        raise store._write_failed(path.parent, error) from error
    store._recover(data_dir, path)
    record = after.to_yaml_dict()
    entry = history.new_entry(
        user.name,
        "",
        op,
        before.to_yaml_dict() if before else None,
        record,
        path=f"{quarter_file.FOLDER}/{path.name}",
    )
    store._commit(data_dir, path, yamlio.dumps(record).encode("utf-8"), entry)


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
            store._signed_in(user)
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
    store._signed_in(user)
    side = _side(user, side)
    if not auth.can_review(user, side):
        raise store.Forbidden(
            f"{user.name} ({user.role}) may not close {side}'s half of a quarter", "close_coordinator"
        )
    not_received = {a: str(r).strip() for a, r in (not_received or {}).items()}
    if any(not reason for reason in not_received.values()):
        raise store.StoreError("a report marked not received says why", "not_received_reason")
    data_dir = Path(data_dir)
    with store._locked(data_dir, _lock_name(quarter)):
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
        _write(data_dir, before, after, user, "close")
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
    store._signed_in(user)
    side = _side(user, side)
    if not auth.can_review(user, side):
        raise store.Forbidden(f"{user.name} ({user.role}) may not settle for {side}", "close_coordinator")
    if not noted and (status is None or progress is None):
        raise store.StoreError("an agreement names one status and one progress", "settle_figures")
    data_dir = Path(data_dir)
    with store._locked(data_dir, _lock_name(quarter)):
        before, problems = quarter_file.read(data_dir, quarter)
        if problems:
            raise store.StoreError("; ".join(p.message for p in problems), "file_has_problems")
        closing = before or QuarterFile(quarter=quarter)
        known = closing.settlements.get(action_id)
        if noted:
            made = Settlement(how="noted", by={side: user.name})
        elif known is not None and known.how == "agreed" and (known.status, known.progress) == (status, progress):
            made = known.model_copy(update={"by": {**known.by, side: user.name}})
        else:
            made = Settlement(how="agreed", status=status, progress=progress, by={side: user.name})
        after = closing.model_copy(update={"settlements": {**closing.settlements, action_id: made}})
        _write(data_dir, before, after, user, "settle")
    return made


def reopen(
    data_dir: Path, quarter: str, action_id: str, side: str, until: dt.date, reason: str, user: auth.User | None
) -> Reopening:
    """An administrator's exception: ``side``'s report on ``action_id`` in closed ``quarter``
    may change until ``until``, for ``reason``."""
    store._signed_in(user)
    if not auth.can_approve(user):
        raise store.Forbidden(f"{user.name} ({user.role}) may not open an exception", "reopen_admin")
    if until < dt.date.today():
        raise store.StoreError(f"{until} has passed; an exception lasts until a later day", "reopen_past")
    data_dir = Path(data_dir)
    with store._locked(data_dir, _lock_name(quarter)):
        before, problems = quarter_file.read(data_dir, quarter)
        if problems:
            raise store.StoreError("; ".join(p.message for p in problems), "file_has_problems")
        if before is None or side not in before.sides:
            raise store.StoreError(f"{side} has not closed {quarter}; its reports still change", "quarter_open")
        opening = Reopening(
            action=action_id,
            side=side,
            reason=reason,
            until=until,
            opened=dt.datetime.now(dt.UTC).replace(microsecond=0),
            opened_by=user.name,
        )
        _write(
            data_dir, before, before.model_copy(update={"exceptions": [*before.exceptions, opening]}), user, "reopen"
        )
    return opening
