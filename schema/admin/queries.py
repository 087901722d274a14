"""Board administration's root fields: audit reports, email templates, undelivered email, and
access explained (explainAccess, policyTable)."""

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.admin import access_explanations, audit_reports, error_report, outbox, templates
from schema.admin.access_types import AccessExplanation, PolicyTable
from schema.admin.enums import ErrorKind
from schema.admin.inputs import (
    AuditEventFilter,
    PreviewEmailTemplateInput,
    SignInEventFilter,
    UndeliveredEmailFilter,
)
from schema.admin.payloads import EmailTemplatePreview
from schema.admin.types import (
    AuditEventNode,
    EmailTemplateNode,
    ReportedProblem,
    SignInEventNode,
    UndeliveredEmailNode,
)
from schema.core.arguments import INPUT, OrganisationCode
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.ids import node_id
from schema.core.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection,
    page_window,
)
from schema.core.permissions import SignedIn
from schema.core.selections import selects
from schema.network.dataloaders import OrganisationByIdLoader

_FILTER = strawberry.argument(description="Only what matches it; everything without it.")


@strawberry.type
class AuditReportQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every audit event. Exams officers: their organisation's "
        "(at an associate, its associate centres' too). Newest first, 20 a page by default.",
    )
    async def audit_events(
        self,
        info: Info,
        filter: Annotated[AuditEventFilter | None, _FILTER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEventNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: audit_reports.list_audit_events(
                info.context.actor,
                (filter or AuditEventFilter()).to_domain(),
                limit=limit,
                offset=offset,
            ),
            default=20,
        )
        # The rows' organisations, if asked for, read for the page at once.
        ids = sorted({e.organisation_id for e in page.items if e.organisation_id is not None})
        if ids and selects(info, "organisation", deep=True):
            await OrganisationByIdLoader.of(info.context).fill(ids)
        return connection(page, AuditEventNode.of)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every sign-in attempt. Exams officers: those of their "
        "organisation's members. Newest first, 20 a page by default.",
    )
    async def sign_in_events(
        self,
        info: Info,
        filter: Annotated[SignInEventFilter | None, _FILTER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SignInEventNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: audit_reports.list_sign_in_events(
                info.context.actor,
                (filter or SignInEventFilter()).to_domain(),
                limit=limit,
                offset=offset,
            ),
            default=20,
        )
        return connection(page, SignInEventNode.of)


@strawberry.type
class OutboxQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: emails not delivered, those given up on (FAILED) and those "
        "still being retried, with the mail server's last error. Newest first, 20 a page by "
        "default.",
    )
    async def undelivered_emails(
        self,
        info: Info,
        filter: Annotated[UndeliveredEmailFilter | None, _FILTER] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UndeliveredEmailNode]:
        page = await page_window(
            PageArgs(first, after, last, before),
            lambda limit, offset: outbox.list_undelivered(
                info.context.actor,
                failed_only=(filter or UndeliveredEmailFilter()).failed_only,
                limit=limit,
                offset=offset,
            ),
            default=20,
        )
        return connection(page, UndeliveredEmailNode.of)


@strawberry.type
class TemplateQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: every email examdesk sends, with its current wording.",
    )
    async def email_templates(self, info: Info) -> list[EmailTemplateNode]:
        views = await templates.list_templates(info.context.actor)
        return [EmailTemplateNode.of(view) for view in views]

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: an email filled with sample values, in its current wording "
        "or in the wording given (checked, not saved). Its `errors` are those "
        "updateEmailTemplate would give: NOT_FOUND, UNKNOWN_PLACEHOLDER, "
        "REQUIRED_PLACEHOLDER_MISSING, PLACEHOLDER_INVALID.",
    )
    async def preview_email_template(
        self, info: Info, input: Annotated[PreviewEmailTemplateInput, INPUT]
    ) -> EmailTemplatePreview:
        return await payload(
            EmailTemplatePreview,
            templates.preview_template(
                info.context.actor, key=input.key, subject=input.subject, body=input.body
            ),
            lambda p: EmailTemplatePreview(key=p.key.value, subject=p.subject, body=p.body),
        )


@strawberry.type
class ErrorReportQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: the errors report (Entry, Key Time and Other Errors), worked "
        "out afresh from the data; unresolved problems only unless includeResolved. At most "
        "500 problems of each check.",
    )
    async def error_report(
        self,
        info: Info,
        kind: Annotated[
            ErrorKind | None,
            strawberry.argument(description="Only this list of the report; all three without it."),
        ] = None,
        include_resolved: Annotated[
            bool,
            strawberry.argument(
                description="Also the problems marked resolved (with who, when and the note)."
            ),
        ] = False,
    ) -> list[ReportedProblem]:
        problems = await error_report.error_report(
            info.context.actor,
            error_report.ErrorKind(kind) if kind else None,
            include_resolved=include_resolved,
        )
        return [ReportedProblem.of(p) for p in problems]


@strawberry.type
class AccessQueries:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins anywhere, exams officers at their own organisation: whether "
        "a person may do an action there and why, as the API decides it for them now: each role "
        "they bring there, the policy line that allows it, or the reason none does. Only roles "
        "that reach the organisation are shown; a user id that names nobody is answered as "
        "somebody with no role there. It explains the roles, as for a fully signed-in session: "
        "whether the account may sign in at all (its status) is not part of it. Every answer "
        "is recorded in the audit log.",
    )
    async def explain_access(
        self,
        info: Info,
        user_id: Annotated[relay.GlobalID, strawberry.argument(description="The User's id.")],
        organisation_code: OrganisationCode,
        object: Annotated[
            str, strawberry.argument(description="The object, as policyTable's rows name it.")
        ],
        action: Annotated[
            str, strawberry.argument(description="The action on it, as policyTable names it.")
        ],
    ) -> AccessExplanation:
        answer = await access_explanations.explain_access(
            info.context.actor,
            user_id=node_id(user_id, "User", "userId"),
            organisation_code=organisation_code,
            obj=object,
            act=action,
        )
        return AccessExplanation.of(answer)

    @strawberry.field(
        permission_classes=[SignedIn],
        description="Board admins: who may do what, and where, as policies/model.conf and "
        "policy.csv say (the README's roles table is the same, made by `examdesk "
        "policy-table`).",
    )
    def policy_table(self, info: Info) -> PolicyTable:
        return PolicyTable.of(access_explanations.read_policy_table(info.context.actor))
