"""Enums of people: what inviting a user did, and the user upload template's file type."""

from resolvers.people import invitations, staff_upload
from schema.core.described import described_enum

_Outcome = invitations.InviteOutcome
InviteOutcome = described_enum(
    _Outcome,
    "What inviteUser did.",
    {
        _Outcome.INVITED: "A new account, emailed an invitation with a temporary password.",
        _Outcome.ROLES_ADDED_TO_EXISTING_ACCOUNT: "The email had an account already: it now "
        "holds the roles here too, with its own password.",
        _Outcome.INVITATION_RESENT: "The person was invited before and has not signed in yet: "
        "invited again with a new temporary password; the earlier one no longer works.",
    },
)

_Format = staff_upload.TemplateFormat
UserUploadTemplateFormat = described_enum(
    _Format,
    "The file type of the user upload template.",
    {
        _Format.XLSX: "An Excel workbook (.xlsx).",
        _Format.CSV: "A UTF-8 CSV file with a header row.",
    },
    name="UserUploadTemplateFormat",
)
