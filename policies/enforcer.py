"""The process-wide Casbin enforcer, loaded from model.conf and policy.csv in this package."""

from functools import cache, lru_cache
from importlib.resources import as_file, files

import casbin


@cache
def get_enforcer() -> casbin.Enforcer:
    package = files("policies")
    with as_file(package / "model.conf") as model, as_file(package / "policy.csv") as policy:
        return casbin.Enforcer(str(model), str(policy))


# Roles, relations, objects and actions are each a few dozen names from the code and the policy,
# so the answers number a few thousand at most; the bound is only a backstop.
@lru_cache(maxsize=16_384)
def role_allows(role: str, relation: str, obj: str, act: str) -> bool:
    """What the policy says of a role held with a relation to the target ("self", "parent"...),
    apart from any person: what every decision is made of (policies/authorizer.py), and what
    rules that ask which roles qualify use directly, such as who is notified or which
    assessments a set of roles may take. The policy is fixed for the process's life, so each
    answer is kept for it."""
    return get_enforcer().enforce(role, relation, obj, act)
