"""Enums of people: what inviting a user did, and the user upload template's file type."""

import strawberry

from resolvers.people import invitations, staff_upload

InviteOutcome = strawberry.enum(invitations.InviteOutcome, description="What inviteUser did.")


UserUploadTemplateFormat = strawberry.enum(
    staff_upload.TemplateFormat,
    name="UserUploadTemplateFormat",
    description="The file type of the user upload template.",
)
