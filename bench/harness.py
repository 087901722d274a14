"""What the benchmarks share: the real app on a throwaway database, a client, and the timing.

Every script drives the same ASGI app through httpx in one process (no network), so the numbers
are the app's own and the runs compare. Import this module before any of the project's packages:
importing it puts the project root on sys.path, which lets each script run as
`.venv/bin/python bench/<script>.py` from anywhere.
"""

import asyncio
import contextlib
import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import httpx

# The project root holds the packages; a script run by path only has bench/ on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings

JOB = "query($id: ID!) { job(id: $id) { status stage done total errorMessage } }"
SIGN_IN = "mutation($input: SignInInput!) { signIn(input: $input) { token errors { code } } }"
# Statements counted for the per-request figure: the ones that reach the database.
_STATEMENTS = {"SELECT", "INSERT", "UPDATE", "DELETE"}
# Requests whose statements are counted, then averaged: enough to smooth out a cache miss.
_SAMPLE = 20


@dataclass(frozen=True)
class Bench:
    """A served app: the client to send requests with, and how long the seeding took."""

    http: httpx.AsyncClient
    seed_seconds: float


@contextlib.asynccontextmanager
async def serving(
    *,
    seed: Callable[[], Awaitable[object]] | None = None,
    database_url: str | None = None,
    fast_password_hashing: bool = True,
    public_url: str = Settings.public_url,
) -> AsyncIterator[Bench]:
    """The app with its lifespan (the job worker runs), the demo data and `seed`'s data in it.

    SQLite in a temporary directory unless `database_url` is given, so a run leaves nothing
    behind. The seeding is timed, for the scripts that report it. No timeout on the client: a
    slow request is a result here, not a failure.
    """
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as directory:
        settings = Settings(
            database_url=database_url or f"sqlite://{Path(directory) / 'bench.sqlite3'}",
            fast_password_hashing=fast_password_hashing,
            public_url=public_url,
            # No email is sent here; a long poll keeps the delivery task out of the numbers.
            mail_poll_seconds=3600,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            started = time.perf_counter()
            await seed_demo()
            if seed:
                await seed()
            seed_seconds = time.perf_counter() - started
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", timeout=None
            ) as http:
                yield Bench(http, seed_seconds)


async def wipe_postgres(url: str) -> None:
    """Empties a PostgreSQL database for a run: its public schema, dropped and made again."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def graphql(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    """The response's data; a failed request ends the run, as its numbers would mean nothing."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"request failed: {response.status_code} {body}")
    return body["data"]


async def sign_in(http: httpx.AsyncClient, email: str) -> str:
    """A session token for a demo user: every benchmarked request is an authorised one."""
    variables = {"input": {"email": email, "password": DEMO_PASSWORD}}
    result = (await graphql(http, SIGN_IN, variables))["signIn"]
    if result["errors"] or not result["token"]:
        raise SystemExit(f"sign-in failed: {result}")
    return result["token"]


@dataclass(frozen=True)
class Upload:
    """A file upload mutation: all that changes between its dry run and the real upload."""

    mutation: str
    # The mutation's field in the response, whose payload has `errors`.
    field: str
    # The input's other fields; post_file adds `dryRun` and `file`.
    input: dict[str, Any]
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


async def post_file(
    http: httpx.AsyncClient, token: str, upload: Upload, dry_run: bool
) -> dict[str, Any]:
    """The upload as a browser sends it: a GraphQL multipart request, with the header the app
    asks of uploads (its CSRF guard). Refused rows end the run: they would not be timed."""
    operations = {
        "query": upload.mutation,
        "variables": {"input": {**upload.input, "dryRun": dry_run, "file": None}},
    }
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (upload.filename, upload.content, upload.content_type)},
        headers={"Authorization": f"Bearer {token}", "X-Examdesk-Upload": "1"},
    )
    body = response.json()
    payload = (body.get("data") or {}).get(upload.field)
    if response.status_code != 200 or body.get("errors") or payload["errors"]:
        raise SystemExit(f"upload failed: {response.status_code} {body}")
    return payload


async def poll_job(
    http: httpx.AsyncClient, token: str, job_id: str, every: float, query: str
) -> tuple[dict[str, Any], list[float]]:
    """The finished job, polled through `job(id)` as a client would, and each poll's seconds:
    how responsive the app stays while the job's worker runs."""
    polls: list[float] = []
    while True:
        started = time.perf_counter()
        job = (await graphql(http, query, {"id": job_id}, token))["job"]
        polls.append(time.perf_counter() - started)
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job, polls
        await asyncio.sleep(every)


@dataclass(frozen=True)
class UploadRun:
    """The phases of an upload, in seconds: dry runs, the real upload, and its job."""

    checks: list[float]
    upload_seconds: float
    job: dict[str, Any]
    job_seconds: float
    polls: list[float]

    def report(self, rows: int) -> str:
        """The lines the staff and candidate uploads print alike."""
        checks, polls = self.checks, self.polls
        return (
            f"  {statistics.median(checks) * 1000:8.1f} ms median dry run (checking every row), "
            f"min {min(checks) * 1000:.1f} ms over {len(checks)}\n"
            f"  {self.upload_seconds * 1000:8.1f} ms the real upload (checks + queuing the job)\n"
            f"  {self.job_seconds:8.1f} s  the job, to {self.job['status']} "
            f"({self.job['stage']}); {self.job_seconds / rows * 1000:.1f} ms per row\n"
            f"  {statistics.median(polls) * 1000:8.1f} ms median job(id) poll while it ran, "
            f"max {max(polls) * 1000:.1f} ms ({len(polls)} polls)"
        )


async def time_upload(
    http: httpx.AsyncClient,
    token: str,
    upload: Upload,
    repeat: int,
    every: float,
    job_query: str = JOB,
) -> UploadRun:
    """`repeat` timed dry runs (the checks alone), then the real upload, then its job to the
    end: the three costs a user of an upload waits for."""
    checks: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        await post_file(http, token, upload, dry_run=True)
        checks.append(time.perf_counter() - started)
    started = time.perf_counter()
    payload = await post_file(http, token, upload, dry_run=False)
    upload_seconds = time.perf_counter() - started
    started = time.perf_counter()
    job, polls = await poll_job(http, token, payload["job"]["id"], every, job_query)
    return UploadRun(checks, upload_seconds, job, time.perf_counter() - started, polls)


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise logs: the figure a change to a query must not grow."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        word = record.getMessage().lstrip().split(" ", 1)[0].upper()
        if word in _STATEMENTS:
            self.count += 1


@contextlib.contextmanager
def counting_statements() -> Iterator[StatementCounter]:
    """Statements sent meanwhile; debug logging costs time, so never around a timed run."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)


@dataclass(frozen=True)
class RequestRun:
    """One request sent again and again: throughput, latency and statements per request."""

    requests: int
    seconds: float
    statements_per_request: float
    latencies_ms: list[float]

    def report(self) -> str:
        """The lines the list benchmarks print alike, under their own first line."""
        ordered = sorted(self.latencies_ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return (
            f"  {self.requests / self.seconds:8.1f} requests/second\n"
            f"  {statistics.median(self.latencies_ms):8.2f} ms median, {p95:.2f} ms p95\n"
            f"  {self.statements_per_request:8.1f} SQL statements per request"
        )


async def time_requests(
    one: Callable[[], Awaitable[object]], requests: int, warmup: int
) -> RequestRun:
    """`warmup` untimed requests (caches, connections), a sample counted, then `requests`
    timed ones. Counted apart from the timed run: logging every statement costs time."""
    for _ in range(warmup):
        await one()
    with counting_statements() as counter:
        for _ in range(_SAMPLE):
            await one()
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        await one()
        latencies.append((time.perf_counter() - t0) * 1000)
    seconds = time.perf_counter() - started
    return RequestRun(requests, seconds, counter.count / _SAMPLE, latencies)


async def time_query(
    seed: Callable[[], Awaitable[object]],
    email: str,
    query: str,
    variables: dict[str, Any],
    requests: int,
    warmup: int,
) -> RequestRun:
    """One user's query, timed over data `seed` adds: what a list page costs that user."""
    async with serving(seed=seed) as bench:
        token = await sign_in(bench.http, email)
        one = partial(graphql, bench.http, query, variables, token)
        return await time_requests(one, requests, warmup)
