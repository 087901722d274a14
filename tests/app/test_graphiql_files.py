"""GraphiQL's page and files come from this server: every script and stylesheet on the page is
served under /graphiql/static with the integrity hash of the bytes served, cached for a year,
and is the npm release it claims to be; nothing is loaded from elsewhere. The files are served
only where GraphiQL is. (tests/app/test_browser_csp.py runs the page in a browser.)"""

import base64
import gzip
import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.settings import Mode
from tests.helpers.app import AppFactory

HTML = {"Accept": "text/html"}
PRODUCTION = {"mode": Mode.PRODUCTION, "secret_key": "a-production-secret-" + "x" * 24}
# The SHA-256 of each file as npm published it (graphiql@2.4.7, react@17.0.2, react-dom@17.0.2,
# @graphiql/plugin-explorer@0.1.15): the Python package must ship those releases, not anything
# else under their names. It adds a final newline to graphiql's two files.
NPM_RELEASES = {
    "graphiql.min.css": "3ac6ccf8b4077271478b4887ec050ab9e66f0dc101a32ff3e2127b8f1d5ca6c3",
    "graphiql-plugin-explorer.css": (
        "7c0d0b3d496e90c351e8be123d2785a834d86aff107568d0da7af9e7d6659f55"
    ),
    "react.production.min.js": "229bbf4d0e7488209564152c6723497f1ac3934136ca1684233d2fa88fa4146f",
    "react-dom.production.min.js": (
        "9db33292007ab6c38527b39d5663e976a305564e19b2a5a8713ea2b2c00f505d"
    ),
    "graphiql.min.js": "9ff2ca6842eea42d47fcf53a8e8cfec9b7912474f6c4275e904b7a39830e3995",
    "graphiql-plugin-explorer.umd.js": (
        "de152e8415dd5e57c28fa45378490916d121fe4506f9308301216914f2ebcef1"
    ),
}
OWN_FILES = {"examdesk-graphiql.css", "examdesk-graphiql.js"}


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        yield http


def page_files(html: str) -> list[tuple[str, str]]:
    """(URL, integrity) of every <script> and <link> on the page, in order."""
    tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
    found = []
    for tag in tags:
        [url] = re.findall(r'(?:src|href)="([^"]*)"', tag)
        [integrity] = re.findall(r'integrity="([^"]*)"', tag)
        found.append((url, integrity))
    assert len(found) == len(tags)
    return found


def served_name(url: str) -> str:
    match = re.fullmatch(r"/graphiql/static/([a-z.-]+)\?v=[0-9a-f]{16}", url)
    assert match, url
    return match[1]


async def test_every_file_on_the_page_is_served_here_with_its_hash(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/graphql", headers=HTML)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    # No CDN, and no other origin at all.
    assert "unpkg" not in page.text
    assert "//" not in re.sub(r"<!--.*?-->", "", page.text, flags=re.S)
    files = page_files(page.text)
    names = [served_name(url) for url, _ in files]
    assert set(names) == set(NPM_RELEASES) | OWN_FILES
    # React before GraphiQL, GraphiQL before its plugin, the page's own script last.
    assert names.index("react.production.min.js") < names.index("graphiql.min.js")
    assert names.index("graphiql.min.js") < names.index("graphiql-plugin-explorer.umd.js")
    assert names[-1] == "examdesk-graphiql.js"
    for url, integrity in files:
        response = await client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert integrity == f"sha384-{digest}"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        kind = "text/css" if url.split("?")[0].endswith(".css") else "text/javascript"
        assert response.headers["content-type"] == f"{kind}; charset=utf-8"
        assert "content-encoding" not in response.headers


async def test_graphiqls_files_are_the_npm_releases(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers=HTML)
    for url, _ in page_files(page.text):
        name = served_name(url)
        if name in OWN_FILES:
            continue
        body = (await client.get(url)).content
        assert NPM_RELEASES[name] in {
            hashlib.sha256(body).hexdigest(),
            hashlib.sha256(body.removesuffix(b"\n")).hexdigest(),
        }, name


async def test_a_browser_that_accepts_gzip_gets_it(client: httpx.AsyncClient) -> None:
    plain = await client.get("/graphiql/static/graphiql.min.js", headers={"Accept-Encoding": ""})
    raw = await client.send(
        client.build_request(
            "GET", "/graphiql/static/graphiql.min.js", headers={"Accept-Encoding": "br, gzip"}
        ),
        stream=True,
    )
    compressed = b"".join([chunk async for chunk in raw.aiter_raw()])
    await raw.aclose()
    assert raw.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in raw.headers["vary"]
    assert gzip.decompress(compressed) == plain.content
    assert len(compressed) < len(plain.content) / 2


async def test_an_unknown_file_is_not_found(client: httpx.AsyncClient) -> None:
    for path in ("/graphiql/static/nothing.js", "/graphiql/static/..%2Fgraphiql.py"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_the_files_are_served_only_where_graphiql_is(make_app: AppFactory) -> None:
    for overrides, status in (
        (PRODUCTION, 404),
        ({**PRODUCTION, "graphiql": True}, 200),
        ({"graphiql": False}, 404),
    ):
        app = await make_app(**overrides)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://examdesk.test") as http:
            response = await http.get("/graphiql/static/examdesk-graphiql.js")
            assert response.status_code == status, overrides
