"""How the network domain's operations in the permission matrix are called and checked."""

from typing import Any

from models.organisations import OrganisationKind
from tests.permission_matrix.world import Call, Preparer


async def _organisations(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    async def verify(data: Any) -> None:
        assert code in [n["code"] for n in data["nodes"]]

    return Call(
        "query($s: String) { organisations(filter: {search: $s, includeDeleted: true}) "
        "{ totalCount nodes { code isDeleted } } }",
        {"s": code},
        "organisations",
        verify,
    )


async def _organisation(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    async def verify(data: Any) -> None:
        assert data["code"] == code

    return Call(
        "query($c: String!) { organisation(code: $c) { code isDeleted } }",
        {"c": code},
        "organisation",
        verify,
    )


async def _roles(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    async def verify(data: Any) -> None:
        grantable = {r["role"]: r["grantable"] for r in data}
        if kind is OrganisationKind.BOARD:
            assert set(grantable) == {"BOARD_ADMIN"}
        else:
            assert "BOARD_ADMIN" not in grantable
            assert grantable["EXAMS_OFFICER"] is False
            assert grantable["GLOBAL_LISTENING"] is False
        never = {"EXAMS_OFFICER", "GLOBAL_LISTENING"}
        assert grantable == {name: expected == "G" and name not in never for name in grantable}

    return Call(
        "query($c: String!) { roles(organisationCode: $c) { role grantable } }",
        {"c": code},
        "roles",
        verify,
    )


async def _services(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    short = {
        "SFA": "SUBMIT_FOR_ASSESSMENT",
        "AA": "ACCESS_ARRANGEMENTS",
        "UM": "USER_MANAGEMENT",
        "GL": "GLOBAL_LISTENING",
    }

    async def verify(data: Any) -> None:
        opens = set() if expected == "none" else {short[s] for s in expected.split(",")}
        assert {s["service"] for s in data} == set(short.values())
        assert {s["service"] for s in data if s["mayOpen"]} == opens

    return Call(
        "query($c: String!) { services(organisationCode: $c) { service mayOpen } }",
        {"c": code},
        "services",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "organisations": _organisations,
    "organisation": _organisation,
    "roles": _roles,
    "services": _services,
}
