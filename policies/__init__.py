"""Permission rules: Casbin's model and policy, and the authorizer that applies them."""

from policies.actor import Actor, Placement, RequestMeta, Right, Target
from policies.authorizer import Authorizer, held_roles
from policies.credentials import Holding, require_may_set_credentials
from policies.deletion import DeletionRefusal, Refusal, deletion_refusal
from policies.enforcer import role_allows
from policies.errors import AccessError, Forbidden, NotSignedIn
from policies.roles import ROLE_CATALOGUE, ROLE_INFO, SERVICE_NAMES, Role, RoleInfo, Service

__all__ = [
    "ROLE_CATALOGUE",
    "ROLE_INFO",
    "SERVICE_NAMES",
    "AccessError",
    "Actor",
    "Authorizer",
    "DeletionRefusal",
    "Forbidden",
    "Holding",
    "NotSignedIn",
    "Placement",
    "Refusal",
    "RequestMeta",
    "Right",
    "Role",
    "RoleInfo",
    "Service",
    "Target",
    "deletion_refusal",
    "held_roles",
    "require_may_set_credentials",
    "role_allows",
]
