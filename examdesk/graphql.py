"""The /graphql endpoint: strawberry's ASGI view with examdesk's request context."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.asgi import GraphQL

from examdesk.requests import request_id_var
from policies import RequestMeta
from resolvers.sessions import resolve_actor
from schema.context import Context


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class ExamdeskGraphQL(GraphQL[Context, None]):
    def __init__(self, *args: Any, production: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.production = production

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        meta = RequestMeta(
            request_id=request_id_var.get(),
            ip_address=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent"),
        )
        actor = await resolve_actor(bearer_token(request.headers.get("authorization")), meta)
        return Context(request=request, response=response, actor=actor, production=self.production)
