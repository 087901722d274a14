from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class OrganisationKind(StrEnum):
    BOARD = "BOARD"
    ASSOCIATE = "ASSOCIATE"
    CENTRE = "CENTRE"


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(OrganisationKind, max_length=16)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    # Location details, as the board's centres spreadsheet gives them.
    address = fields.CharField(max_length=300, default="")
    city = fields.CharField(max_length=100, default="")
    country = fields.CharField(max_length=100, default="")
    # An associate centre's parent is its associate; nothing else has a parent.
    parent: fields.ForeignKeyNullableRelation["Organisation"] = fields.ForeignKeyField(
        "models.Organisation", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organisation"
        ordering = ["code"]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
