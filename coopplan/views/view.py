"""The view a page draws from: its language, the data, and the filters of its URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd

from .. import i18n
from ..data import loader, model
from . import filters


@dataclass(frozen=True)
class View:
    """What a page draws from; ``filtered`` is the one set of rows every table,
    count and chart of the page shows."""

    lang: str
    dataset: loader.Dataset
    frame: pd.DataFrame
    filters: filters.Filters

    def t(self, key: str, count: float | None = None, **fields) -> str:
        return i18n.t(self.lang, key, count=count, **fields)

    @property
    def asof(self) -> dt.date:
        return self.filters.asof or dt.date.today()

    @property
    def baseline(self) -> model.Baseline | None:
        """The approved version the view compares with: the one its URL names, else the latest."""
        return self.dataset.baseline(self.filters.baseline)

    @property
    def years(self) -> list[int]:
        return self.dataset.period.years

    @property
    def memorandum(self) -> model.Memorandum | None:
        return self.dataset.memorandum

    @cached_property
    def area_names(self) -> dict[str, str]:
        return model.area_names(self.memorandum, self.lang)

    def body_name(self, key: str) -> str:
        """An executing body (registry id or free name) by its name in the view's language."""
        return self.dataset.bodies.name(key, self.lang)

    def bodies_text(self, keys, separator: str = "; ") -> str:
        return separator.join(self.dataset.bodies.names(keys, self.lang))

    @cached_property
    def filtered(self) -> pd.DataFrame:
        """The actions matching the view's filters."""
        return filters.apply(self.frame, self.filters)

    @cached_property
    def filtered_actions(self) -> list[model.Action]:
        """The same actions as models, in plan order."""
        if len(self.filtered) == len(self.dataset.actions):  # no filter: every action, as loaded
            return list(self.dataset.actions)
        return [self.dataset.action(action_id) for action_id in self.filtered["id"]]

    def matching(self) -> str:
        """«12 of 45 actions»: how much of the plan the filters leave."""
        shown = self.t("count.actions", count=len(self.filtered))
        return self.t("count.matching", shown=shown, total=i18n.number(len(self.frame), self.lang))

    def query(self, **changes) -> dict[str, str]:
        """URL parameters of this view, with some filters changed."""
        return filters.to_query(replace(self.filters, **changes), self.lang)
