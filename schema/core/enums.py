"""Enums shared across the schema's areas."""

import strawberry

from models.organisations import OrganisationKind as _OrganisationKind
from models.sessions import SessionStage as _SessionStage
from models.users import UserStatus as _UserStatus
from policies import Role as _Role
from policies import Service as _Service

OrganisationKind = strawberry.enum(_OrganisationKind)
UserStatus = strawberry.enum(_UserStatus)
SessionStage = strawberry.enum(
    _SessionStage,
    description="How far a session has got: only FULL sessions may do anything but finish "
    "signing in.",
)
Role = strawberry.enum(_Role, description="Roles are granted per organisation.")
Service = strawberry.enum(_Service)
