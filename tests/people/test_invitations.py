"""Invitations sent again and temporary passwords that expire, through /graphql: resendInvitation,
inviteUser for someone still invited, and the sign-in refused once a temporary password is past
EXAMDESK_TEMPORARY_PASSWORD_DAYS (only after the password matched)."""

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from strawberry import relay

from examdesk.demo import seed_demo
from examdesk.settings import Settings, SettingsError
from models.audit import AuditEvent, SignInEvent, SignInOutcome
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.sessions import Session
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient

INVITE = """
mutation($input: InviteUserInput!) { inviteUser(input: $input) {
  outcome message organisationUser { roles user { email status } } errors { code message }
} }"""
RESEND = """
mutation($input: ResendInvitationInput!) { resendInvitation(input: $input) {
  message organisationUser { user { email status } } errors { code message field }
} }"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) {
  token stage errors { code message }
} }"""
SET_NEW_PASSWORD = """
mutation($input: SetNewPasswordInput!) {
  setNewPassword(input: $input) { stage errors { code } }
}"""
UPDATE = """
mutation($input: UpdateUserAccountInput!) { updateUserAccount(input: $input) {
  errors { code message }
} }"""

PERSON = "marie.curie@aa101.example"
NEW_PASSWORD = "Radium-Polonium-1898"


def gid(user_id: int) -> str:
    return relay.to_base64("User", user_id)


@pytest.fixture
async def manager(demo: Starlette, gql: GraphQLClient) -> str:
    return await gql.sign_in("users@aa101.example")


async def invite(gql: GraphQLClient, token: str, code: str = "AA101") -> dict[str, Any]:
    data = await gql.ok(
        INVITE,
        {
            "input": {
                "organisationCode": code,
                "firstName": "Marie",
                "lastName": "Curie",
                "email": PERSON,
                "roles": ["SFA_TEACHER"],
            }
        },
        token,
    )
    return data["inviteUser"]


async def resend(
    gql: GraphQLClient, token: str, user_id: int, code: str = "AA101"
) -> dict[str, Any]:
    return await gql.post(
        RESEND, {"input": {"organisationCode": code, "userId": gid(user_id)}}, token
    )


async def temporary_passwords() -> list[str]:
    """The temporary password of each invitation sent to PERSON, oldest first."""
    bodies = await OutboxMessage.filter(recipient=PERSON, template="INVITATION").order_by("id")
    return [re.search(r"Temporary password: (\S+)", m.body).group(1) for m in bodies]  # type: ignore[union-attr]


async def sign_in(gql: GraphQLClient, password: str, email: str = PERSON) -> dict[str, Any]:
    return (await gql.ok(SIGN_IN, {"input": {"email": email, "password": password}}))["signIn"]


async def test_resending_an_invitation_voids_the_old_temporary_password(
    gql: GraphQLClient, manager: str
) -> None:
    assert (await invite(gql, manager))["outcome"] == "INVITED"
    [first] = await temporary_passwords()
    started = await sign_in(gql, first)  # signed in, but never finished the steps
    assert started["stage"] == "PASSWORD_CHANGE_REQUIRED"
    user = await User.get(email=PERSON)

    payload = (await resend(gql, manager, user.id))["data"]["resendInvitation"]
    assert payload["errors"] == []
    assert payload["organisationUser"]["user"] == {"email": PERSON, "status": "INVITED"}
    assert "new temporary password" in payload["message"]
    [_, second] = await temporary_passwords()
    assert second != first
    # The old password and the session it opened are void; the new one works.
    assert [e["code"] for e in (await sign_in(gql, first))["errors"]] == ["INVALID_CREDENTIALS"]
    body = await gql.post(
        SET_NEW_PASSWORD, {"input": {"newPassword": NEW_PASSWORD}}, started["token"]
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await sign_in(gql, second))["stage"] == "PASSWORD_CHANGE_REQUIRED"
    event = await AuditEvent.get(action="user.resend_invitation")
    assert event.target_id == str(user.id)
    assert event.actor_email == "users@aa101.example"
    invitation = await OutboxMessage.filter(recipient=PERSON).order_by("-id").first()
    assert invitation is not None
    assert "http://examdesk.test/sign-in" in invitation.body
    assert "works until 30 November 2026 at 09:00 UTC" in invitation.body


async def test_inviting_someone_still_invited_sends_the_invitation_again(
    gql: GraphQLClient, manager: str
) -> None:
    await invite(gql, manager)
    again = await invite(gql, manager)
    assert again["errors"] == []
    assert again["outcome"] == "INVITATION_RESENT"
    assert "can use them at once" not in again["message"]
    assert "invitation again" in again["message"]
    first, second = await temporary_passwords()
    assert [e["code"] for e in (await sign_in(gql, first))["errors"]] == ["INVALID_CREDENTIALS"]
    assert (await sign_in(gql, second))["stage"] == "PASSWORD_CHANGE_REQUIRED"


async def test_inviting_an_active_account_only_adds_roles(gql: GraphQLClient, manager: str) -> None:
    data = await gql.ok(
        INVITE,
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Frida",
                "lastName": "Kahlo",
                "email": "slt@bb202.example",
                "roles": ["SLT"],
            }
        },
        manager,
    )
    assert data["inviteUser"]["outcome"] == "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    assert not await OutboxMessage.filter(template="INVITATION").exists()


async def test_an_invited_person_out_of_reach_only_gets_the_roles(
    gql: GraphQLClient, manager: str, demo: Starlette
) -> None:
    # Invited by the board as CC303's exams officer: AA101's user manager could not set their
    # password, so inviting them adds the roles and leaves their invitation as it was.
    board = await gql.sign_in("admin@exb.example")
    await gql.ok(
        "mutation($input: DesignateExamsOfficerInput!) { designateExamsOfficer(input: $input) "
        "{ errors { code } } }",
        {
            "input": {
                "organisationCode": "CC303",
                "email": PERSON,
                "firstName": "Marie",
                "lastName": "Curie",
            }
        },
        board,
    )
    again = await invite(gql, manager)
    assert again["outcome"] == "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    assert "has not signed in yet" in again["message"]
    assert len(await temporary_passwords()) == 1
    user = await User.get(email=PERSON)
    body = await resend(gql, manager, user.id)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert len(await temporary_passwords()) == 1


@pytest.mark.parametrize(
    ("status", "wording"),
    [
        (UserStatus.ACTIVE, "requestPasswordReset"),
        (UserStatus.PENDING_ACTIVATION, "requestAccountActivation"),
        (UserStatus.DISABLED, "disabled"),
    ],
)
async def test_only_an_invited_account_is_sent_the_invitation_again(
    gql: GraphQLClient, manager: str, status: UserStatus, wording: str
) -> None:
    await invite(gql, manager)
    user = await User.get(email=PERSON)
    await User.filter(id=user.id).update(status=status)
    payload = (await resend(gql, manager, user.id))["data"]["resendInvitation"]
    assert [e["code"] for e in payload["errors"]] == ["ACCOUNT_NOT_INVITED"]
    assert payload["errors"][0]["field"] == ["input", "userId"]
    assert wording in payload["errors"][0]["message"]
    assert len(await temporary_passwords()) == 1


async def test_resend_refusals(gql: GraphQLClient, manager: str, demo: Starlette) -> None:
    await invite(gql, manager)
    user = await User.get(email=PERSON)
    # Not a member there.
    elsewhere = await gql.sign_in("users@bb202.example")
    payload = (await resend(gql, elsewhere, user.id, "BB202"))["data"]["resendInvitation"]
    assert [e["code"] for e in payload["errors"]] == ["NOT_A_MEMBER"]
    # Another centre's user manager, at this centre; someone who does not manage users.
    assert (await resend(gql, elsewhere, user.id))["errors"][0]["extensions"]["code"] == (
        "FORBIDDEN"
    )
    teacher = await gql.sign_in("teacher@aa101.example")
    assert (await resend(gql, teacher, user.id))["errors"][0]["extensions"]["code"] == ("FORBIDDEN")
    assert (await resend(gql, "", user.id))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    # A soft-deleted organisation adds nobody, and sends no invitations.
    await Organisation.filter(code="AA101").update(deleted_at=clock.now())
    board = await gql.sign_in("admin@exb.example")
    payload = (await resend(gql, board, user.id))["data"]["resendInvitation"]
    assert [e["code"] for e in payload["errors"]] == ["ORGANISATION_DELETED"]
    assert len(await temporary_passwords()) == 1


async def test_a_temporary_password_expires_after_seven_days(
    gql: GraphQLClient, manager: str
) -> None:
    await invite(gql, manager)
    [temporary] = await temporary_passwords()
    user = await User.get(email=PERSON)
    clock.advance(timedelta(days=6, hours=23))
    assert (await sign_in(gql, temporary))["stage"] == "PASSWORD_CHANGE_REQUIRED"
    clock.advance(timedelta(hours=1, seconds=1))
    # A wrong password still reads as any wrong password: nothing tells the invitation expired.
    wrong = await sign_in(gql, "Not-The-Password-1")
    assert [e["code"] for e in wrong["errors"]] == ["INVALID_CREDENTIALS"]
    expired = await sign_in(gql, temporary)
    assert [e["code"] for e in expired["errors"]] == ["TEMPORARY_PASSWORD_EXPIRED"]
    assert "send the invitation again" in expired["errors"][0]["message"]
    assert expired["token"] is None
    assert await Session.filter(user_id=user.id).count() == 1  # the one opened in time
    assert await SignInEvent.filter(
        user_id=user.id, outcome=SignInOutcome.TEMPORARY_PASSWORD_EXPIRED
    ).exists()
    # Sending it again gives a new week (the manager's session of a week ago has ended).
    manager = await gql.sign_in("users@aa101.example")
    assert (await resend(gql, manager, user.id))["data"]["resendInvitation"]["errors"] == []
    [_, fresh] = await temporary_passwords()
    assert (await sign_in(gql, fresh))["stage"] == "PASSWORD_CHANGE_REQUIRED"


async def test_the_days_and_the_link_are_settings(make_app: AppFactory) -> None:
    app = await make_app(
        temporary_password_lifetime=timedelta(days=2),
        sign_in_url="https://portal.example/first-sign-in",
    )
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://examdesk.test") as http:
        gql = GraphQLClient(http)
        await invite(gql, await gql.sign_in("users@aa101.example"))
        [temporary] = await temporary_passwords()
        [invitation] = await OutboxMessage.filter(recipient=PERSON)
        assert "Sign in to your account at https://portal.example/first-sign-in " in (
            invitation.body
        )
        clock.advance(timedelta(days=2, seconds=1))
        expired = await sign_in(gql, temporary)
        assert [e["code"] for e in expired["errors"]] == ["TEMPORARY_PASSWORD_EXPIRED"]


def test_the_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "EXAMDESK_SIGN_IN_URL": "https://portal.example/sign-in",
            "EXAMDESK_TEMPORARY_PASSWORD_DAYS": "3",
        }
    )
    assert settings.sign_in_url == "https://portal.example/sign-in"
    assert settings.temporary_password_lifetime == timedelta(days=3)
    defaults = Settings.from_env({})
    assert defaults.sign_in_url is None
    assert defaults.temporary_password_lifetime == timedelta(days=7)
    for bad in (
        {"EXAMDESK_SIGN_IN_URL": "javascript:alert(1)"},
        {"EXAMDESK_TEMPORARY_PASSWORD_DAYS": "soon"},
        {"EXAMDESK_TEMPORARY_PASSWORD_DAYS": "0"},
    ):
        with pytest.raises(SettingsError):
            Settings.from_env(bad)


async def test_a_password_a_user_manager_sets_is_temporary_too(
    gql: GraphQLClient, manager: str
) -> None:
    victim = await User.get(email="slt@aa101.example")
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(victim.id),
                    "password": "Lantern-Harbour-2026",
                }
            },
            manager,
        )
    )["updateUserAccount"]
    assert payload["errors"] == []
    clock.advance(timedelta(days=8))
    refused = await sign_in(gql, "Lantern-Harbour-2026", "slt@aa101.example")
    assert [e["code"] for e in refused["errors"]] == ["TEMPORARY_PASSWORD_EXPIRED"]


async def test_choosing_a_password_ends_the_expiry(gql: GraphQLClient, manager: str) -> None:
    await invite(gql, manager)
    [temporary] = await temporary_passwords()
    token = (await sign_in(gql, temporary))["token"]
    changed = await gql.ok(SET_NEW_PASSWORD, {"input": {"newPassword": NEW_PASSWORD}}, token)
    assert changed["setNewPassword"]["stage"] == "VERIFICATION_REQUIRED"
    user = await User.get(email=PERSON)
    assert user.temporary_password_expires_at is None
    clock.advance(timedelta(days=30))
    assert (await sign_in(gql, NEW_PASSWORD))["stage"] == "VERIFICATION_REQUIRED"
    assert await Membership.exists(user_id=user.id)
