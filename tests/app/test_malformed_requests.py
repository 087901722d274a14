"""Requests that are not well-formed GraphQL-over-HTTP requests get a 4xx JSON error, never a
500: the spec's status codes (400 for a body the server cannot interpret, 415 for a content type
it does not read), with the error shaped as a GraphQL response without data."""

import json

import httpx
import pytest

from tests.helpers.graphql import GraphQLClient

JSON = {"Content-Type": "application/json"}


def request_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    return error["message"]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("42", "a number"),
        ("-1.5", "a number"),
        ('"{ __typename }"', "a string"),
        ("null", "null"),
        ("true", "a boolean"),
    ],
)
async def test_a_json_body_that_is_not_an_object_is_a_400(
    http: httpx.AsyncClient, body: str, kind: str
) -> None:
    response = await http.post("/graphql", content=body, headers=JSON)
    message = request_error(response, 400, "BAD_REQUEST")
    assert message.endswith(f"got {kind}.")
    assert "JSON object" in message


@pytest.mark.parametrize("body", ["{", "NONSENSE", '{"query":', "\xff\xfe"])
async def test_invalid_json_is_a_400(http: httpx.AsyncClient, body: str) -> None:
    response = await http.post("/graphql", content=body.encode("latin-1"), headers=JSON)
    assert "parse" in request_error(response, 400, "BAD_REQUEST")


async def test_a_body_that_is_not_utf8_is_a_400(http: httpx.AsyncClient) -> None:
    body = b'{"query": "{ seriesByCode(code: \\"\xff\\") { code } }"}'
    response = await http.post("/graphql", content=body, headers=JSON)
    assert "UTF-8" in request_error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ([], "BATCHING_NOT_SUPPORTED"),
        ([{"query": "{ __typename }"}], "BATCHING_NOT_SUPPORTED"),
        ({}, "BAD_REQUEST"),
        ({"qeury": "{ __typename }"}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "variables": [7]}, "BAD_REQUEST"),
        ({"query": 42}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "operationName": 5}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "operationName": ["Q"]}, "BAD_REQUEST"),
        ({"query": "{ __typename }", "extensions": "x"}, "BAD_REQUEST"),
    ],
)
async def test_a_json_object_that_is_no_graphql_request_is_a_400(
    http: httpx.AsyncClient, body: object, code: str
) -> None:
    response = await http.post("/graphql", content=json.dumps(body), headers=JSON)
    request_error(response, 400, code)


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
async def test_another_content_type_is_a_415(
    http: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await http.post("/graphql", content='{"query": "{ __typename }"}', headers=headers)
    assert "application/json" in request_error(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    # JSON, with or without its charset, is read.
    for json_type in ("application/json", "application/json; charset=utf-8"):
        response = await http.post(
            "/graphql", content='{"query": "{ __typename }"}', headers={"Content-Type": json_type}
        )
        assert response.json() == {"data": {"__typename": "Query"}}
    # A document that does not parse is a GraphQL error in a 200, as the spec says.
    response = await http.post("/graphql", json={"query": "{"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_variables_over_get_that_are_not_an_object_are_a_400(
    http: httpx.AsyncClient,
) -> None:
    for variables in ("5", "null", "[1]", "{"):
        response = await http.get(
            "/graphql", params={"query": "{ __typename }", "variables": variables}
        )
        request_error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("operations", "files_map"),
    [
        ("42", "{}"),
        ('{"query": "{ __typename }"}', "[1]"),
        ('{"query": "{ __typename }"}', '{"0": 5}'),
        ('{"query": "{ __typename }"}', '{"0": ["variables.file.x.y"]}'),
    ],
)
async def test_a_multipart_request_whose_parts_do_not_fit_is_a_400(
    demo: object, gql: GraphQLClient, operations: str, files_map: str
) -> None:
    token = await gql.sign_in("eo@aa101.example")
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": files_map},
        files={"0": ("a.csv", b"x", "text/csv")},
        headers={"Authorization": f"Bearer {token}", "X-Examdesk-Upload": "1"},
    )
    request_error(response, 400, "INVALID_UPLOAD")


async def test_refusals_before_graphql_are_json_too(http: httpx.AsyncClient) -> None:
    response = await http.put("/graphql", json={"query": "{ __typename }"})
    request_error(response, 405, "METHOD_NOT_ALLOWED")
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    request_error(await http.get("/no-such-page"), 404, "NOT_FOUND")
    response = await http.post(
        "/graphql", content=b" " * 1_000_001, headers={"Content-Type": "application/json"}
    )
    assert "1,000,000 bytes" in request_error(response, 413, "REQUEST_TOO_LARGE")
