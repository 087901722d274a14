"""Benchmark: 'Confidential examination results information' PDFs for N candidates.

Seeds the demo data and N candidates at centre AA101 with active results credentials for
2026-NOV in a temporary SQLite database, signs in as the exams officer, sends
createResultsCredentialsDocuments through the real ASGI app, and polls job(id) until the job's
worker (started by the app's lifespan) has finished. Meanwhile a probe measures how late the
event loop wakes up (the rendering runs in the CPU pool, in chunks) and how long the job(id) polls
take. Prints the job's time, the two files' sizes and the download time. Not a test: nothing is
asserted; run it before and after a change and compare.

    .venv/bin/python bench/credentials_documents.py --candidates 2000
"""

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass
from functools import partial

from harness import graphql, poll_job, serving, sign_in

from models.exams import Candidate, Entry, Series, Syllabus
from models.organisations import Organisation
from models.results_access import AccessStatus, ResultsAccess, ResultsCredential
from resolvers.core import clock, credential_secrets

CENTRE, SERIES, OFFICER = "AA101", "2026-NOV", "eo@aa101.example"
FIRST_NAMES = ("Zoë", "Łukasz", "Amara", "José", "Siti", "Björn", "Mei Ling", "Ngozi")
LAST_NAMES = ("Ångström", "Wiśniewski", "Okafor", "García", "Rahman", "Åkesson", "Tan", "Eze")
CREATE = """
mutation($input: CreateResultsCredentialsDocumentsInput!) {
  createResultsCredentialsDocuments(input: $input) { job { id } errors { code message } }
}
"""
JOB = """
query($id: ID!) {
  job(id: $id) { status done total stage errorCode errorMessage files { name size url } }
}
"""


@dataclass(frozen=True)
class Result:
    candidates: int
    seed_seconds: float
    job_seconds: float
    files: dict[str, int]
    download_seconds: float
    loop_lag_ms: list[float]
    poll_ms: list[float]

    def report(self) -> str:
        lag = sorted(self.loop_lag_ms)
        polls = sorted(self.poll_ms)
        lines = [
            f"candidates={self.candidates} (seeded in {self.seed_seconds:.1f} s)",
            f"  {self.job_seconds:8.2f} s from the mutation to SUCCEEDED "
            f"({1000 * self.job_seconds / self.candidates:.1f} ms per candidate)",
        ]
        lines += [f"  {size / 1024:8.0f} KiB {name}" for name, size in self.files.items()]
        lines += [
            f"  {self.download_seconds * 1000:8.0f} ms to download both files",
            f"  {statistics.median(lag):8.1f} ms median, {lag[int(len(lag) * 0.99)]:.1f} ms p99, "
            f"{lag[-1]:.1f} ms max event loop lag while rendering ({len(lag)} samples)",
            f"  {statistics.median(polls):8.1f} ms median, {polls[-1]:.1f} ms max job(id) poll "
            f"({len(polls)} polls)",
        ]
        return "\n".join(lines)


async def seed_credentials(count: int) -> None:
    """`count` candidates with active credentials: bulk inserts, one seal per password."""
    centre = await Organisation.get(code=CENTRE)
    series = await Series.get(code=SERIES)
    now = clock.now()
    await ResultsAccess.create(
        centre=centre,
        series=series,
        status=AccessStatus.ALL,
        agreed_at=now,
        contact_name="Zoë Ångström",
        contact_phone="+65 6123 4567",
        contact_email="results@aa101.example",
        delay_hours=24,
        updated_at=now,
    )
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number=f"{5000 + i:04d}",
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)],
                username=f"bench-{i:05d}",
                password_hash="not-used",
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    ids = await Candidate.filter(username__startswith="bench-").values_list("id", flat=True)
    # Only a candidate entered in the series has live credentials (access_state.live_credentials).
    syllabus = await Syllabus.first()
    assert syllabus is not None
    await Entry.bulk_create(
        [
            Entry(
                candidate_id=candidate_id,
                series=series,
                syllabus=syllabus,
                entry_code=f"B{i:07d}",
            )
            for i, candidate_id in enumerate(ids)
        ],
        batch_size=1000,
    )
    credentials = []
    for i, candidate_id in enumerate(ids):
        password = credential_secrets.new_password()
        credentials.append(
            ResultsCredential(
                candidate_id=candidate_id,
                series=series,
                username=f"aa101-bench-{i:05d}",
                password_digest=credential_secrets.digest(password),
                password_sealed=credential_secrets.seal(password),
                created_at=now,
            )
        )
    await ResultsCredential.bulk_create(credentials, batch_size=1000)


async def probe_loop(lags: list[float], stop: asyncio.Event, every: float = 0.01) -> None:
    """How much later than asked the loop wakes a sleeper: its responsiveness."""
    while not stop.is_set():
        asked = time.perf_counter()
        await asyncio.sleep(every)
        lags.append((time.perf_counter() - asked - every) * 1000)


async def run(candidates: int) -> Result:
    seed = partial(seed_credentials, candidates)
    async with serving(seed=seed, public_url="http://bench") as bench:
        http = bench.http
        token = await sign_in(http, OFFICER)
        lags: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.create_task(probe_loop(lags, stop))
        started = time.perf_counter()
        created = await graphql(
            http, CREATE, {"input": {"centreCode": CENTRE, "seriesCode": SERIES}}, token
        )
        payload = created["createResultsCredentialsDocuments"]
        if payload["errors"]:
            raise SystemExit(f"refused: {payload['errors']}")
        job, polls = await poll_job(http, token, payload["job"]["id"], every=0.2, query=JOB)
        job_seconds = time.perf_counter() - started
        stop.set()
        await probe
        if job["status"] != "SUCCEEDED":
            raise SystemExit(f"job failed: {job}")
        t0 = time.perf_counter()
        for file in job["files"]:
            response = await http.get(file["url"])
            if response.status_code != 200 or len(response.content) != file["size"]:
                raise SystemExit(f"download failed: {response.status_code}")
        download_seconds = time.perf_counter() - t0
    return Result(
        candidates,
        bench.seed_seconds,
        job_seconds,
        {f["name"]: f["size"] for f in job["files"]},
        download_seconds,
        lags,
        [poll * 1000 for poll in polls],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=2000, help="candidates with access")
    args = parser.parse_args()
    print(asyncio.run(run(args.candidates)).report())


if __name__ == "__main__":
    main()
