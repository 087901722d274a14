"""The candidates' results page at the site root, where the letters send candidates: the sign-in
form, their own results from the release time plus the centre's delay, sign-out, the answers
GraphQL gives for a wrong or throttled sign-in, the cookies, and forms from elsewhere refused.

The demo gives AA101's 2026-JUN candidates 0001-0003 access (ALL); 2026-JUN was released on
11 August 2026. Usernames aa101-000N-..., password DEMO_RESULTS_PASSWORD.
"""

import re
from datetime import UTC, datetime, timedelta
from html import escape, unescape

import httpx
import pytest
from starlette.types import Receive, Scope, Send
from strawberry import relay

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins, seed_demo
from models.audit import AuditEvent, SignInEvent, SignInOutcome
from models.exams import Entry
from models.results_access import CandidateSession, ResultsCredential
from resolvers.core import clock, credential_secrets
from resolvers.core.config import current
from resolvers.core.tokens import hash_token
from resolvers.results_website.candidate_sessions import NOTICE
from tests.helpers.app import AppFactory
from tests.helpers.graphql import GraphQLClient

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
AMARA, JOSE, _ = (s.username for s in demo_candidate_sign_ins())
SESSION, CSRF = "examdesk_results", "examdesk_results_csrf"
SIGNED_OUT = "You have signed out."
SESSION_ENDED = "Your session has ended."
REFUSED = "did not come from this website, so nothing was done"

SIGN_IN = """
mutation($input: SignInCandidateInput!) { signInCandidate(input: $input) {
  token errors { code message }
} }"""


def _at(moment: datetime) -> None:
    clock.advance(moment - clock.now())


def _csrf(page: httpx.Response) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, page.text
    return match[1]


def _alert(page: httpx.Response) -> str:
    match = re.search(r'<div class="alert" role="alert">(.*?)</div>', page.text)
    assert match, page.text
    return unescape(re.sub(r"</?p>", "", match[1]))


def _results(page: httpx.Response, series: str) -> list[tuple[str, str]] | str:
    """The rows of a series' table, or its sentence when it has no table."""
    match = re.search(rf"<h2>Exam series {series}</h2>(.*?)(?=<h2>|<form)", page.text)
    assert match, page.text
    rows = re.findall(r'<tr><td>(.*?)</td><td class="grade">(.*?)</td></tr>', match[1])
    return [(unescape(a), unescape(b)) for a, b in rows] or unescape(re.sub("<.*?>", "", match[1]))


def _set_cookie(response: httpx.Response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers
    return found[0]


async def _post(http: httpx.AsyncClient, action: str, **fields: str) -> httpx.Response:
    page = await http.get("/")
    return await http.post("/", data={"action": action, "csrf": _csrf(page), **fields})


async def _sign_in(
    http: httpx.AsyncClient, username: str, password: str = DEMO_RESULTS_PASSWORD
) -> httpx.Response:
    return await _post(http, "sign-in", username=username, password=password)


async def _graphql_error(gql: GraphQLClient, username: str, password: str) -> dict:
    data = await gql.ok(SIGN_IN, {"input": {"username": username, "password": password}})
    assert data["signInCandidate"]["token"] is None
    return data["signInCandidate"]["errors"][0]


async def test_the_letters_address_is_the_sign_in_page(demo, http: httpx.AsyncClient) -> None:
    # The letters say "Go to <public URL> and sign in": that very address.
    page = await http.get(current().public_url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    csp = page.headers["content-security-policy"]
    assert csp.startswith("default-src 'none'; style-src 'sha256-")
    assert "form-action 'self'" in csp
    assert "script" not in page.text
    for markup in (
        '<html lang="en">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<h1>Candidate results</h1>",
        "Confidential examination results information",
        '<label for="username">Username</label>',
        'autocomplete="username" maxlength="500" required',
        '<label for="password">Password</label>',
        '<input id="password" name="password" type="password" autocomplete="current-password" '
        'maxlength="128" required>',
    ):
        assert markup in page.text, markup
    cookie = _set_cookie(page, CSRF)
    assert cookie == f"{CSRF}={_csrf(page)}; HttpOnly; Path=/; SameSite=strict"
    # The same token while the browser keeps its cookie; GraphiQL stays where it was.
    assert _csrf(await http.get("/")) == _csrf(page)
    graphiql = await http.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in graphiql.text.lower()


async def test_a_candidate_signs_in_and_reads_their_own_results(
    demo, http: httpx.AsyncClient
) -> None:
    _at(NOW)
    # The GraphQL sign-in's rules: the username's case and spaces do not matter.
    signed_in = await _sign_in(http, f"  {AMARA.upper()} ", DEMO_RESULTS_PASSWORD.lower())
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/"
    token = http.cookies[SESSION]
    assert _set_cookie(signed_in, SESSION) == (
        f"{SESSION}={token}; HttpOnly; Max-Age=43200; Path=/; SameSite=strict"
    )
    session = await CandidateSession.get(token_hash=hash_token(token))
    assert session.revoked_at is None

    page = await http.get("/")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Signed in as <strong>Amara Okafor</strong>, candidate number 0001 at " in page.text
    assert "AA Dummy Centre A (AA101)" in page.text
    assert f"<strong>Important:</strong> {escape(NOTICE)}" in page.text
    assert _results(page, "2026-JUN") == [
        ("0500 First Language English", "A"),
        ("0580 Mathematics", "A*"),
        ("0610 Biology", "B"),
    ]
    assert "José" not in page.text
    assert DEMO_RESULTS_PASSWORD not in signed_in.text + page.text
    assert '<input type="hidden" name="action" value="sign-out">' in page.text
    events = await AuditEvent.filter(action="candidate_session.sign_in")
    assert [e.after["username"] for e in events] == [AMARA]
    assert await SignInEvent.exists(email=AMARA, outcome=SignInOutcome.CANDIDATE_SUCCEEDED)


async def test_results_wait_for_the_release_time_plus_the_centres_delay(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    _at(NOW)
    admin, eo = await gql.sign_in("admin@exb.example"), await gql.sign_in("eo@aa101.example")
    release = NOW + timedelta(days=1)
    steps = [
        (
            "mutation($input: CreateSeriesInput!) { createSeries(input: $input) "
            "{ errors { code } } }",
            {
                "year": 2027,
                "month": "JUNE",
                "resultsReleaseAt": release.isoformat(),
                "credentialsOpenAt": (NOW - timedelta(days=1)).isoformat(),
            },
            admin,
        ),
        (
            "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
            "{ errors { code } } }",
            {
                "centreCode": "AA101",
                "seriesCode": "2027-JUN",
                "syllabusCodes": ["0620"],
                "username": "AA101_Cand001",
                "firstName": "-",
                "lastName": "-",
            },
            eo,
        ),
        (
            "mutation($input: UpdateResultsAccessInput!) { updateResultsAccess(input: $input) "
            "{ errors { code } } }",
            {
                "centreCode": "AA101",
                "seriesCode": "2027-JUN",
                "status": "ALL",
                "agreed": True,
                "contactName": "Anakin Skywalker",
                "contactEmail": "eo@aa101.example",
                "delayHours": 24,
            },
            eo,
        ),
    ]
    for mutation, variables, token in steps:
        data = await gql.ok(mutation, {"input": variables}, token)
        assert next(iter(data.values()))["errors"] == [], data
    entry = await ResultsCredential.get(series__code="2027-JUN").prefetch_related("candidate")
    loaded = await gql.ok(
        "mutation($input: LoadResultInput!) { loadResult(input: $input) { errors { code } } }",
        {"input": {"entryId": await _entry_id(entry.candidate_id), "grade": "B"}},
        admin,
    )
    assert loaded["loadResult"]["errors"] == []
    password = credential_secrets.unseal(entry.password_sealed)

    async def june_2027() -> list[tuple[str, str]] | str:
        # Sessions last 12 hours: sign in again each time.
        assert (await _sign_in(http, entry.username, password)).status_code == 303
        return _results(await http.get("/"), "2027-JUN")

    # Released on 24 November at 09:00, plus the centre's 24 hours.
    waiting = "Your results for this series will be available from 25 November 2026 at 09:00 UTC."
    assert await june_2027() == waiting
    # Released, but the centre's delay is not over.
    _at(release + timedelta(hours=1))
    assert await june_2027() == waiting
    _at(release + timedelta(hours=24))
    assert await june_2027() == [("0620 Chemistry", "B")]
    page = await http.get("/")
    assert _results(page, "2026-JUN")[1] == ("0580 Mathematics", "A*")


async def _entry_id(candidate_id: int) -> str:
    entry = await Entry.get(candidate_id=candidate_id, series__code="2027-JUN")
    return str(relay.GlobalID("Entry", str(entry.id)))


async def test_every_wrong_sign_in_gets_the_one_graphql_answer(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    _at(NOW)
    expected = (await _graphql_error(gql, "aa101-9999-zzzz", "WRONG22222"))["message"]
    attempts = [
        await _sign_in(http, "aa101-9999-zzzz"),  # nobody
        await _sign_in(http, AMARA, "WRONG22222"),
        await _sign_in(http, "", ""),
        await _post(http, "sign-in"),  # no fields at all
        await _sign_in(http, '"><script>alert(1)</script>', "x"),
    ]
    for response in attempts:
        assert response.status_code == 400
        assert _alert(response) == expected
        assert f"{SESSION}=" not in response.headers.get("set-cookie", "")
        assert 'aria-invalid="true"' not in response.text
    # The username stays in its field, escaped; the password never comes back.
    assert f'value="{AMARA}"' in attempts[1].text
    assert "WRONG22222" not in attempts[1].text
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in attempts[4].text
    assert "<script>" not in attempts[4].text
    assert SESSION not in http.cookies
    assert not await CandidateSession.exists()


async def test_a_throttled_sign_in_gets_the_throttle_message(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    _at(NOW)
    for _ in range(5):
        assert (await _sign_in(http, AMARA, "WRONG22222")).status_code == 400
    refused = await _sign_in(http, AMARA)  # the right password, too late
    assert refused.status_code == 429
    throttled = await _graphql_error(gql, AMARA, DEMO_RESULTS_PASSWORD)
    assert throttled["code"] == "SIGN_IN_THROTTLED"
    assert _alert(refused) == throttled["message"]
    assert SESSION not in http.cookies
    # Others still sign in; she does once the lock is over.
    assert (await _sign_in(http, JOSE)).status_code == 303
    _at(NOW + timedelta(minutes=16))
    assert (await _sign_in(http, AMARA)).status_code == 303


async def test_signing_out_ends_the_session_and_clears_the_cookie(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    _at(NOW)
    await _sign_in(http, AMARA)
    token = http.cookies[SESSION]
    signed_out = await _post(http, "sign-out")
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/?signed-out"
    cleared = _set_cookie(signed_out, SESSION)
    assert cleared.startswith(f'{SESSION}=""; expires=')
    assert "Max-Age=0" in cleared
    assert SESSION not in http.cookies
    session = await CandidateSession.get(token_hash=hash_token(token))
    assert session.revoked_at is not None
    assert await SignInEvent.exists(email=AMARA, outcome=SignInOutcome.CANDIDATE_SIGNED_OUT)
    assert await AuditEvent.exists(action="candidate_session.sign_out")
    page = await http.get(signed_out.headers["location"])
    assert f'<p class="status" role="status">{SIGNED_OUT}</p>' in page.text
    assert '<label for="username">' in page.text
    # The old token no longer opens anything, here or in GraphQL.
    http.cookies.set(SESSION, token, domain="examdesk.test")
    again = await http.get("/")
    assert SESSION_ENDED in again.text
    assert "Amara" not in again.text
    body = await gql.post("{ candidateResults { fullName } }", None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Signing out without a session just clears the cookie.
    assert (await _post(http, "sign-out")).status_code == 303


async def test_forms_from_elsewhere_are_refused(demo, http: httpx.AsyncClient) -> None:
    _at(NOW)
    page = await http.get("/")
    csrf = _csrf(page)
    credentials = {"action": "sign-in", "username": AMARA, "password": DEMO_RESULTS_PASSWORD}
    refused = [
        await http.post("/", data=credentials),  # no token
        await http.post("/", data={**credentials, "csrf": "x" * 43}),  # another token
        await http.post("/", data={**credentials, "csrf": "é"}),
        await http.post("/", json={**credentials, "csrf": csrf}),  # not a form
        await http.post("/", files={"f": ("f.txt", b"x")}, data={**credentials, "csrf": csrf}),
    ]
    # The right token, but not the browser's own cookie (another site cannot read or set it).
    http.cookies.clear()
    refused.append(await http.post("/", data={**credentials, "csrf": csrf}))
    for response in refused:
        assert response.status_code == 403
        assert REFUSED in _alert(response)
        assert f"{SESSION}=" not in response.headers.get("set-cookie", "")
    assert not await SignInEvent.exists()
    assert not await CandidateSession.exists()

    # Signed in, a sign-out from elsewhere is refused too.
    await _sign_in(http, AMARA)
    forged = await http.post("/", data={"action": "sign-out", "csrf": "x" * 43})
    assert forged.status_code == 403
    assert await CandidateSession.filter(revoked_at=None).count() == 1
    assert "Amara Okafor" in (await http.get("/")).text


async def test_an_expired_revoked_or_garbage_cookie_shows_the_sign_in_form(
    demo, http: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    _at(NOW)
    await _sign_in(http, AMARA)
    _at(NOW + timedelta(hours=12, minutes=1))
    expired = await http.get("/")
    assert expired.status_code == 200
    assert SESSION_ENDED in expired.text
    assert _set_cookie(expired, SESSION).startswith(f'{SESSION}=""; expires=')
    assert SESSION not in http.cookies
    # A staff member's token is not a candidate's.
    staff = await gql.sign_in("eo@aa101.example")
    garbage = [staff, "x" * 43, "not-a-token", "%00%ff", "x" * 5000]
    for value in garbage:
        http.cookies.clear()
        page = await http.get("/", headers={"Cookie": f"{SESSION}={value}; {CSRF}=<b>"})
        assert page.status_code == 200, value
        assert SESSION_ENDED in page.text
        assert "<b>" not in page.text
    raw = [(b"cookie", b"examdesk_results=\xff\xfe; examdesk_results_csrf=\x00")]
    assert (await http.get("/", headers=raw)).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"username": "a" * 501, "password": "x"},
            "username",
            "Username is too long: at most 500 characters.",
        ),
        (
            {"username": AMARA, "password": "x" * 100_000},
            "password",
            "Password is too long: at most 128 characters.",
        ),
        (
            {"username": f"{AMARA}\x00", "password": "x"},
            "username",
            "Username contains a control character.",
        ),
        (
            {"username": AMARA, "password": "a\nb"},
            "password",
            "Password must be on one line, without tabs.",
        ),
    ],
)
async def test_input_the_graphql_checks_would_refuse_is_refused_by_its_field(
    demo, http: httpx.AsyncClient, fields: dict, field: str, message: str
) -> None:
    response = await _post(http, "sign-in", **fields)
    assert response.status_code == 400
    assert _alert(response) == message
    assert f'<p class="error" id="{field}-error">{message}</p>' in response.text
    assert f'aria-describedby="{field}-error" aria-invalid="true"' in response.text
    assert "a" * 501 not in response.text
    assert not await SignInEvent.exists()


async def test_other_bad_posts_get_a_page_not_an_error(demo, http: httpx.AsyncClient) -> None:
    page = await http.get("/")
    csrf = _csrf(page)
    for data in ({"csrf": csrf}, {"csrf": csrf, "action": "delete-everything"}):
        response = await http.post("/", data=data)
        assert response.status_code == 400
        assert "did not say what to do" in _alert(response)
    # Bytes that are not UTF-8 reach the sign-in as whatever they decode to.
    body = f"action=sign-in&csrf={csrf}&username=%ff%fe&password=%80".encode()
    response = await http.post(
        "/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert "username or password is incorrect" in _alert(response)


async def test_on_https_the_cookies_are_secure_and_host_only(make_app: AppFactory) -> None:
    app = await make_app(public_url="https://results.example")
    await seed_demo()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://results.example") as http:
        page = await http.get("/")
        assert _set_cookie(page, f"__Host-{CSRF}").endswith(
            "; HttpOnly; Path=/; SameSite=strict; Secure"
        )
        response = await http.post(
            "/",
            data={
                "action": "sign-in",
                "csrf": _csrf(page),
                "username": AMARA,
                "password": DEMO_RESULTS_PASSWORD,
            },
        )
        assert response.status_code == 303
        assert _set_cookie(response, f"__Host-{SESSION}").endswith(
            "; HttpOnly; Max-Age=43200; Path=/; SameSite=strict; Secure"
        )
        assert "Amara Okafor" in (await http.get("/")).text


async def test_under_a_path_the_cookies_and_redirects_stay_under_it(
    make_app: AppFactory,
) -> None:
    app = await make_app(public_url="https://board.example/results")
    await seed_demo()

    async def proxy(scope: Scope, receive: Receive, send: Send) -> None:
        """What serves the app at https://board.example/results: it strips the prefix."""
        path = scope.get("path", "").removeprefix("/results") or "/"
        await app({**scope, "path": path}, receive, send)

    transport = httpx.ASGITransport(app=proxy, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="https://board.example") as http:
        page = await http.get("/results")
        assert "; Path=/results; " in _set_cookie(page, CSRF)
        response = await http.post(
            "/results",
            data={
                "action": "sign-in",
                "csrf": _csrf(page),
                "username": AMARA,
                "password": DEMO_RESULTS_PASSWORD,
            },
        )
        assert response.headers["location"] == "/results"
        assert "; Path=/results; " in _set_cookie(response, SESSION)
        assert "Amara Okafor" in (await http.get("/results")).text
        # Elsewhere on the host, the browser does not send them.
        assert (await http.get("/graphql")).request.headers.get("cookie") is None
