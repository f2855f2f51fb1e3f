"""A report's review: ``draft`` → ``submitted`` → ``accepted``, or ``returned`` (with a
note) and then a draft again, and who may take each step.

An executing body's editor saves drafts and submits them, and may change a report of
its side until its coordinator accepts it; the side's coordinator (or an
administrator) accepts or returns a submitted report, and may correct it before
accepting (the change is then the coordinator's, in the history). Only submitted and
accepted reports count (``Report.counts``). A report filed before reviews existed
has no state and counts as accepted.
"""

from __future__ import annotations

from ..data.model import Report
from ..editing import auth

EDITOR_STATES = ("draft", "submitted")  # what an editor's save may leave a report as


def state_of(report: Report | dict | None) -> str | None:
    """A report's state, ``accepted`` for one filed before reviews; None for no report."""
    if report is None:
        return None
    state = report.get("state") if isinstance(report, dict) else report.state
    return state or "accepted"


def refusal(user: auth.User, before: Report | dict | None, after: Report | None) -> tuple[str, str] | None:
    """(kind, rule in English) when ``user`` may not change a report from ``before`` to
    ``after`` (None: no report, or removed); None when they may."""
    side = (after or before).side if isinstance(after or before, Report) else _side(before)
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
