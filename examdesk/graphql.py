"""The /graphql endpoint: strawberry's ASGI view with examdesk's request context.

Files come in GraphQL multipart requests (the bulk CSV uploads). A browser lets any site post a
multipart form cross-site without asking first, so such a request is refused unless it carries
what a form cannot: an `Authorization` header (our bearer token) and the custom header
`X-Examdesk-Upload` (any non-empty value). Both force a CORS preflight, which only the origins
in EXAMDESK_CORS_ORIGINS pass.
"""

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL

from examdesk.requests import request_meta
from resolvers.sessions import resolve_actor
from schema.context import Context


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


UPLOAD_HEADER = "x-examdesk-upload"


class ExamdeskGraphQL(GraphQL[Context, None]):
    def __init__(self, *args: Any, production: bool, **kwargs: Any) -> None:
        kwargs.setdefault("multipart_uploads_enabled", True)
        super().__init__(*args, **kwargs)
        self.production = production

    async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().run(request, *args, **kwargs)
        finally:
            if isinstance(request, Request):
                # Closes the uploaded files (spooled to disk when big) once the answer is made.
                await request.close()

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        headers = request.headers
        if not headers.get(UPLOAD_HEADER, "").strip() or not bearer_token(
            headers.get("authorization")
        ):
            raise HTTPException(
                400,
                "A file upload needs the headers Authorization: Bearer <token> and "
                "X-Examdesk-Upload: 1.",
            )
        return await super().parse_multipart(request)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        meta = request_meta(request)
        actor = await resolve_actor(bearer_token(request.headers.get("authorization")), meta)
        return Context(request=request, response=response, actor=actor, production=self.production)
