"""The pages (GraphiQL, the account pages, the candidates' results page) still work under their
Content-Security-Policy, in a real browser: Chromium through Playwright, against the app behind
uvicorn. Skipped when either is missing (Debian's chromium at /usr/bin/chromium, or
$EXAMDESK_CHROMIUM; `pip install playwright`).

GraphiQL's own files come from unpkg.com (pinned by integrity hashes in strawberry's page). A
machine without internet cannot fetch them: then the test checks that the page's inline script
runs (it gets as far as the first library it needs) and that nothing is blocked by the policy.
With $EXAMDESK_GRAPHIQL_ASSETS naming a directory of the unpacked npm packages (react@18.2.0,
react-dom@18.2.0, js-cookie@3.0.5, graphiql@3.8.3, @graphiql/plugin-explorer@1.0.2 as
<dir>/<name>@<version>/package), the browser gets those exact files for the CDN's addresses and
the test runs a query in GraphiQL.
"""

import contextlib
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_PASSWORD, DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins, seed_demo
from resolvers.core.config import configure, current
from tests.helpers.app import serving

playwright = pytest.importorskip("playwright.async_api")
CHROMIUM = os.environ.get("EXAMDESK_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium to run the pages in")
ASSETS = os.environ.get("EXAMDESK_GRAPHIQL_ASSETS")

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
        page.on("console", lambda m: self.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

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


async def new_page(browser: Any) -> Page:
    context = await browser.new_context()
    await context.add_init_script(RECORD_VIOLATIONS)
    return Page(await context.new_page())


def cdn_file(url: str) -> Path | None:
    """The local copy of a unpkg.com URL: /<name>@<version>/<path> in the package."""
    assert ASSETS is not None
    match = re.match(r"https://unpkg\.com/((?:@[^/]+/)?[^/@]+@[^/]+)/(.+)", url)
    if match is None:
        return None
    path = Path(ASSETS) / match[1].replace("/", "+") / "package" / match[2]
    return path if path.is_file() else None


async def serve_cdn(route: Any) -> None:
    path = cdn_file(route.request.url) if ASSETS else None
    if path is None:
        await route.abort()
        return
    kind = "text/css" if path.suffix == ".css" else "application/javascript"
    # unpkg's CORS header: the tags load the files with `crossorigin` to check their hashes.
    await route.fulfill(
        body=path.read_bytes(),
        content_type=kind,
        headers={"Access-Control-Allow-Origin": "*"},
    )


async def test_graphiql_runs_under_its_policy(app: Starlette, browser: Any) -> None:
    async with serving(app) as url:
        page = await new_page(browser)
        await page.page.route("https://unpkg.com/**", serve_cdn)
        await page.page.goto(f"{url}/graphql?q=%7B%20__typename%20%7D")
        if ASSETS:
            await page.page.click(".graphiql-execute-button")
            result = page.page.locator(".graphiql-response")
            await result.get_by_text('"__typename": "Query"').wait_for(timeout=20_000)
            assert page.errors == []
        else:
            # The inline script ran up to the first library the CDN would have given it.
            await page.page.wait_for_function("window.violations !== undefined")
            assert any("Cookies is not defined" in e for e in page.errors), page.errors
        assert await page.violations() == []
        await page.assert_injected_script_is_blocked()


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
