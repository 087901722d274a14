"""Benchmark: a lost job with a big input, failed as JOB_INTERRUPTED, then run again.

Seeds the demo data in a temporary SQLite database and a RUNNING job as a dead process leaves
it (lease taken, never renewed) whose payload is a staff upload of N accounts (names, emails,
sealed passwords: ~2.3 MB for 9,000). Moves the clock past the lease and times the poller's pass
(seal the input off the event loop, empty the payload), with the longest stall of the event loop
meanwhile; then rerunJob through the API (unseal, queue). Not a test: nothing is asserted.

    .venv/bin/python bench/interrupted_jobs.py --accounts 9000 --repeat 3
"""

import argparse
import asyncio
import json
import time

from harness import graphql, serving, sign_in
from strawberry import relay

from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import User
from resolvers.core import clock, interrupted_jobs, jobs

CREATOR = "users@aa101.example"
KIND = "bench.restored"


async def count_restored(run: jobs.JobRun) -> dict[str, object]:
    """The rerun's handler: the input it got back, counted (no real upload is run)."""
    return {"accounts": len(run.payload["accounts"])}


jobs.install({KIND: jobs.JobKind(count_restored, requires=("user_accounts", "create"))})

RERUN = """
mutation($input: RerunJobInput!) { rerunJob(input: $input) { job { status } errors { code } } }
"""


def staff_payload(accounts: int) -> dict[str, object]:
    return {
        "organisationId": 0,
        "file": "staff.csv",
        "accounts": [
            {
                "email": f"bench{i:05d}@aa101.example",
                "first_name": f"First{i}",
                "last_name": f"Last{i}",
                "roles": ["INVIGILATOR"],
                "password": "gAAAAA" + "x" * 134,
            }
            for i in range(accounts)
        ],
    }


async def longest_stall(stop: asyncio.Event) -> float:
    """The longest the event loop went without running this task (asked to wake every 1 ms)."""
    worst = 0.0
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        worst = max(worst, time.perf_counter() - before - 0.001)
    return worst


async def run(accounts: int, repeat: int) -> None:
    async with serving() as bench:
        token = await sign_in(bench.http, CREATOR)
        creator = await User.get(email=CREATOR)
        centre = await Organisation.get(code="AA101")
        payload = staff_payload(accounts)
        size = len(json.dumps(payload))
        for _ in range(repeat):
            job = await Job.create(
                kind=KIND,
                created_by_id=creator.id,
                organisation_id=centre.id,
                status=JobStatus.RUNNING,
                payload=payload,
                created_at=clock.now(),
                started_at=clock.now(),
                lease_expires_at=clock.now() + jobs.LEASE,
                runs=1,
            )
            clock.advance(jobs.LEASE * 2)
            stop = asyncio.Event()
            watcher = asyncio.create_task(longest_stall(stop))
            started = time.perf_counter()
            failed = await interrupted_jobs.interrupt_lost_jobs()
            interrupt_seconds = time.perf_counter() - started
            stop.set()
            stall = await watcher
            row = await Job.get(id=job.id)
            started = time.perf_counter()
            data = await graphql(
                bench.http, RERUN, {"input": {"id": str(relay.GlobalID("Job", str(job.id)))}}, token
            )
            rerun_seconds = time.perf_counter() - started
            sealed = len(row.sealed_input or "")
            print(
                f"accounts={accounts} payload={size:,} B sealed={sealed:,} B "
                f"interrupted={failed} pass={interrupt_seconds * 1000:.0f} ms "
                f"longest loop stall={stall * 1000:.1f} ms "
                f"rerunJob={rerun_seconds * 1000:.0f} ms ({data['rerunJob']['job']['status']})"
            )
            # The worker runs the rerun; the next round's job must not queue behind it.
            while (await Job.get(id=job.id)).status is not JobStatus.SUCCEEDED:  # noqa: ASYNC110
                await asyncio.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=9000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.accounts, args.repeat))


if __name__ == "__main__":
    main()
