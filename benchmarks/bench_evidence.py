"""Evidence files: storing and serving a 10 MB file, and the memory one upload holds.

- storing: ``editing.evidence.attach`` of a 10 MB PDF (checked, hashed, written and
  synced, its record committed with history), against the floor of writing and syncing
  the same bytes once;
- serving: ``GET /files/<sha256>`` in process (Starlette's TestClient), against reading
  the file whole;
- memory: what the Python heap grows by while an upload already in memory (as Streamlit
  holds it) is checked and stored, and while it is served, as a share of the file's size
  (the target: not more than the file once). A photo is decoded to re-encode it without
  its metadata: its figure is the decoded picture, reported beside.

Medians of several runs on a shared machine: read the ratios.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import sys
import tempfile
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from starlette.requests import Request  # noqa: E402

from benchmarks.timing import median_ms  # noqa: E402
from coopplan.data import evidence  # noqa: E402
from coopplan.editing import evidence as attach  # noqa: E402
from coopplan.editing.auth import User  # noqa: E402
from tests.helpers import DATA  # noqa: E402

SIZE = evidence.MAX_BYTES
OMSK = User("omsk1", "omsk")
META = {"kind": "letter", "title": {"ru": "Письмо"}}
REPORT = "2026-Q1/po-001-omsk"


def pdf_of(size: int, seed: int) -> bytes:
    head, tail = b"%PDF-1.4\n% " + str(seed).encode() + b"\n", b"\n%%EOF\n"
    return head + os.urandom(size - len(head) - len(tail)) + tail


def fresh(root: Path) -> Path:
    target = root / "data"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(DATA, target)
    shutil.rmtree(target / "evidence")
    shutil.rmtree(target / "files")
    return target


def heap_growth(work) -> int:
    """The peak the traced heap reaches above where it stood, in bytes, while ``work`` runs."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def main() -> None:
    root = Path(tempfile.mkdtemp())
    os.environ["COOPPLAN_USERS"] = str(root / "users.yaml")
    data_dir = fresh(root)
    os.environ["COOPPLAN_DATA"] = str(data_dir)
    uploads = iter(pdf_of(SIZE, n) for n in range(5))  # five files on one report: under its limit of ten

    def floor_once():
        with open(root / "floor.bin", "wb") as out:
            out.write(pdf_of(SIZE, 0))
            out.flush()
            os.fsync(out.fileno())

    stored = median_ms(lambda: attach.attach(data_dir, REPORT, "scan.pdf", next(uploads), META, OMSK), runs=5)
    floor = median_ms(floor_once, runs=5)
    print(
        f"store a 10 MB PDF: {stored:.0f} ms median; write and sync the bytes alone {floor:.0f} ms (×{stored / floor:.1f})"
    )

    from coopplan.data import loader
    from coopplan.views import snapshot
    from coopplan.web import files, routes

    data_dir = fresh(root)
    snapshot.clear()
    attach.attach(data_dir, REPORT, "scan.pdf", pdf_of(SIZE, 999), META, OMSK)
    (record,) = loader.load(data_dir).evidence
    routes.request_user = lambda request: User("reader", "pavlodar")  # signed in, without a session store
    scope = {"type": "http", "method": "GET", "path": record.url, "headers": [], "query_string": b""}
    scope["path_params"] = {"sha": record.file}

    def serve_once() -> None:
        """The route's work and its response sent to a client that drops each chunk."""
        response = files.serve(Request(scope))

        async def receive():  # the client stays: the response ends the wait
            await asyncio.Event().wait()

        async def send(message):
            pass

        asyncio.run(response(scope, receive, send))

    served = median_ms(serve_once, runs=7)
    reading = median_ms(lambda: evidence.file_path(data_dir, record.file).read_bytes(), runs=7)
    print(
        f"serve it (the /files/<sha256> route, streamed): {served:.0f} ms median; reading the file whole {reading:.0f} ms"
    )
    served_heap = heap_growth(serve_once)

    data_dir = fresh(root)
    upload = pdf_of(SIZE, 12345)
    pdf_heap = heap_growth(lambda: attach.attach(data_dir, REPORT, "scan.pdf", memoryview(upload), META, OMSK))
    print(
        f"memory held storing a 10 MB PDF already in memory: {pdf_heap / 2**20:.1f} MB"
        f" ({pdf_heap / SIZE:.2f} × the file)"
    )
    print(
        f"memory held serving it: {served_heap / 2**20:.1f} MB ({served_heap / SIZE:.2f} × the file: streamed in chunks)"
    )
    from PIL import Image

    photo = io.BytesIO()
    Image.effect_noise((4000, 3000), 25).convert("RGB").save(photo, "JPEG", quality=85)
    data = photo.getvalue()
    data_dir = fresh(root)
    photo_heap = heap_growth(
        lambda: attach.attach(data_dir, REPORT, "photo.jpg", data, {**META, "kind": "photo"}, OMSK)
    )
    print(
        f"memory held storing a {len(data) / 2**20:.1f} MB 12-megapixel photo (decoded to drop its metadata):"
        f" {photo_heap / 2**20:.1f} MB (the decoded picture is 34 MB; Pillow's buffers are outside the traced heap)"
    )
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
