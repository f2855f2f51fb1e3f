"""What changed since the plan was approved: the actions added, dropped (deleted or
cancelled, and the line says which), moved later or earlier (by how many quarters),
given another lead side or other executing bodies, retitled or retargeted, each against
one baseline version.

A move is read from the end of an action's period (its last day), or from its start
when the end stayed: ``2027`` ends on 31 December, as ``2027-Q4`` and ``2027-12-31``
do, so a year compared with a quarter, or a month with a day, is compared by the days
they stand for; the quarters between are counted from those days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import i18n
from ..data import periods
from ..data.model import LANGS, Action, Baseline, BaselineAction, Text

KINDS = ("added", "dropped", "later", "earlier", "lead", "executors", "title", "targets")


@dataclass(frozen=True)
class Move:
    """One end of an action's period moved: ``field`` is start or end."""

    field: str
    before: str
    after: str
    days: int  # later when positive

    @property
    def quarters(self) -> int:
        """Whole quarters between the days the two periods stand for (signed)."""
        day = (lambda p: p.first_day) if self.field == "start" else (lambda p: p.last_day)
        return periods.quarter_index(day(periods.parse(self.after))) - periods.quarter_index(
            day(periods.parse(self.before))
        )


@dataclass(frozen=True)
class Amendment:
    """How one action differs from its approved self."""

    action_id: str
    kinds: tuple[str, ...]  # in KINDS order
    before: BaselineAction | None
    after: Action | None
    move: Move | None = None


def _move(before: BaselineAction, after: Action) -> Move | None:
    for field, old, new in (
        ("end", before.end_period.last_day, after.end_period.last_day),
        ("start", before.start_period.first_day, after.start_period.first_day),
    ):
        if old != new:
            return Move(field, getattr(before, field), getattr(after, field), (new - old).days)
    return None


def _bodies(action) -> dict[str, set]:
    """Each side's executing bodies, in whatever order they are listed."""
    return {side: set(bodies) for side, bodies in action.responsible.model_dump().items()}


def _retitled(before: Text, after: Text) -> bool:
    """A title changed in a language both have, or dropped in one: a translation
    added since is not a new title."""
    return any(getattr(before, lang) and getattr(before, lang) != getattr(after, lang) for lang in LANGS)


def _targets(indicators) -> list[tuple]:
    return [(i.id, i.target, tuple(sorted(i.targets.items()))) for i in indicators]


def compare(baseline: Baseline, actions: Iterable[Action]) -> list[Amendment]:
    """Every action that differs from ``baseline``: the baseline's order first, then the added."""
    now = {a.id: a for a in actions}
    found = []
    for before in baseline.actions:
        after = now.pop(before.id, None)
        if after is None or after.status == "cancelled":
            found.append(Amendment(before.id, ("dropped",), before, after))
            continue
        kinds, move = [], _move(before, after)
        if move is not None:
            kinds.append("later" if move.days > 0 else "earlier")
        if before.lead != after.lead:
            kinds.append("lead")
        if _bodies(before) != _bodies(after):
            kinds.append("executors")
        if _retitled(before.title, after.title):
            kinds.append("title")
        if _targets(before.indicators) != _targets(after.indicators):
            kinds.append("targets")
        if kinds:
            found.append(Amendment(before.id, tuple(kinds), before, after, move))
    found += [Amendment(a.id, ("added",), None, a) for a in now.values() if a.status != "cancelled"]
    return found


def in_scope(
    baseline: Baseline, chosen: Iterable[str], existing: Iterable[str], areas: Iterable[str], leads: Iterable[str]
) -> Baseline:
    """``baseline`` narrowed to what a filtered view shows: the ``chosen`` actions, and
    those deleted since (not ``existing``) that match the filters a deleted action can
    be judged by, its area and lead among ``areas`` and ``leads`` (any when empty)."""
    chosen, existing, areas, leads = set(chosen), set(existing), set(areas), set(leads)

    def keep(action: BaselineAction) -> bool:
        if action.id in existing:
            return action.id in chosen
        return (not areas or action.area in areas) and (not leads or action.lead in leads)

    return baseline.model_copy(update={"actions": [a for a in baseline.actions if keep(a)]})


def counts(amendments: list[Amendment]) -> dict[str, int]:
    """How many actions show each kind of change."""
    return {kind: sum(kind in a.kinds for a in amendments) for kind in KINDS}


def describe(amendment: Amendment, lang: str, labels: bool = False) -> str:
    """The change in a line: «end: 2027-Q4 -> 2028-Q2 (2 quarters later); executing bodies
    changed»; with ``labels`` the periods as a plan writes them («IV квартал 2027 г.»)."""
    shown = (lambda code: periods.parse(code).label(lang)) if labels else str
    parts = []
    for kind in amendment.kinds:
        if kind in ("later", "earlier") and amendment.move is not None:
            move = amendment.move
            quarters = abs(move.quarters)
            shift = (
                i18n.t(lang, f"changes.{kind}_quarters", count=quarters)
                if quarters
                else i18n.t(lang, f"changes.{kind}_within")
            )
            before, after, arrow = shown(move.before), shown(move.after), "→" if labels else "->"
            parts.append(
                i18n.t(lang, f"changes.move.{move.field}", before=before, after=after, arrow=arrow, shift=shift)
            )
        elif kind == "dropped":  # a plan amendment says which: a cancellation is the working group's decision
            parts.append(i18n.t(lang, "changes.kind.deleted" if amendment.after is None else "changes.kind.cancelled"))
        else:
            parts.append(i18n.t(lang, f"changes.kind.{kind}"))
    return "; ".join(parts)
