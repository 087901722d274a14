"""The board's "Manage centres" (seed 003): centres, soft delete and undo, centres' users."""

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from strawberry import relay

from models.audit import AuditEvent
from models.organisations import Organisation, OrganisationKind
from models.sessions import OneTimeCode, OneTimeCodePurpose
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox
from tests.helpers.query_counts import CountQueries, grow_to, statements

BOARD = "admin@exb.example"

CENTRE_FIELDS = "centre { code name address city country kind isDeleted parent { code } }"
ERRORS = "errors { code field message }"

ORGANISATIONS = """
query($search: String, $deleted: Boolean!) {
  organisations(filter: {search: $search, includeDeleted: $deleted}) { nodes { code } }
}"""
CREATE = f"""
mutation($input: CreateCentreInput!) {{
  createCentre(input: $input) {{ {CENTRE_FIELDS} {ERRORS} }}
}}"""
UPDATE = f"""
mutation($input: UpdateCentreInput!) {{
  updateCentre(input: $input) {{ {CENTRE_FIELDS} {ERRORS} }}
}}"""
DELETE = f"""
mutation($input: CentreCodeInput!) {{ deleteCentre(input: $input) {{ {CENTRE_FIELDS} {ERRORS} }} }}
"""
UNDO = f"""
mutation($input: CentreCodeInput!) {{
  undoDeleteCentre(input: $input) {{ {CENTRE_FIELDS} {ERRORS} }}
}}"""
USERS = """
query($code: String!, $first: Int! = 15, $after: String) {
  centreUsers(code: $code, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { userId email firstName lastName fullName status pin lastLoginAt roles }
  }
}"""
ADD_USER = f"""
mutation($input: AddCentreUserInput!) {{
  addCentreUser(input: $input) {{
    centreUser {{ userId email firstName lastName status pin roles }} message {ERRORS}
  }}
}}"""
REMOVE_USER = f"""
mutation($input: RemoveCentreUserInput!) {{
  removeCentreUser(input: $input) {{ removedUserId lastMembership message {ERRORS} }}
}}"""
RESEND = f"""
mutation($input: ResendActivationInput!) {{
  resendActivationEmail(input: $input) {{ centreUser {{ email status }} message {ERRORS} }}
}}"""
SERVICES = '{ services(organisationCode: "AA101") { service mayOpen } }'
ME = "{ me { organisations { code } grants { organisation { code } } } }"


@pytest.fixture
async def board(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in(BOARD)


async def mutate(gql: GraphQLClient, query: str, token: str, **values: Any) -> dict[str, Any]:
    data = await gql.ok(query, {"input": values}, token=token)
    return next(iter(data.values()))


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def last_event(action: str) -> AuditEvent:
    event = await AuditEvent.filter(action=action).order_by("-id").first()
    assert event is not None, action
    return event


# --- Searching -------------------------------------------------------------------------------


async def test_board_searches_centres_by_number_or_name(gql: GraphQLClient, board: str) -> None:
    async def found(search: str, deleted: bool = False) -> list[str]:
        data = await gql.ok(ORGANISATIONS, {"search": search, "deleted": deleted}, token=board)
        return [n["code"] for n in data["organisations"]["nodes"]]

    assert await found("bb2") == ["BB202"]
    assert await found("cedar") == ["CC303"]
    assert await found("northbridge hill") == ["AS102"]
    await mutate(gql, DELETE, board, code="CC303")
    assert await found("cedar") == []
    assert await found("cedar", deleted=True) == ["CC303"]


# --- Creating and editing ---------------------------------------------------------------------


async def test_board_creates_a_centre_and_an_associate_centre(
    gql: GraphQLClient, board: str
) -> None:
    created = await mutate(
        gql,
        CREATE,
        board,
        code=" dd404 ",
        name="  Delta   Academy ",
        address="1 Quay Street",
        city="Lagos",
        country="Nigeria",
    )
    assert created == {
        "centre": {
            "code": "DD404",
            "name": "Delta Academy",
            "address": "1 Quay Street",
            "city": "Lagos",
            "country": "Nigeria",
            "kind": "CENTRE",
            "isDeleted": False,
            "parent": None,
        },
        "errors": [],
    }
    event = await last_event("centre.create")
    assert event.before is None
    assert event.after is not None
    assert event.after["code"] == "DD404"
    assert event.organisation_id == (await Organisation.get(code="DD404")).id

    associated = await mutate(
        gql, CREATE, board, code="AS103", name="Northbridge Valley", associateCode="as100"
    )
    assert associated["centre"]["parent"] == {"code": "AS100"}
    # The associate's staff reach the new associate centre at once.
    as_users = await gql.sign_in("users@as100.example")
    listed = await gql.ok(
        '{ organisationUsers(organisationCode: "AS103") { totalCount } }', token=as_users
    )
    assert listed["organisationUsers"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"code": "A", "name": "X"}, [("CENTRE_CODE_INVALID", ["input", "code"])]),
        ({"code": "AB-12", "name": "X"}, [("CENTRE_CODE_INVALID", ["input", "code"])]),
        ({"code": "A" * 17, "name": "X"}, [("CENTRE_CODE_INVALID", ["input", "code"])]),
        ({"code": "aa101", "name": "X"}, [("CENTRE_CODE_TAKEN", ["input", "code"])]),
        ({"code": "DD404", "name": "   "}, [("NAME_REQUIRED", ["input", "name"])]),
        (
            {"code": "DD404", "name": "X", "city": "c" * 101},
            [("INPUT_TOO_LONG", ["input", "city"])],
        ),
        (
            {"code": "DD404", "name": "X", "associateCode": "ZZ999"},
            [("NOT_FOUND", ["input", "associateCode"])],
        ),
        (
            {"code": "DD404", "name": "X", "associateCode": "AA101"},
            [("NOT_AN_ASSOCIATE", ["input", "associateCode"])],
        ),
        (
            {"code": "!", "name": ""},
            [("CENTRE_CODE_INVALID", ["input", "code"]), ("NAME_REQUIRED", ["input", "name"])],
        ),
    ],
)
async def test_creating_a_centre_refuses_bad_input(
    gql: GraphQLClient, board: str, values: dict[str, str], expected: list[tuple[str, list[str]]]
) -> None:
    before = await Organisation.all().count()
    answer = await mutate(gql, CREATE, board, **values)
    assert answer["centre"] is None
    assert [(e["code"], e["field"]) for e in answer["errors"]] == expected
    assert await Organisation.all().count() == before
    assert not await AuditEvent.exists(action="centre.create")


async def test_an_associate_centre_needs_a_live_associate(gql: GraphQLClient, board: str) -> None:
    await Organisation.filter(code="AS100").update(deleted_at=clock.now())
    answer = await mutate(gql, CREATE, board, code="AS103", name="X", associateCode="AS100")
    assert codes(answer) == ["ORGANISATION_DELETED"]


async def test_board_updates_a_centre_keeping_what_is_not_given(
    gql: GraphQLClient, board: str
) -> None:
    answer = await mutate(gql, UPDATE, board, code="BB202", name="Bayview School", city="Penang")
    assert answer["errors"] == []
    assert answer["centre"]["name"] == "Bayview School"
    assert answer["centre"]["city"] == "Penang"
    assert answer["centre"]["country"] == "Malaysia"
    event = await last_event("centre.update")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["name"], event.after["name"]) == (
        "Bayview International School",
        "Bayview School",
    )
    assert (event.before["city"], event.after["city"]) == ("", "Penang")

    refused = await mutate(gql, UPDATE, board, code="BB202", name=" ")
    assert codes(refused) == ["NAME_REQUIRED"]
    missing = await mutate(gql, UPDATE, board, code="ZZ999", name="X")
    assert codes(missing) == ["NOT_FOUND"]
    not_centre = await mutate(gql, UPDATE, board, code="AS100", name="X")
    assert codes(not_centre) == ["NOT_A_CENTRE"]
    assert (await Organisation.get(code="AS100")).name == "Northbridge Associates"


# --- Soft delete and undo ---------------------------------------------------------------------


async def test_soft_delete_removes_access_at_once_and_undo_restores_it(
    gql: GraphQLClient, board: str
) -> None:
    teacher = await gql.sign_in("teacher@aa101.example")
    assert (await gql.ok(SERVICES, token=teacher))["services"]
    me = (await gql.ok(ME, token=teacher))["me"]
    assert me["organisations"] == [{"code": "AA101"}]

    deleted = await mutate(gql, DELETE, board, code="AA101")
    assert deleted["errors"] == []
    assert deleted["centre"]["isDeleted"] is True

    refused = await gql.post(SERVICES, token=teacher)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    me = (await gql.ok(ME, token=teacher))["me"]
    assert me == {"organisations": [], "grants": []}
    event = await last_event("centre.delete")
    assert event.before is not None
    assert event.after is not None
    assert event.before["deletedAt"] is None
    assert event.after["deletedAt"] is not None

    again = await mutate(gql, DELETE, board, code="AA101")
    assert codes(again) == ["ORGANISATION_DELETED"]
    assert await AuditEvent.filter(action="centre.delete").count() == 1

    undone = await mutate(gql, UNDO, board, code="AA101")
    assert undone["errors"] == []
    assert undone["centre"]["isDeleted"] is False
    # The same session: no sign-in again.
    assert (await gql.ok(SERVICES, token=teacher))["services"]
    assert (await gql.ok(ME, token=teacher))["me"]["organisations"] == [{"code": "AA101"}]
    event = await last_event("centre.undo_delete")
    assert event.before is not None
    assert event.after is not None
    assert event.before["deletedAt"] is not None
    assert event.after["deletedAt"] is None

    not_deleted = await mutate(gql, UNDO, board, code="AA101")
    assert codes(not_deleted) == ["ORGANISATION_NOT_DELETED"]
    assert await AuditEvent.filter(action="centre.undo_delete").count() == 1


async def test_only_centres_are_deleted(gql: GraphQLClient, board: str) -> None:
    for code, error in (("EXB", "NOT_A_CENTRE"), ("AS100", "NOT_A_CENTRE"), ("ZZ999", "NOT_FOUND")):
        assert codes(await mutate(gql, DELETE, board, code=code)) == [error]
        assert codes(await mutate(gql, UNDO, board, code=code)) == [error]
    assert not await Organisation.filter(deleted_at__isnull=False).exists()


# --- A centre's users -------------------------------------------------------------------------


async def test_centre_users_are_sorted_by_email_with_pin_and_last_sign_in(
    gql: GraphQLClient, board: str
) -> None:
    await User.filter(email="teacher@bb202.example").update(pin="012345")
    await gql.sign_in("slt@bb202.example")
    first = (await gql.ok(USERS, {"code": "bb202", "first": 4}, token=board))["centreUsers"]
    emails = [n["email"] for n in first["nodes"]]
    assert first["totalCount"] == 7
    assert emails == [
        "aa@bb202.example",
        "eo@bb202.example",
        "inv@bb202.example",
        "sfa.eo@bb202.example",
    ]
    assert first["nodes"][1]["roles"] == ["EXAMS_OFFICER"]
    assert first["nodes"][1]["fullName"] == "Anakin Skywalker"
    rest = (
        await gql.ok(USERS, {"code": "BB202", "after": first["pageInfo"]["endCursor"]}, token=board)
    )["centreUsers"]
    by_email = {n["email"]: n for n in rest["nodes"]}
    assert list(by_email) == ["slt@bb202.example", "teacher@bb202.example", "users@bb202.example"]
    assert by_email["teacher@bb202.example"]["pin"] == "012345"
    assert by_email["slt@bb202.example"]["lastLoginAt"] is not None
    assert by_email["users@bb202.example"]["lastLoginAt"] is None
    assert rest["pageInfo"]["hasNextPage"] is False

    # A deleted centre's users stay listed for the board, which restores it from there.
    await mutate(gql, DELETE, board, code="BB202")
    listed = (await gql.ok(USERS, {"code": "BB202"}, token=board))["centreUsers"]
    assert listed["totalCount"] == 7


async def test_centre_users_of_a_missing_organisation_or_the_board(
    gql: GraphQLClient, board: str
) -> None:
    missing = await gql.post(USERS, {"code": "ZZ999"}, token=board)
    assert missing["data"] is None
    assert "No organisation" in missing["errors"][0]["message"]
    board_itself = await gql.post(USERS, {"code": "EXB"}, token=board)
    assert "not a centre" in board_itself["errors"][0]["message"]


async def test_the_users_list_costs_the_same_for_10_and_500_users(
    gql: GraphQLClient, board: str, count_queries: CountQueries
) -> None:
    counts = []
    for size in (10, 500):
        await grow_to("CC303", size)
        count, data = await statements(
            gql, count_queries, USERS, {"code": "CC303", "first": 100}, board
        )
        assert data["centreUsers"]["totalCount"] == size
        assert len(data["centreUsers"]["nodes"]) == min(size, 100)
        counts.append(count)
    print(f"centreUsers statements at 10 and 500 users: {counts}")
    assert counts[0] == counts[1]


async def test_board_adds_a_user_by_email_who_gets_the_activation_email(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    board = await gql.sign_in(BOARD)
    added = await mutate(
        gql,
        ADD_USER,
        board,
        code="cc303",
        email=" Rosa.Parks@CC303.example ",
        roles=["SFA_TEACHER"],
    )
    assert added["errors"] == []
    person = added["centreUser"]
    assert person["email"] == "rosa.parks@cc303.example"
    assert person["status"] == "PENDING_ACTIVATION"
    assert person["roles"] == ["SFA_TEACHER"]
    assert (person["firstName"], person["lastName"]) == ("", "")
    assert re.fullmatch(r"\d{6}", person["pin"])

    [message] = await mailbox.wait_for("rosa.parks@cc303.example")
    assert message["Subject"] == "Activate your examdesk account"
    assert "http://examdesk.test/activate?token=" in message.get_content()
    # Added by email alone: no blank name in the greeting.
    assert message.get_content().startswith("Hello there,")
    assert (
        await OneTimeCode.filter(
            user__email="rosa.parks@cc303.example", purpose=OneTimeCodePurpose.ACCOUNT_ACTIVATION
        ).count()
        == 1
    )

    event = await last_event("centre.add_user")
    assert event.after is not None
    assert event.after["email"] == "rosa.parks@cc303.example"
    assert event.after["pinIssued"] is True
    # The PIN is a credential: not in the audit trail.
    assert person["pin"] not in str(event.after)
    listed = (await gql.ok(USERS, {"code": "CC303"}, token=board))["centreUsers"]
    assert person["email"] in [n["email"] for n in listed["nodes"]]


async def test_the_board_resends_an_activation_email_with_a_new_code(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    board = await gql.sign_in(BOARD)
    user = await pending_user()
    user_id = str(relay.GlobalID("User", str(user.id)))

    sent = await mutate(gql, RESEND, board, code="AA101", userId=user_id)

    assert sent["errors"] == []
    assert sent["centreUser"] == {"email": user.email, "status": "PENDING_ACTIVATION"}
    assert sent["message"] == f"A new activation email has been sent to {user.email}."
    [message] = await mailbox.wait_for(user.email)
    assert message["Subject"] == "Activate your examdesk account"
    again = await mutate(gql, RESEND, board, code="AA101", userId=user_id)
    assert again["errors"] == []
    await mailbox.wait_for(user.email, 2)
    # Only the newest link and code work.
    live = await OneTimeCode.filter(user_id=user.id, used_at=None).count()
    assert live == 1
    event = await last_event("user.account_activation_requested")
    assert (event.actor_email, event.after) == (BOARD, {"emailSent": True})
    # The public request's hourly limit holds for the board too, and says so.
    await mutate(gql, RESEND, board, code="AA101", userId=user_id)
    refused = await mutate(gql, RESEND, board, code="AA101", userId=user_id)
    assert codes(refused) == ["TOO_MANY_EMAILS"]
    assert len(await mailbox.wait_for(user.email, 3)) == 3


async def test_only_an_account_waiting_for_activation_gets_it_again(
    gql: GraphQLClient, board: str
) -> None:
    active = await User.get(email="teacher@aa101.example")
    refused = await mutate(
        gql, RESEND, board, code="AA101", userId=str(relay.GlobalID("User", str(active.id)))
    )
    assert codes(refused) == ["NOT_PENDING_ACTIVATION"]
    assert "not waiting for activation (their account is active)" in refused["errors"][0]["message"]
    elsewhere = await pending_user("pending@bb202.example", "BB202")
    not_here = await mutate(
        gql, RESEND, board, code="AA101", userId=str(relay.GlobalID("User", str(elsewhere.id)))
    )
    assert codes(not_here) == ["NOT_A_MEMBER"]
    assert await OneTimeCode.all().count() == 0


async def test_adding_a_user_with_names_and_no_roles(gql: GraphQLClient, board: str) -> None:
    added = await mutate(
        gql,
        ADD_USER,
        board,
        code="AA101",
        email="grace@aa101.example",
        firstName=" Grace ",
        lastName="Kelly",
    )
    assert added["errors"] == []
    assert added["centreUser"]["firstName"] == "Grace"
    assert added["centreUser"]["roles"] == []
    user = await User.get(email="grace@aa101.example")
    assert user.status is UserStatus.PENDING_ACTIVATION
    assert await Membership.exists(user_id=user.id, organisation__code="AA101")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"email": "EO@bb202.example"},
            [("EMAIL_IN_USE", "That email address is already in use.")],
        ),
        (
            {"email": "admin@exb.example"},
            [("EMAIL_IN_USE", "That email address is already in use.")],
        ),
        ({"email": "not-an-email"}, [("EMAIL_INVALID", "Enter a valid email address.")]),
        (
            {"email": "x@aa101.example", "roles": ["GLOBAL_LISTENING"]},
            [
                (
                    "ROLE_NOT_GRANTABLE",
                    "Global Listening cannot be given to anyone: "
                    "only the exams officer can access it.",
                )
            ],
        ),
        (
            {"email": "x@aa101.example", "roles": ["EXAMS_OFFICER"]},
            [("ROLE_NOT_GRANTABLE", "The exams officer is designated by the exam board.")],
        ),
        (
            {"email": "x@aa101.example", "firstName": "f" * 101},
            [("INPUT_TOO_LONG", "firstName is too long: at most 100 characters.")],
        ),
    ],
)
async def test_adding_a_user_refuses(
    gql: GraphQLClient, board: str, values: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    users_before = await User.all().count()
    answer = await mutate(gql, ADD_USER, board, code="AA101", **values)
    assert answer["centreUser"] is None
    assert [(e["code"], e["message"]) for e in answer["errors"]] == expected
    assert await User.all().count() == users_before
    assert not await AuditEvent.exists(action="centre.add_user")


async def test_nobody_is_added_to_a_deleted_centre(gql: GraphQLClient, board: str) -> None:
    await mutate(gql, DELETE, board, code="AA101")
    answer = await mutate(gql, ADD_USER, board, code="AA101", email="x@aa101.example")
    assert codes(answer) == ["ORGANISATION_DELETED"]
    assert not await User.exists(email="x@aa101.example")


async def test_removing_a_user_from_a_centre_only(gql: GraphQLClient, board: str) -> None:
    teacher = await User.get(email="teacher@aa101.example")
    # The teacher also teaches at BB202.
    bb202 = await Organisation.get(code="BB202")
    await Membership.create(user=teacher, organisation=bb202, roles=["INVIGILATOR"])
    user_id = (await gql.ok(USERS, {"code": "AA101", "first": 100}, token=board))["centreUsers"][
        "nodes"
    ]
    teacher_id = next(n["userId"] for n in user_id if n["email"] == teacher.email)

    removed = await mutate(gql, REMOVE_USER, board, code="AA101", userId=teacher_id)
    assert removed["errors"] == []
    assert removed["lastMembership"] is False
    assert not await Membership.exists(user_id=teacher.id, organisation__code="AA101")
    assert await Membership.exists(user_id=teacher.id, organisation_id=bb202.id)
    centre = await Organisation.get(code="AA101")
    assert centre.deleted_at is None
    assert centre.kind is OrganisationKind.CENTRE
    event = await last_event("centre.remove_user")
    assert event.before is not None
    assert event.before["roles"] == ["SFA_TEACHER"]
    assert event.after == {"remainingOrganisations": 1}

    last = await mutate(gql, REMOVE_USER, board, code="BB202", userId=teacher_id)
    assert last["lastMembership"] is True
    assert "last organisation" in last["message"]
    assert await User.exists(id=teacher.id)

    again = await mutate(gql, REMOVE_USER, board, code="BB202", userId=teacher_id)
    assert codes(again) == ["NOT_A_MEMBER"]
    not_a_user = await mutate(
        gql, REMOVE_USER, board, code="BB202", userId="T3JnYW5pc2F0aW9uOjE="
    )  # Organisation:1
    assert codes(not_a_user) == ["INVALID_INPUT"]


async def test_a_removed_user_loses_access_at_once(gql: GraphQLClient, board: str) -> None:
    teacher = await gql.sign_in("teacher@aa101.example")
    user = await User.get(email="teacher@aa101.example")
    user_id = str(relay.GlobalID("User", str(user.id)))
    await mutate(gql, REMOVE_USER, board, code="AA101", userId=user_id)
    refused = await gql.post(SERVICES, token=teacher)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- Who may: the board alone -----------------------------------------------------------------

ACTORS = {
    "board admin": BOARD,
    "exams officer": "eo@aa101.example",
    "user manager": "users@aa101.example",
    "teacher": "teacher@aa101.example",
    "other centre": "eo@bb202.example",
    "associate": "eo@as100.example",
}
# Each operation on AA101 (the staff's own centre), as (query, variables); {user} is the id of
# a user there. undoDeleteCentre runs on AA101 soft-deleted beforehand.
OPERATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "centreUsers": (USERS, {"code": "AA101"}),
    "createCentre": (CREATE, {"input": {"code": "EE505", "name": "Echo School"}}),
    "updateCentre": (UPDATE, {"input": {"code": "AA101", "name": "Renamed"}}),
    "deleteCentre": (DELETE, {"input": {"code": "AA101"}}),
    "undoDeleteCentre": (UNDO, {"input": {"code": "AA101"}}),
    "addCentreUser": (ADD_USER, {"input": {"code": "AA101", "email": "new@aa101.example"}}),
    "removeCentreUser": (REMOVE_USER, {"input": {"code": "AA101", "userId": "{user}"}}),
    "resendActivationEmail": (RESEND, {"input": {"code": "AA101", "userId": "{pending}"}}),
}


async def pending_user(email: str = "pending@aa101.example", centre: str = "AA101") -> User:
    """A user at the centre whose account waits for activation."""
    user = await User.create(
        email=email, first_name="Pat", last_name="Waiting", status=UserStatus.PENDING_ACTIVATION
    )
    await Membership.create(user=user, organisation=await Organisation.get(code=centre), roles=[])
    return user


async def state() -> tuple[Any, ...]:
    return (
        await Organisation.all().order_by("id").values_list("code", "name", "deleted_at"),
        await Membership.all().count(),
        await User.all().count(),
        await AuditEvent.filter(action__startswith="centre.").count(),
        await OneTimeCode.all().count(),
    )


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("actor", list(ACTORS))
async def test_only_the_board_manages_centres(
    gql: GraphQLClient, demo: Starlette, actor: str, operation: str
) -> None:
    token = await gql.sign_in(ACTORS[actor])
    if operation == "undoDeleteCentre":
        await Organisation.filter(code="AA101").update(deleted_at=clock.now())
    query, variables = OPERATIONS[operation]
    if operation == "removeCentreUser":
        inv = await User.get(email="inv@aa101.example")
        user_id = str(relay.GlobalID("User", str(inv.id)))
        variables = {"input": {**variables["input"], "userId": user_id}}
    if operation == "resendActivationEmail":
        pending = str(relay.GlobalID("User", str((await pending_user()).id)))
        variables = {"input": {**variables["input"], "userId": pending}}
    before = await state()
    answer = await gql.post(query, variables, token=token)
    if actor == "board admin":
        assert not answer.get("errors"), answer
        payload = answer["data"][operation]
        if operation == "centreUsers":
            assert payload["totalCount"] == 7
        else:
            assert payload["errors"] == [], payload
            assert await state() != before
    else:
        assert answer["data"] is None
        assert [e["extensions"]["code"] for e in answer["errors"]] == ["FORBIDDEN"]
        assert await state() == before
