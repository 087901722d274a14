"""Who looked: at the end of each operation, the results it showed go into the audit trail.

Resolvers note each result they hand out on the context's ResultsReads
(resolvers/results_website/results_reads.py); this writes one audit event per centre once the
operation has finished, and nothing when no result was shown. If the event cannot be written,
the results are withheld: a read that is not recorded must not happen."""

from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.results_website import results_reads
from schema.core.extensions.errors import log_unexpected


class ResultsReadAudit(SchemaExtension):
    async def on_operation(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        reads = getattr(context, "results_reads", None)
        if not reads:
            return
        try:
            await results_reads.record(context.actor, reads)
        except Exception as exc:  # shaped (and logged) as an unexpected error below
            result = self.execution_context.result
            if result is None:
                raise
            error = GraphQLError("The read could not be recorded.", original_error=exc)
            log_unexpected(error, context)
            # ErrorShaping (earlier in the list, so left after this) masks it for the client.
            result.data = None
            result.errors = [*(getattr(result, "errors", None) or []), error]
