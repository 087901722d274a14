"""`examdesk serve` as an operator runs it (examdesk/serving.py): N worker processes on
PostgreSQL (refused on SQLite), and a SIGTERM that lets the request being answered finish."""

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers.cli import run_cli
from tests.helpers.database import POSTGRES_URL

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Each worker imports the whole app and opens the database: two workers took 14 to 30 s on
# a shared two-core machine busy with other test runs.
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
TOKEN = "metrics-token-for-the-tests"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(database_url: str, port: int, log: Path, *options: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "EXAMDESK_DATABASE_URL": database_url,
        "EXAMDESK_FAST_PASSWORD_HASHING": "1",
        "EXAMDESK_METRICS_TOKEN": TOKEN,
        "EXAMDESK_SHUTDOWN_SECONDS": "10",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("wb") as output:
        # A file, not a pipe nobody reads, which could fill and block the server.
        return subprocess.Popen(
            [sys.executable, "-m", "examdesk.cli", "serve", "--port", str(port), *options],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def read_log(log: Path) -> str:
    return log.read_text(errors="replace")


def parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    # The command's name is in parentheses and may hold spaces: the fields after it are fixed.
    return int(stat.rsplit(")", 1)[1].split()[1])


async def wait_for(
    process: subprocess.Popen[bytes], log: Path, ready: "re.Pattern[str]", n: int
) -> str:
    """The server's log, once `ready` is in it `n` times."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = read_log(log)
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{text}")
        if len(ready.findall(text)) >= n:
            return text
        await asyncio.sleep(0.2)
    pytest.fail(f"not ready within {START_TIMEOUT}s:\n{read_log(log)}")


SERVING = re.compile(r"examdesk process (\d+) serving")
STARTED = re.compile(r"Application startup complete")


def test_several_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    refused = run_cli(f"sqlite://{tmp_path / 'db.sqlite3'}", "serve", "--workers", "2")
    assert refused.returncode == 1
    assert "PostgreSQL" in refused.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.skipif(not POSTGRES_URL, reason="several processes need PostgreSQL")
async def test_serve_workers_runs_that_many_processes(database_url: str, tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    process = start(database_url, port, log, "--workers", "2")
    try:
        text = await wait_for(process, log, STARTED, 2)
        workers = {int(pid) for pid in SERVING.findall(text)}
        assert len(workers) == 2
        assert process.pid not in workers
        assert {parent_of(pid) for pid in workers} == {process.pid}
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=10.0
        ) as client:
            for _ in range(6):
                assert (await client.get("/readyz")).status_code == 200
            # The workers' counts add up, whichever of them answers the scrape.
            metrics = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert metrics.status_code == 200
        assert 'examdesk_requests_total{operation="/readyz",outcome="ok"} 6.0' in metrics.text
    finally:
        stop(process)
    assert all(parent_of(pid) != process.pid for pid in workers)


async def test_sigterm_lets_the_running_request_finish_then_stops(
    database_url: str, tmp_path: Path
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    process = start(database_url, port, log)
    try:
        await wait_for(process, log, STARTED, 1)
        body = b'{"query": "{ __typename }"}'
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: examdesk.test\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        await writer.drain()
        await asyncio.sleep(0.5)  # the request is being read when the signal comes
        process.send_signal(signal.SIGTERM)
        await asyncio.sleep(1.0)
        # No new connections any more...
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", port)
        # ...but the request already started is answered.
        writer.write(body[10:])
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), STOP_TIMEOUT)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert answer.endswith(b'{"data":{"__typename":"Query"}}')
        # uvicorn ends by the signal it was sent, once it has shut down.
        assert await asyncio.to_thread(process.wait, STOP_TIMEOUT) in {0, -signal.SIGTERM}
    finally:
        stop(process)
    assert "Application shutdown complete" in read_log(log)
