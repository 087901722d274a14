"""The candidate results website: who may read results online, and their sign-ins."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.exams import Candidate, Series
from models.organisations import Organisation


class AccessStatus(StrEnum):
    NONE = "NONE"
    ALL = "ALL"
    SELECTED = "SELECTED"


class ResultsAccess(Model):
    """A centre's choice for one series; no row means "NO candidates have access"."""

    id = fields.IntField(primary_key=True)
    centre: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="results_access", on_delete=fields.RESTRICT
    )
    centre_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="results_access", on_delete=fields.RESTRICT
    )
    series_id: int
    status = fields.CharEnumField(AccessStatus, max_length=16, default=AccessStatus.NONE)
    # The centre agrees to answer its candidates' queries; who ticked the box, and when.
    agreed_at = fields.DatetimeField(null=True)
    agreed_by_id = fields.IntField(null=True)
    contact_name = fields.CharField(max_length=200, default="")
    contact_phone = fields.CharField(max_length=40, null=True)
    contact_email = fields.CharField(max_length=254, null=True)
    # Candidates read their results this long after the series' release time.
    delay_hours = fields.IntField(default=0)
    updated_at = fields.DatetimeField()
    updated_by_id = fields.IntField(null=True)

    class Meta:
        table = "results_access"
        unique_together = (("centre", "series"),)


class ResultsCredential(Model):
    """A candidate's username and password for one series' results.

    The password is kept twice and never in the clear: a keyed digest to check sign-ins
    against, and sealed (encrypted with a key derived from the secret key) so that the
    "Confidential examination results information" PDFs can be printed again later.
    """

    id = fields.IntField(primary_key=True)
    candidate: fields.ForeignKeyRelation[Candidate] = fields.ForeignKeyField(
        "models.Candidate", related_name="results_credentials", on_delete=fields.CASCADE
    )
    candidate_id: int
    series: fields.ForeignKeyRelation[Series] = fields.ForeignKeyField(
        "models.Series", related_name="results_credentials", on_delete=fields.RESTRICT
    )
    series_id: int
    # Lower case; candidates sign in with it from anywhere, so it is unique everywhere.
    username = fields.CharField(max_length=64, unique=True)
    password_digest = fields.CharField(max_length=64)
    password_sealed = fields.TextField()
    created_at = fields.DatetimeField()
    # Set when the centre takes access away; a new grant clears it with a new password.
    revoked_at = fields.DatetimeField(null=True)
    failed_attempts = fields.IntField(default=0)
    locked_until = fields.DatetimeField(null=True)

    class Meta:
        table = "results_credential"
        unique_together = (("candidate", "series"),)


class CandidateSession(Model):
    """A candidate's signed-in session on the results website; the token is stored hashed."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    credential: fields.ForeignKeyRelation[ResultsCredential] = fields.ForeignKeyField(
        "models.ResultsCredential", related_name="sessions", on_delete=fields.CASCADE
    )
    credential_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "candidate_session"
