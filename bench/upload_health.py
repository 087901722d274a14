"""Benchmark: /healthz latency on a real server while zip bombs and big spreadsheets are uploaded.

Starts `examdesk serve --demo` (uvicorn) on a free loopback port with a temporary SQLite
database, signs in as AA101's user manager and the board admin, measures /healthz alone for a
few seconds, then uploads files one after the other while another connection GETs /healthz
every `--every` seconds, and prints p50/p99/max of /healthz (for each file, and overall) and the
uploads' times and answers. The files: a zip bomb (an .xlsx of 400 KB whose sheet of empty
cells expands to `--bomb-mb` MB, as in issue 9) sent `--bombs` times to uploadUsers, then as
many to uploadCentres, then a real 20,000-row centres workbook (a dry run) `--large` times.
Bounded: those counts, and `--seconds` seconds, after which a request still running is
abandoned and the server stopped. Not a test: nothing is asserted.

    .venv/bin/python bench/upload_health.py --bombs 300 --large 2 --seconds 300
"""

import argparse
import asyncio
import contextlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import httpx
from harness import sign_in

from resolvers.core.spreadsheets import xlsx_bytes

# The checkout whose server is measured: the one this script is in.
ROOT = Path(__file__).resolve().parent.parent
MANAGER = "users@aa101.example"
ADMIN = "admin@exb.example"
USERS = (
    "mutation($input: UploadUsersInput!) { uploadUsers(input: $input) { errors { code message } } }"
)
CENTRES = (
    "mutation($input: UploadCentresInput!) { uploadCentres(input: $input) "
    "{ report { rowsProcessed } errors { code message } } }"
)
USER_HEADER = ["first_name", "last_name", "email", "password", "role"]
CENTRE_HEADER = [
    "centre_number",
    "centre_name",
    "address",
    "city",
    "country",
    "user_email",
    "user_first_name",
    "user_last_name",
    "user_roles",
]
SHEET = "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class File:
    name: str
    mutation: str
    field: str
    input: dict[str, str]
    content: bytes
    admin: bool


def bomb_sheet(header: list[str], megabytes: int) -> Iterator[bytes]:
    """A header row, then rows of empty styled cells: no row for a row limit to count, every
    byte for the parser to read."""
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + f'<row r="1">{cells}</row>'.encode()
    )
    chunk = b'<row><c s="1"/><c s="1"/><c s="1"/></row>' * 25_000
    for _ in range(megabytes * 1_000_000 // len(chunk) + 1):
        yield chunk
    yield b"</sheetData></worksheet>"


def bomb(header: list[str], megabytes: int) -> bytes:
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([header])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for member in original.infolist():
            if member.filename != SHEET:
                archive.writestr(member, original.read(member))
        with archive.open(SHEET, "w") as sheet:
            for piece in bomb_sheet(header, megabytes):
                sheet.write(piece)
    return out.getvalue()


def centres(rows: int) -> bytes:
    table = [CENTRE_HEADER] + [
        [
            f"B{i // 2:05d}",
            f"Bench Centre {i // 2}",
            f"{i // 2} Road",
            "Town",
            "Land",
            f"bench{i}@bench.example",
            "First",
            f"Last{i}",
            "SLT",
        ]
        for i in range(rows)
    ]
    return xlsx_bytes(table)


def files(bomb_mb: int) -> list[File]:
    return [
        File(
            "bomb.xlsx -> uploadUsers",
            USERS,
            "uploadUsers",
            {"organisationCode": "AA101"},
            bomb(USER_HEADER, bomb_mb),
            admin=False,
        ),
        File(
            "bomb.xlsx -> uploadCentres",
            CENTRES,
            "uploadCentres",
            {},
            bomb(CENTRE_HEADER, bomb_mb),
            admin=True,
        ),
        File(
            "centres-20000.xlsx -> uploadCentres (dry run)",
            CENTRES,
            "uploadCentres",
            {},
            centres(20_000),
            admin=True,
        ),
    ]


def expanded(content: bytes) -> int:
    return sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(content)).infolist())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _log(directory: str) -> BinaryIO:
    """The server's output, kept beside its database for when it does not start."""
    return (Path(directory) / "server.log").open("wb")


@contextlib.asynccontextmanager
async def server(directory: str) -> AsyncIterator[str]:
    """`examdesk serve --demo` of this checkout, on loopback, until it answers /healthz."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EXAMDESK_DATABASE_URL": f"sqlite://{Path(directory) / 'bench.sqlite3'}",
        "EXAMDESK_FAST_PASSWORD_HASHING": "1",
    }
    log = _log(directory)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "examdesk.cli",
        "serve",
        "--demo",
        "--port",
        str(port),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/healthz")).status_code == 200:
                        break
                if process.returncode is not None:
                    raise SystemExit(f"the server stopped: see {log.name}")
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("the server did not answer /healthz within 60 s")
        yield base
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
        log.close()


async def upload(http: httpx.AsyncClient, token: str, file: File) -> str:
    """The upload's answer in a word: OK, or its first error code."""
    operations = {
        "query": file.mutation,
        "variables": {"input": {**file.input, "dryRun": True, "file": None}},
    }
    response = await http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("upload.xlsx", file.content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}", "X-Examdesk-Upload": "1"},
    )
    body = response.json()
    payload = (body.get("data") or {}).get(file.field) or {}
    errors = payload.get("errors") or body.get("errors")
    return f"{response.status_code} " + (errors[0].get("code", "ERROR") if errors else "OK")


@dataclass
class Health:
    """/healthz latencies in ms, each under the name of what the server was doing."""

    doing: str = "idle"
    seen: dict[str, list[float]] = field(default_factory=dict)

    def add(self, latency: float) -> None:
        self.seen.setdefault(self.doing, []).append(latency)


async def poll(base: str, every: float, until: asyncio.Event, health: Health) -> None:
    """GET /healthz one at a time on a connection of its own, every `every` seconds. A request
    cut short by cancelling counts for as long as it had waited."""
    async with httpx.AsyncClient(base_url=base, timeout=None) as http:
        while not until.is_set():
            started = time.perf_counter()
            doing = health.doing
            try:
                response = await http.get("/healthz")
            finally:
                health.seen.setdefault(doing, []).append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/healthz answered {response.status_code}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(until.wait(), every)


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"n={len(ordered):4d}  p50 {statistics.median(ordered):7.1f} ms  p99 {p99:8.1f} ms  "
        f"max {ordered[-1]:8.1f} ms"
    )


async def run(plan: list[tuple[File, int]], seconds: float, every: float) -> None:
    for file, _ in plan:
        print(
            f"file {file.name}: {len(file.content):,} B, expands to "
            f"{expanded(file.content) / 1_000_000:,.1f} MB"
        )
    health = Health()
    times: dict[str, list[float]] = {}
    answers: dict[str, set[str]] = {}
    with tempfile.TemporaryDirectory(prefix="examdesk-bench-") as directory:
        async with (
            server(directory) as base,
            httpx.AsyncClient(base_url=base, timeout=None) as http,
        ):
            print(f"server {base} (uvicorn, SQLite), code from {ROOT}")
            tokens = {False: await sign_in(http, MANAGER), True: await sign_in(http, ADMIN)}
            done = asyncio.Event()
            polling = asyncio.create_task(poll(base, every, done, health))
            await asyncio.sleep(3)  # /healthz alone, for comparison
            deadline = time.monotonic() + seconds
            try:
                for file, count in plan:
                    health.doing = file.name
                    for _ in range(count):
                        left = deadline - time.monotonic()
                        if left <= 0:
                            break
                        started = time.perf_counter()
                        try:
                            answer = await asyncio.wait_for(
                                upload(http, tokens[file.admin], file), left
                            )
                        except TimeoutError:
                            answer = "abandoned at the time limit"
                        times.setdefault(file.name, []).append(time.perf_counter() - started)
                        answers.setdefault(file.name, set()).add(answer)
            finally:
                health.doing = "after"
                done.set()
                # A /healthz stuck behind a blocked server is waited for 10 s more, no longer.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(polling, 10)
    print("uploads, one after the other:")
    for name, took in times.items():
        print(
            f"  {len(took):3d} x {name}: median {statistics.median(took):.2f} s, max "
            f"{max(took):.2f} s; {', '.join(sorted(answers[name]))}"
        )
    print("/healthz:")
    during = [
        ms for doing, seen in health.seen.items() if doing not in ("idle", "after") for ms in seen
    ]
    for doing, seen in [*health.seen.items(), ("during all uploads", during)]:
        if seen and doing != "after":
            print(f"  {summary(seen)}  {doing}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bombs", type=int, default=300, help="bomb uploads per mutation")
    parser.add_argument("--large", type=int, default=2, help="20,000-row workbook uploads")
    parser.add_argument("--seconds", type=float, default=300, help="time limit of the uploads")
    parser.add_argument("--every", type=float, default=0.02, help="seconds between /healthz")
    parser.add_argument("--bomb-mb", type=int, default=136, help="the bomb's expanded sheet")
    args = parser.parse_args()
    bomb_users, bomb_centres, large = files(args.bomb_mb)
    plan = [(bomb_users, args.bombs), (bomb_centres, args.bombs), (large, args.large)]
    asyncio.run(run(plan, args.seconds, args.every))


if __name__ == "__main__":
    main()
