"""Nobody takes over an account they could not create (issue 9, part 2), through the real app.

Setting someone's password or email is becoming them: only someone who could give the person
every role they hold, wherever they hold it, may; a password set by someone else is temporary
and the next sign-in also needs the code emailed to the person; the person is told by email,
naming who did it.
"""

import re
from email.message import EmailMessage
from typing import Any

from starlette.applications import Starlette
from strawberry import relay

from examdesk.demo import DEMO_PASSWORD
from models.audit import AuditEvent
from models.mail import OutboxMessage
from models.organisations import Organisation
from models.sessions import Session
from models.users import Membership, User, UserStatus
from resolvers.core import clock
from resolvers.identity.passwords import hash_password
from tests.helpers.graphql import GraphQLClient
from tests.helpers.mail import Mailbox

UPDATE = """
mutation($input: UpdateUserAccountInput!) { updateUserAccount(input: $input) {
  organisationUser { user { email } }
  errors { code message field }
} }"""
INVITE = """
mutation($input: InviteUserInput!) { inviteUser(input: $input) { outcome errors { code } } }"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { token stage errors { code } } }"""
SET_NEW_PASSWORD = """
mutation($input: SetNewPasswordInput!) {
  setNewPassword(input: $input) { stage errors { code } }
}"""
VERIFY = """
mutation($input: CodeInput!) { verifyEmailCode(input: $input) { stage errors { code } } }"""
CHANGE_PASSWORD = """
mutation($input: ChangePasswordInput!) { changePassword(input: $input) { errors { code } } }"""
REQUEST_RESET = """
mutation($input: EmailInput!) { requestPasswordReset(input: $input) { ok } }"""
RESET = """
mutation($input: SetPasswordWithCodeInput!) { resetPassword(input: $input) { errors { code } } }
"""
ME = "{ me { user { email } } }"

SET_BY_MANAGER = "Lantern-Harbour-2026"
CHOSEN = "Orchard-Meadow-8841"


def gid(user_id: int) -> str:
    return relay.to_base64("User", user_id)


async def snapshot() -> tuple[Any, ...]:
    """Everything a refused change of credentials must leave as it was."""
    return (
        await User.all()
        .order_by("id")
        .values_list(
            "id",
            "email",
            "password_hash",
            "must_change_password",
            "email_verified_at",
            "first_name",
            "last_name",
        ),
        await Membership.all().order_by("id").values_list("id", "user_id", "roles"),
        await Session.all().order_by("id").values_list("id", "revoked_at", "stage"),
        await AuditEvent.all().count(),
        await OutboxMessage.all().count(),
    )


def forbidden(body: dict[str, Any]) -> str:
    """The FORBIDDEN message of a refused call (failing when the call was not refused)."""
    assert body.get("data") is None or body["data"].get("updateUserAccount") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", body
    return error["message"]


async def update(gql: GraphQLClient, token: str, code: str, user: User, **fields: str) -> dict:
    variables = {"input": {"organisationCode": code, "userId": gid(user.id), **fields}}
    return await gql.post(UPDATE, variables, token=token)


# --- who may ----------------------------------------------------------------------------------


async def test_the_user_manager_cannot_set_the_exams_officers_password(
    demo: Starlette, gql: GraphQLClient
) -> None:
    officer = await User.get(email="eo@aa101.example")
    officers_session = await gql.sign_in(officer.email)
    manager = await gql.sign_in("users@aa101.example")
    before = await snapshot()

    message = forbidden(await update(gql, manager, "AA101", officer, password=SET_BY_MANAGER))

    assert "exams officer of AA Dummy Centre A" in message
    assert "only the exam board" in message
    assert await snapshot() == before
    # The exams officer stays signed in, with the password they chose.
    assert (await gql.ok(ME, token=officers_session))["me"]["user"]["email"] == officer.email
    assert (await gql.ok(SIGN_IN, {"input": {"email": officer.email, "password": DEMO_PASSWORD}}))[
        "signIn"
    ]["stage"] == "FULL"


async def test_the_associates_exams_officer_cannot_set_a_centre_exams_officers_email(
    demo: Starlette, gql: GraphQLClient
) -> None:
    # Northbridge's exams officer manages its associate centre AS101, and changes emails there,
    # but did not make AS101's exams officer and may not become them.
    centre_officer = await User.get(email="eo@as101.example")
    token = await gql.sign_in("eo@as100.example")
    before = await snapshot()
    for change in ({"email": "mine@as100.example"}, {"password": SET_BY_MANAGER}):
        message = forbidden(await update(gql, token, "AS101", centre_officer, **change))
        assert "exams officer of Northbridge Lakeside School" in message
    assert await snapshot() == before


async def test_an_account_with_roles_elsewhere_is_out_of_reach(
    demo: Starlette, gql: GraphQLClient
) -> None:
    # Inviting an existing account only adds roles here: the board admin, invited to AA101, is
    # still the board admin, and AA101 must not be able to become them.
    manager = await gql.sign_in("users@aa101.example")
    officer = await gql.sign_in("eo@aa101.example")
    admin = await User.get(email="admin@exb.example")
    invited = await gql.ok(
        INVITE,
        {
            "input": {
                "organisationCode": "AA101",
                "firstName": "Ada",
                "lastName": "Lovelace",
                "email": admin.email,
                "roles": ["SLT"],
            }
        },
        token=manager,
    )
    assert invited["inviteUser"]["outcome"] == "ROLES_ADDED_TO_EXISTING_ACCOUNT"
    before = await snapshot()
    for token, change in (
        (manager, {"password": SET_BY_MANAGER}),
        (officer, {"password": SET_BY_MANAGER}),
        (officer, {"email": "ada@aa101.example"}),
    ):
        message = forbidden(await update(gql, token, "AA101", admin, **change))
        # The real reason, not the one about names it used to give.
        assert "names" not in message
        assert "also belongs to another organisation" in message
        assert "password or email address" in message
    assert await snapshot() == before


async def test_the_board_sets_credentials_of_someone_at_two_centres(
    demo: Starlette, gql: GraphQLClient
) -> None:
    teacher = await User.get(email="teacher@aa101.example")
    await Membership.create(
        user=teacher, organisation=await Organisation.get(code="BB202"), roles=["SLT"]
    )
    officer = await gql.sign_in("eo@aa101.example")
    before = await snapshot()
    message = forbidden(await update(gql, officer, "AA101", teacher, password=SET_BY_MANAGER))
    assert "also belongs to another organisation" in message
    assert "names" not in message
    assert await snapshot() == before

    board = await gql.sign_in("admin@exb.example")
    done = await gql.ok(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(teacher.id),
                "password": SET_BY_MANAGER,
            }
        },
        token=board,
    )
    assert done["updateUserAccount"]["errors"] == []
    changed = await User.get(id=teacher.id)
    assert changed.must_change_password
    assert changed.email_verified_at is None  # the next sign-in needs the emailed code


async def test_a_stray_global_listening_grant_keeps_user_managers_out(
    demo: Starlette, gql: GraphQLClient
) -> None:
    # GLOBAL_LISTENING is never granted through the API; someone holding it anyway (an import,
    # a hand edit) holds a role no user manager could give.
    user = await User.create(
        email="stray@aa101.example",
        first_name="Stray",
        last_name="Grant",
        status=UserStatus.ACTIVE,
        password_hash=hash_password(DEMO_PASSWORD),
        email_verified_at=clock.now(),
    )
    await Membership.create(
        user=user,
        organisation=await Organisation.get(code="AA101"),
        roles=["GLOBAL_LISTENING", "SLT"],
    )
    manager = await gql.sign_in("users@aa101.example")
    before = await snapshot()
    message = forbidden(await update(gql, manager, "AA101", user, password=SET_BY_MANAGER))
    assert "holds GLOBAL_LISTENING at AA Dummy Centre A" in message
    assert await snapshot() == before


async def test_nobody_sets_their_own_password_without_the_current_one(
    demo: Starlette, gql: GraphQLClient
) -> None:
    manager = await User.get(email="users@aa101.example")
    token = await gql.sign_in(manager.email)
    before = await snapshot()
    payload = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "organisationCode": "AA101",
                    "userId": gid(manager.id),
                    "password": SET_BY_MANAGER,
                }
            },
            token=token,
        )
    )["updateUserAccount"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("PASSWORD_CHANGE_OWN_REFUSED", ["input", "password"])
    ]
    assert "changePassword" in payload["errors"][0]["message"]
    assert await snapshot() == before


# --- what a permitted change does -------------------------------------------------------------


def code_in(messages: list[EmailMessage]) -> str:
    [code] = [
        match.group(1)
        for m in messages
        if (match := re.search(r"verification code is (\d{6})", m.get_content()))
    ]
    return code


def about(messages: list[EmailMessage], subject: str) -> list[EmailMessage]:
    return [m for m in messages if subject in m["Subject"]]


async def test_a_password_set_by_the_user_manager_is_temporary_and_needs_the_emailed_code(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    slt = await User.get(email="slt@aa101.example")
    old_session = await gql.sign_in(slt.email)
    manager = await gql.sign_in("users@aa101.example")
    done = await gql.ok(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(slt.id),
                "password": SET_BY_MANAGER,
            }
        },
        token=manager,
    )
    assert done["updateUserAccount"]["errors"] == []
    assert (await gql.post(ME, token=old_session))["errors"][0]["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )

    # The person is told, and told who did it.
    [notice] = about(await mailbox.wait_for(slt.email), "password")
    assert notice["Subject"] == "The password of your examdesk account was changed"
    assert "Buzz Lightyear (users@aa101.example)" in notice.get_content()
    assert SET_BY_MANAGER not in notice.get_content()

    # Whoever set it knows it; it gets them only as far as choosing a new one ...
    signed = (await gql.ok(SIGN_IN, {"input": {"email": slt.email, "password": SET_BY_MANAGER}}))[
        "signIn"
    ]
    assert signed["stage"] == "PASSWORD_CHANGE_REQUIRED"
    token = signed["token"]
    changed = (await gql.ok(SET_NEW_PASSWORD, {"input": {"newPassword": CHOSEN}}, token=token))[
        "setNewPassword"
    ]
    # ... and then the code sent to the person's mailbox, exactly as for an invitation.
    assert changed == {"stage": "VERIFICATION_REQUIRED", "errors": []}
    assert (await gql.post(ME, token=token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    code = code_in(await mailbox.wait_for(slt.email, 2))
    verified = (await gql.ok(VERIFY, {"input": {"code": code}}, token=token))["verifyEmailCode"]
    assert verified == {"stage": "FULL", "errors": []}
    assert (await gql.ok(ME, token=token))["me"]["user"]["email"] == slt.email


async def test_an_email_change_is_told_to_the_old_and_the_new_address(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    slt = await User.get(email="slt@aa101.example")
    officer = await gql.sign_in("eo@aa101.example")
    done = await gql.ok(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(slt.id),
                "email": "frida@elsewhere.example",
            }
        },
        token=officer,
    )
    assert done["updateUserAccount"]["errors"] == []
    for address in ("slt@aa101.example", "frida@elsewhere.example"):
        [notice] = await mailbox.wait_for(address)
        assert notice["Subject"] == "The email address of your examdesk account was changed"
        body = notice.get_content()
        assert "from slt@aa101.example to frida@elsewhere.example" in body
        assert "Anakin Skywalker (eo@aa101.example)" in body


async def test_changing_or_resetting_your_own_password_is_told_to_you(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    email = "inv@aa101.example"
    token = await gql.sign_in(email)
    changed = await gql.ok(
        CHANGE_PASSWORD,
        {
            "input": {
                "currentPassword": DEMO_PASSWORD,
                "newPassword": CHOSEN,
            }
        },
        token=token,
    )
    assert changed["changePassword"]["errors"] == []
    [notice] = await mailbox.wait_for(email)
    assert "was changed by you on 23 November 2026" in notice.get_content()

    await gql.ok(REQUEST_RESET, {"input": {"email": email}})
    [reset_mail] = about(await mailbox.wait_for(email, 2), "Reset")
    code = re.search(r"this code with your email address: (\d{6})", reset_mail.get_content()).group(
        1
    )
    reset = await gql.ok(
        RESET, {"input": {"email": email, "code": code, "newPassword": "Quiet-Compass-7730"}}
    )
    assert reset["resetPassword"]["errors"] == []
    notices = about(await mailbox.wait_for(email, 3), "password of your examdesk account")
    assert len(notices) == 2
    assert "by you, with a password reset link or code" in notices[1].get_content()


async def test_links_sent_before_an_email_change_stop_working(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    # Whoever still reads the old mailbox (a departed colleague's, a mistyped one) must not
    # reset the password with a link or code sent there before the address changed.
    gql = mail_client
    slt = await User.get(email="slt@aa101.example")
    await gql.ok(REQUEST_RESET, {"input": {"email": slt.email}})
    [reset_mail] = await mailbox.wait_for(slt.email)
    code = re.search(r"this code with your email address: (\d{6})", reset_mail.get_content()).group(
        1
    )
    officer = await gql.sign_in("eo@aa101.example")
    done = await gql.ok(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(slt.id),
                "email": "frida@elsewhere.example",
            }
        },
        token=officer,
    )
    assert done["updateUserAccount"]["errors"] == []
    before = await snapshot()
    for email in ("slt@aa101.example", "frida@elsewhere.example"):
        reset = await gql.ok(
            RESET, {"input": {"email": email, "code": code, "newPassword": "Quiet-Compass-7730"}}
        )
        assert [e["code"] for e in reset["resetPassword"]["errors"]] == ["TOKEN_INVALID"]
    assert await snapshot() == before


UPDATE_TEMPLATE = """
mutation($input: UpdateEmailTemplateInput!) { updateEmailTemplate(input: $input) {
  emailTemplate { key customised } errors { code message }
} }"""


async def test_the_board_rewords_the_notices_but_keeps_who_did_it(
    mail_client: GraphQLClient, mailbox: Mailbox
) -> None:
    gql = mail_client
    board = await gql.sign_in("admin@exb.example")
    anonymous = {
        "key": "PASSWORD_CHANGED",
        "subject": "Password changed",
        "body": "Hello $first_name, your password was changed on $changed_at.\n",
    }
    refused = (await gql.ok(UPDATE_TEMPLATE, {"input": anonymous}, token=board))[
        "updateEmailTemplate"
    ]
    assert [e["code"] for e in refused["errors"]] == ["REQUIRED_PLACEHOLDER_MISSING"]
    assert "$changed_by" in refused["errors"][0]["message"]
    for key, required in (
        ("PASSWORD_CHANGED", "$changed_by"),
        ("EMAIL_CHANGED", "$changed_by $old_email $new_email"),
    ):
        saved = (
            await gql.ok(
                UPDATE_TEMPLATE,
                {
                    "input": {
                        "key": key,
                        "subject": f"examdesk: {key}",
                        "body": f"Changed by {required}.\n",
                    }
                },
                token=board,
            )
        )["updateEmailTemplate"]
        assert saved["errors"] == []

    slt = await User.get(email="slt@aa101.example")
    officer = await gql.sign_in("eo@aa101.example")
    done = await gql.ok(
        UPDATE,
        {
            "input": {
                "organisationCode": "AA101",
                "userId": gid(slt.id),
                "password": SET_BY_MANAGER,
            }
        },
        token=officer,
    )
    assert done["updateUserAccount"]["errors"] == []
    [notice] = await mailbox.wait_for(slt.email)
    assert notice["Subject"] == "examdesk: PASSWORD_CHANGED"
    assert notice.get_content().strip() == "Changed by Anakin Skywalker (eo@aa101.example)."
