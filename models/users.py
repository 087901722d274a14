from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.organisations import Organisation
from models.search import SearchableName, SearchableText


class UserStatus(StrEnum):
    # Created by the board; the person activates the account with their email address.
    PENDING_ACTIVATION = "PENDING_ACTIVATION"
    # Invited with a temporary password; the first sign-in sets a new one.
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class User(SearchableName, SearchableText, Model):
    SEARCHED = ("first_name", "last_name", "email")

    id = fields.IntField(primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every database.
    email = fields.CharField(max_length=254, unique=True)
    first_name = fields.CharField(max_length=100)
    last_name = fields.CharField(max_length=100)
    password_hash = fields.CharField(max_length=255, null=True)
    status = fields.CharEnumField(UserStatus, max_length=24, default=UserStatus.INVITED)
    must_change_password = fields.BooleanField(default=False)
    # When a password someone else set (an invitation's, a user manager's) stops working; None
    # once the person has chosen their own.
    temporary_password_expires_at = fields.DatetimeField(null=True)
    email_verified_at = fields.DatetimeField(null=True)
    totp_secret = fields.CharField(max_length=64, null=True)
    totp_enabled_at = fields.DatetimeField(null=True)
    # The last authenticator time step (Unix time // 30) a code was accepted for: that step and
    # every earlier one are refused afterwards, so a code works once (RFC 6238, section 5.2).
    totp_last_step = fields.BigIntField(null=True)
    pin = fields.CharField(max_length=16, null=True)
    last_login_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Membership(Model):
    """A person's place at an organisation and the roles they hold there.

    Membership is separate from roles because a user can belong to an organisation with no
    role yet (the seed's user list shows such people).
    """

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="memberships", on_delete=fields.CASCADE
    )
    organisation_id: int
    roles: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    # Who gave each role held here and when, for the access review: {role: {"byId", "byEmail",
    # "at"}}, the granter kept as plain values (as the audit trail keeps them) so the record
    # outlives their account. A role with no entry was granted before this was recorded.
    role_grants: dict[str, dict[str, object]] = fields.JSONField(default=dict)  # type: ignore[assignment]
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("user", "organisation"),)


class RemovedPlace(Model):
    """A place the board took from a user at a centre, kept with its roles so that the undo
    (undoRemoveCentreUsers) gives it back as it was."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="removed_places", on_delete=fields.CASCADE
    )
    user_id: int
    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", related_name="removed_places", on_delete=fields.CASCADE
    )
    organisation_id: int
    roles: list[str] = fields.JSONField(default=list)  # type: ignore[assignment]
    role_grants: dict[str, dict[str, object]] = fields.JSONField(default=dict)  # type: ignore[assignment]
    removed_at = fields.DatetimeField()
    restored_at = fields.DatetimeField(null=True)

    class Meta:
        table = "removed_place"
