"""Actions of the plan the tests run over, found by what they are rather than by id: a
test module that finds its actions this way holds over any valid plan (it can leave
``conftest.FROZEN_PLAN_MODULES`` and so also runs under ``python -m tests.second_plan``)."""

from __future__ import annotations

from collections.abc import Callable

from coopplan.data.loader import Dataset
from coopplan.data.model import Action


def an_action(dataset: Dataset, what: str, test: Callable[[Action], bool]) -> Action:
    """The first action of ``dataset`` for which ``test`` holds; ``what`` says what the
    test needs in the failure when the plan has none."""
    found = next((action for action in dataset.actions if test(action)), None)
    assert found is not None, f"the tests' plan has no action that is {what}"
    return found


def reported_by_both_sides(dataset: Dataset) -> Callable[[Action], bool]:
    """A test for an action with a report from each side."""
    return lambda action: {report.side for report in dataset.reports_of(action.id)} == {"pavlodar", "omsk"}
