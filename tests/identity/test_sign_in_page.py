"""The sign-in page the invitation links to (examdesk/sign_in_pages.py), through the ASGI app
with a real SMTP server: an invited person walks it from the emailed temporary password to a
ready account, the way seed 002's "New users" steps go, and its forms refuse other sites."""

import re
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pyotp
import pytest

from examdesk.demo import DEMO_PASSWORD
from models.audit import SignInEvent, SignInOutcome
from models.sessions import Session
from models.users import User, UserStatus
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

INVITE = """
mutation($input: InviteUserInput!) { inviteUser(input: $input) {
  outcome errors { code message }
} }"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { token stage errors { code } } }"""

ORIGIN = {"Origin": "http://examdesk.test"}
PERSON = "rosalind.franklin@aa101.example"
NEW_PASSWORD = "Helix-Crystal-1952"


@pytest.fixture
def client(mail_client: GraphQLClient) -> GraphQLClient:
    return mail_client


def _text(message: EmailMessage) -> str:
    return message.get_content()


def _field(pattern: str, message: EmailMessage) -> str:
    match = re.search(pattern, _text(message), re.MULTILINE)
    assert match, _text(message)
    return match.group(1)


async def _invite(client: GraphQLClient, mailbox: Mailbox) -> tuple[str, str]:
    """Invite the person; the sign-in link and temporary password their email carries."""
    manager = await client.sign_in("users@aa101.example")
    data = await client.ok(
        INVITE,
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Rosalind",
                "lastName": "Franklin",
                "email": PERSON,
                "roles": ["SFA_TEACHER"],
            }
        },
        manager,
    )
    assert data["inviteUser"]["errors"] == []
    [invitation] = await mailbox.wait_for(PERSON)
    link = _field(r"Sign in to your account at (\S+) ", invitation)
    return link, _field(r"^Temporary password: (\S+)", invitation)


async def _post(http: httpx.AsyncClient, **form: str) -> httpx.Response:
    return await http.post("/sign-in", data=form, headers=ORIGIN)


async def test_an_invited_person_walks_the_page_to_a_ready_account(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    http = client.http
    link, temporary = await _invite(client, mailbox)
    assert link == "http://examdesk.test/sign-in"

    # Step 1: the link opens a form, with the other account pages' CSP and no caching.
    opened = await http.get("/sign-in")
    assert opened.status_code == 200
    assert 'name="email"' in opened.text
    assert 'name="password"' in opened.text
    assert "<script" not in opened.text
    assert "script-src" not in opened.headers["content-security-policy"]
    assert "form-action 'self'" in opened.headers["content-security-policy"]
    assert opened.headers["cache-control"] == "no-store"
    assert opened.headers["referrer-policy"] == "same-origin"

    wrong = await _post(http, step="password", email=PERSON, password="Not-The-Password-1")
    assert wrong.status_code == 400
    assert "The email address or password is incorrect." in wrong.text
    signed = await _post(http, step="password", email=PERSON, password=temporary)
    assert signed.status_code == 200, signed.text
    assert "choose your own" in signed.text
    cookie = signed.headers["set-cookie"].lower()
    for attribute in ("httponly", "samesite=strict", "path=/sign-in"):
        assert attribute in cookie

    # Step 2: a new password; the two must match, and the password rules apply.
    differ = await _post(http, step="new_password", password=NEW_PASSWORD, confirm="other")
    assert "The two passwords are not the same." in differ.text
    weak = await _post(http, step="new_password", password="password", confirm="password")
    assert weak.status_code == 400
    chosen = await _post(http, step="new_password", password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert "verification code" in chosen.text

    # Step 3: the emailed code; a wrong one first, then another code asked for and used.
    [_, first] = await mailbox.wait_for(PERSON, 2)
    code = _field(r"Your verification code is (\d{6})\b", first)
    bad = await _post(http, step="code", code=f"{(int(code) + 1) % 1_000_000:06d}")
    assert "The code is not right." in bad.text
    again = await _post(http, step="resend")
    assert again.status_code == 200
    [*_, second] = await mailbox.wait_for(PERSON, 3)
    done = await _post(http, step="code", code=_field(r"code is (\d{6})\b", second))
    assert done.status_code == 200, done.text
    assert "You are signed in" in done.text
    assert "http://examdesk.test/graphql" in done.text

    # The account is ready; the page's own session is over and its cookie forgotten.
    user = await User.get(email=PERSON)
    assert user.status is UserStatus.ACTIVE
    assert not user.must_change_password
    assert user.temporary_password_expires_at is None
    assert not await Session.filter(user_id=user.id, revoked_at=None).exists()
    assert "examdesk_sign_in" not in http.cookies
    token = await client.ok(SIGN_IN, {"input": {"email": PERSON, "password": NEW_PASSWORD}})
    assert token["signIn"]["stage"] == "FULL"
    # Reopened, the page starts from the beginning.
    assert 'name="email"' in (await http.get("/sign-in")).text


async def test_an_active_person_signs_in_at_once(client: GraphQLClient) -> None:
    done = await _post(
        client.http, step="password", email="slt@aa101.example", password=DEMO_PASSWORD
    )
    assert "You are signed in" in done.text
    user = await User.get(email="slt@aa101.example")
    assert not await Session.filter(user_id=user.id, revoked_at=None).exists()


async def test_an_unknown_email_reads_like_a_wrong_password(client: GraphQLClient) -> None:
    unknown = await _post(
        client.http, step="password", email="nobody@aa101.example", password="Whatever-123"
    )
    wrong = await _post(
        client.http, step="password", email="slt@aa101.example", password="Whatever-123"
    )
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.text.replace("nobody@aa101.example", "slt@aa101.example") == wrong.text


async def test_the_page_is_throttled_like_graphql(client: GraphQLClient) -> None:
    for _ in range(5):
        await _post(client.http, step="password", email="slt@aa101.example", password="Wrong-1")
    throttled = await _post(
        client.http, step="password", email="slt@aa101.example", password="Wrong-1"
    )
    assert "Too many failed sign-in attempts" in throttled.text
    assert await SignInEvent.filter(outcome=SignInOutcome.THROTTLED).exists()


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/sign-in"},
        {"Origin": "https://examdesk.test"},
    ],
)
async def test_a_post_from_anywhere_else_is_refused(
    client: GraphQLClient, headers: dict[str, str]
) -> None:
    refused = await client.http.post(
        "/sign-in",
        data={"step": "password", "email": "slt@aa101.example", "password": DEMO_PASSWORD},
        headers=headers,
    )
    assert refused.status_code == 403
    assert "set-cookie" not in refused.headers
    assert not await SignInEvent.exists()


async def test_a_referer_from_the_page_itself_will_do(client: GraphQLClient) -> None:
    done = await client.http.post(
        "/sign-in",
        data={"step": "password", "email": "slt@aa101.example", "password": DEMO_PASSWORD},
        headers={"Referer": "http://examdesk.test/sign-in"},
    )
    assert "You are signed in" in done.text


async def test_a_step_without_a_live_sign_in_starts_again(client: GraphQLClient) -> None:
    ended = await _post(client.http, step="code", code="123456")
    assert ended.status_code == 400
    assert "Your sign-in on this page has ended" in ended.text
    assert 'name="email"' in ended.text


async def test_an_expired_temporary_password_is_refused_on_the_page(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    _, temporary = await _invite(client, mailbox)
    clock.advance(timedelta(days=7, seconds=1))
    refused = await _post(client.http, step="password", email=PERSON, password=temporary)
    assert refused.status_code == 400
    assert "Your temporary password has expired" in refused.text
    assert "set-cookie" not in refused.headers


async def test_an_authenticator_code_finishes_the_sign_in(client: GraphQLClient) -> None:
    secret = pyotp.random_base32()
    await User.filter(email="slt@aa101.example").update(
        totp_secret=secret, totp_enabled_at=clock.now()
    )
    asked = await _post(
        client.http, step="password", email="slt@aa101.example", password=DEMO_PASSWORD
    )
    assert "authenticator app" in asked.text
    wrong = await _post(client.http, step="totp", code="000000")
    assert wrong.status_code == 400
    assert "not right" in wrong.text
    done = await _post(client.http, step="totp", code=pyotp.TOTP(secret).at(clock.now()))
    assert "You are signed in" in done.text


async def test_signing_in_again_ends_the_pages_earlier_sign_in(
    client: GraphQLClient, mailbox: Mailbox
) -> None:
    _, temporary = await _invite(client, mailbox)
    await _post(client.http, step="password", email=PERSON, password=temporary)
    again = await _post(client.http, step="password", email=PERSON, password=temporary)
    assert "choose your own" in again.text
    user = await User.get(email=PERSON)
    assert await Session.filter(user_id=user.id, revoked_at=None).count() == 1
