"""How the training domain's operations in the permission matrix are called and checked: the
Assessment Access screen (read and saved) and what deleting an account would take with it."""

from typing import Any

from strawberry import relay

from models.assessments import Assessment, HiddenAssessment
from models.organisations import OrganisationKind
from tests.permission_matrix.world import ERRORS, Call, Preparer, global_id, make_member

ESSENTIALS = "Invigilation essentials"


async def _essentials_id() -> tuple[int, str]:
    assessment = await Assessment.get(title=ESSENTIALS)
    return assessment.id, relay.to_base64("Assessment", assessment.id)


async def _assessment_access(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, "INVIGILATOR")

    async def verify(data: Any) -> None:
        assert data["user"] == {"email": victim.email}
        assert data["invigilator"] is True
        assert {"assessment": {"title": ESSENTIALS}, "hidden": False} in data["assessments"]

    return Call(
        "query($c: String!, $id: ID!) { assessmentAccess(organisationCode: $c, userId: $id) "
        "{ user { email } invigilator assessments { assessment { title } hidden } } }",
        {"c": code, "id": global_id(victim.id)},
        "assessmentAccess",
        verify,
    )


async def _set_hidden_assessments(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    victim = await make_member(code, "INVIGILATOR")
    essentials, essentials_gid = await _essentials_id()

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        hidden = await HiddenAssessment.filter(user_id=victim.id).values_list(
            "assessment_id", "organisation__code"
        )
        assert hidden == [(essentials, code)]

    return Call(
        f"mutation($input: SetHiddenAssessmentsInput!) {{ setHiddenAssessments(input: $input) "
        f"{{ access {{ assessments {{ hidden }} }} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "userId": global_id(victim.id),
                "assessmentIds": [essentials_gid],
            }
        },
        "setHiddenAssessments",
        verify,
    )


async def _user_deletion_impact(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data == {
            "user": {"email": victim.email},
            "certificates": 0,
            "attempts": 0,
            "warning": "0 certificates, 0 attempts will be deleted with Val Victim's account. "
            "Once deleted, it cannot be recovered.",
        }

    return Call(
        "query($c: String!, $id: ID!) { userDeletionImpact(organisationCode: $c, userId: $id) "
        "{ user { email } certificates attempts warning } }",
        {"c": code, "id": global_id(victim.id)},
        "userDeletionImpact",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "assessmentAccess": _assessment_access,
    "setHiddenAssessments": _set_hidden_assessments,
    "userDeletionImpact": _user_deletion_impact,
}
