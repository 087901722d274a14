"""create_app(): the Starlette application, its routes and its lifespan."""

import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from examdesk.account_pages import ROUTES as ACCOUNT_PAGES
from examdesk.compression import GraphQLCompressionMiddleware
from examdesk.database import (
    close_database,
    database_reachable,
    open_database,
    statistics_refresher,
)
from examdesk.failures import FailureMiddleware
from examdesk.files import ROUTES as FILE_ROUTES
from examdesk.graphiql import ROUTES as GRAPHIQL_FILES
from examdesk.graphiql import graphiql_files
from examdesk.graphql import ExamdeskGraphQL
from examdesk.headers import SecurityHeadersMiddleware
from examdesk.limits import BodySizeLimitMiddleware
from examdesk.requests import RequestIdMiddleware
from examdesk.responses import http_exception
from examdesk.results_pages import ROUTES as RESULTS_PAGES
from examdesk.settings import Settings
from examdesk.sign_in_pages import ROUTES as SIGN_IN_PAGE
from examdesk.worker import BackgroundWork
from resolvers.core import jobs
from resolvers.core.config import ResolverConfig, configure
from resolvers.job_kinds import JOB_KINDS
from schema.root import build_schema


async def healthz(request: Request) -> JSONResponse:
    if not await database_reachable():
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def resolver_config(settings: Settings) -> ResolverConfig:
    return ResolverConfig(
        public_url=settings.public_url,
        session_ttl=settings.session_ttl,
        fast_password_hashing=settings.fast_password_hashing,
        secret_key=settings.secret_key,
        sign_in_url=settings.sign_in_url,
        temporary_password_lifetime=settings.temporary_password_lifetime,
    )


# A client follows a few jobs at once; more on one connection is a runaway loop.
MAX_SUBSCRIPTIONS_PER_CONNECTION = 10


def websocket_origins(settings: Settings) -> list[str]:
    """The pages that may open a WebSocket to /graphql besides the server's own origin: those
    allowed to call the API cross-origin, and the public URL (behind a proxy, the Host header
    the app sees may not be it)."""
    public = urlsplit(settings.public_url)
    return [*settings.cors_origins, f"{public.scheme}://{public.netloc}"]


def middleware(settings: Settings) -> list[Middleware]:
    """The middleware, outermost first."""
    return [
        # Outermost, so that every answer below (a 413, a preflight, a 500) has them.
        Middleware(SecurityHeadersMiddleware, hsts=settings.production),
        Middleware(RequestIdMiddleware),
        Middleware(FailureMiddleware),
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "X-Request-ID",
                "X-Examdesk-Upload",
                # What GraphQL client libraries send on their own (Apollo Client's).
                "Apollo-Require-Preflight",
                "X-Apollo-Operation-Name",
                "Apollographql-Client-Name",
                "Apollographql-Client-Version",
            ],
            expose_headers=["X-Request-ID"],
        ),
        Middleware(BodySizeLimitMiddleware, max_upload_bytes=settings.max_upload_bytes),
        # Large GraphQL answers compressed for clients that accept gzip.
        Middleware(GraphQLCompressionMiddleware, minimum_size=1024),
    ]


def graphql_endpoint(settings: Settings) -> ExamdeskGraphQL:
    """/graphql: over HTTP, and over a WebSocket for subscriptions."""
    if settings.graphiql_enabled:
        # Read (and hashed) now: a broken install fails at start-up, not on the first page.
        graphiql_files()
    return ExamdeskGraphQL(
        build_schema(production=settings.production),
        production=settings.production,
        only_trusted_documents=settings.trusted_documents_only,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=True,
        # Subscriptions over a WebSocket (examdesk/graphql.py): the current protocol only, a few
        # at a time per connection, from pages of the origins the API serves.
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
        allowed_origins=websocket_origins(settings),
    )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    jobs.install(JOB_KINDS)
    background = BackgroundWork(settings)
    statistics = statistics_refresher()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        configure(resolver_config(settings))
        await open_database(settings.database_url)
        if settings.run_worker:
            background.start()
        statistics.start()
        try:
            yield
        finally:
            await statistics.stop()
            await background.stop()
            await close_database()

    graphql = graphql_endpoint(settings)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            *ACCOUNT_PAGES,
            *SIGN_IN_PAGE,
            *RESULTS_PAGES,
            *FILE_ROUTES,
            # GraphiQL's scripts and styles, only where GraphiQL itself is served.
            *(GRAPHIQL_FILES if settings.graphiql_enabled else ()),
        ],
        middleware=middleware(settings),
        exception_handlers={HTTPException: http_exception},
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.mail = background.mail
    return app
