"""The sign-in page as HTML, in the reader's language: the form for a name and a
password, or, to someone signed in, who they are and a button to sign out.

Every value put into the page is escaped; the page loads nothing else (its style is
inline), so it works before any session exists, in a private deployment too.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from .. import i18n
from ..data.model import LANGS
from ..editing.auth import User

_STYLE = """
body{font-family:"Source Sans Pro",system-ui,sans-serif;background:#f0f2f6;color:#31333f;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;border-radius:.5rem;padding:2rem 2.2rem;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 .3rem}p{line-height:1.45}.app{color:#6b6f7b;margin:0 0 1.4rem}
label{display:block;margin:.9rem 0 .3rem;font-size:.95rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem .6rem;font-size:1rem;
border:1px solid #c7cad1;border-radius:.4rem}
button{margin-top:1.3rem;background:#1F6FB2;color:#fff;border:0;border-radius:.4rem;padding:.6rem 1.2rem;
font-size:1rem;cursor:pointer}
.error{background:#fdecea;color:#8a1c1c;padding:.6rem .8rem;border-radius:.4rem}
.note{background:#e8f1fa;padding:.6rem .8rem;border-radius:.4rem}
nav{margin-top:1.6rem;font-size:.9rem}nav a{margin-right:.8rem;color:#1F6FB2}
"""


def render(
    lang: str,
    *,
    csrf: str,
    next_url: str,
    user: User | None = None,
    name: str = "",
    error: str | None = None,
    notice: str | None = None,
) -> str:
    """The page: to ``user`` who they are and the sign-out button, else the sign-in form
    (``name`` kept after a failed try, ``error`` and ``notice`` shown above it)."""
    t = lambda key, **fields: escape(i18n.t(lang, key, **fields))  # noqa: E731
    hidden = (
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="next" value="{escape(next_url)}">'
        f'<input type="hidden" name="lang" value="{escape(lang)}">'
    )
    parts = [f"<h1>{t('signin.title')}</h1>", f'<p class="app">{t("app.title")}</p>']
    if notice:
        parts.append(f'<p class="note">{escape(notice)}</p>')
    if error:
        parts.append(f'<p class="error" role="alert">{escape(error)}</p>')
    if user is not None:
        role = i18n.t(lang, f"role.{user.role}")
        parts += [
            f"<p>{t('account.signed_in', name=user.name, role=role)}</p>",
            f'<p><a href="{escape(next_url)}">{t("signin.continue")}</a></p>',
            f'<form method="post" action="/signout">{hidden}<button type="submit">{t("account.sign_out")}</button>'
            "</form>",
        ]
    else:
        parts.append(
            f'<form method="post" action="/signin">{hidden}'
            f'<label for="name">{t("account.name")}</label>'
            f'<input type="text" id="name" name="name" value="{escape(name)}" autocomplete="username" required'
            f"{'' if name else ' autofocus'}>"
            f'<label for="password">{t("account.password")}</label>'
            f'<input type="password" id="password" name="password" autocomplete="current-password" required'
            f"{' autofocus' if name else ''}>"
            f'<button type="submit">{t("account.sign_in")}</button></form>'
        )
    switch = " ".join(
        f'<a href="/signin?{escape(urlencode({"lang": other, "next": next_url}))}" hreflang="{other}">'
        f"{escape(i18n.LANGUAGE_NAMES[other])}</a>"
        for other in LANGS
        if other != lang
    )
    parts.append(f"<nav>{switch}</nav>")
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t('signin.title')} · {t('app.title')}</title><style>{_STYLE}</style></head>"
        f"<body><main>{''.join(parts)}</main></body></html>"
    )
