"""Every touch of a Streamlit internal, in one module (each kept working by a test in
``tests/test_streamlit_touches.py``; ``streamlit`` is pinned to the minor version they
were proven on): the pages mode, the sign-in cookie of its OpenID Connect, and its
sessions and their uploads. The server and the middleware both use them."""

from __future__ import annotations


def leave_legacy_pages_mode() -> None:
    """Streamlit 1.67 decides per process, when the first browser session starts, whether
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


def oidc_email(cookies: dict[str, str]) -> str | None:
    """The e-mail address of Streamlit's own OpenID Connect sign-in in a request's cookies
    (its ``_streamlit_user`` cookie, signed with the deployment's cookie secret), for the
    private gate, which sees every request and not only the pages' WebSocket; None for
    none, or one that does not check. It reads the cookie with the functions Streamlit's
    WebSocket reads it with."""
    try:
        from streamlit.auth_util import get_origin_from_redirect_uri
        from streamlit.web.server.starlette.starlette_websocket import (
            USER_COOKIE_NAME,
            _get_signed_cookie_with_chunks,
            _parse_decoded_user_cookie,
        )

        raw = _get_signed_cookie_with_chunks(cookies, USER_COOKIE_NAME)
        origin = get_origin_from_redirect_uri()
        user = _parse_decoded_user_cookie(raw, origin) if raw and origin else {}
    except Exception:  # no cookie secret, a cookie of another key, a Streamlit that moved them: no sign-in
        return None
    email = user.get("email") if user.get("is_logged_in") else None
    return email if isinstance(email, str) else None


def session_connected(session_id: str) -> bool:
    """Whether a browser session of this server is connected now (Streamlit's runtime)."""
    from streamlit import runtime

    return runtime.exists() and runtime.get_instance().is_active_session(session_id)


def free_session_files(session_id: str) -> None:
    """Drop what Streamlit holds of a session's uploads: a session dropped from its
    reconnect store is never shut down, so its files would stay for the process's life."""
    from streamlit import runtime

    if runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_session_files(session_id)
