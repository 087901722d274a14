"""Benchmark: enterCandidatesFromCsv with N rows through the real ASGI app, and its job.

Seeds the demo data in a temporary SQLite database, signs in as AA101's exams officer, then:
a dry run of an N-row file (the validation alone, timed R times), the real upload (validation and
queuing the job), and the job to SUCCEEDED (hashing every password with argon2id, then one
writing transaction), polled through `job(id)` as a client would. Production argon2 parameters
unless --fast. Not a test: nothing is asserted; run it before and after a change and compare.

    .venv/bin/python bench/bulk_entries.py --rows 2000 --repeat 5
"""

import argparse
import asyncio
import time

from harness import Upload, serving, sign_in, time_upload

from models.jobs import Job
from resolvers.identity.passwords import hash_password

OFFICER = "eo@aa101.example"
UPLOAD = """
mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv(input: $input) {
  rowsRead rowsWithErrors job { id } errors { code message }
} }"""


def candidates_csv(rows: int) -> bytes:
    lines = ["first_name,last_name,username,password,syllabus_codes"]
    lines += [f"First{i},Last{i},bench_{i:05d},Secret{i:05d}X,0500;0580" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


async def run(rows: int, repeat: int, fast: bool) -> None:
    async with serving(fast_password_hashing=fast) as bench:
        started = time.perf_counter()
        for _ in range(10):
            hash_password("Secret00000X")
        per_hash = (time.perf_counter() - started) / 10
        token = await sign_in(bench.http, OFFICER)
        content = candidates_csv(rows)
        upload = Upload(
            UPLOAD,
            "enterCandidatesFromCsv",
            {"centreCode": "AA101", "seriesCode": "2026-NOV"},
            "bench.csv",
            content,
            "text/csv",
        )
        timed = await time_upload(bench.http, token, upload, repeat, every=0.5)
        row = await Job.get(kind="candidates.csv")
        assert row.started_at
        assert row.finished_at
        assert row.heartbeat_at
    print(f"rows={rows} argon2={'fast (tests)' if fast else 'production'} file={len(content):,} B")
    print(f"  {per_hash * 1000:8.1f} ms per password hash (one thread)")
    print(timed.report(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000, help="candidate rows in the file")
    parser.add_argument("--repeat", type=int, default=5, help="timed dry runs")
    parser.add_argument("--fast", action="store_true", help="cheap argon2 (as the tests)")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.repeat, args.fast))


if __name__ == "__main__":
    main()
