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

EDITOR_STATES = ("draft", "submitted")  # what an editor's save may leave a report as


def state_of(report: Report | dict | None) -> str | None:
    """A report's state, ``accepted`` for one filed before reviews; None for no report."""
    if report is None:
        return None
    state = report.get("state") if isinstance(report, dict) else report.state
    return state or "accepted"
