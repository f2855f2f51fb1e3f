"""Entry point: ``streamlit run dashboard.py``. Routes to the pages in ``pages/``."""

import streamlit as st

from coopplan import i18n, ui

lang = ui.language()
st.navigation(
    [
        st.Page(ui.PAGE_FILES["overview"], title=i18n.t(lang, "nav.overview"), url_path="overview", icon=":material/dashboard:", default=True),
        st.Page(ui.PAGE_FILES["plan"], title=i18n.t(lang, "nav.plan"), url_path="plan", icon=":material/table_rows:"),
        st.Page(ui.PAGE_FILES["timeline"], title=i18n.t(lang, "nav.timeline"), url_path="timeline", icon=":material/view_timeline:"),
        st.Page(ui.PAGE_FILES["areas"], title=i18n.t(lang, "nav.areas"), url_path="areas", icon=":material/category:"),
        st.Page(ui.PAGE_FILES["edit"], title=i18n.t(lang, "nav.edit"), url_path="edit", icon=":material/edit:"),
        st.Page(ui.PAGE_FILES["history"], title=i18n.t(lang, "nav.history"), url_path="history", icon=":material/history:"),
        st.Page(ui.PAGE_FILES["import"], title=i18n.t(lang, "nav.import"), url_path="import", icon=":material/upload_file:"),
    ]
).run()
