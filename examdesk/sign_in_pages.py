"""The sign-in page the invitation's "Sign in to your account" link opens (GET/POST /sign-in).

Like the reset and activation pages (examdesk/account_pages.py) it exists so that the emailed
link works without a frontend; a frontend with its own sign-in sets EXAMDESK_SIGN_IN_URL. It
carries a person through the steps signIn starts, each done by the same use case GraphQL calls
(resolvers/identity/sessions.py), so the throttling, the answer that never tells an unknown
email from a wrong password, and the session stages are the same: sign in, choose a new
password if the one used was temporary, enter the emailed code, and the authenticator code if
one is set up.

Between steps the session token lives in a cookie (HttpOnly, SameSite=Strict, this path only).
Every POST must come from this server's own pages: its Origin (or, without one, its Referer)
must be the public URL's origin, so another site can neither sign someone in nor drive the
steps (the cookie's SameSite=Strict already keeps it off cross-site requests).

What "signed in" means without a frontend: once every step is done the account is ready, and
the page says so and how to go on (signIn in GraphiQL, then the token as a bearer token). It
then signs its own session out and forgets the cookie: a token nobody will use should not be
left behind in a browser.
"""

from html import escape
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from examdesk.account_pages import page
from examdesk.requests import request_meta
from models.sessions import SessionStage
from policies import AccessError, Actor
from resolvers.core.config import current
from resolvers.core.errors import DomainError
from resolvers.identity import sessions
from resolvers.identity.actors import resolve_actor
from resolvers.identity.passwords import PASSWORD_RULES

PATH = "/sign-in"
COOKIE = "examdesk_sign_in"
TITLE = "Sign in to examdesk"


def _errors(messages: list[str]) -> str:
    return "".join(f'<p class="error">{escape(m)}</p>' for m in messages)


def _form(step: str, fields: str, button: str) -> str:
    return (
        f'<form method="post"><input type="hidden" name="step" value="{step}">'
        f"{fields}<button>{escape(button)}</button></form>"
    )


def _field(name: str, label: str, kind: str, autocomplete: str, value: str = "") -> str:
    shown = f' value="{escape(value)}"' if value else ""
    return (
        f'<label for="{name}">{escape(label)}</label><input id="{name}" name="{name}" '
        f'type="{kind}" autocomplete="{autocomplete}"{shown} required>'
    )


def _sign_in_form(errors: list[str], email: str = "") -> str:
    return _errors(errors) + _form(
        "password",
        _field("email", "Email address", "email", "username", email)
        + _field("password", "Password", "password", "current-password"),
        "Sign in",
    )


def _stage_form(stage: SessionStage, errors: list[str]) -> str:
    """The form for the step the session is at."""
    if stage is SessionStage.PASSWORD_CHANGE_REQUIRED:
        rules = "".join(f"<li>{escape(rule)}</li>" for rule in PASSWORD_RULES)
        return (
            f"{_errors(errors)}<p>You signed in with a temporary password: choose your own. "
            f"It must:</p><ul>{rules}</ul>"
            + _form(
                "new_password",
                _field("password", "New password", "password", "new-password")
                + _field("confirm", "The same again", "password", "new-password"),
                "Set password",
            )
        )
    if stage is SessionStage.VERIFICATION_REQUIRED:
        return (
            f"{_errors(errors)}<p>We have emailed you a verification code. It can take a few "
            "minutes to arrive.</p>"
            + _form("code", _field("code", "Verification code", "text", "one-time-code"), "Verify")
            + _form("resend", "", "Email me another code")
        )
    return f"{_errors(errors)}<p>Enter the code your authenticator app shows.</p>" + _form(
        "totp", _field("code", "Authenticator code", "text", "one-time-code"), "Verify"
    )


def _done(email: str) -> str:
    graphql = f"{current().public_url}/graphql"
    return (
        f'<p class="done">You are signed in: your account {escape(email)} is ready.</p>'
        "<p>examdesk has no pages beyond this one. To use it, open "
        f'<a href="{escape(graphql)}">{escape(graphql)}</a> (GraphiQL), run the signIn mutation '
        "with your email address and password, and send the token it returns as the header "
        "<code>Authorization: Bearer &lt;token&gt;</code>; or use the application your centre "
        "gave you.</p><p>This page has signed itself out.</p>"
    )


def _respond(body: str, *, status: int = 200, token: str | None = None) -> HTMLResponse:
    response = page(TITLE, body, status)
    # Not the other pages' no-referrer: under it a browser sends "Origin: null" with the form,
    # and the Origin check could not tell this page from a sandboxed frame elsewhere. This URL
    # carries no token, and nothing is sent to other sites.
    response.headers["Referrer-Policy"] = "same-origin"
    if token:
        response.set_cookie(
            COOKIE,
            token,
            max_age=int(current().session_ttl.total_seconds()),
            path=PATH,
            secure=urlsplit(current().public_url).scheme == "https",
            httponly=True,
            samesite="strict",
        )
    return response


def _forget(response: Response) -> Response:
    response.delete_cookie(COOKIE, path=PATH, httponly=True, samesite="strict")
    return response


def _same_origin(request: Request) -> bool:
    """Whether a POST comes from a page of this server (the public URL's origin)."""
    expected = urlsplit(current().public_url)
    sent = request.headers.get("origin") or request.headers.get("referer") or ""
    given = urlsplit(sent)
    return bool(sent) and (given.scheme, given.netloc) == (expected.scheme, expected.netloc)


async def _actor(request: Request) -> Actor:
    return await resolve_actor(request.cookies.get(COOKIE), request_meta(request))


async def sign_in_page(request: Request) -> Response:
    if request.method == "POST":
        if not _same_origin(request):
            return _respond(_errors(["Open the sign-in page again and retry."]), status=403)
        return await _post(request)
    actor = await _actor(request)
    if actor.stage is None or actor.stage is SessionStage.FULL:
        return _forget(_respond(_sign_in_form([])))
    return _respond(_stage_form(actor.stage, []))


async def _post(request: Request) -> Response:
    form = await request.form()
    step = str(form.get("step", ""))
    if step == "password":
        return await _sign_in(request, str(form.get("email", "")), str(form.get("password", "")))
    actor = await _actor(request)
    if actor.stage is None or actor.stage is SessionStage.FULL:
        ended = "Your sign-in on this page has ended: sign in again."
        return _forget(_respond(_sign_in_form([ended]), status=400))
    try:
        return await _step(actor, actor.stage, step, form)
    except DomainError as error:
        return _respond(_stage_form(actor.stage, [e.message for e in error.errors]), status=400)
    except AccessError:
        # A form from an earlier step, posted again: show the step the session is at.
        return _respond(_stage_form(actor.stage, []), status=400)


async def _sign_in(request: Request, email: str, password: str) -> Response:
    earlier = await _actor(request)
    if earlier.stage is not None:
        # Signing in again on this page replaces the sign-in its cookie held: end that session
        # rather than leave it live with nobody holding its token.
        await sessions.sign_out(earlier)
    actor = Actor(request=request_meta(request))
    try:
        signed = await sessions.sign_in(actor, email=email, password=password, totp_code=None)
    except DomainError as error:
        return _respond(_sign_in_form([e.message for e in error.errors], email), status=400)
    assert signed.token is not None
    if signed.stage is SessionStage.FULL:
        await sessions.sign_out(await resolve_actor(signed.token, actor.request))
        return _forget(_respond(_done(signed.user.email)))
    return _respond(_stage_form(signed.stage, []), token=signed.token)


async def _step(actor: Actor, stage: SessionStage, step: str, form: FormData) -> Response:
    """One step after signing in, by the use case GraphQL's mutation for it calls."""
    values = {key: str(value) for key, value in form.items()}
    if step == "new_password":
        if values.get("password", "") != values.get("confirm", ""):
            return _respond(_stage_form(stage, ["The two passwords are not the same."]), status=400)
        signed = await sessions.set_new_password(actor, new_password=values.get("password", ""))
    elif step == "code":
        signed = await sessions.verify_email_code(actor, code=values.get("code", ""))
    elif step == "totp":
        signed = await sessions.verify_totp_code(actor, code=values.get("code", ""))
    elif step == "resend":
        await sessions.resend_verification_code(actor)
        return _respond(_stage_form(SessionStage.VERIFICATION_REQUIRED, []))
    else:
        return _respond(_stage_form(stage, []), status=400)
    if signed.stage is not SessionStage.FULL:
        return _respond(_stage_form(signed.stage, []))
    await sessions.sign_out(actor)
    return _forget(_respond(_done(signed.user.email)))


ROUTES = [Route(PATH, sign_in_page, methods=["GET", "POST"])]
