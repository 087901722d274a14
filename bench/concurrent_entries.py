"""Benchmark: many enterCandidate calls at one centre at the same moment.

Seeds the demo data, signs in as AA101's exams officer, then sends rounds of N enterCandidate
calls at once (asyncio.gather, new usernames, no candidate number: the server picks it) and
prints, per round, how many succeeded, the error codes of the others, the wall time of the
round and whether the numbers given were all different. Not a test: nothing is asserted.

    .venv/bin/python bench/concurrent_entries.py --at-once 32 --rounds 5
    .venv/bin/python bench/concurrent_entries.py --at-once 32 --rounds 5 \\
        --database-url postgres://postgres@127.0.0.1:5432/examdesk_bench   # WIPES that database
"""

import argparse
import asyncio
import statistics
import time
from collections import Counter

from harness import serving, sign_in, wipe_postgres

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  errors { code } candidate { candidateNumber }
} }"""
OFFICER = "eo@aa101.example"


async def main(at_once: int, rounds: int, database_url: str | None) -> None:
    if database_url:
        await wipe_postgres(database_url)
    async with serving(database_url=database_url) as bench:
        token = await sign_in(bench.http, OFFICER)
        headers = {"Authorization": f"Bearer {token}"}

        async def enter(username: str) -> tuple[str | None, str | None, float]:
            variables = {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "syllabusCodes": ["0500"],
                    "username": username,
                    "firstName": "Nia",
                    "lastName": "Long",
                    "password": "Secret2026",
                }
            }
            started = time.perf_counter()
            response = await bench.http.post(
                "/graphql", json={"query": ENTER, "variables": variables}, headers=headers
            )
            seconds = time.perf_counter() - started
            body = response.json()
            if body.get("errors"):
                return None, body["errors"][0].get("extensions", {}).get("code"), seconds
            payload = body["data"]["enterCandidate"]
            if payload["errors"]:
                return None, payload["errors"][0]["code"], seconds
            return payload["candidate"]["candidateNumber"], None, seconds

        backend = "PostgreSQL" if database_url else "SQLite"
        print(f"{at_once} enterCandidate calls at once at AA101, {rounds} rounds, {backend}")
        for round_number in range(1, rounds + 1):
            started = time.perf_counter()
            answers = await asyncio.gather(
                *(enter(f"bench_r{round_number}_{i:03d}") for i in range(at_once))
            )
            wall = time.perf_counter() - started
            numbers = [number for number, _, _ in answers if number is not None]
            failures = Counter(code for _, code, _ in answers if code is not None)
            latency = statistics.median(seconds for _, _, seconds in answers)
            print(
                f"round {round_number}: {len(numbers)}/{at_once} succeeded"
                f"{', failed: ' + dict(failures).__repr__() if failures else ''}; "
                f"numbers unique: {len(set(numbers)) == len(numbers)}; "
                f"round {wall * 1000:.0f} ms, median call {latency * 1000:.0f} ms"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at-once", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL database to run on; it is wiped first"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.at_once, arguments.rounds, arguments.database_url))
