"""Real `examdesk serve` and `examdesk worker` processes on the test's database, started as an
operator would, on the test's clock.

The suite runs on a fixed day (tests/conftest.py), so each process is started with its clock
moved by the test clock's offset from the real one: otherwise it would read the calendar and find
every session the test made on that day long expired. Its output goes to a log file (a pipe
nobody reads could fill and block it), shown when it fails to start.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from examdesk.settings import Settings
from resolvers.core import clock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Generous: a loaded machine (a test suite running beside) may take long to start Python;
# three processes took over 60 s under a load average of 15.
START_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0

# `examdesk ...` with the process's clock first moved by the test clock's offset from the real
# one (in seconds), after importing the modules named (comma-separated: test job kinds).
ON_TEST_CLOCK = """
import importlib
import sys
from datetime import timedelta
from resolvers.core import clock
from examdesk.cli import main
clock.advance(timedelta(seconds=float(sys.argv[1])))
for module in filter(None, sys.argv[2].split(",")):
    importlib.import_module(module)
main(sys.argv[3:])
"""


def process_env(settings: Settings, **more: str) -> dict[str, str]:
    """The environment of a process sharing the test app's database and secret key."""
    env = {
        **os.environ,
        "EXAMDESK_DATABASE_URL": settings.database_url,
        "EXAMDESK_FAST_PASSWORD_HASHING": "1",
        # Session tokens are stored keyed-hashed: every process needs the same key.
        "EXAMDESK_SECRET_KEY": settings.secret_key,
        "EXAMDESK_MODE": "development",
        # What it prints reaches its log at once, to be shown if it fails.
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("EXAMDESK_SMTP_URL", None)
    return {**env, **more}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Examdesk:
    """One `examdesk` process the test started, and its log."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, number: signal.Signals) -> None:
        self.process.send_signal(number)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM (a graceful stop, closing the database), then SIGKILL."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_examdesk(
    args: Sequence[str], env: dict[str, str], log: Path, *, imports: Sequence[str] = ()
) -> Examdesk:
    """`examdesk <args>` in a new process on the test's clock."""
    offset = (clock.now() - datetime.now(UTC)).total_seconds()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", ON_TEST_CLOCK, repr(offset), ",".join(imports), *args],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Examdesk(process, log)


def start_server(port: int, env: dict[str, str], log: Path, *more: str) -> Examdesk:
    """`examdesk serve` on a loopback port, with `more` options (--no-worker)."""
    return start_examdesk(["serve", "--host", "127.0.0.1", "--port", str(port), *more], env, log)


def client_of(port: int) -> httpx.AsyncClient:
    # trust_env=False: a proxy configured in the environment must not catch loopback calls.
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=10.0)


async def wait_until_healthy(client: httpx.AsyncClient, server: Examdesk) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server exited with {server.process.returncode}:\n{server.output()}")
        try:
            response = await client.get("/healthz")
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        await asyncio.sleep(0.1)
    pytest.fail(f"the server was not healthy within {START_TIMEOUT}s:\n{server.output()}")


async def wait_for_output(process: Examdesk, text: str) -> None:
    """Until the process has logged `text` (a worker has no /healthz to ask)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if text in process.output():
            return
        if process.process.poll() is not None:
            pytest.fail(
                f"the process exited with {process.process.returncode}:\n{process.output()}"
            )
        await asyncio.sleep(0.1)
    pytest.fail(f"the process did not log {text!r} within {START_TIMEOUT}s:\n{process.output()}")
