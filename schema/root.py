"""The Query and Mutation roots, composed from each area's classes, and the schema."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult

from schema.admin.mutations import (
    AuditReportMutations,
    ErrorReportMutations,
    OutboxMutations,
    TemplateMutations,
)
from schema.admin.queries import (
    AuditReportQueries,
    ErrorReportQueries,
    OutboxQueries,
    TemplateQueries,
)
from schema.core.extensions.errors import ErrorShaping, is_expected, log_unexpected
from schema.core.extensions.introspection import IntrospectionGuard
from schema.core.extensions.limits import AliasLimit, DepthLimit, TokenLimit
from schema.core.extensions.results_reads import ResultsReadAudit
from schema.core.input_checks import guard_inputs
from schema.core.mutations import JobMutations
from schema.core.queries import JobQueries, NodeQueries
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
from schema.people.mutations import StaffAccountMutations, UserMutations
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
        AssessmentMutations,
        TestSessionMutations,
        TestStartMutations,
        LogInSheetMutations,
    ),
)


class ExamdeskSchema(strawberry.Schema):
    async def execute(
        self, query: str | None, *args: Any, operation_name: str | None = None, **kwargs: Any
    ) -> ExecutionResult:
        # No document names an operation with a lone surrogate, so such a name is unknown, and
        # the 400 saying so quotes it: as text that cannot be encoded, it became a 500.
        if operation_name is not None:
            operation_name = operation_name.encode("utf-8", "replace").decode()
        return await super().execute(query, *args, operation_name=operation_name, **kwargs)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected failures are answers, not incidents; only the unexpected are logged.
        context = execution_context.context if execution_context is not None else None
        for error in errors:
            if not is_expected(error):
                log_unexpected(error, context)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    extensions: list[Any] = [
        DepthLimit,
        AliasLimit,
        TokenLimit,
        IntrospectionGuard,
        ErrorShaping,
        # After ErrorShaping, so that it is left first and a failure to record is shaped.
        ResultsReadAudit,
    ]
    schema = ExamdeskSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )
    guard_inputs(schema._schema)
    return schema
