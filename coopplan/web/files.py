"""``GET /files/<sha256>``: an attached evidence file, to those allowed, always as a download.

Signed-in users (a session, or an API token in a private deployment) get every attached
file; a visitor of a public deployment only those an editor marked public. The answer
is never something a browser would render as a page: ``Content-Disposition:
attachment`` with a safe name, the ``Content-Type`` of what the file was found to be
when it was attached (checked again against its first bytes), ``nosniff`` and a
sandboxing policy. A file no record names is not served. The bytes are streamed from
disk, never held whole.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from .. import config, i18n
from ..data import evidence
from ..data.evidence_check import sniff
from ..data.files import NotAFile, open_regular
from ..editing import auth
from ..views import snapshot
from . import routes

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-cache",
}
# The first bytes say the kind; Word and Excel files are told apart by their parts, here by the record.
_ZIPPED = ("docx", "xlsx")


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status, media_type="text/plain; charset=utf-8", headers=HEADERS)


def allowed(user: auth.User | None, records: list[evidence.Attachment]) -> bool:
    """Whether ``user`` (None: a visitor) may download a file attached as ``records``."""
    if auth.is_user(user):
        return True
    return not config.private() and any(r.public for r in records)


def disposition(name: str) -> str:
    """``attachment`` with the name in ASCII (older clients) and in UTF-8 (RFC 6266)."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve(request: Request) -> Response:
    lang = routes.language(request)
    sha = request.path_params["sha"]
    dataset = snapshot.current(config.data_dir())[0]
    records = [r for r in dataset.evidence if r.file == sha] if evidence.is_sha(sha) else []
    if not records:
        return _text(404, i18n.t(lang, "evidence.no_such_file"))
    user = routes.request_user(request)
    if not allowed(user, records):
        status = 401 if not auth.is_user(user) else 403
        return _text(status, i18n.t(lang, "evidence.sign_in_to_download"))
    record = records[0] if auth.is_user(user) else next(r for r in records if r.public)
    path = evidence.file_path(dataset.data_dir, sha)
    try:
        handle, stat = open_regular(path)
        with handle:
            head = handle.read(4096)
    except (NotAFile, OSError):
        return _text(404, i18n.t(lang, "evidence.no_such_file"))
    found = "zip" if head.startswith(b"PK\x03\x04") else sniff(head)
    if found != ("zip" if record.media in _ZIPPED else record.media) or stat.st_size != record.size:
        return _text(409, i18n.t(lang, "evidence.file_changed"))
    headers = {**HEADERS, "Content-Disposition": disposition(record.name), "ETag": f'"{sha}"'}
    return FileResponse(path, media_type=record.media_type, headers=headers, stat_result=stat)


async def endpoint(request: Request) -> Response:
    return await routes.run_in_threadpool(serve, request)


def file_routes() -> list[Route]:
    return [Route(evidence.ROUTE + "{sha}", endpoint, methods=["GET", "HEAD"])]
