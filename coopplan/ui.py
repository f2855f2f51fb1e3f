"""Streamlit helpers shared by the pages: the only module of coopplan that imports Streamlit.

Every page calls ``setup()`` itself (language, data, sidebar filters), so it
renders the same alone, under AppTest and in the browser. The URL is the
source of truth for the view: widgets are filled from it on every run and
write it back when changed, so a copied link reproduces the view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from babel.numbers import format_currency
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.pages_manager import PagesManager

from . import (
    auth,
    charts,
    config,
    display,
    exports,
    facets,
    filters,
    forms,
    history,
    i18n,
    loader,
    model,
    periods,
    plan_document,
    store,
    validate,
)
from .display import View
from .frame import actions_frame
from .model import LANGS, LEADS, STATUSES

PAGE_FILES = {
    "overview": "pages/overview.py",
    "plan": "pages/plan.py",
    "timeline": "pages/timeline.py",
    "areas": "pages/areas.py",
    "import": "pages/import.py",
    "edit": "pages/edit.py",
    "history": "pages/history.py",
}
# Filter widgets: URL parameter -> (session key, Filters field).
_WIDGETS = {param: f"filter_{param}" for param in filters.PARAMS}
_SAVED_QUERY = "_view_query"
_LANG = "_lang"
MAX_PROBLEM_LINES = 200  # a page is read, not searched; the CLI lists every problem


# ---- data ----------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(data_dir: str, stamp: tuple) -> tuple[loader.Dataset, pd.DataFrame]:
    # ``stamp`` (file names, sizes, mtimes) is the cache key: a save shows at once.
    # cache_resource, not cache_data: the result is shared read-only, and
    # cache_data would unpickle a copy on every run (190 ms at 10,000 actions).
    dataset = loader.load(data_dir)
    return dataset, actions_frame(dataset.actions)


def dataset_and_frame() -> tuple[loader.Dataset, pd.DataFrame]:
    folder = config.data_dir()
    return _load(str(folder), loader.fingerprint(folder))


# ---- language ------------------------------------------------------------------


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


def _language_switcher(lang: str) -> None:
    st.session_state["language_choice"] = lang
    st.sidebar.segmented_control(
        i18n.t(lang, "sidebar.language"),
        list(LANGS),
        format_func=i18n.LANGUAGE_NAMES.get,
        key="language_choice",
        on_change=_choose_language,
        required=True,
    )


# ---- the view --------------------------------------------------------------------


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
    lang = language()
    st.set_page_config(
        page_title=f"{i18n.t(lang, f'nav.{page}')} · {i18n.t(lang, 'app.title')}",
        page_icon="🤝",
        layout="wide",
    )
    dataset, frame = dataset_and_frame()
    _language_switcher(lang)
    account_sidebar(lang)
    chosen = filters.Filters()
    requested = st.query_params.get("lang")
    ignored = [filters.Invalid("lang", requested)] if requested and requested not in LANGS else []
    if with_filters:
        _restore_after_navigation(page)
        chosen = _filters_sidebar(lang, dataset, frame, ignored)
    elif ignored:
        warn_ignored(lang, ignored)
    view = View(lang, dataset, frame, chosen)
    _show_draft_note(view)
    show_problems(view)
    return view


def _restore_after_navigation(page: str) -> None:
    """Sidebar navigation drops the query; bring the view's filters along to the new page."""
    arrived = st.session_state.get("_page") != page
    st.session_state["_page"] = page
    saved = st.session_state.get(_SAVED_QUERY) or {}
    if arrived and not any(p in st.query_params for p in filters.PARAMS) and saved:
        st.query_params.update({k: v for k, v in saved.items() if k in filters.PARAMS})


def _current_query() -> dict[str, list[str]]:
    return {param: st.query_params.get_all(param) for param in filters.PARAMS}


def _write_query_from_widgets() -> None:
    """on_change of every filter widget: the widgets' values become the URL."""
    state = st.session_state
    chosen = filters.Filters(
        areas=tuple(state[_WIDGETS["area"]]),
        leads=tuple(state[_WIDGETS["lead"]]),
        years=tuple(state[_WIDGETS["year"]]),
        quarters=tuple(state[_WIDGETS["quarter"]]),
        statuses=tuple(state[_WIDGETS["status"]]),
        bodies=tuple(state[_WIDGETS["body"]]),
        q=state[_WIDGETS["q"]].strip(),
        asof=state[_WIDGETS["asof"]] if state[_WIDGETS["asof"]] != dt.date.today() else None,
    )
    _set_query(filters.to_query(chosen, state.get(_LANG)))


def _clear_filters() -> None:
    _set_query({"lang": st.session_state.get(_LANG)})


def _set_query(query: dict[str, str]) -> None:
    st.query_params.from_dict({k: v for k, v in query.items() if v})
    st.session_state[_SAVED_QUERY] = st.query_params.to_dict()


def warn_ignored(lang: str, invalid: list[filters.Invalid]) -> None:
    """The notice naming values of the link that were ignored."""
    st.warning(i18n.t(lang, "filters.invalid", values=display.ignored_values(invalid)), icon=":material/warning:")


def _filters_sidebar(lang: str, dataset: loader.Dataset, frame: pd.DataFrame, ignored: list[filters.Invalid]) -> filters.Filters:
    chosen, invalid = filters.from_query(_current_query(), dataset.period.years)
    invalid = ignored + invalid
    known_bodies = facets.all_bodies(frame)
    unknown = [b for b in chosen.bodies if b not in known_bodies]
    if unknown:
        invalid += [filters.Invalid("body", b) for b in unknown]
        chosen = replace(chosen, bodies=tuple(b for b in chosen.bodies if b in known_bodies))
    if invalid:
        warn_ignored(lang, invalid)
    state = st.session_state
    values = {
        "area": list(chosen.areas), "lead": list(chosen.leads), "year": list(chosen.years),
        "quarter": list(chosen.quarters), "status": list(chosen.statuses), "body": list(chosen.bodies),
        "q": chosen.q, "asof": chosen.asof or dt.date.today(),
    }
    for param, value in values.items():  # the URL is the truth: fill the widgets from it
        state[_WIDGETS[param]] = value

    names = charts.area_names(dataset.memorandum, lang)
    all_label = i18n.t(lang, "filters.placeholder")
    bar = st.sidebar
    bar.header(i18n.t(lang, "filters.header"))
    common = dict(on_change=_write_query_from_widgets, placeholder=all_label)
    bar.text_input(i18n.t(lang, "filters.q"), key=_WIDGETS["q"], help=i18n.t(lang, "filters.q_help"),
                   on_change=_write_query_from_widgets, max_chars=200)
    bar.multiselect(i18n.t(lang, "filters.lead"), list(LEADS), format_func=lambda v: i18n.t(lang, f"lead.{v}"), key=_WIDGETS["lead"], **common)
    bar.multiselect(i18n.t(lang, "filters.area"), list(names), format_func=names.get, key=_WIDGETS["area"], **common)
    bar.multiselect(i18n.t(lang, "filters.year"), dataset.period.years, key=_WIDGETS["year"], **common)
    quarters = [f"{y}-Q{q}" for y in dataset.period.years for q in range(1, 5)]
    bar.multiselect(i18n.t(lang, "filters.quarter"), quarters, format_func=lambda v: _quarter_label(v, lang), key=_WIDGETS["quarter"], **common)
    bar.multiselect(i18n.t(lang, "filters.status"), list(STATUSES), format_func=lambda v: i18n.t(lang, f"status.{v}"), key=_WIDGETS["status"], **common)
    bar.multiselect(i18n.t(lang, "filters.body"), known_bodies, key=_WIDGETS["body"], **common)
    bar.date_input(i18n.t(lang, "filters.asof"), key=_WIDGETS["asof"], help=i18n.t(lang, "filters.asof_help"),
                   on_change=_write_query_from_widgets, format="DD.MM.YYYY")
    if not chosen.is_empty():
        bar.button(i18n.t(lang, "filters.clear"), on_click=_clear_filters, icon=":material/filter_alt_off:")
    _share_link(lang, chosen)
    st.session_state[_SAVED_QUERY] = filters.to_query(chosen, lang)
    return chosen


def _quarter_label(value: str, lang: str) -> str:
    return periods.parse(value).label(lang)


def _share_link(lang: str, chosen: filters.Filters) -> None:
    base = (st.context.url or "").split("?")[0]
    st.sidebar.caption(i18n.t(lang, "share.label"))
    st.sidebar.code(f"{base}?{urlencode(filters.to_query(chosen, lang))}", language=None, wrap_lines=True)


# ---- shared pieces of pages ----------------------------------------------------------


def _show_draft_note(view: View) -> None:
    plan = view.dataset.plan
    if plan is not None and plan.illustrative and plan.note is not None:
        st.caption(f":material/info: {display.escape_md(view.t('draft.note'))}: {display.escape_md(plan.note(view.lang))}")


def show_problems(view: View) -> None:
    """Which files and lines of the data are wrong; the valid actions are still shown."""
    problems = view.dataset.problems
    if problems:
        with st.expander(f"{view.t('problems.header')} ({len(problems)})", expanded=True, icon=":material/error:"):
            show_problem_lines(view, problems)


def show_problem_lines(view: View, problems: list[validate.Problem]) -> None:
    """``file:line:`` problems, how to fix each in the page's language, as inert text."""
    lines = [display.problem_line(view, p) for p in problems[:MAX_PROBLEM_LINES]]
    if len(problems) > MAX_PROBLEM_LINES:
        lines.append(view.t("problems.more", count=len(problems) - MAX_PROBLEM_LINES))
    st.code("\n".join(lines), language=None, wrap_lines=True)


def table_config(view: View) -> dict:
    # Widths in pixels so that id to progress fit the main column at 1280 px;
    # the rest scrolls, and the detail view shows the whole title.
    return {
        view.t("col.id"): st.column_config.TextColumn(width=64, pinned=True),
        view.t("col.title"): st.column_config.TextColumn(width=290),
        view.t("col.period"): st.column_config.TextColumn(width=180),
        view.t("col.status"): st.column_config.TextColumn(width=125),
        view.t("col.progress"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%", width=90),
    }


def compact_list(view: View, frame: pd.DataFrame, date_column: str) -> None:
    """A short list of actions (overdue, upcoming) with their dates."""
    if frame.empty:
        st.caption(view.t("overview.none"))
        return
    label = view.t("col.end") if date_column == "end" else view.t("col.start")
    table = pd.DataFrame(
        {
            view.t("col.id"): frame["id"],
            label: frame[date_column].dt.date,
            view.t("col.status"): frame["status"].map(lambda v: display.status_label(view, v)),
            view.t("col.title"): display.title_column(view, frame),
        }
    )
    st.dataframe(
        display.colour_statuses(view, table, view.t("col.status")),
        hide_index=True,
        column_config={  # narrow fixed columns leave the rest of the width to the title
            view.t("col.id"): st.column_config.TextColumn(width=64),
            label: st.column_config.DateColumn(format="DD.MM.YYYY", width=90),
            view.t("col.status"): st.column_config.TextColumn(width=125),
            view.t("col.title"): st.column_config.TextColumn(width=540),
        },
    )


def chart(fig, key: str) -> list[dict]:
    """Draw a figure that reacts to clicks; the clicked points (with customdata)."""
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode=("points",), config={"displaylogo": False})
    return list(event.selection.points) if event and event.selection else []


def page_link(page: str, label: str, query: dict[str, str], icon: str) -> None:
    """A link to another page that keeps the session (sign-in included). A page run
    on its own, outside dashboard.py's navigation (as AppTest runs it), has no
    other pages to link to, so there it shows none."""
    try:
        st.page_link(PAGE_FILES[page], label=label, query_params=query, icon=icon)
    except StreamlitPageNotFoundError:
        pass


def narrow_plan(view: View, **changes) -> None:
    """Open the plan page narrowed to what was clicked (the other filters kept)."""
    st.switch_page(PAGE_FILES["plan"], query_params=view.query(**changes))


def open_in_plan(view: View, action_id: str) -> None:
    """Open the plan page at one action, shown in full (the filters kept)."""
    st.session_state["plan_action"] = action_id
    st.switch_page(PAGE_FILES["plan"], query_params=view.query())


def action_detail(view: View, action: model.Action | None) -> None:
    """Everything one action holds, in the view's language."""
    if action is None:
        return
    t, lang = view.t, view.lang
    st.markdown(f"#### {display.escape_md(display.data_text(view, action.title))}")
    facts = st.columns(4)
    facts[0].markdown(f"**{t('col.area')}**  \n{display.escape_md(view.area_names[action.area])}")
    facts[1].markdown(f"**{t('col.period')}**  \n{display.escape_md(action.period_label(lang))}")
    facts[2].markdown(f"**{t('col.lead')}**  \n{t(f'lead.{action.lead}')}")
    facts[3].markdown(f"**{t('col.status')}**  \n{display.status_markdown(view, action.status)}")
    progress = 100 if action.status == "done" else (action.progress or 0)
    st.progress(progress / 100, text=f"{t('col.progress')}: {i18n.percent(progress / 100, lang)}")
    if action.description is not None:
        st.markdown(f"**{t('detail.description')}**  \n{display.escape_md(display.data_text(view, action.description))}")
    st.markdown(f"**{t('col.outcome')}**  \n{display.escape_md(display.data_text(view, action.outcome))}")
    sides = st.columns(2)
    for column, side in zip(sides, ("pavlodar", "omsk")):
        column.markdown(f"**{t(f'col.bodies_{side}')}**")
        bodies = getattr(action.responsible, side)
        column.markdown("\n".join(f"- {display.escape_md(b)}" for b in bodies) if bodies else "—")
    if action.location is not None:
        st.markdown(f"**{t('detail.location')}**: {display.escape_md(display.data_text(view, action.location))}")
    if action.budget is not None:
        amount = format_currency(action.budget.amount, action.budget.currency, locale=lang)
        source = f" — {display.escape_md(action.budget.source)}" if action.budget.source else ""
        st.markdown(f"**{t('detail.budget')}**: {display.escape_md(amount)}{source}")
    if action.indicators:
        st.markdown(f"**{t('detail.indicators')}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("detail.indicator"): [display.data_text(view, i.name) for i in action.indicators],
                    t("detail.unit"): [display.data_text(view, i.unit) for i in action.indicators],
                    t("detail.target"): [i.target for i in action.indicators],
                    t("detail.actual"): [i.actual for i in action.indicators],
                }
            ),
            hide_index=True,
        )
    if action.tags:
        # Code spans show backslashes as typed, so tags go in unescaped: their
        # pattern (a-z, 0-9, - and _) holds no backtick to leave the span with.
        st.markdown(f"**{t('detail.tags')}**: " + ", ".join(f"`{tag}`" for tag in action.tags))
    if action.updated is not None:
        st.caption(t("detail.updated", when=i18n.date(action.updated.date(), lang), who=display.escape_md(action.updated_by or "—")))
    if auth.can_edit(current_user(), action.lead):
        page_link("edit", t("detail.edit"), {"lang": lang, "id": action.id}, ":material/edit:")


def downloads(view: View, actions: list[model.Action]) -> None:
    """Download buttons for the filtered actions; files are made only when clicked."""
    t = view.t
    with st.expander(t("export.header"), expanded=False, icon=":material/download:"):
        st.caption(t("export.scope", count=len(actions)))
        doc_lang = st.radio(
            t("export.docx_lang"),
            [*LANGS, plan_document.BILINGUAL],
            index=LANGS.index(view.lang),
            format_func=lambda v: t("export.kk_ru") if v == plan_document.BILINGUAL else i18n.LANGUAGE_NAMES[v],
            horizontal=True,
            key="export_doc_lang",
        )
        buttons = st.container(horizontal=True)  # each button as wide as its label
        for fmt, label, lang in (
            ("docx", "export.docx", doc_lang), ("xlsx", "export.xlsx", view.lang), ("csv", "export.csv", view.lang), ("ics", "export.ics", view.lang),
        ):
            buttons.download_button(
                t(label),
                data=lambda fmt=fmt, lang=lang: exports.export(view.dataset, actions, fmt, lang),
                file_name=exports.file_name(fmt, lang),
                mime=exports.FORMATS[fmt].mime,
                on_click="ignore",
                key=f"download_{fmt}",
                icon=":material/download:",
            )


# ---- account ----------------------------------------------------------------------

_USER = "_user"


def _oidc_configured() -> bool:
    """OpenID Connect is used when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error types
        return False


def current_user() -> auth.User | None:
    """The signed-in editor of this session, or None for a viewer."""
    if _oidc_configured():
        return auth.user_for_email(st.user.get("email")) if st.user.is_logged_in else None
    user = st.session_state.get(_USER)
    return user if auth.is_user(user) else None


def _sign_in() -> None:
    state = st.session_state
    user = auth.authenticate(state.get("signin_name", ""), state.get("signin_password", ""))
    state["signin_password"] = ""  # never kept in the session
    state[_USER] = user
    state["signin_failed"] = user is None


def _sign_out() -> None:
    st.session_state[_USER] = None


def account_sidebar(lang: str) -> None:
    """Who is signed in, with sign-in and sign-out, at the foot of the sidebar."""
    box = st.sidebar.container(border=True)
    box.markdown(f"**{i18n.t(lang, 'account.header')}**")
    user = current_user()
    if user is not None:
        box.caption(i18n.t(lang, "account.signed_in", name=user.name, role=i18n.t(lang, f"role.{user.role}")))
        if _oidc_configured():
            box.button(i18n.t(lang, "account.sign_out"), on_click=st.logout, key="sign_out")
        else:
            box.button(i18n.t(lang, "account.sign_out"), on_click=_sign_out, key="sign_out")
        return
    if _oidc_configured():
        if st.user.is_logged_in:
            box.warning(i18n.t(lang, "account.unknown_email", email=st.user.get("email")))
            box.button(i18n.t(lang, "account.sign_out"), on_click=st.logout, key="sign_out")
        else:
            box.button(i18n.t(lang, "account.sign_in"), on_click=st.login, key="sign_in_oidc")
        return
    with box.form("sign_in", border=False):
        st.text_input(i18n.t(lang, "account.name"), key="signin_name")
        st.text_input(i18n.t(lang, "account.password"), type="password", key="signin_password")
        st.form_submit_button(i18n.t(lang, "account.sign_in"), on_click=_sign_in)
    if st.session_state.get("signin_failed"):
        box.error(i18n.t(lang, "account.failed"))


# ---- editing ----------------------------------------------------------------------

INDICATOR_COLUMNS = [*(f"name_{lang}" for lang in LANGS), *(f"unit_{lang}" for lang in LANGS), "target", "actual"]


def indicator_columns(view: View) -> dict:
    t = view.t
    config = {f"name_{lang}": st.column_config.TextColumn(t("edit.indicator.name", language=lang.upper())) for lang in LANGS}
    config |= {f"unit_{lang}": st.column_config.TextColumn(t("edit.indicator.unit", language=lang.upper())) for lang in LANGS}
    config |= {key: st.column_config.NumberColumn(t(f"detail.{key}"), min_value=0) for key in ("target", "actual")}
    return config


_LINKED_ID = "_linked_id"


def linked_action(lang: str, ids: list[str]) -> str | None:
    """The action a link (``?id=``) asks the edit page to open, once: after that the
    page writes the id itself and its picker decides. An id that is no action is
    named in a notice."""
    state = st.session_state
    requested = st.query_params.get("id")
    if requested == state.get(_LINKED_ID):
        return None
    state[_LINKED_ID] = requested
    if requested and requested not in ids and "edit_select" not in state:
        warn_ignored(lang, [filters.Invalid("id", requested)])
    return requested


def link_to_action(action_id: str) -> None:
    """The page's URL names the action shown, so that the link shares it."""
    st.query_params["id"] = st.session_state[_LINKED_ID] = action_id


def open_in_form(view: View, mode: str, source: model.Action | None) -> None:
    """Fill the edit form: an action to change, a copy of one under a fresh id, or a blank one."""
    state = st.session_state
    folder = view.dataset.data_dir
    fresh = store.next_id(folder, [a.id for a in view.dataset.actions])
    if mode == "edit" and source is not None:
        version, record = store.read_version(folder, source.id)
        values, action_id = forms.values_of(source), source.id
    else:  # a copy of ``source`` or a blank action, under a fresh id
        values = forms.values_of(source) if source is not None else forms.blank_values(fresh, view.years[0])
        version, record, action_id = store.ABSENT, None, fresh
    values["id"] = action_id
    for key, value in values.items():
        state[f"f_{key}"] = value
    state["edit_opened"] = {"id": action_id, "version": version, "record": record}
    state["edit_revision"] = state.get("edit_revision", 0) + 1
    state["edit_problems"] = {}
    state.pop("edit_conflict", None)


def save_from_form(view: View, user: auth.User, record: dict, version: str) -> None:
    """Save through the store; the outcome is left in the session for the next run to show."""
    state = st.session_state
    try:
        saved = store.save(view.dataset.data_dir, model.Action.model_validate(record), user, version, memorandum=view.memorandum)
    except store.Conflict as conflict:
        state["edit_conflict"] = {"current": conflict.current, "version": conflict.current_version, "record": record}
        return
    except store.Invalid as invalid:
        state["edit_problems"] = {"": [i18n.problem(view.lang, p.kind, p.message) for p in invalid.problems]}
        return
    except store.StoreError as refused:
        state["edit_refused"] = i18n.problem(view.lang, refused.kind, refused.message)
        return
    state.pop("edit_conflict", None)
    state["edit_opened"] = {"id": saved.action.id, "version": saved.version, "record": saved.action.to_yaml_dict()}
    state["edit_target"] = ("edit", saved.action.id)
    state["edit_select"] = saved.action.id  # the page selects it before drawing its widgets
    state["edit_notice"] = view.t("edit.saved", id=saved.action.id)


def reload_after_conflict(view: View, conflict: dict) -> None:
    """Show the other person's version in the form, dropping this editor's edits."""
    state = st.session_state
    current = model.Action.model_validate(conflict["current"])
    for key, value in forms.values_of(current).items():
        state[f"f_{key}"] = value
    state["edit_opened"] = {"id": current.id, "version": conflict["version"], "record": conflict["current"]}
    state["edit_revision"] = state.get("edit_revision", 0) + 1
    state.pop("edit_conflict", None)


def delete_action(view: View, user: auth.User, action_id: str, version: str) -> None:
    state = st.session_state
    try:
        store.delete(view.dataset.data_dir, action_id, user, version)
    except store.Conflict as conflict:
        state["edit_conflict"] = {"current": conflict.current, "version": conflict.current_version, "record": state["edit_opened"]["record"]}
        return
    except store.StoreError as refused:
        state["edit_refused"] = i18n.problem(view.lang, refused.kind, refused.message)
        return
    state["edit_notice"] = view.t("edit.deleted", id=action_id)
    state.pop("edit_target", None)
    state["edit_select"] = None
    st.query_params.pop("id", None)


def bulk_update(view: View, user: auth.User, ids: list[str], status: str | None, progress: int | None) -> tuple[int, list[str]]:
    """Set status and/or progress of several actions; (how many saved, reasons refused)."""
    dataset = view.dataset
    done, refused = 0, []
    for action_id in ids:
        action = dataset.action(action_id)
        changes = {k: v for k, v in (("status", status), ("progress", progress)) if v is not None}
        if action is None or not changes:
            continue
        version = store.version_as_loaded(dataset.data_dir, action)
        try:
            store.save(dataset.data_dir, action.model_copy(update=changes), user, version, memorandum=dataset.memorandum)
            done += 1
        except store.StoreError as exc:
            refused.append(f"{action_id}: {i18n.problem(view.lang, exc.kind, exc.message)}")
    return done, refused


def show_changes(view: View, changes: list[history.Change]) -> None:
    """A field-by-field difference, whole texts wrapped (a change is read, not scanned)."""
    # st.table reads every cell as markdown: the texts are the users', so made inert
    table = display.changes_frame(view, changes)
    st.table(table.map(display.escape_md).rename(index=display.escape_md))


def undo_change(view: View, user: auth.User, entry: history.Entry) -> None:
    state = st.session_state
    try:
        store.undo(view.dataset.data_dir, entry, user, memorandum=view.memorandum)
    except store.StoreError as refused:
        state["history_refused"] = i18n.problem(view.lang, refused.kind, refused.message)
        return
    state["history_notices"] = [view.t("history.undone", id=entry.action)]
