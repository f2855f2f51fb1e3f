"""What changed since approval, as the pages show it: the view's actions compared with
the approved version it names (or the latest), as counts and as a table."""

from __future__ import annotations

import pandas as pd

from .. import i18n
from ..data.model import Baseline
from ..reporting import amendments
from . import memo, texts
from .view import View


def in_scope(view: View, baseline: Baseline) -> Baseline:
    """``baseline`` narrowed to the view's filters (``amendments.in_scope``)."""
    chosen = view.filters
    return amendments.in_scope(baseline, view.filtered["id"], view.frame["id"], chosen.areas, chosen.leads)


def found(view: View) -> list[amendments.Amendment]:
    """The changes of the view's actions since its baseline; none without one."""
    baseline = view.baseline
    if baseline is None:
        return []
    return memo.per_view("changes", view, lambda: amendments.compare(in_scope(view, baseline), view.filtered_actions))


def version_label(view: View, baseline: Baseline) -> str:
    return view.t("changes.version", version=baseline.version, date=i18n.date(baseline.approved_on, view.lang))


def table(view: View, changed: list[amendments.Amendment]) -> pd.DataFrame:
    """One row a changed action: what it is, and what changed, in the view's language."""
    t = view.t
    titles = [texts.data_text(view, (a.after or a.before).title) for a in changed]
    return pd.DataFrame(
        {
            t("col.id"): [a.action_id for a in changed],
            t("col.title"): titles,
            t("changes.col.what"): [amendments.describe(a, view.lang, labels=True) for a in changed],
        }
    )
