"""PINs: every account gets one when it opens, and the board's phone support checks a caller's
PIN (checkUserPin), audited and locked after five wrong ones in an hour."""

from typing import Any

import pytest

from examdesk.demo import DEMO_PENDING_PIN
from models.audit import AuditEvent
from models.users import User
from tests.helpers.graphql import GraphQLClient

CHECK = """
mutation($input: CheckUserPinInput!) { checkUserPin(input: $input) {
  matches email status errors { code field message }
} }"""
PENDING = "new.teacher@cc303.example"


@pytest.fixture
async def board(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("admin@exb.example")


async def check(gql: GraphQLClient, token: str, email: str, pin: str) -> dict[str, Any]:
    return (await gql.ok(CHECK, {"input": {"email": email, "pin": pin}}, token=token))[
        "checkUserPin"
    ]


async def test_every_way_an_account_opens_gives_it_a_pin(gql: GraphQLClient, demo: object) -> None:
    board = await gql.sign_in("admin@exb.example")
    manager = await gql.sign_in("users@aa101.example")
    person = {"firstName": "Ada", "lastName": "Byron", "roles": ["SLT"]}
    opened = [
        (
            manager,
            "mutation($input: InviteUserInput!) { inviteUser(input: $input) { errors { code } } }",
            {**person, "organisationCode": "AA101", "email": "invited@aa101.example"},
        ),
        (
            board,
            "mutation($input: RegisterUserInput!) { registerUser(input: $input) "
            "{ errors { code } } }",
            {**person, "organisationCode": "AA101", "email": "registered@aa101.example"},
        ),
        (
            manager,
            "mutation($input: CreateUserAccountInput!) { createUserAccount(input: $input) "
            "{ errors { code } } }",
            {
                **person,
                "organisationCode": "AA101",
                "email": "created@aa101.example",
                "password": "Lantern-Harbour-2026",
            },
        ),
    ]
    for token, query, values in opened:
        answer = await gql.ok(query, {"input": values}, token=token)
        assert next(iter(answer.values()))["errors"] == [], answer
        pin = (await User.get(email=values["email"])).pin
        assert pin is not None, values["email"]
        assert len(pin) == 6
        assert pin.isdigit()


async def test_phone_support_checks_a_callers_pin(gql: GraphQLClient, board: str) -> None:
    right = await check(gql, board, " New.Teacher@CC303.example ", DEMO_PENDING_PIN)
    wrong = await check(gql, board, PENDING, "000000")

    assert right == {
        "matches": True,
        "email": PENDING,
        "status": "PENDING_ACTIVATION",
        "errors": [],
    }
    assert (wrong["matches"], wrong["errors"]) == (False, [])
    events = await AuditEvent.filter(action__startswith="user.pin_").order_by("id")
    assert [(e.action, e.after) for e in events] == [
        ("user.pin_matched", {"matches": True}),
        ("user.pin_mismatch", {"matches": False}),
    ]
    # The PIN is a credential: never in the trail.
    assert DEMO_PENDING_PIN not in str([e.after for e in events])
    unknown = await check(gql, board, "nobody@cc303.example", DEMO_PENDING_PIN)
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]


async def test_five_wrong_pins_lock_the_account_for_the_hour(
    gql: GraphQLClient, board: str
) -> None:
    for _ in range(5):
        assert (await check(gql, board, PENDING, "111111"))["matches"] is False

    locked = await check(gql, board, PENDING, DEMO_PENDING_PIN)

    assert [e["code"] for e in locked["errors"]] == ["PIN_LOCKED"]
    assert locked["matches"] is None
    # Another account is not locked by it.
    other = await check(gql, board, "teacher@cc303.example", "111111")
    assert other["errors"] == []


@pytest.mark.parametrize("email", ["eo@cc303.example", "users@cc303.example", "eo@as100.example"])
async def test_only_the_board_checks_pins(gql: GraphQLClient, demo: object, email: str) -> None:
    body = await gql.post(
        CHECK, {"input": {"email": PENDING, "pin": DEMO_PENDING_PIN}}, await gql.sign_in(email)
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await AuditEvent.filter(action__startswith="user.pin_").count() == 0
