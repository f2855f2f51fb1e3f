"""Every page's setup: the data (loaded once, shared), the language, the page's
config, the sidebar, and the notes every page carries (draft, problems).

Every page calls ``setup()`` itself, so it renders the same alone, under AppTest
and in the browser; in a private deployment it is where a page without a signed-in
user stops.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import config, i18n
from ..data import loader
from ..data.model import LANGS
from ..notices import events
from ..views import filters, snapshot, texts
from ..views.view import View
from . import account, sidebar, uploads
from .components import show_problem_lines
from .navigation import PAGE_ICON


def dataset_and_frame() -> tuple[loader.Dataset, pd.DataFrame]:
    # One copy per process, shared with the web routes (views.snapshot), not
    # st.cache_resource: the routes run outside any page's script.
    return snapshot.current(config.data_dir())


def setup(page: str, *, with_filters: bool = True) -> View:
    """Page config, language, data (with its problems shown) and the sidebar."""
    uploads.page_starts(page)
    events.listen()  # the changes a page makes queue their notices (as the server does; AppTest has no server)
    lang = sidebar.language()
    st.set_page_config(
        page_title=f"{i18n.t(lang, f'nav.{page}')} · {i18n.t(lang, 'app.title')}",
        page_icon=PAGE_ICON,
        layout="wide",
    )
    sidebar.language_switcher(lang)
    if config.private() and account.current_user() is None:  # a private plan shows nothing before a sign-in
        account.sign_in_required(lang)
        st.stop()
    dataset, frame = dataset_and_frame()
    chosen = filters.Filters()
    requested = st.query_params.get("lang")
    ignored = [filters.Invalid("lang", requested)] if requested and requested not in LANGS else []
    if with_filters:
        sidebar.restore_after_navigation(page)
        chosen = sidebar.filters_sidebar(lang, dataset, frame, ignored)
    elif ignored:
        sidebar.warn_ignored(lang, ignored)
    account.account_box(lang)  # below the filters: most people view, few sign in
    view = View(lang, dataset, frame, chosen)
    _show_draft_note(view)
    show_problems(view)
    return view


def _show_draft_note(view: View) -> None:
    plan = view.dataset.plan
    if plan is not None and plan.illustrative and plan.note is not None:
        st.caption(f":material/info: {texts.escape_md(view.t('draft.note'))}: {texts.escape_md(plan.note(view.lang))}")


def show_problems(view: View) -> None:
    """Which files and lines of the data are wrong; the valid actions are still shown."""
    problems = view.dataset.problems
    if problems:
        with st.expander(f"{view.t('problems.header')} ({len(problems)})", expanded=True, icon=":material/error:"):
            show_problem_lines(view, problems)
