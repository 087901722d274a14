"""The server answers: health, GraphiQL for a browser, GraphQL over POST and GET."""

from tests.helpers.graphql import GraphQLClient


async def test_health(http) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_graphiql_for_a_browser(http) -> None:
    response = await http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_query_over_get_and_post(demo, http, gql: GraphQLClient) -> None:
    token = await gql.sign_in("users@aa101.example")
    response = await http.get(
        "/graphql",
        params={"query": "{ me { user { email } } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.json()["data"]["me"]["user"]["email"] == "users@aa101.example"
    data = await gql.ok("{ me { user { email } } }", token=token)
    assert data["me"]["user"]["email"] == "users@aa101.example"


async def test_no_mutations_over_get(demo, http) -> None:
    response = await http.get("/graphql", params={"query": "mutation { signOut { ok } }"})
    # GraphQL-over-HTTP: 405 Method Not Allowed, and the method that is.
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    [error] = response.json()["errors"]
    assert "mutations are not allowed" in error["message"]
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_every_response_has_a_request_id(http) -> None:
    response = await http.get("/healthz")
    assert len(response.headers["x-request-id"]) >= 8
