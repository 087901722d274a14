"""Benchmark: a centre's users list (organisationUsers) through the real ASGI app.

Seeds the demo data and N extra users at centre AA101 in a temporary SQLite database, signs in
as the demo user manager, then sends the organisationUsers query M times through httpx's ASGI
transport (no network, one process) and prints requests per second and SQL statements per
request. Not a test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/users_list.py --users 1000 --requests 500 --first 15
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
from pathlib import Path

import httpx

# Run as a script from anywhere: the project root holds the packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.organisations import Organisation
from models.users import Membership, User, UserStatus
from resolvers.passwords import hash_password

CENTRE = "AA101"
MANAGER = "users@aa101.example"
QUERY = """
query($code: String!, $first: Int!) {
  organisationUsers(organisationCode: $code, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        user { id email firstName lastName fullName status lastLoginAt totpEnabled }
        roles
        isExamsOfficer
        organisation { code parent { code } }
      }
    }
  }
}
"""
ROLES = (["SFA_TEACHER"], ["INVIGILATOR"], ["SLT", "ACCESS_ARRANGEMENTS"], [])


@dataclass(frozen=True)
class Result:
    users: int
    first: int
    requests: int
    seconds: float
    statements_per_request: float
    latencies_ms: list[float]

    def report(self) -> str:
        ordered = sorted(self.latencies_ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return (
            f"users={self.users} first={self.first} requests={self.requests}\n"
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


async def seed_users(count: int) -> None:
    """`count` active users at the centre: two bulk inserts and one password hash."""
    centre = await Organisation.get(code=CENTRE)
    password_hash = hash_password(DEMO_PASSWORD)
    await User.bulk_create(
        [
            User(email=f"member{i:06d}@bench.example", first_name=f"Member{i:06d}",
                 last_name="Bench", password_hash=password_hash, status=UserStatus.ACTIVE)
            for i in range(count)
        ],
        batch_size=1000,
    )
    ids = await User.filter(email__endswith="@bench.example").values_list("id", flat=True)
    await Membership.bulk_create(
        [
            Membership(user_id=user_id, organisation_id=centre.id, roles=ROLES[i % len(ROLES)])
            for i, user_id in enumerate(ids)
        ],
        batch_size=1000,
    )


async def run(users: int, requests: int, first: int, warmup: int) -> Result:
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
            await seed_users(users)
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
    return Result(users, first, requests, seconds, counter.count / sample, latencies)


async def sign_in(http: httpx.AsyncClient) -> str:
    response = await http.post("/graphql", json={
        "query": "mutation($input: SignInInput!) { signIn(input: $input) { token errors "
                 "{ code } } }",
        "variables": {"input": {"email": MANAGER, "password": DEMO_PASSWORD}},
    })
    result = response.json()["data"]["signIn"]
    if result["errors"] or not result["token"]:
        raise SystemExit(f"sign-in failed: {result}")
    return result["token"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000, help="extra users at the centre")
    parser.add_argument("--requests", type=int, default=500, help="timed requests")
    parser.add_argument("--first", type=int, default=15, help="page size (1 to 100)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args()
    result = asyncio.run(run(args.users, args.requests, args.first, args.warmup))
    print(result.report())


if __name__ == "__main__":
    main()
