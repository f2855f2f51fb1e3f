"""Streamlit page helpers: with ``dashboard.py`` and the web routes, the only code that
imports Streamlit. Each module draws one part of the pages from ``coopplan.views``."""
