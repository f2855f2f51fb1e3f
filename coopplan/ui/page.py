"""Every page's setup: the data (loaded once, shared), the language, the page's
config, the sidebar, and the notes every page carries (draft, problems).

Every page calls ``setup()`` itself, so it renders the same alone, under AppTest
and in the browser.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from .. import config, i18n
from ..data import loader
from ..data.model import LANGS
from ..views import filters, texts
from ..views.frame import actions_frame
from ..views.view import View
from . import account, sidebar
from .components import show_problem_lines


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: tuple) -> tuple[loader.Dataset, pd.DataFrame]:
    # ``stamp`` (file names, sizes, mtimes) is the cache key: a save shows at once.
    # cache_resource, not cache_data: the result is shared read-only, and
    # cache_data would unpickle a copy on every run (190 ms at 10,000 actions).
    dataset = loader.load(data_dir)
    return dataset, actions_frame(dataset.actions, dataset.bodies)


def dataset_and_frame() -> tuple[loader.Dataset, pd.DataFrame]:
    folder = config.data_dir()
    return _load(str(folder), loader.fingerprint(folder))


def _leave_legacy_pages_mode() -> None:
    """Opened at a page's URL before the entry script ever ran, Streamlit 1.67
    serves the ``pages/`` folder in its legacy mode (sidebar named after the
    files, untranslatable); one rerun hands over to ``dashboard.py``'s
    ``st.navigation``, which then routes the same URL."""
    if PagesManager.uses_pages_directory and st.runtime.exists():
        PagesManager.uses_pages_directory = False
        st.rerun()


def setup(page: str, *, with_filters: bool = True) -> View:
    """Page config, language, data (with its problems shown) and the sidebar."""
    _leave_legacy_pages_mode()
    lang = sidebar.language()
    st.set_page_config(
        page_title=f"{i18n.t(lang, f'nav.{page}')} · {i18n.t(lang, 'app.title')}",
        page_icon="🤝",
        layout="wide",
    )
    dataset, frame = dataset_and_frame()
    sidebar.language_switcher(lang)
    account.account_box(lang)
    chosen = filters.Filters()
    requested = st.query_params.get("lang")
    ignored = [filters.Invalid("lang", requested)] if requested and requested not in LANGS else []
    if with_filters:
        sidebar.restore_after_navigation(page)
        chosen = sidebar.filters_sidebar(lang, dataset, frame, ignored)
    elif ignored:
        sidebar.warn_ignored(lang, ignored)
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
