"""Entry point: ``streamlit run dashboard.py``. Routes to the pages in ``pages/``."""

import streamlit as st

from coopplan import i18n, ui

lang = ui.language()
st.navigation(
    [
        st.Page("pages/overview.py", title=i18n.t(lang, "nav.overview"), url_path="overview", icon=":material/dashboard:", default=True),
        st.Page("pages/plan.py", title=i18n.t(lang, "nav.plan"), url_path="plan", icon=":material/table_rows:"),
        st.Page("pages/timeline.py", title=i18n.t(lang, "nav.timeline"), url_path="timeline", icon=":material/view_timeline:"),
        st.Page("pages/areas.py", title=i18n.t(lang, "nav.areas"), url_path="areas", icon=":material/category:"),
        st.Page("pages/edit.py", title=i18n.t(lang, "nav.edit"), url_path="edit", icon=":material/edit:"),
        st.Page("pages/history.py", title=i18n.t(lang, "nav.history"), url_path="history", icon=":material/history:"),
        st.Page("pages/import_plan.py", title=i18n.t(lang, "nav.import"), url_path="import", icon=":material/upload_file:"),
    ]
).run()
