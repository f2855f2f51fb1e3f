"""Sending by SMTP with the standard library: one connection per delivery, opened at
the first mail, with a timeout on every step; what went wrong sorted into a mail
refused for good (``Refused``: the server said 5xx of its address or content) and a
failure to try again (``Failed``; ``connection`` when the server itself is out of
reach, hangs or hung up, so the delivery stops)."""

from __future__ import annotations

import smtplib
import ssl

from .mail import message
from .settings import Smtp


class Refused(Exception):
    """The server refused this mail for good."""


class Failed(Exception):
    """This mail was not sent; ``connection``: nor will the next be on this connection."""

    def __init__(self, text: str, connection: bool):
        super().__init__(text)
        self.connection = connection


class Connection:
    def __init__(self, server: Smtp):
        self.server = server
        self._client: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        server = self.server
        context = ssl.create_default_context()
        if server.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                client.starttls(context=context)
        if server.user:
            client.login(server.user, server.password or "")
        return client

    def send(self, record: dict) -> None:
        try:
            if self._client is None:
                self._client = self._open()
            self._client.send_message(message(record, self.server.sender))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            text = "; ".join(f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values())
            if codes and all(code >= 500 for code in codes):
                raise Refused(f"the server refused the address: {text}") from None
            raise Failed(f"the server put off the address: {text}", connection=False) from None
        except smtplib.SMTPDataError as error:
            text = f"{error.smtp_code} {_said(error.smtp_error)}"
            if error.smtp_code >= 500:
                raise Refused(f"the server refused the mail: {text}") from None
            raise Failed(f"the server put off the mail: {text}", connection=False) from None
        except smtplib.SMTPResponseException as error:  # sender refused, authentication, HELO: the setup
            self.close()
            text = f"{error.smtp_code} {_said(error.smtp_error)}"
            raise Failed(f"the server answered {text}", connection=True) from None
        except (smtplib.SMTPException, OSError) as error:  # refused, timed out, hung up, TLS failed
            self.close()
            raise Failed(f"{type(error).__name__}: {error}".rstrip(": "), connection=True) from None

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


def _said(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
