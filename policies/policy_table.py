"""The rules as a table people can read: for each object and action of policy.csv, which roles
may, and where (at their own organisation, at the associate centres of the associate where they
hold it, or everywhere from the board). Made from model.conf and policy.csv through the same
enforcer that decides, so it says what the Authorizer does (`examdesk policy-table`, the
README's roles section, and the policyTable query)."""

from dataclasses import dataclass
from functools import cache

from policies.authorizer import CANDIDATE, TEST_CANDIDATE
from policies.enforcer import get_enforcer, role_allows
from policies.roles import INHERITED_ONLY, MEMBER, ROLE_CATALOGUE, Role

# The relations a role can be held with, in the order a cell names them.
RELATIONS = ("self", "parent", "board")
_WORDS = {"self": "self", "parent": "assoc. centres", "board": "board"}
ROLES: tuple[str, ...] = (MEMBER, *Role, CANDIDATE, TEST_CANDIDATE)

START = "<!-- policy-table:start -->"
END = "<!-- policy-table:end -->"


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    relations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PolicyRow:
    obj: str
    act: str
    grants: tuple[Grant, ...]

    def relations_of(self, role: str) -> tuple[str, ...]:
        return next((g.relations for g in self.grants if g.role == role), ())


@cache
def policy_table() -> tuple[PolicyRow, ...]:
    """Every (object, action) of policy.csv in the order the file names them, with each role
    that may and the relations it may with (inherited roles counted, as decisions count them)."""
    pairs = dict.fromkeys((obj, act) for _, _, obj, act in get_enforcer().get_policy())
    return tuple(
        PolicyRow(
            obj,
            act,
            tuple(
                Grant(role, relations)
                for role in ROLES
                if (relations := tuple(r for r in RELATIONS if role_allows(role, r, obj, act)))
            ),
        )
        for obj, act in pairs
    )


@cache
def render_markdown() -> str:
    """The roles' meanings (policies/roles.py, as the roles query gives them) and the table,
    as Markdown between the markers the README keeps it in."""
    header = ["object", "action", *(_heading(role) for role in ROLES)]
    lines = [
        START,
        "<!-- Made by `examdesk policy-table` from policies/model.conf and policies/policy.csv:",
        "     edit those, then run it again; tests/policies/test_policy_table.py compares. -->",
        "",
        "| role | name | meaning |",
        "|---|---|---|",
        *(f"| `{i.role}` | {i.name} | {i.description} |" for i in ROLE_CATALOGUE),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in policy_table():
        cells = [" + ".join(_WORDS[r] for r in row.relations_of(role)) for role in ROLES]
        lines.append("| " + " | ".join([f"`{row.obj}`", row.act, *cells]) + " |")
    lines += ["", _legend(), END]
    return "\n".join(lines) + "\n"


def _legend() -> str:
    enforcer = get_enforcer()
    inherits = [
        f"`{role}` also holds " + ", ".join(f"`{held}`" for held in held_roles)
        for role in ROLES
        # In the table's column order: Casbin answers in no fixed order.
        if (held_roles := [r for r in ROLES if r in enforcer.get_implicit_roles_for_user(role)])
    ]
    only = ", ".join(f"`{role}`" for role in sorted(INHERITED_ONLY))
    return (
        "Where a role reaches: **self** at the organisation where it is held; **assoc. "
        "centres** also at the associate centres of the associate where it is held; **board** "
        "everywhere, held at the exam board. Every member holds `MEMBER` where they belong, "
        f"besides their roles. {'; '.join(inherits)} (the `g` lines, counted in the table). "
        f"*{only} counts only when inherited: granted on its own it allows nothing. `CANDIDATE` "
        "and `TEST_CANDIDATE` come only from a candidate's results sign-in or started test."
    )


def _heading(role: str) -> str:
    return f"`{role}`*" if role in INHERITED_ONLY else f"`{role}`"
