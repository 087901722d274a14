"""Before an account is deleted for good: what goes with it from staff training, said in a
warning, and gone once DELETE is typed (seed 004 "To delete a user")."""

from models.assessments import Attempt, Certificate, HiddenAssessment
from models.files import StoredFile
from tests.helpers.graphql import GraphQLClient
from tests.training.helpers import (
    RIGHT,
    assessment_gid,
    section_ids,
    start,
    submit,
    take,
    user_gid,
)

IMPACT = """
query($code: String!, $user: ID!) { userDeletionImpact(organisationCode: $code, userId: $user) {
  user { email } certificates attempts warning } }
"""
DELETE = """
mutation($input: DeleteUserAccountInput!) { deleteUserAccount(input: $input) {
  deletedUserId errors { code message } } }
"""


async def test_the_warning_counts_certificates_and_attempts_that_go_with_the_account(
    demo: object, gql: GraphQLClient
) -> None:
    inv = await gql.sign_in("inv@aa101.example")
    first, second = await section_ids()
    wrong = await start(gql, inv, first)
    await submit(gql, inv, wrong["attempt"]["id"], [[0], [0], [0, 1]])
    await take(gql, inv, first, RIGHT[0])
    await take(gql, inv, second, RIGHT[1])
    eo = await gql.sign_in("eo@aa101.example")
    await gql.ok(
        "mutation($input: SetHiddenAssessmentsInput!) { setHiddenAssessments(input: $input) "
        "{ errors { code } } }",
        {
            "input": {
                "organisationCode": "AA101",
                "userId": await user_gid("inv@aa101.example"),
                "assessmentIds": [await assessment_gid("Emergencies in the exam room")],
            }
        },
        eo,
    )
    assert await HiddenAssessment.all().count() == 1
    user = await user_gid("inv@aa101.example")

    impact = (await gql.ok(IMPACT, {"code": "AA101", "user": user}, eo))["userDeletionImpact"]
    assert impact == {
        "user": {"email": "inv@aa101.example"},
        "certificates": 1,
        "attempts": 3,
        "warning": "1 certificate, 3 attempts will be deleted with Grace Hopper's account. "
        "Once deleted, it cannot be recovered.",
    }
    nobody = await gql.ok(IMPACT, {"code": "AA101", "user": await user_gid("aa@aa101.example")}, eo)
    assert nobody["userDeletionImpact"]["warning"].startswith("0 certificates, 0 attempts ")

    # The delete itself, before DELETE is typed, warns the same in its payload.
    unconfirmed = await gql.ok(
        DELETE,
        {"input": {"organisationCode": "AA101", "userId": user, "confirmation": ""}},
        eo,
    )
    [refusal] = unconfirmed["deleteUserAccount"]["errors"]
    assert refusal["code"] == "DELETE_NOT_CONFIRMED"
    assert refusal["message"].endswith(
        "1 certificate and 3 assessment attempts will be deleted with Grace Hopper's account."
    )
    assert await Certificate.all().count() == 1

    deleted = await gql.ok(
        DELETE,
        {"input": {"organisationCode": "AA101", "userId": user, "confirmation": "DELETE"}},
        eo,
    )
    assert deleted["deleteUserAccount"] == {"deletedUserId": user, "errors": []}
    assert await Certificate.all().count() == 0
    assert await Attempt.all().count() == 0
    assert await HiddenAssessment.all().count() == 0
    # The PDF printed the person's name: it goes too.
    assert await StoredFile.filter(owner_type="Certificate").count() == 0


async def test_only_who_may_delete_there_asks_and_only_about_members(
    demo: object, gql: GraphQLClient
) -> None:
    user = await user_gid("inv@aa101.example")
    for email in ("slt@aa101.example", "inv@aa101.example", "eo@bb202.example"):
        body = await gql.post(IMPACT, {"code": "AA101", "user": user}, await gql.sign_in(email))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", email
    eo = await gql.sign_in("eo@aa101.example")
    elsewhere = await user_gid("inv@bb202.example")
    body = await gql.post(IMPACT, {"code": "AA101", "user": elsewhere}, eo)
    assert body["errors"][0]["extensions"]["code"] == "NOT_A_MEMBER"
