"""Email templates (board admins): list, edit, preview, reset to the default."""

from datetime import datetime

import strawberry

from resolvers.admin import templates
from schema.core.context import Info
from schema.core.errors import UserError, payload
from schema.core.permissions import SignedIn
from schema.people.users import UserNode


@strawberry.type(name="EmailTemplate", description="One email examdesk sends, as it is worded now.")
class EmailTemplateNode:
    key: str = strawberry.field(description="e.g. PASSWORD_RESET.")
    description: str = strawberry.field(description="When the email is sent, and what for.")
    subject: str
    body: str
    default_subject: str
    default_body: str
    placeholders: list[str] = strawberry.field(
        description="The names this email offers, written $name or ${name} in the subject or "
        "body ($$ for a dollar sign)."
    )
    required_placeholders: list[str] = strawberry.field(
        description="The placeholders an edit must keep: what the email exists to deliver."
    )
    customised: bool = strawberry.field(
        description="Edited by the board; false while the default wording is in use."
    )
    updated_at: datetime | None
    updated_by: UserNode | None

    @classmethod
    def of(cls, view: templates.TemplateView) -> "EmailTemplateNode":
        return cls(
            key=view.key.value,
            description=view.description,
            subject=view.subject,
            body=view.body,
            default_subject=view.default_subject,
            default_body=view.default_body,
            placeholders=view.placeholders,
            required_placeholders=view.required_placeholders,
            customised=view.customised,
            updated_at=view.updated_at,
            updated_by=UserNode.of(view.updated_by) if view.updated_by else None,
        )


@strawberry.input
class UpdateEmailTemplateInput:
    key: str
    subject: str
    body: str


@strawberry.input
class ResetEmailTemplateInput:
    key: str


@strawberry.input
class PreviewEmailTemplateInput:
    key: str
    subject: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current subject."
    )
    body: str | None = strawberry.field(
        default=None, description="Wording to try; without it, the current body."
    )


@strawberry.type
class EmailTemplatePayload:
    email_template: EmailTemplateNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(description="The email as it would go out, filled with sample values.")
class EmailTemplatePreview:
    key: str | None = None
    subject: str | None = None
    body: str | None = None
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Why the wording tried could not be saved (the same checks as a save).",
    )


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
        "or in the wording given (checked, not saved).",
    )
    async def preview_email_template(
        self, info: Info, input: PreviewEmailTemplateInput
    ) -> EmailTemplatePreview:
        return await payload(
            EmailTemplatePreview,
            templates.preview_template(
                info.context.actor, key=input.key, subject=input.subject, body=input.body
            ),
            lambda p: EmailTemplatePreview(key=p.key.value, subject=p.subject, body=p.body),
        )


def _saved(view: templates.TemplateView) -> EmailTemplatePayload:
    return EmailTemplatePayload(email_template=EmailTemplateNode.of(view))


@strawberry.type
class TemplateMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: reword an email; it is sent so from the moment it is saved.",
    )
    async def update_email_template(
        self, info: Info, input: UpdateEmailTemplateInput
    ) -> EmailTemplatePayload:
        return await payload(
            EmailTemplatePayload,
            templates.update_template(
                info.context.actor, key=input.key, subject=input.subject, body=input.body
            ),
            _saved,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: back to the default wording.",
    )
    async def reset_email_template(
        self, info: Info, input: ResetEmailTemplateInput
    ) -> EmailTemplatePayload:
        return await payload(
            EmailTemplatePayload,
            templates.reset_template(info.context.actor, key=input.key),
            _saved,
        )


__all__ = ["EmailTemplateNode", "TemplateMutations", "TemplateQueries"]
