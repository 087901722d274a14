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
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

# Run as a script from anywhere: the project root holds the packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examdesk.app import create_app
from examdesk.demo import DEMO_PASSWORD, seed_demo
from examdesk.settings import Settings
from models.jobs import Job
from resolvers.passwords import hash_password

OFFICER = "eo@aa101.example"
UPLOAD = """
mutation($input: EnterCandidatesFromCsvInput!) { enterCandidatesFromCsv(input: $input) {
  rowsRead rowsWithErrors job { id } errors { code message }
} }"""
JOB = "query($id: ID!) { job(id: $id) { status stage done total errorMessage } }"


def candidates_csv(rows: int) -> bytes:
    lines = ["first_name,last_name,username,password,syllabus_codes"]
    lines += [f"First{i},Last{i},bench_{i:05d},Secret{i:05d}X,0500;0580" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


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


async def post_file(
    http: httpx.AsyncClient, token: str, content: bytes, dry_run: bool
) -> dict:
    operations = {"query": UPLOAD, "variables": {"input": {
        "centreCode": "AA101", "seriesCode": "2026-NOV", "dryRun": dry_run, "file": None}}}
    response = await http.post(
        "/graphql",
        data={"operations": json.dumps(operations),
              "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("bench.csv", content, "text/csv")},
        headers={"Authorization": f"Bearer {token}", "X-Examdesk-Upload": "1"},
    )
    body = response.json()
    payload = (body.get("data") or {}).get("enterCandidatesFromCsv")
    if response.status_code != 200 or body.get("errors") or payload["errors"]:
        raise SystemExit(f"upload failed: {response.status_code} {body}")
    return payload


async def run(rows: int, repeat: int, fast: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as directory:
        settings = Settings(
            database_url=f"sqlite://{Path(directory) / 'bench.sqlite3'}",
            fast_password_hashing=fast, mail_poll_seconds=3600,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            await seed_demo()
            started = time.perf_counter()
            for _ in range(10):
                hash_password("Secret00000X")
            per_hash = (time.perf_counter() - started) / 10
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", timeout=None
            ) as http:
                token = await sign_in(http)
                content = candidates_csv(rows)
                checks: list[float] = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    await post_file(http, token, content, dry_run=True)
                    checks.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                payload = await post_file(http, token, content, dry_run=False)
                upload_seconds = time.perf_counter() - t0
                job_id = payload["job"]["id"]
                t0 = time.perf_counter()
                lag: list[float] = []
                while True:
                    p0 = time.perf_counter()
                    response = await http.post(
                        "/graphql", json={"query": JOB, "variables": {"id": job_id}},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    lag.append(time.perf_counter() - p0)
                    job = response.json()["data"]["job"]
                    if job["status"] in ("SUCCEEDED", "FAILED"):
                        break
                    await asyncio.sleep(0.5)
                job_seconds = time.perf_counter() - t0
                row = await Job.get(kind="candidates.csv")
                assert row.started_at
                assert row.finished_at
                assert row.heartbeat_at
    print(f"rows={rows} argon2={'fast (tests)' if fast else 'production'} file={len(content):,} B")
    print(f"  {per_hash * 1000:8.1f} ms per password hash (one thread)")
    print(f"  {statistics.median(checks) * 1000:8.1f} ms median dry run (checking every row), "
          f"min {min(checks) * 1000:.1f} ms over {repeat}")
    print(f"  {upload_seconds * 1000:8.1f} ms the real upload (checks + queuing the job)")
    print(f"  {job_seconds:8.1f} s  the job, to {job['status']} ({job['stage']}); "
          f"{job_seconds / rows * 1000:.1f} ms per row")
    print(f"  {statistics.median(lag) * 1000:8.1f} ms median job(id) poll while it ran, "
          f"max {max(lag) * 1000:.1f} ms ({len(lag)} polls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000, help="candidate rows in the file")
    parser.add_argument("--repeat", type=int, default=5, help="timed dry runs")
    parser.add_argument("--fast", action="store_true", help="cheap argon2 (as the tests)")
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.repeat, args.fast))


if __name__ == "__main__":
    main()
