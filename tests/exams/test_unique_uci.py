"""A UCI identifies one candidate across the board: entering a new candidate with a UCI another
candidate holds is refused with UCI_IN_USE, typed in one at a time, in a file (against the
database and between the file's rows), and when two requests race for it. The holder's number is
named to their own centre only. Candidates without a UCI never clash."""

import asyncio
from typing import Any

import httpx
import pytest
from tortoise.exceptions import IntegrityError

from models.audit import AuditEvent
from models.exams import Candidate, Entry, Series, Syllabus
from models.jobs import Job, JobStatus
from models.organisations import Organisation
from models.users import User
from resolvers.core import jobs
from resolvers.core.credential_secrets import sealer
from resolvers.exams.bulk_entries import _SEALED_FOR, KIND
from tests.exams.helpers import upload
from tests.helpers.graphql import GraphQLClient

ENTER = """
mutation($input: EnterCandidateInput!) { enterCandidate(input: $input) {
  outcome errors { code message field }
  candidate { candidateNumber username uci }
} }"""

HEADER = "first_name,last_name,username,password,syllabus_codes,candidate_number,uci"

# Demo candidates: 0001 at AA101 holds AA101260001A, 0001 at BB202 (Mei Ling Tan) BB202260001C.
AMARAS_UCI = "AA101260001A"
MEI_LINGS_UCI = "BB202260001C"


def entry_input(**overrides: Any) -> dict[str, Any]:
    return {
        "centreCode": "AA101",
        "seriesCode": "2026-NOV",
        "syllabusCodes": ["0500"],
        "username": "uci_newcomer",
        "firstName": "Nia",
        "lastName": "Long",
        "password": "Secret2026",
        **overrides,
    }


async def enter(gql: GraphQLClient, token: str, **overrides: Any) -> dict[str, Any]:
    data = await gql.ok(ENTER, {"input": entry_input(**overrides)}, token=token)
    return data["enterCandidate"]


async def counts() -> tuple[int, int, int, int]:
    return (
        await Candidate.all().count(),
        await Entry.all().count(),
        await Job.all().count(),
        await AuditEvent.all().count(),
    )


@pytest.fixture
async def eo(demo: object, gql: GraphQLClient) -> str:
    return await gql.sign_in("eo@aa101.example")


# --- one candidate at a time -------------------------------------------------------------------


@pytest.mark.parametrize("typed", [AMARAS_UCI, " aa101260001a "], ids=["as-stored", "lower-case"])
async def test_a_uci_held_at_the_centre_is_refused_naming_the_holders_number(
    eo: str, gql: GraphQLClient, typed: str
) -> None:
    before = await counts()
    result = await enter(gql, eo, uci=typed)
    assert result["candidate"] is None
    [error] = result["errors"]
    assert error["code"] == "UCI_IN_USE"
    assert error["field"] == ["input", "uci"]
    assert error["message"] == f"The UCI {AMARAS_UCI} already belongs to candidate 0001 at AA101."
    assert await counts() == before


async def test_a_uci_held_at_another_centre_is_refused_without_naming_that_candidate(
    demo: object, gql: GraphQLClient
) -> None:
    token = await gql.sign_in("eo@bb202.example")
    before = await counts()
    result = await enter(gql, token, centreCode="BB202", uci=AMARAS_UCI.lower())
    [error] = result["errors"]
    assert error["code"] == "UCI_IN_USE"
    assert (
        error["message"]
        == f"The UCI {AMARAS_UCI} already belongs to a candidate at another centre."
    )
    beside_the_uci = error["message"].replace(AMARAS_UCI, "")
    for detail in ("0001", "AA101", "Amara", "Okafor"):
        assert detail not in beside_the_uci
    assert await counts() == before


async def test_the_clash_is_reported_with_the_other_problems_at_once(
    eo: str, gql: GraphQLClient
) -> None:
    result = await enter(gql, eo, uci=AMARAS_UCI, password="weak", candidateNumber="0001")
    assert sorted(e["code"] for e in result["errors"]) == [
        "CANDIDATE_NUMBER_TAKEN",
        "CANDIDATE_PASSWORD_INVALID",
        "UCI_IN_USE",
    ]


async def test_a_free_uci_is_kept_and_then_belongs_to_that_candidate(
    eo: str, gql: GraphQLClient
) -> None:
    first = await enter(gql, eo, username="uci_first", uci="aa101269001x")
    assert first["errors"] == []
    assert first["candidate"]["uci"] == "AA101269001X"
    second = await enter(gql, eo, username="uci_second", uci="AA101269001X")
    assert [e["code"] for e in second["errors"]] == ["UCI_IN_USE"]
    assert (
        f"candidate {first['candidate']['candidateNumber']} at AA101"
        in (second["errors"][0]["message"])
    )


async def test_candidates_without_a_uci_never_clash(eo: str, gql: GraphQLClient) -> None:
    without = await Candidate.filter(uci=None).count()
    assert without >= 2  # the demo has some already
    for username in ("no_uci_a", "no_uci_b"):
        result = await enter(gql, eo, username=username)
        assert result["errors"] == []
        assert result["candidate"]["uci"] is None
    assert await Candidate.filter(uci=None).count() == without + 2


async def test_a_linked_username_keeps_its_candidates_uci(eo: str, gql: GraphQLClient) -> None:
    """Entering a known username again links to that candidate, whose UCI stays as it is: the
    UCI typed then is not a new candidate's, so it is not checked against others."""
    result = await enter(gql, eo, username="AA101_Cand003", syllabusCodes=["0500"], uci=AMARAS_UCI)
    assert result["errors"] == []
    assert result["outcome"] == "LINKED_TO_EXISTING_CANDIDATE"
    assert result["candidate"]["uci"] is None


# --- two requests at the same moment -----------------------------------------------------------


async def test_two_new_candidates_racing_for_one_uci_make_one_holder(
    eo: str, gql: GraphQLClient
) -> None:
    """Both pass the check before either writes; the database's unique index refuses the
    slower one, which checks again and is told who holds the UCI now."""
    answers = await asyncio.gather(
        *(
            gql.ok(ENTER, {"input": entry_input(username=name, uci="AA101269002Y")}, eo)
            for name in ("racer_a", "racer_b")
        )
    )
    payloads = sorted((a["enterCandidate"] for a in answers), key=lambda p: bool(p["errors"]))
    winner, loser = payloads
    assert winner["errors"] == []
    assert winner["outcome"] == "NEW_CANDIDATE"
    assert [e["code"] for e in loser["errors"]] == ["UCI_IN_USE"]
    number = winner["candidate"]["candidateNumber"]
    assert loser["errors"][0]["message"] == (
        f"The UCI AA101269002Y already belongs to candidate {number} at AA101."
    )
    assert await Candidate.filter(uci="AA101269002Y").count() == 1


async def test_the_database_holds_one_candidate_per_uci_but_any_number_without(
    demo: object,
) -> None:
    centre = await Organisation.get(code="BB202")

    def candidate(number: str, uci: str | None) -> Candidate:
        return Candidate(
            centre=centre,
            candidate_number=number,
            username=f"direct_{number}",
            first_name="A",
            last_name="B",
            password_hash="x",
            uci=uci,
        )

    await candidate("0101", None).save()
    await candidate("0102", None).save()
    with pytest.raises(IntegrityError):
        await candidate("0103", AMARAS_UCI).save()


# --- a file of candidates ----------------------------------------------------------------------


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


async def enter_file(http: httpx.AsyncClient, token: str, content: str) -> dict[str, Any]:
    response = await upload(http, token, content)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]["enterCandidatesFromCsv"]


async def test_a_files_ucis_must_be_free_and_given_to_one_candidate(
    http: httpx.AsyncClient, eo: str
) -> None:
    content = csv_text(
        "Nia,Long,uci_here,Secret2026,0500,,aa101260001a",  # 2: Amara's, here
        f"Ola,Nord,uci_there,Secret2026,0500,,{MEI_LINGS_UCI}",  # 3: at BB202
        "Ann,Dup,uci_a,Secret2026,0500,,AA101269003Q",  # 4: fine
        "Bob,Dup,uci_b,Secret2026,0500,, aa101269003q",  # 5: row 4's
        "Ann,Dup,uci_a,Secret2026,0580,,AA101269003Q",  # 6: row 4's candidate again: fine
        "Cy,Free,uci_none_a,Secret2026,0500,,",  # 7: no UCI
        "Di,Free,uci_none_b,Secret2026,0500,,",  # 8: no UCI either
    )
    before = await counts()
    payload = await enter_file(http, eo, content)
    assert await counts() == before
    assert payload["job"] is None
    errors = {
        r["rowNumber"]: [(e["code"], e["column"]) for e in r["errors"]] for r in payload["rows"]
    }
    assert errors == {
        2: [("UCI_IN_USE", "uci")],
        3: [("UCI_IN_USE", "uci")],
        4: [],
        5: [("DUPLICATE_IN_FILE", "uci")],
        6: [],
        7: [],
        8: [],
    }
    messages = {r["rowNumber"]: r["errors"][0]["message"] for r in payload["rows"] if r["errors"]}
    assert messages[2] == f"The UCI {AMARAS_UCI} already belongs to candidate 0001 at AA101."
    assert messages[3] == (
        f"The UCI {MEI_LINGS_UCI} already belongs to a candidate at another centre."
    )
    assert messages[5] == "Row 4 already gives the UCI AA101269003Q to uci_a."


async def test_a_file_with_free_ucis_writes_them(
    http: httpx.AsyncClient, gql: GraphQLClient, eo: str
) -> None:
    content = csv_text(
        "Ann,One,uci_one,Secret2026,0500,,aa101269004r",
        "Bob,Two,uci_two,Secret2026,0500,,",
        "Cy,Three,uci_three,Secret2026,0500,,",
    )
    payload = await enter_file(http, eo, content)
    assert payload["errors"] == []
    job = await gql.wait_for_job(payload["job"]["id"], eo)
    assert job["status"] == "SUCCEEDED", job
    written = dict(
        await Candidate.filter(username__startswith="uci_").values_list("username", "uci")
    )
    assert written == {"uci_one": "AA101269004R", "uci_two": None, "uci_three": None}


async def test_a_uci_taken_after_the_file_was_checked_fails_the_job(demo: object) -> None:
    """The job checks the UCIs again inside its transaction, as it does usernames and numbers."""
    centre = await Organisation.get(code="AA101")
    series = await Series.get(code="2026-NOV")
    syllabus = await Syllabus.get(code="0500")
    user = await User.get(email="eo@aa101.example")
    planned = {
        "row": 2,
        "username": "uci_late",
        "candidateId": None,
        "candidateNumber": "0100",
        "numberChosen": False,
        "firstName": "A",
        "lastName": "B",
        "uci": MEI_LINGS_UCI,
        "password": sealer(_SEALED_FOR).encrypt(b"Secret2026").decode(),
        "entries": [
            {
                "row": 2,
                "syllabusId": syllabus.id,
                "syllabusCode": "0500",
                "reinstateId": None,
                "entryCode": None,
            }
        ],
    }
    job = await Job.create(
        kind=KIND,
        organisation_id=centre.id,
        created_by_id=user.id,
        request_id="test",
        status=JobStatus.RUNNING,
        created_at=centre.created_at,
        payload={
            "centreId": centre.id,
            "centreCode": "AA101",
            "seriesId": series.id,
            "seriesCode": "2026-NOV",
            "file": None,
            "candidates": [planned],
        },
    )
    before = await counts()
    await jobs.run(job)
    await job.refresh_from_db()
    assert job.status is JobStatus.FAILED
    assert job.error_code == "CONCURRENT_CHANGE"
    message = job.error_message or ""
    assert f"The UCI {MEI_LINGS_UCI} was given to a candidate" in message
    for detail in ("0001", "BB202", "Mei Ling"):
        assert detail not in message.replace(MEI_LINGS_UCI, "")
    assert await counts() == before
    assert not await Candidate.exists(username="uci_late")
