"""Security headers on every response, and the Content-Security-Policy of each kind of page.

Most responses are JSON, which a browser must never render, frame or run: they get a policy that
allows nothing. The HTML pages (GraphiQL, the two account pages and the candidates' results page)
set their own policy, which this middleware leaves as it is.

Nothing examdesk answers may be kept by a browser or proxy cache: the GraphQL answers, the pages
and the downloads are someone's own (marks, candidates, one-time links), and even a refusal says
something about who asked. So every response is `Cache-Control: no-store`, set here once rather
than route by route; only GraphiQL's own scripts and styles, the same for everyone, say otherwise
(examdesk/graphiql.py).
"""

import base64
import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Nothing may load, nothing may frame the response, no <base> or form may point elsewhere.
NOTHING_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

# A year; HTTPS-only for the host and its subdomains once a browser has seen it.
HSTS = "max-age=31536000; includeSubDomains"


def graphiql_csp(nonce: str) -> str:
    """The GraphiQL page: its own scripts (by nonce; each also pinned by its integrity hash),
    styles and images from this server, and requests back to this server only."""
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'nonce-{nonce}'",
            # React and CodeMirror set styles through the DOM, which a policy does not govern: no
            # 'unsafe-inline' needed.
            "style-src 'self'",
            # GraphiQL's stylesheet carries its fonts inline.
            "font-src data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


def page_csp(style: str) -> str:
    """A server-rendered page with one inline <style> (allowed by its hash) and a form that
    posts back to this server; no script at all."""
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


class SecurityHeadersMiddleware:
    """Adds the headers every response carries, keeping any a route set itself."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.defaults = {
            "Content-Security-Policy": NOTHING_CSP,
            # For browsers without frame-ancestors.
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            # The account pages' URLs carry one-time tokens; no page should leak its URL.
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        }
        if hsts:
            # Production only: in development the server is plain HTTP on localhost.
            self.defaults["Strict-Transport-Security"] = HSTS
        # As ASGI carries them, encoded once rather than for every response.
        self.raw_defaults = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in self.defaults.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                present = {name.lower() for name, _ in headers}
                message["headers"] = [
                    *headers,
                    *(pair for pair in self.raw_defaults if pair[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
