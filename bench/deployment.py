"""Benchmark: the whole deployment on PostgreSQL under a mixed load, one process against three.

Phase 1 runs one `examdesk serve` (its own job worker inside); phase 2 runs two
`examdesk serve --no-worker` and one `examdesk worker`, the virtual users spread round-robin over
the two app ports. Each phase starts from the same freshly seeded database (bench/bench_data.py:
a centre of N candidates with entries, results and results-website credentials, 150 staff; the
--database-url is WIPED, so give it a database of its own, never `test`), and gets the same load
for the same --seconds (bench/deployment_load.py), --concurrency virtual users at once:

- staff pages as the centre's exams officer: the candidates page (50 with entries and results),
  `organisationUsers` (15), `me`;
- writes: `updateUser` (a staff member's names; each virtual user writes its own staff) and
  `enterCandidate` (a new candidate entered for two syllabuses, its password hashed);
- candidates on the results website: `signInCandidate`, then `candidateResults`;
- one `uploadUsers` of --upload-rows staff (CSV; a job hashes every password), posted to the
  first app process and its job polled to the end through the other.

Afterwards every write the app acknowledged (answered without errors) is looked for in the
database, with asyncpg: each staff member's names as last written, an audit event for every
names write, every entered candidate with their number and two entries, every uploaded account.
Prints per phase requests/s and p50/p99 per kind, errors (must be 0), writes acknowledged and
found (must be all), the upload's rows and time, the load average, and phase 2's throughput over
phase 1's. Exits 1 if anything failed or any acknowledged write is missing.

    .venv/bin/python bench/deployment.py --database-url postgres://postgres@127.0.0.1/examdesk_bench
    .venv/bin/python bench/deployment.py --database-url ... --seconds 30 --concurrency 16
"""

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import bench_data
from deployment_load import Phase, VirtualUser, upload_email, upload_staff
from loadgen import graphql_request, send_one
from servers import SECRET_KEY, Server, examdesk_processes, latency, load, table, wait_until_ready

from examdesk.settings import Mode, Settings

SIGN_IN = "mutation($input: SignInInput!) { signIn(input: $input) { token errors { code } } }"
PHASES = {
    "single": {"app": ["serve"]},
    "split": {
        "app1": ["serve", "--no-worker"],
        "app2": ["serve", "--no-worker"],
        "worker": ["worker"],
    },
}
# The worker says so in its log once its loops run.
WORKER_STARTED = "examdesk worker started"


@dataclass(frozen=True)
class Checked:
    """Acknowledged writes looked for in the database, and what was missing."""

    found: int
    missing: list[str]


async def sign_in_officer(port: int) -> str:
    variables = {"input": {"email": bench_data.OFFICER, "password": bench_data.STAFF_PASSWORD}}
    answer = await send_one(port, graphql_request(port, SIGN_IN, variables))
    payload = answer.json()["data"]["signIn"]
    if payload["errors"] or not payload["token"]:
        raise SystemExit(f"the exams officer could not sign in: {payload}")
    return str(payload["token"])


async def wait_for_worker(worker: Server) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and worker.process.poll() is None:
        if WORKER_STARTED in worker.log.read_text(errors="replace"):
            return
        await asyncio.sleep(0.2)
    raise SystemExit(f"the worker did not start; its log:\n{worker.log.read_text()[-3000:]}")


async def staff_ids(database_url: str) -> list[int]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            """SELECT id FROM "user" WHERE email LIKE 'staff%@zz900.example' ORDER BY id"""
        )
    finally:
        await connection.close()
    return [row["id"] for row in rows]


async def drive(phase: Phase, processes: list[Server], args: argparse.Namespace) -> None:
    """The mixed load on the app processes for --seconds, and the upload beside it; the CPU
    each process used meanwhile."""
    ports = [p.port for p in processes if p.name != "worker"]
    token = await sign_in_officer(ports[0])
    staff = await staff_ids(args.database_url)
    warm = Phase("warm")
    for number, port in enumerate(ports):  # imports, caches, prepared statements: untimed
        warming = VirtualUser(1000 + number, port, token, staff[:1], warm, args.candidates)
        await warming.run_until(time.perf_counter() + 3)
    if warm.failures:
        raise SystemExit(f"failed while warming up: {warm.failures[:3]}")
    users = [
        VirtualUser(
            i, ports[i % len(ports)], token, staff[i :: args.concurrency], phase, args.candidates
        )
        for i in range(args.concurrency)
    ]
    used = {p.name: p.cpu_seconds() for p in processes}
    started = time.perf_counter()
    deadline = started + args.seconds
    upload = asyncio.create_task(upload_staff(phase, ports, token, args.upload_rows))
    await asyncio.gather(*(user.run_until(deadline) for user in users))
    phase.seconds = time.perf_counter() - started
    await upload
    phase.cpu = {p.name: p.cpu_seconds() - used[p.name] for p in processes}


async def check(phase: Phase, database_url: str) -> Checked:
    """Every acknowledged write, looked for in the database."""
    connection = await asyncpg.connect(database_url)
    try:
        users = {
            row["id"]: (row["first_name"], row["last_name"])
            for row in await connection.fetch(
                'SELECT id, first_name, last_name FROM "user" WHERE id = ANY($1)',
                list(phase.names),
            )
        }
        audited = {
            (int(row["target_id"]), row["first"], row["last"])
            for row in await connection.fetch(
                "SELECT target_id, after->>'firstName' AS first, after->>'lastName' AS last "
                "FROM audit_event WHERE action = 'user.update_names'"
            )
        }
        entered = {
            (row["username"], row["candidate_number"]): row["entries"]
            for row in await connection.fetch(
                "SELECT c.username, c.candidate_number, count(e.id) AS entries FROM candidate c "
                "JOIN entry e ON e.candidate_id = c.id WHERE c.username = ANY($1) "
                "GROUP BY c.username, c.candidate_number",
                list(phase.entered),
            )
        }
        uploaded = await connection.fetchval(
            'SELECT count(*) FROM "user" u JOIN membership m ON m.user_id = u.id '
            "WHERE u.email = ANY($1)",
            [upload_email(phase.name, i) for i in range(phase.upload_rows)],
        )
    finally:
        await connection.close()
    missing = [
        f"user {user_id} named {names} (the row has {users.get(user_id)})"
        for user_id, written in phase.names.items()
        for number, names in enumerate(written, 1)
        # Every write is in the audit trail; the row holds the last.
        if (user_id, *names) not in audited
        or (number == len(written) and users.get(user_id) != names)
    ]
    missing += [
        f"candidate {username} ({number})"
        for username, number in phase.entered.items()
        if entered.get((username, number)) != 2
    ]
    found = phase.acknowledged - len(missing) + uploaded
    if uploaded != phase.upload_rows:
        missing.append(f"uploaded accounts: {uploaded} of {phase.upload_rows}")
    return Checked(found, missing)


async def run_phase(
    name: str, database_url: str, logs: Path, args: argparse.Namespace
) -> tuple[Phase, Checked, str, str]:
    settings = Settings(database_url=database_url, mode=Mode.PRODUCTION, secret_key=SECRET_KEY)
    seeded = await bench_data.seed(settings, args.candidates)
    print(f"{name}: seeded {seeded.candidates:,} candidates ({seeded.seconds:.0f} s)", flush=True)
    phase = Phase(name)
    with examdesk_processes(database_url, logs / name, PHASES[name]) as processes:
        apps = [p for p in processes if p.name != "worker"]
        await wait_until_ready(*apps)
        for worker in (p for p in processes if p.name == "worker"):
            await wait_for_worker(worker)
        before = load()
        await drive(phase, processes, args)
        after = load()
    checked = await check(phase, database_url)
    print(f"  {name}: done, load average {before} before, {after} after", flush=True)
    return phase, checked, before, after


# The upload's own requests: reported by count, and left out of the load's throughput.
UPLOAD_KINDS = ("uploadUsers", "job")


def rate(phase: Phase, kind: str | None = None) -> float:
    kinds = [kind] if kind else [k for k in phase.latencies if k not in UPLOAD_KINDS]
    return sum(len(phase.latencies.get(k, [])) for k in kinds) / phase.seconds


def throughput(phase: Phase, kind: str) -> str:
    if kind in UPLOAD_KINDS:
        return f"({len(phase.latencies.get(kind, []))} sent)"
    return f"{rate(phase, kind):,.1f}"


def cpu(phase: Phase) -> str:
    """Each process's CPU seconds; the app processes' per request, the upload's included."""
    requests = sum(len(v) for v in phase.latencies.values())
    apps = sum(seconds for name, seconds in phase.cpu.items() if name != "worker")
    each = " + ".join(f"{name} {seconds:.1f}" for name, seconds in phase.cpu.items())
    return f"{each} ({apps / requests * 1000:.0f} ms per request in the apps)"


def report(phases: list[tuple[Phase, Checked, str, str]]) -> str:
    (one, one_checked, *_), (two, two_checked, *_) = phases
    kinds = sorted(
        set(one.latencies) | set(two.latencies),
        key=lambda k: (k in UPLOAD_KINDS, -rate(one, k)),
    )
    rows = [
        [
            f"`{kind}`",
            throughput(one, kind),
            latency(one.latencies.get(kind, [])),
            throughput(two, kind),
            latency(two.latencies.get(kind, [])),
            "-"
            if kind in UPLOAD_KINDS or not rate(one, kind)
            else f"{rate(two, kind) / rate(one, kind):.2f}x",
        ]
        for kind in kinds
    ]
    rows.append(
        [
            "**all**",
            f"{rate(one):,.1f}",
            "",
            f"{rate(two):,.1f}",
            "",
            f"{rate(two) / rate(one):.2f}x",
        ]
    )
    rows.append(["CPU seconds (CPU ms per request)", cpu(one), "", cpu(two), "", ""])
    rows.append(["errors", str(len(one.failures)), "", str(len(two.failures)), "", ""])
    rows.append(
        [
            "writes acknowledged / found",
            f"{one.acknowledged + one.upload_rows:,} / {one_checked.found:,}",
            "",
            f"{two.acknowledged + two.upload_rows:,} / {two_checked.found:,}",
            "",
            "",
        ]
    )
    rows.append(
        [
            "upload (rows, seconds to the job's end)",
            f"{one.upload_rows} rows, {one.upload_seconds:.1f} s",
            "",
            f"{two.upload_rows} rows, {two.upload_seconds:.1f} s",
            "",
            "",
        ]
    )
    header = [
        "request",
        "1 process req/s",
        "1 process p50/p99 ms",
        "2 apps + worker req/s",
        "2 apps + worker p50/p99 ms",
        "ratio",
    ]
    return table(header, rows)


async def run(args: argparse.Namespace, logs: Path) -> int:
    phases = []
    for name in PHASES:
        (logs / name).mkdir()
        phases.append(await run_phase(name, args.database_url, logs, args))
    bad = 0
    for phase, checked, before, after in phases:
        print(
            f"\n{phase.name}: {phase.seconds:.1f} s, {args.concurrency} virtual users; "
            f"load average (1/5/15 min) {before} before, {after} after; "
            f"upload job {phase.upload_status}"
        )
        for failure in phase.failures[:10]:
            print(f"  error: {failure}")
        for missing in checked.missing[:10]:
            print(f"  missing: {missing}")
        bad += len(phase.failures) + len(checked.missing)
    print()
    print(report(phases))
    return 1 if bad else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="postgres://... (WIPED)")
    parser.add_argument("--seconds", type=float, default=60, help="of load, per phase")
    parser.add_argument("--candidates", type=int, default=2000, help="at the centre, 2 to 10,000")
    parser.add_argument("--concurrency", type=int, default=8, help="virtual users at once")
    parser.add_argument("--upload-rows", type=int, default=300, help="staff in the upload")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "--database-url must be PostgreSQL (postgres://...): several processes share the "
            "database here, which SQLite is not for. It is WIPED: use a database of its own."
        )
    if args.candidates < 2:
        raise SystemExit("--candidates must be at least 2")
    if not 1 <= args.concurrency <= bench_data.STAFF:
        # Each virtual user writes staff members of its own.
        raise SystemExit(f"--concurrency must be 1 to {bench_data.STAFF}")
    with tempfile.TemporaryDirectory(prefix="examdesk-deployment-") as directory:
        raise SystemExit(asyncio.run(run(args, Path(directory))))


if __name__ == "__main__":
    main()
