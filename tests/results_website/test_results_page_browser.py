"""The results page in a real browser on a phone-sized screen: a candidate signs in with their
letter's details, reads their results and signs out. Chromium through Playwright, against the app
behind uvicorn; skipped when either is missing (Debian's chromium at /usr/bin/chromium, or
$EXAMDESK_CHROMIUM; `pip install playwright`).
"""

import os
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins, seed_demo
from models.results_access import CandidateSession
from tests.helpers.app import serving

playwright = pytest.importorskip("playwright.async_api")
CHROMIUM = os.environ.get("EXAMDESK_CHROMIUM") or shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium to run the page in")
AMARA = demo_candidate_sign_ins()[0].username
# An ordinary phone: 360 CSS pixels wide.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
RECORD_VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
async def phone() -> AsyncIterator[Any]:
    async with playwright.async_playwright() as p:
        chromium = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            context = await chromium.new_context(**PHONE)
            await context.add_init_script(RECORD_VIOLATIONS)
            yield await context.new_page()
        finally:
            await chromium.close()


async def fits_the_screen(page: Any) -> bool:
    """Nothing sticks out sideways, so nobody scrolls left and right to read."""
    return await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


async def test_a_candidate_signs_in_reads_their_results_and_signs_out_on_a_phone(
    app: Starlette, phone: Any
) -> None:
    await seed_demo()
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    async with serving(app) as url:
        await phone.goto(f"{url}/")
        assert await phone.title() == "Candidate results"
        assert await fits_the_screen(phone)
        # The fields are found by their labels, in the order a keyboard reaches them.
        await phone.get_by_label("Username").fill(AMARA)
        await phone.keyboard.press("Tab")
        assert await phone.evaluate("document.activeElement.id") == "password"
        await phone.get_by_label("Password").fill("not the password")
        await phone.get_by_role("button", name="Sign in").click()
        alert = phone.get_by_role("alert")
        assert "username or password is incorrect" in await alert.inner_text()

        await phone.get_by_label("Password").fill(DEMO_RESULTS_PASSWORD)
        await phone.get_by_role("button", name="Sign in").click()
        await phone.get_by_role("heading", name="Exam series 2026-JUN").wait_for()
        assert "Amara Okafor" in await phone.inner_text("main")
        row = phone.get_by_role("row", name="0580 Mathematics A*")
        assert await row.count() == 1
        assert "for information only" in await phone.inner_text(".notice")
        assert await fits_the_screen(phone)
        cookies = {c["name"]: c for c in await phone.context.cookies()}
        assert cookies["examdesk_results"]["httpOnly"] is True
        assert cookies["examdesk_results"]["sameSite"] == "Strict"
        # Reloading shows the page again without posting the password again.
        await phone.reload()
        await phone.get_by_role("heading", name="Exam series 2026-JUN").wait_for()

        await phone.get_by_role("button", name="Sign out").click()
        assert await phone.get_by_role("status").inner_text() == "You have signed out."
        assert await phone.get_by_label("Username").count() == 1
        assert "examdesk_results" not in {c["name"] for c in await phone.context.cookies()}
        assert await CandidateSession.filter(revoked_at=None).count() == 0
        assert await phone.evaluate("window.violations") == []
        assert errors == []
