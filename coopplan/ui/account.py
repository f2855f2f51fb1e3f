"""Who is signed in, and the sidebar's account box: offline accounts through the
sign-in page (``/signin``) and its session cookie, or OpenID Connect through
``st.login`` when the deployment configures it."""

from __future__ import annotations

import html
from urllib.parse import urlencode, urlsplit

import streamlit as st

from .. import i18n
from ..editing import auth
from ..web import sessions

# AppTest cannot send cookies (its st.context.cookies is a stand-in), so a test puts
# the session token where the cookie would carry it. Read only under AppTest: a served
# app never looks here; no widget has this key, so no browser can write it; and what
# it holds is only a token, which a browser could as well send as its cookie.
TEST_SESSION = "_test_session"


def oidc_configured() -> bool:
    """OpenID Connect is used when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own error types
        return False


def session_token() -> object:
    """The token of the browser's session cookie, as this tab's connection sent it."""
    # ``global.appTest`` is set by AppTest around its runs only (on st.config, where
    # its patch lands; st.get_option does not see it).
    if st.config.get_option("global.appTest"):
        return st.session_state.get(TEST_SESSION)
    return st.context.cookies.get(sessions.COOKIE)


def current_user() -> auth.User | None:
    """The signed-in user of this tab, or None for a visitor. Asked of the sessions
    store on every run, so a sign-out anywhere counts at this tab's next step."""
    if oidc_configured():
        return auth.user_for_email(st.user.get("email")) if st.user.is_logged_in else None
    return sessions.store().user(session_token())


_SIGNED_OUT = "_signed_out"  # this tab's user chose «sign out»: the sign-in did not lapse


def _sign_out() -> None:
    sessions.store().end(session_token())
    st.session_state[_SIGNED_OUT] = True


def sign_in_url(lang: str) -> str:
    """The sign-in page, to come back to this page as it is (filters and all)."""
    query = urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    back = (urlsplit(st.context.url or "/").path or "/") + (f"?{query}" if query else "")
    return "/signin?" + urlencode({"lang": lang, "next": back})


def sign_in_link(lang: str) -> str:
    """The sign-in page's link, opened in this tab («target=_self»); every character of
    it escaped (the page's own address and parameters are in it)."""
    url, label = html.escape(sign_in_url(lang), quote=True), html.escape(i18n.t(lang, "account.sign_in_link"))
    return f'<a href="{url}" target="_self">{label}</a>'


def _sign_in_link(lang: str, where, *, compact: bool = False) -> None:
    """The way to the sign-in page; ``compact`` in the sidebar, where viewers (most
    people) need the filters above it, not a big button."""
    if oidc_configured():
        where.button(i18n.t(lang, "account.sign_in"), on_click=st.login, key="sign_in_oidc")
        return
    # A link of our own making, not st.link_button: that opens a new tab, and the
    # sign-in page comes back to this one in the tab it was opened in.
    where.markdown(
        sign_in_link(lang), unsafe_allow_html=True, help=i18n.t(lang, "account.sign_in_help") if compact else None
    )
    if not compact:
        where.caption(i18n.t(lang, "account.sign_in_help"))


def _ended(lang: str, where) -> None:
    """Say so when this tab had a sign-in that has ended: signed out here, or lapsed
    (expired, or signed out in another tab)."""
    if not oidc_configured() and session_token() is not None:
        if st.session_state.get(_SIGNED_OUT):
            where.info(i18n.t(lang, "account.signed_out"), icon=":material/logout:")
        else:
            where.warning(i18n.t(lang, "signin.ended"), icon=":material/logout:")


def sign_in_required(lang: str) -> None:
    """A private deployment's page to someone not signed in: nothing of the plan, a way in."""
    st.title(i18n.t(lang, "signin.title"))
    _ended(lang, st)
    st.info(i18n.t(lang, "signin.private"), icon=":material/lock:")
    _sign_in_link(lang, st)
    st.caption(i18n.t(lang, "signin.reload"))


def account_box(lang: str) -> None:
    """Who is signed in, with sign-in and sign-out, at the foot of the sidebar, below
    the filters: one line and one button."""
    box = st.sidebar.container()
    box.divider()
    user = current_user()
    if user is not None:
        box.caption(i18n.t(lang, "account.signed_in", name=user.name, role=i18n.t(lang, f"role.{user.role}")))
        box.button(
            i18n.t(lang, "account.sign_out"),
            on_click=st.logout if oidc_configured() else _sign_out,
            key="sign_out",
            icon=":material/logout:",
        )
        return
    if oidc_configured() and st.user.is_logged_in:
        box.warning(i18n.t(lang, "account.unknown_email", email=st.user.get("email")))
        box.button(i18n.t(lang, "account.sign_out"), on_click=st.logout, key="sign_out")
        return
    _ended(lang, box)
    _sign_in_link(lang, box, compact=True)
