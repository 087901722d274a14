"""Resources the board uploads for a series (confidential materials such as Global Listening) and
their releases to centres at key times."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.exams import Series
from models.organisations import Organisation


class ResourceService(StrEnum):
    """The service a resource belongs to: who at a centre may open it (policy `service:<S>,
    open`). GENERAL resources are for every member of the centre."""

    GENERAL = "GENERAL"
    SUBMIT_FOR_ASSESSMENT = "SUBMIT_FOR_ASSESSMENT"
    ACCESS_ARRANGEMENTS = "ACCESS_ARRANGEMENTS"
    GLOBAL_LISTENING = "GLOBAL_LISTENING"


class Resource(Model):
    """One uploaded file with its title; the bytes are a StoredFile ("Resource", id).

    A resource is deleted while it was never released; once released it can only be withdrawn
    (withdrawn_at): kept for the record, shown to no centre again.
    """

    id = fields.IntField(primary_key=True)
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="resources", on_delete=fields.RESTRICT
    )
    series_id: int
    service = fields.CharEnumField(ResourceService, max_length=32)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    uploaded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(null=True)
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_by_id = fields.IntField(null=True)

    class Meta:
        table = "resource"
        indexes = (("series_id", "service"),)


class Release(Model):
    """A resource opened to every centre (all_centres) or to the centres in ReleaseCentre, from
    release_at. Cancelled releases are kept for the record and show nowhere else."""

    id = fields.IntField(primary_key=True)
    resource: fields.ForeignKeyRelation[Resource] = fields.ForeignKeyField(
        "models.Resource", related_name="releases", on_delete=fields.RESTRICT
    )
    resource_id: int
    release_at = fields.DatetimeField(db_index=True)
    all_centres = fields.BooleanField()
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by_id = fields.IntField(null=True)

    class Meta:
        table = "resource_release"


class ReleaseCentre(Model):
    """A centre a targeted release is for."""

    id = fields.IntField(primary_key=True)
    release: fields.ForeignKeyRelation[Release] = fields.ForeignKeyField(
        "models.Release", related_name="centres", on_delete=fields.CASCADE
    )
    release_id: int
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="releases", on_delete=fields.RESTRICT
    )
    centre_id: int

    class Meta:
        table = "resource_release_centre"
        unique_together = (("release", "centre"),)
        indexes = (("centre_id", "release_id"),)
