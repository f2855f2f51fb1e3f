"""The sidebar: the page's language and its switcher, the filters, and the link
that shares the view.

The URL is the source of truth for the view: the widgets are filled from it on
every run and write it back when changed, so a copied link reproduces the view.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from .. import i18n
from ..data import loader, model
from ..data.model import LANGS
from ..views import filters, summaries, texts

# Filter widgets: URL parameter -> session key.
_WIDGETS = {param: f"filter_{param}" for param in filters.PARAMS}
_SAVED_QUERY = "_view_query"
ARRIVED = "_arrived"  # whether this run is the first on its page (a link, another page), not a rerun
_LANG = "_lang"
# The kinds of element the sidebar draws (language, filters, share links, sign-in and
# out), by the frontend's names for them: pages list them in what they draw (navigation.ROUTES).
# «rehype-raw»: the code that draws the sign-in link, the one markdown given as HTML.
DRAWS = ("ButtonGroup", "TextInput", "Multiselect", "DateInput", "Selectbox", "LinkButton", "Button", "rehype-raw")


def language() -> str:
    """``?lang=``, else this session's choice, else the browser's locale, else the default."""
    requested = st.query_params.get("lang")
    lang = requested if requested in LANGS else st.session_state.get(_LANG)
    lang = i18n.negotiate(lang, st.context.locale)
    st.session_state[_LANG] = lang
    return lang


def _choose_language() -> None:
    lang = st.session_state["language_choice"]
    st.session_state[_LANG] = lang
    st.query_params["lang"] = lang
    st.session_state[_SAVED_QUERY] = st.query_params.to_dict()


def language_switcher(lang: str) -> None:
    st.session_state["language_choice"] = lang
    st.sidebar.segmented_control(
        i18n.t(lang, "sidebar.language"),
        list(LANGS),
        format_func=i18n.LANGUAGE_NAMES.get,
        key="language_choice",
        on_change=_choose_language,
        required=True,
    )


def restore_after_navigation(page: str) -> None:
    """Sidebar navigation drops the query; bring the view's filters along to the new page."""
    arrived = st.session_state.get("_page") != page
    st.session_state["_page"] = page
    st.session_state[ARRIVED] = arrived
    saved = st.session_state.get(_SAVED_QUERY) or {}
    if arrived and not any(p in st.query_params for p in filters.PARAMS) and saved:
        st.query_params.update({k: v for k, v in saved.items() if k in filters.PARAMS})


def _current_query() -> dict[str, list[str]]:
    return {param: st.query_params.get_all(param) for param in filters.PARAMS}


def _write_query_from_widgets() -> None:
    """on_change of every filter widget: the widgets' values become the URL."""
    state = st.session_state
    chosen = filters.Filters(
        **{f.field: f.from_widget(state.get(_WIDGETS[f.param])) for f in filters.FILTERS}  # type: ignore[arg-type]
    )
    _set_query(filters.to_query(chosen, state.get(_LANG)))


def _clear_filters() -> None:
    _set_query({"lang": st.session_state.get(_LANG)})


def _set_query(query: dict[str, str]) -> None:
    st.query_params.from_dict({k: v for k, v in query.items() if v})
    st.session_state[_SAVED_QUERY] = st.query_params.to_dict()


def warn_ignored(lang: str, invalid: list[filters.Invalid]) -> None:
    """The notice naming values of the link that were ignored."""
    st.warning(i18n.t(lang, "filters.invalid", values=texts.ignored_values(invalid)), icon=":material/warning:")


def filters_sidebar(
    lang: str, dataset: loader.Dataset, frame: pd.DataFrame, ignored: list[filters.Invalid]
) -> filters.Filters:
    """The filters of the URL, shown as the sidebar's widgets; values it cannot use named in a notice."""
    known_bodies = summaries.all_bodies(frame, lambda key: dataset.bodies.name(key, lang))
    names = model.area_names(dataset.memorandum, lang)
    versions = [b.version for b in dataset.baselines]
    chosen, invalid = filters.from_query(_current_query(), dataset.period, known_bodies, versions, dataset.bodies)
    invalid = ignored + invalid
    if invalid:
        warn_ignored(lang, invalid)
    for declared in filters.FILTERS:  # the URL is the truth: fill the widgets from it
        st.session_state[_WIDGETS[declared.param]] = declared.widget_value(chosen)
    st.sidebar.header(i18n.t(lang, "filters.header"))
    context = filters.Context(dataset.period, known_bodies, versions, dataset.bodies, list(names))
    naming = filters.Naming(lang, names, dataset.bodies)
    for declared in sorted(filters.FILTERS, key=lambda f: f.place):
        _widget(declared, lang, dataset, context, naming)
    if not chosen.is_empty():
        st.sidebar.button(i18n.t(lang, "filters.clear"), on_click=_clear_filters, icon=":material/filter_alt_off:")
    _share_link(lang, chosen)
    st.session_state[_SAVED_QUERY] = filters.to_query(chosen, lang)
    return chosen


def _widget(
    declared: filters.Filter, lang: str, dataset: loader.Dataset, context: filters.Context, naming: filters.Naming
) -> None:
    """The sidebar's widget of one filter, as its declaration says."""
    bar = st.sidebar
    label = i18n.t(lang, f"filters.{declared.param}")
    shown = dict(key=_WIDGETS[declared.param], on_change=_write_query_from_widgets)
    if declared.ui_help:
        shown["help"] = i18n.t(lang, f"filters.{declared.param}_help")
    named = dict(format_func=partial(declared.name, naming), **shown)
    if declared.widget == "text":
        bar.text_input(label, max_chars=200, **shown)
    elif declared.widget == "pills":
        # A few short choices are pills: all in sight, one click each, and a fraction of a
        # drop-down list's cost in the browser (seven lists took a quarter of a second to draw).
        bar.pills(label, list(declared.choices(context)), selection_mode="multi", **named)
    elif declared.widget == "list":
        # No «Select all»: Streamlit cannot say it in kk or ru, and choosing none already means all.
        placeholder = i18n.t(lang, "filters.placeholder")
        bar.multiselect(label, list(declared.choices(context)), placeholder=placeholder, select_all=False, **named)
    elif declared.widget == "date":
        bar.date_input(label, format="DD.MM.YYYY", **shown)
    elif declared.widget == "version" and dataset.baselines:  # which approved version the changes are counted against
        latest = dataset.baselines[-1]
        bar.selectbox(
            i18n.t(lang, "changes.baseline"),
            [0, *(b.version for b in reversed(dataset.baselines))],
            format_func=lambda v: _version_label(lang, dataset.baseline(v) or latest, latest=not v),
            placeholder=i18n.t(lang, "filters.placeholder"),
            **shown,
        )


def _version_label(lang: str, baseline, latest: bool = False) -> str:
    label = i18n.t(lang, "changes.version", version=baseline.version, date=i18n.date(baseline.approved_on, lang))
    return f"{label} · {i18n.t(lang, 'changes.latest')}" if latest else label


def site_url() -> str:
    """``scheme://host`` of the app as the browser reached it ("" where there is no browser)."""
    here = urlsplit(st.context.url or "")
    return f"{here.scheme}://{here.netloc}" if here.scheme and here.netloc else ""


def show_address(url: str, where=st) -> None:
    """An address to copy, as inline code: selectable, never turned into a link, and light
    (``st.code`` draws with a 1.5 MB highlighter script that every page would load for
    it). Percent-encoded, an address holds no backtick to end the code with."""
    where.markdown(f"`{url.replace('`', '%60')}`")


def _share_link(lang: str, chosen: filters.Filters) -> None:
    """The view's link, and beside it the same view as documents (``/export/plan.*``)."""
    query = urlencode(filters.to_query(chosen, lang))
    st.sidebar.caption(i18n.t(lang, "share.label"))
    show_address(f"{site_url()}{urlsplit(st.context.url or '').path}?{query}", st.sidebar)
    st.sidebar.caption(i18n.t(lang, "share.documents"))
    documents = st.sidebar.container(horizontal=True)  # buttons, not markdown links: no page's markdown has links
    for fmt, label in (("docx", "Word"), ("xlsx", "Excel"), ("csv", "CSV")):
        documents.link_button(
            label, f"{site_url()}/export/plan.{fmt}?{query}", type="tertiary", icon=":material/download:"
        )
