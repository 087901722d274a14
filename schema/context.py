"""What every resolver receives: the request, the actor, and this request's DataLoaders."""

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from policies import Actor
from schema.loaders import Loaders


@dataclass
class Context:
    request: Request
    response: Response
    actor: Actor
    production: bool = False
    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, None]

__all__ = ["Context", "Info"]
