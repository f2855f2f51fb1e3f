"""A file uploader that opens Streamlit's upload endpoint to this browser session only
while its page shows it, for a user its declaration admits (``editing.uploads``)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ..editing import uploads
from ..editing.auth import User


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def page_starts(page: str) -> None:
    """A run of ``page`` starts: the session's uploads are closed unless this page draws an uploader."""
    session_id = _session_id()
    if session_id is not None:
        uploads.page_starts(session_id, page)


def file_uploader(purpose: str, user: User | None, label: str, **options):
    """``st.file_uploader`` for the uploader ``purpose`` of ``editing.uploads.UPLOADERS``,
    drawn only for a user it admits (None otherwise, nothing drawn); its size limit is
    the declaration's."""
    session_id = _session_id()
    if session_id is None or not uploads.grant(session_id, purpose, user):
        return None
    limit = uploads.UPLOADERS[purpose].file_bytes // uploads.MB
    return st.file_uploader(label, max_upload_size=limit, **options)
