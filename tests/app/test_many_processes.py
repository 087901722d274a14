"""Many processes, one database: two `examdesk serve --no-worker` and one `examdesk worker`, as
a deployment runs them behind a load balancer.

Whatever must be shared is in the database, so what one process does holds in the others at
once: a role changed through one server is applied by the other to the very next request; a
sign-in throttle tripped through one refuses the sign-in through the other; a file uploaded
through one is run by the worker (the servers run no jobs, nor does the test's own app) and its
progress is followed through the other. All three processes are real, started as an operator
would (tests/helpers/processes.py), on PostgreSQL (or the suite's SQLite file).
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from strawberry.relay import from_base64, to_base64

from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.users import User
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient
from tests.helpers.processes import (
    Examdesk,
    client_of,
    free_port,
    process_env,
    start_examdesk,
    start_server,
    wait_for_output,
    wait_until_healthy,
)

# The checks, once the processes are up: well under a minute even on a busy machine.
CHECKS_TIMEOUT = 60

ENTRIES = """query { entries(centreCode: "AA101", seriesCode: "2026-JUN") { totalCount } }"""
UPDATE_ROLES = """mutation($input: UpdateUserRolesInput!) { updateUserRoles(input: $input) {
  organisationUser { roles } errors { code } } }"""
SIGN_IN = """mutation($input: SignInInput!) { signIn(input: $input) {
  token errors { code } } }"""
UPLOAD_USERS = """mutation($input: UploadUsersInput!) { uploadUsers(input: $input) {
  rowsRead rowsWithErrors job { id } errors { code message } } }"""
STAFF_FILE = (
    "first_name,last_name,email,password,role\n"
    + "".join(
        f"Ola,Nowak{i},ola.nowak{i}@aa101.example,Harbour-{i:05d}-Light,INV\n" for i in range(3)
    )
).encode()


@dataclass
class Deployment:
    first: GraphQLClient
    second: GraphQLClient
    servers: list[Examdesk]
    worker: Examdesk


@pytest.fixture
async def deployment(
    make_app: AppFactory, settings: Settings, tmp_path: Path
) -> AsyncIterator[Deployment]:
    # The test's own app (which made the schema and seeds the demo) runs no jobs either.
    await make_app(run_worker=False)
    await seed_demo()
    env = process_env(settings)
    ports = [free_port(), free_port()]
    servers = [
        start_server(port, env, tmp_path / f"server-{port}.log", "--no-worker") for port in ports
    ]
    worker = start_examdesk(["worker"], env, tmp_path / "worker.log")
    try:
        async with client_of(ports[0]) as first, client_of(ports[1]) as second:
            await asyncio.gather(
                wait_until_healthy(first, servers[0]),
                wait_until_healthy(second, servers[1]),
                wait_for_output(worker, "examdesk worker started"),
            )
            yield Deployment(GraphQLClient(first), GraphQLClient(second), servers, worker)
    finally:
        for process in [*servers, worker]:
            process.stop()


def codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors") or []]


async def role_change_holds_at_once(deployment: Deployment) -> None:
    manager = await deployment.first.sign_in("users@aa101.example")
    slt = await deployment.second.sign_in("slt@aa101.example")
    slt_id = to_base64("User", (await User.get(email="slt@aa101.example")).id)

    async def set_roles(roles: list[str]) -> None:
        variables = {"input": {"organisationCode": "AA101", "userId": slt_id, "roles": roles}}
        data = await deployment.first.ok(UPDATE_ROLES, variables, manager)
        assert data["updateUserRoles"] == {"organisationUser": {"roles": roles}, "errors": []}

    assert codes(await deployment.second.post(ENTRIES, token=slt)) == []
    await set_roles([])
    assert codes(await deployment.second.post(ENTRIES, token=slt)) == ["FORBIDDEN"]
    await set_roles(["SLT"])
    assert codes(await deployment.second.post(ENTRIES, token=slt)) == []


async def throttle_holds_at_once(deployment: Deployment) -> None:
    async def sign_in(client: GraphQLClient, password: str) -> list[str]:
        variables = {"input": {"email": "inv@aa101.example", "password": password}}
        result = (await client.ok(SIGN_IN, variables))["signIn"]
        return [error["code"] for error in result["errors"]]

    for attempt in range(5):
        assert await sign_in(deployment.first, f"Not-the-password-{attempt}") == [
            "INVALID_CREDENTIALS"
        ]
    assert await sign_in(deployment.second, DEMO_PASSWORD) == ["SIGN_IN_THROTTLED"]


async def upload_runs_in_the_worker(deployment: Deployment) -> None:
    manager = await deployment.first.sign_in("users@aa101.example")
    uploaded = await deployment.first.upload_ok(
        UPLOAD_USERS,
        {"input": {"organisationCode": "AA101"}},
        {"input.file": ("users.csv", STAFF_FILE, "text/csv")},
        manager,
    )
    report = uploaded["uploadUsers"]
    assert (report["rowsRead"], report["rowsWithErrors"], report["errors"]) == (3, 0, [])
    job_id = report["job"]["id"]
    manager_there = await deployment.second.sign_in("users@aa101.example")
    job = await deployment.second.wait_for_job(job_id, manager_there, timeout=CHECKS_TIMEOUT)
    assert (job["status"], job["done"], job["total"], job["percent"]) == ("SUCCEEDED", 3, 3, 100)
    assert await User.filter(email__startswith="ola.nowak").count() == 3
    ran = f"job {from_base64(job_id)[1]} (staff_upload) succeeded"
    assert ran in deployment.worker.output()
    assert not any(ran in server.output() for server in deployment.servers)


async def test_two_servers_and_a_worker_share_everything_through_the_database(
    deployment: Deployment,
) -> None:
    async with asyncio.timeout(CHECKS_TIMEOUT):
        await role_change_holds_at_once(deployment)
        await throttle_holds_at_once(deployment)
        await upload_runs_in_the_worker(deployment)
