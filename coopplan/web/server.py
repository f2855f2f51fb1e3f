"""What ``st.App`` serves besides the pages: the project's routes, its middleware, and
what is set once when the server starts (``dashboard.py`` builds the app from these)."""

from __future__ import annotations

import gc
from contextlib import asynccontextmanager

import anyio
from starlette.middleware import Middleware

from ..editing import uploads
from ..notices import events, settings
from . import files, middleware, routes
from .internals import free_session_files, leave_legacy_pages_mode, session_connected


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


async def _sweep_uploads() -> None:
    while True:
        await anyio.sleep(30)
        uploads.sweep(session_connected, free_session_files)


@asynccontextmanager
async def lifespan(app):
    leave_legacy_pages_mode()
    # every change this process makes queues its mail notices; with SMTP set up, a
    # background thread sends them at once (else the daily ``notify`` run does)
    events.listen(background=settings.configured())
    settle_heap()
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(_sweep_uploads)
        yield
        tasks.cancel_scope.cancel()


def options() -> dict:
    """Keyword arguments of ``st.App`` for the dashboard."""
    return {
        "routes": [*routes.routes(), *files.file_routes()],  # evidence files: they ask routes who is asking
        # the first wraps the rest: every response, a refusal of the gate's included, gets the headers
        "middleware": [
            Middleware(middleware.SecurityHeaders),
            Middleware(middleware.PrivateGate),
            Middleware(middleware.UploadGate),
            Middleware(middleware.Preload),
        ],
        "lifespan": lifespan,
    }
