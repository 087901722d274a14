"""The Assessment Access screen: the Centre Admin ticks the invigilators' assessments hidden from
one person and saves the whole set at once (seed 004 "Hiding Assessments")."""

from typing import Any

from models.assessments import Assessment, HiddenAssessment
from models.audit import AuditEvent
from models.users import Membership, User
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.training.helpers import ESSENTIALS, assessment_gid, gid, user_gid

EMERGENCIES = "Emergencies in the exam room"
ALL_STAFF = "Exam regulations for all staff"
ACCESS = """
query($code: String!, $user: ID!) { assessmentAccess(organisationCode: $code, userId: $user) {
  user { email } roles invigilator assessments { assessment { title } hidden } } }
"""
SAVE = """
mutation($input: SetHiddenAssessmentsInput!) { setHiddenAssessments(input: $input) {
  access { user { email } invigilator assessments { assessment { title } hidden } }
  errors { code field } } }
"""
MY = 'query { myAssessments(organisationCode: "AA101") { nodes { title } } }'


async def save(
    gql: GraphQLClient, token: str, email: str, ids: list[str], code: str = "AA101"
) -> dict[str, Any]:
    variables = {"input": {"organisationCode": code, "userId": await user_gid(email)}}
    variables["input"]["assessmentIds"] = ids
    return await gql.post(SAVE, variables, token)


def ticks(access: dict[str, Any]) -> dict[str, bool]:
    return {row["assessment"]["title"]: row["hidden"] for row in access["assessments"]}


async def my_titles(gql: GraphQLClient, token: str) -> list[str]:
    return [n["title"] for n in (await gql.ok(MY, {}, token))["myAssessments"]["nodes"]]


async def test_the_screen_lists_the_invigilators_assessments_ticked_where_hidden(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    inv = await user_gid("inv@aa101.example")
    access = (await gql.ok(ACCESS, {"code": "AA101", "user": inv}, eo))["assessmentAccess"]
    assert access["user"] == {"email": "inv@aa101.example"}
    assert (access["roles"], access["invigilator"]) == (["INVIGILATOR"], True)
    assert ticks(access) == {EMERGENCIES: False, ESSENTIALS: False}

    # hideAssessment, one at a time, shows on the screen as a tick.
    await gql.ok(
        "mutation($input: AssessmentVisibilityInput!) { hideAssessment(input: $input) { hidden } }",
        {
            "input": {
                "organisationCode": "AA101",
                "userId": inv,
                "assessmentId": await assessment_gid(ESSENTIALS),
            }
        },
        eo,
    )
    access = (await gql.ok(ACCESS, {"code": "AA101", "user": inv}, eo))["assessmentAccess"]
    assert ticks(access) == {EMERGENCIES: False, ESSENTIALS: True}


async def test_saving_replaces_the_whole_set_and_is_audited(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    inv = await gql.sign_in("inv@aa101.example")
    essentials, emergencies = await assessment_gid(ESSENTIALS), await assessment_gid(EMERGENCIES)

    saved = (await save(gql, eo, "inv@aa101.example", [essentials]))["data"]
    assert saved["setHiddenAssessments"]["errors"] == []
    assert ticks(saved["setHiddenAssessments"]["access"]) == {EMERGENCIES: False, ESSENTIALS: True}
    assert await my_titles(gql, inv) == [EMERGENCIES]

    # One save swaps the ticks: Essentials shown again, Emergencies hidden.
    swapped = (await save(gql, eo, "inv@aa101.example", [emergencies, emergencies]))["data"]
    assert ticks(swapped["setHiddenAssessments"]["access"]) == {
        EMERGENCIES: True,
        ESSENTIALS: False,
    }
    assert await my_titles(gql, inv) == [ESSENTIALS]
    assert await HiddenAssessment.all().count() == 1

    cleared = (await save(gql, eo, "inv@aa101.example", []))["data"]
    assert not any(ticks(cleared["setHiddenAssessments"]["access"]).values())
    assert await my_titles(gql, inv) == [EMERGENCIES, ESSENTIALS]

    events = await AuditEvent.filter(action="assessment.set_hidden").order_by("id")
    assert len(events) == 3
    essentials_id = (await Assessment.get(title=ESSENTIALS)).id
    emergencies_id = (await Assessment.get(title=EMERGENCIES)).id
    assert events[1].before == {
        "hidden": [{"assessmentId": essentials_id, "assessment": ESSENTIALS}]
    }
    assert events[1].after == {
        "hidden": [{"assessmentId": emergencies_id, "assessment": EMERGENCIES}]
    }
    assert events[1].target_id == str((await User.get(email="inv@aa101.example")).id)
    assert events[2].after == {"hidden": []}


async def test_every_id_is_checked_first_and_one_bad_id_changes_nothing(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    await save(gql, eo, "inv@aa101.example", [await assessment_gid(EMERGENCIES)])
    before = await HiddenAssessment.all().values_list("assessment_id", flat=True)
    draft = await Assessment.create(
        title="Draft for invigilators",
        description="Not published yet.",
        audience="INVIGILATORS",
        created_at=clock.now(),
    )
    body = await save(
        gql,
        eo,
        "inv@aa101.example",
        [
            await assessment_gid(ESSENTIALS),
            gid("Assessment", 999),
            await assessment_gid(ALL_STAFF),
            gid("Assessment", draft.id),
        ],
    )
    payload = body["data"]["setHiddenAssessments"]
    assert payload["access"] is None
    assert payload["errors"] == [
        {"code": "NOT_FOUND", "field": ["input", "assessmentIds", "1"]},
        {"code": "NOT_AN_INVIGILATORS_ASSESSMENT", "field": ["input", "assessmentIds", "2"]},
        {"code": "NOT_FOUND", "field": ["input", "assessmentIds", "3"]},
    ]
    assert await HiddenAssessment.all().values_list("assessment_id", flat=True) == before
    assert await AuditEvent.filter(action="assessment.set_hidden").count() == 1

    wrong_type = await save(gql, eo, "inv@aa101.example", [await user_gid("inv@aa101.example")])
    assert wrong_type["data"]["setHiddenAssessments"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "assessmentIds", "0"]}
    ]


async def test_a_hidden_assessment_since_unpublished_stays_on_the_screen(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    essentials = await assessment_gid(ESSENTIALS)
    await save(gql, eo, "inv@aa101.example", [essentials])
    await Assessment.filter(title=ESSENTIALS).update(published_at=None)
    inv = await user_gid("inv@aa101.example")
    access = (await gql.ok(ACCESS, {"code": "AA101", "user": inv}, eo))["assessmentAccess"]
    assert ticks(access) == {EMERGENCIES: False, ESSENTIALS: True}
    # Saved as shown, it stays hidden (and would stay hidden once published again).
    kept = (await save(gql, eo, "inv@aa101.example", [essentials]))["data"]
    assert kept["setHiddenAssessments"]["errors"] == []
    assert await HiddenAssessment.all().count() == 1


async def test_only_members_and_only_invigilators_get_ticks(
    demo: object, gql: GraphQLClient
) -> None:
    eo = await gql.sign_in("eo@aa101.example")
    essentials = await assessment_gid(ESSENTIALS)
    elsewhere = await save(gql, eo, "inv@bb202.example", [essentials])
    assert elsewhere["data"]["setHiddenAssessments"]["errors"] == [
        {"code": "NOT_A_MEMBER", "field": ["input", "userId"]}
    ]
    read = await gql.post(
        ACCESS, {"code": "AA101", "user": await user_gid("inv@bb202.example")}, eo
    )
    assert read["errors"][0]["extensions"]["code"] == "NOT_A_MEMBER"

    not_inv = await save(gql, eo, "slt@aa101.example", [essentials])
    assert not_inv["data"]["setHiddenAssessments"]["errors"] == [
        {"code": "NOT_AN_INVIGILATOR", "field": ["input", "userId"]}
    ]
    assert await HiddenAssessment.all().count() == 0

    # Hidden while they invigilated: the ticks can still be cleared.
    slt = await User.get(email="slt@aa101.example")
    await HiddenAssessment.create(
        user=slt,
        assessment=await Assessment.get(title=ESSENTIALS),
        organisation_id=(await Membership.get(user_id=slt.id)).organisation_id,
        hidden_at=clock.now(),
    )
    access = (await gql.ok(ACCESS, {"code": "AA101", "user": gid("User", slt.id)}, eo))[
        "assessmentAccess"
    ]
    assert (access["invigilator"], ticks(access)[ESSENTIALS]) == (False, True)
    cleared = await save(gql, eo, "slt@aa101.example", [])
    assert cleared["data"]["setHiddenAssessments"]["errors"] == []
    assert await HiddenAssessment.all().count() == 0


async def test_the_centre_admin_alone_sees_and_saves_the_screen(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await user_gid("inv@aa101.example")
    essentials = await assessment_gid(ESSENTIALS)
    for email in (
        "users@aa101.example",
        "slt@aa101.example",
        "inv@aa101.example",
        "admin@exb.example",
        "eo@bb202.example",
    ):
        token = await gql.sign_in(email)
        read = await gql.post(ACCESS, {"code": "AA101", "user": inv}, token)
        assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN", email
        saved = await save(gql, token, "inv@aa101.example", [essentials])
        assert saved["errors"][0]["extensions"]["code"] == "FORBIDDEN", email
    assert await HiddenAssessment.all().count() == 0
    assert await AuditEvent.filter(action="assessment.set_hidden").count() == 0
