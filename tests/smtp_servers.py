"""Mail servers on the loopback for the notices' tests: a real SMTP server (aiosmtpd)
that keeps what it receives, and servers that hang or hang up."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """A mail as the server got it: its envelope's recipients and the parsed message."""

    to: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    @property
    def raw(self) -> str:
        return self.message.as_string()


@dataclass
class Inbox:
    """aiosmtpd's handler: keeps every mail, in order."""

    mails: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.mails.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def take(self) -> list[Received]:
        """The mails received since the last take."""
        with self.lock:
            taken, self.mails = self.mails, []
        return taken


class Misbehaving:
    """A server on the loopback that accepts connections and then hangs (says nothing)
    or hangs up at once; stopped by ``close``."""

    def __init__(self, how: str):
        self.how = how
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            if self.how == "drop":
                connection.close()
            else:
                self.held.append(connection)  # a greeting that never comes

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
        for connection in self.held:
            connection.close()
