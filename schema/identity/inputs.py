"""Inputs of identity: signing in, the first sign-in's steps, passwords and authenticator apps."""

from typing import Any

import strawberry

# README "Password policy"; the length limit is appended from schema/core/input_rules.py.
_NEW_PASSWORD = (
    "The password to set: 10 or more characters with an upper-case letter, a lower-case letter "
    'and a digit; not a common password, nor containing your name or email (README "Password '
    'policy"). PASSWORD_TOO_WEAK says why one is refused.'
)


def _new_password() -> Any:
    return strawberry.field(description=_NEW_PASSWORD)


@strawberry.input(
    description="Your email and password, and your authenticator code if you have one."
)
class SignInInput:
    email: str = strawberry.field(description="Your account's email address, in any case.")
    password: str = strawberry.field(
        description="Your password, or the temporary one from your invitation email."
    )
    totp_code: str | None = strawberry.field(
        default=None,
        description="The authenticator app's current 6-digit code, if you have set one up; "
        "without it such an account signs in at stage TOTP_REQUIRED.",
    )


@strawberry.input(description="The password replacing the temporary one at the first sign-in.")
class SetNewPasswordInput:
    new_password: str = _new_password()


@strawberry.input(description="A code you were given: emailed, or shown by your authenticator app.")
class CodeInput:
    code: str = strawberry.field(
        description="The code as emailed, or the 6 digits the authenticator app shows now."
    )


@strawberry.input(description="Your current password, to prove it is you, and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(description="The password you signed in with.")
    new_password: str = _new_password()


@strawberry.input(description="An email address to send a link and code to.")
class EmailInput:
    email: str = strawberry.field(
        description="The account's email address; the answer is the same whether or not it "
        "has an account."
    )


@strawberry.input(
    description="The new password and proof that the email is yours: the link's `token`, or "
    "`email` with the emailed `code`."
)
class SetPasswordWithCodeInput:
    new_password: str = _new_password()
    token: str | None = strawberry.field(default=None, description="The token from the link.")
    email: str | None = strawberry.field(
        default=None, description="With `code`, instead of the link's token."
    )
    code: str | None = strawberry.field(
        default=None, description="The code from the email, with `email`; instead of `token`."
    )


@strawberry.input(description="Your password, to confirm removing the authenticator app.")
class DisableTotpInput:
    password: str = strawberry.field(description="Your current password.")
