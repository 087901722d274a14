"""Identity's mutations: signing in and out, the first sign-in's steps, passwords and
authenticator apps."""

import strawberry

from models.sessions import OneTimeCodePurpose
from resolvers.identity import recovery, sessions
from schema.core.context import Info
from schema.core.errors import payload
from schema.core.payloads import DonePayload
from schema.core.permissions import AnySessionStage, Public, SignedIn
from schema.identity.inputs import (
    ChangePasswordInput,
    CodeInput,
    DisableTotpInput,
    EmailInput,
    SetNewPasswordInput,
    SetPasswordWithCodeInput,
    SignInInput,
)
from schema.identity.payloads import (
    ChangePasswordPayload,
    EnrolTotpPayload,
    SessionPayload,
    SignInPayload,
)
from schema.people.types import UserNode

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
