"""Streamlit helpers shared by the pages: the only module of coopplan that imports Streamlit.

Every page calls ``setup()`` itself (language, data, sidebar filters,
account), so it renders the same alone, under AppTest and in the browser.
"""

from __future__ import annotations

import streamlit as st

from . import auth, config, loader


@st.cache_data(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: tuple) -> loader.Dataset:
    # ``stamp`` (file names, sizes, mtimes) is the cache key: a save shows at once.
    return loader.load(data_dir)


def dataset() -> loader.Dataset:
    folder = config.data_dir()
    return _load(str(folder), loader.fingerprint(folder))


# ---- account (sign-in): owned by the editing work (issue 4) -------------------


def current_user() -> auth.User | None:
    """The signed-in editor of this session, or None for a viewer."""
    return None


def account_sidebar(lang: str) -> None:
    """Sign-in / sign-out controls in the sidebar."""


# ---- downloads: owned by the export work (issue 5) -----------------------------


def downloads(lang: str, actions) -> None:
    """Download buttons for the filtered actions (Word, Excel, CSV, calendar)."""
