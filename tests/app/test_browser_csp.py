"""The pages (GraphiQL, the account pages, the candidates' results page) still work under their
Content-Security-Policy, in a real browser: Chromium through Playwright, against the app behind
uvicorn, with every request to anywhere but this server refused (as on a machine without
internet). Skipped when either is missing (Debian's chromium at /usr/bin/chromium, or
$EXAMDESK_CHROMIUM; `pip install playwright`).

GraphiQL is used as an admin would: sign in on its page, run a query, open the docs, sign out;
the password is then nowhere the browser keeps things.
"""

import contextlib
import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD, DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins, seed_demo
from models.mail import OutboxMessage
from resolvers.core.config import configure, current
from tests.helpers.app import serving
from tests.helpers.graphql import GraphQLClient

playwright = pytest.importorskip("playwright.async_api")
CHROMIUM = os.environ.get("EXAMDESK_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium to run the pages in")
ADMIN = "slt@aa101.example"
NEWCOMER = "rosalind.franklin@cc303.example"
TEMPORARY = "Lantern-Harbour-2026"
CHOSEN = "Double-Helix-Photo-51"

# Reports every violation of the page's policy, whatever the browser also logs.
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
"""


class Page:
    """A browser page that records CSP violations, console errors and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        self.urls: list[str] = []
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("framenavigated", lambda frame: self.urls.append(frame.url))

    async def violations(self) -> list[str]:
        reported = await self.page.evaluate("window.violations")
        return [*reported, *(m for m in self.console if "Content Security Policy" in m)]

    async def assert_injected_script_is_blocked(self) -> None:
        """What an HTML injection would add, a <script> without the nonce, does not run."""
        before = len(await self.page.evaluate("window.violations"))
        with contextlib.suppress(playwright.Error):
            await self.page.add_script_tag(content="window.injected = true;")
        assert await self.page.evaluate("window.injected") is None
        added = (await self.page.evaluate("window.violations"))[before:]
        assert [v.split(" ")[0] for v in added] == ["script-src-elem"], added


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright.async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def new_page(browser: Any, blocked: list[str] | None = None) -> Page:
    """A page in a fresh context that reaches this machine only; whatever else it asks for is
    refused and listed in `blocked`."""
    context = await browser.new_context()
    await context.add_init_script(RECORD_VIOLATIONS)

    async def only_this_machine(route: Any) -> None:
        if route.request.url.startswith(("http://127.0.0.1:", "data:")):
            await route.continue_()
            return
        if blocked is not None:
            blocked.append(route.request.url)
        await route.abort()

    await context.route("**/*", only_this_machine)
    return Page(await context.new_page())


async def run_query(page: Any, query: str) -> None:
    """Types the query into GraphiQL's editor, as a person would, and runs it."""
    await page.locator(".graphiql-query-editor .CodeMirror").click()
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")
    # The editor closes brackets as they are typed: the query is typed without its closing ones.
    await page.keyboard.type(query.rstrip("} "))
    await page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()


async def stored(page: Any) -> str:
    """Everything the page's origin keeps in the browser (storage and cookies), as one text."""
    storage = await page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    return storage + json.dumps(await page.context.cookies())


async def test_an_admin_signs_in_queries_reads_the_docs_and_signs_out_in_graphiql(
    app: Starlette, browser: Any
) -> None:
    await seed_demo()
    blocked: list[str] = []
    async with serving(app) as url:
        page = await new_page(browser, blocked)
        p = page.page
        await p.goto(f"{url}/graphql")
        entries = await p.evaluate("history.length")
        # A wrong password: the page says so and keeps nobody signed in.
        await p.get_by_label("Email", exact=True).fill(ADMIN)
        await p.get_by_label("Password", exact=True).fill("Not-The-Password-2026")
        await p.get_by_role("button", name="Sign in").click()
        await p.get_by_role("status").get_by_text("incorrect").wait_for(timeout=10_000)

        await p.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        await p.get_by_role("button", name="Sign in").click()
        await p.locator("#who").get_by_text(f"Frida Kahlo ({ADMIN})").wait_for(timeout=10_000)
        # The password field was emptied as it was sent.
        assert await p.get_by_label("Password", exact=True).input_value() == ""

        # GraphiQL's own requests carry the token.
        await run_query(p, "{ me { user { email } } }")
        response = p.locator(".graphiql-response")
        await response.get_by_text(f'"email": "{ADMIN}"').wait_for(timeout=10_000)

        # The docs explorer shows the schema: the root query type and its fields.
        await p.get_by_role("button", name="Show Documentation Explorer").click()
        docs = p.locator(".graphiql-doc-explorer")
        await docs.get_by_role("link", name="Query", exact=True).click()
        await docs.get_by_role("link", name="me", exact=True).wait_for(timeout=10_000)
        # So does the explorer plugin, which builds queries by ticking fields.
        await p.get_by_role("button", name="Show GraphiQL Explorer").click()
        explorer = p.locator(".graphiql-explorer-root")
        await explorer.get_by_text("organisations", exact=True).first.wait_for(timeout=10_000)

        # A reload keeps the session (this tab's sessionStorage), not the password.
        await p.reload()
        await p.locator("#who").get_by_text(ADMIN).wait_for(timeout=10_000)
        assert DEMO_PASSWORD not in await stored(p)

        await p.get_by_role("button", name="Sign out").click()
        await p.get_by_role("button", name="Sign in").wait_for(timeout=10_000)
        assert await p.evaluate("sessionStorage.length") == 0
        # Signed out on the server too, and GraphiQL sends no token any more.
        await run_query(p, "{ me { user { email } } }")
        await response.get_by_text("UNAUTHENTICATED").wait_for(timeout=10_000)

        # The password never reached the address bar, the history or the browser's storage.
        assert page.urls == [f"{url}/graphql", f"{url}/graphql"]
        assert await p.evaluate("history.length") == entries
        assert DEMO_PASSWORD not in await stored(p)
        assert await p.evaluate("localStorage.length") == 0
        assert blocked == []
        assert await page.violations() == []
        assert page.errors == []
        assert page.console == []
        await page.assert_injected_script_is_blocked()


async def emailed_code(email: str) -> str:
    for message in await OutboxMessage.filter(recipient=email).order_by("-id"):
        match = re.search(r"code is (\d{6})\b", message.body)
        if match:
            return match[1]
    raise AssertionError(f"no code emailed to {email}")


async def test_a_first_sign_in_sets_a_password_and_enters_the_emailed_code_in_graphiql(
    app: Starlette, browser: Any, gql: GraphQLClient
) -> None:
    await seed_demo()
    # A user manager creates the account with a password of their choosing.
    manager = await gql.sign_in("users@cc303.example")
    created = await gql.ok(
        "mutation($i: CreateUserAccountInput!) { createUserAccount(input: $i) "
        "{ errors { code } } }",
        {
            "i": {
                "organisationCode": "CC303",
                "firstName": "Rosalind",
                "lastName": "Franklin",
                "email": NEWCOMER,
                "password": TEMPORARY,
                "roles": ["SLT"],
            }
        },
        token=manager,
    )
    assert created["createUserAccount"]["errors"] == []
    async with serving(app) as url:
        page = await new_page(browser)
        p = page.page
        await p.goto(f"{url}/graphql")
        await p.get_by_label("Email", exact=True).fill(NEWCOMER)
        await p.get_by_label("Password", exact=True).fill(TEMPORARY)
        await p.get_by_role("button", name="Sign in").click()
        await p.get_by_label("Choose a new password").fill(CHOSEN)
        await p.get_by_role("button", name="Set password").click()
        await p.get_by_role("status").get_by_text("code has been emailed").wait_for(timeout=10_000)
        await p.get_by_label("Emailed code").fill(await emailed_code(NEWCOMER))
        await p.get_by_role("button", name="Verify").click()
        await (
            p.locator("#who")
            .get_by_text(f"Rosalind Franklin ({NEWCOMER})")
            .wait_for(timeout=10_000)
        )
        await run_query(p, "{ me { user { fullName } } }")
        response = p.locator(".graphiql-response")
        await response.get_by_text('"fullName": "Rosalind Franklin"').wait_for(timeout=10_000)
        kept = await stored(p)
        assert TEMPORARY not in kept
        assert CHOSEN not in kept
        assert await page.violations() == []
        assert page.errors == []


async def test_the_password_page_and_its_form_work_under_their_policy(
    app: Starlette, browser: Any
) -> None:
    await seed_demo()
    async with serving(app) as url:
        page = await new_page(browser)
        response = await page.page.goto(f"{url}/reset-password?token=not-a-real-token")
        assert response.status == 200
        # The inline style applied (allowed by its hash).
        width = await page.page.evaluate("getComputedStyle(document.body).maxWidth")
        assert width == "512px"
        await page.page.fill("#password", "Another-Long-Passphrase-2026")
        await page.page.fill("#confirm", "Another-Long-Passphrase-2026")
        async with page.page.expect_navigation(timeout=10_000) as navigation:
            await page.page.click("button")
        # The form posted (form-action 'self') and the server answered it: the token is bad.
        assert (await navigation.value).status == 400
        assert await page.page.locator("p.error").count() == 1
        assert await page.violations() == []
        assert page.errors == []
        await page.assert_injected_script_is_blocked()


async def test_the_results_page_and_its_forms_work_under_their_policy(
    app: Starlette, browser: Any
) -> None:
    await seed_demo()
    async with serving(app) as url:
        page = await new_page(browser)
        await page.page.goto(f"{url}/")
        width = await page.page.evaluate("getComputedStyle(document.body).maxWidth")
        assert width == "640px"
        await page.page.fill("#username", demo_candidate_sign_ins()[0].username)
        await page.page.fill("#password", DEMO_RESULTS_PASSWORD)
        async with page.page.expect_navigation(timeout=10_000):
            await page.page.click("button")
        # Posted (form-action 'self'), redirected, and the results page rendered.
        assert await page.page.locator("table").count() == 1
        assert await page.violations() == []
        assert page.errors == []
        await page.assert_injected_script_is_blocked()


async def test_the_sign_in_page_and_its_forms_work_under_their_policy(
    app: Starlette, browser: Any
) -> None:
    await seed_demo()
    async with serving(app) as url:
        # The page accepts posts from its own origin only: the public URL is where it is served.
        configured = current()
        configure(replace(configured, public_url=url))
        try:
            page = await new_page(browser)
            response = await page.page.goto(f"{url}/sign-in")
            assert response.status == 200
            width = await page.page.evaluate("getComputedStyle(document.body).maxWidth")
            assert width == "512px"
            await page.page.fill("#email", "slt@aa101.example")
            await page.page.fill("#password", DEMO_PASSWORD)
            async with page.page.expect_navigation(timeout=10_000) as navigation:
                await page.page.click("button")
            # The browser's own Origin header passed the page's check.
            assert (await navigation.value).status == 200
            assert await page.page.locator("p.done").count() == 1
            assert await page.violations() == []
            assert page.errors == []
            await page.assert_injected_script_is_blocked()
        finally:
            configure(configured)
