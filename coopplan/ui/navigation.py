"""The app's pages, their routes, and links between them that keep the session."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from .. import i18n
from ..views.view import View
from .sidebar import DRAWS, language


@dataclass(frozen=True)
class Route:
    file: str
    url_path: str  # ASCII, so links do not depend on the language
    icon: str
    # The kinds of element the page draws, its sidebar's included, by the frontend's
    # names for them: the page's HTML has the browser fetch their code at once (web.preload).
    draws: tuple[str, ...]


# In the sidebar's order; the titles come from the catalogs (``nav.<key>``).
ROUTES = {
    "overview": Route(
        "pages/overview.py",
        "overview",
        ":material/dashboard:",
        (*DRAWS, "Metric", "PageLink", "PlotlyChart", "DataFrame"),
    ),
    "plan": Route("pages/plan.py", "plan", ":material/table_rows:", (*DRAWS, "DataFrame")),
    "timeline": Route("pages/timeline.py", "timeline", ":material/view_timeline:", (*DRAWS, "PlotlyChart")),
    "areas": Route("pages/areas.py", "areas", ":material/category:", (*DRAWS, "Progress", "PageLink", "DataFrame")),
    "reporting": Route("pages/reporting.py", "reporting", ":material/fact_check:", (*DRAWS, "Metric", "DataFrame")),
    "changes": Route("pages/changes.py", "changes", ":material/difference:", (*DRAWS, "Metric", "DataFrame")),
    "edit": Route(
        "pages/edit.py",
        "edit",
        ":material/edit:",
        (*DRAWS, "DataFrame", "TextArea", "NumberInput", "Slider", "Checkbox"),
    ),
    "history": Route("pages/history.py", "history", ":material/history:", DRAWS),
    "import": Route(
        "pages/import_plan.py", "import", ":material/upload_file:", (*DRAWS, "FileUploader", "DownloadButton")
    ),
}
DEFAULT = "overview"  # the page at the app's root
# The tab's icon, drawn by the browser from the text itself (Streamlit makes an emoji a
# ``data:`` address): nothing is fetched for it.
PAGE_ICON = "🤝"
PAGE_FILES = {key: route.file for key, route in ROUTES.items()}


def run_pages() -> None:
    """``dashboard.py``'s run: the sidebar's pages, titled in the page's language, and the one asked for."""
    lang = language()
    # The tab's icon set before the navigation: else the frontend takes the page's
    # ``:material/…:`` icon for it and fetches that from fonts.gstatic.com, a request
    # that leaves the deployment (and tells an outside company who opens which page).
    st.set_page_config(page_icon=PAGE_ICON)
    st.navigation(
        [
            st.Page(
                route.file,
                title=i18n.t(lang, f"nav.{key}"),
                url_path=route.url_path,
                icon=route.icon,
                default=key == DEFAULT,
            )
            for key, route in ROUTES.items()
        ]
    ).run()


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


def open_in_plan(view: View, action_id: str, **changes) -> None:
    """Open the plan page at one action, shown in full (the filters kept, some changed)."""
    st.switch_page(PAGE_FILES["plan"], query_params={**view.query(**changes), "id": action_id})


def page_url(page: str, query: dict[str, str]) -> str:
    """The full address of one of the app's pages with ``query``: what a copied link
    holds. Taken from the address this page was opened at, so it is right behind a
    proxy and under a path prefix too."""
    here = urlsplit(st.context.url or "")
    path = here.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if last in {route.url_path for route in ROUTES.values()}:
        path = path[: -len(last)].rstrip("/")
    return urlunsplit((here.scheme, here.netloc, f"{path}/{ROUTES[page].url_path}", urlencode(query), ""))
