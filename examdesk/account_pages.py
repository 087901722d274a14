"""The pages the emailed links open: choose a password from a reset or activation link.

Everything else is GraphQL; these two exist so that the links in the emails work without a
frontend. A frontend that serves its own pages sets EXAMDESK_PUBLIC_URL to its address and
calls completePasswordReset / activateAccount with the token instead.
"""

from collections.abc import Awaitable, Callable
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from examdesk.headers import page_csp
from examdesk.requests import request_meta
from models.sessions import OneTimeCodePurpose
from policies import Actor
from resolvers.core.errors import DomainError
from resolvers.identity.passwords import PASSWORD_RULES
from resolvers.identity.recovery import complete

_TITLES = {
    OneTimeCodePurpose.PASSWORD_RESET: "Choose a new password",
    OneTimeCodePurpose.ACCOUNT_ACTIVATION: "Activate your account",
}

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit}"
    "button{margin-top:1.5rem;padding:.5rem 1.5rem;font:inherit}"
    ".error{color:#a00}.done{color:#060}"
)
_CSP = page_csp(_STYLE)


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} - examdesk</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>",
        status_code=status,
        headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP},
    )


def _form(title: str, token: str, errors: list[str]) -> HTMLResponse:
    problems = "".join(f'<p class="error">{escape(e)}</p>' for e in errors)
    rules = "".join(f"<li>{escape(rule)}</li>" for rule in PASSWORD_RULES)
    return page(
        title,
        f"{problems}<p>Your password must:</p><ul>{rules}</ul>"
        f'<form method="post"><input type="hidden" name="token" value="{escape(token)}">'
        '<label for="password">New password</label>'
        '<input id="password" name="password" type="password" autocomplete="new-password" '
        "required>"
        '<label for="confirm">The same again</label>'
        '<input id="confirm" name="confirm" type="password" autocomplete="new-password" '
        "required>"
        "<button>Save password</button></form>",
        status=400 if errors else 200,
    )


def _endpoint(purpose: OneTimeCodePurpose) -> Callable[[Request], Awaitable[Response]]:
    title = _TITLES[purpose]

    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            token = request.query_params.get("token", "")
            if not token:
                return page(title, '<p class="error">This link is incomplete.</p>', 400)
            return _form(title, token, [])
        form = await request.form()
        token = str(form.get("token", ""))
        password = str(form.get("password", ""))
        if password != str(form.get("confirm", "")):
            return _form(title, token, ["The two passwords are not the same."])
        actor = Actor(request=request_meta(request))
        try:
            user = await complete(
                actor, purpose, new_password=password, token=token, email=None, code=None
            )
        except DomainError as error:
            return _form(title, token, [e.message for e in error.errors])
        return page(
            title,
            f'<p class="done">Your password is set. Sign in as {escape(user.email)} with it '
            "from now on.</p>",
        )

    return endpoint


ROUTES = [
    Route("/reset-password", _endpoint(OneTimeCodePurpose.PASSWORD_RESET), methods=["GET", "POST"]),
    Route("/activate", _endpoint(OneTimeCodePurpose.ACCOUNT_ACTIVATION), methods=["GET", "POST"]),
]
