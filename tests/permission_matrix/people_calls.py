"""How the people domain's operations in the permission matrix are called and checked: the
organisation's users and their roles, registering people and designating the exams officer,
sending an invitation again, updateUserAccount setting someone's password or email,
deleting an account for good, and the access review."""

from typing import Any

from strawberry import relay

from models.audit import AuditEvent
from models.jobs import Job
from models.mail import OutboxMessage
from models.organisations import Organisation, OrganisationKind
from models.users import Membership, User, UserStatus
from tests.permission_matrix.world import (
    ERRORS,
    MEMBER,
    Call,
    Preparer,
    global_id,
    make_member,
    unique,
)


async def _organisation_users(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data["totalCount"] == 1
        assert data["nodes"][0]["user"]["email"] == victim.email
        assert data["nodes"][0]["roles"] == [role]

    return Call(
        "query($c: String!, $s: String) { organisationUsers(organisationCode: $c, "
        "filter: {search: $s}) { totalCount nodes { user { email } roles } } }",
        {"c": code, "s": victim.email},
        "organisationUsers",
        verify,
    )


async def _organisation_user(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data == {"user": {"email": victim.email}, "roles": [role]}

    return Call(
        "query($c: String!, $id: ID!) { organisationUser(organisationCode: $c, userId: $id) "
        "{ user { email } roles } }",
        {"c": code, "id": global_id(victim.id)},
        "organisationUser",
        verify,
    )


async def _invite_user(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    email = f"{unique('invited')}@example.test"

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["outcome"] == "INVITED"
        user = await User.get(email=email)
        assert user.status is UserStatus.INVITED
        membership = await Membership.get(user_id=user.id, organisation__code=code)
        assert membership.roles == [role]

    return Call(
        f"mutation($input: InviteUserInput!) {{ inviteUser(input: $input) "
        f"{{ outcome {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "firstName": "Ivy",
                "lastName": "Invited",
                "email": email,
                "roles": [role],
            }
        },
        "inviteUser",
        verify,
    )


async def _resend_invitation(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)
    await User.filter(id=victim.id).update(status=UserStatus.INVITED, must_change_password=True)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        user = await User.get(id=victim.id)
        assert user.password_hash is not None
        assert user.temporary_password_expires_at is not None
        assert await OutboxMessage.exists(recipient=victim.email, template="INVITATION")

    return Call(
        f"mutation($input: ResendInvitationInput!) {{ resendInvitation(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {"input": {"organisationCode": code, "userId": global_id(victim.id)}},
        "resendInvitation",
        verify,
    )


async def _delete_user_account(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["deletedUserId"] == global_id(victim.id)
        assert not await User.exists(id=victim.id)

    return Call(
        f"mutation($input: DeleteUserAccountInput!) {{ deleteUserAccount(input: $input) "
        f"{{ deletedUserId {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "userId": global_id(victim.id),
                "confirmation": "DELETE",
            }
        },
        "deleteUserAccount",
        verify,
    )


async def _update_user_roles(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["organisationUser"]["roles"] == [role]
        membership = await Membership.get(user_id=victim.id, organisation__code=code)
        assert membership.roles == [role]

    return Call(
        f"mutation($input: UpdateUserRolesInput!) {{ updateUserRoles(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {"input": {"organisationCode": code, "userId": global_id(victim.id), "roles": [role]}},
        "updateUserRoles",
        verify,
    )


async def _update_user(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        user = await User.get(id=victim.id)
        assert (user.first_name, user.last_name) == ("Renata", "Renamed")

    return Call(
        f"mutation($input: UpdateUserInput!) {{ updateUser(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "userId": global_id(victim.id),
                "firstName": "Renata",
                "lastName": "Renamed",
            }
        },
        "updateUser",
        verify,
    )


async def _remove_user(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    victim = await make_member(code, role)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["removedUserId"] == global_id(victim.id)
        assert not await Membership.exists(user_id=victim.id)
        assert await User.exists(id=victim.id)  # the account stays

    return Call(
        f"mutation($input: RemoveUserInput!) {{ removeUser(input: $input) "
        f"{{ removedUserId {ERRORS} }} }}",
        {"input": {"organisationCode": code, "userId": global_id(victim.id)}},
        "removeUser",
        verify,
    )


async def _register_user(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
    email = f"{unique('registered')}@example.test"

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        user = await User.get(email=email)
        assert user.status is UserStatus.PENDING_ACTIVATION
        assert await Membership.exists(user_id=user.id, organisation__code=code)

    return Call(
        f"mutation($input: RegisterUserInput!) {{ registerUser(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "firstName": "Rex",
                "lastName": "Registered",
                "email": email,
                "roles": [role],
            }
        },
        "registerUser",
        verify,
    )


async def _designate_exams_officer(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    email = f"{unique('designated')}@example.test"
    # Designating takes the role from the demo's exams officer there: give it back after.
    previous = await Membership.filter(organisation__code=code).values_list("id", "roles")

    async def cleanup() -> None:
        for membership_id, roles in previous:
            await Membership.filter(id=membership_id).update(roles=roles)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        assert data["examsOfficer"]["email"] == email
        user = await User.get(email=email)
        membership = await Membership.get(user_id=user.id, organisation__code=code)
        assert membership.roles == ["EXAMS_OFFICER"]

    return Call(
        f"mutation($input: DesignateExamsOfficerInput!) {{ designateExamsOfficer"
        f"(input: $input) {{ examsOfficer {{ email }} {ERRORS} }} }}",
        {
            "input": {
                "organisationCode": code,
                "email": email,
                "firstName": "Dee",
                "lastName": "Designated",
            }
        },
        "designateExamsOfficer",
        verify,
        cleanup,
    )


# Credentials (policies/credentials.py): updateUserAccount setting the password or email of
# someone holding a role the caller could give (setPassword, setEmail), the role only the board
# gives there (setOfficer...: the exams officer; at the board itself, a board admin), or roles at
# a centre nobody in the table belongs to as well (setSharedPassword).
SET_PASSWORD = "Lantern-Harbour-2026"


async def _set_credentials(operation: str, code: str, kind: OrganisationKind, role: str) -> Call:
    if operation.startswith("setOfficer") and kind is not OrganisationKind.BOARD:
        role = "EXAMS_OFFICER"
    victim = await make_member(code, role)
    if operation == "setSharedPassword":
        await Membership.create(
            user=victim, organisation=await Organisation.get(code="CC303"), roles=["SLT"]
        )
    old_email = victim.email
    if operation.endswith("Email"):
        change = {"email": f"{unique('moved')}@example.test"}
    else:
        change = {"password": SET_PASSWORD}

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        user = await User.get(id=victim.id)
        # Either way the next sign-in needs the code emailed to the person, who is told.
        assert user.email_verified_at is None
        if "email" in change:
            assert user.email == change["email"]
            told = {old_email, change["email"]}
        else:
            assert user.must_change_password
            assert user.password_hash is not None
            told = {old_email}
        recipients = await OutboxMessage.filter(recipient__in=told).values_list(
            "recipient", flat=True
        )
        assert set(recipients) == told

    return Call(
        f"mutation($input: UpdateUserAccountInput!) {{ updateUserAccount(input: $input) "
        f"{{ {MEMBER} {ERRORS} }} }}",
        {"input": {"organisationCode": code, "userId": global_id(victim.id), **change}},
        "updateUserAccount",
        verify,
    )


def _setting(operation: str) -> Preparer:
    async def prepare(code: str, kind: OrganisationKind, role: str, expected: str) -> Call:
        return await _set_credentials(operation, code, kind, role)

    return prepare


async def _export_access_review(
    code: str, kind: OrganisationKind, role: str, expected: str
) -> Call:
    organisation = await Organisation.get(code=code)

    async def verify(data: Any) -> None:
        assert data["errors"] == []
        job_id = relay.from_base64(data["job"]["id"])[1]
        job = await Job.get(id=job_id)
        assert (job.kind, job.organisation_id) == ("access_review.export", organisation.id)
        audited = await AuditEvent.get(action="access_review.export", target_id=job_id)
        assert audited.organisation_id == organisation.id

    return Call(
        f"mutation($input: ExportAccessReviewInput!) {{ exportAccessReview(input: $input) "
        f"{{ job {{ id }} {ERRORS} }} }}",
        {"input": {"organisationCode": code}},
        "exportAccessReview",
        verify,
    )


CALLS: dict[str, Preparer] = {
    "organisationUsers": _organisation_users,
    "organisationUser": _organisation_user,
    "inviteUser": _invite_user,
    "resendInvitation": _resend_invitation,
    "deleteUserAccount": _delete_user_account,
    "updateUserRoles": _update_user_roles,
    "updateUser": _update_user,
    "removeUser": _remove_user,
    "registerUser": _register_user,
    "designateExamsOfficer": _designate_exams_officer,
    "setPassword": _setting("setPassword"),
    "setEmail": _setting("setEmail"),
    "setOfficerPassword": _setting("setOfficerPassword"),
    "setOfficerEmail": _setting("setOfficerEmail"),
    "setSharedPassword": _setting("setSharedPassword"),
    "exportAccessReview": _export_access_review,
}
