"""Benchmark: the fixed cost of a GraphQL request, against a raw Starlette endpoint.

Two requests, each sent M times through httpx's ASGI transport (no network, one process) to
the whole app (its middleware included), and the same answer from a bare Starlette route on the
same database doing the same SQL by hand (no middleware, no GraphQL, no ORM models):

- `{ __typename }` anonymous: what any request pays before a field runs;
- `me` as the demo associate's user manager: the token read, the actor, one root field.

Prints requests/second, the median and p95 milliseconds and the SQL statements per request for
each, and the ratio of GraphQL's throughput to the raw route's. Not a test: nothing is asserted.

    .venv/bin/python bench/fixed_cost.py --requests 2000
    .venv/bin/python bench/fixed_cost.py --requests 2000 --uvicorn   # HTTP over loopback
    .venv/bin/python bench/fixed_cost.py --requests 1000 --profile me   # where the time goes
"""

import argparse
import asyncio
import base64
import contextlib
import json
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any

import httpx
import uvicorn
from harness import RequestRun, counting_statements, serving, sign_in
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp
from tortoise import connections

from resolvers.core.tokens import hash_token

USER = "users@as100.example"
# Requests whose statements are counted, apart from the timed ones (logging costs time).
SAMPLE = 20
TYPENAME = "{ __typename }"
ME = """
query Me {
  me {
    user { id fullName email status totpEnabled }
    grants { organisation { code name kind } roles }
    organisations { code name kind parent { code } }
  }
}
"""


async def _rows(sql: str, *values: Any) -> list[dict[str, Any]]:
    return await connections.get("default").execute_query_dict(sql, list(values))


def _marks(values: list[int]) -> str:
    return ",".join("?" * len(values))


async def raw_typename(request: Request) -> JSONResponse:
    return JSONResponse({"data": {"__typename": "Query"}})


async def raw_me(request: Request) -> JSONResponse:
    """What `me` answers, by hand: as many statements as the GraphQL request needs, plain rows."""
    token = request.headers["authorization"].partition(" ")[2]
    session = (
        await _rows(
            "SELECT s.user_id, u.email, u.first_name, u.last_name, u.status, u.totp_enabled_at "
            'FROM "session" s JOIN "user" u ON u.id = s.user_id WHERE s.token_hash = ?',
            hash_token(token),
        )
    )[0]
    grants = await _rows(
        "SELECT m.roles, o.id, o.code, o.name, o.kind FROM membership m JOIN organisation o "
        "ON o.id = m.organisation_id WHERE m.user_id = ? AND o.deleted_at IS NULL",
        session["user_id"],
    )
    associates = [g["id"] for g in grants if g["kind"] == "ASSOCIATE"] or [0]
    own = [g["id"] for g in grants]
    organisations = await _rows(
        "SELECT o.code, o.name, o.kind, p.code AS parent FROM organisation o LEFT JOIN "
        "organisation p ON p.id = o.parent_id WHERE o.deleted_at IS NULL AND "
        f"(o.id IN ({_marks(own)}) OR o.parent_id IN ({_marks(associates)})) ORDER BY o.code",
        *own,
        *associates,
    )
    user = {
        "id": base64.b64encode(f"User:{session['user_id']}".encode()).decode(),
        "fullName": f"{session['first_name']} {session['last_name']}",
        "email": session["email"],
        "status": session["status"],
        "totpEnabled": session["totp_enabled_at"] is not None,
    }
    return JSONResponse(
        {
            "data": {
                "me": {
                    "user": user,
                    "grants": [
                        {
                            "organisation": {k: g[k] for k in ("code", "name", "kind")},
                            "roles": sorted(json.loads(g["roles"])),
                        }
                        for g in grants
                    ],
                    "organisations": [
                        {
                            **{k: o[k] for k in ("code", "name", "kind")},
                            "parent": {"code": o["parent"]} if o["parent"] else None,
                        }
                        for o in organisations
                    ],
                }
            }
        }
    )


RAW = Starlette(
    routes=[
        Route("/typename", raw_typename, methods=["POST"]),
        Route("/me", raw_me, methods=["POST"]),
    ]
)


async def post(http: httpx.AsyncClient, path: str, query: str, token: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(path, json={"query": query}, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"request failed: {path} {response.status_code} {body}")
    return body


@contextlib.asynccontextmanager
async def clients(app: ASGIApp, uvicorn_server: bool) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `app`: through httpx's ASGI transport, or over loopback TCP to a real uvicorn
    (in this process: each request then also pays for HTTP on both sides, as in production)."""
    if not uvicorn_server:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://app", timeout=None) as c:
            yield c
        return
    # Bound by uvicorn itself: a socket handed to it is served without TCP_NODELAY, and each
    # answer's body then waits for the client's delayed ACK (40 ms).
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="off", log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn has no event for this)
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=None) as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def measure(args: argparse.Namespace) -> None:
    async with serving() as bench:
        app = bench.http._transport.app  # type: ignore[attr-defined]
        async with clients(app, args.uvicorn) as http, clients(RAW, args.uvicorn) as raw:
            token = await sign_in(http, USER)
            cases = {
                "typename": (
                    partial(post, http, "/graphql", TYPENAME, None),
                    partial(post, raw, "/typename", TYPENAME, None),
                ),
                "me": (
                    partial(post, http, "/graphql", ME, token),
                    partial(post, raw, "/me", ME, token),
                ),
            }
            if args.check:
                for name, (graphql, by_hand) in cases.items():
                    same = (await graphql()) == (await by_hand())
                    print(f"{name}: raw answer {'matches' if same else 'DIFFERS'}")
            if args.profile:
                await profile(cases[args.profile][0], args.requests, args.tree)
                return
            for name, (graphql, by_hand) in cases.items():
                ours, theirs = await compare(graphql, by_hand, args.requests, args.warmup)
                report(name, ours, theirs)


# The two are timed in turns, a block of each, so that a change in the machine's load (it is
# shared) falls on both alike.
ROUNDS = 10


async def compare(
    ours: Callable[[], Awaitable[object]],
    theirs: Callable[[], Awaitable[object]],
    requests: int,
    warmup: int,
) -> tuple[RequestRun, RequestRun]:
    counts = []
    for one in (ours, theirs):
        for _ in range(warmup):
            await one()
        with counting_statements() as counter:
            for _ in range(SAMPLE):
                await one()
        counts.append(counter.count / SAMPLE)
    latencies: tuple[list[float], list[float]] = ([], [])
    seconds = [0.0, 0.0]
    for _ in range(ROUNDS):
        for side, one in enumerate((ours, theirs)):
            started = time.perf_counter()
            for _ in range(requests // ROUNDS):
                t0 = time.perf_counter()
                await one()
                latencies[side].append((time.perf_counter() - t0) * 1000)
            seconds[side] += time.perf_counter() - started
    done = requests // ROUNDS * ROUNDS
    return (
        RequestRun(done, seconds[0], counts[0], latencies[0]),
        RequestRun(done, seconds[1], counts[1], latencies[1]),
    )


# Where a request's time goes: pyinstrument samples the stack, and each sample counts for the
# innermost Python function's file (time in C, such as the event loop waiting in select for the
# database's thread, counts for the function that called it). First match wins.
CATEGORIES = (
    # httpx looks for trio at each request (an import that fails).
    ("client (httpx, not the app)", ("/httpx/", "/sniffio/", "bench/", "<frozen importlib")),
    ("parse", ("/graphql/language/parser", "/graphql/language/lexer", "/graphql/language/source")),
    (
        "validate",
        (
            "/graphql/validation/",
            "/graphql/utilities/type_info",
            "/graphql/language/visitor",
            "query_depth_limiter",
            "max_aliases",
            "document_cache",
        ),
    ),
    ("authz (policies, casbin)", ("/policies/", "/casbin/")),
    (
        "DB (ORM, driver, waiting for it)",
        ("/tortoise/", "/pypika", "/aiosqlite/", "/asyncpg/", "sqlite3", "selectors.py", "queue"),
    ),
    ("actor (token to actor)", ("resolvers/identity/actors", "resolvers/core/rights")),
    (
        "middleware, routing",
        (
            "/starlette/middleware/",
            "/starlette/routing",
            "/starlette/_exception",
            "/starlette/applications",
            "examdesk/headers",
            "examdesk/requests",
            "examdesk/failures",
            "examdesk/limits",
            "examdesk/compression",
            "gzip",
            "zlib",
        ),
    ),
    ("JSON", ("/json/",)),
    (
        "HTTP view (strawberry's, examdesk's, request and response)",
        (
            "/strawberry/http/",
            "/strawberry/asgi/",
            "/cross_web/",
            "/starlette/",
            "examdesk/",
            "email/",
            "/multipart/",
        ),
    ),
    (
        "extensions (strawberry's hooks, ours)",
        ("/strawberry/extensions/", "schema/core/extensions/", "contextlib"),
    ),
    ("execute (graphql-core, strawberry, schema, resolvers)", ("/graphql/", "/strawberry/")),
    ("execute (graphql-core, strawberry, schema, resolvers)", ("schema/", "resolvers/")),
)


def category(filename: str) -> str:
    for name, needles in CATEGORIES:
        if any(needle in filename for needle in needles):
            return name
    return "other (asyncio, the standard library)"


async def profile(one: Callable[[], Awaitable[object]], requests: int, tree: bool) -> None:
    """pyinstrument over `requests` requests: the split by category, then its call tree."""
    try:
        from pyinstrument import Profiler
    except ImportError as missing:
        raise SystemExit(
            "--profile needs pyinstrument: .venv/bin/pip install pyinstrument"
        ) from missing
    for _ in range(20):
        await one()
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    for _ in range(requests):
        await one()
    profiler.stop()
    root = profiler.last_session.root_frame()
    split: dict[str, float] = {}
    frames = [(root, "")]
    while frames:
        frame, caller = frames.pop()
        # "[self]" and C functions (file "<built-in>") count for the Python function around.
        path = frame.file_path if frame.file_path not in (None, "<built-in>") else caller
        frames.extend((child, path) for child in frame.children)
        name = category(path)
        split[name] = split.get(name, 0.0) + frame.time - sum(c.time for c in frame.children)
    server = sum(seconds for name, seconds in split.items() if not name.startswith("client"))
    print(f"server-side {server / requests * 1000:.3f} ms per request (sampled)")
    for name, seconds in sorted(split.items(), key=lambda item: -item[1]):
        share = "" if name.startswith("client") else f"{seconds / server * 100:5.1f} %"
        print(f"  {share:>7} {seconds / requests * 1000:6.3f} ms  {name}")
    if tree:
        print(profiler.output_text(show_all=False, short_mode=True))


def report(name: str, ours: RequestRun, theirs: RequestRun) -> None:
    ratio = (ours.requests / ours.seconds) / (theirs.requests / theirs.seconds)
    median = statistics.median(theirs.latencies_ms) / statistics.median(ours.latencies_ms)
    print(
        f"{name}: GraphQL {ratio:.2f}x the raw endpoint's requests/second "
        f"({median:.2f}x by median latency)"
    )
    print(f" GraphQL\n{ours.report()}")
    print(f" raw Starlette\n{theirs.report()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per case")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests first")
    parser.add_argument("--check", action="store_true", help="compare the two answers first")
    parser.add_argument(
        "--uvicorn", action="store_true", help="over loopback TCP to uvicorn, not ASGI in process"
    )
    parser.add_argument(
        "--profile", choices=("typename", "me"), help="profile one case (needs pyinstrument)"
    )
    parser.add_argument("--tree", action="store_true", help="print the profile's call tree")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
