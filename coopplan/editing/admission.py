"""The rules every write of a report passes besides the store's own: its review step
(who may submit, accept or return it: ``refusal``, ``with_state``) and its quarter's
close (``admit``: a closed half of a quarter takes no write but through an open
exception, whose use is recorded). The store calls ``admit`` around each write of a
report; the quarter's operations (``quarter_store``) write its file through ``write``.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

from ..data import quarter_file, yamlio
from ..data.model import Action, Report
from ..data.quarter_file import QuarterFile, Reopening, Use
from ..reporting.review import EDITOR_STATES, state_of
from . import auth, history, transaction


def lock_name(quarter: str) -> str:
    return f".quarter-{quarter}"  # no action id starts with a dot


@contextmanager
def admit(data_dir: Path, key: str, user: auth.User, before: dict | None, after: Report | None):
    """Refuse (``transaction.Forbidden``) a write of the report ``key`` from ``before`` to
    ``after`` that ``user`` may not make: a review step beyond them, a body their
    account does not report for, a closed half of a quarter without an open exception.
    Held around the write, under the quarter's lock; an exception it went through is
    recorded as used once the write is made, and only then (a save that changed
    nothing leaves the report file as it was and uses nothing)."""
    quarter, _, rest = key.partition("/")
    action_id, _, side = rest.rpartition("-")
    _own_body(data_dir, action_id, side, user)
    with transaction.locked(data_dir, lock_name(quarter)):
        closing, _ = quarter_file.read(data_dir, quarter)
        closed = closed_to(closing, action_id, side)
        if closed is not None:
            raise closed
        opening = open_exception(closing, action_id, side) if closing is not None else None
        found = refusal(user, before, after)
        # an exception opens an accepted report to its authors' correction, which its coordinator then accepts
        if found is not None and not (opening is not None and found[0] == "review_accepted"):
            raise transaction.Forbidden(found[1], found[0])
        yield
        if closing is not None and opening is not None and side in closing.sides:
            _record_use(data_dir, closing, opening, key, user)


def closed_to(closing: QuarterFile | None, action_id: str, side: str) -> transaction.Forbidden | None:
    """The refusal of a write to ``side``'s report on ``action_id`` when that side closed
    the quarter of ``closing`` and no exception is open for it; None when it may be written."""
    if closing is None or side not in closing.sides or open_exception(closing, action_id, side) is not None:
        return None
    who = closing.sides[side]
    return transaction.Forbidden(
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
        action = Action.model_validate(transaction.read_version(data_dir, action_id)[1])
    except (ValueError, transaction.StoreError):
        return  # the report's own checks say what is wrong with the action
    if not set(mine) & set(getattr(action.responsible, side)):
        raise transaction.Forbidden(
            f"{user.name} reports for {', '.join(mine)}, not for the bodies executing {action_id}", "not_your_body"
        )


def _record_use(data_dir: Path, closing: QuarterFile, opening: Reopening, key: str, user: auth.User) -> None:
    """Record the use of ``opening`` when the report file is no longer what the quarter's
    file holds for it: the write went through; otherwise nothing was written."""
    now = quarter_file.digest(transaction.report_path(data_dir, key))
    if now == quarter_file.closed_digest(closing, opening.action, opening.side):
        return
    use = Use(at=dt.datetime.now(dt.UTC).replace(microsecond=0), by=user.name, report=now)
    exceptions = [e.model_copy(update={"uses": [*e.uses, use]}) if e is opening else e for e in closing.exceptions]
    write(data_dir, closing, closing.model_copy(update={"exceptions": exceptions}), user, "reopen")


def write(data_dir: Path, before: QuarterFile | None, after: QuarterFile, user: auth.User, op: str) -> None:
    path = quarter_file.path_of(data_dir, after.quarter)
    try:
        path.parent.mkdir(mode=transaction.FOLDER_MODE, exist_ok=True)
    except OSError as error:
        raise transaction.write_failed(path.parent, error) from error
    transaction.recover(data_dir, path)
    record = after.to_yaml_dict()
    entry = history.new_entry(
        user.name,
        "",
        op,
        before.to_yaml_dict() if before else None,
        record,
        path=f"{quarter_file.FOLDER}/{path.name}",
    )
    transaction.commit(data_dir, path, yamlio.dumps(record).encode("utf-8"), entry)


def refusal(user: auth.User, before: Report | dict | None, after: Report | None) -> tuple[str, str] | None:
    """(kind, rule in English) when ``user`` may not change a report from ``before`` to
    ``after`` (None: no report, or removed); None when they may."""
    record = after if after is not None else before
    side = record.side if isinstance(record, Report) else _side(record)
    if auth.can_review(user, side):
        if after is not None and after.state == "returned" and not after.note:
            return "review_note", "a returned report says why: write a note for its authors"
        return None
    was = state_of(before)
    if was == "accepted":
        return "review_accepted", f"{_key(before)} was accepted by its coordinator; ask them to return it first"
    if after is not None and state_of(after) not in EDITOR_STATES:
        return "review_coordinator", f"only {side}'s coordinator accepts or returns its reports"
    return None


def transition(before: Report | dict | None, after: Report) -> str | None:
    """The history's name of the review step from ``before`` to ``after`` (``submit``,
    ``accept``, ``return``), so each step reads as such; None when the state stays or
    goes back to a draft (an ordinary add or edit)."""
    state = state_of(after)
    if state == state_of(before):
        return None
    return {"submitted": "submit", "accepted": "accept", "returned": "return"}.get(state or "")


def with_state(report: Report, user: auth.User) -> Report:
    """``report`` as ``user`` saves it when it names no state: an editor's save submits
    it, a coordinator's is accepted (a correction before accepting is theirs); a
    returned note stays only on a returned report."""
    reviewer = auth.can_review(user, report.side)
    state = report.state or ("accepted" if reviewer else "submitted")
    if state == "returned" and not reviewer:  # its authors correcting a returned report: a draft again
        state = "draft"
    elif state == "accepted" and not reviewer:  # a correction (through an exception) goes to the coordinator again
        state = "submitted"
    return report.model_copy(update={"state": state, "note": report.note if state == "returned" else None})


def _side(record: dict | None) -> str:
    return str((record or {}).get("side", ""))


def _key(record: Report | dict | None) -> str:
    if isinstance(record, Report):
        return record.key
    return f"{(record or {}).get('period')}/{(record or {}).get('action')}-{_side(record)}"
