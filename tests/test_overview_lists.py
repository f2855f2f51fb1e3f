"""The overview's lists stay short when many actions are overdue: the first ones, and how
many there are, the plan page listing them all."""

import datetime as dt

from coopplan import i18n
from coopplan.data import loader
from coopplan.ui.components import MOST_LISTED
from coopplan.views import summaries
from tests.helpers import DATA, run_page, view_of


def test_a_long_overdue_list_shows_its_first_rows_and_says_how_many_there_are():
    late = summaries.overdue(view_of(loader.load(DATA), "en").frame, dt.date(2029, 1, 1))
    assert len(late) > MOST_LISTED  # the plan's end passed: every open action is overdue
    at = run_page("overview", {"lang": "en", "asof": "2029-01-01"})
    assert not at.exception
    lists = [table for table in at.dataframe if table.key and table.key.startswith("list_overdue")]
    assert len(lists[0].value) == MOST_LISTED
    assert i18n.t("en", "overview.list_more", shown=MOST_LISTED, total=len(late)) in [c.value for c in at.caption]
