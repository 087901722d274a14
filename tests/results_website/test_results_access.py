"""The candidate results website administration (seed 000): series with valid entries, NO /
ALL / SELECTED access, the contact and agreement rules, the credentials time, the selection list
and its search, and who may do it (every cell of the table runs).

The demo: AA101 has candidates 0001, 0002 and 0004 entered in 2026-NOV (credentials from
5 October 2026), 0001-0003 in 2026-JUN (ALL candidates have access there, demo.py) and 0001 in
2025-NOV. CC303 has no candidates.
"""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from itertools import count

import pytest
from strawberry import relay

from examdesk.demo import DEMO_RESULTS_PASSWORD
from models.audit import AuditEvent
from models.exams import Candidate, Entry, EntryStatus, Series, Syllabus
from models.organisations import Organisation
from models.results_access import CandidateSession, ResultsAccess, ResultsCredential
from resolvers.core import clock, credential_secrets
from resolvers.core.errors import DomainError, ErrorCode
from resolvers.results_website.access_checks import check_phone
from resolvers.results_website.results_credentials import grant_new_candidates
from tests.helpers.graphql import GraphQLClient

EO, SLT, TEACHER, INV = (
    "eo@aa101.example",
    "slt@aa101.example",
    "teacher@aa101.example",
    "inv@aa101.example",
)
ADMIN = "admin@exb.example"
OTHER_EO, ASSOCIATE_EO = "eo@bb202.example", "eo@as100.example"
CANDIDATE = "(candidate aa101-0001-k7qm)"
ANONYMOUS = "(signed out)"
ACTORS = (EO, SLT, TEACHER, INV, ADMIN, OTHER_EO, ASSOCIATE_EO, CANDIDATE, ANONYMOUS)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)

SERIES = """
query($centre: String!) { resultsAccessSeries(centreCode: $centre) {
  centreCode status summary candidatesEntered candidatesWithAccess credentialsOpen
  series { code }
} }"""

STATE = """
query($centre: String!, $series: String!) {
  resultsAccess(centreCode: $centre, seriesCode: $series) {
    status summary candidatesEntered candidatesWithAccess contactName contactPhone
    contactEmail delayHours agreedAt
} }"""

UPDATE = """
mutation($input: UpdateResultsAccessInput!) { updateResultsAccess(input: $input) {
  errors { code message field }
  credentialsCreated credentialsRevoked
  resultsAccess { status summary candidatesWithAccess delayHours contactName contactPhone
                  contactEmail }
} }"""

SELECT = """
mutation($input: UpdateResultsAccessSelectionInput!) {
  updateResultsAccessSelection(input: $input) {
    errors { code message field } added removed
    resultsAccess { status summary candidatesWithAccess }
} }"""

CANDIDATES = """
query($centre: String!, $series: String!, $filter: ResultsAccessCandidateFilter,
      $first: Int, $after: String) {
  resultsAccessCandidates(centreCode: $centre, seriesCode: $series, filter: $filter,
                          first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { hasAccess username candidate { id candidateNumber fullName uci } }
} }"""

CONTACT = {"agreed": True, "contactName": "Anakin Skywalker", "contactPhone": "+65 6123 4567"}


def _at(moment: datetime) -> None:
    clock.advance(moment - clock.now())


def _update(status: str, series: str = "2026-NOV", centre: str = "AA101", **extra) -> dict:
    return {
        "input": {
            "centreCode": centre,
            "seriesCode": series,
            "status": status,
            **(CONTACT if status != "NONE" else {"agreed": False}),
            **extra,
        }
    }


async def _candidate_id(centre: str, number: str) -> str:
    candidate = await Candidate.get(centre__code=centre, candidate_number=number)
    return str(relay.GlobalID("Candidate", str(candidate.id)))


async def _active(series: str = "2026-NOV", centre: str = "AA101") -> list[str]:
    """Candidate numbers holding an active credential."""
    return sorted(
        await ResultsCredential.filter(
            series__code=series, candidate__centre__code=centre, revoked_at=None
        ).values_list("candidate__candidate_number", flat=True)
    )


async def _set(gql: GraphQLClient, token: str, status: str, **extra) -> dict:
    data = await gql.ok(UPDATE, _update(status, **extra), token)
    return data["updateResultsAccess"]


# The series list and one series' state.


async def test_the_series_list_shows_series_with_valid_entries_latest_first(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    rows = (await gql.ok(SERIES, {"centre": "AA101"}, eo))["resultsAccessSeries"]
    assert [
        (r["series"]["code"], r["status"], r["candidatesEntered"], r["candidatesWithAccess"])
        for r in rows
    ] == [
        ("2026-NOV", "NONE", 3, 0),
        ("2026-JUN", "ALL", 3, 3),
        ("2025-NOV", "NONE", 1, 0),
    ]
    assert rows[0]["summary"] == "NO candidates have access"
    assert rows[1]["summary"] == "ALL candidates have access (3)"
    assert all(r["centreCode"] == "AA101" and r["credentialsOpen"] for r in rows)


async def test_a_series_whose_only_entries_are_withdrawn_is_not_offered(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    series = await Series.create(
        code="2027-MAR",
        month="MARCH",
        month_number=3,
        year=2027,
        credentials_open_at=datetime(2027, 3, 25, tzinfo=UTC),
        results_release_at=datetime(2027, 5, 5, tzinfo=UTC),
    )
    candidate = await Candidate.get(centre__code="AA101", candidate_number="0001")
    await Entry.create(
        candidate=candidate,
        series=series,
        syllabus=await Syllabus.get(code="0580"),
        entry_code="ZZZZ-ZZZZ",
        status=EntryStatus.WITHDRAWN,
        withdrawn_at=NOW,
    )
    eo = await gql.sign_in(EO)
    rows = (await gql.ok(SERIES, {"centre": "AA101"}, eo))["resultsAccessSeries"]
    assert "2027-MAR" not in [r["series"]["code"] for r in rows]
    body = await gql.post(STATE, {"centre": "AA101", "series": "2027-MAR"}, eo)
    assert body["errors"][0]["extensions"]["code"] == "NO_VALID_ENTRY"
    assert "valid entry" in body["errors"][0]["message"]
    result = await gql.ok(UPDATE, _update("NONE", series="2027-MAR"), eo)
    assert [e["code"] for e in result["updateResultsAccess"]["errors"]] == ["NO_VALID_ENTRY"]


async def test_without_a_row_no_candidates_have_access(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    state = (await gql.ok(STATE, {"centre": "AA101", "series": "2026-NOV"}, eo))["resultsAccess"]
    assert state == {
        "status": "NONE",
        "summary": "NO candidates have access",
        "candidatesEntered": 3,
        "candidatesWithAccess": 0,
        "contactName": None,
        "contactPhone": None,
        "contactEmail": None,
        "delayHours": 0,
        "agreedAt": None,
    }
    assert not await ResultsAccess.exists(series__code="2026-NOV")


async def test_a_centre_without_candidates_has_no_series(demo, gql: GraphQLClient) -> None:
    eo = await gql.sign_in("eo@cc303.example")
    assert (await gql.ok(SERIES, {"centre": "CC303"}, eo))["resultsAccessSeries"] == []


# Validation: every problem at once, with field paths and stable codes.


async def test_every_problem_is_reported_at_once(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    result = (
        await gql.ok(
            UPDATE,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "status": "ALL",
                    "agreed": False,
                    "contactName": "   ",
                    "delayHours": 721,
                }
            },
            eo,
        )
    )["updateResultsAccess"]
    assert result["resultsAccess"] is None
    assert {(e["code"], tuple(e["field"])) for e in result["errors"]} == {
        ("RESULTS_AGREEMENT_REQUIRED", ("input", "agreed")),
        ("CONTACT_NAME_REQUIRED", ("input", "contactName")),
        ("CONTACT_DETAILS_REQUIRED", ("input", "contactPhone")),
        ("DELAY_INVALID", ("input", "delayHours")),
    }
    assert await _active() == []
    assert not await ResultsAccess.exists(series__code="2026-NOV")


async def test_bad_contact_details_and_series(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    result = (
        await gql.ok(
            UPDATE,
            _update(
                "SELECTED",
                contactPhone="call me",
                contactEmail="not-an-email",
                delayHours=-1,
            ),
            eo,
        )
    )["updateResultsAccess"]
    assert {(e["code"], e["field"][-1]) for e in result["errors"]} == {
        ("PHONE_INVALID", "contactPhone"),
        ("EMAIL_INVALID", "contactEmail"),
        ("DELAY_INVALID", "delayHours"),
    }
    # Too long is refused before the rest is looked at, as for every text input.
    result = (await gql.ok(UPDATE, _update("SELECTED", contactName="x" * 201), eo))[
        "updateResultsAccess"
    ]
    assert [(e["code"], e["field"][-1]) for e in result["errors"]] == [
        ("INPUT_TOO_LONG", "contactName")
    ]
    result = (await gql.ok(UPDATE, _update("ALL", series="2031-JUN"), eo))["updateResultsAccess"]
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("SERIES_NOT_FOUND", ["input", "seriesCode"])
    ]
    other = await gql.sign_in("eo@cc303.example")
    result = (await gql.ok(UPDATE, _update("ALL", centre="CC303"), other))["updateResultsAccess"]
    assert [e["code"] for e in result["errors"]] == ["NO_VALID_ENTRY"]


async def test_an_email_alone_or_a_phone_alone_is_enough(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    by_email = await _set(
        gql, eo, "SELECTED", contactPhone=None, contactEmail=" Exams@AA101.example "
    )
    assert by_email["errors"] == []
    assert by_email["resultsAccess"]["contactEmail"] == "exams@aa101.example"
    assert by_email["resultsAccess"]["contactPhone"] is None
    by_phone = await _set(gql, eo, "SELECTED", contactPhone="+44 (0)20  7946-0958", delayHours=720)
    assert by_phone["errors"] == []
    assert by_phone["resultsAccess"]["contactPhone"] == "+442079460958"
    assert by_phone["resultsAccess"]["delayHours"] == 720


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("+65 6123 4567", "+6561234567"),
        ("+44 (0)20 7946-0958", "+442079460958"),
        ("+1-202-555-0143", "+12025550143"),
        ("+290 22 123", "+29022123"),
        ("+49 30 123456789", "+4930123456789"),
    ],
)
def test_plausible_phone_numbers(phone: str, stored: str) -> None:
    assert check_phone(phone) == stored


@pytest.mark.parametrize(
    "phone",
    [
        "123456",
        "+8610123456789012",
        "+65 6123 4567 ext 2",
        "65+61234567",
        "+65 (6123 4567",
        "phone",
        "--- ---",
    ],
)
def test_implausible_phone_numbers(phone: str) -> None:
    with pytest.raises(DomainError) as raised:
        check_phone(phone, "input", "contactPhone")
    assert raised.value.errors[0].code is ErrorCode.PHONE_INVALID


# Phone numbers are parsed with phonenumbers and stored in E.164, whatever way they were written.


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("+44 1223 553554", "+441223553554"),
        ("0044 1223 553554", "+441223553554"),
        ("+44 (0)1223 553554", "+441223553554"),
        (" +44  1223-553554 ", "+441223553554"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("+1.202.555.0143", "+12025550143"),
        ("001 202 555 0143", "+12025550143"),
    ],
)
def test_a_number_with_its_country_code_is_stored_in_e164(phone: str, stored: str) -> None:
    assert check_phone(phone, "input", "contactPhone") == stored


@pytest.mark.parametrize(
    "phone",
    ["01223 553554", "(020) 7946-0958", "6123456", "44 1223 553554", "1 202 555 0143"],
)
def test_a_number_without_its_country_code_is_refused(phone: str) -> None:
    with pytest.raises(DomainError) as raised:
        check_phone(phone, "input", "contactPhone")
    [error] = raised.value.errors
    assert error.code is ErrorCode.PHONE_INVALID
    assert error.field == ("input", "contactPhone")
    assert "no country code" in error.message
    assert "+44 1223 553554" in error.message


@pytest.mark.parametrize(
    ("phone", "says"),
    [
        ("+44 1223 55355", "not a valid telephone number for country code +44"),
        ("+44 1223 5535541", "not a valid telephone number for country code +44"),
        ("+1 (555) 555-5555", "not a valid telephone number for country code +1"),
        ("+861012345678901", "not a valid telephone number for country code +86"),
        ("+999 1234567", "known country code"),
        ("+1 800 FLOWERS", "using digits, spaces, brackets"),
        ("+", "with its country code"),
        ("00", "with its country code"),
    ],
)
def test_an_impossible_number_is_refused(phone: str, says: str) -> None:
    with pytest.raises(DomainError) as raised:
        check_phone(phone, "input", "contactPhone")
    [error] = raised.value.errors
    assert error.code is ErrorCode.PHONE_INVALID
    assert says in error.message
    assert "+44 1223 553554" in error.message


async def test_the_contact_phone_is_stored_and_returned_in_e164(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    refused = await _set(gql, eo, "SELECTED", contactPhone="01223 553554")
    assert refused["resultsAccess"] is None
    [error] = refused["errors"]
    assert (error["code"], error["field"]) == ("PHONE_INVALID", ["input", "contactPhone"])
    assert "country code" in error["message"]
    assert "+44 1223 553554" in error["message"]
    assert not await ResultsAccess.exists(series__code="2026-NOV")
    for typed, stored in (
        ("+44 1223 553554", "+441223553554"),
        ("0044 1223 553554", "+441223553554"),
        ("+1 (202) 555-0143", "+12025550143"),
    ):
        result = await _set(gql, eo, "SELECTED", contactPhone=typed)
        assert result["errors"] == []
        assert result["resultsAccess"]["contactPhone"] == stored
        state = await gql.ok(STATE, {"centre": "AA101", "series": "2026-NOV"}, eo)
        assert state["resultsAccess"]["contactPhone"] == stored
        access = await ResultsAccess.get(centre__code="AA101", series__code="2026-NOV")
        assert access.contact_phone == stored
    refused = await _set(gql, eo, "SELECTED", contactPhone="+44 1223 55355")
    assert [e["code"] for e in refused["errors"]] == ["PHONE_INVALID"]
    access = await ResultsAccess.get(centre__code="AA101", series__code="2026-NOV")
    assert access.contact_phone == "+12025550143"


async def test_the_demo_contact_phone_is_stored_as_a_checked_one_would_be(demo) -> None:
    access = await ResultsAccess.get(centre__code="AA101", series__code="2026-JUN")
    assert access.contact_phone is not None
    assert check_phone(access.contact_phone) == access.contact_phone


async def test_credentials_only_from_the_series_credentials_time(demo, gql: GraphQLClient) -> None:
    _at(datetime(2026, 10, 4, 12, tzinfo=UTC))
    eo = await gql.sign_in(EO)
    for status in ("ALL", "SELECTED"):
        result = await _set(gql, eo, status)
        assert [(e["code"], e["field"]) for e in result["errors"]] == [
            ("CREDENTIALS_NOT_OPEN", ["input", "status"])
        ]
        assert "5 October 2026" in result["errors"][0]["message"]
    assert (await _set(gql, eo, "NONE"))["errors"] == []
    rows = (await gql.ok(SERIES, {"centre": "AA101"}, eo))["resultsAccessSeries"]
    assert rows[0]["series"]["code"] == "2026-NOV"
    assert rows[0]["credentialsOpen"] is False
    assert await _active() == []

    _at(datetime(2026, 10, 5, 0, 1, tzinfo=UTC))
    eo = await gql.sign_in(EO)
    result = await _set(gql, eo, "ALL")
    assert result["errors"] == []
    assert result["credentialsCreated"] == 3


# Transitions and credentials.


async def test_none_all_selected_none(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)

    result = await _set(gql, eo, "ALL", delayHours=6)
    assert result["errors"] == []
    assert (result["credentialsCreated"], result["credentialsRevoked"]) == (3, 0)
    assert result["resultsAccess"]["summary"] == "ALL candidates have access (3)"
    assert await _active() == ["0001", "0002", "0004"]
    first = {c.candidate_id: c for c in await ResultsCredential.filter(series__code="2026-NOV")}
    for credential in first.values():
        assert re.fullmatch(r"aa101-\d{4}-[a-z2-9]{4}", credential.username)
        assert not set(credential.username.split("-")[2]) & set("01ilo")
        password = credential_secrets.unseal(credential.password_sealed)
        assert credential_secrets.matches(password, credential.password_digest)
        assert password not in credential.password_digest

    # Choosing ALL again creates nothing new.
    again = await _set(gql, eo, "ALL")
    assert (again["credentialsCreated"], again["credentialsRevoked"]) == (0, 0)

    # ALL -> SELECTED keeps everyone who had access as the starting selection.
    result = await _set(gql, eo, "SELECTED")
    assert (result["credentialsCreated"], result["credentialsRevoked"]) == (0, 0)
    assert result["resultsAccess"]["summary"] == "SELECTED candidates have access: 3 of 3"
    assert await _active() == ["0001", "0002", "0004"]

    removed = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "remove": [await _candidate_id("AA101", "0002")],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert removed["errors"] == []
    assert (removed["added"], removed["removed"]) == (0, 1)
    assert removed["resultsAccess"]["summary"] == "SELECTED candidates have access: 2 of 3"
    assert await _active() == ["0001", "0004"]

    # NONE revokes every credential; the rows stay, revoked.
    result = await _set(gql, eo, "NONE")
    assert (result["credentialsCreated"], result["credentialsRevoked"]) == (0, 2)
    assert result["resultsAccess"]["summary"] == "NO candidates have access"
    assert await _active() == []
    assert await ResultsCredential.filter(series__code="2026-NOV").count() == 3
    # The contact stays for next time; the demo's 2026-JUN is untouched.
    assert result["resultsAccess"]["contactName"] == "Anakin Skywalker"
    assert await _active("2026-JUN") == ["0001", "0002", "0003"]

    # NONE -> SELECTED starts with nobody; adding a revoked candidate with reissue gives a new
    # password (without it, the old one: test_giving_access_again_keeps_the_password).
    result = await _set(gql, eo, "SELECTED")
    assert result["resultsAccess"]["candidatesWithAccess"] == 0
    one = await Candidate.get(centre__code="AA101", candidate_number="0001")
    added = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [await _candidate_id("AA101", "0001")],
                    "reissue": True,
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert (added["added"], added["removed"]) == (1, 0)
    renewed = await ResultsCredential.get(candidate_id=one.id, series__code="2026-NOV")
    assert renewed.revoked_at is None
    assert renewed.username == first[one.id].username
    assert renewed.password_digest != first[one.id].password_digest

    # SELECTED -> ALL reaches everyone entered.
    result = await _set(gql, eo, "ALL")
    assert result["credentialsCreated"] == 2
    assert await _active() == ["0001", "0002", "0004"]


async def test_none_signs_the_candidates_out(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    token = (
        await gql.ok(
            "mutation($i: SignInCandidateInput!) { signInCandidate(input: $i) { token errors "
            "{ code } } }",
            {"i": {"username": "aa101-0001-k7qm", "password": DEMO_RESULTS_PASSWORD}},
        )
    )["signInCandidate"]["token"]
    assert token
    result = await _set(gql, eo, "NONE", series="2026-JUN")
    assert result["credentialsRevoked"] == 3
    assert await CandidateSession.filter(revoked_at=None).count() == 0
    body = await gql.post("{ candidateResults { candidateNumber } }", None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_grant_new_candidates_reaches_those_entered_after_all(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    assert await grant_new_candidates(centre.id, series.id) == 0  # no row: NONE
    await _set(gql, eo, "ALL")
    entered = await gql.ok(
        "mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) "
        "{ errors { code } candidate { candidateNumber } } }",
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2026-NOV",
                "syllabusCodes": ["0610"],
                "username": "late.entry",
                "firstName": "Late",
                "lastName": "Entry",
                "password": "LateEntry2026",
            }
        },
        eo,
    )
    number = entered["enterCandidate"]["candidate"]["candidateNumber"]
    # Entering the candidate granted their access in the same transaction.
    assert number in await _active()
    event = await AuditEvent.filter(action="entry.create").order_by("-id").first()
    assert event is not None
    assert event.after is not None
    assert event.after["resultsCredentialsCreated"] == 1
    assert await grant_new_candidates(centre.id, series.id) == 0
    # Revoked behind the centre's back, the next call grants it again.
    await ResultsCredential.filter(
        candidate__centre_id=centre.id, candidate__candidate_number=number
    ).update(revoked_at=NOW)
    assert number not in await _active()
    assert await grant_new_candidates(centre.id, series.id) == 1
    assert number in await _active()
    await _set(gql, eo, "SELECTED")
    await Entry.filter(candidate__candidate_number="0003", series__code="2026-JUN").update(
        status=EntryStatus.ENTERED
    )
    other = await Candidate.get(centre__code="AA101", candidate_number="0003")
    await Entry.create(
        candidate=other,
        series=series,
        syllabus=await Syllabus.get(code="0500"),
        entry_code="YYYY-YYYY",
    )
    assert await grant_new_candidates(centre.id, series.id) == 0  # SELECTED: the EO decides
    assert "0003" not in await _active()


async def test_all_for_two_thousand_candidates_in_few_queries(
    demo, gql: GraphQLClient, count_queries
) -> None:
    _at(NOW)
    centre = await Organisation.get(code="CC303")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0580")
    await Candidate.bulk_create(
        [
            Candidate(
                centre=centre,
                candidate_number=f"{n:04d}",
                first_name=f"First{n}",
                last_name=f"Last{n}",
                username=f"bulk{n}",
                password_hash="-",
            )
            for n in range(1, 2001)
        ],
        batch_size=500,
    )
    ids = await Candidate.filter(centre=centre).values_list("id", flat=True)
    await Entry.bulk_create(
        [
            Entry(candidate_id=i, series=series, syllabus=syllabus, entry_code=f"B{i:08d}")
            for i in ids
        ],
        batch_size=500,
    )
    eo = await gql.sign_in("eo@cc303.example")
    with count_queries() as counter:
        result = await _set(gql, eo, "ALL", centre="CC303")
    assert result["errors"] == []
    assert result["credentialsCreated"] == 2000
    assert len(counter.statements) < 40, len(counter.statements)
    usernames = await ResultsCredential.filter(candidate__centre=centre).values_list(
        "username", flat=True
    )
    assert len(set(usernames)) == 2000
    with count_queries() as counter:
        result = await _set(gql, eo, "NONE", centre="CC303")
    assert result["credentialsRevoked"] == 2000
    assert len(counter.statements) < 30, len(counter.statements)
    with count_queries() as counter:
        await _set(gql, eo, "SELECTED", centre="CC303")
        ids_to_add = [str(relay.GlobalID("Candidate", str(i))) for i in ids[:500]]
        added = await gql.ok(
            SELECT,
            {"input": {"centreCode": "CC303", "seriesCode": "2026-NOV", "add": ids_to_add}},
            eo,
        )
    assert added["updateResultsAccessSelection"]["added"] == 500
    assert len(counter.statements) < 60, len(counter.statements)


async def test_audit_has_before_and_after_and_never_a_password(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    await _set(gql, eo, "ALL")
    await _set(gql, eo, "SELECTED", delayHours=3)
    await gql.ok(
        SELECT,
        {
            "input": {
                "centreCode": "AA101",
                "seriesCode": "2026-NOV",
                "remove": [await _candidate_id("AA101", "0004")],
            }
        },
        eo,
    )
    events = await AuditEvent.filter(action__startswith="results_access.").order_by("id")
    assert [e.action for e in events] == [
        "results_access.update",
        "results_access.update",
        "results_access.update_selection",
    ]
    assert events[0].before is None
    assert events[0].after["status"] == "ALL"
    assert events[0].after["credentialsCreated"] == 3
    assert events[1].before["status"] == "ALL"
    assert events[1].after["status"] == "SELECTED"
    assert events[1].after["delayHours"] == 3
    assert events[2].after["credentialsRevoked"] == 1
    assert all(e.actor_email == EO for e in events)
    secrets_ = set()
    for credential in await ResultsCredential.all():
        secrets_ |= {
            credential_secrets.unseal(credential.password_sealed),
            credential.password_digest,
            credential.password_sealed,
        }
    text = " ".join(str(e.before) + str(e.after) for e in events)
    assert "password" not in text.lower()
    assert not [s for s in secrets_ if s in text]


# The candidate list, its order, search and paging, and the selection.


async def _list(gql: GraphQLClient, token: str, **variables) -> dict:
    data = await gql.ok(CANDIDATES, {"centre": "AA101", "series": "2026-NOV", **variables}, token)
    return data["resultsAccessCandidates"]


async def test_the_list_is_in_candidate_number_order_and_pages(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    listed = await _list(gql, eo)
    assert listed["totalCount"] == 3
    assert [n["candidate"]["candidateNumber"] for n in listed["nodes"]] == ["0001", "0002", "0004"]
    assert all(n["hasAccess"] is False and n["username"] is None for n in listed["nodes"])
    page = await _list(gql, eo, first=2)
    assert [n["candidate"]["candidateNumber"] for n in page["nodes"]] == ["0001", "0002"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await _list(gql, eo, first=2, after=page["pageInfo"]["endCursor"])
    assert [n["candidate"]["candidateNumber"] for n in rest["nodes"]] == ["0004"]
    assert rest["pageInfo"]["hasNextPage"] is False

    await _set(gql, eo, "ALL")
    listed = await _list(gql, eo)
    for node in listed["nodes"]:
        assert node["hasAccess"] is True
        assert node["username"].startswith(f"aa101-{node['candidate']['candidateNumber']}-")
    # Withdrawn from 2026-JUN's 0610, 0002 is still entered there (0500): listed once.
    june = await _list(gql, eo, series="2026-JUN")
    assert [n["candidate"]["candidateNumber"] for n in june["nodes"]] == ["0001", "0002", "0003"]


@pytest.mark.parametrize(
    ("search", "numbers"),
    [
        ("okafor", ["0001"]),
        ("JOS", ["0002"]),
        ("amara okafor", ["0001"]),
        ("0004", ["0004"]),
        ("000", ["0001", "0002", "0004"]),
        ("AA101260002B", ["0002"]),
        ("260001", ["0001"]),
        ("Rahman", []),
        ("nobody", []),
        ("garcia", ["0002"]),
        ("JOSÉ", ["0002"]),
    ],
)
async def test_search_by_name_number_or_uci(
    demo, gql: GraphQLClient, search: str, numbers: list[str]
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    listed = await _list(gql, eo, filter={"search": search})
    assert [n["candidate"]["candidateNumber"] for n in listed["nodes"]] == numbers
    assert listed["totalCount"] == len(numbers)


async def test_select_and_filter_by_access(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    await _set(gql, eo, "SELECTED")
    one, four = await _candidate_id("AA101", "0001"), await _candidate_id("AA101", "0004")
    added = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [one, four, one],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert added["errors"] == []
    assert added["added"] == 2
    assert added["resultsAccess"]["summary"] == "SELECTED candidates have access: 2 of 3"
    with_access = await _list(gql, eo, filter={"hasAccess": True})
    assert [n["candidate"]["candidateNumber"] for n in with_access["nodes"]] == ["0001", "0004"]
    without = await _list(gql, eo, filter={"hasAccess": False})
    assert [n["candidate"]["candidateNumber"] for n in without["nodes"]] == ["0002"]
    # Adding someone who already has access changes nothing (same username and password).
    before = await ResultsCredential.get(
        candidate__candidate_number="0001", candidate__centre__code="AA101", series__code="2026-NOV"
    )
    again = await gql.ok(
        SELECT, {"input": {"centreCode": "AA101", "seriesCode": "2026-NOV", "add": [one]}}, eo
    )
    assert again["updateResultsAccessSelection"]["added"] == 0
    after = await ResultsCredential.get(id=before.id)
    assert after.password_digest == before.password_digest


async def _candidate_sign_in(gql: GraphQLClient, username: str, password: str) -> str | None:
    data = await gql.ok(
        "mutation($i: SignInCandidateInput!) { signInCandidate(input: $i) { token } }",
        {"i": {"username": username, "password": password}},
    )
    return data["signInCandidate"]["token"]


async def _select(gql: GraphQLClient, token: str, **change) -> dict:
    data = await gql.ok(
        SELECT, {"input": {"centreCode": "AA101", "seriesCode": "2026-JUN", **change}}, token
    )
    return data["updateResultsAccessSelection"]


async def test_giving_access_again_keeps_the_password(demo, gql: GraphQLClient) -> None:
    """Unticked and ticked again, a candidate's letter still works: same username, same
    password. So does NONE then ALL."""
    _at(NOW)
    eo = await gql.sign_in(EO)
    siti = await _candidate_id("AA101", "0003")
    before = await ResultsCredential.get(username="aa101-0003-p9tc")
    await _set(gql, eo, "SELECTED", series="2026-JUN")
    assert (await _select(gql, eo, remove=[siti]))["removed"] == 1
    assert await _candidate_sign_in(gql, "aa101-0003-p9tc", DEMO_RESULTS_PASSWORD) is None

    added = await _select(gql, eo, add=[siti])
    assert (added["errors"], added["added"]) == ([], 1)
    after = await ResultsCredential.get(id=before.id)
    assert after.revoked_at is None
    assert (after.username, after.password_digest, after.password_sealed) == (
        before.username,
        before.password_digest,
        before.password_sealed,
    )
    assert await _candidate_sign_in(gql, "aa101-0003-p9tc", DEMO_RESULTS_PASSWORD)

    await _set(gql, eo, "NONE", series="2026-JUN")
    assert await _candidate_sign_in(gql, "aa101-0001-k7qm", DEMO_RESULTS_PASSWORD) is None
    assert (await _set(gql, eo, "ALL", series="2026-JUN"))["credentialsCreated"] == 3
    assert await _candidate_sign_in(gql, "aa101-0001-k7qm", DEMO_RESULTS_PASSWORD)
    assert await _candidate_sign_in(gql, "aa101-0003-p9tc", DEMO_RESULTS_PASSWORD)


async def test_reissue_gives_new_passwords_and_signs_the_candidates_out(
    demo, gql: GraphQLClient
) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    amara, siti = await _candidate_id("AA101", "0001"), await _candidate_id("AA101", "0003")
    await _set(gql, eo, "SELECTED", series="2026-JUN")
    assert (await _select(gql, eo, remove=[siti]))["removed"] == 1
    token = await _candidate_sign_in(gql, "aa101-0001-k7qm", DEMO_RESULTS_PASSWORD)
    assert token

    # Amara still has access, Siti had it taken away: both get a new password.
    reissued = await _select(gql, eo, add=[amara, siti], reissue=True)
    assert (reissued["errors"], reissued["added"], reissued["removed"]) == ([], 2, 0)
    assert reissued["resultsAccess"]["summary"] == "SELECTED candidates have access: 3 of 3"
    for username in ("aa101-0001-k7qm", "aa101-0003-p9tc"):
        credential = await ResultsCredential.get(username=username)
        assert credential.revoked_at is None
        assert not credential_secrets.matches(DEMO_RESULTS_PASSWORD, credential.password_digest)
        assert await _candidate_sign_in(gql, username, DEMO_RESULTS_PASSWORD) is None
        new_password = credential_secrets.unseal(credential.password_sealed)
        assert await _candidate_sign_in(gql, username, new_password)
    body = await gql.post("{ candidateResults { candidateNumber } }", None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # José was not in `add`: his password stays.
    assert await _candidate_sign_in(gql, "aa101-0002-w4hd", DEMO_RESULTS_PASSWORD)
    event = (
        await AuditEvent.filter(action="results_access.update_selection").order_by("-id").first()
    )
    assert event is not None
    assert event.after is not None
    assert (event.after["reissue"], event.after["credentialsCreated"]) == (True, 2)


async def test_selection_errors_are_all_or_nothing(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    refused = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [await _candidate_id("AA101", "0001")],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert [e["code"] for e in refused["errors"]] == ["RESULTS_ACCESS_NOT_SELECTED"]
    await _set(gql, eo, "ALL")
    refused = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [await _candidate_id("AA101", "0001")],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert [e["code"] for e in refused["errors"]] == ["RESULTS_ACCESS_NOT_SELECTED"]

    await _set(gql, eo, "NONE")
    await _set(gql, eo, "SELECTED")
    result = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [
                        await _candidate_id("AA101", "0001"),  # fine
                        await _candidate_id("AA101", "0003"),  # not entered in 2026-NOV
                        await _candidate_id("BB202", "0001"),  # another centre's
                        str(relay.GlobalID("Candidate", "99999")),  # nobody
                    ],
                    "remove": [await _candidate_id("AA101", "0001")],  # also added
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("CANDIDATE_NOT_ENTERED", ["input", "add", "1"]),
        ("CANDIDATE_NOT_ENTERED", ["input", "add", "2"]),
        ("CANDIDATE_NOT_ENTERED", ["input", "add", "3"]),
        ("INVALID_INPUT", ["input", "remove", "0"]),
    ]
    assert await _active() == []  # not even 0001
    wrong_type = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-NOV",
                    "add": [str(relay.GlobalID("Entry", "1"))],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert [(e["code"], e["field"]) for e in wrong_type["errors"]] == [
        ("INVALID_INPUT", ["input", "add", "0"])
    ]


async def test_removing_a_candidate_revokes_their_sessions(demo, gql: GraphQLClient) -> None:
    _at(NOW)
    eo = await gql.sign_in(EO)
    signed_in = await gql.ok(
        "mutation($i: SignInCandidateInput!) { signInCandidate(input: $i) { token } }",
        {"i": {"username": "aa101-0002-w4hd", "password": DEMO_RESULTS_PASSWORD}},
    )
    token = signed_in["signInCandidate"]["token"]
    assert await gql.ok("{ candidateResults { candidateNumber } }", None, token)
    await _set(gql, eo, "SELECTED", series="2026-JUN")
    removed = (
        await gql.ok(
            SELECT,
            {
                "input": {
                    "centreCode": "AA101",
                    "seriesCode": "2026-JUN",
                    "remove": [await _candidate_id("AA101", "0002")],
                }
            },
            eo,
        )
    )["updateResultsAccessSelection"]
    assert removed["removed"] == 1
    session = await CandidateSession.get(credential__username="aa101-0002-w4hd")
    assert session.revoked_at is not None
    body = await gql.post("{ candidateResults { candidateNumber } }", None, token)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# Who may do what: every cell runs.

_statuses = count()


def _allowed(body: dict, actor: str) -> bool:
    errors = body.get("errors")
    if not errors:
        return True
    code = errors[0]["extensions"]["code"]
    # Signed out: sign in; signed in (staff or candidate) without the right: forbidden.
    assert code == ("UNAUTHENTICATED" if actor == ANONYMOUS else "FORBIDDEN"), (actor, body)
    return False


async def read_series(gql: GraphQLClient, token: str | None, actor: str, centre: str) -> bool:
    body = await gql.post(SERIES, {"centre": centre}, token)
    allowed = _allowed(body, actor)
    if allowed:
        assert body["data"]["resultsAccessSeries"]
    return allowed


async def read_state(gql: GraphQLClient, token: str | None, actor: str, centre: str) -> bool:
    body = await gql.post(STATE, {"centre": centre, "series": "2026-NOV"}, token)
    allowed = _allowed(body, actor)
    if allowed:
        assert body["data"]["resultsAccess"]["candidatesEntered"] > 0
    return allowed


async def read_candidates(gql: GraphQLClient, token: str | None, actor: str, centre: str) -> bool:
    body = await gql.post(CANDIDATES, {"centre": centre, "series": "2026-NOV"}, token)
    allowed = _allowed(body, actor)
    if allowed:
        assert body["data"]["resultsAccessCandidates"]["totalCount"] > 0
    return allowed


async def update_access(gql: GraphQLClient, token: str | None, actor: str, centre: str) -> bool:
    body = await gql.post(UPDATE, _update("SELECTED", centre=centre), token)
    allowed = _allowed(body, actor)
    if allowed:
        assert body["data"]["updateResultsAccess"]["errors"] == []
        assert body["data"]["updateResultsAccess"]["resultsAccess"]["status"] == "SELECTED"
    return allowed


async def update_selection(gql: GraphQLClient, token: str | None, actor: str, centre: str) -> bool:
    await ResultsAccess.create(
        centre=await Organisation.get(code=centre),
        series=await Series.get(code="2026-NOV"),
        status="SELECTED",
        contact_name="Someone",
        contact_email="x@example.com",
        updated_at=clock.now(),
    )
    body = await gql.post(
        SELECT,
        {
            "input": {
                "centreCode": centre,
                "seriesCode": "2026-NOV",
                "add": [await _candidate_id(centre, {"AA101": "0001", "BB202": "0002"}[centre])],
            }
        },
        token,
    )
    allowed = _allowed(body, actor)
    if allowed:
        assert body["data"]["updateResultsAccessSelection"]["added"] == 1
    return allowed


Operation = Callable[[GraphQLClient, str | None, str, str], Awaitable[bool]]
ROLE = {
    EO: "EXAMS_OFFICER",
    OTHER_EO: "EXAMS_OFFICER",
    ASSOCIATE_EO: "EXAMS_OFFICER",
    SLT: "SLT",
    TEACHER: "SFA_TEACHER",
    INV: "INVIGILATOR",
    ADMIN: "BOARD_ADMIN",
    CANDIDATE: "CANDIDATE",
    ANONYMOUS: "-",
}
# Where each actor is at home; the board admin is at home everywhere. The associate AS100
# looks after AS101 and AS102, neither of these two centres.
HOME = {"AA101": {EO, SLT, TEACHER, INV, ADMIN}, "BB202": {OTHER_EO, ADMIN}}
READERS = {"EXAMS_OFFICER", "BOARD_ADMIN"}
MANAGERS = {"EXAMS_OFFICER"}

TABLE: dict[str, tuple[Operation, set[str]]] = {
    "resultsAccessSeries": (read_series, READERS),
    "resultsAccess": (read_state, READERS),
    "resultsAccessCandidates": (read_candidates, READERS),
    "updateResultsAccess": (update_access, MANAGERS),
    "updateResultsAccessSelection": (update_selection, MANAGERS),
}


async def _token(gql: GraphQLClient, actor: str) -> str | None:
    if actor == ANONYMOUS:
        return None
    if actor == CANDIDATE:
        data = await gql.ok(
            "mutation($i: SignInCandidateInput!) { signInCandidate(input: $i) { token } }",
            {"i": {"username": "aa101-0001-k7qm", "password": DEMO_RESULTS_PASSWORD}},
        )
        return data["signInCandidate"]["token"]
    return await gql.sign_in(actor)


@pytest.mark.parametrize("centre", ["AA101", "BB202"])
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("operation", list(TABLE))
async def test_permission_table(
    demo, gql: GraphQLClient, operation: str, actor: str, centre: str
) -> None:
    _at(NOW)
    token = await _token(gql, actor)
    run, allowed = TABLE[operation]
    expected = ROLE[actor] in allowed and actor in HOME[centre]
    assert await run(gql, token, actor, centre) is expected
