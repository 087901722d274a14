"""The candidates' results page, at the site root: the address the results letters print
(resolvers/results_website/credential_documents.py, "Go to <public URL> and sign in"). A candidate
signs in with the username and password from the letter, reads their own results and signs out.

Server-rendered like examdesk/account_pages.py: no script, one inline style allowed by its hash,
everything escaped. The rules are the GraphQL ones (resolvers/results_website/candidate_sessions.py:
the sign-in with its throttling and one answer for every failure, and what is shown when); this
module only renders them. Text inputs get the limits of signInCandidate's input.

The candidate's token lives in an HttpOnly, SameSite=Strict cookie under the public URL's path,
Secure (and, at the root, named with the `__Host-` prefix) when that URL is https. The forms are
guarded against cross-site posting by SameSite=Strict and a double-submit token: a random value
in a second cookie that each form repeats in a hidden field. Checking the Origin header would not
do: every response carries `Referrer-Policy: no-referrer`, under which a browser posts a form
with `Origin: null`.
"""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from examdesk.headers import page_csp
from examdesk.requests import request_meta
from policies import AccessError, Actor
from resolvers.core import clock
from resolvers.core.config import current
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.core.tokens import hash_token
from resolvers.identity.actors import resolve_candidate
from resolvers.results_website.candidate_sessions import (
    CandidateResults,
    SeriesResults,
    candidate_results,
    sign_in_candidate,
    sign_out_candidate,
)
from schema.core.input_checks import character_problem
from schema.core.input_rules import rule_for

TITLE = "Candidate results"
SESSION_COOKIE = "examdesk_results"
CSRF_COOKIE = "examdesk_results_csrf"
# Both cookies hold secrets.token_urlsafe(32); anything else in them is not ours.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
_FIELDS = {"username": "Username", "password": "Password"}
_RULES = {name: rule_for(f"SignInCandidateInput.{name}", name) for name in _FIELDS}
SIGNED_OUT = "You have signed out."
SESSION_ENDED = "Your session has ended. Sign in again to see your results."
REFUSED = (
    "This form was out of date or did not come from this website, so nothing was done. "
    "Please try again; your browser must accept this website's cookies."
)

_STYLE = (
    "html{-webkit-text-size-adjust:100%}"
    "body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:40rem;"
    "margin:0 auto;padding:1rem;overflow-wrap:anywhere}"
    "h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .5rem}"
    "label{display:block;margin:1rem 0 .25rem;font-weight:600}"
    "input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;color:inherit;"
    "border:2px solid #555;border-radius:4px}input[aria-invalid=true]{border-color:#a00000}"
    "button{margin-top:1.5rem;min-height:44px;padding:.6rem 1.5rem;font:inherit;color:#fff;"
    "background:#1d4f91;border:0;border-radius:4px;cursor:pointer}"
    ":focus-visible{outline:3px solid #1d4f91;outline-offset:2px}"
    ".alert,.status,.notice{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid}"
    ".alert,.error{color:#a00000}.error{margin:.25rem 0}.status{border-color:#0b5d1e}"
    ".notice{background:#fff4d6;border-color:#8a6100}"
    "table{width:100%;border-collapse:collapse}"
    "th,td{text-align:left;vertical-align:top;padding:.5rem .25rem;border-bottom:1px solid #bbb}"
    ".grade{font-weight:700;white-space:nowrap;text-align:right}"
)
_CSP = page_csp(_STYLE)


@dataclass(frozen=True)
class _Cookies:
    """Where the page's cookies live: under the public URL's path, which is the page's address."""

    path: str
    secure: bool

    @classmethod
    def here(cls) -> "_Cookies":
        url = urlsplit(current().public_url)
        return cls(path=url.path.rstrip("/") or "/", secure=url.scheme == "https")

    def name(self, base: str) -> str:
        # The prefix makes a browser refuse the cookie from a subdomain or over plain HTTP.
        return f"__Host-{base}" if self.secure and self.path == "/" else base

    def read(self, request: Request, base: str) -> str | None:
        """The cookie's value, None when absent; "" when it holds something not ours."""
        value = request.cookies.get(self.name(base))
        if value is None:
            return None
        return value if _TOKEN.fullmatch(value) else ""

    def put(self, response: Response, base: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(
            self.name(base),
            value,
            max_age=max_age,
            path=self.path,
            secure=self.secure,
            httponly=True,
            samesite="strict",
        )

    def drop(self, response: Response, base: str) -> None:
        response.delete_cookie(
            self.name(base), path=self.path, secure=self.secure, httponly=True, samesite="strict"
        )


def _when(moment: datetime) -> str:
    # As the letter writes it.
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _page(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{TITLE}</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{TITLE}</h1>{body}</main></body></html>",
        status_code=status,
        headers={"Cache-Control": "no-store", "Content-Security-Policy": _CSP},
    )


def _hidden(action: str, csrf: str) -> str:
    return (
        f'<input type="hidden" name="action" value="{action}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
    )


def _field(name: str, kind: str, value: str, autocomplete: str, error: str | None) -> str:
    described = ""
    problem = ""
    if error is not None:
        described = f' aria-describedby="{name}-error" aria-invalid="true"'
        problem = f'<p class="error" id="{name}-error">{escape(error)}</p>'
    extra = ' autocapitalize="none" spellcheck="false"' if kind == "text" else ""
    shown = f' value="{escape(value)}"' if value else ""
    return (
        f'<label for="{name}">{_FIELDS[name]}</label>{problem}'
        f'<input id="{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" '
        f'maxlength="{_RULES[name].max_length}" required{extra}{shown}{described}>'
    )


def _sign_in_form(
    csrf: str,
    *,
    username: str = "",
    alert: str | None = None,
    status_note: str | None = None,
    errors: dict[str, str] | None = None,
) -> str:
    errors = errors or {}
    messages = [alert] if alert else list(errors.values())
    top = ""
    if messages:
        items = "".join(f"<p>{escape(m)}</p>" for m in messages)
        top = f'<div class="alert" role="alert">{items}</div>'
    elif status_note:
        top = f'<p class="status" role="status">{escape(status_note)}</p>'
    return (
        f"{top}<p>Sign in with the username and password in the letter your centre gave you, "
        "'Confidential examination results information'. If you cannot sign in, ask your "
        "centre's exams office.</p>"
        f'<form method="post">{_hidden("sign-in", csrf)}'
        f"{_field('username', 'text', username, 'username', errors.get('username'))}"
        f"{_field('password', 'password', '', 'current-password', errors.get('password'))}"
        "<button>Sign in</button></form>"
    )


def _series_html(found: SeriesResults) -> str:
    heading = f"<h2>Exam series {escape(found.series.code)}</h2>"
    if not found.available:
        return (
            f"{heading}<p>Your results for this series will be available from "
            f"{escape(_when(found.available_from))}.</p>"
        )
    if not found.results:
        return f"{heading}<p>You have no results in this series.</p>"
    rows = "".join(
        f"<tr><td>{escape(r.syllabus.code)} {escape(r.syllabus.title)}</td>"
        f'<td class="grade">{escape(r.grade) if r.grade else "Not yet available"}</td></tr>'
        for r in found.results
    )
    return (
        f'{heading}<table><thead><tr><th scope="col">Syllabus</th>'
        f'<th scope="col" class="grade">Grade</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _results_html(found: CandidateResults, csrf: str) -> str:
    candidate, centre = found.candidate, found.centre
    series = "".join(_series_html(s) for s in found.series) or (
        "<p>Your centre has not given you access to any results.</p>"
    )
    return (
        f"<p>Signed in as <strong>{escape(candidate.full_name)}</strong>, candidate number "
        f"{escape(candidate.candidate_number)} at {escape(centre.name)} "
        f"({escape(centre.code)}).</p>"
        f'<p class="notice"><strong>Important:</strong> {escape(found.notice)}</p>'
        f'{series}<form method="post">{_hidden("sign-out", csrf)}'
        "<button>Sign out</button></form>"
    )


async def _candidate(request: Request, token: str | None) -> Actor | None:
    if not token:
        return None
    return await resolve_candidate(hash_token(token), request_meta(request))


async def _show(request: Request) -> Response:
    """GET: the candidate's results, or the sign-in form."""
    cookies = _Cookies.here()
    csrf = cookies.read(request, CSRF_COOKIE) or secrets.token_urlsafe(32)
    token = cookies.read(request, SESSION_COOKIE)
    actor = await _candidate(request, token)
    found = None
    if actor is not None:
        try:
            found = await candidate_results(actor)
        except AccessError:  # the centre changed its mind since the token was checked
            found = None
    if found is not None:
        response = _page(_results_html(found, csrf))
    elif token is not None:
        response = _page(_sign_in_form(csrf, status_note=SESSION_ENDED))
        cookies.drop(response, SESSION_COOKIE)
    else:
        note = SIGNED_OUT if "signed-out" in request.query_params else None
        response = _page(_sign_in_form(csrf, status_note=note))
    cookies.put(response, CSRF_COOKIE, csrf)
    return response


async def _form(request: Request) -> dict[str, str]:
    """The posted fields; only an HTML form's own encoding is read, and only text values."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return {}
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _problems(fields: dict[str, str]) -> dict[str, str]:
    """What signInCandidate's input checks would refuse, per field, in the page's words."""
    found = {}
    for name, label in _FIELDS.items():
        rule = _RULES[name]
        value = fields.get(name, "")
        if len(value) > rule.max_length:
            found[name] = f"{label} is too long: at most {rule.max_length:,} characters."
        elif (problem := character_problem(value, rule)) is not None:
            found[name] = f"{label} {problem}."
    return found


async def _signing_in(
    request: Request, cookies: _Cookies, csrf: str, fields: dict[str, str]
) -> Response:
    username = fields.get("username", "")
    errors = _problems(fields)
    shown = "" if "username" in errors else username
    if errors:
        return _page(_sign_in_form(csrf, username=shown, errors=errors), 400)
    actor = Actor(request=request_meta(request))
    try:
        signed = await sign_in_candidate(
            actor, username=username, password=fields.get("password", "")
        )
    except DomainError as error:
        throttled = any(e.code is ErrorCode.SIGN_IN_THROTTLED for e in error.errors)
        alert = " ".join(e.message for e in error.errors)
        return _page(_sign_in_form(csrf, username=shown, alert=alert), 429 if throttled else 400)
    # Back to the page by GET, so that reloading it does not post the password again.
    response = RedirectResponse(cookies.path, status_code=303)
    lifetime = round((signed.expires_at - clock.now()).total_seconds())
    cookies.put(response, SESSION_COOKIE, signed.token, max_age=lifetime)
    return response


async def _signing_out(request: Request, cookies: _Cookies) -> Response:
    actor = await _candidate(request, cookies.read(request, SESSION_COOKIE))
    if actor is not None:
        await sign_out_candidate(actor)
    response = RedirectResponse(f"{cookies.path}?signed-out", status_code=303)
    cookies.drop(response, SESSION_COOKIE)
    return response


async def _act(request: Request) -> Response:
    """POST: sign in or out, if the form carries the token of the browser's own cookie."""
    cookies = _Cookies.here()
    fields = await _form(request)
    csrf = cookies.read(request, CSRF_COOKIE)
    if not csrf or not hmac.compare_digest(csrf.encode(), fields.get("csrf", "").encode()):
        fresh = secrets.token_urlsafe(32)
        response = _page(_sign_in_form(fresh, alert=REFUSED), 403)
        cookies.put(response, CSRF_COOKIE, fresh)
        return response
    action = fields.get("action")
    if action == "sign-out":
        return await _signing_out(request, cookies)
    if action == "sign-in":
        return await _signing_in(request, cookies, csrf, fields)
    return _page(
        _sign_in_form(csrf, alert="The form did not say what to do. Please try again."), 400
    )


async def results_page(request: Request) -> Response:
    return await _act(request) if request.method == "POST" else await _show(request)


ROUTES = [Route("/", results_page, methods=["GET", "POST"])]
