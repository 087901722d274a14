"""A candidate withdrawn from a series loses their results access for it at once: their
credential is revoked and their sessions end with the withdrawal, the counts and the candidate
list agree with the entries, the letters leave them out, and neither sign-in nor candidateResults
lets them in; NONE still turns a series off after its last entry was withdrawn.

The demo gives ALL of AA101's 2026-JUN candidates access (0001-0003, password
DEMO_RESULTS_PASSWORD); Siti Rahman (0003) is entered there for 0580 and 0620 only, Amara Okafor
(0001) is AA101's only candidate in 2025-NOV.
"""

from datetime import UTC, datetime

from strawberry import relay

from examdesk.demo import DEMO_RESULTS_PASSWORD, demo_candidate_sign_ins
from models.audit import AuditEvent
from models.exams import Entry, EntryStatus
from models.results_access import CandidateSession, ResultsCredential
from resolvers.core import clock
from tests.helpers.graphql import GraphQLClient

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
EO = "eo@aa101.example"
AMARA, JOSE, SITI = (s.username for s in demo_candidate_sign_ins())

WITHDRAW = """
mutation($input: WithdrawEntryInput!) { withdrawEntry(input: $input) {
  errors { code } entry { status }
} }"""

SERIES = """
query($centre: String!) { resultsAccessSeries(centreCode: $centre) {
  status summary candidatesEntered candidatesWithAccess series { code }
} }"""

STATE = """
query($series: String!) { resultsAccess(centreCode: "AA101", seriesCode: $series) {
  status summary candidatesEntered candidatesWithAccess
} }"""

CANDIDATES = """
query($series: String!, $filter: ResultsAccessCandidateFilter) {
  resultsAccessCandidates(centreCode: "AA101", seriesCode: $series, filter: $filter) {
    totalCount nodes { hasAccess candidate { candidateNumber } }
} }"""

UPDATE = """
mutation($input: UpdateResultsAccessInput!) { updateResultsAccess(input: $input) {
  errors { code field } credentialsRevoked resultsAccess { status summary }
} }"""

SIGN_IN = """
mutation($input: SignInCandidateInput!) { signInCandidate(input: $input) {
  token errors { code }
} }"""

RESULTS = "{ candidateResults { series { seriesCode results { syllabusCode grade } } } }"

DOCUMENTS = """
mutation($input: CreateResultsCredentialsDocumentsInput!) {
  createResultsCredentialsDocuments(input: $input) { job { total } errors { code } }
}"""


def _at(moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def _entry_ids(number: str, series: str) -> list[str]:
    ids = await Entry.filter(
        candidate__centre__code="AA101",
        candidate__candidate_number=number,
        series__code=series,
        status=EntryStatus.ENTERED,
    ).order_by("id")
    return [str(relay.GlobalID("Entry", str(e.id))) for e in ids]


async def _withdraw(gql: GraphQLClient, token: str, entry_id: str) -> None:
    result = (await gql.ok(WITHDRAW, {"input": {"entryId": entry_id}}, token))["withdrawEntry"]
    assert result["errors"] == []
    assert result["entry"]["status"] == "WITHDRAWN"


async def _sign_in(gql: GraphQLClient, username: str) -> dict:
    data = await gql.ok(
        SIGN_IN, {"input": {"username": username, "password": DEMO_RESULTS_PASSWORD}}
    )
    return data["signInCandidate"]


async def _state(gql: GraphQLClient, token: str, series: str) -> dict:
    return (await gql.ok(STATE, {"series": series}, token))["resultsAccess"]


async def _with_access(gql: GraphQLClient, token: str, series: str) -> list[str]:
    listed = await gql.ok(CANDIDATES, {"series": series, "filter": {"hasAccess": True}}, token)
    return [n["candidate"]["candidateNumber"] for n in listed["resultsAccessCandidates"]["nodes"]]


async def test_withdrawing_a_candidates_last_entry_takes_their_access_away(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    siti = await _sign_in(gql, SITI)
    token = siti["token"]
    assert token
    first, second = await _entry_ids("0003", "2026-JUN")

    # One entry left: still entered, still with access, reading the live entry's result.
    await _withdraw(gql, eo, first)
    results = (await gql.ok(RESULTS, None, token))["candidateResults"]
    assert [(s["seriesCode"], len(s["results"])) for s in results["series"]] == [("2026-JUN", 1)]
    assert (await _state(gql, eo, "2026-JUN"))["summary"] == "ALL candidates have access (3)"

    await _withdraw(gql, eo, second)
    state = await _state(gql, eo, "2026-JUN")
    assert state == {
        "status": "ALL",
        "summary": "ALL candidates have access (2)",
        "candidatesEntered": 2,
        "candidatesWithAccess": 2,
    }
    rows = (await gql.ok(SERIES, {"centre": "AA101"}, eo))["resultsAccessSeries"]
    june = next(r for r in rows if r["series"]["code"] == "2026-JUN")
    assert (june["candidatesEntered"], june["candidatesWithAccess"]) == (2, 2)
    assert await _with_access(gql, eo, "2026-JUN") == ["0001", "0002"]

    # Her credential is revoked and her session ended, in the withdrawal.
    credential = await ResultsCredential.get(username=SITI)
    assert credential.revoked_at is not None
    assert not await CandidateSession.filter(credential_id=credential.id, revoked_at=None).exists()
    body = await gql.post(RESULTS, None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await _sign_in(gql, SITI))["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (await _sign_in(gql, AMARA))["token"]

    # Audited: the withdrawal says so, and the credential's own event names her.
    withdrawals = await AuditEvent.filter(action="entry.withdraw").order_by("id")
    assert [e.after["resultsCredentialsRevoked"] for e in withdrawals] == [0, 1]
    revoked = await AuditEvent.get(action="results_credential.revoke")
    assert (revoked.target_type, revoked.target_id) == ("ResultsCredential", str(credential.id))
    assert revoked.after == {
        "username": SITI,
        "candidateId": credential.candidate_id,
        "candidateNumber": "0003",
        "series": "2026-JUN",
        "reason": "withdrawn",
    }
    assert revoked.request_id == withdrawals[1].request_id

    # Her letter is no longer printed.
    documents = await gql.ok(
        DOCUMENTS, {"input": {"centreCode": "AA101", "seriesCode": "2026-JUN"}}, eo
    )
    assert documents["createResultsCredentialsDocuments"]["job"]["total"] == 2


async def test_entered_again_under_all_the_candidate_gets_their_old_sign_in_back(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    for entry_id in await _entry_ids("0003", "2026-JUN"):
        await _withdraw(gql, eo, entry_id)
    assert (await _sign_in(gql, SITI))["token"] is None
    entered = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } outcome } }",
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2026-JUN",
                "syllabusCodes": ["0620"],
                "username": "AA101_Cand003",
                "firstName": "Siti",
                "lastName": "Rahman",
            }
        },
        eo,
    )
    assert entered["enterCandidate"] == {"errors": [], "outcome": "LINKED_TO_EXISTING_CANDIDATE"}
    assert (await _state(gql, eo, "2026-JUN"))["summary"] == "ALL candidates have access (3)"
    assert (await _sign_in(gql, SITI))["token"]


async def _choose(gql: GraphQLClient, token: str, series: str, status: str) -> dict:
    contact = {"agreed": True, "contactName": "Anakin Skywalker", "contactPhone": "+65 6123 4567"}
    chosen = {"centreCode": "AA101", "seriesCode": series, "status": status}
    chosen |= contact if status != "NONE" else {"agreed": False}
    return (await gql.ok(UPDATE, {"input": chosen}, token))["updateResultsAccess"]


async def _offered(gql: GraphQLClient, token: str) -> list[str]:
    rows = (await gql.ok(SERIES, {"centre": "AA101"}, token))["resultsAccessSeries"]
    return [r["series"]["code"] for r in rows]


async def test_none_still_works_when_the_last_entry_of_a_series_is_withdrawn(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    assert (await _choose(gql, eo, "2025-NOV", "ALL"))["errors"] == []
    [only] = await _entry_ids("0001", "2025-NOV")
    await _withdraw(gql, eo, only)

    # Still listed while its access is on, reaching nobody, so that it can be turned off.
    state = await _state(gql, eo, "2025-NOV")
    assert state == {
        "status": "ALL",
        "summary": "ALL candidates have access (0)",
        "candidatesEntered": 0,
        "candidatesWithAccess": 0,
    }
    assert "2025-NOV" in await _offered(gql, eo)
    listed = await gql.ok(CANDIDATES, {"series": "2025-NOV"}, eo)
    assert listed["resultsAccessCandidates"] == {"totalCount": 0, "nodes": []}

    off = await _choose(gql, eo, "2025-NOV", "NONE")
    assert off["errors"] == []
    assert off["resultsAccess"] == {"status": "NONE", "summary": "NO candidates have access"}
    # Off, with nobody entered, the series is offered no more; nor can it be turned on.
    assert "2025-NOV" not in await _offered(gql, eo)
    for status in ("ALL", "NONE"):
        again = await _choose(gql, eo, "2025-NOV", status)
        assert [e["code"] for e in again["errors"]] == ["NO_VALID_ENTRY"]


async def test_a_credential_left_active_for_a_withdrawn_candidate_gives_no_access(
    demo, gql: GraphQLClient
) -> None:
    """Withdrawn before withdrawing revoked anything: the credential is still active, and still
    nothing counts it, prints it or lets it in."""
    _at(NOW)
    eo = await gql.sign_in(EO)
    await Entry.filter(candidate__candidate_number="0003", series__code="2026-JUN").update(
        status=EntryStatus.WITHDRAWN, withdrawn_at=NOW
    )
    assert await ResultsCredential.filter(username=SITI, revoked_at=None).exists()
    assert (await _state(gql, eo, "2026-JUN"))["summary"] == "ALL candidates have access (2)"
    assert await _with_access(gql, eo, "2026-JUN") == ["0001", "0002"]
    documents = await gql.ok(
        DOCUMENTS, {"input": {"centreCode": "AA101", "seriesCode": "2026-JUN"}}, eo
    )
    assert documents["createResultsCredentialsDocuments"]["job"]["total"] == 2
    assert (await _sign_in(gql, SITI))["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_a_session_opened_before_a_withdrawal_written_elsewhere_shows_nothing(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    token = (await _sign_in(gql, SITI))["token"]
    await Entry.filter(candidate__candidate_number="0003", series__code="2026-JUN").update(
        status=EntryStatus.WITHDRAWN, withdrawn_at=NOW
    )
    results = (await gql.ok(RESULTS, None, token))["candidateResults"]
    assert results["series"] == []
