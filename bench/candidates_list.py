"""Benchmark: a centre's candidate list (candidates) with entries and results, through the real
ASGI app.

Seeds the demo data and N extra candidates at centre AA101 in a temporary SQLite database, each
entered for three syllabuses in a released series with a result for each, signs in as the demo
exams officer, then sends the candidates query (every entry's series, syllabus and result) M
times through httpx's ASGI transport (no network, one process) and prints requests per second
and SQL statements per request. Each request also writes its "results.read" audit event. Not a
test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/candidates_list.py --candidates 2000 --requests 300 --first 50
"""

import argparse
import asyncio
import contextlib
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

# Run as a script from anywhere: the project root holds the packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.exams import MONTH_NUMBERS, Candidate, Entry, Result, Series, SeriesMonth, Syllabus
from models.organisations import Organisation
from resolvers.passwords import hash_password

CENTRE = "AA101"
OFFICER = "eo@aa101.example"
SERIES = "2024-JUN"
SYLLABUSES = ("0500", "0580", "0610")
GRADES = ("A*", "A", "B", "C", "D")
QUERY = """
query($code: String!, $first: Int!) {
  candidates(centreCode: $code, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id candidateNumber uci firstName lastName username
        entries {
          id entryCode status
          series { code }
          syllabus { code title }
          result { grade mark }
        }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Measured:
    candidates: int
    first: int
    requests: int
    seconds: float
    statements_per_request: float
    latencies_ms: list[float]

    def report(self) -> str:
        ordered = sorted(self.latencies_ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return (
            f"candidates={self.candidates} first={self.first} requests={self.requests} "
            f"({len(SYLLABUSES)} entries with results per candidate)\n"
            f"  {self.requests / self.seconds:8.1f} requests/second\n"
            f"  {statistics.median(self.latencies_ms):8.2f} ms median, {p95:.2f} ms p95\n"
            f"  {self.statements_per_request:8.1f} SQL statements per request"
        )


class StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        word = record.getMessage().lstrip().split(" ", 1)[0].upper()
        if word in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            self.count += 1


@contextlib.contextmanager
def counting_statements() -> "contextlib.Generator[StatementCounter]":
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


async def seed_candidates(count: int) -> None:
    """`count` candidates with three results each: bulk inserts and one password hash."""
    centre = await Organisation.get(code=CENTRE)
    series = await Series.create(
        code=SERIES, month=SeriesMonth.JUNE, month_number=MONTH_NUMBERS[SeriesMonth.JUNE],
        year=2024, credentials_open_at=datetime(2024, 3, 25, tzinfo=UTC),
        results_release_at=datetime(2024, 8, 13, 6, tzinfo=UTC),
    )
    syllabuses = list(await Syllabus.filter(code__in=SYLLABUSES).order_by("code"))
    start = await Candidate.filter(centre_id=centre.id).count() + 1
    numbers = range(start, start + count)
    password_hash = hash_password("Bench2024pass")
    await Candidate.bulk_create(
        [
            Candidate(centre_id=centre.id, candidate_number=f"{n:04d}", uci=f"AA10124{n:04d}X",
                      first_name=f"Bench{n:04d}", last_name="Pupil", username=f"bench.{n:04d}",
                      password_hash=password_hash)
            for n in numbers
        ],
        batch_size=1000,
    )
    ids = await Candidate.filter(username__startswith="bench.").values_list("id", flat=True)
    await Entry.bulk_create(
        [
            Entry(candidate_id=candidate_id, series_id=series.id, syllabus_id=syllabus.id,
                  entry_code=f"{candidate_id:04d}-{index}ZZZ")
            for candidate_id in ids
            for index, syllabus in enumerate(syllabuses)
        ],
        batch_size=1000,
    )
    entry_ids = await Entry.filter(series_id=series.id).values_list("id", flat=True)
    await Result.bulk_create(
        [
            Result(entry_id=entry_id, grade=GRADES[entry_id % len(GRADES)], mark=entry_id % 100,
                   loaded_at=datetime(2024, 8, 6, tzinfo=UTC))
            for entry_id in entry_ids
        ],
        batch_size=1000,
    )


async def run(candidates: int, requests: int, first: int, warmup: int) -> Measured:
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as directory:
        settings = Settings(
            database_url=f"sqlite://{Path(directory) / 'bench.sqlite3'}",
            fast_password_hashing=True,
            # No email is sent here; a long poll keeps the delivery task out of the numbers.
            mail_poll_seconds=3600,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            await seed_demo()
            await seed_candidates(candidates)
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                token = await sign_in(http)
                headers = {"Authorization": f"Bearer {token}"}
                payload = {"query": QUERY, "variables": {"code": CENTRE, "first": first}}

                async def one() -> None:
                    response = await http.post("/graphql", json=payload, headers=headers)
                    body = response.json()
                    if response.status_code != 200 or body.get("errors"):
                        raise SystemExit(f"request failed: {response.status_code} {body}")

                for _ in range(warmup):
                    await one()
                # Counted apart from the timed run: debug logging of every statement costs time.
                sample = 20
                with counting_statements() as counter:
                    for _ in range(sample):
                        await one()
                latencies: list[float] = []
                started = time.perf_counter()
                for _ in range(requests):
                    t0 = time.perf_counter()
                    await one()
                    latencies.append((time.perf_counter() - t0) * 1000)
                seconds = time.perf_counter() - started
    return Measured(candidates, first, requests, seconds, counter.count / sample, latencies)


async def sign_in(http: httpx.AsyncClient) -> str:
    response = await http.post("/graphql", json={
        "query": "mutation($input: SignInInput!) { signIn(input: $input) { token errors "
                 "{ code } } }",
        "variables": {"input": {"email": OFFICER, "password": DEMO_PASSWORD}},
    })
    result = response.json()["data"]["signIn"]
    if result["errors"] or not result["token"]:
        raise SystemExit(f"sign-in failed: {result}")
    return result["token"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=2000, help="extra candidates")
    parser.add_argument("--requests", type=int, default=300, help="timed requests")
    parser.add_argument("--first", type=int, default=50, help="page size (1 to 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args()
    result = asyncio.run(run(args.candidates, args.requests, args.first, args.warmup))
    print(result.report())


if __name__ == "__main__":
    main()
