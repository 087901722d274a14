"""The process-wide Casbin enforcer, loaded from model.conf and policy.csv in this package."""

from functools import cache
from importlib.resources import as_file, files

import casbin


@cache
def get_enforcer() -> casbin.Enforcer:
    package = files("policies")
    with as_file(package / "model.conf") as model, as_file(package / "policy.csv") as policy:
        return casbin.Enforcer(str(model), str(policy))
