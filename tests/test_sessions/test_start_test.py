"""Starting a test: username, password and entry code, one answer for every wrong one of them,
throttling, the refusals that say why only once all three match, and a token that reads that
one test and nothing else, ending with the session or at once on withdrawal or cancellation.

Sessions run 11:00 to 12:30 UTC on the tests' day (tests/test_sessions/session_setup.py); the
test opens 15 minutes before.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from strawberry.types.base import StrawberryObjectDefinition

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins
from models.audit import AuditEvent, SignInEvent, SignInOutcome
from models.exams import Entry
from models.organisations import Organisation
from models.test_sessions import TestSessionStatus, TestSitting, TestStartLock
from policies import Actor, Authorizer, Forbidden, Placement, RequestMeta, Target
from policies.authorizer import TEST_CANDIDATE
from resolvers.core import clock
from resolvers.test_sessions.test_start import EARLY_START
from schema.core.permissions import GUARDS, Public, TestSitter
from schema.root import build_schema
from tests.helpers.graphql import GraphQLClient
from tests.test_sessions.session_setup import (
    STARTS_AT,
    Entered,
    enter_candidate,
    make_session,
)

OPENS = STARTS_AT - EARLY_START
ENDS = STARTS_AT + timedelta(minutes=90)
EO = "eo@aa101.example"

START = """
mutation($input: StartTestInput!) { startTest(input: $input) {
  token expiresAt errors { code message field }
  test { candidateName candidateNumber syllabusCode syllabusTitle sessionName venue
         startsAt endsAt }
} }"""
CURRENT = """{ currentTest { candidateName candidateNumber syllabusCode sessionName venue
  startsAt endsAt } }"""
WITHDRAW = """
mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) {
  errors { code } entry { status } } }"""


def _at(moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def _start(gql: GraphQLClient, entered: Entered, **overrides: str) -> dict:
    values = {
        "username": entered.username,
        "password": entered.password,
        "entryCode": entered.entry_code,
        **overrides,
    }
    return (await gql.ok(START, {"input": values}))["startTest"]


async def _token(gql: GraphQLClient, entered: Entered, **overrides: str) -> str:
    started = await _start(gql, entered, **overrides)
    assert started["errors"] == [], started
    return started["token"]


def _code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


@pytest.fixture
async def eo(demo, gql: GraphQLClient) -> str:
    return await gql.sign_in(EO)


@pytest.fixture
async def nia(gql: GraphQLClient, eo: str) -> Entered:
    """Nia Long of AA101, entered in the morning session."""
    entered = await enter_candidate(gql, eo, username="AA101_Morning_Cand001")
    await make_session(entries=(entered,))
    return entered


async def test_a_candidate_starts_their_test_and_reads_it_back(
    gql: GraphQLClient, nia: Entered
) -> None:
    _at(OPENS)
    # The username in any case; the code in lower case, without its hyphen, spaced.
    started = await _start(
        gql,
        nia,
        username=nia.username.lower(),
        entryCode=f" {nia.entry_code.replace('-', '').lower()} ",
    )
    assert started["errors"] == []
    assert datetime.fromisoformat(started["expiresAt"]) == ENDS
    expected = {
        "candidateName": "Nia Long",
        "candidateNumber": nia.candidate_number,
        "syllabusCode": "0500",
        "sessionName": "Morning sitting",
        "venue": "AA Dummy Centre A",
        "startsAt": STARTS_AT.isoformat(),
        "endsAt": ENDS.isoformat(),
    }
    assert {k: started["test"][k] for k in expected} == expected
    assert started["test"]["syllabusTitle"]
    current = (await gql.ok(CURRENT, None, started["token"]))["currentTest"]
    assert current == expected

    sitting = await TestSitting.get(entry_id=nia.entry_id)
    assert sitting.token_hash != started["token"]  # stored hashed
    assert sitting.expires_at == ENDS
    event = await AuditEvent.get(action="test.start")
    assert event.target_id == str(nia.entry_id)
    assert event.after["candidateNumber"] == nia.candidate_number
    assert await SignInEvent.exists(
        email=nia.entry_code, outcome=SignInOutcome.TEST_START_SUCCEEDED
    )


async def test_one_answer_for_every_wrong_username_password_or_code(
    gql: GraphQLClient, eo: str, nia: Entered
) -> None:
    other = await enter_candidate(
        gql, eo, username="AA101_Morning_Cand002", password="Other2026", first_name="Ola"
    )
    await Entry.filter(id=other.entry_id).update(
        test_session_id=(await Entry.get(id=nia.entry_id)).test_session_id
    )
    _at(OPENS + timedelta(minutes=5))
    answers = [
        await _start(gql, nia, password="Secret2027"),
        await _start(gql, nia, username=other.username),  # someone else's username
        await _start(gql, nia, username=other.username, password=other.password),
        await _start(gql, nia, entryCode="ZZZZ-ZZZZ"),  # no such code
        await _start(gql, nia, entryCode="not a code at all"),
        await _start(gql, nia, username="x" * 500),
    ]
    assert all(a["token"] is None and a["test"] is None for a in answers)
    assert {str(a["errors"]) for a in answers} == {str(answers[0]["errors"])}
    assert answers[0]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert not await TestSitting.exists()
    # Each candidate's own three still work.
    assert await _token(gql, other)
    assert await _token(gql, nia)


async def test_a_username_is_a_centres_own_and_the_code_says_which(
    gql: GraphQLClient, nia: Entered
) -> None:
    """The same username at another centre is another candidate, with their own password."""
    bb = await enter_candidate(
        gql,
        await gql.sign_in("eo@bb202.example"),
        username=nia.username,
        password="BbSecret26",
        centre="BB202",
        first_name="Bea",
    )
    await make_session("BB202", entries=(bb,))
    _at(OPENS)
    refused = await _start(gql, bb, password=nia.password)
    assert refused["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await _start(gql, nia, entryCode=bb.entry_code))["errors"] == refused["errors"]
    token = await _token(gql, bb)
    assert (await gql.ok(CURRENT, None, token))["currentTest"]["candidateName"] == "Bea Long"


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (OPENS - timedelta(minutes=1), "TEST_NOT_OPEN_YET"),
        (ENDS, "TEST_SESSION_ENDED"),
        (ENDS + timedelta(days=1), "TEST_SESSION_ENDED"),
    ],
)
async def test_too_early_or_too_late_is_refused(
    gql: GraphQLClient, nia: Entered, moment: datetime, code: str
) -> None:
    _at(moment)
    refused = await _start(gql, nia)
    assert [e["code"] for e in refused["errors"]] == [code]
    assert refused["token"] is None
    # Only a candidate who proved who they are learns why.
    wrong = await _start(gql, nia, password="Secret2027")
    assert wrong["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_the_test_opens_fifteen_minutes_before_the_start() -> None:
    assert timedelta(minutes=15) == EARLY_START


async def test_a_cancelled_session_a_withdrawn_entry_or_no_session_is_refused(
    gql: GraphQLClient, eo: str, nia: Entered
) -> None:
    _at(OPENS)
    entry = await Entry.get(id=nia.entry_id).select_related("test_session")
    session = entry.test_session
    session.status = TestSessionStatus.CANCELLED
    await session.save()
    assert (await _start(gql, nia))["errors"][0]["code"] == "TEST_SESSION_CANCELLED"
    assert (await _start(gql, nia, password="x"))["errors"][0]["code"] == "INVALID_CREDENTIALS"

    loose = await enter_candidate(gql, eo, username="AA101_NoSession")
    assert (await _start(gql, loose))["errors"][0]["code"] == "ENTRY_NOT_IN_TEST_SESSION"

    other = await enter_candidate(gql, eo, username="AA101_Withdrawn")
    await make_session(name="Afternoon", entries=(other,))
    withdrawn = await gql.ok(WITHDRAW, {"input": {"entryId": other.entry_gid}}, eo)
    assert withdrawn["withdrawEntry"]["errors"] == []
    assert (await _start(gql, other))["errors"][0]["code"] == "ENTRY_WITHDRAWN"
    assert not await TestSitting.exists()


async def test_repeated_failures_lock_the_candidates_starts(
    gql: GraphQLClient, nia: Entered
) -> None:
    _at(OPENS)
    for _ in range(5):
        wrong = await _start(gql, nia, password="Wrong20266")
        assert wrong["errors"][0]["code"] == "INVALID_CREDENTIALS"
    throttled = await _start(gql, nia)  # right, but too late
    assert throttled["token"] is None
    assert throttled["errors"][0]["code"] == "SIGN_IN_THROTTLED"
    lock = await TestStartLock.get(candidate_id=(await Entry.get(id=nia.entry_id)).candidate_id)
    assert lock.locked_until is not None
    # A code nobody has locks after as many failures, with the same answer.
    for _ in range(5):
        await _start(gql, nia, entryCode="ZZZZ-ZZZZ")
    assert (await _start(gql, nia, entryCode="ZZZZ-ZZZZ"))["errors"] == throttled["errors"]

    _at(OPENS + timedelta(minutes=16))
    assert await _token(gql, nia)
    assert not await TestStartLock.exists(candidate_id=lock.candidate_id)
    outcomes = await SignInEvent.filter(email=nia.entry_code).order_by("id")
    assert [e.outcome for e in outcomes] == [SignInOutcome.TEST_START_INVALID_CREDENTIALS] * 5 + [
        SignInOutcome.TEST_START_THROTTLED,
        SignInOutcome.TEST_START_SUCCEEDED,
    ]


async def test_many_failures_from_one_address_are_throttled(
    gql: GraphQLClient, nia: Entered
) -> None:
    _at(OPENS)
    for index in range(50):
        await _start(gql, nia, entryCode=f"ZZZZ-{index:04d}")
    assert (await _start(gql, nia))["errors"][0]["code"] == "SIGN_IN_THROTTLED"


FORBIDDEN_TO_A_TEST = [
    "{ candidateResults { candidateNumber } }",
    "{ me { user { email } } }",
    '{ entries(centreCode: "AA101", seriesCode: "2026-NOV") { totalCount } }',
    '{ organisation(code: "AA101") { name } }',
    "mutation { signOutCandidate { ok } }",
    "mutation { signOut { ok } }",
    'mutation { createLogInSheet(input: {testSessionId: "VGVzdFNlc3Npb246MQ=="}) '
    "{ errors { code } } }",
]


@pytest.mark.parametrize("query", FORBIDDEN_TO_A_TEST)
async def test_a_test_token_reads_its_test_and_nothing_else(
    gql: GraphQLClient, nia: Entered, query: str
) -> None:
    _at(OPENS)
    token = await _token(gql, nia)
    body = await gql.post(query, None, token)
    assert body["data"] is None or not any(body["data"].values())
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def test_results_and_test_tokens_do_not_stand_in_for_each_other(
    gql: GraphQLClient, nia: Entered
) -> None:
    _at(OPENS)
    amara = demo_candidate_sign_ins()[0].username
    signed = await gql.ok(
        "mutation($input: SignInCandidateInput!) { signInCandidate(input: $input) { token } }",
        {"input": {"username": amara, "password": DEMO_RESULTS_PASSWORD}},
    )
    results_token = signed["signInCandidate"]["token"]
    assert _code(await gql.post(CURRENT, None, results_token)) == "FORBIDDEN"
    test_token = await _token(gql, nia)
    body = await gql.post("{ candidateResults { candidateNumber } }", None, test_token)
    assert _code(body) == "FORBIDDEN"
    for email in (EO, "admin@exb.example"):
        assert _code(await gql.post(CURRENT, None, await gql.sign_in(email))) == "FORBIDDEN"
    assert _code(await gql.post(CURRENT, None, None)) == "UNAUTHENTICATED"
    assert _code(await gql.post(CURRENT, None, "not-a-real-token")) == "UNAUTHENTICATED"


async def test_withdrawal_cancellation_or_the_end_stop_the_token_at_once(
    gql: GraphQLClient, eo: str, nia: Entered
) -> None:
    _at(OPENS)
    token = await _token(gql, nia)
    withdrawn = await gql.ok(WITHDRAW, {"input": {"entryId": nia.entry_gid}}, eo)
    assert withdrawn["withdrawEntry"]["errors"] == []
    assert _code(await gql.post(CURRENT, None, token)) == "UNAUTHENTICATED"

    other = await enter_candidate(gql, eo, username="AA101_Cancelled")
    session = await make_session(name="Afternoon", entries=(other,))
    token = await _token(gql, other)
    assert (await gql.ok(CURRENT, None, token))["currentTest"]["sessionName"] == "Afternoon"
    session.status = TestSessionStatus.CANCELLED
    await session.save()
    assert _code(await gql.post(CURRENT, None, token)) == "UNAUTHENTICATED"

    last = await enter_candidate(gql, eo, username="AA101_Ending")
    await make_session(name="Evening", entries=(last,))
    token = await _token(gql, last)
    _at(ENDS - timedelta(seconds=1))
    assert (await gql.ok(CURRENT, None, token))["currentTest"]["sessionName"] == "Evening"
    _at(ENDS)
    assert _code(await gql.post(CURRENT, None, token)) == "UNAUTHENTICATED"


async def test_a_new_start_ends_the_earlier_token(gql: GraphQLClient, nia: Entered) -> None:
    _at(OPENS)
    first = await _token(gql, nia)
    second = await _token(gql, nia)
    assert _code(await gql.post(CURRENT, None, first)) == "UNAUTHENTICATED"
    assert (await gql.ok(CURRENT, None, second))["currentTest"]["candidateName"] == "Nia Long"
    assert await TestSitting.filter(entry_id=nia.entry_id).count() == 1


def _test_actor() -> Actor:
    return Actor(
        request=RequestMeta(request_id="test"),
        test_sitting_id=1,
        test_entry_id=1,
        placements=(
            Placement(
                organisation_id=1,
                kind="CENTRE",  # type: ignore[arg-type]
                parent_id=None,
                deleted=False,
                roles=frozenset({TEST_CANDIDATE}),
            ),
        ),
    )


def test_every_other_guarded_root_field_refuses_a_test_token() -> None:
    """Whatever a field does, its guard already answers FORBIDDEN to a candidate's test token,
    unless it is the test's own field or open to anyone."""
    schema = build_schema()
    info = SimpleNamespace(context=SimpleNamespace(actor=_test_actor()))
    checked = []
    for root in ("Query", "Mutation"):
        definition = schema.get_type_by_name(root)
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            guard = next(p for p in field.permission_classes if p in GUARDS)
            if guard is TestSitter:
                assert guard().has_permission(None, info) is True
                continue
            if guard is Public:
                continue
            with pytest.raises(Forbidden):
                guard().has_permission(None, info)
            checked.append(field.name)
    assert len(checked) > 20, checked


async def test_the_test_role_reaches_its_own_centre_only(demo) -> None:
    aa101 = await Organisation.get(code="AA101")
    bb202 = await Organisation.get(code="BB202")
    actor = Actor(
        request=RequestMeta(request_id="test"),
        test_sitting_id=1,
        test_entry_id=1,
        placements=(Placement(aa101.id, aa101.kind, None, False, frozenset({TEST_CANDIDATE})),),
    )
    authorizer = Authorizer(actor)
    assert authorizer.allows("test", "sit", Target.of(aa101)) is True
    assert authorizer.allows("test", "sit", Target.of(bb202)) is False
    assert authorizer.allows("results", "read_own", Target.of(aa101)) is False
    assert authorizer.allows("entries", "read", Target.of(aa101)) is False
    deleted = Target(aa101.id, aa101.kind, None, deleted=True)
    assert authorizer.allows("test", "sit", deleted) is False
