"""Benchmark: examdesk against the raw baseline (bench/raw/), request by request, as real servers.

Seeds a database (a temporary SQLite file, or the PostgreSQL of --database-url, which it WIPES:
use a database of its own such as examdesk_bench, never `test`) with a centre of 10,000
candidates holding 45,000 entries with results (bench/bench_data.py), starts `examdesk serve`
(production mode, one uvicorn worker) and the raw endpoint (the same uvicorn) on free loopback
ports, signs the centre's exams officer in, and checks that both answer every request with the
same bytes. Then, round after round, it sends --requests of each request to one server and then
the other (which goes first alternates), --concurrency at a time, and prints per request: each
server's requests per second, its CPU milliseconds per request (its process's own time, which
depends less on the machine's other load), p50/p99 latency, and the ratio raw/examdesk.

The requests: `candidates` (the centre's first 50 candidates with every entry's series, syllabus
and result; each also writes a "results.read" audit event, on both servers), `organisationUsers`
(first 15, with roles), `me`, and `{ __typename }` (the fixed cost of any request).

    .venv/bin/python bench/compare.py
    .venv/bin/python bench/compare.py --database-url postgres://postgres@127.0.0.1/examdesk_bench
    .venv/bin/python bench/compare.py --candidates 2000 --requests 50 --rounds 2 --only me
"""

import argparse
import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bench_data
from loadgen import Run, fixed, graphql_request, run_jobs, send_one
from raw import documents
from servers import (
    SECRET_KEY,
    Server,
    both_servers,
    latency,
    load,
    table,
    wait_until_ready,
)

from examdesk.settings import Mode, Settings

SIGN_IN = "mutation($input: SignInInput!) { signIn(input: $input) { token errors { code } } }"
REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "candidates": (documents.CANDIDATES, {"code": bench_data.CENTRE, "first": 50}),
    "organisationUsers": (
        documents.ORGANISATION_USERS,
        {"organisationCode": bench_data.CENTRE, "first": 15},
    ),
    "me": (documents.ME, {}),
    "__typename": (documents.TYPENAME, {}),
}


@dataclass
class Tally:
    """One request's measurements on one server, over every round."""

    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    per_round: list[float] = field(default_factory=list)

    def add(self, run: Run, cpu: float) -> None:
        self.requests += run.done
        self.seconds += run.seconds
        self.cpu += cpu
        self.per_round.append(run.done / run.seconds)
        for values in run.latencies.values():
            self.latencies += values
        self.failures += run.failures

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.requests * 1000 if self.requests else 0.0


async def sign_in_officer(examdesk: Server) -> str:
    variables = {"input": {"email": bench_data.OFFICER, "password": bench_data.STAFF_PASSWORD}}
    answer = await send_one(examdesk.port, graphql_request(examdesk.port, SIGN_IN, variables))
    payload = answer.json()["data"]["signIn"]
    if payload["errors"] or not payload["token"]:
        raise SystemExit(f"the exams officer could not sign in: {payload}")
    return str(payload["token"])


async def check_same_answers(servers: tuple[Server, Server], token: str, kinds: list[str]) -> None:
    """Refuse to time anything the two servers answer differently."""
    for kind in kinds:
        query, variables = REQUESTS[kind]
        answers = [
            await send_one(s.port, graphql_request(s.port, query, variables, token))
            for s in servers
        ]
        bodies = [a.content for a in answers]
        if any(a.failed for a in answers) or bodies[0] != bodies[1]:
            where = next((i for i, (a, b) in enumerate(zip(*bodies, strict=False)) if a != b), None)
            raise SystemExit(
                f"{kind}: the answers differ (at byte {where}):\n"
                f"examdesk: {bodies[0][:2000]!r}\nraw:      {bodies[1][:2000]!r}"
            )
        print(f"  {kind}: the same {len(bodies[0]):,} bytes from both")


async def measure(
    servers: tuple[Server, Server], token: str, kinds: list[str], args: argparse.Namespace
) -> dict[tuple[str, str], Tally]:
    tallies = {(k, s.name): Tally() for k in kinds for s in servers}
    requests = {
        (k, s.name): graphql_request(s.port, *REQUESTS[k], token) for k in kinds for s in servers
    }
    for server in servers:  # warm up: imports, caches, prepared statements
        for kind in kinds:
            await run_jobs(server.port, fixed(kind, requests[kind, server.name]), 20, 2)
    for round_number in range(args.rounds):
        order = servers if round_number % 2 == 0 else servers[::-1]
        for kind in kinds:
            for server in order:
                job = fixed(kind, requests[kind, server.name])
                cpu = server.cpu_seconds()
                run = await run_jobs(server.port, job, args.requests, args.concurrency)
                tallies[kind, server.name].add(run, server.cpu_seconds() - cpu)
        print(f"  round {round_number + 1}/{args.rounds} done, load average {load()}")
    return tallies


def report(tallies: dict[tuple[str, str], Tally], kinds: list[str]) -> str:
    rows = []
    for kind in kinds:
        e, r = tallies[kind, "examdesk"], tallies[kind, "raw"]
        rows.append(
            [
                f"`{kind}`",
                f"{e.rate:,.0f}",
                f"{r.rate:,.0f}",
                f"{r.rate / e.rate:.1f}x" if e.rate else "-",
                f"{e.cpu_ms:.2f}",
                f"{r.cpu_ms:.2f}",
                f"{e.cpu_ms / r.cpu_ms:.1f}x" if r.cpu_ms else "-",
                latency(e.latencies),
                latency(r.latencies),
                f"{len(e.failures)}/{len(r.failures)}",
            ]
        )
    header = [
        "request",
        "examdesk req/s",
        "raw req/s",
        "raw/examdesk",
        "examdesk CPU ms/req",
        "raw CPU ms/req",
        "CPU ratio",
        "examdesk p50/p99 ms",
        "raw p50/p99 ms",
        "errors",
    ]
    return table(header, rows)


async def run(args: argparse.Namespace, database_url: str, logs: Path) -> None:
    kinds = [k.strip() for k in args.only.split(",")] if args.only else list(REQUESTS)
    unknown = set(kinds) - set(REQUESTS)
    if unknown:
        raise SystemExit(f"--only: unknown request(s) {sorted(unknown)}; known: {list(REQUESTS)}")
    settings = Settings(database_url=database_url, mode=Mode.PRODUCTION, secret_key=SECRET_KEY)
    print(f"seeding {database_url} ...", flush=True)
    seeded = await bench_data.seed(settings, args.candidates)
    print(
        f"  {seeded.candidates:,} candidates, {seeded.entries:,} entries with results "
        f"({seeded.seconds:.0f} s); load average {load()}"
    )
    with both_servers(database_url, logs) as servers:
        await wait_until_ready(*servers)
        token = await sign_in_officer(servers[0])
        await check_same_answers(servers, token, kinds)
        before = load()
        tallies = await measure(servers, token, kinds, args)
        after = load()
    for (kind, name), tally in tallies.items():
        if tally.failures:
            print(f"{kind} on {name}: {len(tally.failures)} failed, e.g. {tally.failures[0]}")
    print(
        f"\n{args.rounds} rounds x {args.requests} requests of each kind per server, "
        f"{args.concurrency} at a time; load average (1/5/15 min) {before} before, {after} after\n"
    )
    print(report(tallies, kinds))
    spread = {
        k: f"{min(t.per_round):,.0f}-{max(t.per_round):,.0f}"
        for (k, n), t in tallies.items()
        if n == "examdesk"
    }
    print(f"\nexamdesk req/s per round (min-max): {spread}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", help="postgres://... (WIPED); default: temporary SQLite")
    parser.add_argument("--candidates", type=int, default=10_000, help="candidates at the centre")
    parser.add_argument("--requests", type=int, default=200, help="of each kind, per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    parser.add_argument("--only", help="comma-separated: " + ",".join(REQUESTS))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="examdesk-compare-") as directory:
        url = args.database_url or f"sqlite://{Path(directory) / 'bench.sqlite3'}"
        asyncio.run(run(args, url, Path(directory)))


if __name__ == "__main__":
    main()
