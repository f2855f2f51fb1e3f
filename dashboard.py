"""Entry point: ``streamlit run dashboard.py``.

Streamlit reads this file in two roles. Started, it finds ``app`` below, an
``st.App``, and serves it with uvicorn: the pages, plus the routes and middleware of
``coopplan.web`` (sign-in, the JSON API, the calendar, document links, security
headers, the private deployment's gate). Then, for every run of a page, it executes
this file as the app's script, which routes to the pages in ``pages/``. Keeping both
here means the one command everyone knows always serves the routes with the pages.
"""

from pathlib import Path

import streamlit as st

if __name__ == "__main__":  # a run of a page: Streamlit executes the script as __main__
    from coopplan.ui.navigation import run_pages

    run_pages()
else:  # imported by `streamlit run` (as the module ``dashboard``) to be served
    from coopplan.web import server

    app = st.App(Path(__file__).resolve(), **server.options())
