"""A flood of document requests is built once per change of the data, in a pool of its
own, and one client beyond its bound is told to come back later, while the API and the
pages' other routes go on answering (issue 30, item 2)."""

from __future__ import annotations

import threading

import anyio
import httpx2 as httpx
import pytest
from starlette.applications import Starlette

from coopplan import i18n
from coopplan.web import documents, routes, server
from tests.helpers import change

FLOOD = 80


@pytest.fixture(autouse=True)
def _fresh_documents():
    documents.clear()
    yield
    documents.clear()


def app():
    return Starlette(routes=routes.routes(), middleware=server.options()["middleware"])


async def flood(paths: list[str], client: str = "198.51.100.7") -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app(), client=(client, 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answers: list[httpx.Response] = []

        async def one(path: str) -> None:
            answers.append(await http.get(path))

        async with anyio.create_task_group() as tasks:
            for path in paths:
                tasks.start_soon(one, path)
        return answers


def test_eighty_requests_for_one_document_build_it_once_and_the_ones_past_a_clients_bound_get_429(data_dir):
    answers = anyio.run(flood, ["/export/plan.docx?lang=ru"] * FLOOD)
    served = [a for a in answers if a.status_code == 200]
    refused = [a for a in answers if a.status_code == 429]
    assert len(served) + len(refused) == FLOOD and 1 <= len(served) <= documents.PER_CLIENT
    assert documents.builds == 1 and len({a.content for a in served}) == 1
    assert all(a.headers["retry-after"] == str(documents.RETRY_AFTER) for a in refused)
    assert refused[0].text.strip() == i18n.t("ru", "export.busy", seconds=documents.RETRY_AFTER)


def test_the_same_document_is_built_again_only_when_the_data_changes_or_the_filters_or_language_differ(data_dir):
    for path in ("/export/plan.xlsx?lang=ru", "/export/plan.xlsx?lang=ru", "/export/plan.xlsx?lang=kk"):
        [answer] = anyio.run(flood, [path])
        assert answer.status_code == 200
    assert documents.builds == 2
    anyio.run(flood, ["/export/plan.xlsx?lang=ru&area=tourism"])
    assert documents.builds == 3
    change(data_dir, "po-002", tags=["flood"])
    [answer] = anyio.run(flood, ["/export/plan.xlsx?lang=ru"])
    assert answer.status_code == 200 and documents.builds == 4
    assert len(documents._cache) == 1  # the older version's documents are dropped, not kept alive


def test_a_visitor_and_a_signed_in_reader_never_share_a_document(data_dir):
    from coopplan.editing import sessions
    from tests.helpers import ADMIN, session_of

    async def both():
        transport = httpx.ASGITransport(app=app(), client=("198.51.100.7", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            public = await http.get("/export/plan.csv")
            http.cookies.set(sessions.COOKIE, session_of(ADMIN))
            return public, await http.get("/export/plan.csv")

    public, signed_in = anyio.run(both)
    assert documents.builds == 2 and public.content != signed_in.content


def test_documents_are_built_no_more_than_the_pools_size_at_once_and_the_api_answers_meanwhile(data_dir, monkeypatch):
    from coopplan.exchange import exports

    release, running, most = threading.Event(), [0], [0]
    lock = threading.Lock()
    real = exports.export

    def slow(*args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(20)
        with lock:
            running[0] -= 1
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "export", slow)

    async def scenario():
        transport = httpx.ASGITransport(app=app(), client=("127.0.0.1", 5000))  # a proxy on this host
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            results: dict[str, int] = {}

            async def document(n: int) -> None:  # eight clients, each another document
                headers = {"x-forwarded-for": f"203.0.113.{n}"}
                answer = await http.get(f"/export/plan.csv?q=x{n}", headers=headers)
                results[f"doc{n}"] = answer.status_code

            async with anyio.create_task_group() as tasks:
                for n in range(8):
                    tasks.start_soon(document, n)
                await anyio.sleep(0.5)
                api = await http.get("/api/v1/actions?lang=en")  # while every builder is held
                results["api"] = api.status_code
                results["builders_busy_during_api"] = most[0]
                release.set()
            return results

    results = anyio.run(scenario)
    assert results["api"] == 200 and results["builders_busy_during_api"] == documents.WORKERS
    assert most[0] == documents.WORKERS
    assert all(results[f"doc{n}"] == 200 for n in range(8))


def test_a_burst_from_many_clients_is_cut_short_at_the_servers_bound(data_dir, monkeypatch):
    from coopplan.exchange import exports

    release = threading.Event()
    real = exports.export
    monkeypatch.setattr(exports, "export", lambda *a, **k: release.wait(20) and real(*a, **k))

    async def burst():
        transport = httpx.ASGITransport(app=app(), client=("127.0.0.1", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            statuses: list[int] = []

            async def one(n: int) -> None:
                headers = {"x-forwarded-for": f"203.0.113.{n}"}
                statuses.append((await http.get(f"/export/plan.csv?q=b{n}", headers=headers)).status_code)

            async with anyio.create_task_group() as tasks:
                for n in range(FLOOD):
                    tasks.start_soon(one, n)
                await anyio.sleep(0.5)
                release.set()
            return statuses

    statuses = anyio.run(burst)
    assert statuses.count(200) == documents.WAITING and statuses.count(429) == FLOOD - documents.WAITING
