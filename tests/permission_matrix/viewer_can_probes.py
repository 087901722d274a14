"""What the viewer is told before trying: for each mutation of the permission matrix, the
`permissions` or `viewerCan` answer about the very thing the cell's call acts on. run_cell asks
it as the cell's actor, just before the call, and holds the two to each other: yes exactly where
the mutation is not FORBIDDEN, no exactly where it is.

An object the actor may not read at all (a FORBIDDEN or null answer) counts as no: a UI that
cannot show it shows no button for it either.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.helpers.graphql import GraphQLClient
from tests.permission_matrix.world import Call


@dataclass(frozen=True)
class Probe:
    """How to ask for one action's answer: the query, and its variables from the cell's call and
    organisation code."""

    query: str
    variables: Callable[[Call, str], dict[str, Any]]
    path: tuple[str, ...]


def _at_organisation(action: str) -> Probe:
    return Probe(
        f"query ViewerPermissions($c: String!) {{ permissions(organisationCode: $c) "
        f"{{ {action} }} }}",
        lambda call, code: {"c": code},
        ("permissions", action),
    )


def _to_member(action: str) -> Probe:
    return Probe(
        f"query ViewerCanMember($c: String!, $id: ID!) {{ organisationUser(organisationCode: $c, "
        f"userId: $id) {{ viewerCan {{ {action} }} }} }}",
        lambda call, code: {"c": code, "id": call.variables["input"]["userId"]},
        ("organisationUser", "viewerCan", action),
    )


def _to_node(type_name: str, id_field: str, action: str) -> Probe:
    return Probe(
        f"query ViewerCanNode($id: ID!) {{ node(id: $id) {{ ... on {type_name} "
        f"{{ viewerCan {{ {action} }} }} }} }}",
        lambda call, code: {"id": call.variables["input"][id_field]},
        ("node", "viewerCan", action),
    )


PROBES: dict[str, Probe] = {
    "inviteUser": _at_organisation("inviteUser"),
    "registerUser": _at_organisation("registerUser"),
    "designateExamsOfficer": _at_organisation("designateExamsOfficer"),
    "createTestSession": _at_organisation("createTestSession"),
    "setHiddenAssessments": _at_organisation("setHiddenAssessments"),
    "uploadHelpDocument": _at_organisation("uploadHelpDocument"),
    "resendEmail": _at_organisation("resendEmail"),
    "enterCandidate": _at_organisation("enterCandidate"),
    "withdrawEntry": _to_node("Entry", "entryId", "withdrawEntry"),
    "loadResult": _to_node("Entry", "entryId", "loadResult"),
    "resendInvitation": _to_member("resendInvitation"),
    "deleteUserAccount": _to_member("deleteUserAccount"),
    "updateUserRoles": _to_member("updateUserRoles"),
    "updateUser": _to_member("updateUser"),
    "removeUser": _to_member("removeUser"),
    "setPassword": _to_member("updateUserAccountPassword"),
    "setEmail": _to_member("updateUserAccountEmail"),
    "setOfficerPassword": _to_member("updateUserAccountPassword"),
    "setOfficerEmail": _to_member("updateUserAccountEmail"),
    "setSharedPassword": _to_member("updateUserAccountPassword"),
    "updateTestSession": _to_node("TestSession", "testSessionId", "updateTestSession"),
    "cancelTestSession": _to_node("TestSession", "testSessionId", "cancelTestSession"),
    "enterCandidateIntoTestSession": _to_node(
        "TestSession", "testSessionId", "enterCandidateIntoTestSession"
    ),
    "createLogInSheet": _to_node("TestSession", "testSessionId", "createLogInSheet"),
    "updateResource": _to_node("Resource", "id", "updateResource"),
    "replaceResourceFile": _to_node("Resource", "id", "replaceResourceFile"),
    "deleteResource": _to_node("Resource", "id", "deleteResource"),
    "withdrawResource": _to_node("Resource", "id", "withdrawResource"),
    "updateHelpDocument": _to_node("HelpDocument", "id", "updateHelpDocument"),
    "deleteHelpDocument": _to_node("HelpDocument", "id", "deleteHelpDocument"),
}


async def viewer_may(gql: GraphQLClient, operation: str, call: Call, code: str, token: str) -> bool:
    """The answer the actor is given about the cell's call."""
    probe = PROBES[operation]
    body = await gql.post(probe.query, probe.variables(call, code), token)
    errors = body.get("errors") or []
    if errors:
        codes = [e.get("extensions", {}).get("code") for e in errors]
        assert codes == ["FORBIDDEN"], body  # unreadable; anything else is a defect
        return False
    answer: Any = body["data"]
    for key in probe.path:
        if answer is None:
            return False
        answer = answer[key]
    assert isinstance(answer, bool), body
    return answer
