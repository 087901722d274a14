"""Forgotten passwords and account activation (seed 003), through the real SMTP server: the
same answer whatever the email, a link token or an emailed code that works once, and an account
that is safe again afterwards."""

import re
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

import pytest

from examdesk.demo import DEMO_PASSWORD
from models.audit import AuditEvent
from models.users import User
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

REQUEST_RESET = """
mutation($input: EmailInput!) { requestPasswordReset(input: $input) { ok message errors { code } } }
"""
RESET = """
mutation($input: SetPasswordWithCodeInput!) {
  resetPassword(input: $input) { ok message errors { code message field } }
}"""
REQUEST_ACTIVATION = """
mutation($input: EmailInput!) {
  requestAccountActivation(input: $input) { ok message errors { code } }
}"""
ACTIVATE = """
mutation($input: SetPasswordWithCodeInput!) {
  activateAccount(input: $input) { ok message errors { code message field } }
}"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { token stage errors { code } } }"""
ME = "{ me { user { email status } grants { organisation { code } roles } } }"

USER = "teacher@bb202.example"
PENDING = "new.teacher@cc303.example"
NEW_PASSWORD = "Otter-Lantern-Quay-42"


@pytest.fixture
def client(mail_client: GraphQLClient) -> GraphQLClient:
    """The conftest `mail_client`: the app delivering to the loopback SMTP server."""
    return mail_client


def link_token(message: EmailMessage, path: str) -> str:
    match = re.search(rf"(http://examdesk\.test/{path}\?\S+)", message.get_content())
    assert match, message.get_content()
    return parse_qs(urlsplit(match.group(1)).query)["token"][0]


def emailed_code(message: EmailMessage) -> str:
    match = re.search(r"enter this code with your email address: (\d{6})\b", message.get_content())
    assert match, message.get_content()
    return match.group(1)


async def sign_in(gql: GraphQLClient, email: str, password: str) -> dict:
    return (await gql.ok(SIGN_IN, {"input": {"email": email, "password": password}}))["signIn"]


async def mutate(gql: GraphQLClient, query: str, **values: str) -> dict:
    data = await gql.ok(query, {"input": values})
    return next(iter(data.values()))


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def ask_for_reset(gql: GraphQLClient, mailbox: Mailbox, email: str = USER) -> EmailMessage:
    before = len(mailbox.to(email))
    answer = await mutate(gql, REQUEST_RESET, email=email)
    assert answer["ok"] is True
    return (await mailbox.wait_for(email, before + 1))[-1]


# --- forgotten password --------------------------------------------------------------------------


async def test_known_and_unknown_emails_get_the_same_answer(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    unknown = await mutate(client, REQUEST_RESET, email="nobody@bb202.example")
    pending = await mutate(client, REQUEST_RESET, email=PENDING)
    known = await mutate(client, REQUEST_RESET, email=USER)
    assert unknown == known == pending
    assert known["ok"] is True
    assert "If that email address belongs to an account" in known["message"]

    [message] = await mailbox.wait_for(USER)
    assert message["Subject"] == "Reset your examdesk password"
    assert "expire in 30 minutes" in message.get_content()
    # Delivery goes in order, so had the others been sent they would be here already.
    assert mailbox.to("nobody@bb202.example") == []
    assert mailbox.to(PENDING) == []

    # Every request is audited, sent or not, so probing for accounts shows in the trail.
    events = await AuditEvent.filter(action="user.password_reset_requested").order_by("id")
    assert [e.after["emailSent"] for e in events] == [False, False, True]
    assert events[2].target_id == str((await User.get(email=USER)).id)


async def test_the_link_resets_the_password_once(client: GraphQLClient, mailbox: Mailbox) -> None:
    session = (await sign_in(client, USER, DEMO_PASSWORD))["token"]
    token = link_token(await ask_for_reset(client, mailbox), "reset-password")

    # A weak password is refused and does not spend the link.
    weak = await mutate(client, RESET, token=token, newPassword="Password123!")
    assert codes(weak) == ["PASSWORD_TOO_WEAK"]

    done = await mutate(client, RESET, token=token, newPassword=NEW_PASSWORD)
    assert done == {"ok": True, "message": "Your password is set. Sign in with it.", "errors": []}
    again = await mutate(client, RESET, token=token, newPassword="Another-Fine-Day-77")
    assert again["ok"] is False
    assert codes(again) == ["TOKEN_INVALID"]

    # The old password no longer works, and sessions opened with it have ended.
    assert codes(await sign_in(client, USER, DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    body = await client.post(ME, token=session)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await sign_in(client, USER, NEW_PASSWORD))["stage"] == "FULL"


async def test_the_emailed_code_with_the_email_resets_the_password(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    message = await ask_for_reset(client, mailbox)
    code = emailed_code(message)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    refused = await mutate(client, RESET, email=USER, code=wrong, newPassword=NEW_PASSWORD)
    unknown = await mutate(
        client, RESET, email="nobody@bb202.example", code=code, newPassword=NEW_PASSWORD
    )
    assert codes(refused) == ["TOKEN_INVALID"]
    assert refused == unknown

    done = await mutate(
        client, RESET, email=" Teacher@BB202.example", code=code, newPassword=NEW_PASSWORD
    )
    assert done["ok"] is True
    # The link of the same email is spent with the code.
    spent = await mutate(
        client,
        RESET,
        token=link_token(message, "reset-password"),
        newPassword="Another-Fine-Day-77",
    )
    assert codes(spent) == ["TOKEN_INVALID"]
    assert codes(await sign_in(client, USER, DEMO_PASSWORD)) == ["INVALID_CREDENTIALS"]
    assert (await sign_in(client, USER, NEW_PASSWORD))["stage"] == "FULL"


async def test_a_newer_request_replaces_the_older_link(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    first = link_token(await ask_for_reset(client, mailbox), "reset-password")
    second = link_token(await ask_for_reset(client, mailbox), "reset-password")
    assert codes(await mutate(client, RESET, token=first, newPassword=NEW_PASSWORD)) == [
        "TOKEN_INVALID"
    ]
    assert (await mutate(client, RESET, token=second, newPassword=NEW_PASSWORD))["ok"] is True


async def test_reset_links_expire_after_thirty_minutes(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    message = await ask_for_reset(client, mailbox)
    clock.advance(timedelta(minutes=30, seconds=1))
    by_link = await mutate(
        client, RESET, token=link_token(message, "reset-password"), newPassword=NEW_PASSWORD
    )
    by_code = await mutate(
        client, RESET, email=USER, code=emailed_code(message), newPassword=NEW_PASSWORD
    )
    assert codes(by_link) == codes(by_code) == ["TOKEN_INVALID"]
    assert (await sign_in(client, USER, DEMO_PASSWORD))["stage"] == "FULL"


async def test_requests_are_limited_to_three_an_hour(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    for _ in range(3):
        await ask_for_reset(client, mailbox)
    answer = await mutate(client, REQUEST_RESET, email=USER)
    assert answer["ok"] is True  # the same answer, but no fourth email
    clock.advance(timedelta(hours=1, seconds=1))
    await ask_for_reset(client, mailbox)
    assert len(mailbox.to(USER)) == 4


async def test_resetting_the_password_lifts_the_sign_in_throttle(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    """The throttled answer says "Wait 15 minutes and try again, or reset your password"."""
    for _ in range(5):
        await sign_in(client, USER, "Not-The-Password-1")
    assert codes(await sign_in(client, USER, DEMO_PASSWORD)) == ["SIGN_IN_THROTTLED"]
    token = link_token(await ask_for_reset(client, mailbox), "reset-password")
    assert (await mutate(client, RESET, token=token, newPassword=NEW_PASSWORD))["ok"] is True
    assert (await sign_in(client, USER, NEW_PASSWORD))["stage"] == "FULL"


async def test_a_reset_link_or_code_without_both_parts_is_refused(
    client: GraphQLClient,
) -> None:
    refused = await mutate(client, RESET, email=USER, newPassword=NEW_PASSWORD)
    assert codes(refused) == ["INVALID_INPUT"]
    assert codes(await mutate(client, RESET, token="made-up", newPassword=NEW_PASSWORD)) == [
        "TOKEN_INVALID"
    ]


# --- account activation --------------------------------------------------------------------------


async def ask_for_activation(gql: GraphQLClient, mailbox: Mailbox) -> EmailMessage:
    answer = await mutate(gql, REQUEST_ACTIVATION, email=PENDING)
    assert answer["ok"] is True
    [message] = await mailbox.wait_for(PENDING)
    assert message["Subject"] == "Activate your examdesk account"
    assert "The link and code expire in 24 hours." in message.get_content()
    return message


async def check_active(gql: GraphQLClient) -> None:
    signed = await sign_in(gql, PENDING, NEW_PASSWORD)
    assert signed["stage"] == "FULL"
    me = (await gql.ok(ME, token=signed["token"]))["me"]
    assert me == {
        "user": {"email": PENDING, "status": "ACTIVE"},
        "grants": [{"organisation": {"code": "CC303"}, "roles": ["SFA_TEACHER"]}],
    }


async def test_activation_by_link(client: GraphQLClient, mailbox: Mailbox) -> None:
    assert codes(await sign_in(client, PENDING, NEW_PASSWORD)) == ["INVALID_CREDENTIALS"]
    token = link_token(await ask_for_activation(client, mailbox), "activate")
    # A reset can't use an activation link.
    assert codes(await mutate(client, RESET, token=token, newPassword=NEW_PASSWORD)) == [
        "TOKEN_INVALID"
    ]
    done = await mutate(client, ACTIVATE, token=token, newPassword=NEW_PASSWORD)
    assert done == {"ok": True, "message": "Your account is active. Sign in.", "errors": []}
    await check_active(client)
    again = await mutate(client, ACTIVATE, token=token, newPassword="Another-Fine-Day-77")
    assert codes(again) == ["TOKEN_INVALID"]


async def test_activation_by_code(client: GraphQLClient, mailbox: Mailbox) -> None:
    code = emailed_code(await ask_for_activation(client, mailbox))
    weak = await mutate(client, ACTIVATE, email=PENDING, code=code, newPassword="Hedy-Lamarr-1914")
    assert codes(weak) == ["PASSWORD_TOO_WEAK"]
    done = await mutate(client, ACTIVATE, email=PENDING, code=code, newPassword=NEW_PASSWORD)
    assert done["ok"] is True
    await check_active(client)
    # Now active: a second activation request sends nothing.
    await mutate(client, REQUEST_ACTIVATION, email=PENDING)
    await ask_for_reset(client, mailbox, USER)
    assert len(mailbox.to(PENDING)) == 1


async def test_activation_of_an_active_account_sends_nothing(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    active = await mutate(client, REQUEST_ACTIVATION, email=USER)
    unknown = await mutate(client, REQUEST_ACTIVATION, email="nobody@cc303.example")
    pending = await mutate(client, REQUEST_ACTIVATION, email=PENDING)
    assert active == unknown == pending
    await mailbox.wait_for(PENDING)
    assert mailbox.to(USER) == []
    assert [m["To"] for m in mailbox.messages] == [PENDING]


# --- the pages the emailed links open ------------------------------------------------------------


async def test_the_reset_link_opens_a_page_that_sets_the_password(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    token = link_token(await ask_for_reset(client, mailbox), "reset-password")
    page = await client.http.get("/reset-password", params={"token": token})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Choose a new password" in page.text
    assert f'value="{token}"' in page.text
    assert "be 10 to 128 characters long" in page.text

    form = {"token": token, "password": NEW_PASSWORD, "confirm": "Something-Else-42"}
    mismatch = await client.http.post("/reset-password", data=form)
    assert mismatch.status_code == 400
    assert "The two passwords are not the same." in mismatch.text
    weak = await client.http.post(
        "/reset-password", data={**form, "password": "password", "confirm": "password"}
    )
    assert weak.status_code == 400
    assert 'class="error"' in weak.text
    assert codes(await sign_in(client, USER, NEW_PASSWORD)) == ["INVALID_CREDENTIALS"]

    done = await client.http.post("/reset-password", data={**form, "confirm": NEW_PASSWORD})
    assert done.status_code == 200
    assert f"Sign in as {USER}" in done.text
    assert (await sign_in(client, USER, NEW_PASSWORD))["stage"] == "FULL"

    again = await client.http.post("/reset-password", data={**form, "confirm": NEW_PASSWORD})
    assert again.status_code == 400
    assert "not valid or has expired" in again.text


async def test_the_activation_link_opens_a_page_that_activates(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    token = link_token(await ask_for_activation(client, mailbox), "activate")
    # The reset page does not take an activation link.
    wrong = await client.http.post(
        "/reset-password", data={"token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert wrong.status_code == 400
    page = await client.http.get("/activate", params={"token": token})
    assert "Activate your account" in page.text
    done = await client.http.post(
        "/activate", data={"token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 200
    await check_active(client)


async def test_a_link_without_its_token_says_so(client: GraphQLClient) -> None:
    page = await client.http.get("/activate")
    assert page.status_code == 400
    assert "This link is incomplete." in page.text
