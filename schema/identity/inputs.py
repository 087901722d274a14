"""Inputs of identity: signing in, the first sign-in's steps, passwords and authenticator apps."""

import strawberry


@strawberry.input
class SignInInput:
    email: str
    password: str
    totp_code: str | None = strawberry.field(
        default=None, description="The authenticator app's code, if you have set one up."
    )


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


@strawberry.input
class DisableTotpInput:
    password: str
