"""jobProgress: a job's progress pushed over a real WebSocket (graphql-transport-ws) by the real
server, authorized as job(id) is; the origins a browser page may connect from."""

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import websockets
from starlette.applications import Starlette
from strawberry import relay
from tortoise.transactions import in_transaction

from examdesk.demo import seed_demo
from models.organisations import Organisation
from models.users import User
from policies import Actor, RequestMeta
from resolvers.core import jobs
from tests.helpers.app import AppFactory, serving
from tests.helpers.graphql import GraphQLClient
from tests.helpers.websocket import GraphQLWebSocket, opened

DESK = "https://desk.example"
PROGRESS = """
subscription Follow($id: ID!) {
  jobProgress(id: $id) { id kind status done total stage percent errorCode result files { name } }
}
"""

# A job that stops at each gate until the test opens it.
_gates: dict[str, asyncio.Event] = {}


async def _stepwise(run: jobs.JobRun) -> dict[str, Any]:
    await run.progress(1, 3, "Step one")
    await _gates["one"].wait()
    await run.progress(2, 3, "Step two")
    await _gates["two"].wait()
    return {"steps": 3}


jobs.install({"test.stepwise": jobs.JobKind(_stepwise, requires=("organisation", "read"))})


@pytest.fixture
async def served(make_app: AppFactory, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """The demo behind a real server that lets pages on DESK call it; progress read often."""
    monkeypatch.setattr(jobs, "FOLLOW_EVERY_SECONDS", 0.05)
    app: Starlette = await make_app(cors_origins=(DESK,))
    await seed_demo()
    async with serving(app) as url:
        yield url


@pytest.fixture
async def client(served: str) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(base_url=served) as http:
        yield GraphQLClient(http)


@pytest.fixture
def gates() -> dict[str, asyncio.Event]:
    _gates.update(one=asyncio.Event(), two=asyncio.Event())
    return _gates


async def queue_stepwise(email: str) -> str:
    """What a mutation does: queue in a transaction, then wake the worker. The job's id."""
    user = await User.get(email=email)
    centre = await Organisation.get(code="AA101")
    actor = Actor(request=RequestMeta(request_id="test-stepwise"), user_id=user.id)
    async with in_transaction():
        job = await jobs.enqueue(actor, "test.stepwise", organisation_id=centre.id, payload={})
    jobs.wake_workers()
    return str(relay.GlobalID("Job", str(job.id)))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def until_stage(ws: GraphQLWebSocket, op_id: str, stage: str) -> dict[str, Any]:
    """The pushed states up to the first at `stage`; each differs from the one before."""
    states = [await ws.next_job(op_id)]
    while states[-1]["stage"] != stage:
        states.append(await ws.next_job(op_id))
    assert all(a != b for a, b in itertools.pairwise(states)), states
    return states[-1]


def error_codes(message: dict[str, Any]) -> list[str]:
    """The codes of an operation's `error` message, or of the errors in its `next`."""
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    return [error.get("extensions", {}).get("code", error) for error in errors]


async def test_the_creator_sees_each_change_then_the_end_then_complete(
    served: str, client: GraphQLClient, gates: dict[str, asyncio.Event]
) -> None:
    token = await client.sign_in("eo@aa101.example")
    job_id = await queue_stepwise("eo@aa101.example")
    async with opened(served) as ws:
        # The header's name as the graphql-ws client's examples spell it, or in lower case.
        await ws.init({"authorization": f"Bearer {token}"})
        await ws.subscribe("1", PROGRESS, {"id": job_id})
        one = await until_stage(ws, "1", "Step one")
        assert (one["id"], one["status"], one["done"], one["total"], one["percent"]) == (
            job_id,
            "RUNNING",
            1,
            3,
            33,
        )
        gates["one"].set()
        two = await until_stage(ws, "1", "Step two")
        assert (two["status"], two["done"], two["percent"]) == ("RUNNING", 2, 66)
        gates["two"].set()
        [*_, last, complete] = await ws.until_done("1")
        assert complete == {"id": "1", "type": "complete"}
        final = last["payload"]["data"]["jobProgress"]
        assert (final["status"], final["stage"], final["percent"], final["result"]) == (
            "SUCCEEDED",
            "Finished",
            100,
            {"steps": 3},
        )
        # What job(id) shows now is what came last.
        polled = await client.ok(
            "query($id: ID!) { job(id: $id) { status stage percent result } }",
            {"id": job_id},
            token,
        )
        assert polled["job"] == {k: final[k] for k in ("status", "stage", "percent", "result")}


async def test_a_real_export_is_followed_to_its_file(served: str, client: GraphQLClient) -> None:
    token = await client.sign_in("eo@aa101.example")
    queued = await client.ok(
        "mutation($input: ExportStaffSummaryInput!) { exportStaffSummary(input: $input) "
        "{ job { id } errors { code } } }",
        {"input": {"organisationCode": "AA101"}},
        token,
    )
    job_id = queued["exportStaffSummary"]["job"]["id"]
    async with opened(served) as ws:
        await ws.init(bearer(token))
        await ws.subscribe("export", PROGRESS, {"id": job_id})
        messages = await ws.until_done("export")
    *states, complete = messages
    assert complete == {"id": "export", "type": "complete"}
    assert all(m["type"] == "next" and "errors" not in m["payload"] for m in states), states
    final = states[-1]["payload"]["data"]["jobProgress"]
    assert (final["status"], final["kind"], final["percent"]) == (
        "SUCCEEDED",
        "staff_summary.export",
        100,
    )
    assert len(final["files"]) == 1
    # Only the last is an ended state.
    before = {m["payload"]["data"]["jobProgress"]["status"] for m in states[:-1]}
    assert before <= {"QUEUED", "RUNNING"}, states


async def test_another_centre_is_refused_as_job_id_refuses_it(
    served: str, client: GraphQLClient, gates: dict[str, asyncio.Event]
) -> None:
    job_id = await queue_stepwise("eo@aa101.example")
    for email in ("eo@bb202.example", "users@aa101.example"):
        token = await client.sign_in(email)
        polled = await client.post("query($id: ID!) { job(id: $id) { id } }", {"id": job_id}, token)
        async with opened(served) as ws:
            await ws.init(bearer(token))
            await ws.subscribe("x", PROGRESS, {"id": job_id})
            [refused] = await ws.until_done("x")
        # Before the stream starts: an `error` message, which ends the subscription.
        assert refused["type"] == "error", email
        codes = [e["extensions"]["code"] for e in polled["errors"]]
        assert error_codes(refused) == ["FORBIDDEN"] == codes, email
        assert "Step" not in str(refused)
    gates["one"].set()
    gates["two"].set()


async def test_without_a_token_the_subscription_is_unauthenticated(
    served: str, gates: dict[str, asyncio.Event]
) -> None:
    job_id = await queue_stepwise("eo@aa101.example")
    for payload in ({}, {"Authorization": "Bearer not-a-session"}, {"Authorization": 7}):
        async with opened(served) as ws:
            await ws.init(payload)
            await ws.subscribe("anon", PROGRESS, {"id": job_id})
            [refused] = await ws.until_done("anon")
        assert refused["type"] == "error", payload
        assert error_codes(refused) == ["UNAUTHENTICATED"], payload
    gates["one"].set()
    gates["two"].set()


async def test_a_session_that_ends_stops_being_served(
    served: str, client: GraphQLClient, gates: dict[str, asyncio.Event]
) -> None:
    token = await client.sign_in("eo@aa101.example")
    job_id = await queue_stepwise("eo@aa101.example")
    async with opened(served) as ws:
        await ws.init(bearer(token))
        await ws.subscribe("1", PROGRESS, {"id": job_id})
        await until_stage(ws, "1", "Step one")
        await client.ok("mutation { signOut { errors { code } } }", token=token)
        gates["one"].set()
        messages = await ws.until_done("1")
    # Mid-stream, the refusal is the last `next`, then `complete`.
    *_, refused, complete = messages
    assert "Step two" not in str(messages)
    assert (refused["type"], error_codes(refused)) == ("next", ["UNAUTHENTICATED"])
    assert complete == {"id": "1", "type": "complete"}
    gates["two"].set()


async def test_pages_of_other_origins_cannot_open_the_socket(served: str) -> None:
    for origin in ("https://evil.example", "null", "http://127.0.0.1.evil.example"):
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with opened(served, origin=origin):
                pass
        assert refused.value.response.status_code == 403, origin
    # The API's own pages, those allowed to call it cross-origin, and clients that are not
    # browsers (no Origin) connect.
    for origin in (served, DESK, "http://examdesk.test", None):
        async with opened(served, origin=origin) as ws:
            await ws.init()


async def test_subscriptions_only_over_the_websocket_and_only_them_there(
    served: str, client: GraphQLClient
) -> None:
    token = await client.sign_in("eo@aa101.example")
    over_http = await client.http.post(
        "/graphql",
        json={"query": PROGRESS, "variables": {"id": str(relay.GlobalID("Job", "1"))}},
        headers=bearer(token),
    )
    assert over_http.status_code == 400
    assert over_http.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert "WebSocket" in over_http.json()["errors"][0]["message"]
    # The legacy protocol (graphql-ws, subscriptions-transport-ws) is refused.
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with opened(served, protocol="graphql-ws") as ws:
            await ws.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
    async with opened(served) as ws:
        await ws.init(bearer(token))
        await ws.subscribe("q", "query { me { email } }", {})
        [refused] = await ws.until_done("q")
        assert error_codes(refused) == ["BAD_REQUEST"]
        assert "HTTP POST" in refused["payload"][0]["message"]


async def test_one_connection_follows_a_bounded_number_of_jobs(
    served: str, client: GraphQLClient, gates: dict[str, asyncio.Event]
) -> None:
    token = await client.sign_in("eo@aa101.example")
    job_id = await queue_stepwise("eo@aa101.example")
    async with opened(served) as ws:
        await ws.init(bearer(token))
        for n in range(10):
            await ws.subscribe(str(n), PROGRESS, {"id": job_id})
        await ws.subscribe("one too many", PROGRESS, {"id": job_id})
        seen: dict[str, list[str]] = {}
        while "one too many" not in seen:
            message = await ws.receive()
            seen.setdefault(message["id"], []).append(message["type"])
        assert seen["one too many"] == ["error"]
    gates["one"].set()
    gates["two"].set()


async def test_a_client_that_leaves_stops_the_reading(
    served: str,
    client: GraphQLClient,
    gates: dict[str, asyncio.Event],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Completing the subscription, or closing the connection, ends the loop that reads the
    job's progress: no reading goes on for nobody."""
    ended: list[str] = []
    follow = jobs.follow_job

    async def watched(*args: Any) -> AsyncIterator[Any]:
        try:
            async for row in follow(*args):
                yield row
        finally:
            ended.append("ended")

    monkeypatch.setattr(jobs, "follow_job", watched)
    token = await client.sign_in("eo@aa101.example")
    job_id = await queue_stepwise("eo@aa101.example")
    async with opened(served) as ws:
        await ws.init(bearer(token))
        await ws.subscribe("1", PROGRESS, {"id": job_id})
        await until_stage(ws, "1", "Step one")
        await ws.send({"id": "1", "type": "complete"})
        await wait_until(lambda: ended == ["ended"])
        await ws.subscribe("2", PROGRESS, {"id": job_id})
        await until_stage(ws, "2", "Step one")
    await wait_until(lambda: ended == ["ended", "ended"])
    gates["one"].set()
    gates["two"].set()


async def wait_until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(15):
        while not condition():  # noqa: ASYNC110 (the server's task is not ours to await)
            await asyncio.sleep(0.01)


async def test_ids_that_name_no_job_are_answered_as_job_id_answers_them(
    served: str, client: GraphQLClient
) -> None:
    token = await client.sign_in("admin@exb.example")
    ids = ("nonsense", str(relay.GlobalID("User", "1")), str(relay.GlobalID("Job", "99999")))
    codes = ("GRAPHQL_VALIDATION_FAILED", "INVALID_INPUT", "NOT_FOUND")
    async with opened(served) as ws:
        await ws.init(bearer(token))
        for n, (job_id, code) in enumerate(zip(ids, codes, strict=True)):
            polled = await client.post(
                "query($id: ID!) { job(id: $id) { id } }", {"id": job_id}, token
            )
            await ws.subscribe(str(n), PROGRESS, {"id": job_id})
            [refused] = await ws.until_done(str(n))
            assert refused["type"] == "error", job_id
            assert (
                error_codes(refused)
                == [code]
                == [e["extensions"]["code"] for e in polled["errors"]]
            )
