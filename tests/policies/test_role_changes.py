"""Casbin's answers are kept for the process's life (policies/enforcer.py), the grants are not: a
role given or taken away counts from the person's next request, on the session they already have,
through the real app."""

from strawberry import relay

from models.users import User
from tests.helpers.graphql import GraphQLClient

USERS = """
query { organisationUsers(organisationCode: "AA101", first: 1) { totalCount } }
"""
ROLES = """
mutation($input: UpdateUserRolesInput!) {
  updateUserRoles(input: $input) { organisationUser { roles } errors { code message } }
}
"""


async def _codes(gql: GraphQLClient, token: str) -> list[str]:
    body = await gql.post(USERS, token=token)
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def _set_roles(gql: GraphQLClient, manager: str, email: str, roles: list[str]) -> None:
    user = await User.get(email=email)
    variables = {
        "input": {
            "organisationCode": "AA101",
            "userId": str(relay.GlobalID("User", str(user.id))),
            "roles": roles,
        }
    }
    payload = (await gql.ok(ROLES, variables, manager))["updateUserRoles"]
    assert payload["errors"] == [], payload
    assert sorted(payload["organisationUser"]["roles"]) == sorted(roles)


async def test_a_role_given_or_taken_counts_from_the_next_request(
    demo: object, gql: GraphQLClient
) -> None:
    manager = await gql.sign_in("users@aa101.example")
    slt = await gql.sign_in("slt@aa101.example")
    # Refused, then allowed for someone else holding the same role there: both answers are now
    # kept for SLT and USER_MANAGEMENT held at one's own centre.
    assert await _codes(gql, slt) == ["FORBIDDEN"]
    assert await _codes(gql, manager) == []

    await _set_roles(gql, manager, "slt@aa101.example", ["SLT", "USER_MANAGEMENT"])
    assert await _codes(gql, slt) == []

    await _set_roles(gql, manager, "slt@aa101.example", ["SLT"])
    assert await _codes(gql, slt) == ["FORBIDDEN"]
    assert await _codes(gql, manager) == []
