"""Who may send a file to Streamlit's upload endpoint (``/_stcore/upload_file/<session>/<file>``),
and how much the server holds for them.

Streamlit takes a file into memory for any live session that asks, whatever its page
drew, and keeps it until the session shuts down, which a session dropped from its
reconnect store never does. So the endpoint is closed unless a page opened it: a page's
run that draws an uploader declared in ``UPLOADERS`` for a user that uploader admits
(``ui.uploads.file_uploader``) grants its browser session that uploader's room; a run
of a page that has no such uploader withdraws it (``ui.page.setup``), and so does a run
whose user that uploader no longer admits. The middleware (``UploadGate``)
then refuses, before a byte of the body is read, a PUT to a session without a grant,
from a browser other than the one signed in, without a ``Content-Length``, or one that
would take the session past its room or the server past ``SERVER_BYTES``. What a
session holds is freed when its session ends (``sweep``).

A new uploader joins by one entry of ``UPLOADERS``: its key, the page that draws it,
who may use it, and how many files of what size one session may hold.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..data import evidence, workbooks
from ..data.model import REGIONS
from ..editing import auth
from ..editing.auth import User

PATH = "/_stcore/upload_file/"
MB = 1024 * 1024
SERVER_BYTES = 160 * MB  # every session's uploads together, in this process: one report's ten evidence files fit
FRAMING = 64 * 1024  # what a browser's multipart request adds around a file
# A session not connected for this long has ended: Streamlit keeps a dropped session
# 2 minutes for its browser to reconnect.
ENDED_AFTER = 150.0


@dataclass(frozen=True)
class Uploader:
    """A kind of upload a page may ask for: the page that draws it (its key in
    ``ui.navigation.ROUTES``), who may use it (``may``), and how many files (``files``)
    of at most ``file_bytes`` each one session may hold."""

    page: str
    may: Callable[[User | None], bool]
    file_bytes: int
    files: int = 1

    @property
    def room(self) -> int:
        return (self.file_bytes + FRAMING) * self.files


def _attaches(user: User | None) -> bool:
    """Whether ``user`` may attach evidence for either side (``auth.can_attach``)."""
    return any(auth.can_attach(user, side) for side in REGIONS)


UPLOADERS: dict[str, Uploader] = {
    # the Import page: an edited plan or a filled reports form, read by editors only
    "import": Uploader(page="import", may=auth.may_edit, file_bytes=workbooks.MAX_UPLOAD_BYTES),
    # evidence files of a report (the Reporting page's form) and of an action (its card on the Plan page)
    "evidence_report": Uploader(
        page="reporting", may=_attaches, file_bytes=evidence.MAX_BYTES, files=evidence.MAX_PER_TARGET
    ),
    "evidence_action": Uploader(
        page="plan", may=_attaches, file_bytes=evidence.MAX_BYTES, files=evidence.MAX_PER_TARGET
    ),
}


@dataclass(frozen=True)
class Grant:
    """What one browser session may upload now: for ``user``, through the uploaders ``purposes``."""

    user: str
    purposes: frozenset[str]

    @property
    def room(self) -> int:
        return sum(UPLOADERS[purpose].room for purpose in self.purposes)

    def admits(self, user: User) -> bool:
        return user.name == self.user and any(UPLOADERS[purpose].may(user) for purpose in self.purposes)


_lock = threading.Lock()
_grants: dict[str, Grant] = {}  # session id -> its grant
_holding: dict[str, dict[str, int]] = {}  # session id -> file id -> bytes, of sessions with files
_unseen: dict[str, float] = {}  # session id -> when it was first found not connected


def grant(session_id: str, purpose: str, user: User | None) -> bool:
    """Open the endpoint to ``session_id`` for the uploader ``purpose`` when ``user``
    may use it; whether it was opened. Raises KeyError for an undeclared uploader."""
    uploader = UPLOADERS[purpose]
    with _lock:
        current = _grants.get(session_id)
        name = user.name if auth.is_user(user) else None
        kept = current.purposes - {purpose} if current is not None and name and current.user == name else frozenset()
        if name and uploader.may(user):
            _grants[session_id] = Grant(name, kept | {purpose})  # a page with two uploaders has both
            return True
        if name and kept:
            _grants[session_id] = Grant(name, kept)
        else:
            _grants.pop(session_id, None)
        return False


def page_starts(session_id: str, page: str) -> None:
    """A run of ``page`` starts: a page without a declared uploader closes the endpoint to
    the session (one with an uploader keeps it open while it runs, since an upload may
    arrive meanwhile, and grants it again, or withdraws it, when it draws the uploader)."""
    if not any(uploader.page == page for uploader in UPLOADERS.values()):
        with _lock:
            _grants.pop(session_id, None)


def granted(session_id: str) -> Grant | None:
    with _lock:
        return _grants.get(session_id)


def total_held() -> int:
    with _lock:
        return sum(sum(files.values()) for files in _holding.values())


class Refusal(Exception):
    """An upload refused: ``status`` and why (for the log and the client)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def reserve(session_id: str, file_id: str, length: int | None, user: User | None) -> None:
    """Take room for a file of ``length`` bytes before its body is read; Refusal otherwise.
    ``user``: who the request's sign-in is, as the accounts say now."""
    with _lock:
        grant_ = _grants.get(session_id)
        if grant_ is None:
            raise Refusal(403, "no page of this session asked for a file")
        if not (auth.is_user(user) and grant_.admits(user)):
            raise Refusal(403, "the upload comes from no sign-in that may upload here")
        if length is None:
            raise Refusal(411, "an upload must say its length")
        files = _holding.setdefault(session_id, {})
        others = sum(size for fid, size in files.items() if fid != file_id)
        if others + length > grant_.room:
            raise Refusal(413, "this session holds as much as its page allows")
        everyone = sum(sum(f.values()) for f in _holding.values()) - files.get(file_id, 0)
        if everyone + length > SERVER_BYTES:
            raise Refusal(503, "the server holds as many uploads as it may")
        files[file_id] = length


def release(session_id: str, file_id: str | None = None) -> None:
    """Forget a file (deleted by its page) or, without ``file_id``, every file of a session."""
    with _lock:
        files = _holding.get(session_id)
        if files is None:
            return
        if file_id is not None:
            files.pop(file_id, None)
        if file_id is None or not files:
            _holding.pop(session_id, None)


def sweep(connected: Callable[[str], bool], free: Callable[[str], None], now: float | None = None) -> list[str]:
    """Free the files of the sessions that have ended (not ``connected`` for
    ``ENDED_AFTER`` seconds), through ``free`` (Streamlit's upload manager), and forget
    their grants; the sessions freed."""
    now = time.monotonic() if now is None else now
    with _lock:
        ended = []
        for session_id in set(_holding) | set(_grants):
            if connected(session_id):
                _unseen.pop(session_id, None)
            elif now - _unseen.setdefault(session_id, now) >= ENDED_AFTER:
                ended.append(session_id)
        for session_id in ended:
            _holding.pop(session_id, None)
            _grants.pop(session_id, None)
            _unseen.pop(session_id, None)
    for session_id in ended:
        free(session_id)
    return ended


def clear() -> None:
    """Forget every grant and file (tests)."""
    with _lock:
        _grants.clear()
        _holding.clear()
        _unseen.clear()
