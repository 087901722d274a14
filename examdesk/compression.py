"""gzip for GraphQL answers: a long list or the schema shrinks several times over the wire.

Only /graphql: a download keeps its Content-Length (a browser shows its progress, and most are
compressed formats already: PDF, zip, xlsx), and the pages are small.
"""

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

GRAPHQL_PATH = "/graphql"


class GraphQLCompressionMiddleware:
    def __init__(self, app: ASGIApp, minimum_size: int = 1024) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == GRAPHQL_PATH:
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
