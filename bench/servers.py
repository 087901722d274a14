"""The two servers the comparison benchmarks drive, as real processes on loopback: examdesk
(`examdesk serve`, one uvicorn worker, production mode) and the raw endpoint (bench/raw/, the
same uvicorn), over one seeded database; and what the benchmarks report about them.

Each is started with examdesk's environment variables, so both read the same database and accept
the same session tokens, and stopped (SIGTERM, then SIGKILL) by its own process id.
"""

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loadgen import send_one

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
_TICKS = os.sysconf("SC_CLK_TCK")
# One per run: the seeding hashes tokens with it, and both servers read it.
SECRET_KEY = "bench-" + secrets.token_urlsafe(36)


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        """User and system CPU time the server process has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, port: int) -> dict[str, str]:
    """Production settings, as a deployment sets them; one secret key per run."""
    return {
        **os.environ,
        "EXAMDESK_DATABASE_URL": database_url,
        "EXAMDESK_MODE": "production",
        "EXAMDESK_SECRET_KEY": SECRET_KEY,
        "EXAMDESK_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }


def _start(
    name: str, command: list[str], cwd: Path, database_url: str, logs: Path, listen: bool = True
) -> Server:
    """A process on a free port, or (listen=False: `examdesk worker`) one serving nothing."""
    port = free_port()
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)] if listen else command,
            cwd=cwd,
            env=environment(database_url, port),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    return Server(name, port, process, log)


# examdesk builds its schema and opens the database first: seconds on a busy machine.
_START_SECONDS = 120.0


async def _ready(server: Server) -> None:
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            if (await send_one(server.port, request)).status == 200:
                return
        await asyncio.sleep(0.2)
    raise SystemExit(f"{server.name} did not start; its log:\n{server.log.read_text()[-3000:]}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextlib.contextmanager
def both_servers(database_url: str, logs: Path) -> Iterator[tuple[Server, Server]]:
    """examdesk and the raw endpoint, running until the block ends."""
    python = sys.executable
    serve = [python, "-m", "examdesk.cli", "serve"]
    examdesk = _start("examdesk", serve, ROOT, database_url, logs)
    # The raw endpoint's package is bench/raw/, run from bench/.
    raw = _start("raw", [python, "-m", "raw"], BENCH, database_url, logs)
    try:
        yield examdesk, raw
    finally:
        stop(raw)
        stop(examdesk)


@contextlib.contextmanager
def examdesk_processes(
    database_url: str, logs: Path, commands: dict[str, list[str]]
) -> Iterator[list[Server]]:
    """One process per examdesk command (`serve`, `serve --no-worker`, `worker`), by name, in
    order, running until the block ends; a `worker` listens on no port."""
    started: list[Server] = []
    try:
        for name, arguments in commands.items():
            command = [sys.executable, "-m", "examdesk.cli", *arguments]
            listen = arguments[0] == "serve"
            started.append(_start(name, command, ROOT, database_url, logs, listen))
        yield started
    finally:
        for server in reversed(started):
            stop(server)


async def wait_until_ready(*servers: Server) -> None:
    for server in servers:
        await _ready(server)


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def latency(values: list[float]) -> str:
    """p50/p99 in milliseconds."""
    if not values:
        return "-"
    return f"{statistics.median(values) * 1000:.1f}/{percentile(values, 0.99) * 1000:.1f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, to paste into bench/README.md as printed."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
