"""People's mutations: inviting, registering, editing and removing users, the exams officer, and
staff accounts one by one and from a file, and the access review."""

from typing import Annotated

import strawberry

from models.users import User, UserStatus
from resolvers.core.csv_files import upload_bytes, upload_name
from resolvers.people import (
    access_review,
    account_deletion,
    invitations,
    staff_accounts,
    staff_upload,
    users,
)
from schema.core.arguments import INPUT
from schema.core.context import Info
from schema.core.errors import ErrorCode, error_codes, payload
from schema.core.ids import with_user_id
from schema.core.permissions import SignedIn
from schema.network.types import OrganisationNode
from schema.people.inputs import (
    CreateUserAccountInput,
    DeleteUserAccountInput,
    DesignateExamsOfficerInput,
    ExportAccessReviewInput,
    InviteUserInput,
    RegisterUserInput,
    RemoveUserInput,
    ResendInvitationInput,
    UpdateUserAccountInput,
    UpdateUserInput,
    UpdateUserRolesInput,
    UploadUsersInput,
)
from schema.people.payloads import (
    AccessReviewExportPayload,
    CreateUserAccountPayload,
    DeleteUserAccountPayload,
    DesignateExamsOfficerPayload,
    InviteUserPayload,
    OrganisationUserPayload,
    RemoveUserPayload,
    ResendInvitationPayload,
    UpdateUserAccountPayload,
    UploadUsersPayload,
)
from schema.people.types import OrganisationUser, UserNode


def _invitation_message(invitation: invitations.Invitation) -> str:
    user = invitation.membership.user
    if invitation.outcome == invitations.InviteOutcome.INVITED:
        return f"{user.full_name} has been sent an invitation email with a temporary password."
    if invitation.outcome == invitations.InviteOutcome.INVITATION_RESENT:
        return _resent_message(user)
    if user.status is UserStatus.INVITED:
        return (
            f"{user.email} already has an account: the roles were added to it. "
            f"{user.full_name} has not signed in yet: they sign in with the invitation they "
            "were sent, and can use the roles from then on."
        )
    return (
        f"{user.email} already has an account: the roles were added to it and "
        f"{user.full_name} can use them at once."
    )


def _resent_message(user: User) -> str:
    return (
        f"{user.full_name} has not signed in yet, so they have been sent the invitation again "
        "with a new temporary password: the earlier one no longer works."
    )


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers and board admins: add a person to the organisation with "
        "roles. A new email gets an account and an invitation with a temporary password; an "
        "existing account gets the roles here too (see `outcome`).",
    )
    async def invite_user(
        self, info: Info, input: Annotated[InviteUserInput, INPUT]
    ) -> InviteUserPayload:
        return await payload(
            InviteUserPayload,
            invitations.invite_user(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                roles=[r.value for r in input.roles],
            ),
            lambda r: InviteUserPayload(
                organisation_user=OrganisationUser.of(r.membership),
                outcome=r.outcome,
                message=_invitation_message(r),
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Send an invited user who has not signed in yet a new temporary password "
        "(the old one stops working). For whoever could set their password: user managers and "
        "board admins.",
    )
    async def resend_invitation(
        self, info: Info, input: Annotated[ResendInvitationInput, INPUT]
    ) -> ResendInvitationPayload:
        return await payload(
            ResendInvitationPayload,
            with_user_id(
                input.user_id,
                lambda user_id: invitations.resend_invitation(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                ),
            ),
            lambda m: ResendInvitationPayload(
                organisation_user=OrganisationUser.of(m), message=_resent_message(m.user)
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins: register an email at an organisation; the person activates the "
            "account (requestAccountActivation).",
            ErrorCode.NOT_FOUND,
            ErrorCode.ORGANISATION_DELETED,
            ErrorCode.EMAIL_INVALID,
            ErrorCode.EMAIL_IN_USE,
            ErrorCode.NAME_REQUIRED,
            ErrorCode.ROLE_NOT_GRANTABLE,
        ),
    )
    async def register_user(
        self, info: Info, input: Annotated[RegisterUserInput, INPUT]
    ) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            users.register_user(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                roles=[r.value for r in input.roles],
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "User managers and board admins: set the roles a user holds at the organisation. "
            "Takes effect at once, in every session of theirs.",
            ErrorCode.NOT_FOUND,
            ErrorCode.NOT_A_MEMBER,
            ErrorCode.ROLES_REQUIRED,
            ErrorCode.ROLE_NOT_GRANTABLE,
        ),
    )
    async def update_user_roles(
        self, info: Info, input: Annotated[UpdateUserRolesInput, INPUT]
    ) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.update_user_roles(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    roles=[r.value for r in input.roles],
                ),
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "User managers and board admins: edit a user's names.",
            ErrorCode.NOT_FOUND,
            ErrorCode.NOT_A_MEMBER,
            ErrorCode.NAME_REQUIRED,
        ),
    )
    async def update_user(
        self, info: Info, input: Annotated[UpdateUserInput, INPUT]
    ) -> OrganisationUserPayload:
        return await payload(
            OrganisationUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.update_user_names(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    first_name=input.first_name,
                    last_name=input.last_name,
                ),
            ),
            lambda m: OrganisationUserPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers and board admins: remove a user from the organisation; "
        "their account, and their places elsewhere, stay.",
    )
    async def remove_user(
        self, info: Info, input: Annotated[RemoveUserInput, INPUT]
    ) -> RemoveUserPayload:
        return await payload(
            RemoveUserPayload,
            with_user_id(
                input.user_id,
                lambda user_id: users.remove_user(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                ),
            ),
            lambda _: RemoveUserPayload(removed_user_id=input.user_id),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Board admins: make someone the organisation's exams officer (its Centre "
        "Admin), inviting them when the email has no account; whoever held the role before "
        "loses it.",
    )
    async def designate_exams_officer(
        self, info: Info, input: Annotated[DesignateExamsOfficerInput, INPUT]
    ) -> DesignateExamsOfficerPayload:
        return await payload(
            DesignateExamsOfficerPayload,
            users.designate_exams_officer(
                info.context.actor,
                organisation_code=input.organisation_code,
                email=input.email,
                first_name=input.first_name,
                last_name=input.last_name,
            ),
            lambda d: DesignateExamsOfficerPayload(
                organisation=OrganisationNode.of(d.organisation),
                exams_officer=UserNode.of(d.exams_officer),
                previous_exams_officers=[UserNode.of(u) for u in d.previous],
                invited=d.invited,
            ),
        )


@strawberry.type
class StaffAccountMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers: create an account with a password you choose. "
        "You then tell the user their login details (see reminder).",
    )
    async def create_user_account(
        self, info: Info, input: Annotated[CreateUserAccountInput, INPUT]
    ) -> CreateUserAccountPayload:
        return await payload(
            CreateUserAccountPayload,
            staff_accounts.create_user_account(
                info.context.actor,
                organisation_code=input.organisation_code,
                first_name=input.first_name,
                last_name=input.last_name,
                email=input.email,
                password=input.password,
                roles=[r.value for r in input.roles],
            ),
            lambda c: CreateUserAccountPayload(
                organisation_user=OrganisationUser.of(c.membership), reminder=c.reminder
            ),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Edit a user's names and password (user managers) or email (the Centre "
        "Admin only, never their own). Fields left out stay as they are.",
    )
    async def update_user_account(
        self, info: Info, input: Annotated[UpdateUserAccountInput, INPUT]
    ) -> UpdateUserAccountPayload:
        return await payload(
            UpdateUserAccountPayload,
            with_user_id(
                input.user_id,
                lambda user_id: staff_accounts.update_user_account(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    first_name=input.first_name,
                    last_name=input.last_name,
                    password=input.password,
                    email=input.email,
                ),
            ),
            lambda m: UpdateUserAccountPayload(organisation_user=OrganisationUser.of(m)),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers (the Centre Admin among them): delete an account for good "
        "after typing DELETE. It cannot be recovered. Only for users who belong to this "
        "organisation alone and hold only roles you could grant; never yourself or the exams "
        "officer.",
    )
    async def delete_user_account(
        self, info: Info, input: Annotated[DeleteUserAccountInput, INPUT]
    ) -> DeleteUserAccountPayload:
        return await payload(
            DeleteUserAccountPayload,
            with_user_id(
                input.user_id,
                lambda user_id: account_deletion.delete_user_account(
                    info.context.actor,
                    organisation_code=input.organisation_code,
                    user_id=user_id,
                    confirmation=input.confirmation,
                ),
            ),
            lambda _: DeleteUserAccountPayload(deleted_user_id=input.user_id),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="User managers: create many accounts from the UserUploadTemplate. Every "
        "row is checked; any error writes nothing. A good file queues a job (payload.job).",
    )
    async def upload_users(
        self, info: Info, input: Annotated[UploadUsersInput, INPUT]
    ) -> UploadUsersPayload:
        async def upload() -> staff_upload.UserUpload:
            content = await upload_bytes(input.file)
            return await staff_upload.upload_users(
                info.context.actor,
                organisation_code=input.organisation_code,
                content=content,
                filename=upload_name(input.file),
                dry_run=input.dry_run,
            )

        return await payload(
            UploadUsersPayload, upload(), UploadUsersPayload.of, dry_run=input.dry_run
        )


@strawberry.type
class AccessReviewMutations:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Board admins (every organisation, or one) and exams officers (their own): the "
            "access review, made in the background as CSV and .xlsx: every person and "
            "organisation, the roles held there, who granted them and when, last sign-in, TOTP, "
            "and flags (EXAMS_OFFICER_NEVER_SIGNED_IN, UNUSED_90_DAYS, ROLES_AT_MANY_CENTRES).",
            ErrorCode.NOT_FOUND,
            ErrorCode.INVALID_INPUT,
        ),
    )
    async def export_access_review(
        self, info: Info, input: Annotated[ExportAccessReviewInput, INPUT]
    ) -> AccessReviewExportPayload:
        return await payload(
            AccessReviewExportPayload,
            access_review.export_access_review(
                info.context.actor,
                organisation_code=input.organisation_code,
                many_centres=input.many_centres,
            ),
            AccessReviewExportPayload.of,
        )
