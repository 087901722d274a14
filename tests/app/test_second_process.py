"""A role change takes effect at once, also in a second server process on the same database.

A deployment runs several app processes on one database (DESIGN.md section 7), so nothing about
a person's roles may be cached in a process: each request reads the grants afresh. Here the
test's own app changes a role, and a real `examdesk serve` process, started as an operator
would, must apply the change to the very next request carrying the person's token.

The second process is started on the test's clock (tests/helpers/processes.py).
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from examdesk.settings import Settings
from models.users import User
from tests.helpers.graphql import GraphQLClient
from tests.helpers.processes import (
    client_of,
    free_port,
    process_env,
    start_server,
    wait_until_healthy,
)

ENTRIES = """query { entries(centreCode: "AA101", seriesCode: "2026-JUN") { totalCount } }"""
UPDATE_ROLES = """mutation($input: UpdateUserRolesInput!) { updateUserRoles(input: $input) {
  organisationUser { roles } errors { code } } }"""


@pytest.fixture
async def second_server(
    demo, settings: Settings, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """`examdesk serve` on a free port and the test's database.

    Started after `demo`, so the test's app has created the schema and seeded the data first.
    """
    port = free_port()
    server = start_server(port, process_env(settings), tmp_path / "second-server.log")
    try:
        async with client_of(port) as client:
            await wait_until_healthy(client, server)
            yield client
    finally:
        server.stop()


async def post(
    client: httpx.AsyncClient, query: str, token: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def forbidden(body: dict[str, Any]) -> bool:
    return [e["extensions"]["code"] for e in body.get("errors") or []] == ["FORBIDDEN"]


async def test_a_role_change_takes_effect_at_once_in_a_second_process(
    second_server: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    manager = await gql.sign_in("users@aa101.example")
    # Signed in through the test's app; the session is in the shared database.
    slt = await gql.sign_in("slt@aa101.example")
    slt_id = to_base64("User", (await User.get(email="slt@aa101.example")).id)

    async def set_roles(roles: list[str]) -> None:
        data = await gql.ok(
            UPDATE_ROLES,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": slt_id,
                    "roles": roles,
                }
            },
            token=manager,
        )
        assert data["updateUserRoles"] == {"organisationUser": {"roles": roles}, "errors": []}

    # Senior leadership reads the centre's entries, in the second process too.
    body = await post(second_server, ENTRIES, slt)
    assert not body.get("errors"), body
    assert body["data"]["entries"]["totalCount"] > 0

    await set_roles([])
    assert forbidden(await post(second_server, ENTRIES, slt))

    await set_roles(["SLT"])
    body = await post(second_server, ENTRIES, slt)
    assert not body.get("errors"), body
    assert body["data"]["entries"]["totalCount"] > 0
