"""Entry point: ``streamlit run dashboard.py``. Routes to the pages in ``pages/``."""

import streamlit as st

from coopplan import i18n
from coopplan.ui.navigation import ROUTES
from coopplan.ui.sidebar import language

lang = language()
st.navigation(
    [
        st.Page(
            route.file,
            title=i18n.t(lang, f"nav.{key}"),
            url_path=route.url_path,
            icon=route.icon,
            default=key == "overview",
        )
        for key, route in ROUTES.items()
    ]
).run()
