"""A new user's first sign-in (seed 002, "New users of My Cambridge"), end to end: the user
manager invites a teacher, the invitation arrives at a real SMTP server, the teacher signs in
with the emailed temporary password, sets a new one, enters the emailed code, and can then act
only for their own centre."""

import re
from email.message import EmailMessage

import pytest

from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

SIGN_IN = """
mutation($input: SignInInput!) {
  signIn(input: $input) { token stage user { email status } errors { code message field } }
}"""
INVITE = """
mutation($input: InviteUserInput!) {
  inviteUser(input: $input) {
    outcome message
    organisationUser { roles user { email status } organisation { code } }
    errors { code message field }
  }
}"""
SET_NEW_PASSWORD = """
mutation($input: SetNewPasswordInput!) {
  setNewPassword(input: $input) { stage errors { code message field } }
}"""
VERIFY_EMAIL_CODE = """
mutation($input: CodeInput!) {
  verifyEmailCode(input: $input) { stage errors { code message field } }
}"""
ME = """
{ me { user { email status } grants { organisation { code } roles } organisations { code } } }"""
ORGANISATION_USERS = """
query($code: String!) { organisationUsers(organisationCode: $code) { totalCount } }"""

TEACHER = "marie.curie@aa101.example"
NEW_PASSWORD = "Radium-Polonium-1898"


@pytest.fixture
def client(mail_client: GraphQLClient) -> GraphQLClient:
    """The conftest `mail_client`: the app delivering to the loopback SMTP server."""
    return mail_client


def body_of(message: EmailMessage) -> str:
    return message.get_content()


def temporary_password_in(message: EmailMessage) -> str:
    match = re.search(r"^Temporary password: (\S+)", body_of(message), re.MULTILINE)
    assert match, body_of(message)
    return match.group(1)


def verification_code_in(message: EmailMessage) -> str:
    match = re.search(r"Your verification code is (\d{6})\b", body_of(message))
    assert match, body_of(message)
    return match.group(1)


def another_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def invite(
    gql: GraphQLClient, token: str, email: str, *, roles: list[str] | None = None
) -> dict:
    data = await gql.ok(
        INVITE,
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Marie",
                "lastName": "Curie",
                "email": email,
                "roles": roles or ["SFA_TEACHER"],
            }
        },
        token=token,
    )
    return data["inviteUser"]


async def test_invited_teacher_signs_in_for_the_first_time(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    manager = await client.sign_in("users@aa101.example")
    invited = await invite(client, manager, TEACHER)
    assert invited["errors"] == []
    assert invited["outcome"] == "INVITED"
    assert invited["organisationUser"] == {
        "roles": ["SFA_TEACHER"],
        "user": {"email": TEACHER, "status": "INVITED"},
        "organisation": {"code": "AA101"},
    }

    # Step 1: the invitation email carries the temporary password.
    [invitation] = await mailbox.wait_for(TEACHER)
    assert "Buzz Lightyear" in invitation["Subject"]
    assert "AA101" in body_of(invitation)
    temporary = temporary_password_in(invitation)

    signed = (await client.ok(SIGN_IN, {"input": {"email": TEACHER, "password": temporary}}))[
        "signIn"
    ]
    assert signed["errors"] == []
    assert signed["stage"] == "PASSWORD_CHANGE_REQUIRED"
    token = signed["token"]

    # Nothing else is open until the first sign-in's steps are done.
    body = await client.post(ME, token=token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "setNewPassword" in body["errors"][0]["message"]

    # Step 2: a weak password is refused, then a good one is set and a code is emailed.
    weak = (await client.ok(SET_NEW_PASSWORD, {"input": {"newPassword": "password"}}, token=token))[
        "setNewPassword"
    ]
    assert weak["stage"] is None
    assert [e["code"] for e in weak["errors"]] == ["PASSWORD_TOO_WEAK"]
    assert weak["errors"][0]["field"] == ["input", "newPassword"]

    changed = (
        await client.ok(SET_NEW_PASSWORD, {"input": {"newPassword": NEW_PASSWORD}}, token=token)
    )["setNewPassword"]
    assert changed == {"stage": "VERIFICATION_REQUIRED", "errors": []}
    body = await client.post(ME, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # Step 3: the verification code; a wrong one first.
    [_, verification] = await mailbox.wait_for(TEACHER, 2)
    assert "verification code" in verification["Subject"].lower()
    code = verification_code_in(verification)
    wrong = (
        await client.ok(VERIFY_EMAIL_CODE, {"input": {"code": another_code(code)}}, token=token)
    )["verifyEmailCode"]
    assert wrong["stage"] is None
    assert [e["code"] for e in wrong["errors"]] == ["CODE_INVALID"]
    right = (await client.ok(VERIFY_EMAIL_CODE, {"input": {"code": code}}, token=token))[
        "verifyEmailCode"
    ]
    assert right == {"stage": "FULL", "errors": []}

    # Step 4: the teacher acts for their own centre, and only for it.
    me = (await client.ok(ME, token=token))["me"]
    assert me == {
        "user": {"email": TEACHER, "status": "ACTIVE"},
        "grants": [{"organisation": {"code": "AA101"}, "roles": ["SFA_TEACHER"]}],
        "organisations": [{"code": "AA101"}],
    }
    body = await client.post(ORGANISATION_USERS, {"code": "BB202"}, token=token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    # The temporary password is gone; the new one signs straight in.
    again = (await client.ok(SIGN_IN, {"input": {"email": TEACHER, "password": temporary}}))[
        "signIn"
    ]
    assert [e["code"] for e in again["errors"]] == ["INVALID_CREDENTIALS"]
    assert await client.sign_in(TEACHER, NEW_PASSWORD)
    assert len(mailbox.to(TEACHER)) == 2


async def test_inviting_an_existing_account_adds_roles_and_sends_no_password(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    manager = await client.sign_in("users@aa101.example")
    # teacher@aa101 already has an account (SFA_TEACHER at AA101); add access arrangements.
    added = await invite(client, manager, "Teacher@AA101.example", roles=["ACCESS_ARRANGEMENTS"])
    assert added["errors"] == []
    assert added["outcome"] == "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    assert added["organisationUser"]["roles"] == ["ACCESS_ARRANGEMENTS", "SFA_TEACHER"]
    assert added["organisationUser"]["user"] == {
        "email": "teacher@aa101.example",
        "status": "ACTIVE",
    }

    # Their password still works, and they see the added role.
    token = await client.sign_in("teacher@aa101.example")
    me = (await client.ok(ME, token=token))["me"]
    assert me["grants"] == [
        {"organisation": {"code": "AA101"}, "roles": ["ACCESS_ARRANGEMENTS", "SFA_TEACHER"]}
    ]

    # A fresh invitation is delivered, which proves the delivery pass has run since, and no
    # temporary password went to the existing account.
    await invite(client, manager, TEACHER)
    await mailbox.wait_for(TEACHER)
    assert mailbox.to("teacher@aa101.example") == []
    assert all(
        "Temporary password" not in body_of(m) for m in mailbox.messages if m["To"] != TEACHER
    )
