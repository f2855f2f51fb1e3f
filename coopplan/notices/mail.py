"""One mail, rendered in its recipient's language as plain text and HTML from the same
parts: catalog sentences (``mail.*``) with fields, and items (an action's number,
title, a line about it, a link to its report form).

Every field that comes from people (titles, notes, body names) is made inert before it
goes in: control and direction-changing characters dropped, line breaks folded, and
what a mail program would turn into a link (``://``, ``www.``, a dot before a Latin
name, an ``@`` between words) broken with brackets, in both parts; the HTML part also
escapes it. Only the links the app builds itself are links.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from functools import lru_cache
from urllib.parse import urlencode

from .. import i18n

_URLISH = (
    (re.compile(r"://"), "[:]//"),
    (re.compile(r"(?i)\bwww\."), "www[.]"),
    (re.compile(r"(?<=\w)\.(?=[A-Za-z]{2})"), "[.]"),
    (re.compile(r"(?<=\w)@(?=\w)"), "[@]"),
    (re.compile(r"(?i)\b(javascript|data|mailto|file|vbscript):"), r"\1[:]"),
)


def inert(value: object, limit: int = 500) -> str:
    """``value`` as text no mail program makes markup or a link of, on one line, at most ``limit`` characters."""
    return _inert(str(value), limit)


@lru_cache(maxsize=65536)  # a title is in the mails of every account that owes its report
def _inert(value: str, limit: int) -> str:
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
        for c in value
        if unicodedata.category(c) != "Cf"  # bidi overrides, zero-width joiners
    )
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    for pattern, replacement in _URLISH:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Item:
    """One action in a list: its number, its title, a line about it, and a link."""

    number: str
    title: str
    line: str = ""
    link: str = ""


@dataclass
class Mail:
    """A mail to one account. ``key`` names it for the outbox: what it is about, for
    whom, and when, so the same mail is never sent twice."""

    key: str
    account: str
    to: str
    lang: str
    kind: str
    subject: str
    parts: list[tuple[str, object]] = field(default_factory=list)  # ("p"|"h", text) or ("item", Item)

    def say(self, key: str, count: float | None = None, **fields: object) -> Mail:
        """A paragraph: the catalog sentence ``key`` with ``fields`` made inert."""
        self.parts.append(("p", sentence(self.lang, key, count, **fields)))
        return self

    def heading(self, key: str, **fields: object) -> Mail:
        self.parts.append(("h", sentence(self.lang, key, None, **fields)))
        return self

    def sign(self) -> Mail:
        """The closing lines: who sends it, and how to turn this kind of mail off (the
        command names the account as the accounts file does: not made inert)."""
        self.say("mail.signature")
        what = i18n.t(self.lang, f"mail.kind.{self.kind}")
        command = f"python -m coopplan users set {self.account} --off {self.kind}"
        self.parts.append(("p", i18n.t(self.lang, "mail.off", what=what, command=command)))
        return self

    def item(self, item: Item) -> Mail:
        self.parts.append(("item", item))
        return self

    @property
    def text(self) -> str:
        out: list[str] = []
        opening = i18n.t(self.lang, "mail.open")
        for kind, part in self.parts:
            if isinstance(part, Item):
                out.append(_item_text(part, opening))
            else:
                out.append(str(part).upper() if kind == "h" else str(part))
        return "\n\n".join(out) + "\n"

    @property
    def html(self) -> str:
        body = []
        items: list[str] = []
        opening = html.escape(i18n.t(self.lang, "mail.open"))
        for kind, part in [*self.parts, ("end", "")]:
            if isinstance(part, Item):
                items.append(_item_html(part, opening))
                continue
            if items:
                body.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if kind == "h":
                body.append(f"<h3>{html.escape(str(part))}</h3>")
            elif kind == "p":
                body.append(f"<p>{html.escape(str(part))}</p>")
        return (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.subject)}</title></head>"
            '<body style="font-family:Arial,sans-serif;font-size:14px;line-height:1.4">'
            + "".join(body)
            + "</body></html>"
        )

    def record(self) -> dict:
        """What the outbox keeps of it."""
        return {
            "key": self.key,
            "account": self.account,
            "to": self.to,
            "lang": self.lang,
            "kind": self.kind,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
        }


# An action's lines are the same in the mail of every account that owes its report: made once.
@lru_cache(maxsize=65536)
def _item_text(item: Item, opening: str) -> str:
    lines = [f"• № {item.number} — {item.title}"]
    lines += [f"  {item.line}"] if item.line else []
    lines += [f"  {opening}: {item.link}"] if item.link else []
    return "\n".join(lines)


@lru_cache(maxsize=65536)
def _item_html(item: Item, opening: str) -> str:
    link = f'<br><a href="{html.escape(item.link)}">{opening}</a>' if item.link else ""
    line = f"<br>{html.escape(item.line)}" if item.line else ""
    return f"<li><b>№ {html.escape(item.number)}</b> — {html.escape(item.title)}{line}{link}</li>"


def sentence(lang: str, key: str, count: float | None = None, **fields: object) -> str:
    """The catalog text ``key`` in ``lang`` with each field inert (dates and numbers come formatted)."""
    return i18n.t(lang, key, count, **{name: inert(value) for name, value in fields.items()})


def subject(lang: str, key: str, count: float | None = None, **fields: object) -> str:
    return inert(sentence(lang, key, count, **fields), 200)


def report_link(base: str, lang: str, quarter: str, action: str | None = None, side: str | None = None) -> str:
    """The Reporting page of ``quarter`` at the report form of ``action`` for ``side``,
    by the page's URL parameters, under the public address ``base``."""
    query = {
        "lang": lang,
        "period": quarter,
        **({"action": action} if action else {}),
        **({"side": side} if side else {}),
    }
    return f"{base.rstrip('/')}/reporting?{urlencode(query)}"


def page_link(base: str, page: str, lang: str) -> str:
    return f"{base.rstrip('/')}/{page}?{urlencode({'lang': lang})}"


def message(record: dict, sender: str) -> EmailMessage:
    """The MIME message of an outbox record: text and HTML alternatives, and a Message-ID
    made from its key, so a mail sent again after a crash is known as the same one."""
    out = EmailMessage()
    out["From"] = sender
    out["To"] = record["to"]
    out["Subject"] = record["subject"]
    out["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2].strip(">") or "coopplan.local"
    out["Message-ID"] = f"<{hashlib.sha256(record['key'].encode()).hexdigest()[:32]}@{domain}>"
    out["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to it
    out.set_content(record["text"])
    out.add_alternative(record["html"], subtype="html")
    out["Content-Language"] = record["lang"]  # after: making the alternatives moves content headers into the parts
    return out
