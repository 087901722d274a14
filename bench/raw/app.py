"""The raw endpoint: a plain Starlette app answering the benchmark's GraphQL requests as examdesk
does, byte for byte, with examdesk's statements over examdesk's database and nothing else:
no GraphQL library, no ORM, no middleware but gzip (examdesk compresses /graphql answers of a
kilobyte or more the same way). The floor a request's cost could come down to.

Configured from examdesk's own environment variables (EXAMDESK_DATABASE_URL,
EXAMDESK_SECRET_KEY, EXAMDESK_SESSION_HOURS), so that both servers read one database and accept
one session token. Run it as `python -m raw --port 8001` from bench/.
"""

import contextlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import documents, results, staff
from .auth import Actor, resolve
from .db import Database, open_database

Handler = Callable[[Database, Actor, dict[str, Any]], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {
    documents.CANDIDATES: staff.candidates,
    documents.ORGANISATION_USERS: staff.organisation_users,
    documents.ME: staff.me,
    documents.TYPENAME: staff.typename,
    documents.CANDIDATE_RESULTS: results.candidate_results,
}


@dataclass(frozen=True)
class RawSettings:
    database_url: str
    secret_key: str
    session_ttl: timedelta

    @classmethod
    def from_env(cls) -> "RawSettings":
        return cls(
            database_url=os.environ.get("EXAMDESK_DATABASE_URL", "sqlite://examdesk.sqlite3"),
            secret_key=os.environ["EXAMDESK_SECRET_KEY"],
            session_ttl=timedelta(hours=float(os.environ.get("EXAMDESK_SESSION_HOURS", "12"))),
        )


def _answer(body: dict[str, Any]) -> Response:
    # strawberry's encoding: compact, ASCII only.
    return Response(json.dumps(body, separators=(",", ":")), media_type="application/json")


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def create_app(settings: RawSettings) -> Starlette:
    state: dict[str, Database] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        state["db"] = await open_database(settings.database_url)
        try:
            yield
        finally:
            await state["db"].close()

    async def graphql(request: Request) -> Response:
        sent = json.loads(await request.body())
        query, variables = sent.get("query"), sent.get("variables") or {}
        db = state["db"]
        try:
            if query == documents.SIGN_IN_CANDIDATE:
                # A mutation with no token: examdesk resolves no actor for it either.
                client = (
                    request.client.host if request.client else None,
                    request.headers.get("user-agent"),
                )
                data = await results.sign_in_candidate(db, settings, client, variables)
                return _answer({"data": data})
            handler = HANDLERS.get(query)
            if handler is None:
                return JSONResponse({"errors": [{"message": "Not a benchmark document."}]}, 400)
            actor = await resolve(db, settings.secret_key, _bearer(request))
            return _answer({"data": await handler(db, actor, variables)})
        except staff.Refused as refused:
            error = {"message": str(refused), "extensions": {"code": refused.code}}
            return _answer({"data": None, "errors": [error]})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        middleware=[Middleware(GZipMiddleware, minimum_size=1024)],
        lifespan=lifespan,
    )
