"""Actions of the tests' plan found by what they are (who leads them, whether reports set
their figures, what they hold), never by their ids: a test that picks its actions here
passes over any valid plan, the frozen one and the second one (``tests/second_plan.py``)."""

from __future__ import annotations

from collections.abc import Callable

from coopplan.data.loader import Dataset
from coopplan.data.model import Action
from coopplan.editing import auth


def action(dataset: Dataset, what: str, test: Callable[[Action], bool]) -> Action:
    """The first action that passes ``test``; a plan without one fails, saying ``what`` was looked for."""
    found = next((a for a in dataset.actions if test(a)), None)
    assert found is not None, f"the tests' plan has no action {what}"
    return found


def reported(dataset: Dataset, action: Action) -> bool:
    """Whether reports set the action's figures (a submitted or accepted one)."""
    return any(r.counts for r in dataset.reports_of(action.id))


def unreported(dataset: Dataset, action: Action) -> bool:
    """Whether the action has no reports at all, so that its editor sets every figure."""
    return not dataset.reports_of(action.id)


def reported_by_both_sides(dataset: Dataset) -> Callable[[Action], bool]:
    """A test for an action with a report from each side."""
    return lambda action: {report.side for report in dataset.reports_of(action.id)} == {"pavlodar", "omsk"}


def editable(user: auth.User, dataset: Dataset, how_many: int, test: Callable[[Action], bool]) -> list[Action]:
    """``how_many`` actions ``user`` may change that pass ``test``."""
    found = [a for a in dataset.actions if auth.can_edit(user, a.lead) and test(a)]
    assert len(found) >= how_many, f"the tests' plan has fewer than {how_many} such actions for {user.name}"
    return found[:how_many]


def renamed_csv(actions: list[Action]) -> bytes:
    """The CSV export of ``actions`` with the first one's Russian title changed, as an
    editor would change it («Учреждение: …»)."""
    from coopplan.exchange import spreadsheet

    first, *others = actions
    title = first.title.model_copy(update={"ru": f"Учреждение {first.title('ru')}"})
    return spreadsheet.to_csv([first.model_copy(update={"title": title}), *others])
