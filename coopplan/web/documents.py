"""The document links' work kept apart from the rest of the server: documents
(``/export/plan.*``, ``/calendar.ics``) are built in a small pool of their own, at most
``PER_CLIENT`` at a time for one client and ``WAITING`` for all, and each is built once per change of the data
(a cache keyed by the data's version, the filters, the language and whether the reader
sees account names).

Before, every document request ran about 0.3 s of work in the thread pool that every
route and Streamlit's static files share, with no bound and no cache: 80 requests at
once held the pages for a minute.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import anyio
import anyio.to_thread

WORKERS = 2  # documents built at once, whoever asks
PER_CLIENT = 4  # documents one client (address, IPv6 /64) may be waiting for at once
# document requests on their way at once, all clients together: even reading a request's
# filters takes the processor from the pages, so a burst of many clients is cut short too
WAITING = 8
RETRY_AFTER = 5  # seconds: what a client beyond its bound is told to wait
CACHED = 32  # documents kept
CACHED_BYTES = 64 * 1024 * 1024

_lock = threading.Lock()
_waiting: dict[str, int] = {}  # client -> requests not yet answered
_cache: OrderedDict[Hashable, tuple[object, bytes]] = OrderedDict()  # key -> (the dataset it came from, bytes)
_building: dict[Hashable, anyio.Lock] = {}
_pool: list[anyio.CapacityLimiter] = []
builds = 0  # documents built since the start (tests and benchmarks count them)


class Busy(Exception):
    """The client has ``PER_CLIENT`` documents on their way already, or the server ``WAITING``."""


def _limiter() -> anyio.CapacityLimiter:
    if not _pool:  # made in the server's event loop, on first use
        _pool.append(anyio.CapacityLimiter(WORKERS))
    return _pool[0]


def enter(client: str) -> None:
    """Count a request of ``client``; Busy when it has ``PER_CLIENT`` on their way, or
    all clients together ``WAITING``."""
    with _lock:
        if _waiting.get(client, 0) >= PER_CLIENT or sum(_waiting.values()) >= WAITING:
            raise Busy
        _waiting[client] = _waiting.get(client, 0) + 1


def leave(client: str) -> None:
    with _lock:
        left = _waiting.get(client, 0) - 1
        if left > 0:
            _waiting[client] = left
        else:
            _waiting.pop(client, None)


def _cached(key: Hashable) -> bytes | None:
    with _lock:
        hit = _cache.get(key)
        if hit is None:
            return None
        _cache.move_to_end(key)
        return hit[1]


def _keep(key: Hashable, dataset: object, data: bytes) -> None:
    with _lock:
        for old in [k for k, (kept, _) in _cache.items() if kept is not dataset]:
            del _cache[old]  # documents of an older version of the data: nobody gets them again
        _cache[key] = (dataset, data)
        while len(_cache) > CACHED or sum(len(d) for _, d in _cache.values()) > CACHED_BYTES:
            _cache.popitem(last=False)


async def built(dataset: object, key: Hashable, build: Callable[[], bytes]) -> bytes:
    """The document of ``key`` made from ``dataset``: from the cache, else built by
    ``build`` in the documents' pool; requests for the same document while it is being
    built wait for that one build. ``dataset`` is part of the key: a new load of the data
    (any change of its files) is a new version."""
    global builds
    key = (id(dataset), key)  # the entry holds the dataset, so its id is not reused meanwhile
    data = _cached(key)
    if data is not None:
        return data
    lock = _building.setdefault(key, anyio.Lock())
    try:
        async with lock:
            data = _cached(key)
            if data is None:
                data = await anyio.to_thread.run_sync(build, limiter=_limiter())
                builds += 1
                _keep(key, dataset, data)
    finally:
        if not lock.locked() and lock.statistics().tasks_waiting == 0:
            _building.pop(key, None)
    return data


def clear() -> None:
    """Forget the cache, the counts and the pool (tests, each in an event loop of its own)."""
    global builds
    with _lock:
        _cache.clear()
        _waiting.clear()
    _building.clear()
    _pool.clear()
    builds = 0
