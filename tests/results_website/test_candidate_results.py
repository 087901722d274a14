"""Candidates on the results website: signing in with the credential their centre gave them,
one answer for every failure, throttling, their own results from the release time plus the
centre's delay, and nothing else (every staff field refuses a candidate token).

The demo gives AA101's 2026-JUN candidates 0001-0003 access (ALL); 2026-JUN was released on
11 August 2026. Usernames aa101-000N-..., password DEMO_RESULTS_PASSWORD.
"""

from datetime import UTC, datetime, timedelta

import pytest
from strawberry import relay

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins
from models.audit import AuditEvent, SignInEvent, SignInOutcome
from models.exams import Candidate
from models.organisations import Organisation, OrganisationKind
from models.results_access import CandidateSession, ResultsCredential
from policies import Actor, Authorizer, Forbidden, Placement, RequestMeta, Target
from policies.authorizer import CANDIDATE
from resolvers.core import clock, credential_secrets
from resolvers.results_website.candidate_sessions import NOTICE
from tests.helpers.graphql import GraphQLClient

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
AMARA, JOSE, SITI = (s.username for s in demo_candidate_sign_ins())
EO, ADMIN = "eo@aa101.example", "admin@exb.example"

SIGN_IN = """
mutation($input: SignInCandidateInput!) { signInCandidate(input: $input) {
  token expiresAt errors { code message field }
} }"""

RESULTS = """
{ candidateResults {
  candidateNumber firstName lastName fullName centreCode centreName notice
  series { seriesCode availableFrom available
           results { syllabusCode syllabusTitle grade } }
} }"""

UPDATE = """
mutation($input: UpdateResultsAccessInput!) { updateResultsAccess(input: $input) {
  errors { code field } credentialsCreated credentialsRevoked
} }"""

SELECT = """
mutation($input: UpdateResultsAccessSelectionInput!) {
  updateResultsAccessSelection(input: $input) { errors { code } added removed }
}"""


def _gid(candidate_id: int) -> str:
    return str(relay.GlobalID("Candidate", str(candidate_id)))


def _at(moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def _sign_in(
    gql: GraphQLClient, username: str, password: str = DEMO_RESULTS_PASSWORD
) -> dict:
    return (await gql.ok(SIGN_IN, {"input": {"username": username, "password": password}}))[
        "signInCandidate"
    ]


async def _token(gql: GraphQLClient, username: str, password: str = DEMO_RESULTS_PASSWORD) -> str:
    result = await _sign_in(gql, username, password)
    assert result["errors"] == [], result
    return result["token"]


async def _set(gql: GraphQLClient, token: str, series: str, status: str, **extra) -> dict:
    data = await gql.ok(
        UPDATE,
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": series,
                "status": status,
                "agreed": True,
                "contactName": "Anakin Skywalker",
                "contactEmail": "eo@aa101.example",
                **extra,
            }
        },
        token,
    )
    assert data["updateResultsAccess"]["errors"] == [], data
    return data["updateResultsAccess"]


async def test_a_candidate_reads_their_own_results_and_nobody_elses(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    signed_in = await _sign_in(gql, f"  {AMARA.upper()} ", DEMO_RESULTS_PASSWORD.lower())
    assert signed_in["errors"] == []
    expires = datetime.fromisoformat(signed_in["expiresAt"])
    assert timedelta(hours=11) < expires - clock.now() <= timedelta(hours=12)
    results = (await gql.ok(RESULTS, None, signed_in["token"]))["candidateResults"]
    assert results == {
        "candidateNumber": "0001",
        "firstName": "Amara",
        "lastName": "Okafor",
        "fullName": "Amara Okafor",
        "centreCode": "AA101",
        "centreName": "AA Dummy Centre A",
        "notice": NOTICE,
        "series": [
            {
                "seriesCode": "2026-JUN",
                "availableFrom": "2026-08-11T06:00:00+00:00",
                "available": True,
                "results": [
                    {
                        "syllabusCode": "0500",
                        "syllabusTitle": "First Language English",
                        "grade": "A",
                    },
                    {"syllabusCode": "0580", "syllabusTitle": "Mathematics", "grade": "A*"},
                    {"syllabusCode": "0610", "syllabusTitle": "Biology", "grade": "B"},
                ],
            }
        ],
    }
    assert "must not print screenshots" in results["notice"]
    # José's 0610 was withdrawn: only his entered 0500 shows.
    jose = (await gql.ok(RESULTS, None, await _token(gql, JOSE)))["candidateResults"]
    assert jose["candidateNumber"] == "0002"
    assert [(r["syllabusCode"], r["grade"]) for r in jose["series"][0]["results"]] == [
        ("0500", "C")
    ]
    events = await AuditEvent.filter(action="candidate_session.sign_in").order_by("id")
    assert [e.after["username"] for e in events] == [AMARA, JOSE]
    assert all("password" not in str(e.after).lower() for e in events)


async def test_results_wait_for_the_release_time_plus_the_centres_delay(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    admin, eo = await gql.sign_in(ADMIN), await gql.sign_in(EO)
    release = NOW + timedelta(days=1)
    created = await gql.ok(
        "mutation($input: CreateSeriesInput!) { createSeries(input: $input) { errors { code } } }",
        {
            "input": {
                "year": 2027,
                "month": "JUNE",
                "resultsReleaseAt": release.isoformat(),
                "credentialsOpenAt": (NOW - timedelta(days=1)).isoformat(),
            }
        },
        admin,
    )
    assert created["createSeries"]["errors"] == []
    entered = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } entries { id } } }",
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2027-JUN",
                "syllabusCodes": ["0620"],
                "username": "AA101_Cand001",
                "firstName": "-",
                "lastName": "-",
            }
        },
        eo,
    )
    entry_id = entered["enterCandidate"]["entries"][0]["id"]
    loaded = await gql.ok(
        "mutation($input: LoadResultInput!) { loadResult(input: $input) { errors { code } } }",
        {"input": {"entryId": entry_id, "grade": "B"}},
        admin,
    )
    assert loaded["loadResult"]["errors"] == []
    assert (await _set(gql, eo, "2027-JUN", "ALL", delayHours=24))["credentialsCreated"] == 1

    credential = await ResultsCredential.get(series__code="2027-JUN")
    username = credential.username
    password = credential_secrets.unseal(credential.password_sealed)
    assert username.startswith("aa101-0001-")

    async def june_2027(token: str) -> dict:
        results = (await gql.ok(RESULTS, None, token))["candidateResults"]
        return next(s for s in results["series"] if s["seriesCode"] == "2027-JUN")

    before = await june_2027(await _token(gql, username, password))
    assert before == {
        "seriesCode": "2027-JUN",
        "available": False,
        "results": [],
        "availableFrom": (release + timedelta(hours=24)).isoformat(),
    }
    # Released, but the centre's delay is not over.
    _at(release + timedelta(hours=1))
    assert (await june_2027(await _token(gql, username, password)))["results"] == []
    _at(release + timedelta(hours=24))
    after = await june_2027(await _token(gql, username, password))
    assert after["available"] is True
    assert after["results"] == [
        {"syllabusCode": "0620", "syllabusTitle": "Chemistry", "grade": "B"}
    ]
    # A longer delay moves the time again.
    eo = await gql.sign_in(EO)
    await _set(gql, eo, "2027-JUN", "ALL", delayHours=48)
    later = await june_2027(await _token(gql, username, password))
    assert later["available"] is False
    assert later["results"] == []
    assert later["availableFrom"] == (release + timedelta(hours=48)).isoformat()


async def test_one_answer_for_unknown_wrong_and_revoked(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    await _set(gql, eo, "2026-JUN", "SELECTED")
    siti = await Candidate.get(centre__code="AA101", candidate_number="0003")
    removed = await gql.ok(
        SELECT,
        {"input": {"centreCode": "AA101", "seriesCode": "2026-JUN", "remove": [_gid(siti.id)]}},
        eo,
    )
    assert removed["updateResultsAccessSelection"]["removed"] == 1
    answers = [
        await _sign_in(gql, "aa101-9999-zzzz"),  # nobody
        await _sign_in(gql, AMARA, "WRONG22222"),  # wrong password
        await _sign_in(gql, SITI),  # not selected any more: right password, no access
        await _sign_in(gql, "x" * 500),  # far too long to be anyone
        await _sign_in(gql, ""),
    ]
    assert all(a["token"] is None for a in answers)
    assert len({(a["errors"][0]["code"], a["errors"][0]["message"]) for a in answers}) == 1
    assert answers[0]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    logged = await SignInEvent.filter(
        outcome=SignInOutcome.CANDIDATE_INVALID_CREDENTIALS
    ).values_list("email", flat=True)
    assert sorted(logged) == sorted(["aa101-9999-zzzz", AMARA, SITI, "x" * 64, ""])
    # The others still sign in.
    assert await _token(gql, AMARA)


async def test_a_candidate_not_selected_cannot_sign_in(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    await _set(gql, eo, "2026-NOV", "SELECTED")
    amara = await Candidate.get(centre__code="AA101", candidate_number="0001")
    await gql.ok(
        SELECT,
        {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV", "add": [_gid(amara.id)]}},
        eo,
    )
    assert await ResultsCredential.filter(series__code="2026-NOV").count() == 1
    # Björn (0004) was not selected: he has no 2026-NOV credential; NONE for 2026-JUN takes
    # the demo's away too, and then nobody but Amara's 2026-NOV sign-in works.
    await _set(gql, eo, "2026-JUN", "NONE", agreed=False)
    for username in (AMARA, JOSE, SITI):
        result = await _sign_in(gql, username)
        assert result["token"] is None
        assert result["errors"][0]["code"] == "INVALID_CREDENTIALS"
    credential = await ResultsCredential.get(series__code="2026-NOV")
    token = await _token(
        gql, credential.username, credential_secrets.unseal(credential.password_sealed)
    )
    results = (await gql.ok(RESULTS, None, token))["candidateResults"]
    # 2026-NOV releases in January 2027: access, but nothing to see yet.
    assert [(s["seriesCode"], s["available"], s["results"]) for s in results["series"]] == [
        ("2026-NOV", False, [])
    ]


async def test_throttling_after_repeated_failures(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    for _ in range(5):
        assert (await _sign_in(gql, AMARA, "WRONG22222"))["errors"][0]["code"] == (
            "INVALID_CREDENTIALS"
        )
    throttled = await _sign_in(gql, AMARA)  # the right password, too late
    assert throttled["token"] is None
    assert throttled["errors"][0]["code"] == "SIGN_IN_THROTTLED"
    credential = await ResultsCredential.get(username=AMARA)
    assert credential.locked_until is not None
    # The same for a username nobody has: the answer does not tell them apart.
    for _ in range(5):
        await _sign_in(gql, "aa101-0042-zzzz", "WRONG22222")
    unknown = await _sign_in(gql, "aa101-0042-zzzz", "WRONG22222")
    assert unknown["errors"] == throttled["errors"]
    # Others are not affected.
    assert await _token(gql, JOSE)
    _at(NOW + timedelta(minutes=16))
    assert await _token(gql, AMARA)
    credential = await ResultsCredential.get(username=AMARA)
    assert (credential.failed_attempts, credential.locked_until) == (0, None)
    outcomes = (
        await SignInEvent.filter(email=AMARA).order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == [SignInOutcome.CANDIDATE_INVALID_CREDENTIALS] * 5 + [
        SignInOutcome.CANDIDATE_THROTTLED,
        SignInOutcome.CANDIDATE_SUCCEEDED,
    ]


async def test_many_failures_from_one_address_are_throttled(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    for index in range(50):
        await _sign_in(gql, f"aa101-{index:04d}-zzzz", "WRONG22222")
    refused = await _sign_in(gql, JOSE)
    assert refused["errors"][0]["code"] == "SIGN_IN_THROTTLED"


async def test_sign_out_and_expiry_end_the_session(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    token = await _token(gql, AMARA)
    done = await gql.ok("mutation { signOutCandidate { ok errors { code } } }", None, token)
    assert done["signOutCandidate"]["ok"] is True
    body = await gql.post(RESULTS, None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await SignInEvent.exists(email=AMARA, outcome=SignInOutcome.CANDIDATE_SIGNED_OUT)
    assert await AuditEvent.exists(action="candidate_session.sign_out")

    token = await _token(gql, AMARA)
    _at(NOW + timedelta(hours=12, minutes=1))
    body = await gql.post(RESULTS, None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await CandidateSession.filter(revoked_at=None).count() == 1  # expired, not revoked


STAFF_FIELDS = [
    "{ me { user { email } } }",
    '{ entries(centreCode: "AA101", seriesCode: "2026-JUN") { totalCount } }',
    '{ organisation(code: "AA101") { name } }',
    "{ series { totalCount } }",
    '{ resultsAccessSeries(centreCode: "AA101") { status } }',
    "mutation { signOut { ok } }",
]


@pytest.mark.parametrize("query", STAFF_FIELDS)
async def test_a_candidate_token_is_forbidden_on_staff_fields(
    demo, gql: GraphQLClient, query: str
) -> None:
    _at(NOW)
    token = await _token(gql, AMARA)
    body = await gql.post(query, None, token)
    assert body["data"] is None or not any(body["data"].values())
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    # Signed out, the same fields ask to sign in.
    anonymous = await gql.post(query, None, None)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_staff_cannot_use_the_candidates_fields(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    for email in (EO, ADMIN):
        token = await gql.sign_in(email)
        for query in (RESULTS, "mutation { signOutCandidate { ok } }"):
            body = await gql.post(query, None, token)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql.post(RESULTS, None, None)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def _candidate_actor(centre_id: int) -> Actor:
    return Actor(
        request=RequestMeta(request_id="test"),
        candidate_id=1,
        credential_id=1,
        candidate_session_id=1,
        placements=(
            Placement(centre_id, OrganisationKind.CENTRE, None, False, frozenset({CANDIDATE})),
        ),
    )


async def test_the_candidate_role_reaches_only_their_own_results_at_their_centre(demo) -> None:
    aa101 = Target.of(await Organisation.get(code="AA101"))
    bb202 = Target.of(await Organisation.get(code="BB202"))
    authorizer = Authorizer(_candidate_actor(aa101.id))
    assert authorizer.allows("results", "read_own", aa101) is True
    assert authorizer.allows("results", "read_own", bb202) is False
    # No MEMBER pseudo-role, nothing staff may do.
    for obj, act in (
        ("organisation", "read"),
        ("results", "read"),
        ("entries", "read"),
        ("results_access", "read"),
        ("users", "read"),
    ):
        assert authorizer.allows(obj, act, aa101) is False, (obj, act)
    with pytest.raises(Forbidden):
        authorizer.require("organisation", "read", aa101)
    with pytest.raises(Forbidden):
        authorizer.require_signed_in()
    deleted = Target(aa101.id, aa101.kind, None, deleted=True)
    assert authorizer.allows("results", "read_own", deleted) is False


def test_every_staff_root_field_refuses_a_candidate() -> None:
    """Whatever a staff field does, its guard already answers FORBIDDEN to a candidate."""
    from types import SimpleNamespace

    from strawberry.types.base import StrawberryObjectDefinition

    from schema.core.permissions import GUARDS, CandidateSignedIn, Public
    from schema.root import build_schema

    schema = build_schema()
    info = SimpleNamespace(context=SimpleNamespace(actor=_candidate_actor(1)))
    checked = []
    for root in ("Query", "Mutation"):
        definition = schema.get_type_by_name(root)
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            guard = next(p for p in field.permission_classes if p in GUARDS)
            if guard is CandidateSignedIn:
                assert guard().has_permission(None, info) is True
                continue
            if guard is Public:
                continue
            with pytest.raises(Forbidden):
                guard().has_permission(None, info)
            checked.append(field.name)
    assert len(checked) > 20, checked
