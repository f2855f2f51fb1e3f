"""The mail settings, from the environment: the SMTP server (``COOPPLAN_SMTP_HOST``,
``_PORT``, ``_SECURITY`` none|starttls|tls, ``_USER``, ``_PASSWORD_FILE``,
``_TIMEOUT`` in seconds), the sender (``COOPPLAN_MAIL_FROM``) and the address the
mails' links start with (``COOPPLAN_PUBLIC_URL``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import urlsplit

SECURITIES = ("none", "starttls", "tls")
_PORTS = {"none": 25, "starttls": 587, "tls": 465}


class SettingError(ValueError):
    """A setting of the environment that cannot be used, with what to write instead."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    timeout: float


def configured() -> bool:
    """Whether mail is set up at all: a server and a sender named."""
    return bool(os.environ.get("COOPPLAN_SMTP_HOST", "").strip() and os.environ.get("COOPPLAN_MAIL_FROM", "").strip())


def public_url() -> str:
    """``COOPPLAN_PUBLIC_URL`` without its trailing slash; empty when unset."""
    return os.environ.get("COOPPLAN_PUBLIC_URL", "").strip().rstrip("/")


def check_public_url() -> str:
    url = public_url()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingError(
            f"COOPPLAN_PUBLIC_URL={url!r}: set it to the address people open the dashboard at, "
            "such as https://plan.example.kz (the mails' links start with it)"
        )
    return url


def smtp() -> Smtp:
    """The SMTP settings, or SettingError naming the variable to fix."""
    env = os.environ
    host = env.get("COOPPLAN_SMTP_HOST", "").strip()
    if not host:
        raise SettingError("COOPPLAN_SMTP_HOST is not set: name the mail server, such as smtp.example.kz")
    security = env.get("COOPPLAN_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in SECURITIES:
        raise SettingError(f"COOPPLAN_SMTP_SECURITY={security!r}: write none, starttls or tls")
    port_text = env.get("COOPPLAN_SMTP_PORT", "").strip()
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise SettingError(f"COOPPLAN_SMTP_PORT={port_text!r}: write a port number, such as 587")
    sender = env.get("COOPPLAN_MAIL_FROM", "").strip()
    try:
        parsed = Address(addr_spec=sender) if sender and "<" not in sender else None
    except (ValueError, IndexError):
        parsed = None
    if not sender or ("<" not in sender and (parsed is None or not parsed.domain)):
        raise SettingError(
            f"COOPPLAN_MAIL_FROM={sender!r}: write the sender's address, such as plan@example.kz "
            "(or «Name <plan@example.kz>»)"
        )
    password = None
    password_file = env.get("COOPPLAN_SMTP_PASSWORD_FILE", "").strip()
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingError(
                f"COOPPLAN_SMTP_PASSWORD_FILE={password_file!r}: cannot read it ({error.strerror or error})"
            ) from None
    timeout_text = env.get("COOPPLAN_SMTP_TIMEOUT", "").strip()
    try:
        timeout = float(timeout_text) if timeout_text else 30.0
    except ValueError:
        timeout = -1
    if not 0 < timeout <= 600:
        raise SettingError(f"COOPPLAN_SMTP_TIMEOUT={timeout_text!r}: write seconds, such as 30")
    return Smtp(
        host,
        int(port_text) if port_text else _PORTS[security],
        security,
        env.get("COOPPLAN_SMTP_USER", "").strip() or None,
        password,
        sender,
        timeout,
    )
