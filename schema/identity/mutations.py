"""Identity's mutations: signing in and out, the first sign-in's steps, passwords and
authenticator apps."""

from typing import Annotated

import strawberry

from models.sessions import OneTimeCodePurpose
from resolvers.identity import recovery, sessions
from schema.core.arguments import INPUT
from schema.core.context import Info
from schema.core.errors import ErrorCode, error_codes, payload
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
        description="Anyone: email and password give a bearer token. Its stage says what is "
        "left to do: set a new password, enter the emailed code, or the authenticator code. "
        "Every attempt is written to the sign-in event log.",
    )
    async def sign_in(self, info: Info, input: Annotated[SignInInput, INPUT]) -> SignInPayload:
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

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description="End this session: its token stops working at once. Any session, even one "
        "still completing its first sign-in.",
    )
    async def sign_out(self, info: Info) -> DonePayload:
        await sessions.sign_out(info.context.actor)
        return DonePayload(ok=True, message="Signed out.")

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description=error_codes(
            "First sign-in, at stage PASSWORD_CHANGE_REQUIRED: replace the temporary password. "
            "A verification code is then emailed.",
            ErrorCode.PASSWORD_TOO_WEAK,
            ErrorCode.PASSWORD_REUSED,
        ),
    )
    async def set_new_password(
        self, info: Info, input: Annotated[SetNewPasswordInput, INPUT]
    ) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.set_new_password(info.context.actor, new_password=input.new_password),
            _session,
        )

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description=error_codes(
            "First sign-in, at stage VERIFICATION_REQUIRED: the code emailed after the new "
            "password (valid 10 minutes, a few attempts).",
            ErrorCode.CODE_INVALID,
            ErrorCode.CODE_EXPIRED,
            ErrorCode.TOO_MANY_ATTEMPTS,
        ),
    )
    async def verify_email_code(
        self, info: Info, input: Annotated[CodeInput, INPUT]
    ) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.verify_email_code(info.context.actor, code=input.code),
            _session,
        )

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description=error_codes(
            "First sign-in, at stage VERIFICATION_REQUIRED: email a new code; the earlier one "
            "stops working.",
            ErrorCode.TOO_MANY_ATTEMPTS,
        ),
    )
    async def resend_verification_code(self, info: Info) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.resend_verification_code(info.context.actor),
            lambda _: DonePayload(ok=True, message="A new code is on its way."),
        )

    @strawberry.mutation(
        permission_classes=[AnySessionStage],
        description=error_codes(
            "The authenticator app's code, when signIn answered TOTP_REQUIRED. A code works once.",
            ErrorCode.CODE_INVALID,
            ErrorCode.TOO_MANY_ATTEMPTS,
        ),
    )
    async def verify_totp_code(
        self, info: Info, input: Annotated[CodeInput, INPUT]
    ) -> SessionPayload:
        return await payload(
            SessionPayload,
            sessions.verify_totp_code(info.context.actor, code=input.code),
            _session,
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Any signed-in person: change your own password; your other sessions are "
        "signed out.",
    )
    async def change_password(
        self, info: Info, input: Annotated[ChangePasswordInput, INPUT]
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
        description="Anyone: forgotten password. Emails a reset link and code (valid 30 "
        "minutes). The answer is the same whether or not the email has an account, so `errors` "
        "hold only the input checks' codes.",
    )
    async def request_password_reset(
        self, info: Info, input: Annotated[EmailInput, INPUT]
    ) -> DonePayload:
        await recovery.request_code(
            info.context.actor, OneTimeCodePurpose.PASSWORD_RESET, email=input.email
        )
        return DonePayload(ok=True, message=_SENT)

    @strawberry.mutation(
        permission_classes=[Public],
        description=error_codes(
            "Anyone: set a new password with the reset link's token, or email and code; every "
            "session of the account is signed out.",
            ErrorCode.TOKEN_INVALID,
            ErrorCode.INVALID_INPUT,
            ErrorCode.PASSWORD_TOO_WEAK,
        ),
    )
    async def reset_password(
        self, info: Info, input: Annotated[SetPasswordWithCodeInput, INPUT]
    ) -> DonePayload:
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
        description="Anyone: ask for the activation email (link and code, valid 24 hours) of "
        "an account the exam board registered (registerUser). The answer is the same whether or "
        "not the email has such an account.",
    )
    async def request_account_activation(
        self, info: Info, input: Annotated[EmailInput, INPUT]
    ) -> DonePayload:
        await recovery.request_code(
            info.context.actor, OneTimeCodePurpose.ACCOUNT_ACTIVATION, email=input.email
        )
        return DonePayload(ok=True, message=_SENT)

    @strawberry.mutation(
        permission_classes=[Public],
        description=error_codes(
            "Anyone: choose your password with the activation link's token, or email and "
            "code; the account becomes ACTIVE.",
            ErrorCode.TOKEN_INVALID,
            ErrorCode.INVALID_INPUT,
            ErrorCode.PASSWORD_TOO_WEAK,
        ),
    )
    async def activate_account(
        self, info: Info, input: Annotated[SetPasswordWithCodeInput, INPUT]
    ) -> DonePayload:
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
        description=error_codes(
            "Any signed-in person: start setting up an authenticator app; confirm with "
            "confirmTotp. Until then sign-in does not ask for its codes.",
            ErrorCode.TOTP_ALREADY_ENABLED,
        ),
    )
    async def enrol_totp(self, info: Info) -> EnrolTotpPayload:
        return await payload(
            EnrolTotpPayload,
            sessions.enrol_totp(info.context.actor),
            lambda e: EnrolTotpPayload(secret=e.secret, provisioning_uri=e.provisioning_uri),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Finish setting up the authenticator app enrolTotp began, with its current code: "
            "from then on signing in asks for its codes too.",
            ErrorCode.CODE_INVALID,
            ErrorCode.TOTP_ALREADY_ENABLED,
            ErrorCode.TOTP_NOT_ENROLLED,
        ),
    )
    async def confirm_totp(self, info: Info, input: Annotated[CodeInput, INPUT]) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.confirm_totp(info.context.actor, code=input.code),
            lambda _: DonePayload(ok=True, message="Your authenticator app is set up."),
        )

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description=error_codes(
            "Remove your authenticator app, confirmed with your password: signing in no longer "
            "asks for its codes.",
            ErrorCode.PASSWORD_INCORRECT,
            ErrorCode.TOTP_NOT_ENROLLED,
        ),
    )
    async def disable_totp(
        self, info: Info, input: Annotated[DisableTotpInput, INPUT]
    ) -> DonePayload:
        return await payload(
            DonePayload,
            sessions.disable_totp(info.context.actor, password=input.password),
            lambda _: DonePayload(ok=True, message="Your authenticator app is removed."),
        )
