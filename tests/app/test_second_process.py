"""A role change takes effect at once, also in a second server process on the same database.

A deployment runs several app processes on one database (DESIGN.md section 7), so nothing about
a person's roles may be cached in a process: each request reads the grants afresh. Here the
test's own app changes a role, and a real `examdesk serve` process, started as an operator
would, must apply the change to the very next request carrying the person's token.

The suite runs on a fixed day (tests/conftest.py), so the second process is started on the
test's clock: otherwise it would read the calendar and find every session the test made on
that day long expired.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry.relay import to_base64

from examdesk.settings import Settings
from models.users import User
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

ENTRIES = """query { entries(centreCode: "AA101", seriesCode: "2026-JUN") { totalCount } }"""
UPDATE_ROLES = """mutation($input: UpdateUserRolesInput!) { updateUserRoles(input: $input) {
  organisationUser { roles } errors { code } } }"""


# `examdesk serve`, with the process's clock first moved by the test clock's offset from the
# real one (in seconds), so that both processes agree on what time it is.
SERVE_ON_TEST_CLOCK = """
import sys
from datetime import timedelta
from resolvers.core import clock
from examdesk.cli import main
clock.advance(timedelta(seconds=float(sys.argv[1])))
main(sys.argv[2:])
"""


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    offset = (clock.now() - datetime.now(UTC)).total_seconds()
    with log.open("wb") as output:
        # The log goes to a file, not a pipe nobody reads, which could fill and block it.
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                SERVE_ON_TEST_CLOCK,
                repr(offset),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def read_log(log: Path) -> str:
    return log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down gracefully, closing the database), then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def wait_until_healthy(
    client: httpx.AsyncClient, process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the second server exited with {process.returncode}:\n{read_log(log)}")
        try:
            response = await client.get("/healthz")
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        await asyncio.sleep(0.1)
    pytest.fail(f"the second server was not healthy within {START_TIMEOUT}s:\n{read_log(log)}")


@pytest.fixture
async def second_server(
    demo, settings: Settings, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """`python -m examdesk.cli serve` on a free port and the test's database.

    Started after `demo`, so the test's app has created the schema and seeded the data first.
    """
    port = free_port()
    env = {
        **os.environ,
        "EXAMDESK_DATABASE_URL": settings.database_url,
        "EXAMDESK_FAST_PASSWORD_HASHING": "1",
        # Session tokens are stored keyed-hashed: both processes need the same key.
        "EXAMDESK_SECRET_KEY": settings.secret_key,
        "EXAMDESK_MODE": "development",
    }
    env.pop("EXAMDESK_SMTP_URL", None)
    log = tmp_path / "second-server.log"
    process = start_server(port, env, log)
    try:
        # trust_env=False: a proxy configured in the environment must not catch loopback calls.
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=10.0
        ) as client:
            await wait_until_healthy(client, process, log)
            yield client
    finally:
        stop(process)


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
