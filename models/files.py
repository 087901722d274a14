"""Files people upload (resources, submissions, applications), kept in the database so any app
process can serve them."""

from tortoise import fields
from tortoise.models import Model

from models.organisations import Organisation


class StoredFile(Model):
    id = fields.IntField(primary_key=True)
    # What the file belongs to, e.g. ("Resource", 12): who may fetch it is decided there.
    owner_type = fields.CharField(max_length=64)
    owner_id = fields.IntField()
    organisation: fields.ForeignKeyNullableRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="stored_files", null=True, on_delete=fields.CASCADE
    )
    organisation_id: int | None
    name = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    content = fields.BinaryField()
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "stored_file"
        indexes = (("owner_type", "owner_id"),)
