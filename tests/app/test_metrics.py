"""/metrics (examdesk/metrics.py): absent without EXAMDESK_METRICS_TOKEN, refused without the
token, and counts that move as requests are answered and sign-ins fail."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from examdesk import metrics_snapshot
from examdesk.demo import seed_demo
from examdesk.metrics import OperationLabels
from examdesk.request_log import Finished
from examdesk.settings import Settings, SettingsError
from models.jobs import Job, JobStatus
from models.mail import DeliveryStatus, OutboxMessage
from resolvers.core import clock
from tests.helpers.app import AppFactory

TOKEN = "metrics-token-for-the-tests"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
ME = "query WhoAmI { me { user { email } } }"
SIGN_IN = """mutation WrongPassword($input: SignInInput!) {
  signIn(input: $input) { token errors { code } } }"""

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def metered(make_app: AppFactory) -> Starlette:
    return await make_app(metrics_token=TOKEN)


@pytest.fixture
async def client(metered: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=metered, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as client:
        yield client


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics", headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_no_token_setting_no_metrics(http: httpx.AsyncClient) -> None:
    response = await http.get("/metrics", headers=BEARER)
    assert response.status_code == 404


async def test_a_scraper_without_the_token_is_refused(client: httpx.AsyncClient) -> None:
    missing = await client.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 403
    basic = await client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    for refused in (missing, wrong, basic):
        assert "examdesk_requests_total" not in refused.text


def test_the_token_must_be_long_enough() -> None:
    with pytest.raises(SettingsError, match="EXAMDESK_METRICS_TOKEN"):
        Settings.from_env({"EXAMDESK_METRICS_TOKEN": "short"})
    assert Settings.from_env({"EXAMDESK_METRICS_TOKEN": TOKEN}).metrics_token == TOKEN
    assert Settings.from_env({}).metrics_token is None


async def test_requests_are_counted_by_operation_and_outcome(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    for _ in range(3):
        await client.post("/graphql", json={"query": ME, "operationName": "WhoAmI"})
    await client.get("/healthz")
    after = await scrape(client)

    signed_out = {"operation": "WhoAmI", "outcome": "graphql_error"}
    requests = "examdesk_requests_total"
    assert value(after, requests, **signed_out) - value(before, requests, **signed_out) == 3
    health = {"operation": "/healthz", "outcome": "ok"}
    assert value(after, requests, **health) - value(before, requests, **health) == 1
    latency = "examdesk_request_duration_seconds_count"
    assert (
        value(after, latency, operation="WhoAmI") - value(before, latency, operation="WhoAmI") == 3
    )
    assert value(after, "examdesk_request_sql_statements_count") > value(
        before, "examdesk_request_sql_statements_count"
    )


async def test_failed_and_throttled_sign_ins_are_counted(
    metered: Starlette, client: httpx.AsyncClient
) -> None:
    await seed_demo()
    before = await scrape(client)
    attempts = 7
    for _ in range(attempts):
        await client.post(
            "/graphql",
            json={
                "query": SIGN_IN,
                "variables": {"input": {"email": "eo@aa101.example", "password": "wrong-one-1"}},
            },
        )
    after = await scrape(client)

    def moved(name: str) -> float:
        return value(after, name, audience="staff") - value(before, name, audience="staff")

    failures, throttles = (
        moved("examdesk_sign_in_failures_total"),
        moved("examdesk_sign_in_throttles_total"),
    )
    assert throttles >= 1
    assert failures >= 1
    assert failures + throttles == attempts


async def test_the_job_queue_and_undelivered_mail_are_read_at_scrape_time(
    client: httpx.AsyncClient,
) -> None:
    now = clock.now()
    # RUNNING with a lease ahead: the app's own job loops leave it alone while the test looks.
    await Job.create(
        kind="test",
        status=JobStatus.RUNNING,
        created_at=now - timedelta(minutes=5),
        started_at=now - timedelta(minutes=4),
        lease_expires_at=now + timedelta(hours=1),
    )
    await Job.create(
        kind="test",
        status=JobStatus.SUCCEEDED,
        created_at=now - timedelta(minutes=20),
        started_at=now - timedelta(minutes=10, seconds=70),
        finished_at=now - timedelta(minutes=10),
    )
    await OutboxMessage.create(
        recipient="someone@example.com",
        subject="s",
        body="b",
        template="t",
        status=DeliveryStatus.FAILED,
        queued_at=now,
        next_attempt_at=now,
    )
    samples = await scrape(client)
    assert value(samples, "examdesk_jobs", status="RUNNING") == 1
    assert value(samples, "examdesk_jobs", status="QUEUED") == 0
    assert value(samples, "examdesk_job_oldest_waiting_seconds") == 0
    recent = {"kind": "test", "status": "SUCCEEDED"}
    assert value(samples, "examdesk_job_duration_seconds_last_hour_count", **recent) == 1
    assert value(samples, "examdesk_job_duration_seconds_last_hour_sum", **recent) == 70
    assert value(samples, "examdesk_mail_undelivered", status="FAILED") == 1
    assert value(samples, "examdesk_database_connections_max") >= 1
    assert value(samples, "examdesk_database_connections", state="in_use") >= 0


def test_client_chosen_operation_names_are_bounded() -> None:
    labels = OperationLabels(limit=2)

    def label(operation: str | None, route: str = "/graphql") -> str:
        finished = Finished("POST", route, operation, None, 200, 0.0, 0, ())
        return labels.label(finished)

    assert [label("One"), label("Two"), label("Three"), label("One")] == [
        "One",
        "Two",
        "other",
        "One",
    ]
    assert label(None) == "anonymous"
    assert label("not a name!") == "invalid"
    assert label(None, route="/files/{token}") == "/files/{token}"


async def test_a_scrape_during_a_database_outage_still_answers(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.get("/healthz")

    async def unreachable() -> list[object]:
        raise ConnectionError("the database is away")

    monkeypatch.setattr(metrics_snapshot, "_job_queue", unreachable)
    samples = await scrape(client)
    assert value(samples, "examdesk_database_readings_ok") == 0
    assert value(samples, "examdesk_requests_total", operation="/healthz", outcome="ok") >= 1
    assert ("examdesk_jobs", frozenset({("status", "QUEUED")})) not in samples
    monkeypatch.undo()
    assert value(await scrape(client), "examdesk_database_readings_ok") == 1
