"""The Pavlodar–Omsk cooperation plan dashboard: ``data`` (files to validated model),
``views`` (what pages show), ``editing`` (the one writer and its history),
``exchange`` (documents and spreadsheets), ``ui`` (Streamlit page helpers), the
command line (``cli``), settings (``config``) and the interface language (``i18n``)."""
