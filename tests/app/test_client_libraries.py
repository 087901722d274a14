"""What GraphQL client libraries send and expect on the wire: Apollo Client's own headers pass
the CORS preflight, and large GraphQL answers come gzip-compressed to clients that accept it
(downloads and pages keep their Content-Length)."""

import httpx

from tests.helpers.app import AppFactory

ORIGIN = "https://frontend.example"


async def test_a_preflight_admits_the_client_librarys_headers(make_app: AppFactory) -> None:
    app = await make_app(cors_origins=(ORIGIN,))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        response = await http.options(
            "/graphql",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, "
                "apollo-require-preflight, x-apollo-operation-name, "
                "apollographql-client-name, apollographql-client-version",
            },
        )
        refused = await http.options(
            "/graphql",
            headers={
                "Origin": "https://elsewhere.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "apollo-require-preflight",
            },
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    allowed = {
        h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")
    }
    assert {
        "apollo-require-preflight",
        "x-apollo-operation-name",
        "apollographql-client-name",
        "apollographql-client-version",
    } <= allowed
    assert refused.status_code == 400


async def test_large_answers_are_compressed_for_clients_that_accept_gzip(
    make_app: AppFactory,
) -> None:
    app = await make_app()
    transport = httpx.ASGITransport(app=app)
    # Development mode: the schema may be introspected by anyone, a large answer.
    query = {"query": "{ __schema { types { name description } } }"}
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        large = await http.post("/graphql", json=query, headers={"Accept-Encoding": "gzip"})
        small = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Accept-Encoding": "gzip"}
        )
    assert large.headers["content-encoding"] == "gzip"
    # httpx undid the compression, as any client does.
    assert "__schema" in large.json()["data"]
    # Small answers are not worth compressing.
    assert "content-encoding" not in small.headers
    assert small.json() == {"data": {"__typename": "Query"}}


async def test_downloads_keep_their_length(make_app: AppFactory) -> None:
    app = await make_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        # Any path but /graphql: a page big enough to be worth compressing if it were.
        page = await http.get("/", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in page.headers
    assert int(page.headers["content-length"]) == len(page.content)
