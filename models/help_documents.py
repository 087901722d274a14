"""Help documents (the board admin site's "Help Document Upload"): guides the board uploads for
the people who use examdesk, each meant for everyone signed in or for the holders of some roles.

The bytes are a StoredFile ("HelpDocument", id), as a resource's are.
"""

from tortoise import fields
from tortoise.models import Model

HELP_DOCUMENT_FILE_OWNER = "HelpDocument"


class HelpDocument(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=200)
    # True: for everyone signed in; False: for the roles in HelpDocumentRole.
    for_everyone = fields.BooleanField()
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "help_document"


class HelpDocumentRole(Model):
    """A role (policies.Role) a help document is meant for: rows, so a list filters in SQL."""

    id = fields.IntField(primary_key=True)
    document: fields.ForeignKeyRelation[HelpDocument] = fields.ForeignKeyField(
        "models.HelpDocument", related_name="roles", on_delete=fields.CASCADE
    )
    document_id: int
    role = fields.CharField(max_length=32)

    class Meta:
        table = "help_document_role"
        unique_together = (("document", "role"),)
        indexes = (("role", "document_id"),)
