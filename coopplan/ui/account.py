"""Who is signed in, and the sidebar's box to sign in and out (offline accounts,
or OpenID Connect through ``st.login`` when the deployment configures it)."""

from __future__ import annotations

import streamlit as st

from .. import i18n
from ..editing import auth

_USER = "_user"


def _oidc_configured() -> bool:
    """OpenID Connect is used when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error types
        return False


def current_user() -> auth.User | None:
    """The signed-in editor of this session, or None for a viewer."""
    if _oidc_configured():
        return auth.user_for_email(st.user.get("email")) if st.user.is_logged_in else None
    user = st.session_state.get(_USER)
    return user if auth.is_user(user) else None


def _sign_in() -> None:
    state = st.session_state
    user = auth.authenticate(state.get("signin_name", ""), state.get("signin_password", ""))
    state["signin_password"] = ""  # never kept in the session
    state[_USER] = user
    state["signin_failed"] = user is None


def _sign_out() -> None:
    st.session_state[_USER] = None


def account_box(lang: str) -> None:
    """Who is signed in, with sign-in and sign-out, at the foot of the sidebar."""
    box = st.sidebar.container(border=True)
    box.markdown(f"**{i18n.t(lang, 'account.header')}**")
    user = current_user()
    if user is not None:
        box.caption(i18n.t(lang, "account.signed_in", name=user.name, role=i18n.t(lang, f"role.{user.role}")))
        box.button(
            i18n.t(lang, "account.sign_out"), on_click=st.logout if _oidc_configured() else _sign_out, key="sign_out"
        )
        return
    if _oidc_configured():
        if st.user.is_logged_in:
            box.warning(i18n.t(lang, "account.unknown_email", email=st.user.get("email")))
            box.button(i18n.t(lang, "account.sign_out"), on_click=st.logout, key="sign_out")
        else:
            box.button(i18n.t(lang, "account.sign_in"), on_click=st.login, key="sign_in_oidc")
        return
    with box.form("sign_in", border=False):
        st.text_input(i18n.t(lang, "account.name"), key="signin_name")
        st.text_input(i18n.t(lang, "account.password"), type="password", key="signin_password")
        st.form_submit_button(i18n.t(lang, "account.sign_in"), on_click=_sign_in)
    if st.session_state.get("signin_failed"):
        box.error(i18n.t(lang, "account.failed"))
