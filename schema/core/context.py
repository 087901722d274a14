"""What every resolver receives: the request, the actor, and this request's DataLoaders."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from policies import Actor
from resolvers.results_website.results_reads import ResultsReads


@dataclass
class Context:
    request: Request
    response: Response
    actor: Actor
    production: bool = False
    # This request's DataLoaders by class (schema/core/dataloaders.py), made on first use.
    loaders: dict[type, Any] = field(default_factory=dict)
    # The results this request has shown, audited at the end (schema/core/extensions/results_reads).
    results_reads: ResultsReads = field(default_factory=ResultsReads)
    # Over a WebSocket: reads the actor again from the token connection_init carried, so that a
    # long subscription stops being served once its session has ended. None over HTTP.
    reread_actor: Callable[[], Awaitable[Actor]] | None = None


Info = StrawberryInfo[Context, None]
