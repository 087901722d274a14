"""/graphql as the GraphQL-over-HTTP spec describes it: the answer's media type follows the
Accept header, application/graphql-response+json tells request errors by status (400, no data),
every refusal is a JSON GraphQL error with a stable code, and nothing is cacheable."""

import httpx
import pytest

from tests.helpers.app import AppFactory

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = {"query": "{ __typename }"}


def refusal(response: httpx.Response, status: int, code: str) -> str:
    """The message of a refusal: a JSON GraphQL error without data."""
    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code, body
    return error["message"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, JSON),
        ("", JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        ("text/html,application/xhtml+xml,*/*;q=0.8", JSON),
        (JSON, JSON),
        ("application/json; charset=utf-8", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.9, {JSON}", JSON),
        (f"{JSON};q=0.1, {GRAPHQL_RESPONSE};q=0.9", GRAPHQL_RESPONSE),
        (f"{JSON};q=0, */*", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=bad, {JSON};q=0.5", JSON),
        ("APPLICATION/GRAPHQL-RESPONSE+JSON", GRAPHQL_RESPONSE),
    ],
)
async def test_the_answer_is_the_json_type_the_client_prefers(
    http: httpx.AsyncClient, accept: str | None, media_type: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = await http.post("/graphql", json=TYPENAME, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.json() == {"data": {"__typename": "Query"}}
    response = await http.get("/graphql", params=TYPENAME, headers=headers)
    assert response.headers["content-type"] == media_type


@pytest.mark.parametrize(
    "accept",
    ["text/html", "application/xml", "nonsense", f"{JSON};q=0, {GRAPHQL_RESPONSE};q=0"],
)
async def test_an_accept_header_allowing_neither_json_type_is_a_406(
    http: httpx.AsyncClient, accept: str
) -> None:
    response = await http.post("/graphql", json=TYPENAME, headers={"Accept": accept})
    assert GRAPHQL_RESPONSE in refusal(response, 406, "NOT_ACCEPTABLE")
    assert response.headers["content-type"] == JSON
    response = await http.get("/graphql", params=TYPENAME, headers={"Accept": accept})
    refusal(response, 406, "NOT_ACCEPTABLE")


REQUEST_ERRORS = [
    pytest.param({"query": "{"}, id="does not parse"),
    pytest.param({"query": "{ noSuchField }"}, id="does not validate"),
    pytest.param(
        {"query": "query Q($name: String!) { __type(name: $name) { name } }"},
        id="a variable is missing",
    ),
    pytest.param(
        {
            "query": "query Q($name: String!) { __type(name: $name) { name } }",
            "variables": {"name": 7},
        },
        id="a variable has the wrong type",
    ),
]


@pytest.mark.parametrize("body", REQUEST_ERRORS)
async def test_a_request_error_is_a_400_without_data_in_the_new_media_type(
    http: httpx.AsyncClient, body: dict[str, object]
) -> None:
    response = await http.post("/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE})
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    refusal(response, 400, "GRAPHQL_VALIDATION_FAILED")


@pytest.mark.parametrize("body", REQUEST_ERRORS)
async def test_a_request_error_is_a_200_without_data_in_application_json(
    http: httpx.AsyncClient, body: dict[str, object]
) -> None:
    response = await http.post("/graphql", json=body, headers={"Accept": JSON})
    assert response.headers["content-type"] == JSON
    refusal(response, 200, "GRAPHQL_VALIDATION_FAILED")


async def test_a_field_error_keeps_its_null_data_and_a_200(http: httpx.AsyncClient) -> None:
    # Execution began, so data is there (null: the field is not nullable) and the status is 2xx.
    for accept in (GRAPHQL_RESPONSE, JSON):
        response = await http.post(
            "/graphql", json={"query": "{ me { user { email } } }"}, headers={"Accept": accept}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["path"] == ["me"]
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


TWO_OPERATIONS = "query First { first: __typename } query Second { second: __typename }"


async def test_a_document_with_several_operations_needs_an_operation_name(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post("/graphql", json={"query": TWO_OPERATIONS})
    assert "operationName" in refusal(response, 400, "OPERATION_NAME_REQUIRED")
    response = await http.post(
        "/graphql", json={"query": TWO_OPERATIONS, "operationName": "Second"}
    )
    assert response.json() == {"data": {"second": "Query"}}
    # An anonymous operation beside another is refused by validation, and runs neither.
    response = await http.post(
        "/graphql", json={"query": "{ __typename } query B { b: __typename }"}
    )
    assert "must be the only defined operation" in refusal(
        response, 200, "GRAPHQL_VALIDATION_FAILED"
    )
    # A fragment beside a single operation is no second operation.
    query = "fragment F on Query { __typename } query Only { ...F }"
    response = await http.post("/graphql", json={"query": query})
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_mutation_beside_a_query_does_not_run_without_its_name(
    http: httpx.AsyncClient,
) -> None:
    query = "query Look { __typename } mutation Leave { signOut { ok } }"
    response = await http.get("/graphql", params={"query": query})
    refusal(response, 400, "OPERATION_NAME_REQUIRED")
    response = await http.get("/graphql", params={"query": query, "operationName": "Leave"})
    assert (
        refusal(response, 405, "METHOD_NOT_ALLOWED") == "mutations are not allowed when using GET"
    )
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "query A { __typename }", "operationName": "B"}, "UNKNOWN_OPERATION_NAME"),
        ({"query": "fragment F on Query { __typename }"}, "BAD_REQUEST"),
        ([TYPENAME], "BATCHING_NOT_SUPPORTED"),
        ({"query": "{ __typename }", "operationName": 7}, "BAD_REQUEST"),
    ],
)
async def test_refusals_carry_their_code_in_the_accepted_media_type(
    http: httpx.AsyncClient, body: object, code: str
) -> None:
    for accept in (GRAPHQL_RESPONSE, JSON):
        response = await http.post("/graphql", json=body, headers={"Accept": accept})
        refusal(response, 400, code)
        assert response.headers["content-type"] == accept


async def test_methods_other_than_get_and_post_are_refused_with_the_allowed_ones(
    http: httpx.AsyncClient,
) -> None:
    # Starlette answers HEAD on a GET route; /graphql does not.
    response = await http.head("/graphql", params=TYPENAME)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    response = await http.delete("/graphql")
    refusal(response, 405, "METHOD_NOT_ALLOWED")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


async def test_an_upload_without_its_headers_is_refused_with_its_own_code(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/graphql",
        data={"operations": '{"query": "{ __typename }"}', "map": "{}"},
        files={"0": ("a.csv", b"x", "text/csv")},
    )
    assert "X-Examdesk-Upload" in refusal(response, 400, "UPLOAD_HEADERS_REQUIRED")


async def test_no_answer_may_be_cached(make_app: AppFactory) -> None:
    app = await make_app(cors_origins=("https://frontend.example",))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        answers = [
            await http.post("/graphql", json=TYPENAME),
            await http.post("/graphql", json=TYPENAME, headers={"Accept": GRAPHQL_RESPONSE}),
            await http.get("/graphql", params=TYPENAME),
            await http.get("/graphql", headers={"Accept": "text/html"}),  # GraphiQL
            await http.post("/graphql", json={"query": "{"}, headers={"Accept": GRAPHQL_RESPONSE}),
            await http.post("/graphql", content="[", headers={"Content-Type": JSON}),
            await http.post("/graphql", content="{}", headers={"Content-Type": "text/plain"}),
            await http.post("/graphql", json=TYPENAME, headers={"Accept": "text/html"}),
            await http.get("/graphql", params={"query": "mutation { signOut { ok } }"}),
            await http.put("/graphql", json=TYPENAME),
            await http.post("/graphql", content=b" " * 1_000_001, headers={"Content-Type": JSON}),
            await http.options(
                "/graphql",
                headers={
                    "Origin": "https://frontend.example",
                    "Access-Control-Request-Method": "POST",
                },
            ),
            await http.get("/healthz"),
            await http.get("/no-such-page"),
            await http.get("/files/no-such-token"),
        ]
    statuses = {response.status_code for response in answers}
    assert {200, 400, 404, 405, 406, 413, 415} <= statuses
    assert [r.headers.get("cache-control") for r in answers] == ["no-store"] * len(answers)
