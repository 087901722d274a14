"""Permission rules: Casbin's model and policy, and the authorizer that applies them."""

from policies.actor import Actor, Placement, RequestMeta, Right, Target
from policies.authorizer import Authorizer, held_roles
from policies.credentials import Holding, require_may_set_credentials
from policies.deletion import DeletionRefusal, Refusal, deletion_refusal
from policies.enforcer import role_allows
from policies.errors import AccessError, Forbidden, NotSignedIn
from policies.explanation import ELSEWHERE, Explanation, PolicyLine, Subject
from policies.reasons import Reason
from policies.roles import ROLE_CATALOGUE, ROLE_INFO, SERVICE_NAMES, Role, RoleInfo, Service

__all__ = [
    "ELSEWHERE",
    "ROLE_CATALOGUE",
    "ROLE_INFO",
    "SERVICE_NAMES",
    "AccessError",
    "Actor",
    "Authorizer",
    "DeletionRefusal",
    "Explanation",
    "Forbidden",
    "Holding",
    "NotSignedIn",
    "Placement",
    "PolicyLine",
    "Reason",
    "Refusal",
    "RequestMeta",
    "Right",
    "Role",
    "RoleInfo",
    "Service",
    "Subject",
    "Target",
    "deletion_refusal",
    "held_roles",
    "require_may_set_credentials",
    "role_allows",
]
