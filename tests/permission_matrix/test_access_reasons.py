"""Why, through the app: FORBIDDEN's extensions.reason tells nothing of other organisations, and
explainAccess answers with the subjects, the policy line or the reason, and is audited."""

from typing import Any

import pytest
from strawberry import relay

from models.audit import AuditEvent
from models.users import User
from policies.policy_table import render_markdown
from tests.permission_matrix.calls import prepare
from tests.permission_matrix.world import (
    Call,
    World,
    error_code,
    error_reason,
    person_who_can_sign_in,
    snapshot,
    soft_deleted,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

EXPLAIN = """
query($u: ID!, $c: String!, $o: String!, $a: String!) {
  explainAccess(userId: $u, organisationCode: $c, object: $o, action: $a) {
    userId organisationCode object action allowed reason
    rule { role scope object action line text }
    subjects { role relation allowedBy { text } }
  }
}
"""
# Operations that name an organisation by its code, as a centre's staff could try them.
BY_CODE = ["organisationUsers", "roles", "services", "inviteUser", "explainAccess"]


async def user_id(email: str) -> str:
    return relay.to_base64("User", (await User.get(email=email)).id)


async def explain(world: World, actor: str, user: str, code: str, obj: str, act: str) -> Any:
    variables = {"u": user, "c": code, "o": obj, "a": act}
    return await world.gql.post(EXPLAIN, variables, world.tokens[actor])


def with_code(call: Call, code: str) -> Call:
    if "input" in call.variables:
        call.variables["input"]["organisationCode"] = code
    else:
        call.variables["c"] = code
    return call


@pytest.mark.parametrize("operation", BY_CODE)
@pytest.mark.parametrize("actor", ["eo", "users", "teacher", "as_users"])
async def test_an_unknown_code_is_refused_as_another_centre_is(
    world: World, actor: str, operation: str
) -> None:
    # The whole error (message, code and reason) is the same: nothing tells them apart.
    answers = []
    for code in ("BB202", "ZZ999"):
        call = with_code(await prepare(operation, "AA101", "Y"), code)
        body = await world.gql.post(call.query, call.variables, world.tokens[actor])
        assert error_code(body) == "FORBIDDEN", body
        answers.append([(e["message"], e["extensions"]) for e in body["errors"]])
    assert answers[0] == answers[1]
    assert answers[0][0][1]["reason"] == "NO_ROLE_HERE"


async def test_a_role_that_does_not_allow_it_says_so(world: World) -> None:
    call = await prepare("organisationUsers", "AA101", "Y")
    body = await world.gql.post(call.query, call.variables, world.tokens["slt"])
    assert error_reason(body) == "ROLE_NOT_ENOUGH", body


async def test_explain_names_each_role_and_the_line_that_allowed(world: World) -> None:
    eo = await user_id("eo@aa101.example")
    before = await AuditEvent.filter(action="access.explain").count()
    body = await explain(world, "board", eo, "AA101", "service:GLOBAL_LISTENING", "open")
    answer = body["data"]["explainAccess"]
    assert answer["allowed"] is True
    assert answer["reason"] is None
    assert answer["rule"]["text"] == "p, GLOBAL_LISTENING, own, service:GLOBAL_LISTENING, open"
    assert answer["rule"]["role"] == "GLOBAL_LISTENING"
    assert answer["rule"]["line"] > 0
    assert answer["subjects"] == [
        {"role": "MEMBER", "relation": "SELF", "allowedBy": None},
        {
            "role": "EXAMS_OFFICER",
            "relation": "SELF",
            "allowedBy": {"text": answer["rule"]["text"]},
        },
    ]
    event = await AuditEvent.filter(action="access.explain").order_by("-id").first()
    assert event is not None
    assert await AuditEvent.filter(action="access.explain").count() == before + 1
    assert event.target_id == str((await User.get(email="eo@aa101.example")).id)
    assert event.after == {
        "object": "service:GLOBAL_LISTENING",
        "action": "open",
        "allowed": True,
        "reason": None,
    }


async def test_the_associates_reach_shows_as_associate_centre(world: World) -> None:
    users = await user_id("users@as100.example")
    body = await explain(world, "board", users, "AS101", "users", "manage")
    answer = body["data"]["explainAccess"]
    assert answer["allowed"] is True
    assert {s["relation"] for s in answer["subjects"]} == {"ASSOCIATE_CENTRE"}
    body = await explain(world, "board", users, "AS101", "service:GLOBAL_LISTENING", "open")
    assert body["data"]["explainAccess"]["reason"] == "ROLE_NOT_ENOUGH"


async def test_someone_from_elsewhere_is_answered_as_nobody(world: World) -> None:
    """The exams officer asks about another centre's officer and about an id that names
    nobody: the answers are the same, and say nothing of the other centre."""
    answers = []
    for person in (await user_id("eo@bb202.example"), relay.to_base64("User", 2_000_000)):
        body = await explain(world, "eo", person, "AA101", "users", "manage")
        answer = body["data"]["explainAccess"]
        del answer["userId"]
        answers.append(answer)
    assert answers[0] == answers[1]
    assert answers[0]["reason"] == "NO_ROLE_HERE"
    assert answers[0]["subjects"] == []


async def test_a_direct_global_listening_grant_is_explained(world: World) -> None:
    email = await person_who_can_sign_in("AA101", ["GLOBAL_LISTENING"])
    body = await explain(
        world, "eo", await user_id(email), "AA101", "service:GLOBAL_LISTENING", "open"
    )
    answer = body["data"]["explainAccess"]
    assert answer["allowed"] is False
    assert answer["reason"] == "INHERITED_ONLY"
    # The grant that does not count is not brought: only MEMBER is.
    assert answer["subjects"] == [{"role": "MEMBER", "relation": "SELF", "allowedBy": None}]


async def test_explain_is_the_officers_at_their_own_organisation_only(world: World) -> None:
    eo = await user_id("eo@aa101.example")
    before = await snapshot()
    for actor, code in (("eo", "BB202"), ("as_eo", "AS101"), ("users", "AA101")):
        body = await explain(world, actor, eo, code, "users", "manage")
        assert error_code(body) == "FORBIDDEN", body
    assert await snapshot() == before  # nothing recorded for a refusal


async def test_a_deleted_own_organisation_is_named(world: World) -> None:
    email = await person_who_can_sign_in("AS101", ["SLT"])
    person = await user_id(email)
    async with soft_deleted("AS101"):
        body = await explain(world, "board", person, "AS101", "entries", "read")
    assert body["data"]["explainAccess"]["reason"] == "ORGANISATION_DELETED"


async def test_an_unknown_action_is_invalid_input(world: World) -> None:
    eo = await user_id("eo@aa101.example")
    body = await explain(world, "board", eo, "AA101", "users", "fly")
    assert error_code(body) == "INVALID_INPUT", body


async def test_the_policy_table_is_the_commands(world: World) -> None:
    data = await world.gql.ok("{ policyTable { markdown roles } }", token=world.tokens["board"])
    assert data["policyTable"]["markdown"] == render_markdown()
    assert data["policyTable"]["roles"][0] == "MEMBER"
