"""What ``st.App`` serves besides the pages: the project's routes, its middleware, and
what is set once when the server starts (``dashboard.py`` builds the app from these)."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

from starlette.middleware import Middleware

from . import files, middleware, routes


def leave_legacy_pages_mode() -> None:
    """THE ONE PLACE that touches a private Streamlit internal (a test keeps it working).

    Streamlit 1.67 decides per process, when the first browser session starts, whether
    the app uses the legacy ``pages/`` folder mode (``PagesManager.uses_pages_directory``:
    true when a ``pages/`` folder sits beside the entry script); only a run of
    ``st.navigation`` turns it off. So a page's URL opened first on a freshly started
    server ran the file of ``pages/`` alone, named after the file, with the «Page not
    found» modal. Upstream knows it: streamlit/streamlit#10276 (review: "there was some
    weirdness when there is a pages folder + MPAv2 and I tried to directly access an
    URL path ... Sometimes it completely switch back to MPAv1"; the flag should be
    global), and #9992. Setting it off before any session exists routes every first
    request through ``dashboard.py``'s ``st.navigation``."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def settle_heap() -> None:
    """Import what the pages use and load the plan, then freeze what lives on (``gc.freeze``).

    After every run of a page Streamlit collects garbage over the whole heap
    (``runner.postScriptGC``), holding the GIL: over this process's modules and plan
    that was about 75 ms per run, during which the page's last messages waited to be
    sent. Frozen objects are skipped by the collector (still freed by their reference
    counts), so the collection after a run now covers only what the runs made."""
    from .. import config
    from ..ui import components, edit_session, navigation, page, report_form  # noqa: F401 (imported to be frozen)
    from ..views import snapshot

    snapshot.current(config.data_dir())
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(app):
    leave_legacy_pages_mode()
    settle_heap()
    yield


def options() -> dict:
    """Keyword arguments of ``st.App`` for the dashboard."""
    return {
        "routes": [*routes.routes(), *files.file_routes()],  # evidence files: they ask routes who is asking
        # the first wraps the rest: every response, a refusal of the gate's included, gets the headers
        "middleware": [
            Middleware(middleware.SecurityHeaders),
            Middleware(middleware.PrivateGate),
            Middleware(middleware.Preload),
        ],
        "lifespan": lifespan,
    }
