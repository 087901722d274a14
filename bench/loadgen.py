"""A small HTTP/1.1 load generator for the comparison benchmarks: keep-alive connections on
loopback, requests prepared as bytes, no decompression while timing.

Why not httpx: on this 2-core machine its client work per request costs about as much as the
raw endpoint's whole answer, so it would measure itself. This client reads a response by its
Content-Length (uvicorn sends one for every answer here; chunked bodies are read too) and does
little else, and the servers' own CPU time is read from /proc, which does not depend on it.
"""

import asyncio
import contextlib
import gzip
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# A GraphQL error in an answer that is not compressed (errors are short, so never compressed).
_ERROR = b'"errors":[{'


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content(self) -> bytes:
        """The body as sent before compression."""
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.body)
        return self.body

    @property
    def failed(self) -> bool:
        gzipped = self.headers.get("content-encoding") == "gzip"
        return self.status != 200 or (not gzipped and _ERROR in self.body)

    def json(self) -> Any:
        return json.loads(self.content)


def graphql_request(
    port: int, query: str, variables: dict[str, Any], token: str | None = None
) -> bytes:
    """A POST to /graphql as a browser's fetch would send it (gzip accepted)."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    lines = [
        "POST /graphql HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        "Accept: application/json",
        "Accept-Encoding: gzip",
        "User-Agent: examdesk-bench/1",
        f"Content-Length: {len(body)}",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Connection:
    """One keep-alive connection; reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> Answer:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(request)
        try:
            answer = await _read(self.reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        if answer.headers.get("connection") == "close":
            await self.close()
        return answer

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _read(reader: asyncio.StreamReader) -> Answer:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        body = await _chunked(reader)
    else:
        body = b""
    return Answer(int(status_line.split(" ", 2)[1]), headers, body)


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return b"".join(parts)
        parts.append(chunk[:-2])


async def send_one(port: int, request: bytes) -> Answer:
    connection = Connection(port)
    try:
        return await connection.send(request)
    finally:
        await connection.close()


@dataclass
class Run:
    """What one timed run measured: per-kind latencies, failures and the wall time."""

    seconds: float = 0.0
    done: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def note(self, kind: str, started: float, answer: Answer | None, problem: str = "") -> None:
        self.latencies.setdefault(kind, []).append(time.perf_counter() - started)
        if answer is not None and answer.failed:
            problem = f"{kind}: HTTP {answer.status} {answer.content[:300]!r}"
        if problem:
            self.failures.append(problem)


# A virtual user's work: given its connection, the run and the index of the job it took.
Job = Callable[[Connection, Run, int], Awaitable[None]]


def fixed(kind: str, request: bytes) -> Job:
    """The same request every time."""

    async def job(connection: Connection, run: Run, index: int) -> None:
        started = time.perf_counter()
        try:
            answer = await connection.send(request)
        except (OSError, asyncio.IncompleteReadError) as error:
            run.note(kind, started, None, f"{kind}: {error!r}")
            return
        run.note(kind, started, answer)

    return job


async def run_jobs(port: int, job: Job, count: int, concurrency: int) -> Run:
    """`count` jobs on `concurrency` connections at once, as fast as the server answers."""
    run = Run()
    taken = iter(range(count))

    async def worker() -> None:
        connection = Connection(port)
        try:
            for index in taken:
                await job(connection, run, index)
                run.done += 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    run.seconds = time.perf_counter() - started
    return run
