"""GET /metrics: Prometheus's exposition format, for a scraper bearing EXAMDESK_METRICS_TOKEN.

Without the setting there is no /metrics (404): metrics say how busy the service is and who
fails to sign in, which is nobody else's business. With it, a request without the token is a 401
and one with another token a 403.

Counted in the process as requests are answered: requests by GraphQL operation (or route) and
outcome, their latency, and sign-ins that failed or were throttled. Read from the database at
each scrape (examdesk/metrics_snapshot.py): the job queue, recent jobs' durations, undelivered
email, and this process's database connections. Several processes (`examdesk serve --workers
N`) share their counts through prometheus-client's multiprocess mode: PROMETHEUS_MULTIPROC_DIR,
which `serve` sets for them, must be set before any of them imports prometheus-client.
"""

import os
import re
import secrets
from collections.abc import Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.signals import Signals

from examdesk.metrics_snapshot import snapshot
from examdesk.request_log import Finished
from models.audit import SignInEvent, SignInOutcome

REQUESTS = Counter(
    "examdesk_requests",
    "HTTP requests answered, by GraphQL operation name (or route) and outcome",
    ["operation", "outcome"],
)
LATENCY = Histogram(
    "examdesk_request_duration_seconds",
    "Time to answer an HTTP request, by GraphQL operation name (or route)",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
SQL_STATEMENTS = Histogram(
    "examdesk_request_sql_statements",
    "SQL statements sent to answer an HTTP request",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200),
)
SIGN_IN_FAILURES = Counter(
    "examdesk_sign_in_failures",
    "Sign-ins refused for a wrong password, code or entry code, by who signed in",
    ["audience"],
)
SIGN_IN_THROTTLES = Counter(
    "examdesk_sign_in_throttles",
    "Sign-ins refused because of too many recent failures, by who signed in",
    ["audience"],
)

_FAILURES = {
    SignInOutcome.INVALID_CREDENTIALS: "staff",
    SignInOutcome.TOTP_FAILED: "staff",
    SignInOutcome.CANDIDATE_INVALID_CREDENTIALS: "candidate",
    SignInOutcome.TEST_START_INVALID_CREDENTIALS: "test_start",
}
_THROTTLES = {
    SignInOutcome.THROTTLED: "staff",
    SignInOutcome.CANDIDATE_THROTTLED: "candidate",
    SignInOutcome.TEST_START_THROTTLED: "test_start",
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Operation names come from clients: past this many, new ones are counted as "other", so a
# client inventing names cannot grow the metrics without bound.
MAX_OPERATION_LABELS = 300


class OperationLabels:
    def __init__(self, limit: int = MAX_OPERATION_LABELS) -> None:
        self.limit = limit
        self.seen: set[str] = set()

    def label(self, finished: Finished) -> str:
        if finished.route != "/graphql":
            return finished.route
        name = finished.operation
        if name is None:
            return "anonymous"
        if name == "batch" or not _NAME.fullmatch(name):
            return "batch" if name == "batch" else "invalid"
        if name not in self.seen and len(self.seen) >= self.limit:
            return "other"
        self.seen.add(name)
        return name


_labels = OperationLabels()


def observe(finished: Finished) -> None:
    operation = _labels.label(finished)
    REQUESTS.labels(operation, finished.outcome).inc()
    LATENCY.labels(operation).observe(finished.seconds)
    SQL_STATEMENTS.observe(finished.statements)


async def _count_sign_in(
    sender: type[SignInEvent], instance: SignInEvent, created: bool, *args: Any
) -> None:
    if not created:
        return
    if audience := _FAILURES.get(instance.outcome):
        SIGN_IN_FAILURES.labels(audience).inc()
    elif audience := _THROTTLES.get(instance.outcome):
        SIGN_IN_THROTTLES.labels(audience).inc()


def count_sign_ins() -> None:
    """Count the sign-in event log's failures and throttles as they are written (idempotent)."""
    SignInEvent.register_listener(Signals.post_save, _count_sign_in)


class _Fixed(Collector):
    def __init__(self, families: Iterable[Any]) -> None:
        self.families = list(families)

    def collect(self) -> Iterable[Any]:
        return self.families


def _registry(readings: list[Any]) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Fixed(REGISTRY.collect()))
    registry.register(_Fixed(readings))
    return registry


def metrics_endpoint(token: str) -> Any:
    expected = token.encode()

    async def metrics(request: Request) -> Response:
        offered = request.headers.get("authorization", "")
        if not offered.lower().startswith("bearer "):
            return JSONResponse(
                {"error": "the metrics need Authorization: Bearer <EXAMDESK_METRICS_TOKEN>"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        if not secrets.compare_digest(offered[len("bearer ") :].strip().encode(), expected):
            return JSONResponse({"error": "not the metrics token"}, status_code=403)
        body = generate_latest(_registry(await snapshot()))
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics
