"""The benchmarks' raw baseline (bench/raw/) stays honest: for every request bench/compare.py and
bench/results_day.py time, it answers byte for byte what examdesk answers over the same small
database, and writes the same audit events. A change to examdesk's answers fails here, and the
baseline is brought along with it before the numbers are compared again."""

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bench import bench_data
from bench.raw import clock as raw_clock
from bench.raw import documents
from bench.raw.app import RawSettings, create_app
from examdesk.settings import Settings
from models.audit import AuditEvent
from resolvers.core import clock
from tests.helpers.app import AppFactory
from tests.helpers.graphql import SIGN_IN

CANDIDATES = 12
STAFF_REQUESTS = {
    "candidates": (documents.CANDIDATES, {"code": bench_data.CENTRE, "first": 5}),
    "organisationUsers": (
        documents.ORGANISATION_USERS,
        {"organisationCode": bench_data.CENTRE, "first": 4, "after": "b2Zmc2V0OjI="},
    ),
    "me": (documents.ME, {}),
    "__typename": (documents.TYPENAME, {}),
}


@pytest.fixture
async def clients(
    settings: Settings, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """examdesk and the raw endpoint over one seeded database, on one clock."""
    settings = replace(settings, secret_key="bench-baseline-secret-" + "k" * 20)
    await bench_data.seed(settings, CANDIDATES)
    monkeypatch.setattr(raw_clock, "now", clock.now)
    examdesk = await make_app(secret_key=settings.secret_key)
    raw = create_app(RawSettings(settings.database_url, settings.secret_key, settings.session_ttl))
    async with raw.router.lifespan_context(raw), _client(examdesk) as e, _client(raw) as r:
        yield e, r


def _client(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://examdesk.test")


async def _post(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200
    return response.content


async def _results_reads() -> list[tuple[int | None, Any]]:
    events = await AuditEvent.filter(action="results.read").order_by("id")
    return [(e.organisation_id, e.after) for e in events]


async def test_the_raw_endpoint_answers_each_staff_request_as_examdesk_does(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    examdesk, raw = clients
    sign_in = {"input": {"email": bench_data.OFFICER, "password": bench_data.STAFF_PASSWORD}}
    token = await examdesk.post("/graphql", json={"query": SIGN_IN, "variables": sign_in})
    token = token.json()["data"]["signIn"]["token"]
    for name, (query, variables) in STAFF_REQUESTS.items():
        expected = await _post(examdesk, query, variables, token)
        assert b'"errors"' not in expected, name
        assert await _post(raw, query, variables, token) == expected, name
    # The candidates page wrote one "results.read" event each, naming the same rows.
    reads = await _results_reads()
    assert len(reads) == 2
    assert reads[0] == reads[1]
    assert len(reads[0][1]["candidateIds"]) == 5


async def test_the_raw_endpoint_signs_candidates_in_and_shows_results_as_examdesk_does(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    examdesk, raw = clients
    tokens = []
    for http in clients:
        credentials = {
            "username": bench_data.candidate_username(4),
            "password": bench_data.candidate_password(4),
        }
        answer = await http.post(
            "/graphql",
            json={"query": documents.SIGN_IN_CANDIDATE, "variables": {"input": credentials}},
        )
        payload = answer.json()["data"]["signInCandidate"]
        assert payload["errors"] == []
        assert sorted(payload) == ["errors", "expiresAt", "token"]
        tokens.append(payload["token"])
    events = await AuditEvent.filter(action="candidate_session.sign_in").order_by("id")
    assert [e.after for e in events[:1]] == [e.after for e in events[1:]]
    for token in tokens:
        expected = await _post(examdesk, documents.CANDIDATE_RESULTS, {}, token)
        assert b'"grade":' in expected
        assert await _post(raw, documents.CANDIDATE_RESULTS, {}, token) == expected
    wrong = {"input": {"username": bench_data.candidate_username(4), "password": "WRONG"}}
    refused = [await _post(h, documents.SIGN_IN_CANDIDATE, wrong) for h in clients]
    assert refused[0] == refused[1]
