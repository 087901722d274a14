"""Sign-in security (DESIGN 6): one answer for unknown emails and wrong passwords, throttling,
the sign-in event log, the emailed code's lifetime and attempts, and sessions that end."""

import asyncio
import re
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD
from models.audit import SignInEvent, SignInOutcome
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

SIGN_IN = """
mutation($input: SignInInput!) {
  signIn(input: $input) {
    token stage expiresAt user { email } errors { code message field }
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
RESEND = "mutation { resendVerificationCode { ok message errors { code message } } }"
CHANGE_PASSWORD = """
mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { otherSessionsSignedOut errors { code message field } }
}"""
SIGN_OUT = "mutation { signOut { ok message } }"
ME = "{ me { user { email } } }"
ORGANISATION_USERS = '{ organisationUsers(organisationCode: "AA101") { totalCount } }'

MANAGER = "users@aa101.example"
NEWCOMER = "marie.curie@aa101.example"
NEW_PASSWORD = "Radium-Polonium-1898"


@pytest.fixture
def client(mail_client: GraphQLClient) -> GraphQLClient:
    """The conftest `mail_client`: the app delivering to the loopback SMTP server."""
    return mail_client


async def sign_in(gql: GraphQLClient, email: str, password: str, **extra: str) -> dict:
    data = await gql.ok(SIGN_IN, {"input": {"email": email, "password": password, **extra}})
    return data["signIn"]


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def code_in(message: EmailMessage) -> str:
    match = re.search(r"Your verification code is (\d{6})\b", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def another_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def error_code(gql: GraphQLClient, query: str, token: str | None) -> str:
    body = await gql.post(query, token=token)
    assert body["data"] is None, body
    return body["errors"][0]["extensions"]["code"]


async def awaiting_verification(gql: GraphQLClient, mailbox: Mailbox) -> tuple[str, str]:
    """Invite a newcomer and take them to VERIFICATION_REQUIRED; return token and code."""
    manager = await gql.sign_in(MANAGER)
    await gql.ok(
        "mutation($input: InviteUserInput!) { inviteUser(input: $input) { outcome } }",
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Marie",
                "lastName": "Curie",
                "email": NEWCOMER,
                "roles": ["SFA_TEACHER"],
            }
        },
        token=manager,
    )
    [invitation] = await mailbox.wait_for(NEWCOMER)
    match = re.search(r"Temporary password: (\S+)", invitation.get_content())
    assert match
    signed = await sign_in(gql, NEWCOMER, match.group(1))
    assert signed["stage"] == "PASSWORD_CHANGE_REQUIRED"
    token = signed["token"]
    changed = await gql.ok(SET_NEW_PASSWORD, {"input": {"newPassword": NEW_PASSWORD}}, token=token)
    assert changed["setNewPassword"]["stage"] == "VERIFICATION_REQUIRED"
    messages = await mailbox.wait_for(NEWCOMER, 2)
    return token, code_in(messages[-1])


async def verify(gql: GraphQLClient, token: str, code: str) -> dict:
    data = await gql.ok(VERIFY_EMAIL_CODE, {"input": {"code": code}}, token=token)
    return data["verifyEmailCode"]


# --- one answer for unknown emails and wrong passwords -----------------------------------------


async def test_unknown_email_and_wrong_password_get_the_same_answer(
    demo: Starlette, gql: GraphQLClient
) -> None:
    unknown = await sign_in(gql, "nobody@aa101.example", DEMO_PASSWORD)
    wrong = await sign_in(gql, MANAGER, "Not-The-Password-1")
    assert unknown == wrong
    assert unknown == {
        "token": None,
        "stage": None,
        "expiresAt": None,
        "user": None,
        "errors": [
            {
                "code": "INVALID_CREDENTIALS",
                "message": "The email address or password is incorrect.",
                "field": None,
            }
        ],
    }
    # Accounts that cannot sign in (not yet activated) answer the same, even with no password.
    pending = await sign_in(gql, "new.teacher@cc303.example", DEMO_PASSWORD)
    assert pending == wrong


async def test_email_is_matched_case_insensitively(demo: Starlette, gql: GraphQLClient) -> None:
    signed = await sign_in(gql, "  Users@AA101.Example ", DEMO_PASSWORD)
    assert signed["stage"] == "FULL"
    assert signed["user"] == {"email": MANAGER}


# --- throttling and the sign-in event log ------------------------------------------------------


async def test_five_failures_throttle_the_email_for_fifteen_minutes(
    demo: Starlette, gql: GraphQLClient
) -> None:
    for _ in range(5):
        assert codes(await sign_in(gql, MANAGER, "Not-The-Password-1")) == ["INVALID_CREDENTIALS"]
    throttled = await sign_in(gql, MANAGER, DEMO_PASSWORD)
    assert codes(throttled) == ["SIGN_IN_THROTTLED"]
    assert throttled["token"] is None
    # The throttle is per email: colleagues signing in from the same address are unaffected.
    assert await gql.sign_in("eo@aa101.example")

    clock.advance(timedelta(minutes=14))
    assert codes(await sign_in(gql, MANAGER, DEMO_PASSWORD)) == ["SIGN_IN_THROTTLED"]
    clock.advance(timedelta(minutes=1, seconds=1))
    assert (await sign_in(gql, MANAGER, DEMO_PASSWORD))["stage"] == "FULL"


async def test_an_unknown_email_is_throttled_the_same_way(
    demo: Starlette, gql: GraphQLClient
) -> None:
    for email in (MANAGER, "nobody@aa101.example"):
        for _ in range(5):
            await sign_in(gql, email, "Not-The-Password-1")
    known = await sign_in(gql, MANAGER, DEMO_PASSWORD)
    unknown = await sign_in(gql, "nobody@aa101.example", DEMO_PASSWORD)
    assert codes(known) == ["SIGN_IN_THROTTLED"]
    assert known == unknown


async def test_every_attempt_is_in_the_sign_in_event_log(
    demo: Starlette, gql: GraphQLClient
) -> None:
    await sign_in(gql, "nobody@aa101.example", DEMO_PASSWORD)
    for _ in range(5):
        await sign_in(gql, MANAGER, "Not-The-Password-1")
    await sign_in(gql, MANAGER, DEMO_PASSWORD)
    token = await gql.sign_in("eo@aa101.example")
    await gql.ok(SIGN_OUT, token=token)

    events = await SignInEvent.all().order_by("id")
    assert [(e.email, e.outcome) for e in events] == [
        ("nobody@aa101.example", SignInOutcome.INVALID_CREDENTIALS),
        *[(MANAGER, SignInOutcome.INVALID_CREDENTIALS)] * 5,
        (MANAGER, SignInOutcome.THROTTLED),
        ("eo@aa101.example", SignInOutcome.SUCCEEDED),
        ("eo@aa101.example", SignInOutcome.SIGNED_OUT),
    ]
    assert events[0].user_id is None
    assert all(e.user_id is not None for e in events[1:])
    assert {e.ip_address for e in events} == {"127.0.0.1"}
    assert all(e.request_id and len(e.request_id) >= 8 for e in events)


async def test_throttled_attempts_do_not_extend_the_throttle(
    demo: Starlette, gql: GraphQLClient
) -> None:
    """ "Wait 15 minutes and try again" holds even for someone who kept trying meanwhile."""
    for _ in range(5):
        await sign_in(gql, MANAGER, "Not-The-Password-1")
    for _ in range(6):
        clock.advance(timedelta(minutes=2))
        assert codes(await sign_in(gql, MANAGER, DEMO_PASSWORD)) == ["SIGN_IN_THROTTLED"]
    clock.advance(timedelta(minutes=3, seconds=1))
    assert (await sign_in(gql, MANAGER, DEMO_PASSWORD))["stage"] == "FULL"


# --- the emailed verification code ---------------------------------------------------------------


async def test_verification_code_expires_after_ten_minutes(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    token, code = await awaiting_verification(client, mailbox)
    clock.advance(timedelta(minutes=10, seconds=1))
    expired = await verify(client, token, code)
    assert codes(expired) == ["CODE_EXPIRED"]
    assert expired["stage"] is None

    resent = await client.ok(RESEND, token=token)
    assert resent["resendVerificationCode"]["ok"] is True
    messages = await mailbox.wait_for(NEWCOMER, 3)
    fresh = code_in(messages[-1])
    assert await verify(client, token, fresh) == {"stage": "FULL", "errors": []}


async def test_verification_code_allows_five_attempts(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    token, code = await awaiting_verification(client, mailbox)
    for left in (4, 3, 2, 1, 0):
        wrong = await verify(client, token, another_code(code))
        assert codes(wrong) == ["CODE_INVALID"]
        assert wrong["errors"][0]["field"] == ["input", "code"]
        assert f"{left} attempt" in wrong["errors"][0]["message"]
    # Even the right code is refused now: a new one must be sent.
    assert codes(await verify(client, token, code)) == ["TOO_MANY_ATTEMPTS"]

    assert (await client.ok(RESEND, token=token))["resendVerificationCode"]["ok"] is True
    messages = await mailbox.wait_for(NEWCOMER, 3)
    fresh = code_in(messages[-1])
    # The earlier code stopped working when the new one was sent.
    if fresh != code:
        assert codes(await verify(client, token, code)) == ["CODE_INVALID"]
    assert await verify(client, token, fresh) == {"stage": "FULL", "errors": []}


async def test_parallel_guesses_get_no_more_than_five_attempts(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    token, code = await awaiting_verification(client, mailbox)
    answers = await asyncio.gather(*(verify(client, token, another_code(code)) for _ in range(12)))
    assert sorted(codes(a)[0] for a in answers) == ["CODE_INVALID"] * 5 + ["TOO_MANY_ATTEMPTS"] * 7
    assert codes(await verify(client, token, code)) == ["TOO_MANY_ATTEMPTS"]


async def test_resending_codes_is_limited(client: GraphQLClient, mailbox: Mailbox) -> None:
    token, _ = await awaiting_verification(client, mailbox)
    for _ in range(4):
        assert (await client.ok(RESEND, token=token))["resendVerificationCode"]["ok"] is True
    refused = (await client.ok(RESEND, token=token))["resendVerificationCode"]
    assert refused["ok"] is False
    assert codes(refused) == ["TOO_MANY_ATTEMPTS"]
    clock.advance(timedelta(minutes=10, seconds=1))
    assert (await client.ok(RESEND, token=token))["resendVerificationCode"]["ok"] is True
    await mailbox.wait_for(NEWCOMER, 7)


async def test_verification_is_only_for_sessions_at_that_stage(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in(MANAGER)
    body = await gql.post(VERIFY_EMAIL_CODE, {"input": {"code": "123456"}}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await error_code(gql, RESEND, None) == "UNAUTHENTICATED"


# --- sessions ------------------------------------------------------------------------------------


async def test_change_password_signs_out_the_other_sessions_only(
    demo: Starlette, gql: GraphQLClient
) -> None:
    laptop = await gql.sign_in(MANAGER)
    phone = await gql.sign_in(MANAGER)
    wrong = await gql.ok(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": "Not-The-Password-1", "newPassword": NEW_PASSWORD}},
        token=laptop,
    )
    assert codes(wrong["changePassword"]) == ["PASSWORD_INCORRECT"]
    weak = await gql.ok(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": DEMO_PASSWORD, "newPassword": "Password123!"}},
        token=laptop,
    )
    assert codes(weak["changePassword"]) == ["PASSWORD_TOO_WEAK"]
    assert (await gql.ok(ME, token=phone))["me"]["user"]["email"] == MANAGER

    changed = await gql.ok(
        CHANGE_PASSWORD,
        {"input": {"currentPassword": DEMO_PASSWORD, "newPassword": NEW_PASSWORD}},
        token=laptop,
    )
    assert changed["changePassword"] == {"otherSessionsSignedOut": 1, "errors": []}
    assert await error_code(gql, ME, phone) == "UNAUTHENTICATED"
    assert (await gql.ok(ME, token=laptop))["me"]["user"]["email"] == MANAGER
    assert codes(await sign_in(gql, MANAGER, DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    assert await gql.sign_in(MANAGER, NEW_PASSWORD)


async def test_sign_out_revokes_the_token(demo: Starlette, gql: GraphQLClient) -> None:
    token = await gql.sign_in(MANAGER)
    other = await gql.sign_in(MANAGER)
    signed_out = await gql.ok(SIGN_OUT, token=token)
    assert signed_out["signOut"]["ok"] is True
    assert await error_code(gql, ME, token) == "UNAUTHENTICATED"
    assert await error_code(gql, SIGN_OUT, token) == "UNAUTHENTICATED"
    # Only that session ended.
    assert (await gql.ok(ME, token=other))["me"]["user"]["email"] == MANAGER


async def test_sessions_expire_after_twelve_hours(demo: Starlette, gql: GraphQLClient) -> None:
    signed = await sign_in(gql, MANAGER, DEMO_PASSWORD)
    token = signed["token"]
    clock.advance(timedelta(hours=11, minutes=59))
    assert (await gql.ok(ME, token=token))["me"]["user"]["email"] == MANAGER
    clock.advance(timedelta(minutes=1, seconds=1))
    assert await error_code(gql, ME, token) == "UNAUTHENTICATED"
    assert await error_code(gql, ORGANISATION_USERS, token) == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    "token", ["garbage", "x" * 500, "Bearer", "'; DROP TABLE session; --", "ünïcödé"]
)
async def test_garbage_tokens_are_unauthenticated(
    demo: Starlette, http: httpx.AsyncClient, gql: GraphQLClient, token: str
) -> None:
    for query in (ME, ORGANISATION_USERS, SIGN_OUT):
        response = await http.post(
            "/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {token}".encode()},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # A bad token does not stand in the way of signing in.
    response = await http.post(
        "/graphql",
        json={
            "query": SIGN_IN,
            "variables": {"input": {"email": MANAGER, "password": DEMO_PASSWORD}},
        },
        headers={"Authorization": f"Bearer {token}".encode()},
    )
    assert response.json()["data"]["signIn"]["stage"] == "FULL"


async def test_no_token_is_unauthenticated(demo: Starlette, gql: GraphQLClient) -> None:
    assert await error_code(gql, ME, None) == "UNAUTHENTICATED"
    assert await error_code(gql, ORGANISATION_USERS, None) == "UNAUTHENTICATED"
