"""Signing in, the first sign-in's steps, passwords, authenticator apps, and `me`."""

from datetime import datetime

import strawberry

from models.sessions import OneTimeCodePurpose
from policies import Role as RoleValue
from resolvers.identity import recovery, sessions
from resolvers.network import organisations
from schema.core.context import Info
from schema.core.enums import Role, SessionStage
from schema.core.errors import UserError, payload
from schema.core.permissions import AnySessionStage, Public, SignedIn
from schema.network.types import OrganisationNode
from schema.people.types import UserNode


@strawberry.type(description="The roles you hold at one organisation.")
class Grant:
    organisation: OrganisationNode
    roles: list[Role]


@strawberry.type(description="You: your account, your roles, and where you may act.")
class Me:
    user: UserNode
    grants: list[Grant]
    organisations: list[OrganisationNode] = strawberry.field(
        description='Organisations you may act for ("Change Organisation"): your own and, '
        "for an associate, its associate centres."
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(permission_classes=[SignedIn])
    async def me(self, info: Info) -> Me:
        view = await organisations.me(info.context.actor)
        return Me(
            user=UserNode.of(view.user),
            grants=[
                Grant(organisation=OrganisationNode.of(o), roles=[RoleValue(r) for r in roles])
                for o, roles in view.grants
            ],
            organisations=[OrganisationNode.of(o) for o in view.acting_for],
        )


@strawberry.input
class SignInInput:
    email: str
    password: str
    totp_code: str | None = strawberry.field(
        default=None, description="The authenticator app's code, if you have set one up."
    )


@strawberry.type
class SignInPayload:
    token: str | None = strawberry.field(
        default=None, description="Send it as `Authorization: Bearer <token>`."
    )
    stage: SessionStage | None = None
    expires_at: datetime | None = None
    user: UserNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SessionPayload:
    stage: SessionStage | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DonePayload:
    ok: bool = False
    message: str | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetNewPasswordInput:
    new_password: str


@strawberry.input
class CodeInput:
    code: str


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type
class ChangePasswordPayload:
    other_sessions_signed_out: int | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class EmailInput:
    email: str


@strawberry.input
class SetPasswordWithCodeInput:
    new_password: str
    token: str | None = strawberry.field(default=None, description="The token from the link.")
    email: str | None = strawberry.field(
        default=None, description="With `code`, instead of the link's token."
    )
    code: str | None = None


@strawberry.type
class EnrolTotpPayload:
    secret: str | None = None
    provisioning_uri: str | None = strawberry.field(
        default=None, description="An otpauth:// URI for an authenticator app's QR code."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DisableTotpInput:
    password: str


_SENT = (
    "If that email address belongs to an account, we have sent an email to it. "
    "It can take a few minutes to arrive."
)


def _session(signed: sessions.SignedIn) -> SessionPayload:
    return SessionPayload(stage=signed.stage)


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        permission_classes=[Public],
        description="Email and password give a bearer token. Its stage says what is left to "
        "do: set a new password, enter the emailed code, or the authenticator code.",
    )
    async def sign_in(self, info: Info, input: SignInInput) -> SignInPayload:
        return await payload(
            SignInPayload,
            sessions.sign_in(
                info.context.actor,
                email=input.email,
                password=input.password,
                totp_code=input.totp_code,
            ),
            lambda s: SignInPayload(
                token=s.token, stage=s.stage, expires_at=s.expires_at, user=UserNode.of(s.user)
            ),
        )

    @strawberry.mutation(permission_classes=[AnySessionStage])
    async def sign_out(self, info: Info) -> DonePayload:
        await sessions.sign_out(info.context.actor)
        return DonePayload(ok=True, message="Signed out.")

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description="First sign-in: replace the temporary password. A code is then emailed.",
    )
    async def set_new_password(self, info: Info, input: SetNewPasswordInput) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.set_new_password(info.context.actor, new_password=input.new_password),
            _session,
        )

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description="First sign-in: the verification code emailed after the new password.",
    )
    async def verify_email_code(self, info: Info, input: CodeInput) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.verify_email_code(info.context.actor, code=input.code),
            _session,
        )

    @strawberry.mutation(permission_classes=[AnySessionStage])
    async def resend_verification_code(self, info: Info) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.resend_verification_code(info.context.actor),
            lambda _: DonePayload(ok=True, message="A new code is on its way."),
        )

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description="The authenticator app's code, when signIn answered TOTP_REQUIRED.",
    )
    async def verify_totp_code(self, info: Info, input: CodeInput) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.verify_totp_code(info.context.actor, code=input.code),
            _session,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Change your password; your other sessions are signed out.",
    )
    async def change_password(
        self, info: Info, input: ChangePasswordInput
    ) -> ChangePasswordPayload:
        return await payload(
            ChangePasswordPayload,
            sessions.change_password(
                info.context.actor,
                current_password=input.current_password,
                new_password=input.new_password,
            ),
            lambda revoked: ChangePasswordPayload(other_sessions_signed_out=revoked),
        )

    @strawberry.mutation(
        permission_classes=[Public],
        description="Forgotten password: emails a reset link and code. The answer is the same "
        "whether or not the email has an account.",
    )
    async def request_password_reset(self, info: Info, input: EmailInput) -> DonePayload:
        await recovery.request_code(
            info.context.actor, OneTimeCodePurpose.PASSWORD_RESET, email=input.email
        )
        return DonePayload(ok=True, message=_SENT)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Set a new password with the reset link's token, or email and code.",
    )
    async def reset_password(self, info: Info, input: SetPasswordWithCodeInput) -> DonePayload:
        return await payload(
            DonePayload,
            recovery.complete(
                info.context.actor,
                OneTimeCodePurpose.PASSWORD_RESET,
                new_password=input.new_password,
                token=input.token,
                email=input.email,
                code=input.code,
            ),
            lambda _: DonePayload(ok=True, message="Your password is set. Sign in with it."),
        )

    @strawberry.mutation(
        permission_classes=[Public],
        description="Activate your account: works for an email registered by the exam board.",
    )
    async def request_account_activation(self, info: Info, input: EmailInput) -> DonePayload:
        await recovery.request_code(
            info.context.actor, OneTimeCodePurpose.ACCOUNT_ACTIVATION, email=input.email
        )
        return DonePayload(ok=True, message=_SENT)

    @strawberry.mutation(
        permission_classes=[Public],
        description="Choose your password with the activation link's token, or email and code.",
    )
    async def activate_account(self, info: Info, input: SetPasswordWithCodeInput) -> DonePayload:
        return await payload(
            DonePayload,
            recovery.complete(
                info.context.actor,
                OneTimeCodePurpose.ACCOUNT_ACTIVATION,
                new_password=input.new_password,
                token=input.token,
                email=input.email,
                code=input.code,
            ),
            lambda _: DonePayload(ok=True, message="Your account is active. Sign in."),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Start setting up an authenticator app; confirm with confirmTotp.",
    )
    async def enrol_totp(self, info: Info) -> EnrolTotpPayload:
        return await payload(
            EnrolTotpPayload,
            sessions.enrol_totp(info.context.actor),
            lambda e: EnrolTotpPayload(secret=e.secret, provisioning_uri=e.provisioning_uri),
        )

    @strawberry.mutation(permission_classes=[SignedIn])
    async def confirm_totp(self, info: Info, input: CodeInput) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.confirm_totp(info.context.actor, code=input.code),
            lambda _: DonePayload(ok=True, message="Your authenticator app is set up."),
        )

    @strawberry.mutation(permission_classes=[SignedIn])
    async def disable_totp(self, info: Info, input: DisableTotpInput) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.disable_totp(info.context.actor, password=input.password),
            lambda _: DonePayload(ok=True, message="Your authenticator app is removed."),
        )


__all__ = ["AccountMutations", "AccountQueries"]
