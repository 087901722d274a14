"""The Query, Mutation and Subscription roots, composed from each area's classes; the schema."""

import functools
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StreamResult
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from schema.admin.mutations import (
    AuditReportMutations,
    ErrorReportMutations,
    OutboxMutations,
    TemplateMutations,
)
from schema.admin.queries import (
    AccessQueries,
    AuditReportQueries,
    ErrorReportQueries,
    OutboxQueries,
    TemplateQueries,
)
from schema.core.execution import PlainFieldExecution
from schema.core.extensions.document_cache import DocumentCache
from schema.core.extensions.errors import ErrorShaping, is_expected, log_unexpected
from schema.core.extensions.introspection import IntrospectionGuard
from schema.core.extensions.results_reads import ResultsReadAudit
from schema.core.input_checks import guard_inputs
from schema.core.lean_resolvers import lean_resolvers
from schema.core.mutations import JobMutations
from schema.core.queries import JobQueries, NodeQueries
from schema.core.subscriptions import JobSubscriptions
from schema.exams.mutations import BulkMutations, ExamMutations
from schema.exams.queries import ExamQueries
from schema.identity.mutations import AccountMutations
from schema.identity.queries import AccountQueries
from schema.network.mutations import (
    CentreMutations,
    CentreReportActionMutations,
    CentreUploadMutations,
)
from schema.network.queries import CentreQueries, CentreUploadQueries, OrganisationQueries
from schema.people.mutations import (
    AccessReviewMutations,
    StaffAccountMutations,
    UserMutations,
)
from schema.people.queries import RoleQueries, StaffAccountQueries, UserQueries
from schema.results_website.mutations import (
    CandidateResultsMutations,
    CredentialDocumentMutations,
    ResultsAccessMutations,
)
from schema.results_website.queries import CandidateResultsQueries, ResultsAccessQueries
from schema.services.mutations import HelpDocumentMutations, ReleaseMutations, ServiceMutations
from schema.services.queries import HelpDocumentQueries, ReleaseQueries, ServiceQueries
from schema.test_sessions.mutations import (
    LogInSheetMutations,
    TestSessionMutations,
    TestStartMutations,
)
from schema.test_sessions.queries import TestSessionQueries, TestStartQueries
from schema.training.mutations import AssessmentMutations
from schema.training.queries import AssessmentQueries

Query = merge_types(
    "Query",
    (
        NodeQueries,
        AccountQueries,
        OrganisationQueries,
        RoleQueries,
        UserQueries,
        ExamQueries,
        JobQueries,
        ResultsAccessQueries,
        CandidateResultsQueries,
        CentreQueries,
        ReleaseQueries,
        TemplateQueries,
        AuditReportQueries,
        OutboxQueries,
        ErrorReportQueries,
        AccessQueries,
        ServiceQueries,
        HelpDocumentQueries,
        CentreUploadQueries,
        StaffAccountQueries,
        AssessmentQueries,
        TestSessionQueries,
        TestStartQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        UserMutations,
        ExamMutations,
        ResultsAccessMutations,
        CandidateResultsMutations,
        CredentialDocumentMutations,
        BulkMutations,
        JobMutations,
        CentreMutations,
        ReleaseMutations,
        TemplateMutations,
        AuditReportMutations,
        OutboxMutations,
        ErrorReportMutations,
        ServiceMutations,
        HelpDocumentMutations,
        CentreUploadMutations,
        CentreReportActionMutations,
        StaffAccountMutations,
        AccessReviewMutations,
        AssessmentMutations,
        TestSessionMutations,
        TestStartMutations,
        LogInSheetMutations,
    ),
)
# merge_types takes no description; the roots are described like every other type.
Query.__strawberry_definition__.description = (
    "Everything a client may read. Each field says who may call it; anyone else gets a GraphQL "
    "error with extensions.code UNAUTHENTICATED or FORBIDDEN."
)
Mutation.__strawberry_definition__.description = (
    "Everything a client may change. Each mutation takes one `input` and answers with a "
    "payload whose `errors` hold the expected failures as stable codes; it runs as one "
    "transaction and writes an audit event."
)
Subscription = merge_types("Subscription", (JobSubscriptions,))
Subscription.__strawberry_definition__.description = (
    "What a client may follow as it changes, over a WebSocket on /graphql "
    "(graphql-transport-ws); each field is authorized as its query is."
)


class ExamdeskSchema(strawberry.Schema):
    async def execute(
        self, query: str | None, *args: Any, operation_name: str | None = None, **kwargs: Any
    ) -> ExecutionResult:
        # No document names an operation with a lone surrogate, so such a name is unknown, and
        # the 400 saying so quotes it: as text that cannot be encoded, it became a 500.
        if operation_name is not None:
            operation_name = operation_name.encode("utf-8", "replace").decode()
        # A subscription streams, over the WebSocket (stream below); executed once, it would
        # resolve its root field as a query's, which cannot be.
        allowed = kwargs.get("allowed_operation_types") or {
            OperationType.QUERY,
            OperationType.MUTATION,
        }
        kwargs["allowed_operation_types"] = set(allowed) - {OperationType.SUBSCRIPTION}
        return await super().execute(query, *args, operation_name=operation_name, **kwargs)

    async def stream(self, *args: Any, **kwargs: Any) -> StreamResult:
        # The WebSocket is for subscriptions alone: queries and mutations go over HTTP, where a
        # request's context (its DataLoaders, the results it showed) lives as long as it.
        kwargs["allowed_operation_types"] = {OperationType.SUBSCRIPTION}
        return await super().stream(*args, **kwargs)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected failures are answers, not incidents; only the unexpected are logged.
        context = execution_context.context if execution_context is not None else None
        for error in errors:
            if not is_expected(error):
                log_unexpected(error, context)


@functools.cache
def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema, built once per mode and process: it holds no request's state (strawberry
    makes the extensions anew for each operation), and building it (0.08 s) was most of what
    starting an app cost."""
    extensions: list[Any] = [
        IntrospectionGuard,
        # After IntrospectionGuard: the rule it adds is part of what a kept document passed.
        DocumentCache,
        ErrorShaping,
        # After ErrorShaping, so that it is left first and a failure to record is shaped.
        ResultsReadAudit,
    ]
    schema = ExamdeskSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
        execution_context_class=PlainFieldExecution,
    )
    # First: the input checks wrap the resolvers it puts in place.
    lean_resolvers(schema._schema, schema.config)
    guard_inputs(schema._schema)
    return schema
