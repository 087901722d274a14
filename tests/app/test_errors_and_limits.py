"""What the client sees when things go wrong, and the limits on what one request may ask
(DESIGN 5 and 6): masked unexpected errors with a request id, depth, aliases and tokens, no
anonymous introspection or field suggestions in production, and a cap on request bodies."""

import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.demo import seed_demo
from examdesk.settings import Mode
from models.users import User
from resolvers.identity import me
from resolvers.identity.passwords import hash_password
from schema.core.extensions.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from schema.root import build_schema
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient

ME = "{ me { user { email } } }"
INTROSPECTION = "{ __schema { queryType { name } } }"
TYPE_INTROSPECTION = '{ __type(name: "Query") { name } }'


def nested_parents(levels: int) -> str:
    """A query `levels` deep: me > grants > organisation > parent > parent > ... > code."""
    inner = "code"
    for _ in range(levels - 3):
        inner = f"parent {{ {inner} }}"
    return f"{{ me {{ grants {{ organisation {{ {inner} }} }} }} }}"


def error_codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


# --- unexpected errors ---------------------------------------------------------------------------


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    demo: Starlette,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = await gql.sign_in("users@aa101.example")

    async def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("connection to db-7.internal refused: password=hunter2")

    monkeypatch.setattr(me, "organisations_for", broken)
    with caplog.at_level(logging.ERROR, logger="examdesk"):
        response = await http.post(
            "/graphql",
            json={"query": "{ me { user { email } organisations { code } } }"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200
    body = response.json()
    [error] = body["errors"]
    request_id = response.headers["x-request-id"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert request_id in error["message"]
    for secret in ("db-7", "hunter2", "RuntimeError", "Traceback"):
        assert secret not in response.text
    assert body["data"] is None
    assert error["path"] == ["me"]

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert request_id in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "hunter2" in caplog.text  # the log keeps what the client must not see


async def test_a_request_id_given_by_the_client_is_used(
    demo: Starlette,
    http: httpx.AsyncClient,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = await gql.sign_in("users@aa101.example")

    async def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("boom")

    monkeypatch.setattr(me, "organisations_for", broken)
    with caplog.at_level(logging.ERROR, logger="examdesk"):
        response = await http.post(
            "/graphql",
            json={"query": ME},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "support-ticket-0042"},
        )
    assert response.headers["x-request-id"] == "support-ticket-0042"
    assert response.json()["errors"][0]["extensions"]["requestId"] == "support-ticket-0042"
    assert "support-ticket-0042" in caplog.records[-1].getMessage()


async def test_expected_errors_are_not_logged_as_incidents(
    demo: Starlette, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="examdesk"):
        body = await gql.post(ME)
        assert error_codes(body) == ["UNAUTHENTICATED"]
        body = await gql.post("{ nope }")
        assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert caplog.records == []


# --- depth, aliases and tokens -------------------------------------------------------------------


async def test_queries_deeper_than_ten_are_refused(demo: Starlette, gql: GraphQLClient) -> None:
    token = await gql.sign_in("eo@as101.example")
    assert MAX_DEPTH == 10
    allowed = await gql.post(nested_parents(MAX_DEPTH), token=token)
    assert "errors" not in allowed, allowed
    refused = await gql.post(nested_parents(MAX_DEPTH + 1), token=token)
    assert "data" not in refused
    assert "exceeds maximum operation depth" in refused["errors"][0]["message"]
    assert error_codes(refused) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_depth_through_fragments_is_counted(demo: Starlette, gql: GraphQLClient) -> None:
    inner = "code"
    for _ in range(MAX_DEPTH):
        inner = f"parent {{ {inner} }}"
    query = (
        f"fragment Deep on Organisation {{ {inner} }} "
        "{ me { grants { organisation { ...Deep } } } }"
    )
    refused = await gql.post(query)
    assert "exceeds maximum operation depth" in refused["errors"][0]["message"]


async def test_more_than_fifteen_aliases_are_refused(demo: Starlette, gql: GraphQLClient) -> None:
    token = await gql.sign_in("users@aa101.example")
    assert MAX_ALIASES == 15

    def aliased(count: int) -> str:
        return "{ " + " ".join(f"a{i}: me {{ user {{ email }} }}" for i in range(count)) + " }"

    allowed = await gql.post(aliased(MAX_ALIASES), token=token)
    assert "errors" not in allowed, allowed
    assert len(allowed["data"]) == MAX_ALIASES
    refused = await gql.post(aliased(MAX_ALIASES + 1), token=token)
    assert "data" not in refused
    assert refused["errors"][0]["message"] == "16 aliases found. Allowed: 15"
    # Aliases hidden in a fragment count too.
    fragment = (
        "fragment F on Query { "
        + " ".join(f"b{i}: __typename" for i in range(MAX_ALIASES))
        + " } { ...F x: __typename }"
    )
    assert "aliases found" in (await gql.post(fragment))["errors"][0]["message"]


async def test_too_many_tokens_are_refused(demo: Starlette, gql: GraphQLClient) -> None:
    query = "{ " + " ".join(["__typename"] * MAX_TOKENS) + " }"
    refused = await gql.post(query)
    assert "data" not in refused
    assert f"more than {MAX_TOKENS} tokens" in refused["errors"][0]["message"]
    assert error_codes(refused) == ["GRAPHQL_VALIDATION_FAILED"]


# --- production mode -----------------------------------------------------------------------------


@pytest.fixture
async def production(make_app: AppFactory) -> AsyncIterator[GraphQLClient]:
    app = await make_app(mode=Mode.PRODUCTION, secret_key="a-production-secret-" + "x" * 24)
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        yield GraphQLClient(http)


async def test_no_anonymous_introspection_in_production(production: GraphQLClient) -> None:
    for query in (INTROSPECTION, TYPE_INTROSPECTION):
        refused = await production.post(query)
        assert "data" not in refused
        assert refused["errors"][0]["message"] == (
            "Introspection is for signed-in board admins only here. Sign in first."
        )
        assert error_codes(refused) == ["UNAUTHENTICATED"]
    # __typename is not introspection of the schema.
    assert (await production.ok("{ __typename }")) == {"__typename": "Query"}


async def test_only_board_admins_may_introspect_in_production(production: GraphQLClient) -> None:
    admin = await production.sign_in("admin@exb.example")
    data = await production.ok(INTROSPECTION, token=admin)
    assert data == {"__schema": {"queryType": {"name": "Query"}}}
    assert (await production.ok(TYPE_INTROSPECTION, token=admin))["__type"]["name"] == "Query"
    # Any other role, however much it may do at its centre, is refused clearly.
    for email in ("users@aa101.example", "eo@aa101.example"):
        token = await production.sign_in(email)
        for query in (INTROSPECTION, TYPE_INTROSPECTION):
            refused = await production.post(query, token=token)
            assert "data" not in refused
            assert refused["errors"][0]["message"] == "Introspection is for board admins only here."
            assert error_codes(refused) == ["FORBIDDEN"]
        assert (await production.ok("{ __typename }", token=token)) == {"__typename": "Query"}


async def test_a_session_midway_through_sign_in_may_not_introspect(
    production: GraphQLClient,
) -> None:
    """A temporary password from an intercepted invitation must not open the schema."""
    admin = await production.sign_in("users@aa101.example")
    await production.ok(
        "mutation($input: InviteUserInput!) { inviteUser(input: $input) { outcome } }",
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Marie",
                "lastName": "Curie",
                "email": "marie.curie@aa101.example",
                "roles": ["SFA_TEACHER"],
            }
        },
        token=admin,
    )
    # The invitation's password is not readable here (no SMTP), so set a known one.
    await User.filter(email="marie.curie@aa101.example").update(
        password_hash=hash_password("Temporary-Pass-2026")
    )
    signed = await production.ok(
        "mutation($input: SignInInput!) { signIn(input: $input) { token stage } }",
        {"input": {"email": "marie.curie@aa101.example", "password": "Temporary-Pass-2026"}},
    )
    assert signed["signIn"]["stage"] == "PASSWORD_CHANGE_REQUIRED"
    refused = await production.post(INTROSPECTION, token=signed["signIn"]["token"])
    assert "data" not in refused
    assert "introspection" in refused["errors"][0]["message"].lower()
    assert error_codes(refused) == ["FORBIDDEN"]


async def test_no_field_suggestions_in_production(production: GraphQLClient) -> None:
    query = "{ mee { user { email } } }"
    # The development schema suggests (validation needs no request context)...
    development = await build_schema(production=False).execute(query)
    assert development.errors
    assert "Did you mean 'me'?" in development.errors[0].message
    refused = await production.post(query)
    assert "data" not in refused
    message = refused["errors"][0]["message"]
    assert "Cannot query field 'mee'" in message
    assert "Did you mean" not in message
    assert "me" not in message.replace("'mee'", "")


async def test_introspection_is_open_in_development(gql: GraphQLClient) -> None:
    assert (await gql.ok(INTROSPECTION))["__schema"]["queryType"]["name"] == "Query"


# --- request bodies ------------------------------------------------------------------------------


async def test_a_body_over_one_megabyte_gets_413(http: httpx.AsyncClient) -> None:
    padding = " " * 1_000_001
    response = await http.post(
        "/graphql",
        content=f'{{"query": "{{ __typename }}{padding}"}}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert len(response.headers["x-request-id"]) >= 8

    # Without a declared length (chunked), the body is counted as it arrives.
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }'
        for _ in range(20):
            yield b" " * 60_000
        yield b'"}'

    response = await http.post(
        "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413

    # Just under the limit is fine.
    under = '{"query": "{ __typename }", "variables": {}}'
    response = await http.post(
        "/graphql",
        content=under + " " * (1_000_000 - len(under)),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_batched_requests_are_refused(http: httpx.AsyncClient) -> None:
    """Batching would multiply every per-request limit above; it is not turned on."""
    response = await http.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400
    assert "batching is not enabled" in response.text.lower()
