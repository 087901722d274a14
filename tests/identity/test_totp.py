"""Authenticator apps (DESIGN 6): enrol, confirm, sign in with the code in one step or two,
and remove the app only with the password."""

import asyncio
from datetime import timedelta

import pyotp
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

ENROL = "mutation { enrolTotp { secret provisioningUri errors { code message } } }"
CONFIRM = """
mutation($input: CodeInput!) { confirmTotp(input: $input) { ok errors { code message field } } }
"""
VERIFY = """
mutation($input: CodeInput!) {
  verifyTotpCode(input: $input) { stage errors { code message field } }
}"""
DISABLE = """
mutation($input: DisableTotpInput!) {
  disableTotp(input: $input) { ok errors { code message field } }
}"""
SIGN_IN = """
mutation($input: SignInInput!) { signIn(input: $input) { token stage errors { code field } } }
"""
ME = "{ me { user { email totpEnabled } } }"

EMAIL = "eo@aa101.example"


def code_now(secret: str) -> str:
    """The authenticator's code at the server's time (the tests' clock)."""
    return pyotp.TOTP(secret).at(clock.now())


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def wrong_code(secret: str) -> str:
    """A code that is not valid now, nor in the step either side of now."""
    totp = pyotp.TOTP(secret)
    now = clock.now()
    valid = {totp.at(now + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


async def sign_in(gql: GraphQLClient, password: str = DEMO_PASSWORD, **extra: str) -> dict:
    variables = {"input": {"email": EMAIL, "password": password, **extra}}
    return (await gql.ok(SIGN_IN, variables))["signIn"]


async def enrolled(gql: GraphQLClient) -> tuple[str, str]:
    """Set up an authenticator app for EMAIL; return the session token and the secret."""
    token = await gql.sign_in(EMAIL)
    enrolment = (await gql.ok(ENROL, token=token))["enrolTotp"]
    secret = enrolment["secret"]
    confirmed = await gql.ok(CONFIRM, {"input": {"code": code_now(secret)}}, token=token)
    assert confirmed["confirmTotp"] == {"ok": True, "errors": []}
    # The confirmation spent this time step's code: the app shows the next one 30 s later.
    clock.advance(timedelta(seconds=30))
    return token, secret


async def test_enrol_gives_a_provisioning_uri_and_confirm_turns_it_on(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in(EMAIL)
    not_yet = await gql.ok(CONFIRM, {"input": {"code": "123456"}}, token=token)
    assert codes(not_yet["confirmTotp"]) == ["TOTP_NOT_ENROLLED"]

    enrolment = (await gql.ok(ENROL, token=token))["enrolTotp"]
    assert enrolment["errors"] == []
    uri = enrolment["provisioningUri"]
    assert uri.startswith("otpauth://totp/")
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == enrolment["secret"]
    assert parsed.issuer == "examdesk"
    assert parsed.name == EMAIL

    wrong = await gql.ok(CONFIRM, {"input": {"code": wrong_code(parsed.secret)}}, token=token)
    assert codes(wrong["confirmTotp"]) == ["CODE_INVALID"]
    assert (await gql.ok(ME, token=token))["me"]["user"]["totpEnabled"] is False

    right = await gql.ok(CONFIRM, {"input": {"code": parsed.at(clock.now())}}, token=token)
    assert right["confirmTotp"] == {"ok": True, "errors": []}
    assert (await gql.ok(ME, token=token))["me"]["user"]["totpEnabled"] is True
    again = (await gql.ok(ENROL, token=token))["enrolTotp"]
    assert codes(again) == ["TOTP_ALREADY_ENABLED"]
    assert again["secret"] is None


async def test_sign_in_asks_for_the_code_then_accepts_it(
    demo: Starlette, gql: GraphQLClient
) -> None:
    _, secret = await enrolled(gql)
    signed = await sign_in(gql)
    assert signed["errors"] == []
    assert signed["stage"] == "TOTP_REQUIRED"
    token = signed["token"]

    body = await gql.post(ME, token=token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "verifyTotpCode" in body["errors"][0]["message"]

    wrong = (await gql.ok(VERIFY, {"input": {"code": wrong_code(secret)}}, token=token))[
        "verifyTotpCode"
    ]
    assert wrong["stage"] is None
    assert codes(wrong) == ["CODE_INVALID"]
    assert wrong["errors"][0]["field"] == ["input", "code"]

    right = (await gql.ok(VERIFY, {"input": {"code": code_now(secret)}}, token=token))[
        "verifyTotpCode"
    ]
    assert right == {"stage": "FULL", "errors": []}
    assert (await gql.ok(ME, token=token))["me"]["user"]["email"] == EMAIL


async def test_sign_in_with_the_code_in_one_step(demo: Starlette, gql: GraphQLClient) -> None:
    _, secret = await enrolled(gql)
    signed = await sign_in(gql, totpCode=code_now(secret))
    assert signed["stage"] == "FULL"
    assert (await gql.ok(ME, token=signed["token"]))["me"]["user"]["email"] == EMAIL

    wrong = await sign_in(gql, totpCode=wrong_code(secret))
    assert wrong["token"] is None
    assert wrong["errors"] == [{"code": "CODE_INVALID", "field": ["input", "totpCode"]}]
    # A wrong password with a right code is still just a wrong password.
    wrong_password = await sign_in(gql, "Not-The-Password-1", totpCode=code_now(secret))
    assert codes(wrong_password) == ["INVALID_CREDENTIALS"]


async def test_wrong_codes_end_the_session_and_throttle(
    demo: Starlette, gql: GraphQLClient
) -> None:
    _, secret = await enrolled(gql)
    token = (await sign_in(gql))["token"]
    for _ in range(4):
        wrong = await gql.ok(VERIFY, {"input": {"code": wrong_code(secret)}}, token=token)
        assert codes(wrong["verifyTotpCode"]) == ["CODE_INVALID"]
    last = await gql.ok(VERIFY, {"input": {"code": wrong_code(secret)}}, token=token)
    assert codes(last["verifyTotpCode"]) == ["TOO_MANY_ATTEMPTS"]
    body = await gql.post(VERIFY, {"input": {"code": code_now(secret)}}, token=token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert codes(await sign_in(gql, totpCode=code_now(secret))) == ["SIGN_IN_THROTTLED"]


async def test_disabling_needs_the_password(demo: Starlette, gql: GraphQLClient) -> None:
    token, _ = await enrolled(gql)
    refused = await gql.ok(DISABLE, {"input": {"password": "Not-The-Password-1"}}, token=token)
    assert codes(refused["disableTotp"]) == ["PASSWORD_INCORRECT"]
    assert refused["disableTotp"]["errors"][0]["field"] == ["input", "password"]
    assert (await gql.ok(ME, token=token))["me"]["user"]["totpEnabled"] is True

    done = await gql.ok(DISABLE, {"input": {"password": DEMO_PASSWORD}}, token=token)
    assert done["disableTotp"] == {"ok": True, "errors": []}
    assert (await gql.ok(ME, token=token))["me"]["user"]["totpEnabled"] is False
    assert (await sign_in(gql))["stage"] == "FULL"
    again = await gql.ok(DISABLE, {"input": {"password": DEMO_PASSWORD}}, token=token)
    assert codes(again["disableTotp"]) == ["TOTP_NOT_ENROLLED"]


async def test_authenticator_mutations_need_a_full_session(
    demo: Starlette, gql: GraphQLClient
) -> None:
    for query, variables in (
        (ENROL, None),
        (CONFIRM, {"input": {"code": "123456"}}),
        (DISABLE, {"input": {"password": DEMO_PASSWORD}}),
    ):
        body = await gql.post(query, variables)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await enrolled(gql)
    halfway = (await sign_in(gql))["token"]
    body = await gql.post(DISABLE, {"input": {"password": DEMO_PASSWORD}}, token=halfway)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- a code works once (RFC 6238, section 5.2) ------------------------------------------------


def code_at(secret: str, seconds: int) -> str:
    """The authenticator's code `seconds` from now (one step is 30 s)."""
    return pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=seconds))


async def test_a_code_accepted_by_sign_in_is_refused_afterwards(
    demo: Starlette, gql: GraphQLClient
) -> None:
    _, secret = await enrolled(gql)
    clock.advance(timedelta(minutes=2))  # well past the step the confirmation spent
    code = code_now(secret)
    assert (await sign_in(gql, totpCode=code))["stage"] == "FULL"

    again = await sign_in(gql, totpCode=code)
    assert again["token"] is None
    assert again["errors"] == [{"code": "CODE_INVALID", "field": ["input", "totpCode"]}]
    # The step before, still inside the window the server accepts, is refused as well ...
    earlier = await sign_in(gql, totpCode=code_at(secret, -30))
    assert earlier["errors"] == [{"code": "CODE_INVALID", "field": ["input", "totpCode"]}]
    # ... and the app's next code works.
    clock.advance(timedelta(seconds=30))
    assert (await sign_in(gql, totpCode=code_now(secret)))["stage"] == "FULL"


async def test_a_code_accepted_by_verify_totp_code_is_refused_afterwards(
    demo: Starlette, gql: GraphQLClient
) -> None:
    _, secret = await enrolled(gql)
    clock.advance(timedelta(minutes=2))
    code = code_now(secret)
    first = (await sign_in(gql))["token"]
    right = await gql.ok(VERIFY, {"input": {"code": code}}, token=first)
    assert right["verifyTotpCode"] == {"stage": "FULL", "errors": []}

    second = (await sign_in(gql))["token"]
    for replayed in (code, code_at(secret, -30)):
        refused = (await gql.ok(VERIFY, {"input": {"code": replayed}}, token=second))[
            "verifyTotpCode"
        ]
        assert refused["stage"] is None
        assert codes(refused) == ["CODE_INVALID"]
        assert "used already" in refused["errors"][0]["message"]
    body = await gql.post(ME, token=second)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_code_that_confirmed_the_app_does_not_sign_in(
    demo: Starlette, gql: GraphQLClient
) -> None:
    token = await gql.sign_in(EMAIL)
    secret = (await gql.ok(ENROL, token=token))["enrolTotp"]["secret"]
    code = code_now(secret)
    confirmed = await gql.ok(CONFIRM, {"input": {"code": code}}, token=token)
    assert confirmed["confirmTotp"] == {"ok": True, "errors": []}
    replayed = await sign_in(gql, totpCode=code)
    assert replayed["token"] is None
    assert codes(replayed) == ["CODE_INVALID"]


async def test_two_sign_ins_racing_with_one_code_let_one_in(
    demo: Starlette, gql: GraphQLClient
) -> None:
    _, secret = await enrolled(gql)
    clock.advance(timedelta(minutes=2))
    first, second = (await sign_in(gql))["token"], (await sign_in(gql))["token"]
    code = code_now(secret)
    answers = await asyncio.gather(
        *(gql.ok(VERIFY, {"input": {"code": code}}, token=t) for t in (first, second))
    )
    stages = sorted(str(a["verifyTotpCode"]["stage"]) for a in answers)
    assert stages == ["FULL", "None"]
