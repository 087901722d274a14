"""Benchmark: results day. Candidates whose results were just released sign in to the results
website and read them, against examdesk and against the raw baseline (bench/raw/).

Seeds a database as bench/compare.py does (a temporary SQLite file, or the PostgreSQL of
--database-url, which it WIPES: never `test`): a centre of N candidates, all given results
access, their November results released an hour before. Starts both servers as real processes
(`examdesk serve` in production mode and the raw endpoint, one uvicorn worker each), checks that
they show a candidate the same results, byte for byte, then, round after round, sends each
server the next slice of candidates, --concurrency at a time: each candidate signs in
(signInCandidate, with the username and password of their letter) and reads their results
(candidateResults) with the token. Every candidate does so once on each server. Each comes from
an address of their own (X-Forwarded-For within 127.0.0.0/8, which both servers trust from
loopback), as candidates at home do, so that the per-address throttling counts only theirs.

Prints, per server: candidates served per second (a sign-in and a read each), the server's CPU
milliseconds per candidate, p50/p99 latency of each step, and the errors, which must be 0 (a
"database is locked" in a server's log counts as one).

    .venv/bin/python bench/results_day.py
    .venv/bin/python bench/results_day.py --candidates 1000 --rounds 2
    .venv/bin/python bench/results_day.py --database-url postgres://postgres@127.0.0.1/examdesk_bench
"""

import argparse
import asyncio
import itertools
import tempfile
import time
from pathlib import Path

import bench_data
from loadgen import Connection, Job, Run, graphql_request, run_jobs, send_one
from raw import documents
from servers import SECRET_KEY, Server, both_servers, latency, load, table, wait_until_ready

from examdesk.settings import Mode, Settings

LOCKED = "database is locked"


def sign_in_request(port: int, number: int) -> bytes:
    credentials = {
        "username": bench_data.candidate_username(number),
        "password": bench_data.candidate_password(number),
    }
    request = graphql_request(port, documents.SIGN_IN_CANDIDATE, {"input": credentials})
    # One address per candidate, all on loopback: only a header, nothing is sent there.
    address = f"127.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 or 1}"
    head, _, body = request.partition(b"\r\n\r\n")
    return head + f"\r\nX-Forwarded-For: {address}\r\n\r\n".encode() + body


def candidate_job(port: int, first: int) -> Job:
    """Candidate first + index signs in, then reads their results."""

    async def job(connection: Connection, run: Run, index: int) -> None:
        started = time.perf_counter()
        try:
            signed = await connection.send(sign_in_request(port, first + index))
            run.note("signIn", started, signed)
            if signed.failed:
                return
            token = signed.json()["data"]["signInCandidate"]["token"]
            read = graphql_request(port, documents.CANDIDATE_RESULTS, {}, token)
            started = time.perf_counter()
            answer = await connection.send(read)
        except (OSError, asyncio.IncompleteReadError) as error:
            run.note("connection", started, None, repr(error))
            return
        missing = "" if b'"candidateResults":{' in answer.content else "results: no results"
        run.note("results", started, answer, missing)

    return job


async def check_same_results(servers: tuple[Server, Server]) -> None:
    """Candidate 0 signs in on each server; each token reads the same bytes on both."""
    for server in servers:
        signed = await send_one(server.port, sign_in_request(server.port, 0))
        payload = signed.json()["data"]["signInCandidate"]
        if signed.failed or payload["errors"]:
            raise SystemExit(f"{server.name}: candidate 0 could not sign in: {payload}")
        token = payload["token"]
        read = [
            await send_one(s.port, graphql_request(s.port, documents.CANDIDATE_RESULTS, {}, token))
            for s in servers
        ]
        if read[0].content != read[1].content or read[0].failed:
            raise SystemExit(
                f"candidateResults differ:\nexamdesk: {read[0].content!r}\n"
                f"raw:      {read[1].content!r}"
            )
    print(f"  candidateResults: the same {len(read[0].content):,} bytes from both")


async def measure(
    servers: tuple[Server, Server], args: argparse.Namespace
) -> dict[str, tuple[Run, float]]:
    """Each server's runs merged, with its CPU seconds."""
    merged = {s.name: (Run(), 0.0) for s in servers}
    # Candidate 0 signed in already; the rest in equal slices, one per round.
    bounds = [1 + (args.candidates - 1) * r // args.rounds for r in range(args.rounds + 1)]
    for number, (first, end) in enumerate(itertools.pairwise(bounds)):
        order = servers if number % 2 == 0 else servers[::-1]
        for server in order:
            cpu = server.cpu_seconds()
            run = await run_jobs(
                server.port, candidate_job(server.port, first), end - first, args.concurrency
            )
            total, used = merged[server.name]
            total.seconds += run.seconds
            total.done += run.done
            total.failures += run.failures
            for kind, values in run.latencies.items():
                total.latencies.setdefault(kind, []).extend(values)
            merged[server.name] = (total, used + server.cpu_seconds() - cpu)
        print(f"  round {number + 1}/{args.rounds}: candidates {first}-{end - 1}, load {load()}")
    return merged


def locked(server: Server) -> int:
    return server.log.read_text(errors="replace").count(LOCKED)


def report(servers: tuple[Server, Server], merged: dict[str, tuple[Run, float]]) -> str:
    rows = []
    for server in servers:
        run, cpu = merged[server.name]
        rows.append(
            [
                server.name,
                f"{run.done / run.seconds:,.1f}",
                f"{cpu / run.done * 1000:.2f}",
                latency(run.latencies.get("signIn", [])),
                latency(run.latencies.get("results", [])),
                f"{len(run.failures)} ({locked(server)} locked)",
            ]
        )
    header = [
        "server",
        "candidates/s (sign-in + read)",
        "CPU ms/candidate",
        "signInCandidate p50/p99 ms",
        "candidateResults p50/p99 ms",
        "errors",
    ]
    return table(header, rows)


async def run(args: argparse.Namespace, database_url: str, logs: Path) -> int:
    settings = Settings(database_url=database_url, mode=Mode.PRODUCTION, secret_key=SECRET_KEY)
    print(f"seeding {database_url} ...", flush=True)
    seeded = await bench_data.seed(settings, args.candidates)
    print(f"  {seeded.candidates:,} candidates ({seeded.seconds:.0f} s); load average {load()}")
    with both_servers(database_url, logs) as servers:
        await wait_until_ready(*servers)
        await check_same_results(servers)
        before = load()
        merged = await measure(servers, args)
        after = load()
        result = report(servers, merged)
        locks = sum(locked(s) for s in servers)
    failures = [f for run, _ in merged.values() for f in run.failures]
    for failure in failures[:5]:
        print(f"  error: {failure}")
    print(
        f"\n{args.candidates - 1:,} candidates on each server in {args.rounds} rounds, "
        f"{args.concurrency} at a time; load average (1/5/15 min) {before} before, {after} after\n"
    )
    print(result)
    (e, _), (r, _) = merged["examdesk"], merged["raw"]
    print(f"\nraw/examdesk: {(r.done / r.seconds) / (e.done / e.seconds):.1f}x candidates/s")
    return 1 if failures or locks else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", help="postgres://... (WIPED); default: temporary SQLite")
    parser.add_argument("--candidates", type=int, default=10_000, help="at most 10,000")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16, help="candidates at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="examdesk-results-day-") as directory:
        url = args.database_url or f"sqlite://{Path(directory) / 'bench.sqlite3'}"
        raise SystemExit(asyncio.run(run(args, url, Path(directory))))


if __name__ == "__main__":
    main()
