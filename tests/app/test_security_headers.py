"""Safe defaults on the wire: security headers on every response, a Content-Security-Policy that
fits each page, HSTS in production, and GraphiQL off in production unless EXAMDESK_GRAPHIQL=1.
(tests/app/test_browser_csp.py checks in a real browser that the pages still work under them.)"""

import base64
import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from examdesk import health
from examdesk.settings import Mode, Settings, SettingsError
from tests.helpers.app import AppFactory

PRODUCTION = {"mode": Mode.PRODUCTION, "secret_key": "a-production-secret-" + "x" * 24}
NOTHING_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HTML = {"Accept": "text/html"}


def assert_safe(response: httpx.Response, csp: str | None = NOTHING_CSP) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    if csp is not None:
        assert headers["content-security-policy"] == csp
    assert len(headers["x-request-id"]) >= 8


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        yield http


async def test_every_kind_of_response_carries_the_headers(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    responses = [
        await client.post("/graphql", json={"query": "{ __typename }"}),
        await client.post("/graphql", content="42", headers={"Content-Type": "application/json"}),
        await client.get("/healthz"),
        await client.get("/no-such-page"),
        await client.put("/graphql"),
        await client.post(
            "/graphql", content=b" " * 1_000_001, headers={"Content-Type": "application/json"}
        ),
        await client.get("/files/not-a-token"),
    ]
    assert [r.status_code for r in responses] == [200, 400, 200, 404, 405, 413, 404]
    for response in responses:
        assert_safe(response)
    # No HSTS outside production: development is plain HTTP on localhost.
    assert "strict-transport-security" not in responses[0].headers

    # A failure outside GraphQL: a JSON 500 with the request id, and the headers, not the
    # server's bare "Internal Server Error".
    async def broken() -> bool:
        raise RuntimeError("boom")

    monkeypatch.setattr(health, "database_reachable", broken)
    response = await client.get("/healthz")
    assert response.status_code == 500
    assert_safe(response)
    [error] = response.json()["errors"]
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
    assert "boom" not in response.text


async def test_production_adds_hsts(make_app: AppFactory) -> None:
    app = await make_app(**PRODUCTION)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://examdesk.test") as http:
        for response in (await http.get("/healthz"), await http.get("/nowhere")):
            assert_safe(response)
            assert response.headers["strict-transport-security"] == (
                "max-age=31536000; includeSubDomains"
            )


async def test_the_graphiql_page_runs_only_its_own_script(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphql", headers=HTML)
    assert first.status_code == 200
    assert "graphiql" in first.text.lower()
    csp = first.headers["content-security-policy"]
    assert_safe(first, csp=None)
    [nonce] = re.findall(r"'nonce-([A-Za-z0-9_-]{20,})'", csp)
    scripts = re.findall(r"<script\b[^>]*>", first.text)
    assert len(scripts) >= 2
    assert all(f'nonce="{nonce}"' in tag and "integrity=" in tag for tag in scripts)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    # Only the page's own scripts, from this server (tests/app/test_graphiql_files.py).
    assert directives["script-src"] == f"'nonce-{nonce}'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["connect-src"] == "'self'"
    assert directives["form-action"] == "'none'"
    assert "unsafe" not in csp
    # Every page gets its own nonce.
    second = await client.get("/graphql", headers=HTML)
    assert nonce not in second.headers["content-security-policy"]


async def test_the_server_rendered_pages_allow_their_own_style_and_form_only(
    client: httpx.AsyncClient,
) -> None:
    # The account pages, and the candidates' results page at the root.
    for path in ("/reset-password?token=abc", "/activate?token=abc", "/activate", "/"):
        response = await client.get(path)
        assert_safe(response, csp=None)
        [style] = re.findall(r"<style>(.*?)</style>", response.text)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert response.headers["content-security-policy"] == (
            f"default-src 'none'; style-src 'sha256-{digest}'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        )
        assert "<script" not in response.text
        assert response.headers["cache-control"] == "no-store"


async def test_graphiql_is_off_in_production(make_app: AppFactory) -> None:
    app = await make_app(**PRODUCTION)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://examdesk.test") as http:
        response = await http.get("/graphql", headers=HTML)
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "graphiql" not in response.text.lower()
        assert_safe(response)
        # The API itself still answers over GET and POST.
        response = await http.get("/graphql", params={"query": "{ __typename }"})
        assert response.json() == {"data": {"__typename": "Query"}}


async def test_graphiql_may_be_turned_on_in_production(make_app: AppFactory) -> None:
    app = await make_app(**PRODUCTION, graphiql=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://examdesk.test") as http:
        response = await http.get("/graphql", headers=HTML)
        assert response.status_code == 200
        assert "graphiql" in response.text.lower()
        assert "'nonce-" in response.headers["content-security-policy"]


def test_the_graphiql_setting() -> None:
    secret = {"EXAMDESK_SECRET_KEY": "s" * 32}
    assert Settings.from_env({}).graphiql_enabled
    assert not Settings.from_env({"EXAMDESK_GRAPHIQL": "0"}).graphiql_enabled
    production = {**secret, "EXAMDESK_MODE": "production"}
    assert not Settings.from_env(production).graphiql_enabled
    assert Settings.from_env({**production, "EXAMDESK_GRAPHIQL": "1"}).graphiql_enabled
    with pytest.raises(SettingsError, match="EXAMDESK_GRAPHIQL"):
        Settings.from_env({"EXAMDESK_GRAPHIQL": "yes"})
